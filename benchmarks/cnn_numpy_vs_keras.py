"""Chapter 8 benchmark: the chapter's NumPy convolution (the loops of
Exercise 8.2 and the im2col version of Exercise 8.3, each with its backward
pass) against Keras's Conv2D on the same batch, forward and backward; then an
epoch of the chapter's NumPy CNN against an epoch of Keras's ``model.fit`` on
the same digits, architecture, initial weights, optimizer and batch size.

Run:  python benchmarks/cnn_numpy_vs_keras.py [--repeats 5] [--epochs 15] [--blas-threads 1]
Prints milliseconds and ratios. Timings are the best of --repeats runs (the
loops: one run). The reference implementation below is the notebook's answer
key, kept here (not in the course package, which holds no answers)."""

from __future__ import annotations

import argparse
import time

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from threadpoolctl import threadpool_limits

from course import nn
from course.datasets import load_digits_split
from course.kerasenv import import_keras, quiet_tensorflow


# ---- the chapter's NumPy code (same as the answer key) ------------------------------

def same_padding(n, k, s=1):
    out = -(-n // s)
    total = max((out - 1) * s + k - n, 0)
    return total // 2, total - total // 2


def pad_input(x, kernel_size, strides=1, padding="valid", value=0.0):
    if padding == "valid":
        return x
    (t, b), (l, r) = same_padding(x.shape[1], kernel_size[0], strides), same_padding(x.shape[2], kernel_size[1], strides)
    return np.pad(x, ((0, 0), (t, b), (l, r), (0, 0)), constant_values=value)


def conv2d_naive(x, kernel, bias, strides=1, padding="valid"):
    N = x.shape[0]
    kh, kw, _, F = kernel.shape
    xp = pad_input(x, (kh, kw), strides, padding)
    Ho, Wo = (xp.shape[1] - kh) // strides + 1, (xp.shape[2] - kw) // strides + 1
    out = np.zeros((N, Ho, Wo, F))
    for n in range(N):
        for i in range(Ho):
            for j in range(Wo):
                window = xp[n, i * strides:i * strides + kh, j * strides:j * strides + kw, :]
                for f in range(F):
                    out[n, i, j, f] = np.sum(window * kernel[:, :, :, f]) + bias[f]
    return out


def conv2d_naive_backward(dout, x, kernel, strides=1, padding="valid"):
    N, H, W, _ = x.shape
    kh, kw, _, F = kernel.shape
    xp = pad_input(x, (kh, kw), strides, padding)
    dxp, dkernel = np.zeros(xp.shape), np.zeros(kernel.shape)
    for n in range(N):
        for i in range(dout.shape[1]):
            for j in range(dout.shape[2]):
                r, c = i * strides, j * strides
                for f in range(F):
                    dkernel[:, :, :, f] += xp[n, r:r + kh, c:c + kw, :] * dout[n, i, j, f]
                    dxp[n, r:r + kh, c:c + kw, :] += kernel[:, :, :, f] * dout[n, i, j, f]
    top = same_padding(H, kh, strides)[0] if padding == "same" else 0
    left = same_padding(W, kw, strides)[0] if padding == "same" else 0
    return dxp[:, top:top + H, left:left + W, :], dkernel, dout.sum(axis=(0, 1, 2))


def conv2d(x, kernel, bias, strides=1, padding="valid"):
    kh, kw, C, F = kernel.shape
    xp = pad_input(x, (kh, kw), strides, padding)
    windows = sliding_window_view(xp, (kh, kw), axis=(1, 2))[:, ::strides, ::strides]
    N, Ho, Wo = windows.shape[:3]
    patches = windows.transpose(0, 1, 2, 4, 5, 3).reshape(N, Ho, Wo, kh * kw * C)
    return patches @ kernel.reshape(kh * kw * C, F) + bias


def conv2d_backward(dout, x, kernel, strides=1, padding="valid"):
    N, H, W, _ = x.shape
    kh, kw, C, F = kernel.shape
    xp = pad_input(x, (kh, kw), strides, padding)
    windows = sliding_window_view(xp, (kh, kw), axis=(1, 2))[:, ::strides, ::strides]
    Ho, Wo = windows.shape[1:3]
    patches = windows.transpose(0, 1, 2, 4, 5, 3).reshape(N * Ho * Wo, kh * kw * C)
    G = dout.reshape(N * Ho * Wo, F)
    dkernel = (patches.T @ G).reshape(kh, kw, C, F)
    dpatches = (G @ kernel.reshape(kh * kw * C, F).T).reshape(N, Ho, Wo, kh, kw, C)
    dxp = np.zeros(xp.shape)
    for a in range(kh):
        for b in range(kw):
            dxp[:, a:a + strides * (Ho - 1) + 1:strides, b:b + strides * (Wo - 1) + 1:strides, :] += dpatches[:, :, :, a, b, :]
    top = same_padding(H, kh, strides)[0] if padding == "same" else 0
    left = same_padding(W, kw, strides)[0] if padding == "same" else 0
    return dxp[:, top:top + H, left:left + W, :], dkernel, G.sum(axis=0)


class Conv2D(nn.Layer):
    def __init__(self, filters, kernel_size, strides=1, padding="valid", seed=None):
        super().__init__()
        self.filters, self.kernel_size, self.strides, self.padding, self.seed = filters, (kernel_size, kernel_size), strides, padding, seed

    def build(self, input_shape):
        self.params["kernel"] = nn.glorot_uniform((*self.kernel_size, input_shape[-1], self.filters), self.seed)
        self.params["bias"] = np.zeros(self.filters)
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}
        self.built = True

    def forward(self, x, training=False):
        self.x = x
        return conv2d(x, self.params["kernel"], self.params["bias"], self.strides, self.padding)

    def backward(self, dout):
        dx, self.grads["kernel"], self.grads["bias"] = conv2d_backward(dout, self.x, self.params["kernel"], self.strides, self.padding)
        return dx


