"""Checks that belong to Chapter 9 (recurrent networks and the LSTM).
Re-exported as ``checks.<name>``. They hold no answer: the expected numbers
are fixed data written in the tests (tests/keras_claims/test_09_rnn.py
re-checks them against ``keras.layers.SimpleRNN``/``LSTM`` on every run),
gradients are compared with the notebook's own central differences, and
every diagnosis is made by calling the learner's own code on changed inputs
(the LSTM's four weight blocks in another order), never by a reference
implementation."""

from __future__ import annotations

import itertools
from typing import Any, Callable

import numpy as np

from .core import _fmt, assert_close, assert_shape, assert_true, call_unmodified

__all__ = [
    "assert_same_or_mistake",
    "assert_sequence_result",
    "assert_gradient_list",
    "lstm_block_order",
    "check_rnn_gradients",
    "assert_raises",
]

KERAS_GATES = ("i", "f", "c", "o")
_GATE_WORDS = {"i": "input gate", "f": "forget gate", "c": "cell candidate", "o": "output gate"}
_KNOWN_ORDERS = {
    ("i", "f", "o", "c"): "the order of CS231n's assignment and several textbooks",
    ("i", "c", "f", "o"): "the order (i, j, f, o) of TensorFlow 1's LSTMCell, whose j is the cell candidate",
}


def _close(a, b, rtol: float, atol: float) -> bool:
    try:
        a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol))


def assert_same_or_mistake(got: Any, expected: Any, name: str, mistakes: dict | None = None, rtol: float = 1e-9,
                           atol: float = 1e-12, explain: Callable[[], str] | None = None) -> None:
    """``assert_close(got, expected)``; when it fails and *got* equals one of
    *mistakes* (``{"what was done": the values that mistake gives}``, fixed
    numbers written in the test), the message names that mistake. *explain*
    (a function returning a sentence or "") may add a fact found by running
    the learner's code on changed inputs; it never decides the outcome."""
    try:
        assert_close(got, expected, name=name, rtol=rtol, atol=atol)
    except AssertionError as failure:
        text = str(failure)
        for what, values in (mistakes or {}).items():
            if _close(got, values, rtol, atol):
                text += f" Your values are exactly what you get when {what}."
                break
        else:
            if explain is not None:
                try:
                    extra = explain()
                except Exception:  # noqa: BLE001 - a diagnosis must never raise
                    extra = ""
                if extra:
                    text += " " + extra
        raise AssertionError(text) from None


def assert_sequence_result(got: Any, expected: Any, name: str, return_state: bool, rtol: float = 1e-10,
                           atol: float = 1e-12, mistakes: dict | None = None, explain=None) -> None:
    """What a recurrent layer returned, checked like Keras 3 returns it: one
    array when ``return_state=False``; a tuple (or list) ``(output, h_T)`` —
    ``(output, h_T, c_T)`` for an LSTM — when ``return_state=True``.
    *expected* is the array, or the tuple of arrays. *mistakes* applies to
    the output (the first element)."""
    if not return_state:
        assert_true(not isinstance(got, (tuple, list)),
                    f"{name} returned a {type(got).__name__} of {len(got)} items; with return_state=False a recurrent layer "
                    "returns ONE array (the output), like Keras.")
        expected_output = np.asarray(expected)
        _check_output(got, expected_output, f"{name}", rtol, atol, mistakes, explain)
        return
    n = len(expected)
    what = "(output, h_T)" if n == 2 else "(output, h_T, c_T)"
    assert_true(isinstance(got, (tuple, list)),
                f"{name} returned a {type(got).__name__}; with return_state=True it must return the tuple {what}, as Keras 3 does.")
    assert_true(len(got) == n, f"{name} returned {len(got)} items; with return_state=True it must return the {n} items {what}.")
    _check_output(got[0], np.asarray(expected[0]), f"{name}[0] (the output)", rtol, atol, mistakes, explain)
    labels = ["h_T, the final hidden state", "c_T, the final cell state"]
    for k in range(1, n):
        exp = np.asarray(expected[k])
        assert_same_or_mistake(got[k], exp, f"{name}[{k}] ({labels[k - 1]})", rtol=rtol, atol=atol)


