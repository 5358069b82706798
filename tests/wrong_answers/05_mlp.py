"""Wrong answers learners really write in Chapter 5. Each replaces the
exercise's solution cell; the graded tests must take points away from it."""

WRONG = {
    "one_hot": {
        "off by one (labels treated as 1-based)": """
            def one_hot(y, num_classes):
                return np.eye(num_classes)[np.asarray(y) - 1]
        """,
        "number of classes taken from the labels": """
            def one_hot(y, num_classes):
                return np.eye(int(np.max(y)) + 1)[y]
        """,
        "transposed: shape (C, N)": """
            def one_hot(y, num_classes):
                return np.eye(num_classes)[y].T
        """,
        "integer dtype": """
            def one_hot(y, num_classes):
                return np.eye(num_classes, dtype=int)[y]
        """,
    },
    "iterate_minibatches": {
        "never shuffles": """
            def iterate_minibatches(X, Y, batch_size, rng):
                return [(X[s:s + batch_size], Y[s:s + batch_size]) for s in range(0, len(X), batch_size)]
        """,
        "drops the last, smaller batch": """
            def iterate_minibatches(X, Y, batch_size, rng):
                order = rng.permutation(len(X))
                return [(X[order[s:s + batch_size]], Y[order[s:s + batch_size]])
                        for s in range(0, len(X) - batch_size + 1, batch_size)]
        """,
        "shuffles X and Y independently": """
            def iterate_minibatches(X, Y, batch_size, rng):
                order = rng.permutation(len(X))
                order_y = rng.permutation(len(X))
                return [(X[order[s:s + batch_size]], Y[order_y[s:s + batch_size]]) for s in range(0, len(X), batch_size)]
        """,
        "reuses a fixed seed: the same order every epoch": """
            def iterate_minibatches(X, Y, batch_size, rng):
                order = np.random.default_rng(7).permutation(len(X))
                return [(X[order[s:s + batch_size]], Y[order[s:s + batch_size]]) for s in range(0, len(X), batch_size)]
        """,
    },
    "he_normal": {
        "uses fan_out instead of fan_in": """
            def he_normal(fan_in, fan_out, rng):
                return rng.normal(0.0, np.sqrt(2.0 / fan_out), size=(fan_in, fan_out))
        """,
        "Xavier variance 1/fan_in": """
            def he_normal(fan_in, fan_out, rng):
                return rng.normal(0.0, np.sqrt(1.0 / fan_in), size=(fan_in, fan_out))
        """,
        "passes the variance as the standard deviation": """
            def he_normal(fan_in, fan_out, rng):
                return rng.normal(0.0, 2.0 / fan_in, size=(fan_in, fan_out))
        """,
        "transposed shape (fan_out, fan_in)": """
            def he_normal(fan_in, fan_out, rng):
                return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_out, fan_in))
        """,
    },
    "sgd_step": {
        "adds the gradient (ascent)": """
            def sgd_step(params, grads, lr):
                for key in params:
                    params[key] += lr * grads[key]
                return params
        """,
        "forgets the learning rate": """
            def sgd_step(params, grads, lr):
                for key in params:
                    params[key] -= grads[key]
                return params
        """,
        "returns a new dict, the layer never changes": """
            def sgd_step(params, grads, lr):
                return {key: params[key] - lr * grads[key] for key in params}
        """,
        "updates only the weights, not the bias": """
            def sgd_step(params, grads, lr):
                if "W" in params:
                    params["W"] -= lr * grads["W"]
                return params
        """,
    },
    "accuracy": {
        "compares predicted classes with the one-hot matrix": """
            def accuracy(logits, Y):
                return float(np.mean(logits.argmax(axis=1)[:, None] == Y))
        """,
        "fraction of matching one-hot entries": """
            def accuracy(logits, Y):
                return float(np.mean(np.eye(Y.shape[1])[logits.argmax(axis=1)] == Y))
        """,
        "argmax over the wrong axis": """
            def accuracy(logits, Y):
                return float(np.mean(logits.argmax(axis=0) == Y.argmax(axis=0)))
        """,
        "count instead of fraction": """
            def accuracy(logits, Y):
                return float(np.sum(logits.argmax(axis=1) == Y.argmax(axis=1)))
        """,
    },
    "train_epoch": {
        "never shuffles": """
            def train_epoch(layers, X, Y, batch_size, lr, rng):
                total = 0.0
                for s in range(0, len(X), batch_size):
                    Xb, Yb = X[s:s + batch_size], Y[s:s + batch_size]
                    loss, d = softmax_cross_entropy(predict(layers, Xb), Yb)
                    backward(layers, d)
                    for layer in layers:
                        sgd_step(layer.params, layer.grads, lr)
                    total += loss * len(Xb)
                return total / len(X)
        """,
        "returns the last batch's loss": """
            def train_epoch(layers, X, Y, batch_size, lr, rng):
                for Xb, Yb in iterate_minibatches(X, Y, batch_size, rng):
                    loss, d = softmax_cross_entropy(predict(layers, Xb), Yb)
                    backward(layers, d)
                    for layer in layers:
                        sgd_step(layer.params, layer.grads, lr)
                return loss
        """,
        "unweighted mean of the batch losses": """
            def train_epoch(layers, X, Y, batch_size, lr, rng):
                losses = []
                for Xb, Yb in iterate_minibatches(X, Y, batch_size, rng):
                    loss, d = softmax_cross_entropy(predict(layers, Xb), Yb)
                    backward(layers, d)
                    for layer in layers:
                        sgd_step(layer.params, layer.grads, lr)
                    losses.append(loss)
                return float(np.mean(losses))
        """,
        "updates only the last layer": """
            def train_epoch(layers, X, Y, batch_size, lr, rng):
                total = 0.0
                for Xb, Yb in iterate_minibatches(X, Y, batch_size, rng):
                    loss, d = softmax_cross_entropy(predict(layers, Xb), Yb)
                    backward(layers, d)
                    sgd_step(layers[-1].params, layers[-1].grads, lr)
                    total += loss * len(Xb)
                return total / len(X)
        """,
    },
}
