"""Chapter 9's claims about Keras and TensorFlow, run on real Keras layers,
optimizers and models, so that a Keras upgrade that changes one fails CI.
Each docstring quotes the claim. The chapter's own layers and functions (its
answer key, and the given cells they use) are loaded from solutions/09_rnn."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from course import nn
from course.given import find_cell, strip_markers

ROOT = Path(__file__).resolve().parents[2]
CELLS = ("given_ch02", "given_ch04", "given_ch05_ch06", "orthogonal", "sequence_output_gradient", "SimpleRNN",
         "simple_rnn_backward", "clip_gradients", "LSTM", "lstm_backward", "lstm_weights_from_pytorch", "make_recall_task")


@pytest.fixture(scope="module")
def keras():
    from course.kerasenv import import_keras

    return import_keras(seed=0)          # float64, as in the notebook


@pytest.fixture(scope="module")
def tf(keras):
    import tensorflow

    return tensorflow


@pytest.fixture(scope="module")
def lib():
    """The chapter's answer key (and its given cells), executed as the notebook runs them."""
    namespace = {"np": np, "nn": nn}
    for ref in CELLS:
        source = strip_markers(find_cell(ROOT, f"09_rnn:{ref}").source)
        cut = source.find("\n\nrng_demo = ")             # the orthogonal cell's demo lines, and the data lines below make_recall_task
        cut = source.find("\n\nx_rec, ") if cut < 0 else cut
        exec(source if cut < 0 else source[:cut], namespace)
    return namespace


def _pair(keras, lib, kind, units, x, bias_noise=0.5, seed=1, **switches):
    ours = lib[kind](units, seed=seed, **switches)
    ours.build(x.shape)
    rng = np.random.default_rng(seed)
    ours.params["bias"] = ours.params["bias"] + bias_noise * rng.normal(size=ours.params["bias"].shape)
    theirs = getattr(keras.layers, kind)(units, **switches)
    theirs.build(x.shape)
    theirs.set_weights(ours.get_weights())
    return ours, theirs


def test_return_state_is_a_tuple_and_shapes(keras):
    """"In Keras 3 the return_state form is a tuple" (output, h_T) for SimpleRNN, (output, h_T, c_T) for LSTM;
    return_sequences=True gives (N, T, U), False gives (N, U) — the table of Section 1."""
    x = np.random.default_rng(0).normal(size=(2, 5, 3))
    for layer_class, n_states in ((keras.layers.SimpleRNN, 1), (keras.layers.LSTM, 2)):
        for sequences in (False, True):
            out = layer_class(4, return_sequences=sequences, return_state=True)(x)
            assert isinstance(out, tuple) and len(out) == 1 + n_states
            assert tuple(out[0].shape) == ((2, 5, 4) if sequences else (2, 4))
            assert all(tuple(s.shape) == (2, 4) for s in out[1:])
            alone = layer_class(4, return_sequences=sequences)(x)
            assert not isinstance(alone, (tuple, list)) and tuple(alone.shape) == ((2, 5, 4) if sequences else (2, 4))


def test_last_output_is_the_state_and_zero_initial_state_is_the_default(keras):
    """"The last step of the returned sequence *is* the final state, and an initial_state of zeros is what the
    layer uses when you pass none"; an initial state changes the first output."""
    x = np.random.default_rng(0).normal(size=(2, 5, 3))
    layer = keras.layers.LSTM(4, return_sequences=True, return_state=True)
    seq, h, c = layer(x)
    assert np.array_equal(seq[:, -1], h)
    assert np.array_equal(layer(x, initial_state=[np.zeros((2, 4)), np.zeros((2, 4))])[0], seq)
    assert np.abs(layer(x, initial_state=[np.ones((2, 4)), np.zeros((2, 4))])[0][:, 0] - seq[:, 0]).max() > 0.01


