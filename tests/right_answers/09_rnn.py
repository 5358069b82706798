"""Correct answers to Chapter 9, written differently from the answer key as a
strong learner honestly would. Each replaces the exercise's solution cell;
the FULL graded tests (visible and hidden) must give every one full marks,
with nothing on stderr."""

_RNN_HEAD = '''
class SimpleRNN(nn.Layer):
    def __init__(self, units, return_sequences=False, return_state=False, seed=None):
        super().__init__()
        self.units = int(units)
        self.return_sequences = return_sequences
        self.return_state = return_state
        self.seed = seed

    def build(self, input_shape):
        rng = nn.rng_from(self.seed)
        self.params["kernel"] = nn.glorot_uniform((input_shape[-1], self.units), rng)
        self.params["recurrent_kernel"] = orthogonal((self.units, self.units), rng)
        self.params["bias"] = nn.zeros((self.units,))
        self.grads = {key: np.zeros_like(value) for key, value in self.params.items()}
        self.built = True

    def __call__(self, x, training=False, initial_state=None):
        if not self.built:
            self.build(np.shape(x))
        return self.forward(x, training=training, initial_state=initial_state)

    def backward(self, dout):
        dh, _ = sequence_output_gradient(dout, self.cache["h"].shape, self.return_sequences, self.return_state)
        dx, self.grads, dh0 = simple_rnn_backward(dh, self.cache, self.params)
        self.d_initial_state = [dh0]
        return dx
'''

_LSTM_HEAD = '''
class LSTM(nn.Layer):
    def __init__(self, units, return_sequences=False, return_state=False, unit_forget_bias=True, seed=None):
        super().__init__()
        self.units = int(units)
        self.return_sequences = return_sequences
        self.return_state = return_state
        self.unit_forget_bias = unit_forget_bias
        self.seed = seed

    def __call__(self, x, training=False, initial_state=None):
        if not self.built:
            self.build(np.shape(x))
        return self.forward(x, training=training, initial_state=initial_state)

    def backward(self, dout):
        dh, dc_last = sequence_output_gradient(dout, self.cache["h"].shape, self.return_sequences, self.return_state)
        dx, self.grads, dh0, dc0 = lstm_backward(dh, dc_last, self.cache, self.params)
        self.d_initial_state = [dh0, dc0]
        return dx
'''


def _lstm_build(bias_code: str) -> str:
    return f'''
    def build(self, input_shape):
        rng = nn.rng_from(self.seed)
        units = self.units
        self.params["kernel"] = nn.glorot_uniform((input_shape[-1], 4 * units), rng)
        self.params["recurrent_kernel"] = orthogonal((units, 4 * units), rng)
        {bias_code}
        self.grads = {{key: np.zeros_like(value) for key, value in self.params.items()}}
        self.built = True
'''


