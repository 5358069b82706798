"""Correct answers to Chapter 7, written differently from the answer keys, as
a strong learner honestly would. Each replaces the exercise's solution cell
and must score full marks through the full graded tests (visible and hidden),
with nothing on stderr."""

_DROPOUT_HEAD = '''
class Dropout(nn.Layer):
    """Inverted dropout, like keras.layers.Dropout(rate, seed=None)."""

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

RIGHT = {
    "variance_scaling": {
        "standard-normal draws scaled afterwards, truncation by rejection on |z| > 2, if/elif on the mode": '''
def variance_scaling(shape, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None):
    rng = nn.rng_from(seed)
    fan_in, fan_out = compute_fans(shape)
    if mode == "fan_in":
        fan = fan_in
    elif mode == "fan_out":
        fan = fan_out
    else:
        fan = (fan_in + fan_out) / 2
    std = np.sqrt(scale / max(1.0, fan))
    if distribution == "truncated_normal":
        z = rng.standard_normal(size=shape)
        bad = np.abs(z) > 2
        while np.any(bad):
            z[bad] = rng.standard_normal(size=np.count_nonzero(bad))
            bad = np.abs(z) > 2
        return z * (std / 0.87962566103423978)
    if distribution == "untruncated_normal":
        return std * rng.standard_normal(size=shape)
    return std * np.sqrt(3.0) * (2.0 * rng.random(size=shape) - 1.0)
''',
        "inverse-CDF truncated normal (scipy.special.ndtri on a uniform between Phi(-2) and Phi(2))": '''
from scipy.special import ndtr, ndtri


def variance_scaling(shape, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None):
    rng = nn.rng_from(seed)
    fan_in, fan_out = compute_fans(shape)
    fan = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": 0.5 * (fan_in + fan_out)}[mode]
    variance = scale / max(1.0, fan)
    if distribution == "uniform":
        limit = (3.0 * variance) ** 0.5
        return rng.uniform(low=-limit, high=limit, size=shape)
    if distribution == "untruncated_normal":
        return rng.normal(loc=0.0, scale=variance ** 0.5, size=shape)
    stddev = variance ** 0.5 / 0.87962566103423978
    u = rng.uniform(ndtr(-2.0), ndtr(2.0), size=shape)
    return stddev * ndtri(u)
''',
        "draws in batches and keeps the first values inside the bound (np.random.Generator passed through default_rng)": '''
def variance_scaling(shape, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None):
    rng = np.random.default_rng(seed)          # a Generator is returned unchanged
    fan_in, fan_out = compute_fans(shape)
    fans = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}
    std = np.sqrt(scale / max(1.0, fans[mode]))
    size = int(np.prod(shape))
    if distribution == "uniform":
        return rng.uniform(-np.sqrt(3) * std, np.sqrt(3) * std, size=shape)
    if distribution == "untruncated_normal":
        return rng.normal(0.0, std, size=shape)
    stddev = std / 0.87962566103423978
    kept = np.empty(0)
    while kept.size < size:
        draws = rng.normal(0.0, stddev, size=2 * size)
        kept = np.concatenate([kept, draws[np.abs(draws) <= 2 * stddev]])
    return kept[:size].reshape(shape)
''',
    },
    "l2_penalty": {
        "dict comprehension, np.vdot for the sum of squares": '''
def l2_penalty(params, l2):
    grads = {k: (2 * l2 * v if k == "kernel" else np.zeros_like(v)) for k, v in params.items()}
    penalty = l2 * float(np.vdot(params["kernel"], params["kernel"])) if "kernel" in params else 0.0
    return penalty, grads
''',
        "np.square and np.sum with multiplication by zero for the other keys (a new array each time)": '''
def l2_penalty(params, l2):
    penalty = 0.0
    grads = {}
    for key in params:
        w = params[key]
        is_kernel = 1.0 if key == "kernel" else 0.0
        penalty = penalty + is_kernel * l2 * np.sum(np.square(w))
        grads[key] = is_kernel * 2.0 * l2 * w
    return float(penalty), grads
''',
        "copies the dict first and uses np.linalg.norm": '''
def l2_penalty(params, l2):
    grads = {}
    penalty = 0.0
    for name, value in dict(params).items():
        if name == "kernel":
            penalty += l2 * np.linalg.norm(value) ** 2
            grads[name] = value * (2.0 * l2)
        else:
            grads[name] = 0.0 * value
    return penalty, grads
''',
    },
    "Dropout": {
        "keep with probability 1 - rate as rng.random < 1 - rate; mask stored as booleans, scale applied separately": _DROPOUT_HEAD + '''
    def forward(self, x, training=False, keep=None):
        self.training_call = bool(training) and self.rate > 0
        if not self.training_call:
            return x
        self.keep = (self.rng.random(np.shape(x)) < 1.0 - self.rate) if keep is None else np.asarray(keep, dtype=bool)
        return np.where(self.keep, x / (1.0 - self.rate), 0.0)

    def backward(self, dout):
        if not self.training_call:
            return dout
        return np.where(self.keep, dout / (1.0 - self.rate), 0.0)