def test_weight_names_shapes_order_and_defaults(keras):
    """SimpleRNN: kernel (D, U), recurrent_kernel (U, U), bias (U,); LSTM: kernel (D, 4U), recurrent_kernel
    (U, 4U), bias (4U,); initializers glorot_uniform, orthogonal, zeros; activation="tanh",
    recurrent_activation="sigmoid", unit_forget_bias=True by default."""
    rnn = keras.layers.SimpleRNN(3)
    rnn.build((None, 5, 2))
    assert [(v.path.split("/")[-1], tuple(v.shape)) for v in rnn.weights] == [("kernel", (2, 3)), ("recurrent_kernel", (3, 3)), ("bias", (3,))]
    lstm = keras.layers.LSTM(3)
    lstm.build((None, 5, 2))
    assert [(v.path.split("/")[-1], tuple(v.shape)) for v in lstm.weights] == [("kernel", (2, 12)), ("recurrent_kernel", (3, 12)), ("bias", (12,))]
    for config in (rnn.get_config(), lstm.get_config()):
        assert config["kernel_initializer"]["class_name"] == "GlorotUniform"
        assert config["recurrent_initializer"]["class_name"] == "Orthogonal"
        assert config["bias_initializer"]["class_name"] == "Zeros"
        assert config["activation"] == "tanh"
    assert lstm.get_config()["recurrent_activation"] == "sigmoid"
    assert lstm.get_config()["unit_forget_bias"] is True


def test_unit_forget_bias_puts_ones_in_the_forget_block(keras):
    """"with unit_forget_bias=True (Keras's default) the forget gate's block of the bias starts at 1"; with False
    the bias is zeros."""
    lstm = keras.layers.LSTM(3)
    lstm.build((None, 5, 2))
    assert np.array_equal(lstm.weights[2].numpy(), [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0])
    zero = keras.layers.LSTM(3, unit_forget_bias=False)
    zero.build((None, 5, 2))
    assert np.array_equal(zero.weights[2].numpy(), np.zeros(12))



def test_unit_forget_bias_sets_the_forget_block_and_keeps_bias_initializer(keras):
    """"its code (LSTMCell.build) *sets* the forget block to 1 and still fills the other three blocks with
    bias_initializer — the same thing with the default "zeros", but not with another bias_initializer"
    (the documentation's "add 1" and "force bias_initializer='zeros'" are not what it does)."""
    ones = keras.layers.LSTM(2, bias_initializer="ones")
    ones.build((None, 3, 2))
    assert np.array_equal(ones.weights[2].numpy(), np.ones(8))              # set to 1, not 1 + 1
    const = keras.layers.LSTM(2, bias_initializer=keras.initializers.Constant(0.25))
    const.build((None, 3, 2))
    assert np.array_equal(const.weights[2].numpy(), [0.25, 0.25, 1, 1, 0.25, 0.25, 0.25, 0.25])   # not forced to zeros


def test_lstm_backward_worked_example_numbers_are_gradient_tape(keras, tf):
    """Exercise 9.5's visible worked example: "The expected numbers are tf.GradientTape's on keras.layers.LSTM"
    (U = 1, T = 2, x = (1, 2), L = h_2 + 0.5 c_2)."""
    layer = keras.layers.LSTM(1, return_sequences=True, return_state=True)
    layer.build((None, 2, 1))
    layer.set_weights([np.array([[0.5, -1.0, 2.0, 1.0]]), np.array([[1.0, 0.5, -1.0, 2.0]]), np.array([0.0, 1.0, 0.0, 0.0])])
    x, h0, c0 = tf.constant([[[1.0], [2.0]]], dtype="float64"), tf.zeros((1, 1), dtype="float64"), tf.zeros((1, 1), dtype="float64")
    with tf.GradientTape() as tape:
        tape.watch([x, h0, c0])
        _, h_last, c_last = layer(x, initial_state=[h0, c0])
        loss = tf.reduce_sum(h_last) + 0.5 * tf.reduce_sum(c_last)
    got = [g.numpy() for g in tape.gradient(loss, [x, h0, c0, *layer.trainable_variables])]
    expected = [[[[0.11568018773208198], [0.001654253399430483]]], [[0.1375515002804424]], [[0.21331220753476338]],
                [[0.3845392950796011, 0.23185904867907672, 0.023019310617576786, 0.11253947443506555]],
                [[0.056519521734304745, 0.04551973310866316, 0.000835860771637938, 0.0162377933722446]],
                [0.24059554095180855, 0.11592952433953836, 0.02089054282716055, 0.07118510934082546]]
    for a, b in zip(got, expected):
        assert np.allclose(a, b, rtol=1e-12, atol=1e-15)

