"""Checks for Chapter 3 (losses), called by its visible and hidden tests as
``checks.check_loss``. They hold no answer: each compares a learner's loss
with an expected number the test supplies, and names the mistake when the
returned value has a recognisable shape (a batch sum, a reduction over the
wrong axis, the classes averaged or summed when they should not be)."""

from __future__ import annotations

import numpy as np

from .core import assert_close, assert_shape

__all__ = ["check_loss"]


def _is(value: float, target: float) -> bool:
    return bool(target != 0 and np.isfinite(target) and np.isclose(value, target, rtol=1e-6, atol=0.0))


def check_loss(got, expected, name: str, *, batch_size: int, classes: int = 1, over_classes: str = "mean",
               wrong_axis: float | None = None, known: dict | None = None) -> None:
    """*got* is one finite number equal to *expected* (within rtol 1e-7, atol 1e-9).

    batch_size   -- N, the number of examples the test passed (axis 0)
    classes      -- C, the size of the last axis (1 for (N,) inputs)
    over_classes -- how the exercise reduces the last axis: "mean" (MSE,
                    binary cross-entropy: the mean over every element) or
                    "sum" (categorical cross-entropy: a sum over the classes,
                    then the batch mean)
    wrong_axis   -- the value a reduction over axis 0 instead of the last
                    axis would give, when the test computed it
    known        -- {value a known mistake gives: what that mistake is}, for
                    mistakes only the test can compute (e.g. logits treated as
                    probabilities)

    On failure the message names the mistake whose value *got* equals, if
    any, and otherwise the largest difference (``checks.assert_close``).
    """
    n, c = int(batch_size), int(classes)
    arr = np.asarray(got) if got is not None else None
    if arr is not None and arr.dtype != object and arr.ndim == 1 and arr.shape[0] == n and n > 1:
        raise AssertionError(
            f"{name} returned {n} values, one per example (shape {arr.shape}): a loss returns one number, "
            "the batch mean of the per-example losses."
        )
    assert_shape(got, (), name=name)
    value = float(np.asarray(got))
    expected = float(expected)
    if not np.isfinite(value):
        raise AssertionError(
            f"{name} is {value}, expected {expected:.10g}. An infinite or NaN loss comes from the log of a "
            "probability of exactly 0 (clip probabilities to [EPSILON, 1 - EPSILON] first) or from an exp that "
            "overflowed (use the stable form for logits)."
        )
    found = None
    if _is(value, expected):
        found = None
    elif n > 1 and _is(value, n * expected):
        found = (f"{n} times the expected value: you summed over the batch instead of taking the batch mean "
                 "(Keras's default reduction divides the sum by the batch size).")
    elif over_classes == "mean" and c > 1 and n > 1 and _is(value, n * c * expected):
        found = (f"{n * c} times the expected value (N*C = {n}*{c}): you summed over every element instead of "
                 "taking the mean.")
    elif over_classes == "mean" and c > 1 and _is(value, c * expected):
        found = (f"{c} times the expected value (C = {c}): you summed over the last axis; this loss takes the "
                 "mean over it (the mean over all elements, like Keras).")
    elif over_classes == "sum" and c > 1 and _is(value, expected / c):
        found = (f"1/{c} of the expected value (C = {c}): you averaged over the classes too, dividing by N*C. "
                 "Sum over the classes (the last axis), then take the mean over the batch.")
    elif wrong_axis is not None and not np.isclose(wrong_axis, expected) and _is(value, wrong_axis):
        found = ("the value of a reduction over the wrong axis: axis 0 is the batch, the classes are on the last "
                 "axis (axis=-1).")
    if found is None and not _is(value, expected):
        for wrong_value, why in (known or {}).items():
            if not np.isclose(wrong_value, expected, rtol=1e-6) and _is(value, float(wrong_value)):
                found = why
                break
    if found:
        raise AssertionError(f"{name} is {value:.10g}, expected {expected:.10g}: {found}")
    assert_close(value, expected, name=name)
