"""Correct answers to Chapter 8, written differently from the answer key as a
strong learner honestly would. Each replaces the exercise's solution cell;
the FULL graded tests (visible and hidden) must give every one full marks,
with nothing on stderr."""

_POOL_INIT = '''
    def __init__(self, pool_size=2, strides=None, padding="valid", name=None):
        super().__init__(name)
        self.pool_size = int(pool_size)
        self.strides = self.pool_size if strides is None else int(strides)
        self.padding = padding
'''

RIGHT = {
    "conv_output_size": {
        "math.ceil forms of the same formulas: ceil((n - k + 1) / s) window starts fit; ceil(n / s) for same": '''
import math


def conv_output_size(n, kernel_size, strides=1, padding="valid"):
    if padding == "same":
        return math.ceil(n / strides)
    return math.ceil((n - kernel_size + 1) / strides)


def same_padding(n, kernel_size, strides=1):
    out = math.ceil(n / strides)
    total = (out - 1) * strides + kernel_size - n
    if total <= 0:
        return 0, 0
    before, extra = divmod(total, 2)
    return before, before + extra
''',
        "counts the window starts literally, as the text describes them": '''
def conv_output_size(n, kernel_size, strides=1, padding="valid"):
    if padding == "valid":
        return len(range(0, n - kernel_size + 1, strides))
    return len(range(0, n, strides))


def same_padding(n, kernel_size, strides=1):
    last_start = (conv_output_size(n, kernel_size, strides, "same") - 1) * strides
    total = max(0, last_start + kernel_size - n)
    after = (total + 1) // 2          # the odd one at the bottom/right
    return total - after, after
''',
    },
    "conv2d_naive": {
        "loops over n, i, j only; tensordot over the window does every filter at once; own zero padding": '''
def conv2d_naive(x, kernel, bias, strides=1, padding="valid"):
    N, H, W, C = x.shape
    kh, kw, _, F = kernel.shape
    if padding == "same":
        (t, b), (l, r) = same_padding(H, kh, strides), same_padding(W, kw, strides)
        xp = np.zeros((N, H + t + b, W + l + r, C))
        xp[:, t:t + H, l:l + W, :] = x
    else:
        xp = x
    Ho = conv_output_size(H, kh, strides, padding)
    Wo = conv_output_size(W, kw, strides, padding)
    out = np.empty((N, Ho, Wo, F))
    for n in range(N):
        for i in range(Ho):
            for j in range(Wo):
                r0, c0 = i * strides, j * strides
                out[n, i, j, :] = np.tensordot(xp[n, r0:r0 + kh, c0:c0 + kw, :], kernel, axes=([0, 1, 2], [0, 1, 2])) + bias
    return out
''',
        "every index as a scalar loop, exactly the formula of Section 2": '''
def conv2d_naive(x, kernel, bias, strides=1, padding="valid"):
    N, H, W, C = x.shape
    kh, kw, _, F = kernel.shape
    xp = pad_input(x, (kh, kw), strides, padding)
    Ho = (xp.shape[1] - kh) // strides + 1
    Wo = (xp.shape[2] - kw) // strides + 1
    out = np.zeros((N, Ho, Wo, F))
    for n in range(N):
        for i in range(Ho):
            for j in range(Wo):
                for f in range(F):
                    total = bias[f]
                    for a in range(kh):
                        for b in range(kw):
                            for c in range(C):
                                total += xp[n, i * strides + a, j * strides + b, c] * kernel[a, b, c, f]
                    out[n, i, j, f] = total
    return out
''',
    },
    "conv2d": {
        "einsum over the sliding windows (the one-liner of Section 5)": '''
def conv2d(x, kernel, bias, strides=1, padding="valid"):
    kh, kw = kernel.shape[:2]
    windows = sliding_window_view(pad_input(x, (kh, kw), strides, padding), (kh, kw), axis=(1, 2))
    return np.einsum("nijcab,abcf->nijf", windows[:, ::strides, ::strides], kernel) + bias
''',
        "a loop over the kh * kw kernel offsets: each adds one shifted, strided slice times kernel[a, b]": '''
def conv2d(x, kernel, bias, strides=1, padding="valid"):
    kh, kw, C, F = kernel.shape
    xp = pad_input(x, (kh, kw), strides, padding)
    Ho = (xp.shape[1] - kh) // strides + 1
    Wo = (xp.shape[2] - kw) // strides + 1
    out = np.zeros((x.shape[0], Ho, Wo, F)) + bias
    for a in range(kh):
        for b in range(kw):
            rows = slice(a, a + strides * (Ho - 1) + 1, strides)
            cols = slice(b, b + strides * (Wo - 1) + 1, strides)
            out += xp[:, rows, cols, :] @ kernel[a, b]
    return out
''',
        "im2col by concatenating the strided slices in the kernel's (kh, kw, C) order": '''
def conv2d(x, kernel, bias, strides=1, padding="valid"):
    kh, kw, C, F = kernel.shape
    xp = pad_input(x, (kh, kw), strides, padding)
    Ho = conv_output_size(x.shape[1], kh, strides, padding)
    Wo = conv_output_size(x.shape[2], kw, strides, padding)
    cols = np.concatenate([xp[:, a:a + strides * (Ho - 1) + 1:strides, b:b + strides * (Wo - 1) + 1:strides, :]
                           for a in range(kh) for b in range(kw)], axis=-1)
    return np.tensordot(cols, kernel.reshape(-1, F), axes=1) + bias
''',
    },
    "conv2d_backward": {
        "loops over examples and output pixels, accumulating each window's contribution (+=)": '''
def conv2d_backward(dout, x, kernel, strides=1, padding="valid"):
    N, H, W, C = x.shape
    kh, kw, _, F = kernel.shape
    xp = pad_input(x, (kh, kw), strides, padding)
    dxp = np.zeros_like(xp, dtype=np.float64)
    dkernel = np.zeros(kernel.shape)
    for n in range(N):
        for i in range(dout.shape[1]):
            for j in range(dout.shape[2]):
                r, c = i * strides, j * strides
                g = dout[n, i, j]                                  # (F,)
                dkernel += np.multiply.outer(xp[n, r:r + kh, c:c + kw, :], g)
                dxp[n, r:r + kh, c:c + kw, :] += kernel @ g
    dbias = dout.sum(axis=(0, 1, 2))
    if padding == "same":
        top, left = same_padding(H, kh, strides)[0], same_padding(W, kw, strides)[0]
    else:
        top = left = 0
    return dxp[:, top:top + H, left:left + W, :], dkernel, dbias
''',
        "einsum for dkernel and for each kernel offset's share of dx": '''
def conv2d_backward(dout, x, kernel, strides=1, padding="valid"):
    N, H, W, C = x.shape
    kh, kw, _, F = kernel.shape
    s = strides
    xp = pad_input(x, (kh, kw), s, padding)
    windows = sliding_window_view(xp, (kh, kw), axis=(1, 2))[:, ::s, ::s]     # (N, Ho, Wo, C, kh, kw)
    Ho, Wo = dout.shape[1:3]
    dkernel = np.einsum("nijcab,nijf->abcf", windows, dout)
    dbias = np.einsum("nijf->f", dout)
    dxp = np.zeros(xp.shape)
    for a in range(kh):
        for b in range(kw):
            dxp[:, a:a + s * (Ho - 1) + 1:s, b:b + s * (Wo - 1) + 1:s, :] += np.einsum("nijf,cf->nijc", dout, kernel[a, b])
    pads = (same_padding(H, kh, s), same_padding(W, kw, s)) if padding == "same" else ((0, 0), (0, 0))
    (top, bottom), (left, right) = pads
    return dxp[:, top:xp.shape[1] - bottom, left:xp.shape[2] - right, :], dkernel, dbias
''',
    },
    "MaxPooling2D": {
        "a loop over output positions, vectorised over examples and channels; argmax of the window flattened row by row": '''
class MaxPooling2D(nn.Layer):''' + _POOL_INIT + '''
    def forward(self, x, training=False):
        p, s = self.pool_size, self.strides
        N, H, W, C = x.shape
        self.pads = (same_padding(H, p, s), same_padding(W, p, s)) if self.padding == "same" else ((0, 0), (0, 0))
        (t, b), (l, r) = self.pads
        xp = np.full((N, H + t + b, W + l + r, C), -np.inf)
        xp[:, t:t + H, l:l + W, :] = x
        Ho, Wo = (xp.shape[1] - p) // s + 1, (xp.shape[2] - p) // s + 1
        out = np.empty((N, Ho, Wo, C))
        self.where = np.empty((N, Ho, Wo, C), dtype=int)
        for i in range(Ho):
            for j in range(Wo):
                window = xp[:, i * s:i * s + p, j * s:j * s + p, :].reshape(N, p * p, C)
                k = window.argmax(axis=1)                     # the first maximum, row by row
                self.where[:, i, j, :] = k
                out[:, i, j, :] = np.take_along_axis(window, k[:, None, :], axis=1)[:, 0, :]
        self.xp_shape, self.shape = xp.shape, x.shape
        return out

    def backward(self, dout):
        p, s = self.pool_size, self.strides
        N, Ho, Wo, C = dout.shape
        dxp = np.zeros(self.xp_shape)
        n_idx, c_idx = np.arange(N)[:, None], np.arange(C)[None, :]
        for i in range(Ho):
            for j in range(Wo):
                r, q = np.divmod(self.where[:, i, j, :], p)
                dxp[n_idx, i * s + r, j * s + q, c_idx] += dout[:, i, j, :]    # one element per (n, c): no collision
        (t, _), (l, _) = self.pads
        H, W = self.shape[1:3]
        return dxp[:, t:t + H, l:l + W, :]
''',
        "a mask of the FIRST maximum (cumsum keeps only the first True), scattered by kernel offset": '''
class MaxPooling2D(nn.Layer):''' + _POOL_INIT + '''
    def forward(self, x, training=False):
        p, s = self.pool_size, self.strides
        xp = pad_input(x, (p, p), s, self.padding, value=-np.inf)
        win = sliding_window_view(xp, (p, p), axis=(1, 2))[:, ::s, ::s]            # (N, Ho, Wo, C, p, p)
        flat = win.reshape(win.shape[:4] + (p * p,))
        top = flat.max(axis=-1)
        is_max = flat == top[..., None]
        self.first = (is_max & (np.cumsum(is_max, axis=-1) == 1)).reshape(win.shape)
        self.x_shape, self.xp_shape = x.shape, xp.shape
        return top

    def backward(self, dout):
        p, s = self.pool_size, self.strides
        N, H, W, C = self.x_shape
        Ho, Wo = dout.shape[1:3]
        dxp = np.zeros(self.xp_shape)
        for a in range(p):
            for b in range(p):
                dxp[:, a:a + s * (Ho - 1) + 1:s, b:b + s * (Wo - 1) + 1:s, :] += self.first[..., a, b] * dout
        t = same_padding(H, p, s)[0] if self.padding == "same" else 0
        l = same_padding(W, p, s)[0] if self.padding == "same" else 0
        return dxp[:, t:t + H, l:l + W, :]
''',
    },
    "AveragePooling2D": {
        "loops over windows clipped to the image, dividing by the real pixel count; GAP backward with np.repeat": '''
class AveragePooling2D(nn.Layer):''' + _POOL_INIT + '''
    def _windows(self, H, W):
        p, s = self.pool_size, self.strides
        t = same_padding(H, p, s)[0] if self.padding == "same" else 0
        l = same_padding(W, p, s)[0] if self.padding == "same" else 0
        Ho, Wo = conv_output_size(H, p, s, self.padding), conv_output_size(W, p, s, self.padding)
        for i in range(Ho):
            for j in range(Wo):
                r0, c0 = i * s - t, j * s - l
                yield i, j, slice(max(r0, 0), min(r0 + p, H)), slice(max(c0, 0), min(c0 + p, W))

    def forward(self, x, training=False):
        N, H, W, C = x.shape
        self.x_shape = x.shape
        Ho = conv_output_size(H, self.pool_size, self.strides, self.padding)
        Wo = conv_output_size(W, self.pool_size, self.strides, self.padding)
        out = np.zeros((N, Ho, Wo, C))
        for i, j, rows, cols in self._windows(H, W):
            out[:, i, j, :] = x[:, rows, cols, :].mean(axis=(1, 2))
        return out

    def backward(self, dout):
        N, H, W, C = self.x_shape
        dx = np.zeros(self.x_shape)
        for i, j, rows, cols in self._windows(H, W):
            count = (rows.stop - rows.start) * (cols.stop - cols.start)
            dx[:, rows, cols, :] += dout[:, i, j, :][:, None, None, :] / count
        return dx


class GlobalAveragePooling2D(nn.Layer):
    def forward(self, x, training=False):
        self.hw = x.shape[1:3]
        return x.sum(axis=(1, 2)) / (x.shape[1] * x.shape[2])

    def backward(self, dout):
        H, W = self.hw
        return np.repeat(np.repeat(dout[:, None, None, :], H, axis=1), W, axis=2) / (H * W)
''',
        "counts of real pixels per window as an outer product of row and column counts; GAP by multiplying with ones": '''
class AveragePooling2D(nn.Layer):''' + _POOL_INIT + '''
    def _counts(self, n):
        p, s = self.pool_size, self.strides
        before = same_padding(n, p, s)[0] if self.padding == "same" else 0
        starts = np.arange(conv_output_size(n, p, s, self.padding)) * s - before
        return np.minimum(starts + p, n) - np.maximum(starts, 0)

    def forward(self, x, training=False):
        p, s = self.pool_size, self.strides
        self.x = x
        self.counts = np.outer(self._counts(x.shape[1]), self._counts(x.shape[2]))[None, :, :, None]
        xp = pad_input(x, (p, p), s, self.padding)
        win = sliding_window_view(xp, (p, p), axis=(1, 2))[:, ::s, ::s]
        return np.einsum("nijcab->nijc", win) / self.counts

    def backward(self, dout):
        p, s = self.pool_size, self.strides
        x = self.x
        xp_shape = pad_input(x, (p, p), s, self.padding).shape
        dxp = np.zeros(xp_shape)
        g = dout / self.counts
        Ho, Wo = dout.shape[1:3]
        for a in range(p):
            for b in range(p):
                dxp[:, a:a + s * (Ho - 1) + 1:s, b:b + s * (Wo - 1) + 1:s, :] += g
        H, W = x.shape[1:3]
        t = same_padding(H, p, s)[0] if self.padding == "same" else 0
        l = same_padding(W, p, s)[0] if self.padding == "same" else 0
        return dxp[:, t:t + H, l:l + W, :]


class GlobalAveragePooling2D(nn.Layer):
    def forward(self, x, training=False):
        self.shape = x.shape
        return np.mean(x, axis=(1, 2))

    def backward(self, dout):
        N, H, W, C = self.shape
        return np.ones(self.shape) * (dout / (H * W))[:, None, None, :]
''',
    },
}