def test_keras_orthogonal_recurrent_kernels(keras):
    """Keras's orthogonal recurrent kernel: U_h^T U_h = I for SimpleRNN's square (U, U); orthonormal rows for
    the LSTM's (U, 4U)."""
    rnn = keras.layers.SimpleRNN(6)
    rnn.build((None, 5, 2))
    r = rnn.weights[1].numpy()
    assert np.abs(r.T @ r - np.eye(6)).max() < 1e-12
    lstm = keras.layers.LSTM(3)
    lstm.build((None, 5, 2))
    r = lstm.weights[1].numpy()
    assert np.abs(r @ r.T - np.eye(3)).max() < 1e-12


def test_worked_examples_and_test_numbers_are_keras(keras, lib):
    """"The numbers are what keras.layers.LSTM gives": the worked examples of Sections 2 and 5, the two
    single-piece cases (h_1 = tanh(tanh 2) = 0.7461; c_1 = 1.3808, h_1 = 0.4406) and the batch case of
    Exercise 9.4's visible tests, through Keras layers and the answer key."""
    rnn = keras.layers.SimpleRNN(2, return_sequences=True)
    rnn.build((None, 3, 1))
    rnn.set_weights([np.array([[1.0, -1.0]]), np.array([[0.5, 1.0], [0.0, 0.5]]), np.array([0.0, 0.5])])
    expected = [[0.7615941559557649, -0.46211715726000974], [0.36339948438905245, 0.7741230526317633], [-0.6741436761583508, 0.9780461434997137]]
    assert np.abs(rnn(np.array([[[1.0], [0.0], [-1.0]]])).numpy()[0] - expected).max() < 1e-15
    lstm = keras.layers.LSTM(1, return_sequences=True, return_state=True)
    lstm.build((None, 2, 1))
    lstm.set_weights([np.array([[0.5, -1.0, 2.0, 1.0]]), np.array([[1.0, 0.5, -1.0, 2.0]]), np.array([0.0, 1.0, 0.0, 0.0])])
    seq, h, c = lstm(np.array([[[1.0], [2.0]]]))
    assert np.abs(seq.numpy().ravel() - [0.3926500463794142, 0.7114886202958342]).max() < 1e-15
    assert abs(float(c[0, 0]) - 0.9854022276874593) < 1e-15
    one = keras.layers.LSTM(1, return_state=True)
    one.build((None, 1, 1))
    one.set_weights([np.zeros((1, 4)), np.zeros((1, 4)), np.array([30.0, 0.0, 2.0, 30.0])])
    assert abs(float(one(np.zeros((1, 1, 1)))[0][0, 0]) - 0.7460679984454899) < 1e-12
    one.set_weights([np.zeros((1, 4)), np.zeros((1, 4)), np.array([0.0, 0.0, 1.0, 0.0])])
    out, h1, c1 = one(np.zeros((1, 1, 1)), initial_state=[np.zeros((1, 1)), np.full((1, 1), 2.0)])
    assert abs(float(c1[0, 0]) - 1.3807970779778824) < 1e-15 and abs(float(h1[0, 0]) - 0.4405648141721129) < 1e-15
    # the batch case (weights and data as in the visible tests of Exercise 9.4): Keras against the answer key
    r = np.random.default_rng(9)
    K, R, b = (np.round(r.normal(size=(2, 8)) * 0.8, 1), np.round(r.normal(size=(2, 8)) * 0.8, 1), np.round(r.normal(size=8) * 0.5, 1))
    x, h0, c0 = np.round(r.normal(size=(2, 3, 2)), 1), np.round(r.normal(size=(2, 2)) * 0.5, 1), np.round(r.normal(size=(2, 2)), 1)
    k_batch = keras.layers.LSTM(2, return_sequences=True, return_state=True)
    k_batch.build((None, 3, 2))
    k_batch.set_weights([K, R, b])
    ours = lib["LSTM"](2, return_sequences=True, return_state=True)
    ours.build((None, 3, 2))
    ours.set_weights([K, R, b])
    for a, k in zip(ours(x, initial_state=[h0, c0]), k_batch(x, initial_state=[h0, c0])):
        assert np.abs(a - k.numpy()).max() < 1e-15
    assert abs(ours.cache["h"][0, 0, 0] - (-0.001707178363418122)) < 1e-15


