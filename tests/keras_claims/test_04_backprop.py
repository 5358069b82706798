"""Chapter 4's claims about Keras and TensorFlow, run on real Keras layers,
models and losses, so that a Keras upgrade that changes one fails CI. Each
docstring quotes the claim. The chapter's own classes (its answer key) are
loaded from solutions/04_backprop."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from course import nn
from course.given import find_cell, strip_markers

ROOT = Path(__file__).resolve().parents[2]


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
    """Dense, ReLU, Sigmoid, CategoricalCrossentropy from the chapter's answer key."""
    namespace = {"np": np, "nn": nn}
    for ref in ("ReLU", "Dense", "Sigmoid", "CategoricalCrossentropy"):
        source = strip_markers(find_cell(ROOT, f"04_backprop:{ref}").source)
        source = "\n".join(line for line in source.splitlines() if not line.startswith(("relu_layer", "print(")))
        exec(source, namespace)
    return namespace


def _network(lib, seed=42):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(8, 5))
    Y = np.eye(3)[rng.integers(0, 3, size=8)]
    model = nn.Sequential([lib["Dense"](6, seed=1), lib["ReLU"](), lib["Dense"](3, seed=2)])
    loss = lib["CategoricalCrossentropy"](from_logits=True)
    value = loss(Y, model(X))
    model.backward(loss.backward())
    return X, Y, model, value


def _keras_model(keras, weights, dtype=None):
    kw = {} if dtype is None else {"dtype": dtype}
    model = keras.Sequential([keras.Input(shape=(5,), **({"dtype": dtype} if dtype else {})),
                              keras.layers.Dense(6, activation="relu", **kw), keras.layers.Dense(3, **kw)])
    model.set_weights(weights)
    return model


def test_keras_gradients_equal_ours_to_1e16_in_float64(keras, tf, lib):
    """"`tf.GradientTape` on a Keras model with the same weights gives the same gradients to about 1e-16 in
    float64 (the course's setting)" — Keras model built from `set_weights(model.get_weights())`, loss
    `keras.losses.CategoricalCrossentropy(from_logits=True)`."""
    X, Y, model, value = _network(lib)
    kmodel = _keras_model(keras, model.get_weights())
    assert [v.path.split("/")[-1] for v in kmodel.trainable_variables] == ["kernel", "bias", "kernel", "bias"]
    with tf.GradientTape() as tape:
        loss = keras.losses.CategoricalCrossentropy(from_logits=True)(Y, kmodel(X))
    grads = tape.gradient(loss, kmodel.trainable_variables)
    assert abs(float(loss) - value) < 1e-15
    for (layer, key), g in zip(model.trainable_weights(), grads):
        assert g.dtype == tf.float64
        assert np.abs(layer.grads[key] - g.numpy()).max() < 5e-16, key


def test_float32_keras_gradients_agree_only_to_a_few_1e8(keras, tf, lib):
    """"In Keras's default float32 ... relative error a few times 1e-8, the order of float32's machine epsilon"."""
    X, Y, model, _ = _network(lib)
    kmodel = _keras_model(keras, [w.astype(np.float32) for w in model.get_weights()], dtype="float32")
    with tf.GradientTape() as tape:
        loss = keras.losses.CategoricalCrossentropy(from_logits=True, dtype="float32")(Y.astype(np.float32), kmodel(X.astype(np.float32)))
    grads = tape.gradient(loss, kmodel.trainable_variables)
    errors = []
    for (layer, key), g in zip(model.trainable_weights(), grads):
        assert g.dtype == tf.float32
        a, b = layer.grads[key], g.numpy().astype(np.float64)
        errors.append(np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b)))
    assert 1e-9 < max(errors) < 1.2e-7, errors


def test_keras_default_floatx_is_float32():
    """"`import_keras` sets Keras's float type to float64 (Keras's default is float32)"."""
    code = "import os; os.environ['TF_CPP_MIN_LOG_LEVEL']='3'; os.environ['KERAS_BACKEND']='tensorflow'; import keras; print(keras.config.floatx())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.stdout.strip().splitlines()[-1] == "float32"


