"""Data and test surfaces for Chapter 6 (optimizers). Everything is generated
or ships with scikit-learn: nothing is downloaded at run time."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np


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


def draw_contours(ax, name: str, levels: int = 25) -> None:
    """Log-spaced contour lines of a surface of :data:`SURFACES`, its minimum
    marked with a star, axes labelled."""
    s = SURFACES[name]
    gx, gy = np.meshgrid(np.linspace(*s["xlim"], 300), np.linspace(*s["ylim"], 300))
    z = s["f"](np.stack([gx, gy]))
    ax.contour(gx, gy, z, levels=np.geomspace(max(z.min(), 1e-3), z.max(), levels), colors="0.7", linewidths=0.7)
    ax.plot(*s["minimum"], "k*", ms=12, zorder=5)
    ax.set_xlim(*s["xlim"])
    ax.set_ylim(*s["ylim"])
    ax.set_xlabel("$x$")
    ax.set_ylabel("$y$")
