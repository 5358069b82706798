"""Chapter 2's sentences about Keras and TensorFlow, asserted on real Keras
layers and models (a Keras or TensorFlow upgrade that changes one fails
here). Each docstring quotes the claim. float64 is the course's setting
(import_keras); where a figure depends on it, the test runs in float64."""

import os
import subprocess
import sys

import numpy as np
import pytest

from course.kerasenv import import_keras

keras = import_keras()
import tensorflow as tf  # noqa: E402  (after import_keras: quiet, float64)

TINY = np.finfo(np.float64).tiny


# NumPy references, written as the chapter asks (stable forms, input-form derivatives)
def sigmoid(x):
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def elu(x, alpha=1.0):
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))


def softmax(x, axis=-1):
    z = np.exp(x - x.max(axis=axis, keepdims=True))
    return z / z.sum(axis=axis, keepdims=True)


def parity_inputs():
    rng_k = np.random.default_rng(20)
    extremes = np.array([-1000.0, 1000.0, -745.0, 745.0, -710.0, 710.0, 0.0, -40.0, 40.0, -5.0])
    return np.concatenate([rng_k.normal(0, 5, 8000), rng_k.uniform(-1000, 1000, 1990), extremes])


def tape_grad(fn, x):
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        y = fn(xt)
    return tape.gradient(y, xt).numpy(), y.numpy()


def within(ours, theirs, rtol=1e-6):
    return np.abs(ours - theirs) <= rtol * np.abs(theirs) + TINY


def test_leaky_relu_defaults_function_0_2_layer_0_3():
    """"defaults to 0.2, as in the function `keras.activations.leaky_relu` (and
    `Dense(..., activation="leaky_relu")`). Careful: the layer `keras.layers.LeakyReLU` computes the same
    function with another default, `negative_slope=0.3`." """
    x = np.array([[-1.0, 2.0]])
    np.testing.assert_allclose(keras.ops.convert_to_numpy(keras.activations.leaky_relu(x)), [[-0.2, 2.0]], rtol=1e-7)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(keras.layers.Activation("leaky_relu")(x)), [[-0.2, 2.0]], rtol=1e-7)
    dense = keras.layers.Dense(2, activation="leaky_relu")
    dense.build((None, 2))
    dense.set_weights([np.eye(2), np.zeros(2)])
    np.testing.assert_allclose(keras.ops.convert_to_numpy(dense(x)), [[-0.2, 2.0]], rtol=1e-7)
    assert keras.layers.LeakyReLU().negative_slope == 0.3
    np.testing.assert_allclose(keras.ops.convert_to_numpy(keras.layers.LeakyReLU()(x)), [[-0.3, 2.0]], rtol=1e-7)


def test_derivative_at_zero_uses_the_negative_side():
    """"At exactly $x = 0$ the derivative does not exist; like TensorFlow, we use the negative side ($x > 0$
    counts as positive)." """
    x = np.array([0.0, -0.0])
    g, _ = tape_grad(keras.layers.Activation("relu"), x)
    np.testing.assert_array_equal(g, [0.0, 0.0])
    g, _ = tape_grad(keras.layers.Activation("leaky_relu"), x)
    np.testing.assert_allclose(g, [0.2, 0.2], rtol=1e-7)
    g, _ = tape_grad(keras.layers.Activation("elu"), x)
    np.testing.assert_array_equal(g, [1.0, 1.0])        # alpha * e^0 = 1 on the negative side


def test_softmax_default_axis_is_last():
    """"each **row** is one example, so the sum runs over the last axis (`axis=-1`, Keras's default)" """
    x = np.random.default_rng(0).normal(size=(4, 3, 5))
    p = keras.ops.convert_to_numpy(keras.layers.Activation("softmax")(x))
    np.testing.assert_allclose(p.sum(axis=-1), 1.0, rtol=0, atol=1e-15)
    np.testing.assert_allclose(p, softmax(x), rtol=1e-13)
    assert keras.layers.Softmax().axis == -1


def test_a_layer_applies_an_activation_by_name():
    """"a layer applies one by name, `keras.layers.Activation("sigmoid")` on its own or
    `keras.layers.Dense(units, activation="sigmoid")` after its matrix product" """
    rng = np.random.default_rng(1)
    X, W, b = rng.normal(size=(6, 3)), rng.normal(size=(3, 2)), rng.normal(size=(2,))
    dense = keras.layers.Dense(2, activation="sigmoid")
    dense.build((None, 3))
    dense.set_weights([W, b])
    linear = keras.layers.Dense(2)
    linear.build((None, 3))
    linear.set_weights([W, b])
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(dense(X)),
                                  keras.ops.convert_to_numpy(keras.layers.Activation("sigmoid")(linear(X))))
    assert dense.activation is keras.activations.sigmoid


