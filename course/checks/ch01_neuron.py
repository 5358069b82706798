"""Checks that belong to Chapter 1 (the neuron). Re-exported as
``checks.<name>``; they hold no answers (the truth tables come from
``course.datasets``; every message states what the numbers show)."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .. import datasets
from .core import _fmt, assert_shape

__all__ = ["check_gate"]

_GATES = ("AND", "OR", "NAND", "NOR", "XOR")


def _corner(x: np.ndarray) -> str:
    return "(" + ", ".join(str(int(v)) for v in x) + ")"


def check_gate(gate_parameters: Callable[[str], Any], gate: str) -> None:
    """Call ``gate_parameters(gate)`` and check that ``step(w . x + b)`` (with
    step(0) = 1) reproduces the gate's truth table on the four inputs
    (0,0), (0,1), (1,0), (1,1). The message names the first wrong input, its
    pre-activation, and what the outputs show (e.g. the bias alone decides the
    corner (0, 0); every output flipped; another gate's truth table)."""
    label = f"gate_parameters({gate!r})"
    result = gate_parameters(gate)
    if result is None:
        raise AssertionError(f"{label} returned None: did you forget the `return` statement?")
    try:
        w, b = result
    except (TypeError, ValueError):
        raise AssertionError(f"{label} must return a pair (w, b), got {type(result).__name__}") from None
    assert_shape(w, (2,), name=f"w from {label}")
    w = np.asarray(w, dtype=np.float64)
    b_arr = np.asarray(b, dtype=np.float64)
    if b_arr.size != 1:
        raise AssertionError(f"b from {label} has shape {b_arr.shape}, expected one number (a float)")
    b = float(b_arr.reshape(()))
    if not (np.all(np.isfinite(w)) and np.isfinite(b)):
        raise AssertionError(f"{label} returned w={_fmt(w)}, b={b!r}: every value must be a finite number")

    X = datasets.logic_gate_inputs()
    z = X @ w + b
    got = (z >= 0).astype(np.float64)
    want = datasets.truth_table(gate)
    if np.array_equal(got, want):
        return
    k = int(np.flatnonzero(got != want)[0])
    text = (
        f"{gate} with w={_fmt(w)}, b={b:g} outputs {[int(v) for v in got]} for the inputs (0,0), (0,1), (1,0), (1,1); "
        f"the truth table is {[int(v) for v in want]}. First wrong input {_corner(X[k])}: z = w . x + b = {z[k]:g}, "
        f"so the output is {int(got[k])}, expected {int(want[k])}."
    )
    if k == 0:
        need = "b >= 0" if want[0] == 1 else "b < 0"
        text += f" At (0, 0) the pre-activation is the bias alone (z = b), so {gate} needs {need}"
        text += " (remember step(0) = 1)." if b == 0 else "."
    elif z[k] == 0:
        text += " That input lies exactly on the line (z = 0), and step(0) = 1 in this course."
    if np.array_equal(got, 1 - want):
        text += " Every output is the opposite of the truth table (negating both w and b flips every output whose z is not 0)."
    else:
        for other in _GATES:
            if other != gate and np.array_equal(got, datasets.truth_table(other)):
                text += f" These outputs are the truth table of {other}."
                break
        else:
            if np.all(got == got[0]):
                text += f" All four corners are on the {int(got[0])}-side of the line."
    raise AssertionError(text)
