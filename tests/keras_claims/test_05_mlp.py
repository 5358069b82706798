"""Chapter 5's claims about Keras and TensorFlow, run on real Keras layers,
models, losses and optimizers, so that a Keras upgrade that changes one fails
CI. Each docstring quotes the claim. The chapter's own functions and the
given Chapter 4 classes are loaded from the answer keys in solutions/."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from course import datasets, nn
from course.given import find_cell, strip_markers

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def keras():
    from course.kerasenv import import_keras

    return import_keras(seed=0)          # float64, as in the notebook


@pytest.fixture(scope="module")
def lib():
    """Chapter 4's Dense, ReLU, CategoricalCrossentropy and Chapter 5's
    exercise functions, from the answer keys."""
    namespace = {"np": np, "nn": nn}
    refs = ["04_backprop:ReLU", "04_backprop:Dense", "04_backprop:CategoricalCrossentropy"]
    refs += [f"05_mlp:{name}" for name in ("one_hot", "iterate_minibatches", "he_normal", "sgd", "accuracy", "train_epoch")]
    for ref in refs:
        source = strip_markers(find_cell(ROOT, ref).source)
        if ref.endswith(":ReLU"):     # the given cell ends with a small demo; keep only the class
            source = source.split("\nrelu_layer =")[0]
        exec(compile(source, ref, "exec"), namespace)
    return namespace


def _mlp(lib, seed=1, units=(128, 10), input_dim=64):
    rng = nn.rng_from(seed)
    layers = []
    for k, n in enumerate(units):
        layers.append(lib["Dense"](n, kernel_initializer=lib["he_normal"], seed=rng))
        if k < len(units) - 1:
            layers.append(lib["ReLU"]())
    model = nn.Sequential(layers)
    model(np.zeros((1, input_dim)))
    return model


def _keras_like(keras, model, learning_rate=0.5):
    keras_model = keras.Sequential([keras.Input((64,)), keras.layers.Dense(128, activation="relu"), keras.layers.Dense(10)])
    keras_model.set_weights(model.get_weights())
    keras_model.compile(optimizer=keras.optimizers.SGD(learning_rate=learning_rate),
                        loss=keras.losses.CategoricalCrossentropy(from_logits=True))
    return keras_model


@pytest.fixture(scope="module")
def data():
    return datasets.load_digits_split(seed=4)


def test_dense_default_initializers(keras):
    """"`keras.layers.Dense(units)` initialises its kernel with `GlorotUniform` — uniform on
    ±sqrt(6/(n_in + n_out)), variance 2/(n_in + n_out) — and its bias with zeros." """
    layer = keras.layers.Dense(128)
    layer.build((None, 64))
    assert type(layer.kernel_initializer).__name__ == "GlorotUniform"
    assert type(layer.bias_initializer).__name__ == "Zeros"
    kernel = layer.kernel.numpy()
    limit = np.sqrt(6 / (64 + 128))
    assert np.abs(kernel).max() <= limit
    assert np.abs(kernel).max() > 0.95 * limit
    assert abs(kernel.std() - np.sqrt(2 / (64 + 128))) < 0.02 * np.sqrt(2 / (64 + 128))
    assert not layer.bias.numpy().any()


def test_he_normal_is_a_truncated_normal(keras, lib):
    """"Keras's `HeNormal` draws from a truncated normal — values beyond two standard deviations
    are redrawn — after dividing the standard deviation by 0.8796 (the standard deviation of a
    standard normal truncated at ±2). Its values therefore still have a standard deviation of
    sqrt(2/fan_in), but none lies beyond 2 sqrt(2/fan_in)/0.8796 (0.227 for fan_in = 200), while
    a plain normal puts about 4.6 % of its values beyond 2σ." — shown on a Keras Dense layer."""
    layer = keras.layers.Dense(3000, kernel_initializer="he_normal")
    layer.build((None, 200))
    assert type(layer.kernel_initializer).__name__ == "HeNormal"
    w = layer.kernel.numpy()
    bound = 2 * np.sqrt(2 / 200) / 0.87962566103423978
    assert np.abs(w).max() <= bound + 1e-12
    assert np.abs(w).max() > 0.99 * bound
    assert abs(w.std() - np.sqrt(2 / 200)) < 0.005 * np.sqrt(2 / 200)
    z = np.random.default_rng(0).standard_normal(4_000_000)
    assert abs(z[np.abs(z) < 2].std() - 0.8796) < 1e-3           # std of N(0, 1) truncated at +-2
    ours = lib["he_normal"]((200, 3000), seed=0)
    assert abs(np.mean(np.abs(ours) > 2 * np.sqrt(2 / 200)) - 0.0455) < 0.002
    assert np.mean(np.abs(w) > 2 * np.sqrt(2 / 200)) < 0.04