RIGHT = {
    "SimpleRNN": {
        "a list of states stacked at the end, einsum for the two products, the initial state unpacked from the list": _RNN_HEAD + '''
    def forward(self, x, training=False, initial_state=None):
        x = np.asarray(x, dtype=np.float64)
        if initial_state is None:
            h = np.zeros((x.shape[0], self.units))
        else:
            (h,) = initial_state
            h = np.asarray(h, dtype=np.float64)
        h0 = h
        states = []
        for t in range(x.shape[1]):
            h = np.tanh(np.einsum("nd,du->nu", x[:, t, :], self.params["kernel"])
                        + np.einsum("nk,ku->nu", h, self.params["recurrent_kernel"]) + self.params["bias"])
            states.append(h)
        h_seq = np.stack(states, axis=1)
        self.cache = {"x": x, "h0": h0, "h": h_seq}
        out = h_seq if self.return_sequences else h_seq[:, -1, :]
        if self.return_state:
            return out, h_seq[:, -1, :]
        return out
''',
        "one example at a time, with np.dot and a preallocated output; the time axis moved first with swapaxes": _RNN_HEAD + '''
    def forward(self, x, training=False, initial_state=None):
        x = np.array(x, dtype=np.float64)            # a private copy
        n, steps = x.shape[0], x.shape[1]
        h0 = np.zeros((n, self.units)) if initial_state is None else np.array(initial_state[0], dtype=np.float64)
        by_time = np.swapaxes(x, 0, 1)               # (T, N, D)
        h_seq = np.zeros((n, steps, self.units))
        for example in range(n):
            state = h0[example]
            for t in range(steps):
                state = np.tanh(np.dot(by_time[t, example], self.params["kernel"])
                                + np.dot(state, self.params["recurrent_kernel"]) + self.params["bias"])
                h_seq[example, t] = state
        self.cache = dict(x=x, h0=h0, h=h_seq)
        result = h_seq if self.return_sequences else h_seq[:, steps - 1]
        return (result, h_seq[:, steps - 1]) if self.return_state else result
''',
    },
    "simple_rnn_backward": {
        "every step's dz kept, the weights' gradients summed over (N, T) after the loop with einsum": '''
def simple_rnn_backward(dh, cache, params):
    x, h0, h = cache["x"], cache["h0"], cache["h"]
    n, steps, _ = x.shape
    h_prev = np.concatenate([h0[:, None, :], h[:, :-1, :]], axis=1)      # the state that entered each step
    dz_all = np.zeros_like(h)
    carry = np.zeros_like(h0)
    for t in range(steps - 1, -1, -1):
        dz_all[:, t] = (dh[:, t] + carry) * (1.0 - h[:, t] * h[:, t])
        carry = dz_all[:, t] @ params["recurrent_kernel"].T
    grads = {"kernel": np.einsum("ntd,ntu->du", x, dz_all),
             "recurrent_kernel": np.einsum("ntk,ntu->ku", h_prev, dz_all),
             "bias": dz_all.sum(axis=(0, 1))}
    dx = np.einsum("ntu,du->ntd", dz_all, params["kernel"])
    return dx, grads, carry
''',
        "explicit sums of outer products, one example and one step at a time": '''
def simple_rnn_backward(dh, cache, params):
    x, h0, h = cache["x"], cache["h0"], cache["h"]
    n, steps, d = x.shape
    u = h.shape[2]
    kernel, recurrent = params["kernel"], params["recurrent_kernel"]
    d_kernel, d_recurrent, d_bias = np.zeros((d, u)), np.zeros((u, u)), np.zeros(u)
    dx = np.zeros((n, steps, d))
    dh0 = np.zeros((n, u))
    for example in range(n):
        upstream = np.zeros(u)
        for t in reversed(range(steps)):
            dz = (dh[example, t] + upstream) * (1.0 - h[example, t] ** 2)
            previous = h[example, t - 1] if t > 0 else h0[example]
            d_kernel = d_kernel + np.outer(x[example, t], dz)
            d_recurrent = d_recurrent + np.outer(previous, dz)
            d_bias = d_bias + dz
            dx[example, t] = kernel @ dz
            upstream = recurrent @ dz
        dh0[example] = upstream
    return dx, {"kernel": d_kernel, "recurrent_kernel": d_recurrent, "bias": d_bias}, dh0
''',
    },
    "clip_gradients": {
        "norms as sqrt(sum(g * g)), the factor 1 when the norm is within the threshold, otherwise c / norm": '''
def clip_gradients(grads, clipnorm=None, global_clipnorm=None):
    if clipnorm is not None and global_clipnorm is not None:
        raise ValueError("set clipnorm or global_clipnorm, not both")
    grads = [np.asarray(g, dtype=np.float64) for g in grads]
    if clipnorm is not None:
        clipped = []
        for g in grads:
            norm = np.sqrt(np.sum(g * g))
            clipped.append(g.copy() if norm <= clipnorm else g * (clipnorm / norm))
        return clipped
    if global_clipnorm is not None:
        norm = np.sqrt(sum(float(np.sum(g * g)) for g in grads))
        factor = 1.0 if norm <= global_clipnorm else global_clipnorm / norm
        return [g * factor for g in grads]
    return [g.copy() for g in grads]
''',
        "the global norm from one concatenated vector, np.minimum on the factor, copies scaled in place": '''
def clip_gradients(grads, clipnorm=None, global_clipnorm=None):
    if (clipnorm is not None) + (global_clipnorm is not None) > 1:
        raise ValueError("Only one of clipnorm and global_clipnorm can be set, as in Keras.")
    out = [np.array(g, dtype=np.float64) for g in grads]          # new arrays: scaling them in place is safe
    if global_clipnorm is not None:
        total = np.linalg.norm(np.concatenate([g.ravel() for g in out])) if out else 0.0
        if total > global_clipnorm:
            for g in out:
                g *= global_clipnorm / total
    elif clipnorm is not None:
        for g in out:
            norm = np.linalg.norm(g.ravel())
            g *= np.minimum(1.0, clipnorm / max(norm, clipnorm))
    return out
''',
    },
    "LSTM": {
        "np.split into the four gates, the bias built with np.concatenate, the states stacked from lists": _LSTM_HEAD + _lstm_build('''zeros = np.zeros(units)
        forget = np.ones(units) if self.unit_forget_bias else np.zeros(units)
        self.params["bias"] = np.concatenate([zeros, forget, zeros, zeros])''') + '''
    def forward(self, x, training=False, initial_state=None):
        x = np.asarray(x, dtype=np.float64)
        n = x.shape[0]
        if initial_state is None:
            h0 = c0 = np.zeros((n, self.units))
        else:
            h0, c0 = [np.asarray(s, dtype=np.float64) for s in initial_state]
        h, c = h0, c0
        record = {key: [] for key in ("i", "f", "g", "o", "c", "h")}
        for x_t in np.moveaxis(x, 1, 0):
            z = x_t @ self.params["kernel"] + h @ self.params["recurrent_kernel"] + self.params["bias"]
            z_i, z_f, z_c, z_o = np.split(z, 4, axis=1)
            i, f, g, o = sigmoid(z_i), sigmoid(z_f), np.tanh(z_c), sigmoid(z_o)
            c = f * c + i * g
            h = o * np.tanh(c)
            for key, value in zip(("i", "f", "g", "o", "c", "h"), (i, f, g, o, c, h)):
                record[key].append(value)
        self.cache = {"x": x, "h0": h0, "c0": c0, **{key: np.stack(values, axis=1) for key, values in record.items()}}
        output = self.cache["h"] if self.return_sequences else h
        if self.return_state:
            return output, h, c
        return output
''',
        "the bias filled block by block, the four products with einsum over named slices of the weights": _LSTM_HEAD + _lstm_build('''bias = np.zeros((4, units))
        bias[1] = 1.0 if self.unit_forget_bias else 0.0
        self.params["bias"] = bias.reshape(-1)''') + '''
    def forward(self, x, training=False, initial_state=None):
        x = np.asarray(x, dtype=np.float64)
        n, steps, _ = x.shape
        u = self.units
        h = np.zeros((n, u)) if initial_state is None else np.asarray(initial_state[0], dtype=np.float64)
        c = np.zeros((n, u)) if initial_state is None else np.asarray(initial_state[1], dtype=np.float64)
        cache = {"x": x, "h0": h, "c0": c, "i": np.zeros((n, steps, u)), "f": np.zeros((n, steps, u)),
                 "g": np.zeros((n, steps, u)), "o": np.zeros((n, steps, u)), "c": np.zeros((n, steps, u)), "h": np.zeros((n, steps, u))}
        K, R, b = self.params["kernel"], self.params["recurrent_kernel"], self.params["bias"]
        blocks = {"i": slice(0, u), "f": slice(u, 2 * u), "c": slice(2 * u, 3 * u), "o": slice(3 * u, 4 * u)}
        for t in range(steps):
            pre = {name: np.einsum("nd,dk->nk", x[:, t], K[:, s]) + np.einsum("nj,jk->nk", h, R[:, s]) + b[s]
                   for name, s in blocks.items()}
            i, f, o = sigmoid(pre["i"]), sigmoid(pre["f"]), sigmoid(pre["o"])
            g = np.tanh(pre["c"])
            c = i * g + f * c
            h = np.tanh(c) * o
            cache["i"][:, t], cache["f"][:, t], cache["g"][:, t], cache["o"][:, t] = i, f, g, o
            cache["c"][:, t], cache["h"][:, t] = c, h
        self.cache = cache
        out = cache["h"] if self.return_sequences else cache["h"][:, -1]
        return (out, cache["h"][:, -1], cache["c"][:, -1]) if self.return_state else out
''',
    },
    "lstm_backward": {
        "every step's dz kept in an (N, T, 4U) array, the weights' gradients with tensordot after the loop": '''
def lstm_backward(dh, dc_last, cache, params):
    x, h, c = cache["x"], cache["h"], cache["c"]
    n, steps, _ = x.shape
    u = h.shape[2]
    h_prev = np.concatenate([cache["h0"][:, None], h[:, :-1]], axis=1)
    c_prev = np.concatenate([cache["c0"][:, None], c[:, :-1]], axis=1)
    dz_all = np.zeros((n, steps, 4 * u))
    carry_h, carry_c = np.zeros((n, u)), dc_last + 0.0
    for t in range(steps - 1, -1, -1):
        i, f, g, o = cache["i"][:, t], cache["f"][:, t], cache["g"][:, t], cache["o"][:, t]
        total_h = dh[:, t] + carry_h
        squashed = np.tanh(c[:, t])
        total_c = carry_c + total_h * o * (1.0 - squashed ** 2)
        dz_all[:, t, :u] = total_c * g * i * (1.0 - i)
        dz_all[:, t, u:2 * u] = total_c * c_prev[:, t] * f * (1.0 - f)
        dz_all[:, t, 2 * u:3 * u] = total_c * i * (1.0 - g ** 2)
        dz_all[:, t, 3 * u:] = total_h * squashed * o * (1.0 - o)
        carry_h = dz_all[:, t] @ params["recurrent_kernel"].T
        carry_c = total_c * f
    grads = {"kernel": np.tensordot(x, dz_all, axes=([0, 1], [0, 1])),
             "recurrent_kernel": np.tensordot(h_prev, dz_all, axes=([0, 1], [0, 1])),
             "bias": dz_all.sum(axis=(0, 1))}
    dx = dz_all @ params["kernel"].T
    return dx, grads, carry_h, carry_c
''',
        "gate by gate with named derivatives, np.hstack, and the gradients accumulated with np.add": '''
def lstm_backward(dh, dc_last, cache, params):
    kernel, recurrent = params["kernel"], params["recurrent_kernel"]
    x = cache["x"]
    d_kernel, d_recurrent, d_bias = np.zeros(kernel.shape), np.zeros(recurrent.shape), np.zeros(params["bias"].shape)
    dx = np.zeros(x.shape)
    dh_from_next = np.zeros(cache["h0"].shape)
    dc_from_next = np.array(dc_last, dtype=np.float64, copy=True)
    for t in reversed(range(x.shape[1])):
        i, f, g, o = cache["i"][:, t], cache["f"][:, t], cache["g"][:, t], cache["o"][:, t]
        c_t = cache["c"][:, t]
        c_before = cache["c"][:, t - 1] if t else cache["c0"]
        h_before = cache["h"][:, t - 1] if t else cache["h0"]
        d_h = dh[:, t] + dh_from_next
        d_o = d_h * np.tanh(c_t)
        d_c = dc_from_next + d_h * o * (1.0 - np.tanh(c_t) ** 2)
        d_i, d_f, d_g = d_c * g, d_c * c_before, d_c * i
        d_z = np.hstack([d_i * i * (1.0 - i), d_f * f * (1.0 - f), d_g * (1.0 - g * g), d_o * o * (1.0 - o)])
        d_kernel = np.add(d_kernel, x[:, t].T @ d_z)
        d_recurrent = np.add(d_recurrent, h_before.T @ d_z)
        d_bias = np.add(d_bias, d_z.sum(axis=0))
        dx[:, t] = d_z @ kernel.T
        dh_from_next = d_z @ recurrent.T
        dc_from_next = d_c * f
    return dx, {"kernel": d_kernel, "recurrent_kernel": d_recurrent, "bias": d_bias}, dh_from_next, dc_from_next
''',
    },
    "lstm_weights_from_pytorch": {
        "np.transpose and np.add, converted to float64 first": '''
def lstm_weights_from_pytorch(weight_ih, weight_hh, bias_ih, bias_hh):
    weight_ih, weight_hh = np.asarray(weight_ih, dtype=np.float64), np.asarray(weight_hh, dtype=np.float64)
    kernel = np.ascontiguousarray(np.transpose(weight_ih))
    recurrent_kernel = np.ascontiguousarray(np.transpose(weight_hh))
    bias = np.add(np.asarray(bias_ih, dtype=np.float64), np.asarray(bias_hh, dtype=np.float64))
    return [kernel, recurrent_kernel, bias]
''',
        "gate by gate: PyTorch's four row blocks, each transposed, side by side in the same order": '''
def lstm_weights_from_pytorch(weight_ih, weight_hh, bias_ih, bias_hh):
    units = weight_hh.shape[1]
    def keras_blocks(w):
        return np.concatenate([w[k * units:(k + 1) * units].T for k in range(4)], axis=1).astype(np.float64)
    bias = np.array([bias_ih[j] + bias_hh[j] for j in range(4 * units)], dtype=np.float64)
    return [keras_blocks(weight_ih), keras_blocks(weight_hh), bias]
''',
    },
}
