"""Wrong answers learners really write in Chapter 8. Each replaces the
exercise's solution cell; the VISIBLE tests alone must take points away from
each one (a self-paced learner never runs the hidden tests). Most are the
answer key with one classic mistake put in (``_swap`` checks that the text
it replaces is there, so a change of the key cannot silently make a wrong
answer right)."""


def _swap(code: str, *pairs: tuple[str, str]) -> str:
    for old, new in pairs:
        assert old in code, f"wrong answer template out of date: {old!r} not found"
        code = code.replace(old, new)
    return code


# ---- Exercise 8.1 ---------------------------------------------------------------
_SIZES = '''
def conv_output_size(n, kernel_size, strides=1, padding="valid"):
    if padding == "valid":
        return (n - kernel_size) // strides + 1
    if padding == "same":
        return -(-n // strides)
    raise ValueError(padding)


def same_padding(n, kernel_size, strides=1):
    total = max((conv_output_size(n, kernel_size, strides, "same") - 1) * strides + kernel_size - n, 0)
    return total // 2, total - total // 2
'''

# ---- Exercise 8.2 ---------------------------------------------------------------
_NAIVE = '''
def conv2d_naive(x, kernel, bias, strides=1, padding="valid"):
    N, H, W, _ = x.shape
    kh, kw, _, F = kernel.shape
    xp = pad_input(x, (kh, kw), strides, padding)
    Ho, Wo = conv_output_size(H, kh, strides, padding), conv_output_size(W, kw, strides, padding)
    out = np.zeros((N, Ho, Wo, F))
    for n in range(N):
        for i in range(Ho):
            for j in range(Wo):
                window = xp[n, i * strides:i * strides + kh, j * strides:j * strides + kw, :]
                for f in range(F):
                    out[n, i, j, f] = np.sum(window * kernel[:, :, :, f]) + bias[f]
    return out
'''

# ---- Exercise 8.3 ---------------------------------------------------------------
_FAST = '''
def conv2d(x, kernel, bias, strides=1, padding="valid"):
    kh, kw, C, F = kernel.shape
    xp = pad_input(x, (kh, kw), strides, padding)
    windows = sliding_window_view(xp, (kh, kw), axis=(1, 2))[:, ::strides, ::strides]
    N, Ho, Wo = windows.shape[:3]
    patches = windows.transpose(0, 1, 2, 4, 5, 3).reshape(N, Ho, Wo, kh * kw * C)
    return patches @ kernel.reshape(kh * kw * C, F) + bias
'''

# ---- Exercise 8.4 ---------------------------------------------------------------
_BACK = '''
def conv2d_backward(dout, x, kernel, strides=1, padding="valid"):
    N, H, W, _ = x.shape
    kh, kw, C, F = kernel.shape
    xp = pad_input(x, (kh, kw), strides, padding)
    windows = sliding_window_view(xp, (kh, kw), axis=(1, 2))[:, ::strides, ::strides]
    Ho, Wo = windows.shape[1:3]
    patches = windows.transpose(0, 1, 2, 4, 5, 3).reshape(N * Ho * Wo, kh * kw * C)
    G = dout.reshape(N * Ho * Wo, F)
    dbias = G.sum(axis=0)
    dkernel = (patches.T @ G).reshape(kh, kw, C, F)
    dpatches = (G @ kernel.reshape(kh * kw * C, F).T).reshape(N, Ho, Wo, kh, kw, C)
    dxp = np.zeros(xp.shape)
    for a in range(kh):
        for b in range(kw):
            dxp[:, a:a + strides * (Ho - 1) + 1:strides, b:b + strides * (Wo - 1) + 1:strides, :] += dpatches[:, :, :, a, b, :]
    top = same_padding(H, kh, strides)[0] if padding == "same" else 0
    left = same_padding(W, kw, strides)[0] if padding == "same" else 0
    return dxp[:, top:top + H, left:left + W, :], dkernel, dbias
'''

