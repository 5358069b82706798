"""Data sets for the chapters. Everything is generated or ships with an
installed package: nothing is downloaded at run time."""

from __future__ import annotations

import numpy as np


def logic_gate_inputs() -> np.ndarray:
    """The four inputs of a two-input truth table, shape (4, 2), float64."""
    return np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])


def truth_table(gate: str) -> np.ndarray:
    """Targets of AND, OR, NAND, NOR or XOR over :func:`logic_gate_inputs`, shape (4,)."""
    a, b = logic_gate_inputs().T.astype(bool)
    table = {
        "AND": a & b,
        "OR": a | b,
        "NAND": ~(a & b),
        "NOR": ~(a | b),
        "XOR": a ^ b,
    }
    try:
        return table[gate.upper()].astype(np.float64)
    except KeyError:
        raise ValueError(f"unknown gate {gate!r}; choose from {sorted(table)}") from None


def linearly_separable(n: int = 100, seed: int = 0, margin: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    """A 2-D data set that a line separates with a gap of at least *margin*.

    Returns ``X`` of shape (n, 2) and labels ``y`` in {0., 1.} of shape (n,).
    Points are drawn uniformly in [-3, 3]^2 and kept only if they lie at least
    ``margin/2`` from the true boundary ``x1 + 0.5*x2 = 0.5``; the two classes
    are the two sides. Deterministic for a given seed.
    """
    rng = np.random.default_rng(seed)
    w_true = np.array([1.0, 0.5])
    b_true = -0.5
    points = []
    while len(points) < n:
        p = rng.uniform(-3, 3, size=2)
        dist = (p @ w_true + b_true) / np.linalg.norm(w_true)
        if abs(dist) >= margin / 2:
            points.append(p)
    X = np.array(points)
    y = (X @ w_true + b_true > 0).astype(np.float64)
    return X, y
