"""Correct answers to Chapter 5 written differently from the answer key, as a
strong learner would honestly write them. Each replaces the exercise's
solution cell and must score full marks under the full graded tests (visible
and hidden), without writing to stderr."""

RIGHT = {
    "one_hot": {
        "rows of the identity matrix picked by the labels: row y[i] of eye(C) is e_y": """
            def one_hot(y, num_classes):
                return np.eye(num_classes)[np.asarray(y)]
        """,
        "an explicit loop setting one 1.0 per row in a float64 zero matrix": """
            def one_hot(y, num_classes):
                Y = np.zeros((len(y), num_classes))
                for i, label in enumerate(y):
                    Y[i, int(label)] = 1.0
                return Y
        """,
        "broadcast comparison with the class indices, converted to float64": """
            def one_hot(y, num_classes):
                return (np.asarray(y)[:, None] == np.arange(num_classes)[None, :]).astype(np.float64)
        """,
        "np.put_along_axis writes the 1.0s at the label columns": """
            def one_hot(y, num_classes):
                y = np.asarray(y).reshape(-1, 1)
                Y = np.zeros((len(y), num_classes), dtype=np.float64)
                np.put_along_axis(Y, y, 1.0, axis=1)
                return Y
        """,
    },
    "iterate_minibatches": {
        "shuffles np.arange(N) in place with the generator, which is how rng.permutation(N) draws its order": """
            def iterate_minibatches(X, Y, batch_size, seed=None):
                rng = nn.rng_from(seed)
                order = np.arange(len(X))
                rng.shuffle(order)
                return [(X[order[i:i + batch_size]], Y[order[i:i + batch_size]]) for i in range(0, len(order), batch_size)]
        """,
        "a generator that yields the same pairs (the text allows it)": """
            def iterate_minibatches(X, Y, batch_size, seed=None):
                rng = nn.rng_from(seed)
                order = rng.permutation(len(X))
                for start in range(0, len(X), batch_size):
                    idx = order[start:start + batch_size]
                    yield X[idx], Y[idx]
        """,
        "np.random.default_rng(seed) is what nn.rng_from does (a Generator passes through)": """
            def iterate_minibatches(X, Y, batch_size, seed=None):
                order = np.random.default_rng(seed).permutation(len(X))
                Xs, Ys = X[order], Y[order]
                batches = []
                start = 0
                while start < len(X):
                    batches.append((Xs[start:start + batch_size], Ys[start:start + batch_size]))
                    start += batch_size
                return batches
        """,
        "splits the permuted indices at multiples of batch_size with np.split": """
            def iterate_minibatches(X, Y, batch_size, seed=None):
                order = nn.rng_from(seed).permutation(len(X))
                chunks = np.split(order, np.arange(batch_size, len(X), batch_size))
                return [(X[c], Y[c]) for c in chunks]
        """,
    },
    "he_normal": {
        "std times a standard normal draw is the same single draw as rng.normal(0, std)": """
            def he_normal(shape, seed=None):
                fan_in = shape[0]
                rng = nn.rng_from(seed)
                return np.sqrt(2.0 / fan_in) * rng.standard_normal(size=shape)
        """,
        "keyword arguments and (2/fan_in)**0.5 for the standard deviation": """
            def he_normal(shape, seed=None):
                fan_in, fan_out = shape
                return np.random.default_rng(seed).normal(loc=0.0, scale=(2 / fan_in) ** 0.5, size=(fan_in, fan_out))
        """,
        "draws standard normals with rng.normal() and scales them afterwards": """
            def he_normal(shape, seed=None):
                rng = nn.rng_from(seed)
                z = rng.normal(size=tuple(shape))
                return z * np.sqrt(2.0 / shape[0])
        """,
    },
    "sgd": {
        "copies the parameter and updates the copy in place": """
            def sgd(param, grad, state=None, learning_rate=0.01):
                new_param = np.array(param, dtype=np.float64, copy=True)
                new_param -= learning_rate * grad
                return new_param, state
        """,
        "np.subtract, and an empty dict as the (unused) state, as Chapter 6's form allows": """
            def sgd(param, grad, state=None, learning_rate=0.01):
                if state is None:
                    state = {}
                return np.subtract(param, np.multiply(learning_rate, grad)), state
        """,
        "adds the negative step": """
            def sgd(param, grad, state=None, learning_rate=0.01):
                step = -learning_rate * grad
                return param + step, state
        """,
    },
    "accuracy": {
        "a loop counting correct predictions, divided by N": """
            def accuracy(y_true, y_pred):
                correct = 0
                for t, p in zip(y_true, y_pred):
                    if np.argmax(p) == np.argmax(t):
                        correct += 1
                return correct / len(y_true)
        """,
        "np.count_nonzero of the matching classes over the number of rows": """
            def accuracy(y_true, y_pred):
                hits = np.argmax(y_pred, axis=-1) == np.argmax(y_true, axis=-1)
                return np.count_nonzero(hits) / y_true.shape[0]
        """,
        "the mean of the boolean array as a NumPy float (a subclass of float)": """
            def accuracy(y_true, y_pred):
                return (y_true.argmax(1) == y_pred.argmax(1)).mean()
        """,
    },
    "train_epoch": {
        "keeps batch losses and sizes and averages with np.average(weights=sizes)": """
            def train_epoch(model, loss, optimizer, X, Y, batch_size=32, seed=None):
                losses, sizes = [], []
                for X_batch, Y_batch in iterate_minibatches(X, Y, batch_size, seed):
                    logits = model.forward(X_batch, training=True)
                    losses.append(loss.forward(Y_batch, logits))
                    sizes.append(len(X_batch))
                    model.backward(loss.backward())
                    optimizer.apply(model)
                return float(np.average(losses, weights=sizes))
        """,
        "sums loss times batch size and counts the examples seen": """
            def train_epoch(model, loss, optimizer, X, Y, batch_size=32, seed=None):
                total, seen = 0.0, 0
                for xb, yb in iterate_minibatches(X, Y, batch_size=batch_size, seed=seed):
                    out = model(xb, training=True)
                    batch_loss = loss(yb, out)
                    dlogits = loss.backward()
                    model.backward(dlogits)
                    optimizer.apply(model)
                    total += batch_loss * xb.shape[0]
                    seen += xb.shape[0]
                return total / seen
        """,
        "accumulates the per-example sum as loss * n and divides by X.shape[0]": """
            def train_epoch(model, loss, optimizer, X, Y, batch_size=32, seed=None):
                batches = list(iterate_minibatches(X, Y, batch_size, seed))
                summed = 0.0
                for X_batch, Y_batch in batches:
                    n = X_batch.shape[0]
                    summed = summed + n * loss(Y_batch, model(X_batch, training=True))
                    model.backward(loss.backward())
                    optimizer.apply(model)
                return summed / X.shape[0]
        """,
    },
}