class MaxPooling2D(nn.Layer):
    def __init__(self, pool_size=2):
        super().__init__()
        self.p = pool_size

    def forward(self, x, training=False):
        p = self.p
        windows = sliding_window_view(x, (p, p), axis=(1, 2))[:, ::p, ::p]
        flat = windows.reshape(*windows.shape[:4], p * p)
        self.argmax, self.shape = flat.argmax(axis=-1), x.shape
        return flat.max(axis=-1)

    def backward(self, dout):
        p = self.p
        a, b = np.divmod(self.argmax, p)
        n, i, j, c = np.indices(dout.shape)
        dx = np.zeros(self.shape)
        np.add.at(dx, (n, i * p + a, j * p + b, c), dout)
        return dx


class Flatten(nn.Layer):
    def forward(self, x, training=False):
        self.shape = x.shape
        return x.reshape(len(x), -1)

    def backward(self, dout):
        return dout.reshape(self.shape)


class ReLU(nn.Layer):
    def forward(self, x, training=False):
        self.x = x
        return np.maximum(0.0, x)

    def backward(self, dout):
        return dout * (self.x > 0)


class Dense(nn.Layer):
    def __init__(self, units, seed=None):
        super().__init__()
        self.units, self.seed = units, seed

    def build(self, input_shape):
        self.params["kernel"] = nn.glorot_uniform((input_shape[-1], self.units), self.seed)
        self.params["bias"] = np.zeros(self.units)
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}
        self.built = True

    def forward(self, x, training=False):
        self.x = x
        return x @ self.params["kernel"] + self.params["bias"]

    def backward(self, dout):
        self.grads["kernel"], self.grads["bias"] = self.x.T @ dout, dout.sum(axis=0)
        return dout @ self.params["kernel"].T


def softmax_cross_entropy(logits, Y):
    z = logits - logits.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return float(-(Y * log_p).sum() / len(Y)), (np.exp(log_p) - Y) / len(Y)


