"""Wrong answers learners really write in Chapter 9. Each replaces the
exercise's solution cell; the VISIBLE tests alone must take points away from
every one (a self-paced learner never runs the hidden tests)."""

# ---- SimpleRNN (Exercise 9.1): the given parts of the cell, then a forward --------------------

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


def _rnn_forward(step: str, h0: str = "np.zeros((n, self.units)) if initial_state is None else np.asarray(initial_state[0], dtype=np.float64)",
                 output: str = "output = h_seq if self.return_sequences else h\n        return (output, h) if self.return_state else output",
                 cache: str = 'self.cache = {"x": x, "h0": h0, "h": h_seq}',
                 weights: str = 'kernel, recurrent_kernel, bias = self.params["kernel"], self.params["recurrent_kernel"], self.params["bias"]') -> str:
    return _RNN_HEAD + f'''
    def forward(self, x, training=False, initial_state=None):
        x = np.asarray(x, dtype=np.float64)
        n, steps, _ = x.shape
        h0 = {h0}
        {weights}
        h_seq = np.empty((n, steps, self.units))
        h = h0
        for t in range(steps):
            {step}
            h_seq[:, t] = h
        {cache}
        {output}
'''


_GOOD_STEP = "h = np.tanh(x[:, t] @ kernel + h @ recurrent_kernel + bias)"

# ---- LSTM (Exercise 9.4) ----------------------------------------------------------------------

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


def _lstm_build(bias: str = '''bias = np.zeros(4 * units)
        if self.unit_forget_bias:
            bias[units:2 * units] = 1.0''') -> str:
    return f'''
    def build(self, input_shape):
        rng = nn.rng_from(self.seed)
        units = self.units
        self.params["kernel"] = nn.glorot_uniform((input_shape[-1], 4 * units), rng)
        self.params["recurrent_kernel"] = orthogonal((units, 4 * units), rng)
        {bias}
        self.params["bias"] = bias
        self.grads = {{key: np.zeros_like(value) for key, value in self.params.items()}}
        self.built = True
'''


_GOOD_GATES = "i, f, g, o = sigmoid(z[:, :u]), sigmoid(z[:, u:2 * u]), np.tanh(z[:, 2 * u:3 * u]), sigmoid(z[:, 3 * u:])"
_GOOD_STATE = '''c = f * c + i * g
            h = o * np.tanh(c)'''
_GOOD_INIT = '''if initial_state is None:
            h, c = np.zeros((n, u)), np.zeros((n, u))
        else:
            h, c = (np.asarray(s, dtype=np.float64) for s in initial_state)'''


def _lstm_forward(gates: str = _GOOD_GATES, state: str = _GOOD_STATE, init: str = _GOOD_INIT) -> str:
    return f'''
    def forward(self, x, training=False, initial_state=None):
        x = np.asarray(x, dtype=np.float64)
        n, steps, _ = x.shape
        u = self.units
        {init}
        cache = {{"x": x, "h0": h, "c0": c}}
        cache.update({{key: np.empty((n, steps, u)) for key in ("i", "f", "g", "o", "c", "h")}})
        for t in range(steps):
            z = x[:, t] @ self.params["kernel"] + h @ self.params["recurrent_kernel"] + self.params["bias"]
            {gates}
            {state}
            for key, value in (("i", i), ("f", f), ("g", g), ("o", o), ("c", c), ("h", h)):
                cache[key][:, t] = value
        self.cache = cache
        output = cache["h"] if self.return_sequences else h
        return (output, h, c) if self.return_state else output
'''


def _lstm(build: str | None = None, forward: str | None = None) -> str:
    return _LSTM_HEAD + (build or _lstm_build()) + (forward or _lstm_forward())


# ---- BPTT bodies (Exercises 9.2 and 9.5) --------------------------------------------------------

def _rnn_bptt(loop: str, ret: str = "return dx, grads, dh_next") -> str:
    return f'''
def simple_rnn_backward(dh, cache, params):
    x, h_seq = cache["x"], cache["h"]
    grads = {{key: np.zeros_like(value) for key, value in params.items()}}
    dx = np.zeros_like(x)
    dh_next = np.zeros_like(cache["h0"])
    for t in reversed(range(x.shape[1])):
        h_prev = h_seq[:, t - 1] if t > 0 else cache["h0"]
{loop}
    {ret}
'''