def test_keras_default_float32_course_float64(tmp_path):
    """"float64, which `import_keras` sets for the course — Keras's default is float32" """
    code = ("import os; os.environ['TF_CPP_MIN_LOG_LEVEL']='3'; os.environ['KERAS_BACKEND']='tensorflow'; "
            "import keras; print(keras.config.floatx())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "KERAS_HOME": str(tmp_path)})
    assert out.stdout.strip() == "float32"
    assert keras.config.floatx() == "float64"
    assert keras.layers.Activation("sigmoid")(np.array([0.0])).dtype == "float64"


def test_activation_layers_match_numpy_on_10000_inputs():
    """"Your functions match Keras's activation layers to $10^{-6}$ relative on 10,000 inputs including
    $\\pm 1000$" (the value table: every row "yes"); "TensorFlow's sigmoid rounds
    $\\sigma(-720) \\approx 2\\cdot 10^{-313}$ to 0, yours keeps it" """
    x = parity_inputs()
    X_rows = x.reshape(1000, 10)
    act = lambda name, v: keras.ops.convert_to_numpy(keras.layers.Activation(name)(v))  # noqa: E731
    pairs = [
        (sigmoid(x), act("sigmoid", x)), (np.tanh(x), act("tanh", x)), (np.maximum(x, 0), act("relu", x)),
        (np.where(x > 0, x, 0.2 * x), act("leaky_relu", x)), (elu(x), act("elu", x)),
        (softmax(X_rows), act("softmax", X_rows)),
    ]
    for ours, theirs in pairs:
        assert within(ours, theirs).all()
    assert act("sigmoid", np.array([-720.0]))[0] == 0.0
    assert 2.0e-313 < sigmoid(np.array([-720.0]))[0] < 2.1e-313


def test_leaky_relu_slope_is_a_float32_attribute_of_the_tensorflow_op():
    """"TensorFlow's `LeakyRelu` operation takes its slope as an attribute of type `float` — 32 bits —
    whatever the dtype of the tensor, so `negative_slope=0.2` becomes $0.20000000298023224$ [...] at
    $x = -1000$ that is $3\\cdot 10^{-6}$ in absolute terms", from the Activation layer, from
    `keras.layers.LeakyReLU` and from `tf.nn.leaky_relu` alone; "Your `leaky_relu` differs by about
    $10^{-7}$ [in Dense(16)] with the slope $0.2$ [...] given the very same slope it is **identical**." """
    @tf.function
    def f(t):
        return tf.nn.leaky_relu(t, alpha=0.2)

    graph = f.get_concrete_function(tf.TensorSpec([2], tf.float64)).graph
    op = next(o for o in graph.get_operations() if o.type == "LeakyRelu")
    assert [a.type for a in op.op_def.attr if a.name == "alpha"] == ["float"]
    assert op.get_attr("alpha") == float(np.float32(0.2)) == 0.20000000298023224
    x = np.array([-1000.0, -1.0])
    for out in (keras.layers.Activation("leaky_relu")(x), keras.layers.LeakyReLU(negative_slope=0.2)(x),
                tf.nn.leaky_relu(tf.constant(x), alpha=0.2)):
        out = keras.ops.convert_to_numpy(out)
        assert out.dtype == np.float64
        np.testing.assert_array_equal(out, x * float(np.float32(0.2)))
        assert 2.9e-6 < abs(out[0] - (-200.0)) < 3.0e-6


def _dense_with(activation):
    X_in = np.random.default_rng(22).normal(0, 3, size=(256, 8))
    kernel = np.random.default_rng(23).normal(0, 1, size=(8, 16))
    bias = np.random.default_rng(24).normal(0, 1, size=(16,))
    layer = keras.layers.Dense(16, activation=activation, dtype="float64")
    layer.build((None, 8))
    layer.set_weights([kernel, bias])
    return keras.ops.convert_to_numpy(layer(X_in))


def test_numpy_activation_inside_an_eager_dense_layer():
    """"Your `relu` gives **identical** outputs, bit for bit. Your `leaky_relu` differs by about $10^{-7}$
    with the slope $0.2$ [...] given the very same slope, `float(np.float32(0.2))`, it is **identical**. Your
    `sigmoid` differs from TensorFlow's in the last bits (at most $2.2\\cdot 10^{-16}$) for some inputs" """
    relu = lambda t: np.maximum(np.asarray(t, dtype=np.float64), 0.0)  # noqa: E731
    leaky = lambda a: (lambda t: np.where(np.asarray(t) > 0, np.asarray(t), a * np.asarray(t)))  # noqa: E731
    np.testing.assert_array_equal(_dense_with(relu), _dense_with("relu"))
    diff = np.abs(_dense_with(leaky(0.2)) - _dense_with("leaky_relu")).max()
    assert 5e-8 < diff < 5e-7
    np.testing.assert_array_equal(_dense_with(leaky(float(np.float32(0.2)))), _dense_with("leaky_relu"))
    d = np.abs(_dense_with(lambda t: sigmoid(np.asarray(t))) - _dense_with("sigmoid"))
    assert 0 < d.max() <= 2.3e-16


def test_numpy_activation_fails_inside_fit_keras_ops_activation_trains():
    """"Inside `model.fit` Keras traces the model into a TensorFlow graph, and a NumPy function then fails
    with "Cannot convert a symbolic tf.Tensor to a numpy array": a model you train needs activations written
    with `keras.ops`" (Going further: "`keras.ops.where(x > 0, x, 0.2 * x)` [...] also runs inside
    `model.fit`") """
    X, y = np.ones((8, 3)), np.ones((8, 1))

    def model_with(activation):
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, activation=activation), keras.layers.Dense(1)])
        model.compile(optimizer="sgd", loss="mse")
        return model

    with pytest.raises(Exception, match="Cannot convert a symbolic"):
        model_with(lambda t: np.maximum(np.asarray(t), 0.0)).fit(X, y, epochs=1, verbose=0)
    history = model_with(lambda t: keras.ops.where(t > 0, t, 0.2 * t)).fit(X, y, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])


