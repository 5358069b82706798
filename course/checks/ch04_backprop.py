"""Checks that belong to Chapter 4 (backpropagation). They hold no answer:
only fixed expected numbers and the messages that name a mistake's cause."""

from __future__ import annotations

import warnings

import numpy as np

from .core import assert_close, assert_true, call_quietly

try:  # the same check, and message, as Chapter 2's sigmoid
    from .ch02_activations import assert_relative_accuracy as _relative_accuracy
except ImportError:  # pragma: no cover - Chapter 2's module renamed it
    def _relative_accuracy(got, expected, name="result", rtol=1e-10, what=""):
        try:
            assert_close(got, expected, name=name, rtol=rtol, atol=0.0)
        except AssertionError as failure:
            raise AssertionError(f"{failure} {what}".rstrip()) from None

__all__ = ["sigmoid_layer_tails", "call_without_warnings"]


def call_without_warnings(fn, *args, name: str | None = None, why: str = "", **kwargs):
    """Call ``fn(*args, **kwargs)``; a NumPy floating-point warning (overflow,
    divide by zero, invalid value) fails with a message that names it and
    then *why*: the cause in this exercise's terms."""
    label = name or getattr(fn, "__name__", "function")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with np.errstate(all="warn", under="ignore"):
            result = fn(*args, **kwargs)
    numeric = [w for w in caught if issubclass(w.category, RuntimeWarning)]
    if numeric:
        raise AssertionError(f"{label} raised a NumPy warning: {numeric[0].message}. {why}".rstrip())
    return result

# sigma(x) at these x, to float64 precision (relative error < 1e-15)
_TAIL_X = np.array([[-40.0, -20.0, -1.0, 0.0, 1.0, 20.0, 40.0]])
_TAIL_Y = np.array([[4.248354255291589e-18, 2.0611536181902037e-09, 0.2689414213699951, 0.5,
                     0.7310585786300049, 0.9999999979388463, 1.0]])


def sigmoid_layer_tails(layer_class, name: str = "Sigmoid") -> None:
    """The accuracy requirement of the sigmoid (Chapter 2 asks the same of
    its ``sigmoid``): relative error <= 1e-10 everywhere, tails included
    (sigma(-40) = 4.248e-18, not 0), and no NumPy warning at x = +-1000.
    Checks ``layer_class().forward`` and ``backward`` (at x = +-1000 and -40)."""
    layer = layer_class()
    big = np.array([[-1000.0, 1000.0]])
    try:
        out = call_quietly(layer.forward, big, name=f"{name} forward([-1000, 1000])")
    except AssertionError as err:
        raise AssertionError(
            f"{err} Note that np.where(condition, a, b) computes BOTH a and b for every element before choosing, so "
            "each branch must be safe for every x (np.exp(-x) overflows at x = -1000, np.exp(x) at x = 1000)."
        ) from None
    assert_close(out, [[0.0, 1.0]], rtol=1e-10, atol=1e-300, name=f"{name} forward([-1000, 1000])")
    try:
        dx_big = call_quietly(layer.backward, np.ones_like(big), name=f"{name} backward at x = [-1000, 1000]")
    except AssertionError as err:
        raise AssertionError(
            f"{err} The backward pass must be as safe as the forward one: compute sigma'(x) = y (1 - y) from the "
            "output y that forward cached, not by evaluating the sigmoid of x again with an exp that can overflow."
        ) from None
    assert_close(dx_big, [[0.0, 0.0]], atol=1e-300, name=f"{name} backward(1) at x = [-1000, 1000]")
    layer = layer_class()
    got = call_quietly(layer.forward, _TAIL_X.copy(), name=f"{name} forward")
    arr = np.asarray(got, dtype=np.float64)
    what = ""
    if arr.shape == _TAIL_Y.shape and np.allclose(arr[0, 2:], _TAIL_Y[0, 2:], rtol=1e-10, atol=0):
        what = (f"The values from x = -1 on are right but the negative tail is not: at x = -40 your forward gives "
                f"{arr[0, 0]:.4g} for 4.248e-18. A form like 1 - something or 0.5 * (1 + tanh(x / 2)) cancels to 0 in "
                "float64 for very negative x. For x < 0 use e / (1 + e) with e = exp(x) <= 1.")
    _relative_accuracy(got, _TAIL_Y, name=f"{name} forward([-40, -20, -1, 0, 1, 20, 40])", rtol=1e-10, what=what)
    dx = call_quietly(layer.backward, np.ones_like(_TAIL_X), name=f"{name} backward")
    assert_close(np.asarray(dx)[:, :1], [[4.248354255291589e-18]], rtol=1e-10, atol=0,
                 name=f"{name} backward(1) at x = -40 (sigma'(-40) = 4.248e-18)")
    assert_true(np.all(np.abs(np.asarray(dx)) <= 0.25 + 1e-15),
                f"{name} backward(1) has values above 0.25, the largest value of sigma'(x) (at x = 0).")
