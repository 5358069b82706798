"""Wrong answers learners really write in Chapter 7. Each replaces the
exercise's solution cell; the graded tests must take points away from it."""

_DROPOUT_HEAD = '''
class Dropout:
    def __init__(self, rate, seed=0):
        self.rate = rate
        self.rng = np.random.default_rng(seed)
        self.params, self.grads = {}, {}
        self.mask = None
'''

_BN_HEAD = '''
class BatchNorm:
    def __init__(self, D, momentum=0.99, epsilon=1e-3):
        self.params = {"gamma": np.ones(D), "beta": np.zeros(D)}
        self.grads = {"gamma": np.zeros(D), "beta": np.zeros(D)}
        self.running_mean, self.running_var = np.zeros(D), np.ones(D)
        self.momentum, self.epsilon = momentum, epsilon

    def backward(self, dout):
        dx, self.grads["gamma"], self.grads["beta"] = batchnorm_backward(dout, self.x, self.params["gamma"], self.epsilon)
        return dx
'''

_GLOROT_OK = '''
def glorot_uniform(fan_in, fan_out, rng):
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=(fan_in, fan_out))
'''

_HE_OK = '''
def he_normal(fan_in, fan_out, rng):
    return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))
'''

WRONG = {
    "initializers": {
        "He with variance 1/fan_in (LeCun, forgets the ReLU factor 2)": _GLOROT_OK + '''
def he_normal(fan_in, fan_out, rng):
    return rng.normal(0.0, np.sqrt(1.0 / fan_in), size=(fan_in, fan_out))
''',
        "He scaled by fan_out": _GLOROT_OK + '''
def he_normal(fan_in, fan_out, rng):
    return rng.normal(0.0, np.sqrt(2.0 / fan_out), size=(fan_in, fan_out))
''',
        "Glorot uniform bound set to the standard deviation sqrt(2/(fan_in+fan_out))": _HE_OK + '''
def glorot_uniform(fan_in, fan_out, rng):
    limit = np.sqrt(2.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=(fan_in, fan_out))
''',
        "Glorot bound from fan_in only": _HE_OK + '''
def glorot_uniform(fan_in, fan_out, rng):
    limit = np.sqrt(6.0 / (2 * fan_in))
    return rng.uniform(-limit, limit, size=(fan_in, fan_out))
''',
        "He drawn from a uniform distribution with the right variance": _GLOROT_OK + '''
def he_normal(fan_in, fan_out, rng):
    limit = np.sqrt(3.0) * np.sqrt(2.0 / fan_in)
    return rng.uniform(-limit, limit, size=(fan_in, fan_out))
''',
        "ignores rng (global np.random)": '''
def glorot_uniform(fan_in, fan_out, rng):
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return np.random.uniform(-limit, limit, size=(fan_in, fan_out))

def he_normal(fan_in, fan_out, rng):
    return np.random.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))
''',
    },
    "l2_penalty": {
        "weight decay applied to the biases too": '''
def l2_penalty(params, lam):
    penalty = sum(lam * float(np.sum(p**2)) for p in params.values())
    return penalty, {k: 2.0 * lam * p for k, p in params.items()}
''',
        "gradient without the factor 2": '''
def l2_penalty(params, lam):
    penalty, grads = 0.0, {}
    for k, p in params.items():
        if k.startswith("W"):
            penalty += lam * float(np.sum(p**2))
            grads[k] = lam * p
        else:
            grads[k] = np.zeros_like(p)
    return penalty, grads
''',
        "textbook factor 1/2 (not Keras's)": '''
def l2_penalty(params, lam):
    penalty, grads = 0.0, {}
    for k, p in params.items():
        if k.startswith("W"):
            penalty += 0.5 * lam * float(np.sum(p**2))
            grads[k] = lam * p
        else:
            grads[k] = np.zeros_like(p)
    return penalty, grads
''',
        "no gradient entries for the biases": '''
def l2_penalty(params, lam):
    penalty, grads = 0.0, {}
    for k, p in params.items():
        if k.startswith("W"):
            penalty += lam * float(np.sum(p**2))
            grads[k] = 2.0 * lam * p
    return penalty, grads
''',
        "decays the weights in place": '''
def l2_penalty(params, lam):
    penalty, grads = 0.0, {}
    for k, p in params.items():
        if k.startswith("W"):
            penalty += lam * float(np.sum(p**2))
            grads[k] = 2.0 * lam * p
            p -= grads[k]
        else:
            grads[k] = np.zeros_like(p)
    return penalty, grads
''',
    },
    "Dropout": {
        "does not rescale at training time": _DROPOUT_HEAD + '''
    def forward(self, x, training=False, keep=None):
        if not training or self.rate == 0:
            self.mask = None
            return x
        if keep is None:
            keep = self.rng.random(x.shape) >= self.rate
        self.mask = keep * 1.0
        return x * self.mask

    def backward(self, dout):
        return dout if self.mask is None else dout * self.mask
''',
        "drops at inference too": _DROPOUT_HEAD + '''
    def forward(self, x, training=False, keep=None):
        if self.rate == 0:
            self.mask = None
            return x
        if keep is None:
            keep = self.rng.random(x.shape) >= self.rate
        self.mask = keep / (1.0 - self.rate)
        return x * self.mask

    def backward(self, dout):
        return dout if self.mask is None else dout * self.mask
''',
        "classic dropout: no scaling in training, scaled by (1 - rate) at inference": _DROPOUT_HEAD + '''
    def forward(self, x, training=False, keep=None):
        if not training:
            self.mask = None
            return x * (1.0 - self.rate)
        if keep is None:
            keep = self.rng.random(x.shape) >= self.rate
        self.mask = keep * 1.0
        return x * self.mask

    def backward(self, dout):
        return dout * (1.0 - self.rate) if self.mask is None else dout * self.mask
''',
        "keeps a unit with probability rate (mask inverted)": _DROPOUT_HEAD + '''
    def forward(self, x, training=False, keep=None):
        if not training or self.rate == 0:
            self.mask = None
            return x
        if keep is None:
            keep = self.rng.random(x.shape) < self.rate
        self.mask = keep / (1.0 - self.rate)
        return x * self.mask

    def backward(self, dout):
        return dout if self.mask is None else dout * self.mask
''',
        "backward forgets the mask": _DROPOUT_HEAD + '''
    def forward(self, x, training=False, keep=None):
        if not training or self.rate == 0:
            self.mask = None
            return x
        if keep is None:
            keep = self.rng.random(x.shape) >= self.rate
        self.mask = keep / (1.0 - self.rate)
        return x * self.mask

    def backward(self, dout):
        return dout
''',
    },
    "BatchNorm": {
        "batch statistics at inference": _BN_HEAD + '''
    def forward(self, x, training=False):
        self.x = x
        mean, var = x.mean(axis=0), x.var(axis=0)
        if training:
            self.running_mean = self.momentum * self.running_mean + (1 - self.momentum) * mean
            self.running_var = self.momentum * self.running_var + (1 - self.momentum) * var
        return self.params["gamma"] * (x - mean) / np.sqrt(var + self.epsilon) + self.params["beta"]
''',
        "unbiased variance (ddof=1), unlike Keras": _BN_HEAD + '''
    def forward(self, x, training=False):
        self.x = x
        if training:
            mean, var = x.mean(axis=0), x.var(axis=0, ddof=1)
            self.running_mean = self.momentum * self.running_mean + (1 - self.momentum) * mean
            self.running_var = self.momentum * self.running_var + (1 - self.momentum) * var
        else:
            mean, var = self.running_mean, self.running_var
        return self.params["gamma"] * (x - mean) / np.sqrt(var + self.epsilon) + self.params["beta"]
''',
        "momentum weights swapped (momentum on the batch statistic)": _BN_HEAD + '''
    def forward(self, x, training=False):
        self.x = x
        if training:
            mean, var = x.mean(axis=0), x.var(axis=0)
            self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * mean
            self.running_var = (1 - self.momentum) * self.running_var + self.momentum * var
        else:
            mean, var = self.running_mean, self.running_var
        return self.params["gamma"] * (x - mean) / np.sqrt(var + self.epsilon) + self.params["beta"]
''',
        "epsilon added to the standard deviation": _BN_HEAD + '''
    def forward(self, x, training=False):
        self.x = x
        if training:
            mean, var = x.mean(axis=0), x.var(axis=0)
            self.running_mean = self.momentum * self.running_mean + (1 - self.momentum) * mean
            self.running_var = self.momentum * self.running_var + (1 - self.momentum) * var
        else:
            mean, var = self.running_mean, self.running_var
        return self.params["gamma"] * (x - mean) / (np.sqrt(var) + self.epsilon) + self.params["beta"]
''',
        "updates the running statistics at inference too": _BN_HEAD + '''
    def forward(self, x, training=False):
        self.x = x
        mean, var = x.mean(axis=0), x.var(axis=0)
        self.running_mean = self.momentum * self.running_mean + (1 - self.momentum) * mean
        self.running_var = self.momentum * self.running_var + (1 - self.momentum) * var
        if not training:
            mean, var = self.running_mean, self.running_var
        return self.params["gamma"] * (x - mean) / np.sqrt(var + self.epsilon) + self.params["beta"]
''',
    },
    "batchnorm_backward": {
        "missing the mean and variance terms": '''
def batchnorm_backward(dout, x, gamma, epsilon=1e-3):
    mean, var = x.mean(axis=0), x.var(axis=0)
    inv_std = 1.0 / np.sqrt(var + epsilon)
    x_hat = (x - mean) * inv_std
    return dout * gamma * inv_std, (dout * x_hat).sum(axis=0), dout.sum(axis=0)
''',
        "missing the variance term": '''
def batchnorm_backward(dout, x, gamma, epsilon=1e-3):
    mean, var = x.mean(axis=0), x.var(axis=0)
    inv_std = 1.0 / np.sqrt(var + epsilon)
    x_hat = (x - mean) * inv_std
    g = dout * gamma
    return inv_std * (g - g.mean(axis=0)), (dout * x_hat).sum(axis=0), dout.sum(axis=0)
''',
        "dgamma from x instead of x_hat": '''
def batchnorm_backward(dout, x, gamma, epsilon=1e-3):
    n = x.shape[0]
    mean, var = x.mean(axis=0), x.var(axis=0)
    inv_std = 1.0 / np.sqrt(var + epsilon)
    x_hat = (x - mean) * inv_std
    g = dout * gamma
    dx = inv_std / n * (n * g - g.sum(axis=0) - x_hat * (g * x_hat).sum(axis=0))
    return dx, (dout * x).sum(axis=0), dout.sum(axis=0)
''',
        "dbeta as a mean over the batch": '''
def batchnorm_backward(dout, x, gamma, epsilon=1e-3):
    n = x.shape[0]
    mean, var = x.mean(axis=0), x.var(axis=0)
    inv_std = 1.0 / np.sqrt(var + epsilon)
    x_hat = (x - mean) * inv_std
    g = dout * gamma
    dx = inv_std / n * (n * g - g.sum(axis=0) - x_hat * (g * x_hat).sum(axis=0))
    return dx, (dout * x_hat).sum(axis=0), dout.mean(axis=0)
''',
        "unbiased variance (ddof=1)": '''
def batchnorm_backward(dout, x, gamma, epsilon=1e-3):
    n = x.shape[0]
    mean, var = x.mean(axis=0), x.var(axis=0, ddof=1)
    inv_std = 1.0 / np.sqrt(var + epsilon)
    x_hat = (x - mean) * inv_std
    g = dout * gamma
    dx = inv_std / n * (n * g - g.sum(axis=0) - x_hat * (g * x_hat).sum(axis=0))
    return dx, (dout * x_hat).sum(axis=0), dout.sum(axis=0)
''',
    },
    "early_stopping": {
        "no patience: stops at the first epoch without improvement": '''
def early_stopping(val_losses, patience, min_delta=0.0):
    best, best_epoch = np.inf, 0
    for epoch, loss in enumerate(val_losses):
        if loss < best - min_delta:
            best, best_epoch = loss, epoch
        else:
            return epoch, best_epoch
    return len(val_losses) - 1, best_epoch
''',
        "restores the last epoch instead of the best": '''
def early_stopping(val_losses, patience, min_delta=0.0):
    best, wait = np.inf, 0
    for epoch, loss in enumerate(val_losses):
        if loss < best - min_delta:
            best, wait = loss, 0
        else:
            wait += 1
            if wait >= patience:
                return epoch, epoch
    return len(val_losses) - 1, len(val_losses) - 1
''',
        "off by one: waits patience + 1 epochs": '''
def early_stopping(val_losses, patience, min_delta=0.0):
    best, best_epoch, wait = np.inf, 0, 0
    for epoch, loss in enumerate(val_losses):
        if loss < best - min_delta:
            best, best_epoch, wait = loss, epoch, 0
        else:
            wait += 1
            if wait > patience:
                return epoch, best_epoch
    return len(val_losses) - 1, best_epoch
''',
        "compares with the previous epoch instead of the best": '''
def early_stopping(val_losses, patience, min_delta=0.0):
    best, best_epoch, wait, previous = np.inf, 0, 0, np.inf
    for epoch, loss in enumerate(val_losses):
        if loss < best - min_delta:
            best, best_epoch = loss, epoch
        if loss < previous - min_delta:
            wait = 0
        else:
            wait += 1
            if wait >= patience:
                return epoch, best_epoch
        previous = loss
    return len(val_losses) - 1, best_epoch
''',
        "equal losses count as improvements": '''
def early_stopping(val_losses, patience, min_delta=0.0):
    best, best_epoch, wait = np.inf, 0, 0
    for epoch, loss in enumerate(val_losses):
        if loss <= best - min_delta:
            best, best_epoch, wait = loss, epoch, 0
        else:
            wait += 1
            if wait >= patience:
                return epoch, best_epoch
    return len(val_losses) - 1, best_epoch
''',
        "ignores min_delta": '''
def early_stopping(val_losses, patience, min_delta=0.0):
    best, best_epoch, wait = np.inf, 0, 0
    for epoch, loss in enumerate(val_losses):
        if loss < best:
            best, best_epoch, wait = loss, epoch, 0
        else:
            wait += 1
            if wait >= patience:
                return epoch, best_epoch
    return len(val_losses) - 1, best_epoch
''',
    },
}