def test_gate_order_on_a_keras_layer(keras, lib):
    """"Keras reads block 2 as the candidate and block 3 as the output gate, and gives h_1 = 0.7461. Code that
    slices the same weights as (i, f, o, g) computes ... 0.6708"."""
    k = keras.layers.LSTM(1)
    k.build((None, 1, 1))
    k.set_weights([np.zeros((1, 4)), np.zeros((1, 4)), np.array([30.0, 0.0, 2.0, 30.0])])
    got = float(k(np.zeros((1, 1, 1)))[0, 0])
    assert abs(got - np.tanh(np.tanh(2.0))) < 1e-12
    sig2 = 1 / (1 + np.exp(-2.0))
    textbook = sig2 * np.tanh(np.tanh(30.0))
    assert abs(textbook - 0.6708) < 1e-4 and abs(got - textbook) > 0.07


@pytest.mark.parametrize("kind", ["SimpleRNN", "LSTM"])
def test_parity_of_sequences_and_states_below_1e_10(keras, lib, kind):
    """Our SimpleRNN and LSTM and keras.layers.SimpleRNN/LSTM with the same weights, in float64, on whole
    sequences with return_sequences=True and return_state=True, zero and random initial states: "largest
    difference ... ≤ 1e-10" (measured 4.7e-16)."""
    rng = np.random.default_rng(9)
    x = rng.normal(size=(4, 12, 3))
    ours, theirs = _pair(keras, lib, kind, 5, x, return_sequences=True, return_state=True)
    states = [rng.normal(size=(4, 5)) for _ in range(1 if kind == "SimpleRNN" else 2)]
    for init in (None, states):
        for a, b in zip(ours(x, initial_state=init), theirs(x, initial_state=init)):
            assert b.dtype == "float64"
            assert np.abs(a - b.numpy()).max() < 1e-10


@pytest.mark.parametrize("kind", ["SimpleRNN", "LSTM"])
def test_gradients_equal_gradient_tape(keras, tf, lib, kind):
    """Our backward (dx, the initial states' gradients, every weight's gradient) against tf.GradientTape on the
    Keras layer with the same weights, float64: "the same gradients" (measured below 5e-15)."""
    rng = np.random.default_rng(9)
    x = rng.normal(size=(4, 12, 3))
    ours, theirs = _pair(keras, lib, kind, 5, x, return_sequences=True, return_state=True)
    states = [rng.normal(size=(4, 5)) for _ in range(1 if kind == "SimpleRNN" else 2)]
    douts = [rng.normal(size=np.shape(o)) for o in ours(x, initial_state=states)]
    x_tf, init_tf = tf.constant(x), [tf.constant(s) for s in states]
    with tf.GradientTape() as tape:
        tape.watch(x_tf)
        tape.watch(init_tf)
        loss = sum(tf.reduce_sum(o * d) for o, d in zip(theirs(x_tf, initial_state=init_tf), douts))
    tape_grads = tape.gradient(loss, [x_tf, *init_tf, *theirs.trainable_variables])
    dx = ours.backward(tuple(douts))
    mine = [dx, *ours.d_initial_state, *(ours.grads[k] for k in ours.params)]
    assert [v.path.split("/")[-1] for v in theirs.trainable_variables] == list(ours.params)
    for a, b in zip(mine, tape_grads):
        assert np.abs(a - b.numpy()).max() < 1e-12