_RNN_LOOP = '''        dz = (dh[:, t] + dh_next) * (1.0 - h_seq[:, t] ** 2)
        grads["kernel"] += x[:, t].T @ dz
        grads["recurrent_kernel"] += h_prev.T @ dz
        grads["bias"] += dz.sum(axis=0)
        dx[:, t] = dz @ params["kernel"].T
        dh_next = dz @ params["recurrent_kernel"].T'''


def _lstm_bptt(dc_line: str = "dc = dc_next + dh_t * o * (1.0 - tanh_c ** 2)",
               dz_line: str = "dz = np.concatenate([dc * g * i * (1.0 - i), dc * c_prev * f * (1.0 - f), dc * i * (1.0 - g ** 2), dh_t * tanh_c * o * (1.0 - o)], axis=1)",
               accumulate: str = '''grads["kernel"] += x[:, t].T @ dz
        grads["recurrent_kernel"] += h_prev.T @ dz
        grads["bias"] += dz.sum(axis=0)''',
               carry: str = "dc_next = dc * f",
               start: str = "dc_next = np.array(dc_last, dtype=np.float64)") -> str:
    return f'''
def lstm_backward(dh, dc_last, cache, params):
    x, h_seq, c_seq = cache["x"], cache["h"], cache["c"]
    grads = {{key: np.zeros_like(value) for key, value in params.items()}}
    dx = np.zeros_like(x)
    dh_next = np.zeros_like(cache["h0"])
    {start}
    for t in reversed(range(x.shape[1])):
        i, f, g, o, c = (cache[key][:, t] for key in ("i", "f", "g", "o", "c"))
        c_prev = c_seq[:, t - 1] if t > 0 else cache["c0"]
        h_prev = h_seq[:, t - 1] if t > 0 else cache["h0"]
        dh_t = dh[:, t] + dh_next
        tanh_c = np.tanh(c)
        {dc_line}
        {dz_line}
        {accumulate}
        dx[:, t] = dz @ params["kernel"].T
        dh_next = dz @ params["recurrent_kernel"].T
        {carry}
    return dx, grads, dh_next, dc_next
'''


def _clip(body: str) -> str:
    return f'''
def clip_gradients(grads, clipnorm=None, global_clipnorm=None):
{body}
'''


_CLIP_GUARD = '''    if clipnorm is not None and global_clipnorm is not None:
        raise ValueError("only one of clipnorm and global_clipnorm can be set")
'''
_CLIP_GLOBAL = '''    if global_clipnorm is not None:
        total = np.sqrt(sum(np.sum(g ** 2) for g in grads))
        return [g * (global_clipnorm / max(total, global_clipnorm)) for g in grads]
'''
_CLIP_PER = '''    if clipnorm is not None:
        return [g * (clipnorm / max(np.linalg.norm(g), clipnorm)) for g in grads]
'''
_CLIP_NONE = '''    return [np.array(g) for g in grads]'''