def _check_output(got, expected, name, rtol, atol, mistakes, explain):
    arr = np.asarray(got) if got is not None else None
    if arr is not None and arr.shape != expected.shape:
        if expected.ndim == 2 and arr.ndim == 3 and arr.shape[0] == expected.shape[0] and arr.shape[2] == expected.shape[1]:
            raise AssertionError(f"{name} has shape {arr.shape}, expected {expected.shape}: with return_sequences=False "
                                 "a recurrent layer returns only the LAST step's h_T, shape (N, units).")
        if expected.ndim == 3 and arr.ndim == 2 and arr.shape == (expected.shape[0], expected.shape[2]):
            raise AssertionError(f"{name} has shape {arr.shape}, expected {expected.shape}: with return_sequences=True a "
                                 "recurrent layer returns EVERY step's h_t, shape (N, T, units).")
    assert_same_or_mistake(got, expected, name, mistakes=mistakes, rtol=rtol, atol=atol, explain=explain)


def assert_gradient_list(got: Any, expected: list, name: str, mistakes: dict | None = None, rtol: float = 1e-12,
                         atol: float = 1e-15) -> None:
    """A list of gradient arrays (what ``clip_gradients`` returns), compared
    array by array; *mistakes* maps "what was done" to the list of arrays
    that mistake gives, so a clipped list can be named (per variable where
    global was asked, or the reverse)."""
    assert_true(got is not None, f"{name} returned None: did you forget the `return` statement?")
    assert_true(isinstance(got, (list, tuple)), f"{name} returned a {type(got).__name__}; it must return a list of arrays, one per gradient.")
    assert_true(len(got) == len(expected), f"{name} returned {len(got)} arrays for {len(expected)} gradients.")
    for what, values in (mistakes or {}).items():
        if all(_close(g, v, rtol, atol) for g, v in zip(got, values)) and not all(
                _close(g, e, rtol, atol) for g, e in zip(got, expected)):
            wrong = next(k for k, (g, e) in enumerate(zip(got, expected)) if not _close(g, e, rtol, atol))
            raise AssertionError(
                f"{name}[{wrong}] is {_fmt(np.asarray(got[wrong]))}, expected {_fmt(np.asarray(expected[wrong]))}: "
                f"your list is exactly what you get when {what}."
            )
    for k, (g, e) in enumerate(zip(got, expected)):
        assert_close(g, e, name=f"{name}[{k}]", rtol=rtol, atol=atol)


def lstm_block_order(layer_class, weights: list, x, expected_sequence, initial_state=None, units: int | None = None) -> str:
    """A sentence naming the order in which *layer_class* reads the four
    column blocks of ``kernel``/``recurrent_kernel``/``bias``, when it is not
    Keras's (i, f, c, o) and another order reproduces *expected_sequence*
    (the outputs of every step); "" otherwise. It runs the learner's own
    layer on the same weights with their blocks moved."""
    kernel, recurrent, bias = (np.asarray(w, dtype=np.float64) for w in weights)
    units = units or recurrent.shape[0]
    expected_sequence = np.asarray(expected_sequence, dtype=np.float64)

    def blocks(w, order):
        parts = np.split(w, 4, axis=-1)
        return np.concatenate([parts[KERAS_GATES.index(g)] for g in order], axis=-1)

    for order in itertools.permutations(KERAS_GATES):
        if order == KERAS_GATES:
            continue
        try:
            layer = layer_class(units, return_sequences=True)
            layer.build(np.shape(x))
            layer.set_weights([blocks(kernel, order), blocks(recurrent, order), blocks(bias, order)])
            out = layer(np.array(x, dtype=np.float64), initial_state=initial_state)
        except Exception:  # noqa: BLE001 - a diagnosis must never raise
            continue
        if _close(out, expected_sequence, 1e-9, 1e-12):
            known = _KNOWN_ORDERS.get(order, "")
            shown = "(" + ", ".join("g" if g == "c" else g for g in order) + ")"
            return (f"Your layer reads the four blocks of columns in the order {shown} — "
                    + ", ".join(_GATE_WORDS[g] for g in order)
                    + (f" — {known}" if known else "")
                    + ". Keras's order is (i, f, g, o): input gate, forget gate, cell candidate, output gate, in the "
                      "columns 0:U, U:2U, 2U:3U and 3U:4U of kernel, recurrent_kernel and bias.")
    return ""


