"""Wrong answers learners really write in Chapter 4. Each replaces the
exercise's solution cell; the VISIBLE tests alone must take points away from
every one (a self-paced learner never runs the hidden tests)."""

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

_DENSE_FORWARD = '''
    def forward(self, x, training=False):
        self.x = x
        return x @ self.params["kernel"] + self.params["bias"]
'''

_SIGMOID_HEAD = '''
class Sigmoid(nn.Layer):
'''

_STABLE_FORWARD = '''
    def forward(self, x, training=False):
        e = np.exp(-np.abs(x))
        self.out = np.where(x >= 0, 1.0, e) / (1.0 + e)
        return self.out
'''

_GOOD_BACKWARD = '''
    def backward(self, dout):
        return dout * self.out * (1.0 - self.out)
'''

_CCE_HEAD = '''
class CategoricalCrossentropy(nn.Loss):
    epsilon = 1e-7

    def __init__(self, from_logits=False):
        self.from_logits = from_logits
'''

_CCE_FORWARD = '''
    def forward(self, y_true, y_pred):
        self.y_true = np.asarray(y_true, dtype=np.float64)
        y_pred = np.asarray(y_pred, dtype=np.float64)
        if self.from_logits:
            z = y_pred - y_pred.max(axis=-1, keepdims=True)
            log_p = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
            self.p = np.exp(log_p)
        else:
            self.row_sum = y_pred.sum(axis=-1, keepdims=True)
            self.q = y_pred / self.row_sum
            self.clipped = np.clip(self.q, self.epsilon, 1.0 - self.epsilon)
            log_p = np.log(self.clipped)
        return float(-np.sum(self.y_true * log_p) / y_pred.shape[0])
'''

_CCE_BACKWARD_PROBS = '''
        inside = (self.q >= self.epsilon) & (self.q <= 1.0 - self.epsilon)
        g = np.where(inside, -self.y_true / self.clipped, 0.0) / n
        return (g - np.sum(g * self.q, axis=-1, keepdims=True)) / self.row_sum
'''

_CCE_BACKWARD = '''
    def backward(self):
        n = self.y_true.shape[0]
        if self.from_logits:
            return (self.p - self.y_true) / n
''' + _CCE_BACKWARD_PROBS


def _ng(body: str, default_h: str = "1e-5") -> str:
    return f'''
def numerical_gradient(f, x, h={default_h}):
    grad = np.zeros(x.shape, dtype=np.float64)
{body}
    return grad
'''


