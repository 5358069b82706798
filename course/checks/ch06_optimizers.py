"""Checks for Chapter 6 (optimizers). No answers here: the tests pass the
expected numbers (and the numbers known mistakes give) themselves.

* :func:`rule_step` makes one call ``rule(param, grad, state, **hyper)`` and
  fails with "modified its input in place" if the call changes the ``param``
  or ``grad`` it was given. The rule's own ``state`` is not watched: it
  belongs to the rule, which may update it in place.
* :func:`apply_rule` runs a rule over a sequence of gradients the way the
  course's driver does (``state=None`` first, then what the rule returned),
  each step through :func:`rule_step`, and returns the final parameter.
* :func:`check_update` compares a result with the expected values and, when
  they differ, says which known mistake (if any) gives exactly the values
  that came back.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .core import _as_array, assert_close, call_unmodified

__all__ = ["rule_step", "apply_rule", "check_update"]


def rule_step(rule: Callable, param: Any, grad: Any, state: Any = None, name: str | None = None, **hyper):
    """``rule(param, grad, state, **hyper)`` -> ``(new_param, new_state)``;
    fails if the call modified ``param`` or ``grad`` in place, or does not
    return a pair."""
    label = name or getattr(rule, "__name__", "the update rule")

    def call(param, grad):
        return rule(param, grad, state, **hyper)

    out = call_unmodified(call, name=label, param=param, grad=grad)
    if not isinstance(out, tuple) or len(out) != 2:
        raise AssertionError(f"{label} returned {type(out).__name__}, expected a pair (new_param, new_state).")
    new_param, new_state = out
    return _as_array(new_param, f"{label}: new_param"), new_state


def apply_rule(rule: Callable, param: Any, grads, name: str | None = None, per_step=None, **hyper) -> np.ndarray:
    """Apply the rule for each ``g`` in *grads* (state ``None`` on the first
    call, then the state the rule returned) and return the final parameter.
    *per_step*: optional list of dicts of hyperparameters for each step
    (e.g. a changing learning rate), merged over *hyper*."""
    label = name or getattr(rule, "__name__", "the update rule")
    state = None
    param = np.array(param, dtype=np.float64)
    for step, g in enumerate(grads, start=1):
        h = dict(hyper, **(per_step[step - 1] if per_step is not None else {}))
        param, state = rule_step(rule, param, np.array(g, dtype=np.float64), state, name=f"{label} at step {step}", **h)
    return param


def check_update(got: Any, expected: Any, name: str = "param", mistakes: dict | None = None,
                 rtol: float = 1e-7, atol: float = 1e-9) -> None:
    """``assert_close(got, expected)``; on failure, if *got* equals (to 1e-9)
    the values one of *mistakes* (``{description: values}``) gives, the
    message says so: "These are exactly the values you get when <description>"."""
    arr = _as_array(got, name)
    exp = np.asarray(expected, dtype=np.float64)
    if arr.shape == exp.shape and np.issubdtype(arr.dtype, np.number) and np.isfinite(exp).all():
        bad = ~np.isfinite(arr.astype(np.float64))
        if bad.any():
            where = f" at index {[int(i) for i in np.argwhere(bad)[0]]}" if arr.ndim else ""
            raise AssertionError(
                f"{name} contains NaN or inf ({int(bad.sum())} of {arr.size} values, first{where}), expected finite numbers. "
                "In an update rule they come from a division by zero (0/0 is NaN), the square root of a negative number, or an overflow."
            )
    try:
        assert_close(got, expected, name=name, rtol=rtol, atol=atol)
    except AssertionError as err:
        try:
            arr = np.asarray(got, dtype=np.float64)
        except (TypeError, ValueError):
            raise err from None
        for description, values in (mistakes or {}).items():
            values = np.asarray(values, dtype=np.float64)
            if arr.shape == values.shape and np.allclose(arr, values, rtol=1e-9, atol=1e-12):
                raise AssertionError(f"{err} These are exactly the values you get when {description}.") from None
        raise err from None
