"""Wrong answers learners really write in Chapter 2. Each replaces the
exercise's whole solution cell; the graded tests must take points away from it."""

import textwrap


def _with(good, wrong):
    """A correct part of the cell followed by the wrong function(s), which replace it."""
    return textwrap.dedent(good) + "\n" + textwrap.dedent(wrong)

_GOOD_SIGMOID = """
def sigmoid(x):
    x = np.asarray(x, dtype=np.float64)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
"""

_GOOD_RELU = """
def relu(x):
    return np.maximum(np.asarray(x, dtype=np.float64), 0.0)

def relu_grad(x):
    return (np.asarray(x) > 0).astype(np.float64)

def leaky_relu(x, negative_slope=0.2):
    x = np.asarray(x, dtype=np.float64)
    return np.where(x > 0, x, negative_slope * x)

def leaky_relu_grad(x, negative_slope=0.2):
    return np.where(np.asarray(x) > 0, 1.0, float(negative_slope))
"""

_GOOD_TANH = """
def tanh(x):
    return np.tanh(np.asarray(x, dtype=np.float64))

def tanh_grad(x):
    return 1.0 - np.tanh(np.asarray(x, dtype=np.float64)) ** 2
"""

_GOOD_ELU = """
def elu(x, alpha=1.0):
    x = np.asarray(x, dtype=np.float64)
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))

def elu_grad(x, alpha=1.0):
    x = np.asarray(x, dtype=np.float64)
    return np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0.0)))
"""

_GOOD_JACOBIAN = """
def softmax_jacobian(x):
    s = softmax(x)
    return np.diag(s) - np.outer(s, s)
"""

_GOOD_VJP = """
def softmax_vjp(x, g):
    s = softmax(x, axis=-1)
    return s * (g - np.sum(g * s, axis=-1, keepdims=True))
"""

