"""Correct answers to Chapter 4, written differently from the answer key as a
strong learner honestly would. Each replaces the exercise's solution cell;
the FULL graded tests (visible and hidden) must give every one full marks,
with nothing on stderr."""

_DENSE_HEAD = '''
class Dense(nn.Layer):
    def __init__(self, units, kernel_initializer="glorot_uniform", bias_initializer="zeros", seed=None):
        super().__init__()
        self.units = int(units)
        self.kernel_initializer = kernel_initializer
        self.bias_initializer = bias_initializer
        self.seed = seed

    def build(self, input_shape):
        rng = nn.rng_from(self.seed)
        self.params["kernel"] = nn.get_initializer(self.kernel_initializer)((input_shape[-1], self.units), rng)
        self.params["bias"] = nn.get_initializer(self.bias_initializer)((self.units,), rng)
        self.grads = {key: np.zeros_like(value) for key, value in self.params.items()}
        self.built = True
'''

_SIGMOID_BACKWARD = '''
    def backward(self, dout):
        return dout * self.out * (1.0 - self.out)
'''

RIGHT = {
    "Dense": {
        "einsum with the index formulas of the text (Y_nm = sum_d X_nd W_dm + b_m, dW_dm = sum_n X_nd G_nm, ...)": _DENSE_HEAD + '''
    def forward(self, x, training=False):
        self.cache = x
        return np.einsum("nd,dm->nm", x, self.params["kernel"]) + self.params["bias"]

    def backward(self, dout):
        x = self.cache
        self.grads["kernel"] = np.einsum("nd,nm->dm", x, dout)
        self.grads["bias"] = np.einsum("nm->m", dout)
        return np.einsum("nm,dm->nd", dout, self.params["kernel"])
''',
        "tensordot over the batch axis, a ones-vector product for the bias, and (W G^T)^T for dx": _DENSE_HEAD + '''
    def forward(self, x, training=False):
        self.x = np.array(x, dtype=np.float64)          # a private copy of the input
        return np.dot(self.x, self.params["kernel"]) + self.params["bias"][np.newaxis, :]

    def backward(self, dout):
        self.grads["kernel"] = np.tensordot(self.x, dout, axes=(0, 0))
        self.grads["bias"] = np.ones(dout.shape[0]) @ dout
        return (self.params["kernel"] @ dout.T).T
''',
        "explicit loop over the examples, adding each example's outer product (gradients add over the batch)": _DENSE_HEAD + '''
    def forward(self, x, training=False):
        self.x = x
        kernel, bias = self.params["kernel"], self.params["bias"]
        return np.stack([row @ kernel + bias for row in x])

    def backward(self, dout):
        kernel = self.params["kernel"]
        grad_kernel = np.zeros_like(kernel)
        grad_bias = np.zeros_like(self.params["bias"])
        dx = np.zeros_like(self.x, dtype=np.float64)
        for n in range(dout.shape[0]):
            grad_kernel += np.outer(self.x[n], dout[n])
            grad_bias += dout[n]
            dx[n] = kernel @ dout[n]
        self.grads["kernel"], self.grads["bias"] = grad_kernel, grad_bias
        return dx
''',
    },
    "Sigmoid": {
        "boolean masks: each formula is evaluated only where it is safe": '''
class Sigmoid(nn.Layer):
    def forward(self, x, training=False):
        x = np.asarray(x, dtype=np.float64)
        out = np.empty_like(x)
        pos = x >= 0
        out[pos] = 1.0 / (1.0 + np.exp(-x[pos]))
        e = np.exp(x[~pos])
        out[~pos] = e / (1.0 + e)
        self.out = out
        return out
''' + _SIGMOID_BACKWARD,
        "scipy.special.expit, and the derivative as sigma(x) * sigma(-x) from the cached input": '''
from scipy.special import expit

class Sigmoid(nn.Layer):
    def forward(self, x, training=False):
        self.x = x
        return expit(x)

    def backward(self, dout):
        return dout * expit(self.x) * expit(-self.x)
''',
        "log-sum-exp form: sigma(x) = exp(-log(1 + e^-x)) with np.logaddexp": '''
class Sigmoid(nn.Layer):
    def forward(self, x, training=False):
        self.out = np.exp(-np.logaddexp(0.0, -x))
        return self.out

    def backward(self, dout):
        y = self.out
        return dout * (y - y * y)
''',
    },
    "CategoricalCrossentropy": {
        "scipy.special.log_softmax for logits; explicit per-row Jacobian of the renormalisation (einsum) for probabilities": '''
from scipy.special import log_softmax as _log_softmax

class CategoricalCrossentropy(nn.Loss):
    epsilon = 1e-7

    def __init__(self, from_logits=False):
        self.from_logits = from_logits

    def forward(self, y_true, y_pred):
        y, p = np.array(y_true, dtype=np.float64), np.array(y_pred, dtype=np.float64)
        self.cache = (y, p)
        if self.from_logits:
            log_p = _log_softmax(p, axis=1)
        else:
            q = p / p.sum(axis=1, keepdims=True)
            log_p = np.log(np.clip(q, self.epsilon, 1 - self.epsilon))
        return float(np.mean(-np.sum(y * log_p, axis=1)))

    def backward(self):
        y, p = self.cache
        n, c = p.shape
        if self.from_logits:
            return (np.exp(_log_softmax(p, axis=1)) - y) / n
        s = p.sum(axis=1, keepdims=True)
        q = p / s
        clipped = np.clip(q, self.epsilon, 1 - self.epsilon)
        active = (q < self.epsilon) | (q > 1 - self.epsilon)
        dL_dq = np.where(active, 0.0, -y / (n * clipped))
        jacobian = (np.eye(c)[np.newaxis] - q[:, :, np.newaxis]) / s[:, :, np.newaxis]   # [n, k, j] = dq_k / dp_j
        return np.einsum("nk,nkj->nj", dL_dq, jacobian)
''',
        "one row at a time, log-sum-exp with np.logaddexp.reduce, and the clip mask as a float factor": '''
class CategoricalCrossentropy(nn.Loss):
    epsilon = 1e-7

    def __init__(self, from_logits=False):
        self.from_logits = from_logits

    def forward(self, y_true, y_pred):
        self.y_true = np.asarray(y_true, dtype=np.float64)
        self.y_pred = np.asarray(y_pred, dtype=np.float64)
        total = 0.0
        for y_row, row in zip(self.y_true, self.y_pred):
            if self.from_logits:
                log_p = row - np.logaddexp.reduce(row)
            else:
                log_p = np.log(np.clip(row / row.sum(), self.epsilon, 1.0 - self.epsilon))
            total += -np.dot(y_row, log_p)
        return float(total / len(self.y_pred))

    def backward(self):
        n = len(self.y_pred)
        grad = np.zeros_like(self.y_pred)
        for i, (y_row, row) in enumerate(zip(self.y_true, self.y_pred)):
            if self.from_logits:
                grad[i] = (np.exp(row - np.logaddexp.reduce(row)) - y_row) / n
            else:
                total = row.sum()
                q = row / total
                keep = ((q >= self.epsilon) & (q <= 1.0 - self.epsilon)).astype(np.float64)
                g = -keep * y_row / np.clip(q, self.epsilon, 1.0 - self.epsilon) / n
                grad[i] = (g - g @ q) / total
        return grad
''',
    },
    "numerical_gradient": {
        "np.nditer with multi_index and readwrite access": '''
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x, dtype=np.float64)
    it = np.nditer(x, flags=["multi_index"], op_flags=[["readwrite"]])
    while not it.finished:
        ix = it.multi_index
        saved = x[ix].copy()
        x[ix] = saved + h
        up = f(x)
        x[ix] = saved - h
        down = f(x)
        x[ix] = saved
        grad[ix] = (up - down) / (2 * h)
        it.iternext()
    return grad
''',
        "x.flat for every element, h taken from nn.NUMERICAL_GRADIENT_H": '''
def numerical_gradient(f, x, h=nn.NUMERICAL_GRADIENT_H):
    values = []
    for k in range(x.size):
        original = float(x.flat[k])
        x.flat[k] = original + h
        f_plus = float(f(x))
        x.flat[k] = original - h
        f_minus = float(f(x))
        x.flat[k] = original
        values.append((f_plus - f_minus) / (2.0 * h))
    return np.array(values, dtype=np.float64).reshape(x.shape)
''',
    },
    "relative_error": {
        "sums of squares written out; 0.0 returned early when both arrays are all zeros": '''
def relative_error(a, b):
    if not np.any(a) and not np.any(b):
        return 0.0
    diff = np.sqrt(np.sum((a - b) ** 2))
    return float(diff / (np.sqrt(np.sum(a * a)) + np.sqrt(np.sum(b * b))))
''',
        "flattened norms, the 0/0 case silenced with np.errstate and mapped to 0.0": '''
def relative_error(a, b):
    a, b = np.ravel(a), np.ravel(b)
    with np.errstate(invalid="ignore"):
        r = np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b))
    return 0.0 if np.isnan(r) else float(r)
''',
    },
}