def test_tape_gradient_with_output_gradients_is_our_backward(keras, tf, lib):
    """"`tape.gradient(y, x, output_gradients=G)` returns G · ∂y/∂x — the same product as our `backward(G)`,
    on a real Keras `Dense` layer"."""
    X, _, model, _ = _network(lib)
    kdense = _keras_model(keras, model.get_weights()).layers[0]
    rng = np.random.default_rng(3)
    x = tf.constant(rng.normal(size=(4, 5)))
    G = rng.normal(size=(4, 6))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = kdense(x)
    vjp = tape.gradient(y, x, output_gradients=tf.constant(G)).numpy()
    dense, relu = model.layers[0], model.layers[1]
    relu(dense(x.numpy()))
    assert np.abs(dense.backward(relu.backward(G)) - vjp).max() < 1e-15


def test_tape_gradient_of_a_non_scalar_sums_it(keras, tf):
    """"Without `output_gradients`, `tape.gradient` of a non-scalar `y` uses G = all ones: it returns the
    gradient of `sum(y)`" — on a Keras Dense layer."""
    layer = keras.layers.Dense(3, activation="tanh")
    x = tf.constant(np.random.default_rng(0).normal(size=(4, 2)))
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = layer(x)
        total = tf.reduce_sum(y)
    g_vector = tape.gradient(y, x).numpy()
    g_sum = tape.gradient(total, x).numpy()
    g_ones = tape.gradient(y, x, output_gradients=tf.ones_like(y)).numpy()
    assert np.array_equal(g_vector, g_ones)
    assert np.abs(g_vector - g_sum).max() < 1e-15


def test_keras_relu_layer_gradient_is_zero_at_zero(keras, tf):
    """"A Keras `ReLU` layer's gradient at exactly x = 0 is 0 — the same convention as our `ReLU` layer"
    (and "we use 0, as TensorFlow does")."""
    x = tf.constant([[-40.0, -1.0, 0.0, 2.0]], dtype=tf.float64)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = keras.layers.ReLU()(x)
    assert tape.gradient(y, x).numpy().tolist() == [[0.0, 0.0, 0.0, 1.0]]
    # also inside Dense(activation="relu"), the path the chapter's Keras model takes
    layer = keras.layers.Dense(1, activation="relu", use_bias=False)
    layer.build((None, 1))
    layer.set_weights([np.array([[1.0]])])
    z = tf.constant([[0.0]], dtype=tf.float64)
    with tf.GradientTape() as tape:
        tape.watch(z)
        out = layer(z)
    assert tape.gradient(out, z).numpy().tolist() == [[0.0]]


def test_keras_sigmoid_keeps_the_tail_and_has_gradient_y_one_minus_y(keras, tf, lib):
    """"A Keras sigmoid layer's gradient is the same y(1−y) as yours, and its output at x = −40 keeps the tail
    (4.248e-18, not 0)" — in float64."""
    x = tf.constant([[-40.0, -1.0, 0.0, 2.0]], dtype=tf.float64)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = keras.layers.Activation("sigmoid")(x)
    assert y.dtype == tf.float64
    assert abs(y.numpy()[0, 0] - 4.248354255291589e-18) <= 1e-10 * 4.248354255291589e-18
    ours = lib["Sigmoid"]()
    ours(x.numpy())
    assert np.abs(tape.gradient(y, x).numpy() - ours.backward(np.ones((1, 4)))).max() < 1e-16


def test_silu_is_x_times_sigmoid(keras):
    """"f(x) = x σ(x) (the SiLU or 'swish' activation, `keras.activations.silu`)"."""
    x = np.linspace(-6, 6, 25)
    assert np.allclose(keras.ops.convert_to_numpy(keras.activations.silu(x)), x / (1 + np.exp(-x)), rtol=1e-14, atol=1e-15)


def test_keras_dense_defaults_and_weight_layout(keras):
    """"Like Keras, our `Dense` creates its weights in `build` ...: the kernel from Keras's default initializer
    'glorot_uniform', the bias from zeros"; "Keras's `Dense` stores `kernel` of shape (D, units) and `bias`, in that order"."""
    layer = keras.layers.Dense(4)
    layer.build((None, 3))
    assert type(layer.kernel_initializer).__name__ == "GlorotUniform"
    assert type(layer.bias_initializer).__name__ == "Zeros"
    kernel, bias = layer.get_weights()
    assert kernel.shape == (3, 4) and bias.shape == (4,)
    assert [w.path.split("/")[-1] for w in layer.weights] == ["kernel", "bias"]
    assert np.all(bias == 0) and np.abs(kernel).max() <= np.sqrt(6 / (3 + 4))