def test_lecun_normal_exists(keras):
    """"LeCun (1998): σ² = 1/n_in … (Keras: `lecun_normal`)" — the name resolves to a variance-1/fan_in initializer."""
    init = keras.initializers.get("lecun_normal")
    assert type(init).__name__ == "LecunNormal"
    w = keras.ops.convert_to_numpy(init((400, 2000)))
    assert abs(w.std() - np.sqrt(1 / 400)) < 0.01 * np.sqrt(1 / 400)


def test_sgd_defaults(keras):
    """"Keras's `keras.optimizers.SGD()` does exactly this with its defaults (`learning_rate=0.01`,
    `momentum=0.0`)" and "Keras's default, `SGD(learning_rate=0.01)`"."""
    opt = keras.optimizers.SGD()
    assert float(opt.learning_rate) == pytest.approx(0.01)
    assert opt.momentum == 0.0
    assert opt.nesterov is False


def test_same_predictions_and_same_sgd_step_in_place(keras, lib, data):
    """"Same predictions before training, same parameters after one SGD step … with float64 …
    agree to about 1e-15", "`keras.optimizers.SGD(learning_rate)` is `sgd` driven by
    `nn.Optimizer`", and "Keras … keeps each weight in a variable object that its optimizer
    updates in place (`assign_sub`) — the same object before and after the step, holding new values"."""
    assert keras.config.floatx() == "float64"
    model = _mlp(lib, seed=1)
    keras_model = _keras_like(keras, model)
    X, Y = data["X_train"][:32], np.eye(10)[data["y_train"][:32]]
    assert np.abs(model.predict(data["X_val"]) - keras.ops.convert_to_numpy(keras_model(data["X_val"]))).max() < 1e-13
    loss = lib["CategoricalCrossentropy"](from_logits=True)
    value = loss(Y, model(X, training=True))
    model.backward(loss.backward())
    nn.Optimizer(lib["sgd"], learning_rate=0.5).apply(model)
    variable = keras_model.layers[0].kernel
    before = variable.numpy().copy()
    keras_loss = float(keras_model.train_on_batch(X, Y))
    assert abs(value - keras_loss) < 1e-13
    assert keras_model.layers[0].kernel is variable
    assert not np.array_equal(variable.numpy(), before)
    diff = max(np.abs(a - b).max() for a, b in zip(model.get_weights(), keras_model.get_weights()))
    assert diff < 1e-13


def test_float32_is_kerass_default():
    """"The course runs Keras in float64 (`import_keras` sets `keras.config.set_floatx("float64")`;
    Keras's default is float32)" — checked in a fresh process with an empty KERAS_HOME."""
    import tempfile

    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, KERAS_HOME=home, KERAS_BACKEND="tensorflow", TF_CPP_MIN_LOG_LEVEL="3")
        out = subprocess.run([sys.executable, "-c", "import keras; print(keras.config.floatx())"],
                             capture_output=True, text=True, env=env, timeout=300)
    assert out.stdout.strip().splitlines()[-1] == "float32", out.stderr[-2000:]


