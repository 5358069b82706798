"""Data for Chapter 5: scikit-learn's 8x8 handwritten digits (ships with
scikit-learn, no download), split into train / validation / test sets, and a
helper that draws a grid of digits. No exercise answers live here."""

from __future__ import annotations

import numpy as np


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


def plot_digit_grid(images, titles=None, ncols: int = 8, image_shape=(8, 8), suptitle: str | None = None):
    """Draw flattened digits (n, D) as a grid of images; return the figure."""
    import matplotlib.pyplot as plt

    images = np.asarray(images)
    n = max(len(images), 1)
    nrows = int(np.ceil(n / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(1.2 * ncols, 1.4 * nrows), squeeze=False)
    for k, ax in enumerate(axes.flat):
        ax.axis("off")
        if k < len(images):
            ax.imshow(images[k].reshape(image_shape), cmap="gray_r")
            if titles is not None:
                ax.set_title(titles[k], fontsize=8)
    if suptitle:
        fig.suptitle(suptitle)
    fig.tight_layout()
    return fig
