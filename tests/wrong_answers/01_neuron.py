"""Wrong answers learners really write in Chapter 1. Each replaces the
exercise's solution cell; the graded tests must take points away from it."""

WRONG = {
    "weighted_sum": {
        "forgets the bias": """
            def weighted_sum(x, w, b):
                return float(np.dot(w, x))
        """,
        "adds the bias to every term": """
            def weighted_sum(x, w, b):
                return float(np.sum(w * x + b))
        """,
        "elementwise product, never summed": """
            def weighted_sum(x, w, b):
                return w * x + b
        """,
    },
    "step": {
        "strict inequality: step(0) = 0": """
            def step(z):
                return np.where(np.asarray(z) > 0, 1.0, 0.0)
        """,
        "returns booleans": """
            def step(z):
                return np.asarray(z) >= 0
        """,
        "sign instead of step (-1/+1)": """
            def step(z):
                return np.sign(z)
        """,
        "only works on scalars (Python if)": """
            def step(z):
                return np.float64(1.0 if np.all(np.asarray(z) >= 0) else 0.0)
        """,
    },
    "gate_parameters": {
        "AND and OR swapped": """
            def gate_parameters(gate):
                return {"AND": (np.array([1.0, 1.0]), -0.5), "OR": (np.array([1.0, 1.0]), -1.5),
                        "NAND": (np.array([-1.0, -1.0]), 1.5)}[gate]
        """,
        "NAND negates the weights but not the bias": """
            def gate_parameters(gate):
                return {"AND": (np.array([1.0, 1.0]), -1.5), "OR": (np.array([1.0, 1.0]), -0.5),
                        "NAND": (np.array([-1.0, -1.0]), -1.5)}[gate]
        """,
        "NAND uses OR's weights with the sign flipped (outputs NOR)": """
            def gate_parameters(gate):
                return {"AND": (np.array([1.0, 1.0]), -1.5), "OR": (np.array([1.0, 1.0]), -0.5),
                        "NAND": (np.array([-1.0, -1.0]), 0.5)}[gate]
        """,
        "OR with a threshold that (0, 0) also clears": """
            def gate_parameters(gate):
                return {"AND": (np.array([1.0, 1.0]), -1.5), "OR": (np.array([1.0, 1.0]), 0.0),
                        "NAND": (np.array([-1.0, -1.0]), 1.5)}[gate]
        """,
    },
    "perceptron_update": {
        "updates in the wrong direction": """
            def perceptron_update(w, b, x, y, lr=1.0):
                error = y - float(np.dot(w, x) + b >= 0)
                return w - lr * error * x, b - lr * error
        """,
        "uses the label instead of the error": """
            def perceptron_update(w, b, x, y, lr=1.0):
                return w + lr * y * x, b + lr * y
        """,
        "forgets to update the bias": """
            def perceptron_update(w, b, x, y, lr=1.0):
                error = y - float(np.dot(w, x) + b >= 0)
                return w + lr * error * x, b
        """,
        "ignores the learning rate": """
            def perceptron_update(w, b, x, y, lr=1.0):
                error = y - float(np.dot(w, x) + b >= 0)
                return w + error * x, b + error
        """,
        "predicts with z > 0 (step(0) = 0), so the worked example is not a mistake": """
            def perceptron_update(w, b, x, y, lr=1.0):
                error = y - float(np.dot(w, x) + b > 0)
                return w + lr * error * x, b + lr * error
        """,
        "modifies w in place": """
            def perceptron_update(w, b, x, y, lr=1.0):
                error = y - float(np.dot(w, x) + b >= 0)
                w += lr * error * x
                return w, b + lr * error
        """,
    },
    "train_perceptron": {
        "never stops early": """
            def train_perceptron(X, y, lr=1.0, epochs=50):
                w, b, mistakes = np.zeros(X.shape[1]), 0.0, []
                for _ in range(epochs):
                    count = 0
                    for x_i, y_i in zip(X, y):
                        count += float(np.dot(w, x_i) + b >= 0) != y_i
                        w, b = perceptron_update(w, b, x_i, y_i, lr)
                    mistakes.append(count)
                return w, b, mistakes
        """,
        "returns the total number of mistakes instead of one count per epoch": """
            def train_perceptron(X, y, lr=1.0, epochs=50):
                w, b, total = np.zeros(X.shape[1]), 0.0, 0
                for _ in range(epochs):
                    count = 0
                    for x_i, y_i in zip(X, y):
                        count += float(np.dot(w, x_i) + b >= 0) != y_i
                        w, b = perceptron_update(w, b, x_i, y_i, lr)
                    total += count
                    if count == 0:
                        break
                return w, b, total
        """,
        "one pass only, ignores epochs": """
            def train_perceptron(X, y, lr=1.0, epochs=50):
                w, b, count = np.zeros(X.shape[1]), 0.0, 0
                for x_i, y_i in zip(X, y):
                    count += float(np.dot(w, x_i) + b >= 0) != y_i
                    w, b = perceptron_update(w, b, x_i, y_i, lr)
                return w, b, [count]
        """,
        "counts mistakes after the update": """
            def train_perceptron(X, y, lr=1.0, epochs=50):
                w, b, mistakes = np.zeros(X.shape[1]), 0.0, []
                for _ in range(epochs):
                    count = 0
                    for x_i, y_i in zip(X, y):
                        w, b = perceptron_update(w, b, x_i, y_i, lr)
                        count += float(np.dot(w, x_i) + b >= 0) != y_i
                    mistakes.append(count)
                    if count == 0:
                        break
                return w, b, mistakes
        """,
        "random start instead of zeros": """
            def train_perceptron(X, y, lr=1.0, epochs=50):
                w, b, mistakes = np.random.default_rng(0).normal(size=X.shape[1]), 0.0, []
                for _ in range(epochs):
                    count = 0
                    for x_i, y_i in zip(X, y):
                        count += float(np.dot(w, x_i) + b >= 0) != y_i
                        w, b = perceptron_update(w, b, x_i, y_i, lr)
                    mistakes.append(count)
                    if count == 0:
                        break
                return w, b, mistakes
        """,
    },
    "neuron_forward": {
        "flattens to shape (N,)": """
            def neuron_forward(X, W, b):
                return X @ W[:, 0] + b
        """,
        "transposed product, shape (1, N)": """
            def neuron_forward(X, W, b):
                return W.T @ X.T + b
        """,
        "forgets the bias": """
            def neuron_forward(X, W, b):
                return X @ W
        """,
        "reshapes X instead of transposing it (mixes up the examples)": """
            def neuron_forward(X, W, b):
                Xt = X.reshape(X.shape[1], X.shape[0])      # meant X.T
                return (W.T @ Xt).reshape(-1, 1) + b
        """,
        "rows come back in reverse order (builds the column by inserting at the front)": """
            def neuron_forward(X, W, b):
                rows = []
                for x in X:
                    rows.insert(0, [float(x @ W[:, 0] + b[0])])
                return np.array(rows)
        """,
    },
    "make_keras_neuron": {
        "never copies the weights in": """
            def make_keras_neuron(W, b):
                layer = keras.layers.Dense(1, dtype="float64")
                layer.build((None, W.shape[0]))
                return layer
        """,
        "adds a sigmoid activation": """
            def make_keras_neuron(W, b):
                layer = keras.layers.Dense(1, activation="sigmoid", dtype="float64")
                layer.build((None, W.shape[0]))
                layer.set_weights([W, b])
                return layer
        """,
        "ReLU activation (clips the negative pre-activations)": """
            def make_keras_neuron(W, b):
                layer = keras.layers.Dense(1, activation="relu", dtype="float64")
                layer.build((None, W.shape[0]))
                layer.set_weights([W, b])
                return layer
        """,
        "a float32 layer (rounds the weights and the outputs)": """
            def make_keras_neuron(W, b):
                layer = keras.layers.Dense(1, dtype="float32")
                layer.build((None, W.shape[0]))
                layer.set_weights([W, b])
                return layer
        """,
        "no bias (use_bias=False)": """
            def make_keras_neuron(W, b):
                layer = keras.layers.Dense(1, use_bias=False)
                layer.build((None, W.shape[0]))
                layer.set_weights([W])
                return layer
        """,
        "one unit per input": """
            def make_keras_neuron(W, b):
                layer = keras.layers.Dense(W.shape[0], dtype="float64")
                layer.build((None, W.shape[0]))
                return layer
        """,
    },
}