def test_optimizer_clipnorm_and_global_clipnorm_semantics(keras, tf, lib):
    """"clipnorm=c clips each variable's gradient on its own: g * c / max(||g||, c)"; "global_clipnorm=c clips all
    gradients together" by c / max(G, c) — the worked example (3, 4) and (0, 12) through keras.optimizers.SGD,
    equal to the answer key's clip_gradients."""
    grads = [np.array([3.0, 4.0]), np.array([[0.0, 12.0]])]
    expected = {"clipnorm=1": [[0.6, 0.8], [[0.0, 1.0]]], "global_clipnorm=1": [[3 / 13, 4 / 13], [[0.0, 12 / 13]]],
                "clipnorm=10": [[3.0, 4.0], [[0.0, 10.0]]], "global_clipnorm=26": [[3.0, 4.0], [[0.0, 12.0]]]}
    for text, values in expected.items():
        name, threshold = text.split("=")
        variables = [keras.Variable(np.zeros(2)), keras.Variable(np.zeros((1, 2)))]
        keras.optimizers.SGD(learning_rate=1.0, **{name: float(threshold)}).apply_gradients(zip([tf.constant(g) for g in grads], variables))
        ours = lib["clip_gradients"](grads, **{name: float(threshold)})
        for v, e, o in zip(variables, values, ours):
            assert np.abs(-v.numpy() - np.array(e)).max() < 1e-15
            assert np.abs(o - np.array(e)).max() < 1e-15


def test_only_one_clipping_argument(keras):
    """"Keras accepts only one of them: an optimizer given two raises a ValueError"."""
    for pair in ({"clipnorm": 1.0, "global_clipnorm": 1.0}, {"clipnorm": 1.0, "clipvalue": 1.0}):
        with pytest.raises(ValueError, match="Only one of"):
            keras.optimizers.SGD(learning_rate=1.0, **pair)


@pytest.mark.parametrize("name", ["global_clipnorm", "clipnorm"])
def test_fit_step_moves_weights_by_the_clipped_gradient(keras, tf, lib, name):
    """"one train_on_batch step of a small Input → LSTM → Dense model compiled with SGD(learning_rate=1.0,
    global_clipnorm=0.1) moves its weights by exactly clip_gradients(tape gradients, global_clipnorm=0.1)"
    (and the same for clipnorm): clipping on the path a real model takes."""
    rng = np.random.default_rng(9)
    model = keras.Sequential([keras.Input(shape=(6, 3)), keras.layers.LSTM(4), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=1.0, **{name: 0.1}), loss="mse")
    x, y = rng.normal(size=(8, 6, 3)), rng.normal(size=(8, 1))
    with tf.GradientTape() as tape:
        loss = keras.losses.MeanSquaredError()(y, model(x, training=True))
    grads = [g.numpy() for g in tape.gradient(loss, model.trainable_variables)]
    before = [v.numpy().copy() for v in model.trainable_variables]
    model.train_on_batch(x, y)
    moved = [b - v.numpy() for b, v in zip(before, model.trainable_variables)]
    expected = lib["clip_gradients"](grads, **{name: 0.1})
    assert np.sqrt(sum(np.sum(g ** 2) for g in grads)) > 0.1            # clipping is active
    assert max(np.abs(m - e).max() for m, e in zip(moved, expected)) < 1e-14


def test_float32_lstm_agrees_only_to_float32_precision(keras, lib):
    """"In Keras's default float32 the same comparison of sequences agrees only to float32's precision"
    (measured 1.2e-7)."""
    rng = np.random.default_rng(9)
    x = rng.normal(size=(4, 12, 3))
    ours = lib["LSTM"](5, return_sequences=True, seed=2)
    ours.build(x.shape)
    k32 = keras.layers.LSTM(5, return_sequences=True, dtype="float32")
    k32.build(x.shape)
    k32.set_weights([w.astype(np.float32) for w in ours.get_weights()])
    diff = np.abs(k32(x.astype(np.float32)).numpy() - ours(x)).max()
    assert 1e-9 < diff < 1e-5


def test_keras_default_floatx_is_float32():
    """"Keras's default is float32" (the course sets float64 in import_keras)."""
    code = "import os; os.environ['TF_CPP_MIN_LOG_LEVEL']='3'; import keras; print(keras.config.floatx())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.stdout.strip().splitlines()[-1] == "float32"


