"""Wrong answers learners really write in Chapter 7. Each replaces the
exercise's solution cell; the VISIBLE tests alone must take points away from
each one (a self-paced learner never runs the hidden tests)."""

_DROPOUT_HEAD = '''
class Dropout(nn.Layer):
    def __init__(self, rate, seed=None):
        super().__init__()
        self.rate = rate
        self.rng = nn.rng_from(seed)
        self.mask = None
'''

_BN_HEAD = '''
class BatchNormalization(nn.Layer):
    def __init__(self, momentum=0.99, epsilon=1e-3):
        super().__init__()
        self.momentum, self.epsilon = momentum, epsilon

    def build(self, input_shape):
        features = input_shape[-1]
        self.params = {"gamma": np.ones(features), "beta": np.zeros(features)}
        self.grads = {"gamma": np.zeros(features), "beta": np.zeros(features)}
        self.non_trainable = {"moving_mean": np.zeros(features), "moving_variance": np.ones(features)}
        self.built = True

    def backward(self, dout):
        dx, self.grads["gamma"], self.grads["beta"] = batchnorm_backward(dout, self.x, self.params["gamma"], self.epsilon)
        return dx
'''


def _vs(body: str, fan: str = "fan = {'fan_in': fan_in, 'fan_out': fan_out, 'fan_avg': (fan_in + fan_out) / 2.0}[mode]",
        rng: str = "rng = nn.rng_from(seed)") -> str:
    return f'''
def variance_scaling(shape, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None):
    {rng}
    fan_in, fan_out = compute_fans(shape)
    {fan}
    variance = scale / max(1.0, fan)
{body}
'''


_VS_OK_BODY = '''    if distribution == "uniform":
        limit = np.sqrt(3.0 * variance)
        return rng.uniform(-limit, limit, size=shape)
    if distribution == "untruncated_normal":
        return rng.normal(0.0, np.sqrt(variance), size=shape)
    stddev = np.sqrt(variance) / 0.87962566103423978
    weights = rng.normal(0.0, stddev, size=shape)
    outside = np.abs(weights) > 2.0 * stddev
    while outside.any():
        weights[outside] = rng.normal(0.0, stddev, size=int(outside.sum()))
        outside = np.abs(weights) > 2.0 * stddev
    return weights'''

_ES = '''
def early_stopping(val_losses, patience, min_delta=0.0):
    best, best_epoch, wait = np.inf, 0, 0
    for epoch, loss in enumerate(val_losses):
        if {improved}:
            best, best_epoch, wait = loss, epoch, 0
        else:
            wait += 1
            if wait {stop} patience:
                return epoch, best_epoch
    return len(val_losses) - 1, best_epoch
'''

_BN_FORWARD = _BN_HEAD + '''
    def forward(self, x, training=False):
        self.x = x
        if training:
            mean, var = x.mean(axis=0), {var}
            self.non_trainable["moving_mean"] = {new_mean}
            self.non_trainable["moving_variance"] = {new_var}
        else:
            mean, var = self.non_trainable["moving_mean"], self.non_trainable["moving_variance"]
        return self.params["gamma"] * (x - mean) / {denominator} + self.params["beta"]
'''
_M_OK = 'self.momentum * self.non_trainable["moving_mean"] + (1 - self.momentum) * mean'
_V_OK = 'self.momentum * self.non_trainable["moving_variance"] + (1 - self.momentum) * var'

_BN_BACKWARD = '''
def batchnorm_backward(dout, x, gamma, epsilon=1e-3):
    n = x.shape[0]
    mean, var = x.mean(axis=0), {var}
    inv_std = 1.0 / np.sqrt(var + epsilon)
    x_hat = (x - mean) * inv_std
    g = dout * gamma
    dx = {dx}
    return dx, {dgamma}, {dbeta}
'''
_DX_OK = "inv_std / n * (n * g - g.sum(axis=0) - x_hat * (g * x_hat).sum(axis=0))"

def _fill(template: str, **values: str) -> str:
    for key, value in values.items():
        template = template.replace("{" + key + "}", value)
    return template


