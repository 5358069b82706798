"""Wrong answers learners really write in Chapter 3. Each replaces the
exercise's solution cell; the VISIBLE tests alone must reject it (a gate
replays each against the learner version's tests, hidden tests removed)."""

WRONG = {
    "mean_squared_error": {
        "sums over the batch instead of the mean": """
            def mean_squared_error(y_true, y_pred):
                e = (np.asarray(y_pred, float) - np.asarray(y_true, float)) ** 2
                return float(np.sum(np.mean(e.reshape(len(e), -1), axis=-1)))
        """,
        "absolute instead of squared errors": """
            def mean_squared_error(y_true, y_pred):
                return float(np.mean(np.abs(np.asarray(y_pred, float) - np.asarray(y_true, float))))
        """,
        "root mean squared error": """
            def mean_squared_error(y_true, y_pred):
                return float(np.sqrt(np.mean((np.asarray(y_pred, float) - np.asarray(y_true, float)) ** 2)))
        """,
        "sums over the last axis, then the batch mean": """
            def mean_squared_error(y_true, y_pred):
                e = (np.asarray(y_pred, float) - np.asarray(y_true, float)) ** 2
                return float(np.mean(np.sum(e.reshape(len(e), -1), axis=-1)))
        """,
        "one value per example, never reduced over the batch": """
            def mean_squared_error(y_true, y_pred):
                e = (np.asarray(y_pred, float) - np.asarray(y_true, float)) ** 2
                return np.mean(e.reshape(len(e), -1), axis=-1)
        """,
    },
    "binary_crossentropy": {
        "log of an unclipped probability (inf/NaN at p = 0)": """
            def binary_crossentropy(y_true, y_pred, from_logits=False):
                y, out = np.asarray(y_true, float), np.asarray(y_pred, float)
                if from_logits:
                    return float(np.mean(np.maximum(out, 0) - out * y + np.log1p(np.exp(-np.abs(out)))))
                return float(np.mean(-(y * np.log(out) + (1 - y) * np.log(1 - out))))
        """,
        "from logits with an overflowing exp: log(1 + exp(-z))": """
            def binary_crossentropy(y_true, y_pred, from_logits=False):
                y, out = np.asarray(y_true, float), np.asarray(y_pred, float)
                if from_logits:
                    return float(np.mean(np.log(1 + np.exp(-out)) + (1 - y) * out))
                p = np.clip(out, EPSILON, 1 - EPSILON)
                return float(np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p))))
        """,
        "sums over the batch instead of the mean": """
            def binary_crossentropy(y_true, y_pred, from_logits=False):
                y, out = np.asarray(y_true, float), np.asarray(y_pred, float)
                if from_logits:
                    per = np.maximum(out, 0) - out * y + np.log1p(np.exp(-np.abs(out)))
                else:
                    p = np.clip(out, EPSILON, 1 - EPSILON)
                    per = -(y * np.log(p) + (1 - y) * np.log(1 - p))
                return float(np.sum(np.mean(per.reshape(len(per), -1), axis=-1)))
        """,
        "ignores from_logits (treats logits as probabilities)": """
            def binary_crossentropy(y_true, y_pred, from_logits=False):
                y = np.asarray(y_true, float)
                p = np.clip(np.asarray(y_pred, float), EPSILON, 1 - EPSILON)
                return float(np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p))))
        """,
        "forgets the (1 - y) log(1 - p) term": """
            def binary_crossentropy(y_true, y_pred, from_logits=False):
                y, out = np.asarray(y_true, float), np.asarray(y_pred, float)
                p = 1 / (1 + np.exp(-np.clip(out, -500, 500))) if from_logits else out
                p = np.clip(p, EPSILON, 1 - EPSILON)
                return float(np.mean(-y * np.log(p)))
        """,
        "sums over the last axis like categorical cross-entropy (C times too large for (N, C))": """
            def binary_crossentropy(y_true, y_pred, from_logits=False):
                y, out = np.asarray(y_true, float), np.asarray(y_pred, float)
                if from_logits:
                    per = np.maximum(out, 0) - out * y + np.log1p(np.exp(-np.abs(out)))
                else:
                    p = np.clip(out, EPSILON, 1 - EPSILON)
                    per = -(y * np.log(p) + (1 - y) * np.log(1 - p))
                per = per.reshape(len(per), -1)
                return float(np.mean(np.sum(per, axis=-1)))
        """,
        "logits through a sigmoid, then the clipped formula (caps the loss at 16.12)": """
            def binary_crossentropy(y_true, y_pred, from_logits=False):
                y, out = np.asarray(y_true, float), np.asarray(y_pred, float)
                if from_logits:
                    e = np.exp(-np.abs(out))
                    out = np.where(out >= 0, 1 / (1 + e), e / (1 + e))
                p = np.clip(out, EPSILON, 1 - EPSILON)
                return float(np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p))))
        """,
    },
    "categorical_crossentropy": {
        "sums over the batch instead of the mean": """
            def categorical_crossentropy(y_true, y_pred, from_logits=False):
                y, out = np.asarray(y_true, float), np.asarray(y_pred, float)
                if from_logits:
                    m = out.max(axis=-1, keepdims=True)
                    log_p = out - m - np.log(np.exp(out - m).sum(axis=-1, keepdims=True))
                else:
                    log_p = np.log(np.clip(out / out.sum(axis=-1, keepdims=True), EPSILON, 1 - EPSILON))
                return float(-np.sum(y * log_p))
        """,
        "sums over the wrong axis (the batch, axis 0)": """
            def categorical_crossentropy(y_true, y_pred, from_logits=False):
                y, out = np.asarray(y_true, float), np.asarray(y_pred, float)
                if from_logits:
                    m = out.max(axis=-1, keepdims=True)
                    log_p = out - m - np.log(np.exp(out - m).sum(axis=-1, keepdims=True))
                else:
                    log_p = np.log(np.clip(out / out.sum(axis=-1, keepdims=True), EPSILON, 1 - EPSILON))
                return float(np.mean(-np.sum(y * log_p, axis=0)))
        """,
        "log of an unclipped probability (0 * log 0 = NaN)": """
            def categorical_crossentropy(y_true, y_pred, from_logits=False):
                y, out = np.asarray(y_true, float), np.asarray(y_pred, float)
                if from_logits:
                    m = out.max(axis=-1, keepdims=True)
                    log_p = out - m - np.log(np.exp(out - m).sum(axis=-1, keepdims=True))
                else:
                    log_p = np.log(out)
                return float(np.mean(-np.sum(y * log_p, axis=-1)))
        """,
        "softmax without subtracting the maximum (overflows at 1000)": """
            def categorical_crossentropy(y_true, y_pred, from_logits=False):
                y, out = np.asarray(y_true, float), np.asarray(y_pred, float)
                if from_logits:
                    out = np.exp(out) / np.exp(out).sum(axis=-1, keepdims=True)
                log_p = np.log(np.clip(out, EPSILON, 1 - EPSILON))
                return float(np.mean(-np.sum(y * log_p, axis=-1)))
        """,
        "does not rescale rows to sum to 1 before clipping": """
            def categorical_crossentropy(y_true, y_pred, from_logits=False):
                y, out = np.asarray(y_true, float), np.asarray(y_pred, float)
                if from_logits:
                    m = out.max(axis=-1, keepdims=True)
                    log_p = out - m - np.log(np.exp(out - m).sum(axis=-1, keepdims=True))
                else:
                    log_p = np.log(np.clip(out, EPSILON, 1 - EPSILON))
                return float(np.mean(-np.sum(y * log_p, axis=-1)))
        """,
        "clips, then rescales (Keras's sparse order, not its categorical one)": """
            def categorical_crossentropy(y_true, y_pred, from_logits=False):
                y, out = np.asarray(y_true, float), np.asarray(y_pred, float)
                if from_logits:
                    m = out.max(axis=-1, keepdims=True)
                    log_p = out - m - np.log(np.exp(out - m).sum(axis=-1, keepdims=True))
                else:
                    c = np.clip(out, EPSILON, 1 - EPSILON)
                    log_p = np.log(c / c.sum(axis=-1, keepdims=True))
                return float(np.mean(-np.sum(y * log_p, axis=-1)))
        """,
        "mean over the classes too (divides by N * C)": """
            def categorical_crossentropy(y_true, y_pred, from_logits=False):
                y, out = np.asarray(y_true, float), np.asarray(y_pred, float)
                if from_logits:
                    m = out.max(axis=-1, keepdims=True)
                    log_p = out - m - np.log(np.exp(out - m).sum(axis=-1, keepdims=True))
                else:
                    log_p = np.log(np.clip(out, EPSILON, 1 - EPSILON))
                return float(np.mean(-y * log_p))
        """,
    },
    "sparse_categorical_crossentropy": {
        "log_p[:, y] picks an (N, N) block instead of one entry per row": """
            def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False):
                k, out = np.asarray(y_true).astype(int), np.asarray(y_pred, float)
                if from_logits:
                    m = out.max(axis=-1, keepdims=True)
                    log_p = out - m - np.log(np.exp(out - m).sum(axis=-1, keepdims=True))
                else:
                    log_p = np.log(np.clip(out / out.sum(axis=-1, keepdims=True), EPSILON, 1 - EPSILON))
                return float(-np.mean(log_p[:, k]))
        """,
        "sums over the batch instead of the mean": """
            def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False):
                k, out = np.asarray(y_true).astype(int), np.asarray(y_pred, float)
                if from_logits:
                    m = out.max(axis=-1, keepdims=True)
                    log_p = out - m - np.log(np.exp(out - m).sum(axis=-1, keepdims=True))
                else:
                    log_p = np.log(np.clip(out / out.sum(axis=-1, keepdims=True), EPSILON, 1 - EPSILON))
                return float(-np.sum(log_p[np.arange(len(k)), k]))
        """,
        "log of an unclipped probability (inf at p = 0)": """
            def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False):
                k, out = np.asarray(y_true).astype(int), np.asarray(y_pred, float)
                if from_logits:
                    m = out.max(axis=-1, keepdims=True)
                    log_p = out - m - np.log(np.exp(out - m).sum(axis=-1, keepdims=True))
                else:
                    log_p = np.log(out / out.sum(axis=-1, keepdims=True))
                return float(-np.mean(log_p[np.arange(len(k)), k]))
        """,
        "ignores from_logits": """
            def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False):
                k = np.asarray(y_true).astype(int)
                out = np.asarray(y_pred, float)
                log_p = np.log(np.clip(out / out.sum(axis=-1, keepdims=True), EPSILON, 1 - EPSILON))
                return float(-np.mean(log_p[np.arange(len(k)), k]))
        """,
        "clips, then rescales (Keras's own sparse order; the exercise asks for Exercise 3.3's)": """
            def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False):
                k, out = np.asarray(y_true).astype(int), np.asarray(y_pred, float)
                if from_logits:
                    m = out.max(axis=-1, keepdims=True)
                    log_p = out - m - np.log(np.exp(out - m).sum(axis=-1, keepdims=True))
                else:
                    c = np.clip(out, EPSILON, 1 - EPSILON)
                    log_p = np.log(c / c.sum(axis=-1, keepdims=True))
                return float(-np.mean(log_p[np.arange(len(k)), k]))
        """,
        "clips but does not rescale the rows (the old key; Exercise 3.4 says: as in Exercise 3.3)": """
            def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False):
                k, out = np.asarray(y_true).astype(int), np.asarray(y_pred, float)
                if from_logits:
                    m = out.max(axis=-1, keepdims=True)
                    log_p = out - m - np.log(np.exp(out - m).sum(axis=-1, keepdims=True))
                else:
                    log_p = np.log(np.clip(out, EPSILON, 1 - EPSILON))
                return float(-np.mean(log_p[np.arange(len(k)), k]))
        """,
    },
    "categorical_crossentropy_grad": {
        "softmax-CE gradient not divided by N": """
            def categorical_crossentropy_grad(y_true, logits):
                z = np.asarray(logits, float)
                e = np.exp(z - z.max(axis=-1, keepdims=True))
                return e / e.sum(axis=-1, keepdims=True) - y_true
        """,
        "wrong sign: (y - p) / N": """
            def categorical_crossentropy_grad(y_true, logits):
                z = np.asarray(logits, float)
                e = np.exp(z - z.max(axis=-1, keepdims=True))
                return (y_true - e / e.sum(axis=-1, keepdims=True)) / z.shape[0]
        """,
        "softmax without subtracting the maximum (NaN at 1000)": """
            def categorical_crossentropy_grad(y_true, logits):
                z = np.asarray(logits, float)
                e = np.exp(z)
                return (e / e.sum(axis=-1, keepdims=True) - y_true) / z.shape[0]
        """,
        "divides by N * C": """
            def categorical_crossentropy_grad(y_true, logits):
                z = np.asarray(logits, float)
                e = np.exp(z - z.max(axis=-1, keepdims=True))
                return (e / e.sum(axis=-1, keepdims=True) - y_true) / z.size
        """,
        "softmax over the wrong axis (the batch)": """
            def categorical_crossentropy_grad(y_true, logits):
                z = np.asarray(logits, float)
                e = np.exp(z - z.max(axis=0, keepdims=True))
                return (e / e.sum(axis=0, keepdims=True) - y_true) / z.shape[0]
        """,
    },
    "CategoricalCrossentropyFromLogits": {
        "returns the batch sum instead of one loss per example": """
            class CategoricalCrossentropyFromLogits(keras.losses.Loss):
                def __init__(self, name="my_categorical_crossentropy", **kwargs):
                    super().__init__(name=name, **kwargs)

                def call(self, y_true, y_pred):
                    log_p = y_pred - keras.ops.logsumexp(y_pred, axis=-1, keepdims=True)
                    return -keras.ops.sum(y_true * log_p)
        """,
        "sums over the wrong axis (the batch)": """
            class CategoricalCrossentropyFromLogits(keras.losses.Loss):
                def __init__(self, name="my_categorical_crossentropy", **kwargs):
                    super().__init__(name=name, **kwargs)

                def call(self, y_true, y_pred):
                    log_p = y_pred - keras.ops.logsumexp(y_pred, axis=-1, keepdims=True)
                    return -keras.ops.sum(y_true * log_p, axis=0)
        """,
        "log of softmax computed naively (overflows at 1000)": """
            class CategoricalCrossentropyFromLogits(keras.losses.Loss):
                def __init__(self, name="my_categorical_crossentropy", **kwargs):
                    super().__init__(name=name, **kwargs)

                def call(self, y_true, y_pred):
                    e = keras.ops.exp(y_pred)
                    return -keras.ops.sum(y_true * keras.ops.log(e / keras.ops.sum(e, axis=-1, keepdims=True)), axis=-1)
        """,
        "returns the batch mean inside call (the base class then cannot weight examples)": """
            class CategoricalCrossentropyFromLogits(keras.losses.Loss):
                def __init__(self, name="my_categorical_crossentropy", **kwargs):
                    super().__init__(name=name, **kwargs)

                def call(self, y_true, y_pred):
                    log_p = y_pred - keras.ops.logsumexp(y_pred, axis=-1, keepdims=True)
                    return keras.ops.mean(-keras.ops.sum(y_true * log_p, axis=-1))
        """,
        "NumPy inside call (right eagerly, fails inside model.fit's traced graph)": """
            class CategoricalCrossentropyFromLogits(keras.losses.Loss):
                def __init__(self, name="my_categorical_crossentropy", **kwargs):
                    super().__init__(name=name, **kwargs)

                def call(self, y_true, y_pred):
                    z, y = np.asarray(y_pred), np.asarray(y_true)
                    m = z.max(axis=-1, keepdims=True)
                    log_p = z - m - np.log(np.exp(z - m).sum(axis=-1, keepdims=True))
                    return -np.sum(y * log_p, axis=-1)
        """,
        "treats the logits as probabilities": """
            class CategoricalCrossentropyFromLogits(keras.losses.Loss):
                def __init__(self, name="my_categorical_crossentropy", **kwargs):
                    super().__init__(name=name, **kwargs)

                def call(self, y_true, y_pred):
                    p = keras.ops.clip(y_pred, 1e-7, 1 - 1e-7)
                    return -keras.ops.sum(y_true * keras.ops.log(p), axis=-1)
        """,
    },
}