_BACK_LOOP_DKERNEL = '''
def conv2d_backward(dout, x, kernel, strides=1, padding="valid"):
    N, H, W, _ = x.shape
    kh, kw, C, F = kernel.shape
    xp = pad_input(x, (kh, kw), strides, padding)
    Ho, Wo = dout.shape[1:3]
    dbias = dout.sum(axis=(0, 1, 2))
    dxp = np.zeros(xp.shape)
    for n in range(N):
        dkernel = np.zeros(kernel.shape)          # reset for every example: only the last one survives
        for i in range(Ho):
            for j in range(Wo):
                window = xp[n, i * strides:i * strides + kh, j * strides:j * strides + kw, :]
                dkernel += window[:, :, :, None] * dout[n, i, j]
                dxp[n, i * strides:i * strides + kh, j * strides:j * strides + kw, :] += kernel @ dout[n, i, j]
    top = same_padding(H, kh, strides)[0] if padding == "same" else 0
    left = same_padding(W, kw, strides)[0] if padding == "same" else 0
    return dxp[:, top:top + H, left:left + W, :], dkernel, dbias
'''

# ---- Exercise 8.5 ---------------------------------------------------------------
_MAX = '''
class MaxPooling2D(nn.Layer):
    def __init__(self, pool_size=2, strides=None, padding="valid", name=None):
        super().__init__(name)
        self.pool_size = int(pool_size)
        self.strides = self.pool_size if strides is None else int(strides)
        self.padding = padding

    def forward(self, x, training=False):
        p, s = self.pool_size, self.strides
        xp = pad_input(x, (p, p), s, self.padding, value=-np.inf)
        windows = sliding_window_view(xp, (p, p), axis=(1, 2))[:, ::s, ::s]
        flat = windows.reshape(*windows.shape[:4], p * p)
        self.argmax = flat.argmax(axis=-1)
        self.x_shape, self.xp_shape = x.shape, xp.shape
        return flat.max(axis=-1)

    def backward(self, dout):
        p, s = self.pool_size, self.strides
        N, H, W, C = self.x_shape
        a, b = np.divmod(self.argmax, p)
        n, i, j, c = np.indices(dout.shape)
        dxp = np.zeros(self.xp_shape)
        np.add.at(dxp, (n, i * s + a, j * s + b, c), dout)
        top = same_padding(H, p, s)[0] if self.padding == "same" else 0
        left = same_padding(W, p, s)[0] if self.padding == "same" else 0
        return dxp[:, top:top + H, left:left + W, :]
'''

_MAX_MASK_BACKWARD = '''
    def backward(self, dout):
        p, s = self.pool_size, self.strides
        N, H, W, C = self.x_shape
        Ho, Wo = dout.shape[1:3]
        dxp = np.zeros(self.xp_shape)
        for i in range(Ho):
            for j in range(Wo):
                window = self.xp[:, i * s:i * s + p, j * s:j * s + p, :]
                mask = window == window.max(axis=(1, 2), keepdims=True)
                dxp[:, i * s:i * s + p, j * s:j * s + p, :] += MASK_TIMES_DOUT
        top = same_padding(H, p, s)[0] if self.padding == "same" else 0
        left = same_padding(W, p, s)[0] if self.padding == "same" else 0
        return dxp[:, top:top + H, left:left + W, :]
'''

# ---- Exercise 8.6 ---------------------------------------------------------------
_AVG = '''
class AveragePooling2D(nn.Layer):
    def __init__(self, pool_size, strides=None, padding="valid", name=None):
        super().__init__(name)
        self.pool_size = int(pool_size)
        self.strides = self.pool_size if strides is None else int(strides)
        self.padding = padding

    def forward(self, x, training=False):
        p, s = self.pool_size, self.strides
        N, H, W, C = x.shape
        xp = pad_input(x, (p, p), s, self.padding)
        real = pad_input(np.ones((1, H, W, 1)), (p, p), s, self.padding)
        sums = sliding_window_view(xp, (p, p), axis=(1, 2))[:, ::s, ::s].sum(axis=(4, 5))
        self.counts = sliding_window_view(real, (p, p), axis=(1, 2))[:, ::s, ::s].sum(axis=(4, 5))
        self.x_shape, self.xp_shape = x.shape, xp.shape
        return sums / self.counts

    def backward(self, dout):
        p, s = self.pool_size, self.strides
        N, H, W, C = self.x_shape
        Ho, Wo = dout.shape[1:3]
        share = dout / self.counts
        dxp = np.zeros(self.xp_shape)
        for a in range(p):
            for b in range(p):
                dxp[:, a:a + s * (Ho - 1) + 1:s, b:b + s * (Wo - 1) + 1:s, :] += share
        top = same_padding(H, p, s)[0] if self.padding == "same" else 0
        left = same_padding(W, p, s)[0] if self.padding == "same" else 0
        return dxp[:, top:top + H, left:left + W, :]


class GlobalAveragePooling2D(nn.Layer):
    def forward(self, x, training=False):
        self.x_shape = x.shape
        return x.mean(axis=(1, 2))

    def backward(self, dout):
        N, H, W, C = self.x_shape
        return np.broadcast_to(dout[:, None, None, :] / (H * W), self.x_shape).copy()
'''