def test_tape_gradient_of_a_non_scalar_is_the_gradient_of_its_sum():
    """"`tape.gradient(y, x)` of a non-scalar `y` returns the gradient of the **sum** of its elements (as if the
    upstream gradient were all ones)" """
    x = tf.constant(np.array([[0.5, -1.0], [2.0, 3.0]]))
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = keras.layers.Activation("tanh")(x)
        total = tf.reduce_sum(y)
    np.testing.assert_array_equal(tape.gradient(y, x).numpy(), tape.gradient(total, x).numpy())
    np.testing.assert_array_equal(tape.gradient(y, x).numpy(),
                                  tape.gradient(y, x, output_gradients=tf.ones_like(y)).numpy())


def test_tensorflow_derivatives_come_from_the_output():
    """"TensorFlow computes these derivatives **from the output** $y$: $y(1-y)$ for the sigmoid, $1 - y^2$ for
    tanh, $y + 1$ for ELU (with $\\alpha = 1$)"; "Three rows say NO"; "TensorFlow's float64 `sigmoid`/`tanh`
    differ from NumPy's in the last bit for many inputs"; ELU's derivative "is exactly 0 once
    $e^x < 2^{-54}$ [...] ($x \\lesssim -37.4$)"; "Away from the tails, for $|x| \\le 10$, every derivative
    agrees to $10^{-6}$ relative"; the largest absolute differences are "about $10^{-15}$". """
    x = parity_inputs()
    g, y = tape_grad(keras.layers.Activation("sigmoid"), x)
    np.testing.assert_array_equal(g, y * (1 - y))
    s_np = sigmoid(x)
    assert (y != s_np).sum() > 100 and np.abs(y - s_np).max() <= 2.3e-16
    ours_sig = s_np * (1 - s_np)
    assert not within(ours_sig, g).all() and within(ours_sig, g)[np.abs(x) <= 10].all()
    g, y = tape_grad(keras.layers.Activation("tanh"), x)
    np.testing.assert_array_equal(g, 1 - y * y)
    assert (y != np.tanh(x)).sum() > 100
    ours_tanh = 1 - np.tanh(x) ** 2
    assert not within(ours_tanh, g).all() and within(ours_tanh, g)[np.abs(x) <= 10].all()
    g, y = tape_grad(keras.layers.Activation("elu"), x)
    neg = x <= 0
    np.testing.assert_array_equal(g[neg], y[neg] + 1)
    ours_elu = np.where(x > 0, 1.0, np.exp(np.minimum(x, 0)))
    assert not within(ours_elu, g).all() and within(ours_elu, g)[np.abs(x) <= 10].all()
    for ours, theirs in ((ours_sig, tape_grad(keras.layers.Activation("sigmoid"), x)[0]),
                         (ours_tanh, tape_grad(keras.layers.Activation("tanh"), x)[0]), (ours_elu, g)):
        assert np.abs(ours - theirs).max() < 2e-15
    g_edge, _ = tape_grad(keras.layers.Activation("elu"), np.array([-37.4, -37.45, -40.0]))
    assert g_edge[0] > 0 and g_edge[1] == 0 and g_edge[2] == 0


def test_named_functions_of_going_further_exist():
    """Going further: "compare with `keras.activations.log_softmax`", "`keras.activations.gelu` and
    `keras.activations.silu`" """
    for name in ("log_softmax", "gelu", "silu"):
        assert callable(getattr(keras.activations, name))