def adam(param, grad, state=None, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    if state is None:
        state = {"m": np.zeros_like(param), "v": np.zeros_like(param), "t": 0}
    t = state["t"] + 1
    m = beta_1 * state["m"] + (1.0 - beta_1) * grad
    v = beta_2 * state["v"] + (1.0 - beta_2) * grad**2
    alpha = learning_rate * np.sqrt(1.0 - beta_2**t) / (1.0 - beta_1**t)
    return param - alpha * m / (np.sqrt(v) + epsilon), {"m": m, "v": v, "t": t}


def build_cnn(seed=1):
    rng = nn.rng_from(seed)
    model = nn.Sequential([Conv2D(16, 3, padding="same", seed=rng), ReLU(), MaxPooling2D(2),
                           Conv2D(32, 3, padding="same", seed=rng), ReLU(), MaxPooling2D(2), Flatten(), Dense(10, seed=rng)])
    model(np.zeros((1, 8, 8, 1)))
    return model


# ---- timing helpers --------------------------------------------------------------------

def best_of(fn, repeats):
    best = np.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def conv_benchmark(keras, tf, shape, kshape, padding, repeats):
    rng = np.random.default_rng(0)
    x, kernel, bias = rng.normal(size=shape), rng.normal(size=kshape), rng.normal(size=kshape[-1])
    out = conv2d(x, kernel, bias, 1, padding)
    G = rng.normal(size=out.shape)

    layer = keras.layers.Conv2D(kshape[-1], kshape[:2], padding=padding)
    layer.build((None, *shape[1:]))
    layer.set_weights([kernel, bias])
    x_tf, G_tf = tf.constant(x), tf.constant(G)

    @tf.function
    def keras_step(xv):
        with tf.GradientTape() as tape:
            tape.watch(xv)
            loss = tf.reduce_sum(layer(xv) * G_tf)
        return tape.gradient(loss, [xv, layer.kernel, layer.bias])

    def numpy_step():
        conv2d(x, kernel, bias, 1, padding)
        return conv2d_backward(G, x, kernel, 1, padding)

    def naive_step():
        conv2d_naive(x, kernel, bias, 1, padding)
        return conv2d_naive_backward(G, x, kernel, 1, padding)

    # the three compute the same numbers
    grads_np, grads_tf = numpy_step(), [g.numpy() for g in keras_step(x_tf)]
    diff = max(np.abs(a - b).max() for a, b in zip(grads_np, grads_tf))
    diff = max(diff, np.abs(conv2d_naive(x[:2], kernel, bias, 1, padding) - out[:2]).max())
    t_naive = best_of(naive_step, 1)
    t_numpy = best_of(numpy_step, repeats)
    t_keras = best_of(lambda: [g.numpy() for g in keras_step(x_tf)], repeats)
    return t_naive, t_numpy, t_keras, diff


def epoch_benchmark(keras, epochs, batch_size, learning_rate):
    data = load_digits_split(seed=4)
    X, y = data["X_train"].reshape(-1, 8, 8, 1), data["y_train"]
    Y = np.eye(10)[y]
    X_test, y_test = data["X_test"].reshape(-1, 8, 8, 1), data["y_test"]

    model = build_cnn()
    initial = model.get_weights()
    optimizer = nn.Optimizer(adam, learning_rate=learning_rate)
    rng = np.random.default_rng(100)
    per_epoch = []
    for _ in range(epochs):
        t0 = time.perf_counter()
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            idx = order[start:start + batch_size]
            _, d = softmax_cross_entropy(model(X[idx], training=True), Y[idx])
            model.backward(d)
            optimizer.apply(model)
        per_epoch.append(time.perf_counter() - t0)
    acc_np = float(np.mean(model.predict(X_test).argmax(axis=1) == y_test))

    kmodel = keras.Sequential([
        keras.Input((8, 8, 1)),
        keras.layers.Conv2D(16, 3, padding="same", activation="relu"), keras.layers.MaxPooling2D(2),
        keras.layers.Conv2D(32, 3, padding="same", activation="relu"), keras.layers.MaxPooling2D(2),
        keras.layers.Flatten(), keras.layers.Dense(10)])
    kmodel.set_weights(initial)
    kmodel.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
                   loss=keras.losses.CategoricalCrossentropy(from_logits=True))

    class Timer(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.t0 = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            keras_epochs.append(time.perf_counter() - self.t0)

    keras_epochs: list[float] = []
    t0 = time.perf_counter()
    kmodel.fit(X, Y, batch_size=batch_size, epochs=epochs, shuffle=True, verbose=0, callbacks=[Timer()])
    keras_total = time.perf_counter() - t0
    acc_keras = float(np.mean(kmodel.predict(X_test, verbose=0).argmax(axis=1) == y_test))
    return per_epoch, acc_np, keras_epochs, keras_total, acc_keras


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=0.003)
    parser.add_argument("--blas-threads", type=int, default=1, help="NumPy's BLAS threads (the notebook uses 1)")
    args = parser.parse_args()

    quiet_tensorflow()
    keras = import_keras(seed=0)
    import tensorflow as tf

    with threadpool_limits(args.blas_threads, user_api="blas"):
        print("Conv2D forward + backward (dx, dkernel, dbias) on one batch, float64, CPU; ms (best of "
              f"{args.repeats}; loops: 1 run)")
        print(f"{'input':>18s} {'kernel':>14s} {'padding':>7s} {'loops':>10s} {'im2col':>9s} {'Keras':>9s} "
              f"{'loops/im2col':>13s} {'im2col/Keras':>13s} {'max |diff|':>10s}")
        for shape, kshape, padding in (((32, 8, 8, 1), (3, 3, 1, 16), "same"), ((32, 4, 4, 16), (3, 3, 16, 32), "same"),
                                       ((32, 28, 28, 8), (3, 3, 8, 16), "same"), ((64, 32, 32, 32), (3, 3, 32, 64), "valid")):
            if shape[1] * shape[2] * shape[0] * kshape[-1] > 3_000_000:
                t_naive = np.nan
                _, t_np, t_k, diff = conv_benchmark(keras, tf, (2, *shape[1:]), kshape, padding, 1)   # check only
                rng = np.random.default_rng(0)
                x, kernel, bias = rng.normal(size=shape), rng.normal(size=kshape), rng.normal(size=kshape[-1])
                G = rng.normal(size=conv2d(x, kernel, bias, 1, padding).shape)
                t_np = best_of(lambda: (conv2d(x, kernel, bias, 1, padding), conv2d_backward(G, x, kernel, 1, padding)), args.repeats)
                layer = keras.layers.Conv2D(kshape[-1], 3, padding=padding)
                layer.build((None, *shape[1:]))
                x_tf, G_tf = tf.constant(x), tf.constant(G)

                @tf.function
                def step(xv):
                    with tf.GradientTape() as tape:
                        tape.watch(xv)
                        loss = tf.reduce_sum(layer(xv) * G_tf)
                    return tape.gradient(loss, [xv, layer.kernel, layer.bias])

                step(x_tf)
                t_k = best_of(lambda: [g.numpy() for g in step(x_tf)], args.repeats)
            else:
                t_naive, t_np, t_k, diff = conv_benchmark(keras, tf, shape, kshape, padding, args.repeats)
            naive = f"{t_naive * 1e3:10.1f}" if np.isfinite(t_naive) else f"{'(skipped)':>10s}"
            ratio = f"{t_naive / t_np:13.0f}" if np.isfinite(t_naive) else f"{'':>13s}"
            print(f"{str(shape):>18s} {str(kshape):>14s} {padding:>7s} {naive} {t_np * 1e3:9.2f} {t_k * 1e3:9.2f} "
                  f"{ratio} {t_np / t_k:13.2f} {diff:10.1e}")

        print(f"\nThe chapter's CNN on the digits (1,168 training images, batch {args.batch_size}, Adam "
              f"lr {args.lr}, {args.epochs} epochs, same initial weights):")
        per_epoch, acc_np, keras_epochs, keras_total, acc_keras = epoch_benchmark(keras, args.epochs, args.batch_size, args.lr)
    np_med, k_med = float(np.median(per_epoch)), float(np.median(keras_epochs[1:]))
    print(f"NumPy: {np_med * 1e3:.0f} ms per epoch (median), test accuracy {acc_np:.4f}")
    print(f"Keras model.fit: {k_med * 1e3:.0f} ms per epoch (median of epochs 2-{args.epochs}), first epoch "
          f"{keras_epochs[0] * 1e3:.0f} ms (tracing), {keras_total / args.epochs * 1e3:.0f} ms per epoch over the whole fit call; "
          f"test accuracy {acc_keras:.4f}")
    print(f"ratio NumPy / Keras per epoch: {np_med / k_med:.2f} (steady state), {np_med * args.epochs / keras_total:.2f} (whole fit call)")


if __name__ == "__main__":
    main()
