"""Correct answers to Chapter 3, written differently from the answer key, as a
strong learner would honestly write them. Each replaces the exercise's
solution cell; a gate runs the FULL graded tests (visible and hidden) and
requires full marks and no stderr. The key is the reason each is correct by
the exercise's text."""

RIGHT = {
    "mean_squared_error": {
        "np.square, then the mean over the last axis, then over the batch (the two steps the text names)": """
            def mean_squared_error(y_true, y_pred):
                sq = np.square(np.asarray(y_pred, dtype=float) - np.asarray(y_true, dtype=float))
                per_example = np.mean(sq, axis=-1) if sq.ndim > 1 else sq
                return float(np.mean(per_example))
        """,
        "a Python loop over every element: sum of squares / number of elements (all examples have C outputs)": """
            def mean_squared_error(y_true, y_pred):
                total, count = 0.0, 0
                for t, p in zip(np.ravel(y_true), np.ravel(y_pred)):
                    total += (float(p) - float(t)) ** 2
                    count += 1
                return total / count
        """,
        "einsum of the flattened error with itself, over its size (y - y_pred, squared, is the same); a NumPy float64": """
            def mean_squared_error(y_true, y_pred):
                e = (np.asarray(y_true, dtype=float) - np.asarray(y_pred, dtype=float)).ravel()
                return np.einsum("i,i->", e, e) / e.size
        """,
    },
    "binary_crossentropy": {
        "np.logaddexp(0, -z) + (1 - y) z for logits (the text's log(1 + e^-z) + (1 - y) z, stably)": """
            def binary_crossentropy(y_true, y_pred, from_logits=False):
                y = np.asarray(y_true, dtype=float)
                out = np.asarray(y_pred, dtype=float)
                if from_logits:
                    return float(np.mean(np.logaddexp(0.0, -out) + (1.0 - y) * out))
                p = np.clip(out, EPSILON, 1.0 - EPSILON)
                return float(np.mean(-y * np.log(p) - (1.0 - y) * np.log1p(-p)))
        """,
        "log-sigmoid of z and of -z with logaddexp, then the probability formula in log space": """
            def binary_crossentropy(y_true, y_pred, from_logits=False):
                y = np.asarray(y_true, dtype=float)
                out = np.asarray(y_pred, dtype=float)
                if from_logits:
                    log_p, log_1mp = -np.logaddexp(0.0, -out), -np.logaddexp(0.0, out)
                else:
                    p = np.minimum(np.maximum(out, EPSILON), 1.0 - EPSILON)
                    log_p, log_1mp = np.log(p), np.log(1.0 - p)
                return float(-np.mean(y * log_p + (1.0 - y) * log_1mp))
        """,
        "element by element in a loop, with the stable form for logits and Python's math module": """
            import math

            def binary_crossentropy(y_true, y_pred, from_logits=False):
                ys, outs = np.ravel(np.asarray(y_true, dtype=float)), np.ravel(np.asarray(y_pred, dtype=float))
                total = 0.0
                for t, o in zip(ys, outs):
                    if from_logits:
                        total += max(o, 0.0) - o * t + math.log1p(math.exp(-abs(o)))
                    else:
                        p = min(max(o, EPSILON), 1.0 - EPSILON)
                        total += -(t * math.log(p) + (1.0 - t) * math.log(1.0 - p))
                return total / len(ys)
        """,
    },
    "categorical_crossentropy": {
        "scipy.special.log_softmax for logits; einsum for the sum over classes and the batch": """
            from scipy.special import log_softmax as _log_softmax

            def categorical_crossentropy(y_true, y_pred, from_logits=False):
                y = np.asarray(y_true, dtype=float)
                out = np.asarray(y_pred, dtype=float)
                if from_logits:
                    log_p = _log_softmax(out, axis=-1)
                else:
                    log_p = np.log(np.clip(out / np.sum(out, axis=-1, keepdims=True), EPSILON, 1.0 - EPSILON))
                return float(-np.einsum("ij,ij->", y, log_p) / y.shape[0])
        """,
        "a loop over the rows, log-sum-exp written per row": """
            def categorical_crossentropy(y_true, y_pred, from_logits=False):
                y = np.asarray(y_true, dtype=float)
                out = np.asarray(y_pred, dtype=float)
                losses = []
                for t, row in zip(y, out):
                    if from_logits:
                        m = row.max()
                        log_p = row - m - np.log(np.exp(row - m).sum())
                    else:
                        log_p = np.log(np.clip(row / row.sum(), EPSILON, 1.0 - EPSILON))
                    losses.append(-(t * log_p).sum())
                return float(sum(losses) / len(losses))
        """,
        "np.logaddexp.reduce for the log-sum-exp, the row sum as a matrix product": """
            def categorical_crossentropy(y_true, y_pred, from_logits=False):
                y = np.asarray(y_true, dtype=float)
                out = np.asarray(y_pred, dtype=float)
                if from_logits:
                    log_p = out - np.logaddexp.reduce(out, axis=-1, keepdims=True)
                else:
                    p = out / (out @ np.ones((out.shape[-1], 1)))
                    log_p = np.log(np.clip(p, EPSILON, 1.0 - EPSILON))
                return float(np.mean(-(y * log_p).sum(axis=-1)))
        """,
    },
    "sparse_categorical_crossentropy": {
        "the categorical loss of Exercise 3.3 on one-hot targets (the text says the two are equal)": """
            def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False):
                out = np.asarray(y_pred, dtype=float)
                one_hot = np.eye(out.shape[-1])[np.asarray(y_true).astype(int)]
                return categorical_crossentropy(one_hot, out, from_logits=from_logits)
        """,
        "np.take_along_axis picks the right class's logit, minus a per-row log-sum-exp": """
            def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False):
                k = np.asarray(y_true).astype(np.int64)[:, None]
                out = np.asarray(y_pred, dtype=float)
                if from_logits:
                    m = np.max(out, axis=1, keepdims=True)
                    lse = m + np.log(np.sum(np.exp(out - m), axis=1, keepdims=True))
                    picked = np.take_along_axis(out, k, axis=1) - lse
                else:
                    p = np.clip(out / out.sum(axis=1, keepdims=True), EPSILON, 1.0 - EPSILON)
                    picked = np.log(np.take_along_axis(p, k, axis=1))
                return float(-picked.mean())
        """,
        "a loop over the examples with Python ints": """
            def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False):
                out = np.asarray(y_pred, dtype=float)
                total = 0.0
                for i, k in enumerate(np.asarray(y_true).tolist()):
                    row = out[i]
                    if from_logits:
                        m = row.max()
                        total -= row[int(k)] - m - np.log(np.sum(np.exp(row - m)))
                    else:
                        total -= np.log(np.clip(row[int(k)] / row.sum(), EPSILON, 1.0 - EPSILON))
                return float(total / len(out))
        """,
    },
    "categorical_crossentropy_grad": {
        "scipy.special.softmax (stable) minus the targets, over the batch size": """
            from scipy.special import softmax as _softmax

            def categorical_crossentropy_grad(y_true, logits):
                z = np.asarray(logits, dtype=float)
                return (_softmax(z, axis=-1) - np.asarray(y_true, dtype=float)) / len(z)
        """,
        "p = exp(z - logsumexp(z)) row by row in a loop": """
            def categorical_crossentropy_grad(y_true, logits):
                z = np.asarray(logits, dtype=float)
                y = np.asarray(y_true, dtype=float)
                grad = np.empty_like(z)
                for i in range(z.shape[0]):
                    lse = np.logaddexp.reduce(z[i])
                    grad[i] = np.exp(z[i] - lse) - y[i]
                return grad / z.shape[0]
        """,
        "the softmax with the maximum subtracted, then (p - y) * (1 / N)": """
            def categorical_crossentropy_grad(y_true, logits):
                z = np.asarray(logits, dtype=float)
                shifted = z - np.amax(z, axis=1)[:, None]
                p = np.exp(shifted)
                p /= p.sum(axis=1)[:, None]
                return (p - y_true) * (1.0 / z.shape[0])
        """,
    },
    "CategoricalCrossentropyFromLogits": {
        "keras.ops.log_softmax, then the sum over classes": """
            class CategoricalCrossentropyFromLogits(keras.losses.Loss):
                def __init__(self, name="my_categorical_crossentropy", **kwargs):
                    super().__init__(name=name, **kwargs)

                def call(self, y_true, y_pred):
                    return -keras.ops.sum(y_true * keras.ops.log_softmax(y_pred, axis=-1), axis=-1)
        """,
        "the max-shifted log-sum-exp by hand: -sum y log p = sum y (lse - z)": """
            class CategoricalCrossentropyFromLogits(keras.losses.Loss):
                def __init__(self, name="my_categorical_crossentropy", **kwargs):
                    super().__init__(name=name, **kwargs)

                def call(self, y_true, y_pred):
                    y_true = keras.ops.cast(y_true, y_pred.dtype)
                    m = keras.ops.max(y_pred, axis=-1, keepdims=True)
                    lse = m + keras.ops.log(keras.ops.sum(keras.ops.exp(y_pred - m), axis=-1, keepdims=True))
                    return keras.ops.sum(y_true * (lse - y_pred), axis=-1)
        """,
        "sum(y) * logsumexp(z) - sum(y z): the same sum, logsumexp without keepdims": """
            class CategoricalCrossentropyFromLogits(keras.losses.Loss):
                def __init__(self, name="my_categorical_crossentropy", **kwargs):
                    super().__init__(name=name, **kwargs)

                def call(self, y_true, y_pred):
                    picked = keras.ops.sum(y_true * y_pred, axis=-1)
                    return keras.ops.sum(y_true, axis=-1) * keras.ops.logsumexp(y_pred, axis=-1) - picked
        """,
    },
}