def test_categorical_crossentropy_defaults_and_from_logits(keras, lib):
    """"`CategoricalCrossentropy(from_logits=True)` is our loss, with the same mean over the batch
    (Keras's default reduction "sum_over_batch_size")" and "With `from_logits=False` both treat the
    outputs as probabilities: each row is divided by its sum and clipped to [1e-7, 1 - 1e-7]
    before the log" — on the outputs of a Keras model."""
    loss = keras.losses.CategoricalCrossentropy()
    assert loss.reduction == "sum_over_batch_size" and loss.from_logits is False
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4)])
    model.set_weights([np.array([[2.0, -1.0, 0.5, 0.1], [0.3, 0.2, -0.7, 1.0], [-1.5, 0.4, 0.9, -0.2]]), np.zeros(4)])
    x = np.array([[1.0, 0.5, -0.2], [0.3, -1.0, 2.0], [0.0, 0.4, 0.1]])
    y = np.eye(4)[[2, 0, 3]]
    z = model(x)
    zn = keras.ops.convert_to_numpy(z)
    log_p = zn - zn.max(1, keepdims=True)
    log_p -= np.log(np.exp(log_p).sum(1, keepdims=True))
    want_logits = -np.mean(np.sum(y * log_p, axis=1))
    assert float(keras.losses.CategoricalCrossentropy(from_logits=True)(y, z)) == pytest.approx(want_logits, rel=1e-12)
    q = np.clip(zn / zn.sum(1, keepdims=True), 1e-7, 1 - 1e-7)
    want_probs = -np.mean(np.sum(y * np.log(q), axis=1))
    got = float(keras.losses.CategoricalCrossentropy(from_logits=False)(y, z))
    assert got == pytest.approx(want_probs, rel=1e-12)
    assert abs(got - want_logits) > 0.1
    ours = lib["CategoricalCrossentropy"](from_logits=False)(y, zn)
    assert ours == pytest.approx(got, rel=1e-12)


def test_softmax_output_is_not_clipped(keras):
    """"A model whose last layer is `Dense(…, activation="softmax")` outputs probabilities, and with
    `from_logits=False` its loss is computed from the softmax's own logits …, so it is not clipped:
    where the true class has probability e^-40, Keras's loss is 40.0, while the same probabilities
    handed over as a NumPy array are clipped to 1e-7 and give -ln 1e-7 = 16.12." """
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(2, activation="softmax")])
    model.set_weights([np.array([[0.0, 40.0]]), np.zeros(2)])
    model.compile(loss=keras.losses.CategoricalCrossentropy())
    x, y = np.array([[1.0]]), np.array([[1.0, 0.0]])
    assert model.evaluate(x, y, verbose=0) == pytest.approx(40.0, rel=1e-9)
    assert float(keras.losses.CategoricalCrossentropy()(y, model(x))) == pytest.approx(40.0, rel=1e-9)
    probs = keras.ops.convert_to_numpy(model(x))
    assert float(keras.losses.CategoricalCrossentropy()(y, probs)) == pytest.approx(-np.log(1e-7), rel=1e-6)
    assert -np.log(1e-7) == pytest.approx(16.118, abs=1e-3)


def test_fit_reports_the_batch_size_weighted_mean(keras, lib, data):
    """"Keras's `fit` reports, for each epoch, the mean of the batch losses weighted by the batch
    sizes — each batch's loss measured on the weights before its own update"."""
    X, Y = data["X_train"][:100], np.eye(10)[data["y_train"][:100]]
    keras_model = _keras_like(keras, _mlp(lib, seed=1), learning_rate=0.0)
    reported = keras_model.fit(X, Y, batch_size=32, epochs=1, shuffle=False, verbose=0).history["loss"][0]
    ce = keras.losses.CategoricalCrossentropy(from_logits=True)
    batch = [float(ce(Y[s:s + 32], keras_model(X[s:s + 32]))) for s in range(0, 100, 32)]
    assert reported == pytest.approx(np.average(batch, weights=[32, 32, 32, 4]), rel=1e-12)
    assert abs(reported - np.mean(batch)) > 1e-3
    # with a learning rate: each batch's loss is measured before its own update
    model_a, model_b = _keras_like(keras, _mlp(lib, seed=2)), _keras_like(keras, _mlp(lib, seed=2))
    reported = model_a.fit(X, Y, batch_size=32, epochs=1, shuffle=False, verbose=0).history["loss"][0]
    stepwise = [float(model_b.train_on_batch(X[s:s + 32], Y[s:s + 32])) for s in range(0, 100, 32)]
    assert reported == pytest.approx(np.average(stepwise, weights=[32, 32, 32, 4]), rel=1e-12)


