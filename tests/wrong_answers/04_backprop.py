"""Wrong answers learners really write in Chapter 4. Each replaces the
exercise's solution cell; the graded tests must take points away from it."""

_DENSE_HEAD = '''
class Dense:
    def __init__(self, W, b):
        self.params = {"W": W, "b": b}
        self.grads = {"W": np.zeros_like(W), "b": np.zeros_like(b)}

    def forward(self, x):
        self.x = x
        return x @ self.params["W"] + self.params["b"]
'''

_SIGMOID_HEAD = '''
class Sigmoid:
    def __init__(self):
        self.params, self.grads = {}, {}
'''

_SCE_HEAD = '''
class SoftmaxCrossEntropy:
    def __init__(self):
        self.params, self.grads = {}, {}

    def forward(self, z, y):
        logp = log_softmax(z)
        self.p, self.y = np.exp(logp), y
        return float(-(y * logp).sum() / z.shape[0])
'''

WRONG = {
    "Dense": {
        "forgets to transpose W in dx (dout @ W)": _DENSE_HEAD + '''
    def backward(self, dout):
        self.grads["W"] = self.x.T @ dout
        self.grads["b"] = dout.sum(axis=0)
        return dout @ self.params["W"]
''',
        "dW without the transpose (x @ dout)": _DENSE_HEAD + '''
    def backward(self, dout):
        self.grads["W"] = self.x @ dout
        self.grads["b"] = dout.sum(axis=0)
        return dout @ self.params["W"].T
''',
        "bias gradient summed over the wrong axis": _DENSE_HEAD + '''
    def backward(self, dout):
        self.grads["W"] = self.x.T @ dout
        self.grads["b"] = dout.sum(axis=1)
        return dout @ self.params["W"].T
''',
        "bias gradient averaged over the batch": _DENSE_HEAD + '''
    def backward(self, dout):
        self.grads["W"] = self.x.T @ dout
        self.grads["b"] = dout.mean(axis=0)
        return dout @ self.params["W"].T
''',
        "dx transposed, shape (D, N)": _DENSE_HEAD + '''
    def backward(self, dout):
        self.grads["W"] = self.x.T @ dout
        self.grads["b"] = dout.sum(axis=0)
        return self.params["W"] @ dout.T
''',
    },
    "Sigmoid": {
        "backward uses the pre-activation x where the output was needed": _SIGMOID_HEAD + '''
    def forward(self, x):
        self.x = x
        e = np.exp(-np.abs(x)); self.out = np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
        return self.out

    def backward(self, dout):
        return dout * self.x * (1.0 - self.x)
''',
        "applies sigma' to the output (sigma(y)(1 - sigma(y)))": _SIGMOID_HEAD + '''
    def forward(self, x):
        e = np.exp(-np.abs(x)); self.out = np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
        return self.out

    def backward(self, dout):
        s = 0.5 * (1.0 + np.tanh(0.5 * self.out))
        return dout * s * (1.0 - s)
''',
        "forgets to multiply by dout": _SIGMOID_HEAD + '''
    def forward(self, x):
        e = np.exp(-np.abs(x)); self.out = np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
        return self.out

    def backward(self, dout):
        return self.out * (1.0 - self.out) + 0.0 * dout
''',
        "naive 1/(1+exp(-x)) overflows for x = -1000": _SIGMOID_HEAD + '''
    def forward(self, x):
        self.out = 1.0 / (1.0 + np.exp(-x))
        return self.out

    def backward(self, dout):
        return dout * self.out * (1.0 - self.out)
''',
    },
    "SoftmaxCrossEntropy": {
        "gradient not divided by the batch size": _SCE_HEAD + '''
    def backward(self, dout=1.0):
        return dout * (self.p - self.y)
''',
        "sign flipped (Y - P)": _SCE_HEAD + '''
    def backward(self, dout=1.0):
        return dout * (self.y - self.p) / self.y.shape[0]
''',
        "ignores dout": _SCE_HEAD + '''
    def backward(self, dout=1.0):
        return (self.p - self.y) / self.y.shape[0]
''',
        "loss summed instead of averaged over the batch": '''
class SoftmaxCrossEntropy:
    def __init__(self):
        self.params, self.grads = {}, {}

    def forward(self, z, y):
        logp = log_softmax(z)
        self.p, self.y = np.exp(logp), y
        return float(-(y * logp).sum())

    def backward(self, dout=1.0):
        return dout * (self.p - self.y)
''',
        "softmax without the max-subtraction (overflows)": '''
class SoftmaxCrossEntropy:
    def __init__(self):
        self.params, self.grads = {}, {}

    def forward(self, z, y):
        e = np.exp(z)
        self.p, self.y = e / e.sum(axis=1, keepdims=True), y
        return float(-(y * np.log(self.p)).sum() / z.shape[0])

    def backward(self, dout=1.0):
        return dout * (self.p - self.y) / self.y.shape[0]
''',
    },
    "numerical_gradient": {
        "one-sided (forward) difference": '''
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x, dtype=np.float64)
    f0 = f()
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        f_plus = f()
        x[i] = old
        grad[i] = (f_plus - f0) / h
    return grad
''',
        "divides by h instead of 2h": '''
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x, dtype=np.float64)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        f_plus = f()
        x[i] = old - h
        f_minus = f()
        x[i] = old
        grad[i] = (f_plus - f_minus) / h
    return grad
''',
        "never restores x": '''
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x, dtype=np.float64)
    for i in np.ndindex(x.shape):
        x[i] += h
        f_plus = f()
        x[i] -= 2 * h
        f_minus = f()
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad
''',
        "only the first axis (1-D loop)": '''
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x, dtype=np.float64)
    flat = x.reshape(-1) if x.ndim == 1 else x[0]
    for i in range(len(flat)):
        old = flat[i]
        flat[i] = old + h
        f_plus = f()
        flat[i] = old - h
        f_minus = f()
        flat[i] = old
        (grad.reshape(-1) if x.ndim == 1 else grad[0])[i] = (f_plus - f_minus) / (2 * h)
    return grad
''',
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
    },
}
