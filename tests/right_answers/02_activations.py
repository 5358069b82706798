"""Correct answers to Chapter 2 written differently from the answer key, as a
strong learner would honestly write them. Each replaces the exercise's whole
solution cell and must score full marks through the full graded tests
(visible and hidden) without writing to stderr."""

RIGHT = {
    "sigmoid": {
        "boolean masks: 1/(1+exp(-x)) where x >= 0, exp(x)/(1+exp(x)) elsewhere; derivative e/(1+e)^2 with e = exp(-|x|)": """
            def sigmoid(x):
                x = np.asarray(x, dtype=np.float64)
                out = np.empty_like(x)
                pos = x >= 0
                out[pos] = 1.0 / (1.0 + np.exp(-x[pos]))
                ex = np.exp(x[~pos])
                out[~pos] = ex / (1.0 + ex)
                return out

            def sigmoid_grad(x):
                e = np.exp(-np.abs(np.asarray(x, dtype=np.float64)))
                return e / (1.0 + e) ** 2
        """,
        "log-space: sigma(x) = exp(-log(1 + e^-x)) with np.logaddexp; sigma(x) * sigma(-x) for the derivative": """
            def sigmoid(x):
                x = np.asarray(x, dtype=np.float64)
                return np.exp(-np.logaddexp(0.0, -x))

            def sigmoid_grad(x):
                x = np.asarray(x, dtype=np.float64)
                return np.exp(-np.logaddexp(0.0, -x) - np.logaddexp(0.0, x))
        """,
        "sigma(|x|) = 1/(1+e) with e = exp(-|x|), and sigma(x) = e * sigma(|x|) for x < 0; derivative s - s*s": """
            def sigmoid(x):
                x = np.asarray(x, dtype=np.float64)
                e = np.exp(-np.abs(x))
                s_pos = 1.0 / (1.0 + e)          # sigma(|x|)
                return np.where(x >= 0, s_pos, e * s_pos)

            def sigmoid_grad(x):
                s = sigmoid(x)
                return s - s * s
        """,
    },
    "sigmoid_grad_from_output": {
        "s - s**2": """
            def sigmoid_grad_from_output(s):
                s = np.asarray(s, dtype=np.float64)
                return s - s ** 2
        """,
        "np.multiply of s and 1 - s, no dtype conversion": """
            def sigmoid_grad_from_output(s):
                return np.multiply(s, np.subtract(1.0, s))
        """,
    },
    "relu": {
        "arithmetic with boolean masks": """
            def relu(x):
                x = np.asarray(x, dtype=np.float64)
                return x * (x > 0)

            def relu_grad(x):
                return np.greater(x, 0).astype(np.float64)

            def leaky_relu(x, negative_slope=0.2):
                x = np.asarray(x, dtype=np.float64)
                return x * (x > 0) + negative_slope * x * (x <= 0)

            def leaky_relu_grad(x, negative_slope=0.2):
                x = np.asarray(x, dtype=np.float64)
                return 1.0 * (x > 0) + negative_slope * (x <= 0)
        """,
        "np.clip, np.heaviside and masked assignment": """
            def relu(x):
                return np.clip(np.asarray(x, dtype=np.float64), 0.0, None)

            def relu_grad(x):
                return np.heaviside(np.asarray(x, dtype=np.float64), 0.0)

            def leaky_relu(x, negative_slope=0.2):
                x = np.asarray(x, dtype=np.float64)
                return np.where(x > 0, 1.0, negative_slope) * x

            def leaky_relu_grad(x, negative_slope=0.2):
                x = np.asarray(x, dtype=np.float64)
                g = np.ones_like(x)
                g[x <= 0] = negative_slope
                return g
        """,
    },
    "tanh_elu": {
        "(1 - t)(1 + t) for tanh'; ELU by masked assignment on a copy": """
            def tanh(x):
                return np.tanh(np.asarray(x, dtype=np.float64))

            def tanh_grad(x):
                t = np.tanh(np.asarray(x, dtype=np.float64))
                return (1.0 - t) * (1.0 + t)

            def elu(x, alpha=1.0):
                x = np.array(x, dtype=np.float64)          # a copy: the caller's array is not touched
                neg = x <= 0
                x[neg] = alpha * np.expm1(x[neg])
                return x

            def elu_grad(x, alpha=1.0):
                x = np.asarray(x, dtype=np.float64)
                g = np.ones_like(x)
                neg = x <= 0
                g[neg] = alpha * np.exp(x[neg])
                return g
        """,
        "tanh via 2 sigma(2x) - 1 in a stable form; ELU with np.exp(.) - 1 on the clipped input; ELU' from the output (y + alpha)": """
            def tanh(x):
                x = np.asarray(x, dtype=np.float64)
                e = np.exp(-2.0 * np.abs(x))
                return np.sign(x) * (1.0 - e) / (1.0 + e)

            def tanh_grad(x):
                return 1.0 - tanh(x) ** 2

            def elu(x, alpha=1.0):
                x = np.asarray(x, dtype=np.float64)
                return np.where(x > 0, x, alpha * (np.exp(np.minimum(x, 0.0)) - 1.0))

            def elu_grad(x, alpha=1.0):
                x = np.asarray(x, dtype=np.float64)
                return np.where(x > 0, 1.0, elu(x, alpha) + alpha)
        """,
    },
    "softmax": {
        "log-sum-exp: exp(x - logsumexp(x))": """
            def softmax(x, axis=-1):
                x = np.asarray(x, dtype=np.float64)
                m = np.max(x, axis=axis, keepdims=True)
                lse = m + np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True))
                return np.exp(x - lse)
        """,
        "move the class axis to the end, work on the last axis, move it back": """
            def softmax(x, axis=-1):
                x = np.moveaxis(np.asarray(x, dtype=np.float64), axis, -1)
                e = np.exp(x - x.max(axis=-1)[..., None])
                p = e / e.sum(axis=-1)[..., None]
                return np.moveaxis(p, -1, axis)
        """,
        "np.apply_along_axis with a one-vector softmax": """
            def softmax(x, axis=-1):
                def one(v):
                    e = np.exp(v - v.max())
                    return e / e.sum()
                return np.apply_along_axis(one, axis, np.asarray(x, dtype=np.float64))
        """,
    },
    "softmax_backward": {
        "Jacobian by two loops over s_i(delta_ij - s_j); VJP with einsum for the per-row dot product": """
            def softmax_jacobian(x):
                s = softmax(x)
                K = s.shape[0]
                J = np.zeros((K, K))
                for i in range(K):
                    for j in range(K):
                        J[i, j] = s[i] * ((1.0 if i == j else 0.0) - s[j])
                return J

            def softmax_vjp(x, g):
                s = softmax(x)
                gs = np.einsum("nk,nk->n", g, s)
                return s * (g - gs[:, None])
        """,
        "np.diagflat minus an outer product by broadcasting; VJP expanded as s*g - s*(s.g)": """
            def softmax_jacobian(x):
                s = softmax(np.asarray(x, dtype=np.float64))
                return np.diagflat(s) - s[:, None] * s[None, :]

            def softmax_vjp(x, g):
                s = softmax(x, axis=-1)
                sg = s * g
                return sg - s * sg.sum(axis=1, keepdims=True)
        """,
    },
}