def check_rnn_gradients(layer, x, dout, numerical_gradient: Callable, initial_state=None, case: str = "",
                        rtol: float = 1e-5, atol: float = 1e-7) -> None:
    """The layer's ``backward(dout)`` — ``dx``, every ``grads[key]`` and
    ``d_initial_state`` — against central differences (the notebook's
    ``numerical_gradient``) of ``sum(output * dout)`` through the layer's own
    ``forward``. *dout* has the structure of what forward returns (a tuple
    with None for outputs the loss does not use, when return_state=True).
    *case* describes the situation, e.g. "T = 1, one step"."""
    label = type(layer).__name__
    where = f" ({case})" if case else ""
    douts = tuple(dout) if isinstance(dout, (tuple, list)) else (dout,)
    out = layer(x, initial_state=initial_state)
    dx = call_unmodified(layer.backward, dout, name=f"{label}.backward")
    assert_shape(dx, np.shape(x), f"dx returned by {label}.backward{where}")
    analytic = {"dx": np.array(dx, dtype=np.float64)}
    for key in layer.params:
        analytic[f'grads["{key}"]'] = np.array(layer.grads[key], dtype=np.float64)
    d_init = getattr(layer, "d_initial_state", None)

    def objective(_=None):
        result = layer.forward(x, initial_state=initial_state)
        parts = tuple(result) if isinstance(result, (tuple, list)) else (result,)
        return float(sum(np.sum(p * g) for p, g in zip(parts, douts) if g is not None))

    numeric = {"dx": numerical_gradient(objective, x)}
    for key in layer.params:
        numeric[f'grads["{key}"]'] = numerical_gradient(objective, layer.params[key])
    if initial_state is not None:
        names = ["h0", "c0"]
        for k, state in enumerate(initial_state):
            numeric[f"d_initial_state[{k}] (the gradient of {names[k]})"] = numerical_gradient(objective, state)
            analytic[f"d_initial_state[{k}] (the gradient of {names[k]})"] = (
                None if d_init is None or len(d_init) <= k else np.array(d_init[k], dtype=np.float64))
    for what in numeric:
        got, exp = analytic[what], numeric[what]
        assert_true(got is not None, f"{label}.backward did not provide {what}{where}.")
        try:
            assert_close(got, exp, name=f"{what}{where}", rtol=rtol, atol=atol)
        except AssertionError as failure:
            text = f"{failure} (expected = central differences of sum(output * dout) through your forward)."
            if what == "dx" and got.ndim == 3 and got.shape[1] > 1:
                early_zero = np.allclose(got[:, :-1], 0.0, atol=1e-12)
                early_needed = not np.allclose(exp[:, :-1], 0.0, atol=1e-6)
                if early_zero and early_needed:
                    text += (" Your dx is 0 at every step before the last, where the numerical gradient is not: "
                             "no gradient flows back from step t to step t - 1.")
            raise AssertionError(text) from None
    del out


def assert_raises(fn: Callable, exception: type, message: str) -> None:
    """``fn()`` must raise *exception*; if it returns normally, fail with
    *message*. (NotImplementedError from a stub passes through.)"""
    try:
        fn()
    except exception:
        return
    raise AssertionError(message)
