"""Chapter 5 benchmark: the chapter's NumPy MLP (64-128-10, ReLU, softmax
cross-entropy, mini-batch SGD) against the identical Keras model, on the same
digits split, batch size, epochs and learning rate, on the CPU.

Run:  python benchmarks/mlp_numpy_vs_keras.py [--epochs 20] [--batch-size 32] [--lr 0.5]
Prints time per epoch and test accuracy for both and the NumPy/Keras ratio.
The reference implementation below is the notebook's answer key, kept here
(not in the course package, which holds no answers)."""

from __future__ import annotations

import argparse
import time

import numpy as np

from course.datasets import load_digits_split
from course.kerasenv import import_keras, quiet_tensorflow


# ---- the chapter's NumPy network (same code as the solution notebook) --------
class Dense:
    def __init__(self, W, b):
        self.params = {"W": W, "b": b}
        self.grads = {"W": np.zeros_like(W), "b": np.zeros_like(b)}

    def forward(self, x):
        self.x = x
        return x @ self.params["W"] + self.params["b"]

    def backward(self, dout):
        self.grads["W"] = self.x.T @ dout
        self.grads["b"] = dout.sum(axis=0)
        return dout @ self.params["W"].T


class ReLU:
    params, grads = {}, {}

    def forward(self, x):
        self.mask = x > 0
        return x * self.mask

    def backward(self, dout):
        return dout * self.mask


def softmax_cross_entropy(logits, Y):
    z = logits - logits.max(axis=1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    n = len(logits)
    return -(Y * logp).sum() / n, (np.exp(logp) - Y) / n


def he_normal(fan_in, fan_out, rng):
    return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))


def build_mlp(sizes, rng):
    layers = []
    for k, (m, n) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(Dense(he_normal(m, n, rng), np.zeros(n)))
        if k < len(sizes) - 2:
            layers.append(ReLU())
    return layers


def forward(layers, X):
    for layer in layers:
        X = layer.forward(X)
    return X


def train_epoch(layers, X, Y, batch_size, lr, rng):
    order = rng.permutation(len(X))
    total = 0.0
    for start in range(0, len(X), batch_size):
        idx = order[start:start + batch_size]
        loss, d = softmax_cross_entropy(forward(layers, X[idx]), Y[idx])
        for layer in reversed(layers):
            d = layer.backward(d)
        for layer in layers:
            for k in layer.params:
                layer.params[k] -= lr * layer.grads[k]
        total += loss * len(idx)
    return total / len(X)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--lr", type=float, default=0.5)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--repeats", type=int, default=1)
    args = ap.parse_args()

    d = load_digits_split(seed=4)
    eye = np.eye(10)
    Ytr = eye[d["y_train"]]
    sizes = [64, args.hidden, 10]

    np_times, np_accs, k_times, k_accs = [], [], [], []
    quiet_tensorflow()
    keras = import_keras(seed=0)
    for rep in range(args.repeats):
        layers = build_mlp(sizes, np.random.default_rng(1 + rep))
        init = [(l.params["W"].copy(), l.params["b"].copy()) for l in layers if l.params]
        rng = np.random.default_rng(100 + rep)
        t0 = time.perf_counter()
        for _ in range(args.epochs):
            train_epoch(layers, d["X_train"], Ytr, args.batch_size, args.lr, rng)
        np_times.append((time.perf_counter() - t0) / args.epochs)
        np_accs.append((forward(layers, d["X_test"]).argmax(1) == d["y_test"]).mean())

        model = keras.Sequential([keras.Input((64,)), keras.layers.Dense(args.hidden, activation="relu"),
                                  keras.layers.Dense(10)])
        model.set_weights([w for pair in init for w in pair])
        model.compile(optimizer=keras.optimizers.SGD(args.lr),
                      loss=keras.losses.CategoricalCrossentropy(from_logits=True))
        t0 = time.perf_counter()
        model.fit(d["X_train"], Ytr, batch_size=args.batch_size, epochs=args.epochs, shuffle=True, verbose=0)
        k_times.append((time.perf_counter() - t0) / args.epochs)
        k_accs.append((model.predict(d["X_test"], verbose=0).argmax(1) == d["y_test"]).mean())

    t_np, t_k = float(np.median(np_times)), float(np.median(k_times))
    print(f"digits: {len(Ytr)} training examples, MLP {sizes}, batch {args.batch_size}, "
          f"lr {args.lr}, {args.epochs} epochs, CPU, float64")
    print(f"NumPy : {t_np * 1e3:8.2f} ms/epoch   test accuracy {np.mean(np_accs):.4f}")
    print(f"Keras : {t_k * 1e3:8.2f} ms/epoch   test accuracy {np.mean(k_accs):.4f}  (model.fit incl. its per-epoch overhead)")
    print(f"ratio NumPy/Keras time per epoch: {t_np / t_k:.3f}  (target <= 1.5)")


if __name__ == "__main__":
    main()
