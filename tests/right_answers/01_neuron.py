"""Correct answers to Chapter 1 written differently from the answer key, as a
strong learner would honestly write them. Each replaces the exercise's
solution cell and must score full marks through the full graded tests
(visible and hidden) without writing to stderr."""

RIGHT = {
    "weighted_sum": {
        "np.inner, the bias added once": """
            def weighted_sum(x, w, b):
                return np.inner(w, x) + b
        """,
        "x @ w + b, returned as a 0-d NumPy value": """
            def weighted_sum(x, w, b):
                return x @ w + b
        """,
        "np.sum of the elementwise product, then the bias": """
            def weighted_sum(x, w, b):
                return np.sum(np.asarray(w) * np.asarray(x)) + b
        """,
    },
    "step": {
        "a boolean comparison cast to float64": """
            def step(z):
                return (np.asarray(z) >= 0).astype(np.float64)
        """,
        "np.heaviside with the value 1 at zero": """
            def step(z):
                return np.heaviside(np.asarray(z, dtype=np.float64), 1.0)
        """,
        "1 minus the indicator of negative values": """
            def step(z):
                return 1.0 - np.less(z, 0).astype(float)
        """,
    },
    "gate_parameters": {
        "larger weights, thresholds in the middle of the gaps, chosen with if/elif": """
            def gate_parameters(gate):
                if gate == "AND":
                    return np.array([2.0, 2.0]), -3.0
                elif gate == "OR":
                    return np.array([2.0, 2.0]), -1.0
                elif gate == "NAND":
                    return np.array([-2.0, -2.0]), 3.0
                raise ValueError(gate)
        """,
        "NAND as the negated AND, thresholds off the corners, integer bias": """
            def gate_parameters(gate):
                w_and, b_and = np.array([1.0, 1.0]), -1.5
                table = {"AND": (w_and, b_and), "OR": (np.array([0.5, 0.5]), -0.25), "NAND": (-w_and, -b_and)}
                return table[gate]
        """,
        "unequal weights and a boundary through no corner": """
            def gate_parameters(gate):
                return {"AND": (np.array([0.6, 0.5]), -1), "OR": (np.array([3.0, 1.0]), -0.5),
                        "NAND": (np.array([-1.0, -3.0]), 3.5)}[gate]
        """,
    },
    "perceptron_update": {
        "if/else on the prediction, new arrays built with np.add": """
            def perceptron_update(w, b, x, y, lr=1.0):
                y_hat = 1.0 if w @ x + b >= 0 else 0.0
                if y_hat == y:
                    return w.copy(), b
                error = y - y_hat
                return np.add(w, lr * error * np.asarray(x)), b + lr * error
        """,
        "copy first, then update the copy in place": """
            def perceptron_update(w, b, x, y, lr=1.0):
                w_new = np.array(w, dtype=np.float64, copy=True)
                error = y - (1.0 if np.dot(w, x) + b >= 0 else 0.0)
                w_new += lr * error * x
                return w_new, float(b + lr * error)
        """,
    },
    "train_perceptron": {
        "while loop over epochs, index loop, the mistake counted with step() before calling perceptron_update": """
            def train_perceptron(X, y, lr=1.0, epochs=50):
                w = np.zeros(X.shape[1])
                b = 0.0
                mistakes = []
                while len(mistakes) < epochs:
                    count = 0
                    for i in range(len(X)):
                        count += int(step(X[i] @ w + b) != y[i])
                        w, b = perceptron_update(w, b, X[i], y[i], lr=lr)
                    mistakes.append(count)
                    if count == 0:
                        break
                return w, b, mistakes
        """,
        "counts a mistake when perceptron_update changed the bias": """
            def train_perceptron(X, y, lr=1.0, epochs=50):
                w, b = np.zeros(X.shape[1]), 0.0
                mistakes = []
                for epoch in range(epochs):
                    errors = 0
                    for x_i, y_i in zip(X, y):
                        w, b_new = perceptron_update(w, b, x_i, y_i, lr)
                        errors += int(b_new != b)
                        b = b_new
                    mistakes.append(errors)
                    if errors == 0:
                        return w, b, mistakes
                return w, b, mistakes
        """,
    },
    "neuron_forward": {
        "np.dot and broadcasting": """
            def neuron_forward(X, W, b):
                return np.dot(X, W) + b.reshape(1, -1)
        """,
        "einsum over the feature axis": """
            def neuron_forward(X, W, b):
                return np.einsum("nd,dk->nk", X, W) + b
        """,
        "transpose twice: (W^T X^T)^T + b": """
            def neuron_forward(X, W, b):
                return (W.T @ X.T).T + b
        """,
    },
    "make_keras_neuron": {
        "input_dim in the constructor (Keras prints a UserWarning, which costs no points)": """
            def make_keras_neuron(W, b):
                layer = keras.layers.Dense(1, input_dim=W.shape[0], dtype="float64")
                layer.build((None, W.shape[0]))
                layer.set_weights([W, b])
                return layer
        """,
        "no dtype argument (import_keras set floatx to float64), weights assigned to the variables": """
            def make_keras_neuron(W, b):
                layer = keras.layers.Dense(units=1)
                layer.build((None, W.shape[0]))
                layer.kernel.assign(W)
                layer.bias.assign(b)
                return layer
        """,
        "built by a Sequential model with keras.Input, layer taken from the model": """
            def make_keras_neuron(W, b):
                model = keras.Sequential([keras.Input(shape=(W.shape[0],)), keras.layers.Dense(1, activation="linear")])
                model.layers[0].set_weights([W, b])
                return model.layers[0]
        """,
    },
}