def test_gru_layout_reset_after_and_equations(keras, lib):
    """GRU: kernel (D, 3U), recurrent_kernel (U, 3U) with blocks (z, r, h); reset_after=True is the default and
    has bias (2, 3U), reset_after=False bias (3U,); h_t = z * h_{t-1} + (1 - z) * tanh(x W_h + b_xh + r * (h U_h + b_hh))."""
    rng = np.random.default_rng(9)
    x = rng.normal(size=(4, 12, 3))
    gru = keras.layers.GRU(5, return_sequences=True)
    assert gru.get_config()["reset_after"] is True
    gru.build(x.shape)
    gru.set_weights([gru.weights[0].numpy(), gru.weights[1].numpy(), 0.5 * rng.normal(size=(2, 15))])
    assert [tuple(v.shape) for v in gru.weights] == [(3, 15), (5, 15), (2, 15)]
    kernel, recurrent, bias = (v.numpy() for v in gru.weights)
    sigmoid = lib["sigmoid"]
    h = np.zeros((4, 5))
    states = []
    for t in range(12):
        xp, hp = x[:, t] @ kernel + bias[0], h @ recurrent + bias[1]
        z, r = sigmoid(xp[:, :5] + hp[:, :5]), sigmoid(xp[:, 5:10] + hp[:, 5:10])
        h = z * h + (1 - z) * np.tanh(xp[:, 10:] + r * hp[:, 10:])
        states.append(h)
    assert np.abs(np.stack(states, axis=1) - gru(x).numpy()).max() < 1e-12
    original = keras.layers.GRU(5, reset_after=False)
    original.build(x.shape)
    assert tuple(original.weights[2].shape) == (15,)


def test_functional_model_learns_the_recall_task(keras, lib):
    """"Keras's LSTM ... is at 0.509 after the first epoch (125 steps) and at 1.000 after the second (250 steps)":
    keras.Input -> LSTM(16) -> Dense(4), Adam(0.01, global_clipnorm=1.0), CategoricalCrossentropy(from_logits=True),
    as in the notebook (seeded)."""
    x, y, _ = lib["make_recall_task"](4000, seed=1)
    x_val, y_val, _ = lib["make_recall_task"](1000, seed=2)
    keras.utils.set_random_seed(0)
    inputs = keras.Input(shape=(30, 5))
    model = keras.Model(inputs, keras.layers.Dense(4)(keras.layers.LSTM(16)(inputs)))
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01, global_clipnorm=1.0),
                  loss=keras.losses.CategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    history = model.fit(x, y, batch_size=32, epochs=2, validation_data=(x_val, y_val), verbose=0)
    assert history.history["val_accuracy"][-1] >= 0.99
    assert history.history["val_accuracy"][0] < 0.9


def test_stateful_layer_carries_its_states_to_the_next_call(keras):
    """"a Keras layer with stateful=True keeps its final states as the initial states of its next call, so a long
    sequence can be fed in consecutive windows"."""
    x = np.random.default_rng(3).normal(size=(2, 8, 3))
    whole = keras.layers.LSTM(4, return_sequences=True)
    whole.build(x.shape)
    stateful = keras.layers.LSTM(4, return_sequences=True, stateful=True)
    stateful.build(x.shape)
    stateful.set_weights(whole.get_weights())
    pieces = np.concatenate([stateful(x[:, :4]).numpy(), stateful(x[:, 4:]).numpy()], axis=1)
    assert np.abs(pieces - whole(x).numpy()).max() < 1e-14


def test_tensorflow_backend_clipnorm_calls_tf_clip_by_norm(keras):
    """"clipnorm=c ... (on the TensorFlow backend Keras calls tf.clip_by_norm)"."""
    import inspect

    assert keras.backend.backend() == "tensorflow"
    optimizer = keras.optimizers.SGD(learning_rate=1.0, clipnorm=1.0)
    assert "tf.clip_by_norm(" in inspect.getsource(type(optimizer)._clip_by_norm)
