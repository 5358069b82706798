"""Plotting helpers shared by the chapters: one look for every figure."""

from __future__ import annotations

from typing import Callable

import matplotlib.pyplot as plt
import numpy as np

FIGSIZE = (6.4, 4.4)
WIDE = (11.0, 4.2)
CLASS_COLORS = ("#d62728", "#1f77b4")  # class 0 red, class 1 blue


def use_course_style() -> None:
    """A consistent, projector-friendly matplotlib style."""
    plt.rcParams.update(
        {
            "figure.figsize": FIGSIZE,
            "figure.dpi": 100,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.titlesize": 12,
            "axes.labelsize": 11,
            "legend.fontsize": 10,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )


def scatter_classes(ax, X: np.ndarray, y: np.ndarray, labels=("class 0", "class 1"), s: int = 40) -> None:
    """Scatter 2-D points coloured by a 0/1 label."""
    for cls, color, label in zip((0, 1), CLASS_COLORS, labels):
        mask = np.asarray(y).ravel() == cls
        ax.scatter(X[mask, 0], X[mask, 1], c=color, s=s, label=label, edgecolors="k", linewidths=0.5, zorder=3)


def decision_regions(
    ax,
    predict: Callable[[np.ndarray], np.ndarray],
    X: np.ndarray,
    y: np.ndarray | None = None,
    padding: float = 0.5,
    resolution: int = 300,
) -> None:
    """Shade the plane by ``predict(points) -> 0/1`` and overlay the data."""
    x0_min, x1_min = X.min(axis=0) - padding
    x0_max, x1_max = X.max(axis=0) + padding
    g0, g1 = np.meshgrid(np.linspace(x0_min, x0_max, resolution), np.linspace(x1_min, x1_max, resolution))
    grid = np.column_stack([g0.ravel(), g1.ravel()])
    z = np.asarray(predict(grid), dtype=float).reshape(g0.shape)
    ax.contourf(g0, g1, z, levels=[-0.5, 0.5, 1.5], colors=[CLASS_COLORS[0], CLASS_COLORS[1]], alpha=0.15)
    ax.contour(g0, g1, z, levels=[0.5], colors="k", linewidths=1.5)
    if y is not None:
        scatter_classes(ax, X, y)
    ax.set_xlim(x0_min, x0_max)
    ax.set_ylim(x1_min, x1_max)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")


def plot_digit_grid(images, titles=None, ncols: int = 8, image_shape=(8, 8), suptitle: str | None = None):
    """Draw flattened digits (n, D) as a grid of images; return the figure."""
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


def draw_contours(ax, name: str, levels: int = 25) -> None:
    """Log-spaced contour lines of a surface of :data:`course.datasets.SURFACES`, its minimum
    marked with a star, axes labelled."""
    from course.datasets import SURFACES

    s = SURFACES[name]
    gx, gy = np.meshgrid(np.linspace(*s["xlim"], 300), np.linspace(*s["ylim"], 300))
    z = s["f"](np.stack([gx, gy]))
    ax.contour(gx, gy, z, levels=np.geomspace(max(z.min(), 1e-3), z.max(), levels), colors="0.7", linewidths=0.7)
    ax.plot(*s["minimum"], "k*", ms=12, zorder=5)
    ax.set_xlim(*s["xlim"])
    ax.set_ylim(*s["ylim"])
    ax.set_xlabel("$x$")
    ax.set_ylabel("$y$")


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