_RECORD_ORDERS = """
import os, sys
import numpy as np
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ["KERAS_BACKEND"] = "tensorflow"
import keras
if sys.argv[1] == "seeded":
    keras.utils.set_random_seed(0)
orders, modes = [], []

class Recorder(keras.layers.Layer):
    def call(self, x, training=None):
        orders.append(tuple(int(v) for v in keras.ops.convert_to_numpy(x)[:, 0]))
        modes.append(training)
        return x

    def compute_output_shape(self, input_shape):
        return input_shape

model = keras.Sequential([keras.Input((2,)), Recorder(), keras.layers.Dense(2)])
model.compile(optimizer=keras.optimizers.SGD(0.1), loss=keras.losses.CategoricalCrossentropy(from_logits=True), run_eagerly=True)
X = np.column_stack([np.arange(12.0), np.zeros(12)])
Y = np.eye(2)[np.arange(12) % 2]
model.fit(X, Y, batch_size=12, epochs=3, verbose=0)
model.fit(X, Y, batch_size=12, epochs=1, verbose=0)
if sys.argv[1] == "seeded":
    import tensorflow as tf
    ds = tf.data.Dataset.from_tensor_slices((X, Y)).shuffle(12).batch(12)
    model.fit(ds, epochs=3, verbose=0, shuffle=False)
print(repr((orders, modes)))
"""


def _orders(mode):
    env = {k: v for k, v in os.environ.items() if k != "TF_DETERMINISTIC_OPS"}   # unseeded random ops need it off
    env["TF_CPP_MIN_LOG_LEVEL"] = "3"
    out = subprocess.run([sys.executable, "-c", _RECORD_ORDERS, mode], capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    return eval(out.stdout.strip().splitlines()[-1])


def test_fit_shuffles_every_epoch_only_without_a_global_seed():
    """"`shuffle=True` is meant to draw a new permutation every epoch, and without a global seed
    it does. … with `keras.utils.set_random_seed` … Keras 3.15 on TensorFlow draws the same
    permutation at every epoch, and at every `fit` call", "a `tf.data.Dataset` whose own
    `.shuffle()` does draw a new order every epoch, seed or not", and "Keras's `fit` passes
    `training=True` too" — recorded by a layer inside a real model, in fresh processes."""
    import inspect

    from course.kerasenv import import_keras

    keras = import_keras(seed=0)
    assert inspect.signature(keras.Model.fit).parameters["shuffle"].default is True
    free, modes = _orders("unseeded")
    assert len(free) == 4 and all(sorted(o) == list(range(12)) for o in free)
    assert len(set(free)) == 4 and tuple(range(12)) not in free
    assert all(mode is True for mode in modes)
    seeded, _ = _orders("seeded")
    arrays, dataset = seeded[:4], seeded[4:]
    assert len(set(arrays)) == 1 and arrays[0] != tuple(range(12)) and sorted(arrays[0]) == list(range(12))
    assert len(dataset) == 3 and len(set(dataset)) == 3


def test_to_categorical_counts_classes_from_labels(keras, lib):
    """"Keras's helper `keras.utils.to_categorical(y, num_classes)` builds the same matrix; called
    without `num_classes` it takes max(y) + 1 columns — 3 here"."""
    y = np.array([2, 0, 2])
    assert keras.utils.to_categorical(y).shape == (3, 3)
    np.testing.assert_array_equal(keras.utils.to_categorical(y, num_classes=4), lib["one_hot"](y, 4))


def test_categorical_accuracy_is_our_accuracy(keras, lib, data):
    """"`accuracy(y_true, y_pred)` is `keras.metrics.categorical_accuracy` averaged over the batch",
    on a Keras model's outputs."""
    keras_model = _keras_like(keras, _mlp(lib, seed=3))
    y = np.eye(10)[data["y_val"]]
    pred = keras.ops.convert_to_numpy(keras_model(data["X_val"]))
    keras_value = float(np.mean(keras.ops.convert_to_numpy(keras.metrics.categorical_accuracy(y, pred))))
    assert keras_value == pytest.approx(lib["accuracy"](y, pred), abs=1e-15)
    metric = keras.metrics.CategoricalAccuracy()
    metric.update_state(y, pred)
    assert float(metric.result()) == pytest.approx(lib["accuracy"](y, pred), abs=1e-15)


def test_sparse_categorical_crossentropy_takes_integer_labels(keras):
    """"(its `SparseCategoricalCrossentropy` takes the integer labels instead, Chapter 3)"."""
    z = np.array([[1.0, -0.5, 2.0], [0.1, 0.2, -1.0]])
    labels = np.array([2, 1])
    sparse = float(keras.losses.SparseCategoricalCrossentropy(from_logits=True)(labels, z))
    dense = float(keras.losses.CategoricalCrossentropy(from_logits=True)(np.eye(3)[labels], z))
    assert sparse == pytest.approx(dense, rel=1e-12)