def test_categorical_crossentropy_numbers_of_exercise_4_3_are_keras(keras, tf):
    """The visible tests of Exercise 4.3 use numbers "that keras.losses.CategoricalCrossentropy and
    tf.GradientTape give": from logits (mean over the batch, (softmax − y)/N, logits of 1000) and from
    probabilities ("Keras ... renormalise each row ... clip to [1e-7, 1 − 1e-7] ... The clip ... blocks [the
    gradient] where it was active")."""
    def loss_and_grad(y, p, from_logits):
        v = tf.Variable(np.asarray(p, dtype=np.float64))
        with tf.GradientTape() as tape:
            value = keras.losses.CategoricalCrossentropy(from_logits=from_logits)(np.asarray(y, dtype=np.float64), v)
        return float(value), tape.gradient(value, v).numpy()

    value, grad = loss_and_grad([[1.0, 0.0]], [[0.0, 0.0]], True)
    assert abs(value - np.log(2.0)) < 1e-15 and np.allclose(grad, [[-0.5, 0.5]], rtol=1e-15)
    value, grad = loss_and_grad([[0.0, 0.0, 1.0], [0.25, 0.75, 0.0]], [[2.0, 0.0, -2.0], [0.5, 0.5, -1.0]], True)
    assert abs(value - 2.470923906670813) <= 1e-12 * 2.5
    assert np.allclose(grad, [[0.43340666609866735, 0.05865521391309918, -0.4920618800117666],
                              [0.09990810882913709, -0.1500918911708629, 0.05018378234172584]], rtol=1e-10, atol=0)
    value, grad = loss_and_grad([[0.0, 1.0, 0.0], [0.0, 1.0, 0.0]], [[1000.0, 0.0, -1000.0], [0.0, 800.0, 0.0]], True)
    assert value == 500.0 and np.allclose(grad, [[0.5, -0.5, 0.0], [0.0, 0.0, 0.0]], atol=1e-15)
    assert keras.config.epsilon() == 1e-7
    value, grad = loss_and_grad([[0.0, 1.0, 0.0]], [[0.4, 1.0, 0.6]], False)
    assert abs(value + np.log(0.5)) <= 1e-12 and np.allclose(grad, [[0.5, -0.5, 0.5]], rtol=1e-12)
    value, grad = loss_and_grad([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]], [[0.4, 1.0, 0.6], [0.5, 0.25, 0.25]], False)
    assert abs(value - 1.0397207708399179) <= 1e-12 and np.allclose(grad, [[0.25, -0.25, 0.25], [0.5, 0.5, -1.5]], rtol=1e-12)
    value, grad = loss_and_grad([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], [[0.0, 0.5, 0.5], [0.0, 1.0, 0.0]], False)
    assert abs(value - 8.059047875479163) <= 1e-12 * 8.06 and np.all(grad == 0.0)


def test_our_probability_path_matches_keras_on_random_batches(keras, tf, lib):
    """"`keras.losses.CategoricalCrossentropy()` given probabilities as plain arrays renormalises and clips exactly as
    your `from_logits=False` path" — loss and tape gradient, with some entries clipped."""
    rng = np.random.default_rng(7)
    p = rng.uniform(0.0, 1.0, size=(6, 4))
    p[0, 1], p[2, 3], p[4, 0] = 0.0, 1e-9, 50.0
    y = rng.dirichlet(np.ones(4), size=6)
    v = tf.Variable(p)
    with tf.GradientTape() as tape:
        value = keras.losses.CategoricalCrossentropy()(y, v)
    ours = lib["CategoricalCrossentropy"]()
    assert abs(ours(y, p) - float(value)) <= 1e-14 * float(value)
    assert np.allclose(ours.backward(), tape.gradient(value, v).numpy(), rtol=1e-13, atol=1e-16)   # float64 rounding


def test_probabilities_from_a_keras_softmax_use_its_logits(keras, tf):
    """"A probability that comes out of a Keras `softmax` is another matter: ... Keras then uses the logits it
    carries" — no 1e-7 clipping: loss 100.0, not -log(1e-7) = 16.12."""
    z = tf.constant([[100.0, 0.0]], dtype=tf.float64)
    probs = keras.layers.Activation("softmax")(z)
    value = float(keras.losses.CategoricalCrossentropy()(np.array([[0.0, 1.0]]), probs))
    assert abs(value - 100.0) < 1e-9
    plain = float(keras.losses.CategoricalCrossentropy()(np.array([[0.0, 1.0]]), probs.numpy()))
    assert abs(plain + np.log(1e-7)) < 1e-6
