"""Checks that belong to Chapter 2 (activation functions). Re-exported as
``checks.<name>``. They hold no answers: tests pass fixed expected numbers,
and the numbers of known wrong answers with the explanation that is true for
them."""

from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from .core import _as_array, _fmt, assert_close, assert_shape

__all__ = ["assert_close_or_known_mistake", "assert_relative_accuracy", "assert_vjp_rows_sum_to_zero"]


def assert_close_or_known_mistake(got: Any, expected: Any, name: str = "result",
                                  known: Iterable[tuple[Any, str]] = (), rtol: float = 1e-7,
                                  atol: float = 1e-9) -> None:
    """Like ``checks.assert_close``; when the result instead equals the
    numbers a known mistake produces (each entry of *known* is
    ``(values, explanation)``), the message says so and gives that
    explanation."""
    try:
        assert_close(got, expected, name=name, rtol=rtol, atol=atol)
    except AssertionError as failure:
        arr = _as_array(got, name)
        for values, why in known:
            values = np.asarray(values, dtype=np.float64)
            if arr.shape == values.shape and np.allclose(arr.astype(np.float64), values, rtol=1e-9, atol=1e-12):
                raise AssertionError(f"{failure} {name} equals {_fmt(values)}: {why}") from None
        raise


def assert_relative_accuracy(got: Any, expected: Any, name: str = "result", rtol: float = 1e-10,
                             what: str = "") -> None:
    """Every value within a relative error *rtol* of *expected* (no absolute
    tolerance: a tiny tail value such as sigma(-40) = 4.248e-18 must keep its
    digits, not merely be close to 0)."""
    arr = _as_array(got, name)
    exp = np.asarray(expected, dtype=np.float64)
    assert_shape(arr, exp.shape, name)
    try:
        assert_close(arr, exp, name=name, rtol=rtol, atol=0.0)
    except AssertionError as failure:
        a = arr.astype(np.float64).reshape(exp.shape)
        with np.errstate(all="ignore"):
            rel = np.abs(a - exp) / np.abs(exp)
        worst = np.unravel_index(int(np.nanargmax(np.where(np.isfinite(rel), rel, np.inf))), exp.shape) if exp.ndim else ()
        lost = "the value has been rounded to 0" if a[worst] == 0 and exp[worst] != 0 else f"the relative error is {_fmt(rel[worst], 3)}"
        raise AssertionError(
            f"{failure} The exercise asks for a relative error of at most {rtol:g} everywhere, including the tails; "
            f"here {lost}. {what}".rstrip()
        ) from None


def assert_vjp_rows_sum_to_zero(got: Any, name: str = "softmax_vjp(x, g)", atol: float = 1e-12) -> None:
    """Each row of a softmax vector-Jacobian product sums to 0: softmax does
    not change when the same constant is added to every logit of a row, so
    the gradient has no component along (1, ..., 1)."""
    arr = _as_array(got, name).astype(np.float64)
    sums = arr.sum(axis=-1)
    bad = np.flatnonzero(~np.isclose(sums.ravel(), 0.0, atol=atol, rtol=0))
    if bad.size:
        k = int(bad[0])
        raise AssertionError(
            f"row {k} of {name} sums to {_fmt(sums.ravel()[k], 8)}, expected 0: softmax is unchanged when the same "
            "constant is added to every logit of a row, so every row of J^T g sums to 0. In s * (g - c), a row sums "
            "to 0 exactly when c is that row's own dot product g . s (one number per row)."
        )
