"""Data and plot helpers for Chapter 7 (regularization). Everything ships with
scikit-learn or is generated: nothing is downloaded at run time. No exercise
answers live here."""

from __future__ import annotations

import numpy as np


def _load_digits():
    """scikit-learn's digits (the same numbers as sklearn.datasets.load_digits()),
    read straight from the CSV file that ships with scikit-learn, which avoids
    importing scikit-learn (several seconds) for one small table."""
    import importlib.util
    import os

    package_dir = importlib.util.find_spec("sklearn").submodule_search_locations[0]
    table = np.loadtxt(os.path.join(package_dir, "datasets", "data", "digits.csv.gz"), delimiter=",")
    return table[:, :-1] / 16.0, table[:, -1].astype(np.int64)


def small_digits(n_train: int = 100, n_val: int = 500, seed: int = 0):
    """A deliberately small training set from scikit-learn's 8x8 digits.

    The 1797 images are shuffled with *seed*; the first *n_train* become the
    training set and the next *n_val* the validation set. Pixels are scaled
    to [0, 1].

    Returns ``X_train (n_train, 64), y_train (n_train,), X_val (n_val, 64),
    y_val (n_val,)``: float64 pixels and int64 labels 0..9.
    """
    X, y = _load_digits()
    order = np.random.default_rng(seed).permutation(len(X))
    X, y = X[order], y[order]
    return X[:n_train], y[:n_train], X[n_train:n_train + n_val], y[n_train:n_train + n_val]


def plot_history(ax, history: dict, key: str = "loss", title: str | None = None, best_epoch: int | None = None) -> None:
    """Draw the training and validation curves of *history* (a dict with lists
    ``train_<key>`` and ``val_<key>``, one value per epoch) on *ax*; mark
    *best_epoch* with a dotted vertical line if given."""
    epochs = np.arange(1, len(history[f"train_{key}"]) + 1)
    ax.plot(epochs, history[f"train_{key}"], label=f"training {key}")
    ax.plot(epochs, history[f"val_{key}"], label=f"validation {key}")
    if best_epoch is not None:
        ax.axvline(best_epoch + 1, color="k", ls=":", lw=1.2, label=f"best epoch ({best_epoch + 1})")
    ax.set_xlabel("epoch")
    ax.set_ylabel(key)
    ax.legend()
    if title:
        ax.set_title(title)