WRONG = {
    "SimpleRNN": {
        "returns only the last step even with return_sequences=True":
            _rnn_forward(_GOOD_STEP, output="return (h, h) if self.return_state else h"),
        "h is not carried: every step starts again from h0":
            _rnn_forward("h = np.tanh(x[:, t] @ kernel + h0 @ recurrent_kernel + bias)"),
        "the recurrent kernel applied transposed (h @ recurrent_kernel.T)":
            _rnn_forward("h = np.tanh(x[:, t] @ kernel + h @ recurrent_kernel.T + bias)"),
        "initial_state is ignored":
            _rnn_forward(_GOOD_STEP, h0="np.zeros((n, self.units))"),
        "ReLU instead of tanh":
            _rnn_forward("h = np.maximum(0.0, x[:, t] @ kernel + h @ recurrent_kernel + bias)"),
        "return_state returns (h_T, output), the final state first":
            _rnn_forward(_GOOD_STEP, output="output = h_seq if self.return_sequences else h\n        return (h, output) if self.return_state else output"),
        "the cache keeps only the last state":
            _rnn_forward(_GOOD_STEP, cache='self.cache = {"x": x, "h0": h0, "h": h}'),
        "the weights are read once, at the first call, and kept":
            _rnn_forward(_GOOD_STEP, weights='''if not hasattr(self, "kept"):
            self.kept = (self.params["kernel"], self.params["recurrent_kernel"], self.params["bias"])
        kernel, recurrent_kernel, bias = self.kept'''),
    },
    "simple_rnn_backward": {
        "the weights' gradients are overwritten at every step (= instead of +=)":
            _rnn_bptt(_RNN_LOOP.replace('grads["kernel"] +=', 'grads["kernel"] =').replace('grads["recurrent_kernel"] +=', 'grads["recurrent_kernel"] =')
                      .replace('grads["bias"] +=', 'grads["bias"] =')),
        "no gradient carried back through time (dh_next never updated)":
            _rnn_bptt(_RNN_LOOP.replace('dh_next = dz @ params["recurrent_kernel"].T', 'dh0 = dz @ params["recurrent_kernel"].T'), ret="return dx, grads, dh0"),
        "the recurrent kernel's gradient uses h_t instead of h_{t-1}":
            _rnn_bptt(_RNN_LOOP.replace("grads[\"recurrent_kernel\"] += h_prev.T @ dz", "grads[\"recurrent_kernel\"] += h_seq[:, t].T @ dz")),
        "the tanh derivative taken at the previous state h_{t-1}":
            _rnn_bptt(_RNN_LOOP.replace("(1.0 - h_seq[:, t] ** 2)", "(1.0 - h_prev ** 2)")),
        "the gradient from outside used at the last step only":
            _rnn_bptt(_RNN_LOOP.replace("dz = (dh[:, t] + dh_next)", "dz = ((dh[:, t] if t == x.shape[1] - 1 else 0.0) + dh_next)")),
        "the initial state's gradient returned as zeros":
            _rnn_bptt(_RNN_LOOP, ret="return dx, grads, np.zeros_like(cache[\"h0\"])"),
        "the carried gradient multiplied by the recurrent kernel without transposing it":
            _rnn_bptt(_RNN_LOOP.replace('dh_next = dz @ params["recurrent_kernel"].T', 'dh_next = dz @ params["recurrent_kernel"]')),
        "at t = 0 the previous state read as h_seq[:, t - 1] = h_seq[:, -1] (Python's last element) instead of h0":
            _rnn_bptt(_RNN_LOOP).replace('h_prev = h_seq[:, t - 1] if t > 0 else cache["h0"]', 'h_prev = h_seq[:, t - 1]'),
    },
    "clip_gradients": {
        "global_clipnorm clips each gradient on its own (per tensor, where Keras clips globally)":
            _clip(_CLIP_GUARD + _CLIP_PER + '''    if global_clipnorm is not None:
        return [g * (global_clipnorm / max(np.linalg.norm(g), global_clipnorm)) for g in grads]
''' + _CLIP_NONE),
        "clipnorm uses the global norm of all the gradients":
            _clip(_CLIP_GUARD + '''    if clipnorm is not None:
        total = np.sqrt(sum(np.sum(g ** 2) for g in grads))
        return [g * (clipnorm / max(total, clipnorm)) for g in grads]
''' + _CLIP_GLOBAL + _CLIP_NONE),
        "always rescales to the threshold, stretching short gradients":
            _clip(_CLIP_GUARD + '''    if clipnorm is not None:
        return [g * clipnorm / np.linalg.norm(g) if np.linalg.norm(g) > 0 else g for g in grads]
    if global_clipnorm is not None:
        total = np.sqrt(sum(np.sum(g ** 2) for g in grads))
        return [g * global_clipnorm / total if total > 0 else g for g in grads]
''' + _CLIP_NONE),
        "the factor min(1, c / norm) divides by a zero norm":
            _clip(_CLIP_GUARD + '''    if clipnorm is not None:
        return [g * min(1.0, clipnorm / np.linalg.norm(g)) for g in grads]
    if global_clipnorm is not None:
        total = np.sqrt(sum(np.sum(g ** 2) for g in grads))
        return [g * min(1.0, global_clipnorm / total) for g in grads]
''' + _CLIP_NONE),
        "the gradients are scaled in place":
            _clip(_CLIP_GUARD + '''    if clipnorm is not None:
        for g in grads:
            g *= clipnorm / max(np.linalg.norm(g), clipnorm)
        return list(grads)
    if global_clipnorm is not None:
        total = np.sqrt(sum(np.sum(g ** 2) for g in grads))
        for g in grads:
            g *= global_clipnorm / max(total, global_clipnorm)
        return list(grads)
''' + _CLIP_NONE),
        "the norm taken along the last axis (each row clipped on its own)":
            _clip(_CLIP_GUARD + '''    if clipnorm is not None:
        return [g * (clipnorm / np.maximum(np.linalg.norm(g, axis=-1, keepdims=True), clipnorm)) for g in grads]
''' + _CLIP_GLOBAL + _CLIP_NONE),
        "clipvalue instead of clipnorm (each element clipped to [-c, c])":
            _clip(_CLIP_GUARD + '''    if clipnorm is not None:
        return [np.clip(g, -clipnorm, clipnorm) for g in grads]
''' + _CLIP_GLOBAL + _CLIP_NONE),
        "no ValueError when both are given (clipnorm silently wins)":
            _clip(_CLIP_PER + _CLIP_GLOBAL + _CLIP_NONE),
        "the global norm taken as the sum of the norms instead of sqrt of the sum of squares":
            _clip(_CLIP_GUARD + _CLIP_PER + _CLIP_GLOBAL.replace("np.sqrt(sum(np.sum(g ** 2) for g in grads))", "sum(np.linalg.norm(g) for g in grads)") + _CLIP_NONE),
    },
    "LSTM": {
        "gates in the textbook order (i, f, o, g) instead of Keras's (i, f, c, o)":
            _lstm(forward=_lstm_forward(gates="i, f, o, g = sigmoid(z[:, :u]), sigmoid(z[:, u:2 * u]), sigmoid(z[:, 2 * u:3 * u]), np.tanh(z[:, 3 * u:])")),
        "the forget gate's bias not initialised to 1 (unit_forget_bias ignored)":
            _lstm(build=_lstm_build(bias="bias = np.zeros(4 * units)")),
        "the 1s of unit_forget_bias put in the first block (the input gate)":
            _lstm(build=_lstm_build(bias='''bias = np.zeros(4 * units)
        if self.unit_forget_bias:
            bias[:units] = 1.0''')),
        "unit_forget_bias=False still gets the 1s":
            _lstm(build=_lstm_build(bias='''bias = np.zeros(4 * units)
        bias[units:2 * units] = 1.0''')),
        "h updated with c instead of tanh(c)":
            _lstm(forward=_lstm_forward(state='''c = f * c + i * g
            h = o * c''')),
        "the forget gate left out (c = i * g)":
            _lstm(forward=_lstm_forward(state='''c = i * g
            h = o * np.tanh(c)''')),
        "the cell candidate squashed by the sigmoid instead of tanh":
            _lstm(forward=_lstm_forward(gates="i, f, g, o = sigmoid(z[:, :u]), sigmoid(z[:, u:2 * u]), sigmoid(z[:, 2 * u:3 * u]), sigmoid(z[:, 3 * u:])")),
        "gates read from interleaved columns (z[:, k::4])":
            _lstm(forward=_lstm_forward(gates="i, f, g, o = sigmoid(z[:, 0::4]), sigmoid(z[:, 1::4]), np.tanh(z[:, 2::4]), sigmoid(z[:, 3::4])")),
        "initial_state ignored":
            _lstm(forward=_lstm_forward(init="h, c = np.zeros((n, u)), np.zeros((n, u))")),
        "initial_state read in the wrong order ([c0, h0])":
            _lstm(forward=_lstm_forward(init='''if initial_state is None:
            h, c = np.zeros((n, u)), np.zeros((n, u))
        else:
            c, h = (np.asarray(s, dtype=np.float64) for s in initial_state)''')),
        "the cell state squashed before it is carried (c = tanh(f * c + i * g), h = o * c)":
            _lstm(forward=_lstm_forward(state='''c = np.tanh(f * c + i * g)
            h = o * c''')),
    },
    "lstm_backward": {
        "BPTT forgets the gradient through the cell state (dc from step t+1 never carried)":
            _lstm_bptt(dc_line="dc = dh_t * o * (1.0 - tanh_c ** 2)", start="dc_next = np.zeros_like(cache['c0'])"),
        "the carried cell gradient misses the forget gate (dc_{t-1} = dc_t)":
            _lstm_bptt(carry="dc_next = dc"),
        "the cell state's gradient misses the path through h_t = o * tanh(c_t)":
            _lstm_bptt(dc_line="dc = dc_next"),
        "the output gate's gradient uses c instead of tanh(c)":
            _lstm_bptt(dz_line="dz = np.concatenate([dc * g * i * (1.0 - i), dc * c_prev * f * (1.0 - f), dc * i * (1.0 - g ** 2), dh_t * c * o * (1.0 - o)], axis=1)"),
        "the forget gate's gradient uses c_t instead of c_{t-1}":
            _lstm_bptt(dz_line="dz = np.concatenate([dc * g * i * (1.0 - i), dc * c * f * (1.0 - f), dc * i * (1.0 - g ** 2), dh_t * tanh_c * o * (1.0 - o)], axis=1)"),
        "gradients not accumulated over time steps (= instead of +=)":
            _lstm_bptt(accumulate='''grads["kernel"] = x[:, t].T @ dz
        grads["recurrent_kernel"] = h_prev.T @ dz
        grads["bias"] = dz.sum(axis=0)'''),
        "the four blocks of dz in the textbook order (i, f, o, g)":
            _lstm_bptt(dz_line="dz = np.concatenate([dc * g * i * (1.0 - i), dc * c_prev * f * (1.0 - f), dh_t * tanh_c * o * (1.0 - o), dc * i * (1.0 - g ** 2)], axis=1)"),
        "the gradient arriving at c_T from outside ignored":
            _lstm_bptt(start="dc_next = np.zeros_like(cache['c0'])"),
        "at t = 0 the previous states read as c_seq[:, -1] and h_seq[:, -1] (Python's last element) instead of c0 and h0":
            _lstm_bptt().replace('c_prev = c_seq[:, t - 1] if t > 0 else cache["c0"]', 'c_prev = c_seq[:, t - 1]')
                        .replace('h_prev = h_seq[:, t - 1] if t > 0 else cache["h0"]', 'h_prev = h_seq[:, t - 1]'),
    },
    "lstm_weights_from_pytorch": {
        "reshape instead of transpose":
            '''
def lstm_weights_from_pytorch(weight_ih, weight_hh, bias_ih, bias_hh):
    d, u = weight_ih.shape[1], weight_hh.shape[1]
    return [weight_ih.reshape(d, 4 * u).copy(), weight_hh.reshape(u, 4 * u).copy(), bias_ih + bias_hh]
''',
        "only bias_ih kept":
            '''
def lstm_weights_from_pytorch(weight_ih, weight_hh, bias_ih, bias_hh):
    return [weight_ih.T.copy(), weight_hh.T.copy(), bias_ih.copy()]
''',
        "the gates reordered to (i, f, o, g), as if PyTorch's order differed from Keras's":
            '''
def lstm_weights_from_pytorch(weight_ih, weight_hh, bias_ih, bias_hh):
    def reorder(w):
        i, f, g, o = np.split(w, 4, axis=0)
        return np.concatenate([i, f, o, g], axis=0)
    return [reorder(weight_ih).T.copy(), reorder(weight_hh).T.copy(), reorder(bias_ih + bias_hh)]
''',
        "not transposed: PyTorch's (4U, D) shapes kept":
            '''
def lstm_weights_from_pytorch(weight_ih, weight_hh, bias_ih, bias_hh):
    return [np.array(weight_ih), np.array(weight_hh), bias_ih + bias_hh]
''',
        "the bias summed in place into bias_ih":
            '''
def lstm_weights_from_pytorch(weight_ih, weight_hh, bias_ih, bias_hh):
    bias_ih += bias_hh
    return [weight_ih.T.copy(), weight_hh.T.copy(), bias_ih]
''',
    },
}
