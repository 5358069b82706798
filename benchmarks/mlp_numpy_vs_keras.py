"""Chapter 5 benchmark: the chapter's NumPy MLP (64-128-10, ReLU, softmax
cross-entropy, mini-batch SGD) against the identical Keras model, on the same
digits split, batch size, epochs and learning rate, on the CPU.

Run:  python benchmarks/mlp_numpy_vs_keras.py [--epochs 20] [--batch-size 32] [--lr 0.5]
Prints time per epoch and test accuracy for both and the NumPy/Keras ratio.
The network below is a copy of the answer keys (Chapter 4's layers and loss,
Chapter 5's exercises) on the course library's nn.Sequential and nn.Optimizer,
kept here: the course package holds no answers. Both models start from the same
He-normal weights; NumPy draws a fresh permutation every epoch, Keras's fit
(seeded by import_keras) reuses one permutation, see the chapter's Section 13."""

from __future__ import annotations

import argparse
import time

import numpy as np

from course import nn
from course.datasets import load_digits_split
from course.kerasenv import import_keras, quiet_tensorflow


# ---- the chapter's NumPy network (a copy of the answer keys: Chapter 4's Dense,
# ReLU and CategoricalCrossentropy, Chapter 5's he_normal, sgd, iterate_minibatches
# and train_epoch), on the course library's nn.Layer / nn.Sequential / nn.Optimizer
class Dense(nn.Layer):
    def __init__(self, units, kernel_initializer="glorot_uniform", bias_initializer="zeros", seed=None):
        super().__init__()
        self.units = int(units)
        self.kernel_initializer, self.bias_initializer, self.seed = kernel_initializer, bias_initializer, seed

    def build(self, input_shape):
        rng = nn.rng_from(self.seed)
        self.params["kernel"] = nn.get_initializer(self.kernel_initializer)((input_shape[-1], self.units), rng)
        self.params["bias"] = nn.get_initializer(self.bias_initializer)((self.units,), rng)
        self.grads = {key: np.zeros_like(value) for key, value in self.params.items()}
        self.built = True

    def forward(self, x, training=False):
        self.x = x
        return x @ self.params["kernel"] + self.params["bias"]

    def backward(self, dout):
        self.grads["kernel"] = self.x.T @ dout
        self.grads["bias"] = dout.sum(axis=0)
        return dout @ self.params["kernel"].T


class ReLU(nn.Layer):
    def forward(self, x, training=False):
        self.x = x
        return np.maximum(0.0, x)

    def backward(self, dout):
        return dout * (self.x > 0)


class CategoricalCrossentropy(nn.Loss):
    """from_logits=True only (what the network uses)."""

    def forward(self, y_true, y_pred):
        self.y_true = y_true
        z = y_pred - y_pred.max(axis=-1, keepdims=True)
        log_p = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
        self.p = np.exp(log_p)
        return float(-np.sum(y_true * log_p) / y_pred.shape[0])

    def backward(self):
        return (self.p - self.y_true) / self.y_true.shape[0]


def he_normal(shape, seed=None):
    return nn.rng_from(seed).normal(0.0, np.sqrt(2.0 / shape[0]), size=shape)


def sgd(param, grad, state=None, learning_rate=0.01):
    return param - learning_rate * grad, state


def iterate_minibatches(X, Y, batch_size, seed=None):
    order = nn.rng_from(seed).permutation(len(X))
    return [(X[order[s:s + batch_size]], Y[order[s:s + batch_size]]) for s in range(0, len(X), batch_size)]


def train_epoch(model, loss, optimizer, X, Y, batch_size=32, seed=None):
    total = 0.0
    for X_batch, Y_batch in iterate_minibatches(X, Y, batch_size, seed):
        total += loss(Y_batch, model(X_batch, training=True)) * len(X_batch)
        model.backward(loss.backward())
        optimizer.apply(model)
    return total / len(X)


def build_mlp(units, input_dim, seed):
    rng = nn.rng_from(seed)
    layers = []
    for k, n in enumerate(units):
        layers.append(Dense(n, kernel_initializer=he_normal, seed=rng))
        if k < len(units) - 1:
            layers.append(ReLU())
    model = nn.Sequential(layers)
    model(np.zeros((1, input_dim)))
    return model


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
        model = build_mlp((args.hidden, 10), 64, seed=1 + rep)
        init = model.get_weights()
        loss, optimizer = CategoricalCrossentropy(), nn.Optimizer(sgd, learning_rate=args.lr)
        shuffle = nn.rng_from(100 + rep)
        t0 = time.perf_counter()
        for _ in range(args.epochs):
            train_epoch(model, loss, optimizer, d["X_train"], Ytr, args.batch_size, shuffle)
        np_times.append((time.perf_counter() - t0) / args.epochs)
        np_accs.append((model.predict(d["X_test"]).argmax(1) == d["y_test"]).mean())

        keras_model = keras.Sequential([keras.Input((64,)), keras.layers.Dense(args.hidden, activation="relu"),
                                        keras.layers.Dense(10)])
        keras_model.set_weights(init)
        keras_model.compile(optimizer=keras.optimizers.SGD(learning_rate=args.lr),
                            loss=keras.losses.CategoricalCrossentropy(from_logits=True))
        t0 = time.perf_counter()
        keras_model.fit(d["X_train"], Ytr, batch_size=args.batch_size, epochs=args.epochs, shuffle=True, verbose=0)
        k_times.append((time.perf_counter() - t0) / args.epochs)
        k_accs.append((keras_model.predict(d["X_test"], verbose=0).argmax(1) == d["y_test"]).mean())

    t_np, t_k = float(np.median(np_times)), float(np.median(k_times))
    print(f"digits: {len(Ytr)} training examples, MLP {sizes}, batch {args.batch_size}, "
          f"lr {args.lr}, {args.epochs} epochs, CPU, float64")
    print(f"NumPy : {t_np * 1e3:8.2f} ms/epoch   test accuracy {np.mean(np_accs):.4f}")
    print(f"Keras : {t_k * 1e3:8.2f} ms/epoch   test accuracy {np.mean(k_accs):.4f}  (model.fit incl. its per-epoch overhead)")
    print(f"ratio NumPy/Keras time per epoch: {t_np / t_k:.3f}  (target <= 1.5)")


if __name__ == "__main__":
    main()