WRONG = {
    "Dense": {
        "forgets to transpose the kernel in dx (dout @ kernel)": _DENSE_HEAD + _DENSE_FORWARD + '''
    def backward(self, dout):
        self.grads["kernel"] = self.x.T @ dout
        self.grads["bias"] = dout.sum(axis=0)
        return dout @ self.params["kernel"]
''',
        "kernel gradient without the transpose (x @ dout; same shape when N = D)": _DENSE_HEAD + _DENSE_FORWARD + '''
    def backward(self, dout):
        self.grads["kernel"] = self.x @ dout
        self.grads["bias"] = dout.sum(axis=0)
        return dout @ self.params["kernel"].T
''',
        "bias gradient summed over the wrong axis": _DENSE_HEAD + _DENSE_FORWARD + '''
    def backward(self, dout):
        self.grads["kernel"] = self.x.T @ dout
        self.grads["bias"] = dout.sum(axis=1)
        return dout @ self.params["kernel"].T
''',
        "bias gradient averaged over the batch": _DENSE_HEAD + _DENSE_FORWARD + '''
    def backward(self, dout):
        self.grads["kernel"] = self.x.T @ dout
        self.grads["bias"] = dout.mean(axis=0)
        return dout @ self.params["kernel"].T
''',
        "dx transposed, shape (D, N)": _DENSE_HEAD + _DENSE_FORWARD + '''
    def backward(self, dout):
        self.grads["kernel"] = self.x.T @ dout
        self.grads["bias"] = dout.sum(axis=0)
        return self.params["kernel"] @ dout.T
''',
        "gradients added to the previous call's (+=) instead of set": _DENSE_HEAD + _DENSE_FORWARD + '''
    def backward(self, dout):
        self.grads["kernel"] += self.x.T @ dout
        self.grads["bias"] += dout.sum(axis=0)
        return dout @ self.params["kernel"].T
''',
        "keeps its own copy of the kernel from the first call": _DENSE_HEAD + '''
    def forward(self, x, training=False):
        if not hasattr(self, "W"):
            self.W, self.b = self.params["kernel"], self.params["bias"]
        self.x = x
        return x @ self.W + self.b

    def backward(self, dout):
        self.grads["kernel"] = self.x.T @ dout
        self.grads["bias"] = dout.sum(axis=0)
        return dout @ self.W.T
''',
    },
    "Sigmoid": {
        "backward uses the pre-activation x where the output was needed": _SIGMOID_HEAD + '''
    def forward(self, x, training=False):
        self.x = x
        e = np.exp(-np.abs(x))
        self.out = np.where(x >= 0, 1.0, e) / (1.0 + e)
        return self.out

    def backward(self, dout):
        return dout * self.x * (1.0 - self.x)
''',
        "applies sigma' to the output (sigma(y)(1 - sigma(y)))": _SIGMOID_HEAD + _STABLE_FORWARD + '''
    def backward(self, dout):
        e = np.exp(-np.abs(self.out))
        s = np.where(self.out >= 0, 1.0, e) / (1.0 + e)
        return dout * s * (1.0 - s)
''',
        "forgets to multiply by dout": _SIGMOID_HEAD + _STABLE_FORWARD + '''
    def backward(self, dout):
        return self.out * (1.0 - self.out) + 0.0 * dout
''',
        "caches x; backward evaluates the naive sigmoid of x again (overflows for x = -1000)": _SIGMOID_HEAD + '''
    def forward(self, x, training=False):
        self.x = x
        e = np.exp(-np.abs(x))
        return np.where(x >= 0, 1.0, e) / (1.0 + e)

    def backward(self, dout):
        s = 1.0 / (1.0 + np.exp(-self.x))
        return dout * s * (1.0 - s)
''',
        "naive 1/(1+exp(-x)) overflows for x = -1000": _SIGMOID_HEAD + '''
    def forward(self, x, training=False):
        self.out = 1.0 / (1.0 + np.exp(-x))
        return self.out
''' + _GOOD_BACKWARD,
        "two-branch np.where that computes exp(-x) and exp(x) for every x (overflows)": _SIGMOID_HEAD + '''
    def forward(self, x, training=False):
        self.out = np.where(x >= 0, 1.0 / (1.0 + np.exp(-x)), np.exp(x) / (1.0 + np.exp(x)))
        return self.out
''' + _GOOD_BACKWARD,
        "tanh form 0.5 * (1 + tanh(x / 2)) cancels to 0 in the negative tail": _SIGMOID_HEAD + '''
    def forward(self, x, training=False):
        self.out = 0.5 * (1.0 + np.tanh(0.5 * x))
        return self.out
''' + _GOOD_BACKWARD,
        "1 - 1/(1+e^-|x|) for x < 0 cancels to 0 in the negative tail": _SIGMOID_HEAD + '''
    def forward(self, x, training=False):
        s = 1.0 / (1.0 + np.exp(-np.abs(x)))
        self.out = np.where(x >= 0, s, 1.0 - s)
        return self.out
''' + _GOOD_BACKWARD,
    },
    "CategoricalCrossentropy": {
        "gradient from logits not divided by the batch size": _CCE_HEAD + _CCE_FORWARD + '''
    def backward(self):
        n = self.y_true.shape[0]
        if self.from_logits:
            return self.p - self.y_true
''' + _CCE_BACKWARD_PROBS,
        "sign flipped (y_true - softmax)": _CCE_HEAD + _CCE_FORWARD + '''
    def backward(self):
        n = self.y_true.shape[0]
        if self.from_logits:
            return (self.y_true - self.p) / n
''' + _CCE_BACKWARD_PROBS,
        "loss summed over the batch instead of averaged": _CCE_HEAD + _CCE_FORWARD.replace(
            "return float(-np.sum(self.y_true * log_p) / y_pred.shape[0])", "return float(-np.sum(self.y_true * log_p))"
        ) + _CCE_BACKWARD,
        "softmax without the max-subtraction (overflows)": _CCE_HEAD + _CCE_FORWARD.replace(
            "z = y_pred - y_pred.max(axis=-1, keepdims=True)", "z = y_pred"
        ) + _CCE_BACKWARD,
        "log of a stable softmax (log 0 when a probability underflows)": _CCE_HEAD + _CCE_FORWARD.replace(
            '''            log_p = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
            self.p = np.exp(log_p)''',
            '''            self.p = np.exp(z) / np.exp(z).sum(axis=-1, keepdims=True)
            log_p = np.log(self.p)''',
        ) + _CCE_BACKWARD,
        "from_logits ignored: always applies the softmax": _CCE_HEAD + '''
    def forward(self, y_true, y_pred):
        self.y_true = np.asarray(y_true, dtype=np.float64)
        z = y_pred - y_pred.max(axis=-1, keepdims=True)
        log_p = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
        self.p = np.exp(log_p)
        return float(-np.sum(self.y_true * log_p) / y_pred.shape[0])

    def backward(self):
        return (self.p - self.y_true) / self.y_true.shape[0]
''',
        "probabilities not renormalised": _CCE_HEAD + _CCE_FORWARD.replace(
            "self.row_sum = y_pred.sum(axis=-1, keepdims=True)", "self.row_sum = np.ones((y_pred.shape[0], 1))"
        ) + _CCE_BACKWARD,
        "probabilities clipped, then renormalised (Keras renormalises, then clips)": _CCE_HEAD + '''
    def forward(self, y_true, y_pred):
        self.y_true = np.asarray(y_true, dtype=np.float64)
        y_pred = np.asarray(y_pred, dtype=np.float64)
        if self.from_logits:
            z = y_pred - y_pred.max(axis=-1, keepdims=True)
            log_p = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
            self.p = np.exp(log_p)
        else:
            c = np.clip(y_pred, self.epsilon, 1.0 - self.epsilon)
            self.row_sum = c.sum(axis=-1, keepdims=True)
            self.q = self.clipped = c / self.row_sum
            log_p = np.log(self.clipped)
        return float(-np.sum(self.y_true * log_p) / y_pred.shape[0])
''' + _CCE_BACKWARD,
        "probabilities not clipped (log 0)": _CCE_HEAD + _CCE_FORWARD.replace(
            "self.clipped = np.clip(self.q, self.epsilon, 1.0 - self.epsilon)", "self.clipped = self.q"
        ) + _CCE_BACKWARD,
        "gradient from probabilities is the textbook -y_true / (N p)": _CCE_HEAD + _CCE_FORWARD + '''
    def backward(self):
        n = self.y_true.shape[0]
        if self.from_logits:
            return (self.p - self.y_true) / n
        return -self.y_true / (n * self.clipped)
''',
        "gradient from probabilities ignores the clip (passes it where the clip was active)": _CCE_HEAD + _CCE_FORWARD + '''
    def backward(self):
        n = self.y_true.shape[0]
        if self.from_logits:
            return (self.p - self.y_true) / n
        g = -self.y_true / self.clipped / n
        return (g - np.sum(g * self.q, axis=-1, keepdims=True)) / self.row_sum
''',
        "renormalises y_pred in place (modifies the caller's array)": _CCE_HEAD + '''
    def forward(self, y_true, y_pred):
        self.y_true = np.asarray(y_true, dtype=np.float64)
        if self.from_logits:
            y_pred -= y_pred.max(axis=-1, keepdims=True)
            log_p = y_pred - np.log(np.exp(y_pred).sum(axis=-1, keepdims=True))
            self.p = np.exp(log_p)
        else:
            self.row_sum = y_pred.sum(axis=-1, keepdims=True)
            y_pred /= self.row_sum
            self.q = y_pred.copy()
            self.clipped = np.clip(self.q, self.epsilon, 1.0 - self.epsilon)
            log_p = np.log(self.clipped)
        return float(-np.sum(self.y_true * log_p) / y_pred.shape[0])
''' + _CCE_BACKWARD,
    },
    "numerical_gradient": {
        "one-sided (forward) difference": _ng('''    f0 = f(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        f_plus = f(x)
        x[i] = old
        grad[i] = (f_plus - f0) / h'''),
        "divides by h instead of 2h": _ng('''    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        f_plus = f(x)
        x[i] = old - h
        f_minus = f(x)
        x[i] = old
        grad[i] = (f_plus - f_minus) / h'''),
        "never restores x": _ng('''    for i in np.ndindex(x.shape):
        x[i] += h
        f_plus = f(x)
        x[i] -= 2 * h
        f_minus = f(x)
        grad[i] = (f_plus - f_minus) / (2 * h)'''),
        "restores x by adding h back (x[i] += h, -= 2h, += h: off by rounding)": _ng('''    for i in np.ndindex(x.shape):
        x[i] += h
        f_plus = f(x)
        x[i] -= 2 * h
        f_minus = f(x)
        x[i] += h
        grad[i] = (f_plus - f_minus) / (2 * h)'''),
        "only the first axis (1-D loop)": _ng('''    for i in range(x.shape[0]):
        old = x[i].copy()
        x[i] = old + h
        f_plus = f(x)
        x[i] = old - h
        f_minus = f(x)
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * h)'''),
        "perturbs a flattened copy, so f reading x never sees the change": _ng('''    flat = x.flatten()
    for k in range(flat.size):
        old = flat[k]
        flat[k] = old + h
        f_plus = f(flat.reshape(x.shape))
        flat[k] = old - h
        f_minus = f(flat.reshape(x.shape))
        flat[k] = old
        grad.flat[k] = (f_plus - f_minus) / (2 * h)'''),
        "another default step (h = 1e-6)": _ng('''    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        f_plus = f(x)
        x[i] = old - h
        f_minus = f(x)
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * h)''', default_h="1e-6"),
    },
    "relative_error": {
        "absolute error, not relative": '''
def relative_error(a, b):
    return float(np.linalg.norm(a - b))
''',
        "divides by ||a|| only (not symmetric)": '''
def relative_error(a, b):
    na = np.linalg.norm(a)
    return 0.0 if na == 0 else float(np.linalg.norm(a - b) / na)
''',
        "NaN when both arrays are zero": '''
def relative_error(a, b):
    return float(np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b)))
''',
        "max of elementwise ratios": '''
def relative_error(a, b):
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))
''',
        "adds 1e-8 to the denominator (depends on the scale)": '''
def relative_error(a, b):
    return float(np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b) + 1e-8))
''',
        "norm of the first row only (2-D arrays)": '''
def relative_error(a, b):
    a, b = np.atleast_2d(a)[0], np.atleast_2d(b)[0]
    denom = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if denom == 0 else float(np.linalg.norm(a - b) / denom)
''',
    },
}
