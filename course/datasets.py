"""Every data set of the course, in one module. Everything is generated or
ships with an installed package (scikit-learn's 8x8 digits): nothing is
downloaded at run time. No exercise answers live here.

| function | chapters | what |
|---|---|---|
| ``logic_gate_inputs``, ``truth_table`` | 1 | the four inputs of a two-input gate and AND/OR/NAND/NOR/XOR targets |
| ``linearly_separable`` | 1 | a 2-D set a line separates with a margin |
| ``load_digits_split`` | 5, 8 | digits (or a local MNIST ``.npz``) split into train/validation/test |
| ``digits_data`` | 6 | digits shuffled and split into training and validation |
| ``small_digits`` | 7 | a deliberately small training set (overfitting) |
| ``SURFACES``, ``bowl``, ``rosenbrock`` | 6 | two 2-D loss surfaces with their gradients |
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

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


def load_digits_split(seed: int = 0, val: float = 0.15, test: float = 0.2,
                      scale: bool = True, path: str | None = None) -> dict:
    """Return the digits as float64 arrays split into three disjoint sets.

    Parameters
    ----------
    seed : the split is a seeded random permutation (the same on every machine)
    val, test : fractions of all examples kept for validation and test
    scale : divide the pixels by their maximum (16 for sklearn's digits, 255 for
        MNIST) so every feature lies in [0, 1]
    path : optional local ``.npz`` file with arrays ``x`` (N, H, W) or (N, D)
        and ``y`` (N,) (or MNIST's ``x_train``/``y_train``), used instead of
        scikit-learn's digits. Nothing is ever downloaded.

    Returns
    -------
    dict with X_train, X_val, X_test of shape (n, D) float64, y_train, y_val,
    y_test of shape (n,) int64 labels, "image_shape" and "max_pixel".
    """
    if path is None:
        from sklearn.datasets import load_digits
        d = load_digits()
        X, y, image_shape, max_pixel = d.data.astype(np.float64), d.target.astype(np.int64), (8, 8), 16.0
    else:
        with np.load(path) as f:
            x = f["x"] if "x" in f else f["x_train"]
            y = (f["y"] if "y" in f else f["y_train"]).astype(np.int64)
        image_shape = tuple(x.shape[1:]) if x.ndim == 3 else (int(np.sqrt(x.shape[1])),) * 2
        X = x.reshape(len(x), -1).astype(np.float64)
        max_pixel = float(X.max())
    if scale:
        X = X / max_pixel
    order = np.random.default_rng(seed).permutation(len(X))
    n_test, n_val = int(round(test * len(X))), int(round(val * len(X)))
    te, va, tr = order[:n_test], order[n_test:n_test + n_val], order[n_test + n_val:]
    return {"X_train": X[tr], "y_train": y[tr], "X_val": X[va], "y_val": y[va],
            "X_test": X[te], "y_test": y[te], "image_shape": image_shape, "max_pixel": max_pixel}


def digits_data(n_train: int = 1000, seed: int = 0):
    """scikit-learn's 8x8 handwritten digits (1797 images, shipped with the
    package), pixels scaled to [0, 1], shuffled with *seed* and split.

    Returns ``X_train (n_train, 64), y_train (n_train,), X_val, y_val``:
    float64 pixels and int64 labels 0..9.
    """
    table = _digits_table()
    X = table[:, :-1] / 16.0
    y = table[:, -1].astype(np.int64)
    order = np.random.default_rng(seed).permutation(len(X))
    X, y = X[order], y[order]
    return X[:n_train], y[:n_train], X[n_train:], y[n_train:]


def _digits_table() -> np.ndarray:
    """The (1797, 65) table behind sklearn.datasets.load_digits (64 pixels, then
    the label), read straight from the file scikit-learn ships: the same numbers,
    without the few seconds that importing sklearn.datasets takes."""
    spec = importlib.util.find_spec("sklearn")
    path = Path(spec.origin).parent / "datasets" / "data" / "digits.csv.gz" if spec and spec.origin else None
    if path is not None and path.is_file():
        return np.loadtxt(path, delimiter=",")
    from sklearn.datasets import load_digits

    digits = load_digits()
    return np.column_stack([digits.data, digits.target]).astype(np.float64)


# ---- two-dimensional test surfaces: f(p) and its gradient, p of shape (2,) ----

def bowl(p):
    """An ill-conditioned quadratic bowl f(x, y) = (x^2 + 25 y^2) / 2 (curvatures 1 and 25)."""
    x, y = p[0], p[1]
    return 0.5 * (x**2 + 25.0 * y**2)


def bowl_grad(p):
    """Gradient of :func:`bowl`, shape (2,)."""
    return np.array([p[0], 25.0 * p[1]])


def rosenbrock(p):
    """Rosenbrock's banana valley f(x, y) = (1 - x)^2 + 100 (y - x^2)^2, minimum 0 at (1, 1)."""
    x, y = p[0], p[1]
    return (1.0 - x) ** 2 + 100.0 * (y - x**2) ** 2


def rosenbrock_grad(p):
    """Gradient of :func:`rosenbrock`, shape (2,)."""
    x, y = p[0], p[1]
    return np.array([-2.0 * (1.0 - x) - 400.0 * x * (y - x**2), 200.0 * (y - x**2)])


SURFACES = {
    "bowl": dict(f=bowl, grad=bowl_grad, start=np.array([-9.0, 1.5]), minimum=np.array([0.0, 0.0]),
                 xlim=(-10.0, 3.0), ylim=(-2.0, 2.0), title="ill-conditioned bowl $(x^2 + 25y^2)/2$"),
    "rosenbrock": dict(f=rosenbrock, grad=rosenbrock_grad, start=np.array([-1.5, 2.0]), minimum=np.array([1.0, 1.0]),
                       xlim=(-2.0, 2.0), ylim=(-1.0, 3.0), title="Rosenbrock $(1-x)^2 + 100(y-x^2)^2$"),
}


def small_digits(n_train: int = 100, n_val: int = 500, seed: int = 0):
    """A deliberately small training set from scikit-learn's 8x8 digits.

    The 1797 images are shuffled with *seed*; the first *n_train* become the
    training set and the next *n_val* the validation set. Pixels are scaled
    to [0, 1].

    Returns ``X_train (n_train, 64), y_train (n_train,), X_val (n_val, 64),
    y_val (n_val,)``: float64 pixels and int64 labels 0..9.
    """
    table = _digits_table()
    X, y = table[:, :-1] / 16.0, table[:, -1].astype(np.int64)
    order = np.random.default_rng(seed).permutation(len(X))
    X, y = X[order], y[order]
    return X[:n_train], y[:n_train], X[n_train:n_train + n_val], y[n_train:n_train + n_val]