WRONG = {
    "variance_scaling": {
        "He from a uniform: every distribution drawn as a uniform with the right variance": _vs('''    limit = np.sqrt(3.0 * variance)
    return rng.uniform(-limit, limit, size=shape)'''),
        "ignores the seed (a generator without it)": _vs(_VS_OK_BODY, rng="rng = np.random.default_rng()"),
        "ignores the seed (draws from np.random)": _vs(_VS_OK_BODY, rng="rng = np.random"),
        "a Generator passed as seed is replaced by a fresh one": _vs(_VS_OK_BODY, rng="rng = np.random.default_rng(seed if isinstance(seed, int) else 0)"),
        "the variance used as the standard deviation (scale / fan instead of its square root)": _vs(_VS_OK_BODY.replace("np.sqrt(variance)", "variance").replace("np.sqrt(3.0 * variance)", "3.0 * variance")),
        "truncated normal without the 1 / 0.8796 correction": _vs(_VS_OK_BODY.replace(" / 0.87962566103423978", "")),
        "truncated normal by clipping at 2 stddev instead of redrawing": _vs('''    if distribution == "uniform":
        limit = np.sqrt(3.0 * variance)
        return rng.uniform(-limit, limit, size=shape)
    if distribution == "untruncated_normal":
        return rng.normal(0.0, np.sqrt(variance), size=shape)
    stddev = np.sqrt(variance) / 0.87962566103423978
    return np.clip(rng.normal(0.0, stddev, size=shape), -2 * stddev, 2 * stddev)'''),
        "truncated normal never truncated (a plain normal with the corrected stddev)": _vs('''    if distribution == "uniform":
        limit = np.sqrt(3.0 * variance)
        return rng.uniform(-limit, limit, size=shape)
    if distribution == "untruncated_normal":
        return rng.normal(0.0, np.sqrt(variance), size=shape)
    return rng.normal(0.0, np.sqrt(variance) / 0.87962566103423978, size=shape)'''),
        "uniform limit set to the standard deviation sqrt(scale / fan)": _vs(_VS_OK_BODY.replace("np.sqrt(3.0 * variance)", "np.sqrt(variance)")),
        "fan_avg as the sum fan_in + fan_out": _vs(_VS_OK_BODY, fan="fan = {'fan_in': fan_in, 'fan_out': fan_out, 'fan_avg': fan_in + fan_out}[mode]"),
        "fan_in and fan_out swapped": _vs(_VS_OK_BODY, fan="fan = {'fan_in': fan_out, 'fan_out': fan_in, 'fan_avg': (fan_in + fan_out) / 2.0}[mode]"),
        "truncated at 2 * sqrt(scale / fan) instead of 2 * stddev": _vs(_VS_OK_BODY.replace(
            "outside = np.abs(weights) > 2.0 * stddev", "outside = np.abs(weights) > 2.0 * np.sqrt(variance)")),
        "np.random.seed(seed), which refuses a Generator": _vs(_VS_OK_BODY.replace("rng.", "np.random."), rng="np.random.seed(seed)"),
        "scale ignored": _vs(_VS_OK_BODY.replace("    if distribution == \"uniform\":", "    variance = 1.0 / max(1.0, fan)\n    if distribution == \"uniform\":", 1)),
    },
    "l2_penalty": {
        "penalises the biases too": '''
def l2_penalty(params, l2):
    penalty = sum(l2 * float(np.sum(p**2)) for p in params.values())
    return penalty, {k: 2.0 * l2 * p for k, p in params.items()}
''',
        "penalises everything that is not called bias (gamma and beta too)": '''
def l2_penalty(params, l2):
    penalty, grads = 0.0, {}
    for k, p in params.items():
        if k != "bias":
            penalty += l2 * float(np.sum(p**2))
            grads[k] = 2.0 * l2 * p
        else:
            grads[k] = np.zeros_like(p)
    return penalty, grads
''',
        "gradient without the factor 2": '''
def l2_penalty(params, l2):
    penalty, grads = 0.0, {}
    for k, p in params.items():
        if k == "kernel":
            penalty += l2 * float(np.sum(p**2))
            grads[k] = l2 * p
        else:
            grads[k] = np.zeros_like(p)
    return penalty, grads
''',
        "textbook factor 1/2 (not Keras's)": '''
def l2_penalty(params, l2):
    penalty, grads = 0.0, {}
    for k, p in params.items():
        if k == "kernel":
            penalty += 0.5 * l2 * float(np.sum(p**2))
            grads[k] = l2 * p
        else:
            grads[k] = np.zeros_like(p)
    return penalty, grads
''',
        "no gradient entries for the biases": '''
def l2_penalty(params, l2):
    penalty, grads = 0.0, {}
    for k, p in params.items():
        if k == "kernel":
            penalty += l2 * float(np.sum(p**2))
            grads[k] = 2.0 * l2 * p
    return penalty, grads
''',
        "decays the kernel in place": '''
def l2_penalty(params, l2):
    penalty, grads = 0.0, {}
    for k, p in params.items():
        if k == "kernel":
            penalty += l2 * float(np.sum(p**2))
            grads[k] = 2.0 * l2 * p
            p -= grads[k]
        else:
            grads[k] = np.zeros_like(p)
    return penalty, grads
''',
        "the penalty of the sum, not the sum of squares": '''
def l2_penalty(params, l2):
    penalty, grads = 0.0, {}
    for k, p in params.items():
        if k == "kernel":
            penalty += l2 * float(np.sum(p)) ** 2
            grads[k] = 2.0 * l2 * p
        else:
            grads[k] = np.zeros_like(p)
    return penalty, grads
''',
    },
    "Dropout": {
        "does not rescale at training time (no 1 / (1 - rate))": _DROPOUT_HEAD + '''
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
        "scales by rate instead of 1 / (1 - rate)": _DROPOUT_HEAD + '''
    def forward(self, x, training=False, keep=None):
        if not training or self.rate == 0:
            self.mask = None
            return x
        if keep is None:
            keep = self.rng.random(x.shape) >= self.rate
        self.mask = keep * self.rate
        return x * self.mask

    def backward(self, dout):
        return dout if self.mask is None else dout * self.mask
''',
        "draws the mask from np.random, ignoring the seed": _DROPOUT_HEAD + '''
    def forward(self, x, training=False, keep=None):
        if not training or self.rate == 0:
            self.mask = None
            return x
        if keep is None:
            keep = np.random.random(x.shape) >= self.rate
        self.mask = keep / (1.0 - self.rate)
        return x * self.mask

    def backward(self, dout):
        return dout if self.mask is None else dout * self.mask
''',
        "backward without the 1 / (1 - rate) scale (boolean mask kept)": _DROPOUT_HEAD + '''
    def forward(self, x, training=False, keep=None):
        if not training or self.rate == 0:
            self.mask = None
            return x
        if keep is None:
            keep = self.rng.random(x.shape) >= self.rate
        self.mask = keep
        return x * keep / (1.0 - self.rate)

    def backward(self, dout):
        return dout if self.mask is None else dout * self.mask
''',
        "an inference-mode forward keeps the last training mask for backward": _DROPOUT_HEAD + '''
    def forward(self, x, training=False, keep=None):
        if not training or self.rate == 0:
            return x
        if keep is None:
            keep = self.rng.random(x.shape) >= self.rate
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
        "backward draws a new mask": _DROPOUT_HEAD + '''
    def forward(self, x, training=False, keep=None):
        if not training or self.rate == 0:
            self.mask = None
            return x
        if keep is None:
            keep = self.rng.random(x.shape) >= self.rate
        self.mask = keep / (1.0 - self.rate)
        return x * self.mask

    def backward(self, dout):
        if self.mask is None:
            return dout
        return dout * (self.rng.random(dout.shape) >= self.rate) / (1.0 - self.rate)
''',
    },
    "BatchNormalization": {
        "batch statistics at inference": _BN_HEAD + '''
    def forward(self, x, training=False):
        self.x = x
        mean, var = x.mean(axis=0), x.var(axis=0)
        if training:
            self.non_trainable["moving_mean"] = self.momentum * self.non_trainable["moving_mean"] + (1 - self.momentum) * mean
            self.non_trainable["moving_variance"] = self.momentum * self.non_trainable["moving_variance"] + (1 - self.momentum) * var
        return self.params["gamma"] * (x - mean) / np.sqrt(var + self.epsilon) + self.params["beta"]
''',
        "unbiased variance (ddof=1), unlike Keras": _fill(_BN_FORWARD, var="x.var(axis=0, ddof=1)", new_mean=_M_OK, new_var=_V_OK,
                                                                        denominator="np.sqrt(var + self.epsilon)"),
        "momentum weights swapped (momentum on the batch statistic, PyTorch's convention)": _fill(_BN_FORWARD, 
            var="x.var(axis=0)", denominator="np.sqrt(var + self.epsilon)",
            new_mean='(1 - self.momentum) * self.non_trainable["moving_mean"] + self.momentum * mean',
            new_var='(1 - self.momentum) * self.non_trainable["moving_variance"] + self.momentum * var'),
        "epsilon added to the standard deviation": _fill(_BN_FORWARD, var="x.var(axis=0)", new_mean=_M_OK, new_var=_V_OK,
                                                                      denominator="(np.sqrt(var) + self.epsilon)"),
        "moving variance fed the unbiased variance (PyTorch's running_var)": _fill(_BN_FORWARD, 
            var="x.var(axis=0)", new_mean=_M_OK, denominator="np.sqrt(var + self.epsilon)",
            new_var='self.momentum * self.non_trainable["moving_variance"] + (1 - self.momentum) * x.var(axis=0, ddof=1)'),
        "updates the moving statistics at inference too": _BN_HEAD + '''
    def forward(self, x, training=False):
        self.x = x
        mean, var = x.mean(axis=0), x.var(axis=0)
        self.non_trainable["moving_mean"] = self.momentum * self.non_trainable["moving_mean"] + (1 - self.momentum) * mean
        self.non_trainable["moving_variance"] = self.momentum * self.non_trainable["moving_variance"] + (1 - self.momentum) * var
        if not training:
            mean, var = self.non_trainable["moving_mean"], self.non_trainable["moving_variance"]
        return self.params["gamma"] * (x - mean) / np.sqrt(var + self.epsilon) + self.params["beta"]
''',
        "statistics over the whole batch array (no axis), not per feature": _fill(_BN_FORWARD, var="x.var()", new_mean=_M_OK,
            new_var=_V_OK, denominator="np.sqrt(var + self.epsilon)").replace("mean, var = x.mean(axis=0), x.var()", "mean, var = x.mean(), x.var()"),
        "forgets gamma and beta": _fill(_BN_FORWARD, var="x.var(axis=0)", new_mean=_M_OK, new_var=_V_OK,
                                                     denominator="np.sqrt(var + self.epsilon)").replace(
            'return self.params["gamma"] * (x - mean) / np.sqrt(var + self.epsilon) + self.params["beta"]',
            'return (x - mean) / np.sqrt(var + self.epsilon)'),
    },
    "batchnorm_backward": {
        "missing the mean and variance terms": _fill(_BN_BACKWARD, var="x.var(axis=0)", dx="g * inv_std",
                                                                   dgamma="(dout * x_hat).sum(axis=0)", dbeta="dout.sum(axis=0)"),
        "missing the variance term": _fill(_BN_BACKWARD, var="x.var(axis=0)", dx="inv_std * (g - g.mean(axis=0))",
                                                         dgamma="(dout * x_hat).sum(axis=0)", dbeta="dout.sum(axis=0)"),
        "dgamma from x instead of x_hat": _fill(_BN_BACKWARD, var="x.var(axis=0)", dx=_DX_OK,
                                                              dgamma="(dout * x).sum(axis=0)", dbeta="dout.sum(axis=0)"),
        "dbeta as a mean over the batch": _fill(_BN_BACKWARD, var="x.var(axis=0)", dx=_DX_OK,
                                                              dgamma="(dout * x_hat).sum(axis=0)", dbeta="dout.mean(axis=0)"),
        "unbiased variance (ddof=1)": _fill(_BN_BACKWARD, var="x.var(axis=0, ddof=1)", dx=_DX_OK,
                                                          dgamma="(dout * x_hat).sum(axis=0)", dbeta="dout.sum(axis=0)"),
        "dx without the 1 / N": _fill(_BN_BACKWARD, var="x.var(axis=0)", dx=_DX_OK.replace("inv_std / n", "inv_std"),
                                                   dgamma="(dout * x_hat).sum(axis=0)", dbeta="dout.sum(axis=0)"),
        "dx without gamma": _fill(_BN_BACKWARD, var="x.var(axis=0)", dx=_DX_OK.replace("g", "dout").replace("dout.sum", "dout.sum"),
                                                dgamma="(dout * x_hat).sum(axis=0)", dbeta="dout.sum(axis=0)"),
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
        "off by one: waits patience + 1 epochs": _fill(_ES, improved="loss < best - min_delta", stop=">"),
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
        "epochs counted from 1": '''
def early_stopping(val_losses, patience, min_delta=0.0):
    best, best_epoch, wait = np.inf, 0, 0
    for epoch, loss in enumerate(val_losses, start=1):
        if loss < best - min_delta:
            best, best_epoch, wait = loss, epoch, 0
        else:
            wait += 1
            if wait >= patience:
                return epoch, best_epoch
    return len(val_losses), best_epoch
''',
        "returns len(val_losses) when the rule never stops": _fill(_ES, improved="loss < best - min_delta", stop=">=").replace(
            "return len(val_losses) - 1, best_epoch", "return len(val_losses), best_epoch"),
        "equal losses count as improvements": _fill(_ES, improved="loss <= best - min_delta", stop=">="),
        "ignores min_delta": _fill(_ES, improved="loss < best", stop=">="),
        "min_delta added the wrong way (loss < best + min_delta)": _fill(_ES, improved="loss < best + min_delta", stop=">="),
        "patience counts all epochs without improvement, never reset": '''
def early_stopping(val_losses, patience, min_delta=0.0):
    best, best_epoch, wait = np.inf, 0, 0
    for epoch, loss in enumerate(val_losses):
        if loss < best - min_delta:
            best, best_epoch = loss, epoch
        else:
            wait += 1
            if wait >= patience:
                return epoch, best_epoch
    return len(val_losses) - 1, best_epoch
''',
    },
}
