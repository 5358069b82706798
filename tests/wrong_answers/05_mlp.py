"""Wrong answers learners really write in Chapter 5. Each replaces the
exercise's solution cell; the VISIBLE tests alone must reject every one (and
the graded tests must take points away from it)."""

WRONG = {
    "one_hot": {
        "float32 instead of float64": """
            def one_hot(y, num_classes):
                return np.eye(num_classes, dtype=np.float32)[y]
        """,
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
        "boolean matrix (y[:, None] == classes)": """
            def one_hot(y, num_classes):
                return np.asarray(y)[:, None] == np.arange(num_classes)
        """,
    },
    "iterate_minibatches": {
        "never shuffles": """
            def iterate_minibatches(X, Y, batch_size, seed=None):
                return [(X[s:s + batch_size], Y[s:s + batch_size]) for s in range(0, len(X), batch_size)]
        """,
        "drops the last, smaller batch": """
            def iterate_minibatches(X, Y, batch_size, seed=None):
                order = nn.rng_from(seed).permutation(len(X))
                return [(X[order[s:s + batch_size]], Y[order[s:s + batch_size]])
                        for s in range(0, len(X) - batch_size + 1, batch_size)]
        """,
        "shuffles X and Y independently": """
            def iterate_minibatches(X, Y, batch_size, seed=None):
                rng = nn.rng_from(seed)
                order = rng.permutation(len(X))
                order_y = rng.permutation(len(X))
                return [(X[order[s:s + batch_size]], Y[order_y[s:s + batch_size]]) for s in range(0, len(X), batch_size)]
        """,
        "ignores the seed (np.random's global state)": """
            def iterate_minibatches(X, Y, batch_size, seed=None):
                order = np.random.permutation(len(X))
                return [(X[order[s:s + batch_size]], Y[order[s:s + batch_size]]) for s in range(0, len(X), batch_size)]
        """,
        "a fixed seed of its own: the same order every epoch": """
            def iterate_minibatches(X, Y, batch_size, seed=None):
                order = np.random.default_rng(7).permutation(len(X))
                return [(X[order[s:s + batch_size]], Y[order[s:s + batch_size]]) for s in range(0, len(X), batch_size)]
        """,
        "re-seeds a generator from the seed at every call (same order every epoch)": """
            def iterate_minibatches(X, Y, batch_size, seed=None):
                rng = np.random.default_rng(0 if seed is None or not isinstance(seed, int) else seed)
                order = rng.permutation(len(X))
                return [(X[order[s:s + batch_size]], Y[order[s:s + batch_size]]) for s in range(0, len(X), batch_size)]
        """,
        "shuffles X and Y in place": """
            def iterate_minibatches(X, Y, batch_size, seed=None):
                order = nn.rng_from(seed).permutation(len(X))
                X[:], Y[:] = X[order], Y[order]
                return [(X[s:s + batch_size], Y[s:s + batch_size]) for s in range(0, len(X), batch_size)]
        """,
        "a fresh random draw for every batch (examples repeat)": """
            def iterate_minibatches(X, Y, batch_size, seed=None):
                rng = nn.rng_from(seed)
                batches = []
                for s in range(0, len(X), batch_size):
                    idx = rng.integers(0, len(X), size=min(batch_size, len(X) - s))
                    batches.append((X[idx], Y[idx]))
                return batches
        """,
    },
    "he_normal": {
        "square root of the numerator only: sqrt(2) / fan_in": """
            def he_normal(shape, seed=None):
                return nn.rng_from(seed).normal(0.0, np.sqrt(2.0) / shape[0], size=shape)
        """,
        "uses fan_out instead of fan_in": """
            def he_normal(shape, seed=None):
                return nn.rng_from(seed).normal(0.0, np.sqrt(2.0 / shape[1]), size=shape)
        """,
        "LeCun's variance 1/fan_in": """
            def he_normal(shape, seed=None):
                return nn.rng_from(seed).normal(0.0, np.sqrt(1.0 / shape[0]), size=shape)
        """,
        "passes the variance as the standard deviation": """
            def he_normal(shape, seed=None):
                return nn.rng_from(seed).normal(0.0, 2.0 / shape[0], size=shape)
        """,
        "transposed shape (fan_out, fan_in)": """
            def he_normal(shape, seed=None):
                return nn.rng_from(seed).normal(0.0, np.sqrt(2.0 / shape[0]), size=shape[::-1])
        """,
        "ignores the seed (np.random's global state)": """
            def he_normal(shape, seed=None):
                return np.random.normal(0.0, np.sqrt(2.0 / shape[0]), size=shape)
        """,
        "He-uniform instead of He-normal (same variance)": """
            def he_normal(shape, seed=None):
                limit = np.sqrt(6.0 / shape[0])
                return nn.rng_from(seed).uniform(-limit, limit, size=shape)
        """,
        "Keras's truncated normal instead of the plain one": """
            def he_normal(shape, seed=None):
                rng = nn.rng_from(seed)
                std = np.sqrt(2.0 / shape[0]) / 0.87962566103423978
                w = rng.normal(0.0, std, size=shape)
                bad = np.abs(w) > 2 * std
                while bad.any():
                    w[bad] = rng.normal(0.0, std, size=int(bad.sum()))
                    bad = np.abs(w) > 2 * std
                return w
        """,
        "Glorot's variance 2/(fan_in + fan_out)": """
            def he_normal(shape, seed=None):
                return nn.rng_from(seed).normal(0.0, np.sqrt(2.0 / (shape[0] + shape[1])), size=shape)
        """,
    },
    "sgd": {
        "adds the gradient (ascent)": """
            def sgd(param, grad, state=None, learning_rate=0.01):
                return param + learning_rate * grad, state
        """,
        "forgets the learning rate": """
            def sgd(param, grad, state=None, learning_rate=0.01):
                return param - grad, state
        """,
        "modifies param in place": """
            def sgd(param, grad, state=None, learning_rate=0.01):
                param -= learning_rate * grad
                return param, state
        """,
        "applies the learning rate twice": """
            def sgd(param, grad, state=None, learning_rate=0.01):
                step = learning_rate * grad
                return param - learning_rate * step, state
        """,
        "returns only the new parameter, not the pair": """
            def sgd(param, grad, state=None, learning_rate=0.01):
                return param - learning_rate * grad
        """,
        "another default learning rate (0.1)": """
            def sgd(param, grad, state=None, learning_rate=0.1):
                return param - learning_rate * grad, state
        """,
        "always returns None as the state": """
            def sgd(param, grad, state=None, learning_rate=0.01):
                return param - learning_rate * grad, None
        """,
        "returns the old parameter": """
            def sgd(param, grad, state=None, learning_rate=0.01):
                new_param = param - learning_rate * grad
                return param, state
        """,
    },
    "accuracy": {
        "rounded to two decimals": """
            def accuracy(y_true, y_pred):
                return round(float(np.mean(y_pred.argmax(axis=1) == y_true.argmax(axis=1))), 2)
        """,
        "compares predicted classes with the one-hot matrix": """
            def accuracy(y_true, y_pred):
                return float(np.mean(y_pred.argmax(axis=1)[:, None] == y_true))
        """,
        "fraction of matching one-hot entries": """
            def accuracy(y_true, y_pred):
                return float(np.mean(np.eye(y_true.shape[1])[y_pred.argmax(axis=1)] == y_true))
        """,
        "argmax over the wrong axis": """
            def accuracy(y_true, y_pred):
                return float(np.mean(y_pred.argmax(axis=0) == y_true.argmax(axis=0)))
        """,
        "count instead of fraction": """
            def accuracy(y_true, y_pred):
                return float(np.sum(y_pred.argmax(axis=1) == y_true.argmax(axis=1)))
        """,
        "a percentage": """
            def accuracy(y_true, y_pred):
                return 100.0 * float(np.mean(y_pred.argmax(axis=1) == y_true.argmax(axis=1)))
        """,
        "argmax over the flattened array": """
            def accuracy(y_true, y_pred):
                return float(np.mean(np.argmax(y_pred) == np.argmax(y_true)))
        """,
    },
    "train_epoch": {
        "loss called in the old (y_pred, y_true) order": """
            def train_epoch(model, loss, optimizer, X, Y, batch_size=32, seed=None):
                total = 0.0
                for X_batch, Y_batch in iterate_minibatches(X, Y, batch_size, seed):
                    total += loss(model(X_batch, training=True), Y_batch) * len(X_batch)
                    model.backward(loss.backward())
                    optimizer.apply(model)
                return total / len(X)
        """,
        "each batch's loss measured after its own update": """
            def train_epoch(model, loss, optimizer, X, Y, batch_size=32, seed=None):
                total = 0.0
                for X_batch, Y_batch in iterate_minibatches(X, Y, batch_size, seed):
                    loss(Y_batch, model(X_batch, training=True))
                    model.backward(loss.backward())
                    optimizer.apply(model)
                    total += loss(Y_batch, model.predict(X_batch)) * len(X_batch)
                return total / len(X)
        """,
        "every batch weighted by batch_size, the last one too": """
            def train_epoch(model, loss, optimizer, X, Y, batch_size=32, seed=None):
                total = 0.0
                for X_batch, Y_batch in iterate_minibatches(X, Y, batch_size, seed):
                    total += loss(Y_batch, model(X_batch, training=True)) * batch_size
                    model.backward(loss.backward())
                    optimizer.apply(model)
                return total / len(X)
        """,
        "never shuffles": """
            def train_epoch(model, loss, optimizer, X, Y, batch_size=32, seed=None):
                total = 0.0
                for s in range(0, len(X), batch_size):
                    X_batch, Y_batch = X[s:s + batch_size], Y[s:s + batch_size]
                    total += loss(Y_batch, model(X_batch, training=True)) * len(X_batch)
                    model.backward(loss.backward())
                    optimizer.apply(model)
                return total / len(X)
        """,
        "returns the last batch's loss": """
            def train_epoch(model, loss, optimizer, X, Y, batch_size=32, seed=None):
                for X_batch, Y_batch in iterate_minibatches(X, Y, batch_size, seed):
                    value = loss(Y_batch, model(X_batch, training=True))
                    model.backward(loss.backward())
                    optimizer.apply(model)
                return value
        """,
        "unweighted mean of the batch losses": """
            def train_epoch(model, loss, optimizer, X, Y, batch_size=32, seed=None):
                losses = []
                for X_batch, Y_batch in iterate_minibatches(X, Y, batch_size, seed):
                    losses.append(loss(Y_batch, model(X_batch, training=True)))
                    model.backward(loss.backward())
                    optimizer.apply(model)
                return float(np.mean(losses))
        """,
        "sum of the batch losses instead of the mean": """
            def train_epoch(model, loss, optimizer, X, Y, batch_size=32, seed=None):
                total = 0.0
                for X_batch, Y_batch in iterate_minibatches(X, Y, batch_size, seed):
                    total += loss(Y_batch, model(X_batch, training=True))
                    model.backward(loss.backward())
                    optimizer.apply(model)
                return total
        """,
        "steps before the backward pass (stale gradients)": """
            def train_epoch(model, loss, optimizer, X, Y, batch_size=32, seed=None):
                total = 0.0
                for X_batch, Y_batch in iterate_minibatches(X, Y, batch_size, seed):
                    total += loss(Y_batch, model(X_batch, training=True)) * len(X_batch)
                    optimizer.apply(model)
                    model.backward(loss.backward())
                return total / len(X)
        """,
        "reports the loss of the final weights on the whole set": """
            def train_epoch(model, loss, optimizer, X, Y, batch_size=32, seed=None):
                for X_batch, Y_batch in iterate_minibatches(X, Y, batch_size, seed):
                    loss(Y_batch, model(X_batch, training=True))
                    model.backward(loss.backward())
                    optimizer.apply(model)
                return loss(Y, model.predict(X))
        """,
        "forgets the optimizer step": """
            def train_epoch(model, loss, optimizer, X, Y, batch_size=32, seed=None):
                total = 0.0
                for X_batch, Y_batch in iterate_minibatches(X, Y, batch_size, seed):
                    total += loss(Y_batch, model(X_batch, training=True)) * len(X_batch)
                    model.backward(loss.backward())
                return total / len(X)
        """,
        "divides by the number of batches": """
            def train_epoch(model, loss, optimizer, X, Y, batch_size=32, seed=None):
                total, batches = 0.0, 0
                for X_batch, Y_batch in iterate_minibatches(X, Y, batch_size, seed):
                    total += loss(Y_batch, model(X_batch, training=True)) * len(X_batch)
                    model.backward(loss.backward())
                    optimizer.apply(model)
                    batches += 1
                return total / batches
        """,
        "forward pass in inference mode (training=False)": """
            def train_epoch(model, loss, optimizer, X, Y, batch_size=32, seed=None):
                total = 0.0
                for X_batch, Y_batch in iterate_minibatches(X, Y, batch_size, seed):
                    total += loss(Y_batch, model.predict(X_batch)) * len(X_batch)
                    model.backward(loss.backward())
                    optimizer.apply(model)
                return total / len(X)
        """,
    },
}