WRONG = {
    "sigmoid": {
        "tanh form 0.5*(1+tanh(x/2)): exact on paper, but sigma(-40) rounds to 0 (tail accuracy)": """
            def sigmoid(x):
                return 0.5 * (1.0 + np.tanh(np.asarray(x, dtype=np.float64) / 2.0))

            def sigmoid_grad(x):
                s = sigmoid(x)
                return s * (1.0 - s)
        """,
        "negative side as 1 - sigmoid(-x): no overflow, but the tail loses every digit": """
            def sigmoid(x):
                x = np.asarray(x, dtype=np.float64)
                pos = 1.0 / (1.0 + np.exp(-np.abs(x)))
                return np.where(x >= 0, pos, 1.0 - pos)

            def sigmoid_grad(x):
                s = sigmoid(x)
                return s * (1.0 - s)
        """,
        "sigmoid_grad overflows at -1000 (exp(-x) in the derivative)": _with(_GOOD_SIGMOID, """
            def sigmoid_grad(x):
                x = np.asarray(x, dtype=np.float64)
                return np.exp(-x) / (1.0 + np.exp(-x)) ** 2
        """),
        "naive sigmoid 1/(1+exp(-x)): overflows (warning) at -1000": """
            def sigmoid(x):
                return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=np.float64)))

            def sigmoid_grad(x):
                s = sigmoid(x)
                return s * (1.0 - s)
        """,
        "np.where with both branches exponentiating x (overflow inside where)": """
            def sigmoid(x):
                x = np.asarray(x, dtype=np.float64)
                return np.where(x >= 0, 1.0 / (1.0 + np.exp(-x)), np.exp(x) / (1.0 + np.exp(x)))

            def sigmoid_grad(x):
                s = sigmoid(x)
                return s * (1.0 - s)
        """,
        "clips x to [-500, 500], then the naive formula: no warning, but sigma(-1000) is 7e-218, not 0": """
            def sigmoid(x):
                x = np.clip(np.asarray(x, dtype=np.float64), -500.0, 500.0)
                return 1.0 / (1.0 + np.exp(-x))

            def sigmoid_grad(x):
                s = sigmoid(x)
                return s * (1.0 - s)
        """,
        "sigmoid_grad applies the output formula s(1-s) to the input x": _with(_GOOD_SIGMOID, """
            def sigmoid_grad(x):
                x = np.asarray(x, dtype=np.float64)
                return x * (1.0 - x)
        """),
        "sigmoid_grad forgets the (1 - s) factor": _with(_GOOD_SIGMOID, """
            def sigmoid_grad(x):
                return sigmoid(x)
        """),
    },
    "sigmoid_grad_from_output": {
        "derivative written in terms of the input: applies sigmoid to the output again": """
            def sigmoid_grad_from_output(s):
                t = 1.0 / (1.0 + np.exp(-np.asarray(s, dtype=np.float64)))
                return t * (1.0 - t)
        """,
        "uses the input formula exp(-x)/(1+exp(-x))^2 on s": """
            def sigmoid_grad_from_output(s):
                s = np.asarray(s, dtype=np.float64)
                return np.exp(-s) / (1.0 + np.exp(-s)) ** 2
        """,
        "s * (1 - s) written as s - s**2, but of sigmoid(s)": """
            def sigmoid_grad_from_output(s):
                s = np.asarray(s, dtype=np.float64)
                t = np.where(s >= 0, 1.0 / (1.0 + np.exp(-np.abs(s))), np.exp(-np.abs(s)) / (1.0 + np.exp(-np.abs(s))))
                return t - t ** 2
        """,
        "1 - s only": """
            def sigmoid_grad_from_output(s):
                return 1.0 - np.asarray(s, dtype=np.float64)
        """,
    },
    "relu": {
        "relu_grad wrong at negative inputs: np.sign gives -1": _with(_GOOD_RELU, """
            def relu_grad(x):
                return np.sign(np.asarray(x, dtype=np.float64))
        """),
        "relu_grad is 1 everywhere (the derivative of x, ignoring the clamp)": _with(_GOOD_RELU, """
            def relu_grad(x):
                return np.ones_like(np.asarray(x, dtype=np.float64))
        """),
        "relu with np.max (a reduction) instead of np.maximum": _with(_GOOD_RELU, """
            def relu(x):
                return np.max(np.asarray(x, dtype=np.float64), 0)
        """),
        "leaky_relu_grad is 0 on the negative side (forgets the slope)": _with(_GOOD_RELU, """
            def leaky_relu_grad(x, negative_slope=0.2):
                return (np.asarray(x) > 0).astype(np.float64)
        """),
        "leaky_relu_grad ignores the negative_slope argument (hard-coded 0.2, the default)": _with(_GOOD_RELU, """
            def leaky_relu_grad(x, negative_slope=0.2):
                return np.where(np.asarray(x) > 0, 1.0, 0.2)
        """),
        "leaky_relu ignores the negative_slope argument (hard-coded 0.01)": _with(_GOOD_RELU, """
            def leaky_relu(x, negative_slope=0.2):
                x = np.asarray(x, dtype=np.float64)
                return np.where(x > 0, x, 0.01 * x)

            def leaky_relu_grad(x, negative_slope=0.2):
                return np.where(np.asarray(x) > 0, 1.0, 0.01)
        """),
    },
    "tanh_elu": {
        "tanh_grad applies 1 - y^2 to the input x": _with(_GOOD_ELU, """
            def tanh(x):
                return np.tanh(np.asarray(x, dtype=np.float64))

            def tanh_grad(x):
                x = np.asarray(x, dtype=np.float64)
                return 1.0 - x ** 2
        """),
        "tanh_grad as 1/cosh(x)**2: cosh overflows at ±1000": _with(_GOOD_ELU, """
            def tanh(x):
                return np.tanh(np.asarray(x, dtype=np.float64))

            def tanh_grad(x):
                return 1.0 / np.cosh(np.asarray(x, dtype=np.float64)) ** 2
        """),
        "elu exponentiates x inside np.where (overflow warning at 1000)": _with(_GOOD_TANH, """
            def elu(x, alpha=1.0):
                x = np.asarray(x, dtype=np.float64)
                return np.where(x > 0, x, alpha * (np.exp(x) - 1.0))

            def elu_grad(x, alpha=1.0):
                x = np.asarray(x, dtype=np.float64)
                return np.where(x > 0, 1.0, alpha * np.exp(x))
        """),
        "elu_grad negative side is exp(x) - 1 (the function, not its derivative)": _with(_GOOD_TANH, """
            def elu(x, alpha=1.0):
                x = np.asarray(x, dtype=np.float64)
                return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))

            def elu_grad(x, alpha=1.0):
                x = np.asarray(x, dtype=np.float64)
                return np.where(x > 0, 1.0, alpha * np.expm1(np.minimum(x, 0.0)))
        """),
        "elu_grad exponentiates x inside np.where (overflow warning at 1000), elu is fine": _with(_GOOD_TANH, """
            def elu(x, alpha=1.0):
                x = np.asarray(x, dtype=np.float64)
                return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))

            def elu_grad(x, alpha=1.0):
                x = np.asarray(x, dtype=np.float64)
                return np.where(x > 0, 1.0, alpha * np.exp(x))
        """),
        "elu ignores alpha": _with(_GOOD_TANH, """
            def elu(x, alpha=1.0):
                x = np.asarray(x, dtype=np.float64)
                return np.where(x > 0, x, np.expm1(np.minimum(x, 0.0)))

            def elu_grad(x, alpha=1.0):
                x = np.asarray(x, dtype=np.float64)
                return np.where(x > 0, 1.0, np.exp(np.minimum(x, 0.0)))
        """),
    },
    "softmax": {
        "does not subtract the maximum: overflows to NaN at 1000": """
            def softmax(x, axis=-1):
                e = np.exp(np.asarray(x, dtype=np.float64))
                return e / np.sum(e, axis=axis, keepdims=True)
        """,
        "normalises over the wrong axis (axis=0: columns sum to 1)": """
            def softmax(x, axis=-1):
                x = np.asarray(x, dtype=np.float64)
                e = np.exp(x - np.max(x, axis=0, keepdims=True))
                return e / np.sum(e, axis=0, keepdims=True)
        """,
        "subtracts the maximum of the whole array, not of each row": """
            def softmax(x, axis=-1):
                x = np.asarray(x, dtype=np.float64)
                e = np.exp(x - np.max(x))
                return e / np.sum(e, axis=axis, keepdims=True)
        """,
        "sums over the whole array (no axis)": """
            def softmax(x, axis=-1):
                x = np.asarray(x, dtype=np.float64)
                e = np.exp(x - np.max(x, axis=axis, keepdims=True))
                return e / np.sum(e)
        """,
        "hard-codes axis=1 (fails for a single vector)": """
            def softmax(x, axis=-1):
                x = np.asarray(x, dtype=np.float64)
                e = np.exp(x - np.max(x, axis=1, keepdims=True))
                return e / np.sum(e, axis=1, keepdims=True)
        """,
        "ignores the axis argument (always the last axis)": """
            def softmax(x, axis=-1):
                x = np.asarray(x, dtype=np.float64)
                e = np.exp(x - np.max(x, axis=-1, keepdims=True))
                return e / np.sum(e, axis=-1, keepdims=True)
        """,
    },
    "softmax_backward": {
        "Jacobian keeps only the diagonal s(1-s)": _with(_GOOD_VJP, """
            def softmax_jacobian(x):
                s = softmax(x)
                return np.diag(s * (1.0 - s))
        """),
        "Jacobian forgets the diagonal term (only -s s^T)": _with(_GOOD_VJP, """
            def softmax_jacobian(x):
                s = softmax(x)
                return -np.outer(s, s)
        """),
        "VJP treats softmax elementwise: s(1-s) g": _with(_GOOD_JACOBIAN, """
            def softmax_vjp(x, g):
                s = softmax(x, axis=-1)
                return s * (1.0 - s) * g
        """),
        "VJP sums g.s over the whole batch instead of per row": _with(_GOOD_JACOBIAN, """
            def softmax_vjp(x, g):
                s = softmax(x, axis=-1)
                return s * (g - np.sum(g * s))
        """),
        "VJP without keepdims: g.s per row broadcast along the wrong axis": _with(_GOOD_JACOBIAN, """
            def softmax_vjp(x, g):
                s = softmax(x, axis=-1)
                return s * (g - np.sum(g * s, axis=-1))
        """),
        "VJP sums g.s over axis 0 (the wrong axis)": _with(_GOOD_JACOBIAN, """
            def softmax_vjp(x, g):
                s = softmax(x, axis=-1)
                return s * (g - np.sum(g * s, axis=0, keepdims=True))
        """),
    },
}