WRONG = {
    "conv_output_size": {
        "valid size without the + 1 ((n - k) // s)": _swap(_SIZES, ("return (n - kernel_size) // strides + 1", "return (n - kernel_size) // strides")),
        "same size rounded down (n // s)": _swap(_SIZES, ("return -(-n // strides)", "return n // strides")),
        "same size ignores the stride (returns n)": _swap(_SIZES, ("return -(-n // strides)", "return n")),
        "symmetric same padding (total // 2 on both sides)": _swap(_SIZES, ("return total // 2, total - total // 2", "return total // 2, total // 2")),
        "symmetric same padding rounded up (ceil(total / 2) on both sides)": _swap(
            _SIZES, ("return total // 2, total - total // 2", "return total - total // 2, total - total // 2")),
        "the odd padding at the top/left (PyTorch-style guess)": _swap(_SIZES, ("return total // 2, total - total // 2", "return total - total // 2, total // 2")),
        "total padding kernel_size - 1, whatever the stride": _swap(
            _SIZES, ("total = max((conv_output_size(n, kernel_size, strides, \"same\") - 1) * strides + kernel_size - n, 0)", "total = kernel_size - 1")),
        "total padding without max(..., 0) (negative when the windows already fit)": _swap(
            _SIZES, ("total = max((conv_output_size(n, kernel_size, strides, \"same\") - 1) * strides + kernel_size - n, 0)",
                     "total = (conv_output_size(n, kernel_size, strides, \"same\") - 1) * strides + kernel_size - n")),
        "valid size rounded up (ceil((n - k) / s) + 1)": _swap(
            _SIZES, ("return (n - kernel_size) // strides + 1", "return -(-(n - kernel_size) // strides) + 1")),
        "sizes returned as floats (true division)": _swap(_SIZES, ("return (n - kernel_size) // strides + 1", "return (n - kernel_size) / strides + 1")),
    },
    "conv2d_naive": {
        "kernel flipped (a true convolution)": _swap(_NAIVE, ("kernel[:, :, :, f]", "kernel[::-1, ::-1, :, f]")),
        "channels-first: x read as (N, C, H, W)": _swap(
            _NAIVE, ("N, H, W, _ = x.shape", "N, _, H, W = x.shape"),
                    ("window = xp[n, i * strides:i * strides + kh, j * strides:j * strides + kw, :]",
                     "window = xp[n, :, i * strides:i * strides + kh, j * strides:j * strides + kw].transpose(1, 2, 0)")),
        "symmetric same padding: (k - 1) // 2 on every side": _swap(
            _NAIVE, ("xp = pad_input(x, (kh, kw), strides, padding)",
                     "xp = np.pad(x, ((0, 0), ((kh - 1) // 2,) * 2, ((kw - 1) // 2,) * 2, (0, 0))) if padding == \"same\" else x"),
                    ("Ho, Wo = conv_output_size(H, kh, strides, padding), conv_output_size(W, kw, strides, padding)",
                     "Ho, Wo = conv_output_size(xp.shape[1], kh, strides), conv_output_size(xp.shape[2], kw, strides)")),
        "odd same padding put at the top/left": _swap(
            _NAIVE, ("xp = pad_input(x, (kh, kw), strides, padding)",
                     "xp = x if padding == \"valid\" else np.pad(x, ((0, 0), same_padding(H, kh, strides)[::-1], same_padding(W, kw, strides)[::-1], (0, 0)))")),
        "bias forgotten": _swap(_NAIVE, ("np.sum(window * kernel[:, :, :, f]) + bias[f]", "np.sum(window * kernel[:, :, :, f])")),
        "windows start at i, j instead of i * strides, j * strides": _swap(
            _NAIVE, ("window = xp[n, i * strides:i * strides + kh, j * strides:j * strides + kw, :]", "window = xp[n, i:i + kh, j:j + kw, :]")),
        "output size off by one (range(H - kh))": _swap(
            _NAIVE, ("Ho, Wo = conv_output_size(H, kh, strides, padding), conv_output_size(W, kw, strides, padding)",
                     "Ho, Wo = conv_output_size(H, kh, strides, padding) - 1, conv_output_size(W, kw, strides, padding) - 1")),
    },
    "conv2d": {
        "patches flattened as (C, kh, kw), the kernel as (kh, kw, C) (transpose forgotten)": _swap(
            _FAST, ("windows.transpose(0, 1, 2, 4, 5, 3).reshape", "windows.reshape")),
        "kernel flipped (a true convolution)": _swap(_FAST, ("patches @ kernel.reshape", "patches @ kernel[::-1, ::-1].reshape")),
        "strides forgotten (every stride-1 window kept)": _swap(_FAST, ("[:, ::strides, ::strides]", "")),
        "symmetric same padding (k // 2 on every side)": _swap(
            _FAST, ("xp = pad_input(x, (kh, kw), strides, padding)",
                    "xp = np.pad(x, ((0, 0), (kh // 2, kh // 2), (kw // 2, kw // 2), (0, 0))) if padding == \"same\" else x")),
        "the loops of conv2d_naive again (not vectorised)": '''
def conv2d(x, kernel, bias, strides=1, padding="valid"):
    N, H, W, _ = x.shape
    kh, kw, _, F = kernel.shape
    xp = pad_input(x, (kh, kw), strides, padding)
    Ho, Wo = conv_output_size(H, kh, strides, padding), conv_output_size(W, kw, strides, padding)
    out = np.zeros((N, Ho, Wo, F))
    for n in range(N):
        for i in range(Ho):
            for j in range(Wo):
                window = xp[n, i * strides:i * strides + kh, j * strides:j * strides + kw, :]
                out[n, i, j] = np.tensordot(window, kernel, axes=3) + bias
    return out
''',
        "patches flattened as (kw, kh, C) (window axes swapped in the transpose)": _swap(
            _FAST, ("windows.transpose(0, 1, 2, 4, 5, 3)", "windows.transpose(0, 1, 2, 5, 4, 3)")),
        "einsum with the kernel's two spatial axes swapped": _swap(
            _FAST, ("return patches @ kernel.reshape(kh * kw * C, F) + bias",
                    "return np.einsum(\"nijcab,bacf->nijf\", windows, kernel) + bias")),
    },
    "conv2d_backward": {
        "dkernel not summed over the batch (reset for every example)": _BACK_LOOP_DKERNEL,
        "dkernel averaged over the batch": _swap(_BACK, ("dkernel = (patches.T @ G).reshape(kh, kw, C, F)", "dkernel = (patches.T @ G).reshape(kh, kw, C, F) / N")),
        "dbias summed over the batch axis only": _swap(_BACK, ("dbias = G.sum(axis=0)", "dbias = dout.sum(axis=0)")),
        "dbias summed over the positions but not the batch": _swap(_BACK, ("dbias = G.sum(axis=0)", "dbias = dout.sum(axis=(1, 2))")),
        "dbias averaged instead of summed": _swap(_BACK, ("dbias = G.sum(axis=0)", "dbias = G.mean(axis=0)")),
        "dbias of the first example only": _swap(_BACK, ("dbias = G.sum(axis=0)", "dbias = dout[0].sum(axis=(0, 1))")),
        "dx: overlapping windows assigned (=), not accumulated": _swap(_BACK, ("+= dpatches[:, :, :, a, b, :]", "= dpatches[:, :, :, a, b, :]")),
        "dkernel from patches flattened as (C, kh, kw)": _swap(
            _BACK, ("patches = windows.transpose(0, 1, 2, 4, 5, 3).reshape(N * Ho * Wo, kh * kw * C)",
                    "patches = windows.reshape(N * Ho * Wo, kh * kw * C)")),
        "dx with the kernel flipped": _swap(_BACK, ("(G @ kernel.reshape(kh * kw * C, F).T)", "(G @ kernel[::-1, ::-1].reshape(kh * kw * C, F).T)")),
        "dx still padded (not cropped)": _swap(_BACK, ("return dxp[:, top:top + H, left:left + W, :], dkernel, dbias", "return dxp, dkernel, dbias")),
        "dx cropped from the bottom/right instead of the top/left": _swap(
            _BACK, ("top = same_padding(H, kh, strides)[0] if padding == \"same\" else 0", "top = same_padding(H, kh, strides)[1] if padding == \"same\" else 0"),
                   ("left = same_padding(W, kw, strides)[0] if padding == \"same\" else 0", "left = same_padding(W, kw, strides)[1] if padding == \"same\" else 0")),
        "dx scattered as if the stride were 1": _swap(
            _BACK, ("dxp[:, a:a + strides * (Ho - 1) + 1:strides, b:b + strides * (Wo - 1) + 1:strides, :]", "dxp[:, a:a + Ho, b:b + Wo, :]")),
        "channels-first kernel gradient (C_out, C_in, kh, kw)": _swap(
            _BACK, ("return dxp[:, top:top + H, left:left + W, :], dkernel, dbias", "return dxp[:, top:top + H, left:left + W, :], dkernel.transpose(3, 2, 0, 1), dbias")),
    },
    "MaxPooling2D": {
        "backward spreads the gradient to every element of the window": _swap(
            _swap(_MAX, ("        self.x_shape, self.xp_shape = x.shape, xp.shape", "        self.x_shape, self.xp_shape, self.xp = x.shape, xp.shape, xp")),
            (_MAX[_MAX.index("    def backward"):], _MAX_MASK_BACKWARD.lstrip("\n").replace("MASK_TIMES_DOUT", "dout[:, i:i + 1, j:j + 1, :]"))),
        "backward to every tied maximum (mask x == max)": _swap(
            _swap(_MAX, ("        self.x_shape, self.xp_shape = x.shape, xp.shape", "        self.x_shape, self.xp_shape, self.xp = x.shape, xp.shape, xp")),
            (_MAX[_MAX.index("    def backward"):], _MAX_MASK_BACKWARD.lstrip("\n").replace("MASK_TIMES_DOUT", "mask * dout[:, i:i + 1, j:j + 1, :]"))),
        "backward to the last of tied maxima": _swap(
            _MAX, ("self.argmax = flat.argmax(axis=-1)", "self.argmax = p * p - 1 - flat[..., ::-1].argmax(axis=-1)")),
        "overlapping windows: gradients assigned, not accumulated": _swap(
            _MAX, ("np.add.at(dxp, (n, i * s + a, j * s + b, c), dout)", "dxp[n, i * s + a, j * s + b, c] = dout")),
        "strides=None taken as strides=1": _swap(_MAX, ("self.strides = self.pool_size if strides is None else int(strides)", "self.strides = 1 if strides is None else int(strides)")),
        "padding=\"same\": gradient cropped from the bottom/right": _swap(
            _MAX, ("top = same_padding(H, p, s)[0]", "top = same_padding(H, p, s)[1]"), ("left = same_padding(W, p, s)[0]", "left = same_padding(W, p, s)[1]")),
        "padding with zeros for padding=\"same\"": _swap(_MAX, ("value=-np.inf", "value=0.0")),
        "row and column of the maximum swapped (divmod read as column, row)": _swap(_MAX, ("a, b = np.divmod(self.argmax, p)", "b, a = np.divmod(self.argmax, p)")),
    },
    "AveragePooling2D": {
        "padding counted in the average (divides by pool_size ** 2)": _swap(
            _AVG, ("self.counts = sliding_window_view(real, (p, p), axis=(1, 2))[:, ::s, ::s].sum(axis=(4, 5))", "self.counts = p * p")),
        "backward not divided by the window size": _swap(_AVG, ("share = dout / self.counts", "share = dout")),
        "overlapping windows: gradients assigned, not accumulated": _swap(
            _AVG, ("dxp[:, a:a + s * (Ho - 1) + 1:s, b:b + s * (Wo - 1) + 1:s, :] += share", "dxp[:, a:a + s * (Ho - 1) + 1:s, b:b + s * (Wo - 1) + 1:s, :] = share")),
        "global average over axes (2, 3) (channels-first)": _swap(_AVG, ("return x.mean(axis=(1, 2))", "return x.mean(axis=(2, 3))")),
        "global average backward not divided by H * W": _swap(_AVG, ("dout[:, None, None, :] / (H * W)", "dout[:, None, None, :]")),
        "global average with keepdims (N, 1, 1, C)": _swap(
            _AVG, ("return x.mean(axis=(1, 2))", "return x.mean(axis=(1, 2), keepdims=True)"),
                  ("dout[:, None, None, :] / (H * W)", "dout.reshape(N, 1, 1, C) / (H * W)")),
        "strides=None taken as strides=1": _swap(_AVG, ("self.strides = self.pool_size if strides is None else int(strides)", "self.strides = 1 if strides is None else int(strides)")),
    },
}