''',
        "mask from rng.binomial(1, 1 - rate), scale = 1 / keep_prob": _DROPOUT_HEAD + '''
    def forward(self, x, training=False, keep=None):
        self.mask = None
        if training and self.rate > 0:
            keep_prob = 1.0 - self.rate
            if keep is None:
                keep = self.rng.binomial(1, keep_prob, size=x.shape)
            self.mask = keep.astype(np.float64) * (1.0 / keep_prob)
            x = x * self.mask
        return x

    def backward(self, dout):
        return dout if self.mask is None else self.mask * dout
''',
    },
    "BatchNormalization": {
        "Keras's update form moving -= (moving - batch) * (1 - momentum), in place, and rsqrt via ** -0.5": _BN_HEAD + '''
    def forward(self, x, training=False):
        self.x = x
        if training:
            mean = np.mean(x, axis=0)
            var = np.mean((x - mean) ** 2, axis=0)
            self.non_trainable["moving_mean"] -= (self.non_trainable["moving_mean"] - mean) * (1.0 - self.momentum)
            self.non_trainable["moving_variance"] -= (self.non_trainable["moving_variance"] - var) * (1.0 - self.momentum)
        else:
            mean = self.non_trainable["moving_mean"]
            var = self.non_trainable["moving_variance"]
        return (x - mean) * (var + self.epsilon) ** -0.5 * self.params["gamma"] + self.params["beta"]
''',
        "folds the normalisation into one scale and shift per feature": _BN_HEAD + '''
    def forward(self, x, training=False):
        self.x = x
        stats = self.non_trainable
        if training:
            mu, sigma2 = x.mean(0), x.var(0, ddof=0)
            stats["moving_mean"] = stats["moving_mean"] * self.momentum + mu * (1 - self.momentum)
            stats["moving_variance"] = stats["moving_variance"] * self.momentum + sigma2 * (1 - self.momentum)
        else:
            mu, sigma2 = stats["moving_mean"], stats["moving_variance"]
        a = self.params["gamma"] / np.sqrt(sigma2 + self.epsilon)
        return x * a + (self.params["beta"] - mu * a)
''',
    },
    "batchnorm_backward": {
        "the step-by-step computational graph (CS231n's staged backward)": '''
def batchnorm_backward(dout, x, gamma, epsilon=1e-3):
    n = x.shape[0]
    mu = x.mean(axis=0)
    xc = x - mu
    var = (xc ** 2).mean(axis=0)
    std = np.sqrt(var + epsilon)
    xhat = xc / std
    dbeta = dout.sum(axis=0)
    dgamma = (dout * xhat).sum(axis=0)
    dxhat = dout * gamma
    dstd = -(dxhat * xc).sum(axis=0) / std**2
    dvar = 0.5 * dstd / std
    dxc = dxhat / std + 2.0 * xc * dvar / n
    dmu = -dxc.sum(axis=0)
    dx = dxc + dmu / n
    return dx, dgamma, dbeta
''',
        "the compact form with means instead of sums, einsum for the reductions": '''
def batchnorm_backward(dout, x, gamma, epsilon=1e-3):
    xhat = (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + epsilon)
    dbeta = np.einsum("nd->d", dout)
    dgamma = np.einsum("nd,nd->d", dout, xhat)
    g = gamma * dout
    dx = (g - g.mean(axis=0) - xhat * (g * xhat).mean(axis=0)) / np.sqrt(x.var(axis=0) + epsilon)
    return dx, dgamma, dbeta
''',
    },
    "early_stopping": {
        "best - loss > min_delta, with best starting at None (the issue's form; ties decided exactly)": '''
def early_stopping(val_losses, patience, min_delta=0.0):
    best = None
    best_epoch = 0
    waited = 0
    for epoch, loss in enumerate(val_losses):
        if best is None or best - loss > min_delta:
            best, best_epoch, waited = loss, epoch, 0
            continue
        waited += 1
        if waited >= patience:
            return epoch, best_epoch
    return len(val_losses) - 1, best_epoch
''',
        "Keras's own comparison loss + min_delta < best, and Keras's order (count first, reset on improvement)": '''
def early_stopping(val_losses, patience, min_delta=0.0):
    best, best_epoch, wait = float("inf"), 0, 0
    stopped = len(val_losses) - 1
    for epoch in range(len(val_losses)):
        wait += 1
        if val_losses[epoch] + min_delta < best:
            best, best_epoch, wait = val_losses[epoch], epoch, 0
        elif wait >= patience:
            stopped = epoch
            break
    return stopped, best_epoch
''',
        "a while loop over indices with an explicit counter": '''
def early_stopping(val_losses, patience, min_delta=0.0):
    losses = list(val_losses)
    epoch, best_epoch, bad_epochs = 0, 0, 0
    while epoch < len(losses):
        if epoch == 0 or losses[epoch] < losses[best_epoch] - min_delta:
            best_epoch, bad_epochs = epoch, 0
        else:
            bad_epochs += 1
            if bad_epochs == patience:
                break
        epoch += 1
    return min(epoch, len(losses) - 1), best_epoch
''',
    },
}
