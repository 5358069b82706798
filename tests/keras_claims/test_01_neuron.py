"""Chapter 1's sentences about Keras, asserted on real Keras layers (a Keras
upgrade that changes one of them fails here). Each docstring quotes the claim."""

import numpy as np
import pytest

from course import datasets
from course.kerasenv import import_keras

keras = import_keras()


def _trained_perceptron():
    X, y = datasets.linearly_separable(n=60, seed=1)
    w, b = np.zeros(2), 0.0
    for _ in range(50):
        count = 0
        for xi, yi in zip(X, y):
            err = yi - float(w @ xi + b >= 0)
            count += err != 0
            w, b = w + err * xi, b + err
        if count == 0:
            break
    return X, y, w.reshape(-1, 1), np.array([b])


def test_dense_1_is_one_neuron_with_kernel_D_by_1():
    """"`keras.layers.Dense(1)` is the neuron you just wrote: a kernel of shape `(D, 1)`, a bias of shape
    `(1,)`, and `output = activation(X @ kernel + bias)` (with no activation, the identity)." """
    layer = keras.layers.Dense(1)
    layer.build((None, 4))
    assert tuple(layer.kernel.shape) == (4, 1) and tuple(layer.bias.shape) == (1,)
    assert layer.get_config()["activation"] == "linear"
    rng = np.random.default_rng(0)
    W, b, X = rng.normal(size=(4, 1)), rng.normal(size=(1,)), rng.normal(size=(7, 4))
    layer.set_weights([W, b])
    np.testing.assert_allclose(keras.ops.convert_to_numpy(layer(X)), X @ W + b, rtol=1e-14, atol=1e-14)
    sig = keras.layers.Dense(1, activation="sigmoid")
    sig.build((None, 4))
    sig.set_weights([W, b])
    np.testing.assert_allclose(keras.ops.convert_to_numpy(sig(X)), 1 / (1 + np.exp(-(X @ W + b))), rtol=1e-12)


def test_keras_default_floatx_is_float32_and_import_keras_sets_float64(tmp_path):
    """"Keras computes in float32 unless told otherwise; the course's `import_keras` sets float64 for every
    chapter." """
    import os
    import subprocess
    import sys

    code = ("import os; os.environ['TF_CPP_MIN_LOG_LEVEL']='3'; os.environ['KERAS_BACKEND']='tensorflow'; "
            "import keras; print(keras.config.floatx())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "KERAS_HOME": str(tmp_path)})
    assert out.stdout.strip() == "float32"
    assert keras.config.floatx() == "float64"
    layer = keras.layers.Dense(1)
    layer.build((None, 2))
    assert layer.kernel.dtype == "float64"


def test_build_then_set_weights_kernel_D_by_1_bias_1():
    """Exercise 1.7: "build it for `D` inputs (`layer.build((None, D))`), then copy your weights into it with
    `layer.set_weights([kernel, bias])`. Keras expects the kernel with shape `(D, 1)` and the bias with shape
    `(1,)`." """
    layer = keras.layers.Dense(1)
    layer.build((None, 3))
    layer.set_weights([np.ones((3, 1)), np.array([0.5])])
    np.testing.assert_array_equal(layer.kernel.numpy(), np.ones((3, 1)))
    with pytest.raises(ValueError):
        layer.set_weights([np.ones((1, 3)), np.array([0.5])])   # the transposed kernel is refused


def test_trained_perceptron_in_keras_agrees_to_float64_rounding():
    """"With float64 on both sides the pre-activations agree to within float64 rounding [...] and the
    predictions after the step agree exactly." (measured: 3.6e-15 on values up to 19.6) """
    X, y, W, b = _trained_perceptron()
    layer = keras.layers.Dense(1)
    layer.build((None, 2))
    layer.set_weights([W, b])
    z_keras = keras.ops.convert_to_numpy(layer(X))
    z_numpy = X @ W + b
    assert np.abs(z_keras - z_numpy).max() <= 4 * np.finfo(np.float64).eps * np.abs(z_numpy).max()
    np.testing.assert_array_equal(z_keras >= 0, z_numpy >= 0)


def test_dense_H_kernel_D_by_H_bias_H():
    """"`keras.layers.Dense(H)` creates its kernel with shape `(D, H)` — one column per neuron, $D$ taken from
    the input when the layer is built — and its bias with shape `(H,)` [...] it computes the same `(N, 3)`
    pre-activations." """
    layer = keras.layers.Dense(3)
    rng = np.random.default_rng(1)
    X = rng.normal(size=(50, 10))
    out = layer(X)                                 # built from the input: D = 10
    assert tuple(layer.kernel.shape) == (10, 3) and tuple(layer.bias.shape) == (3,)
    W3, b3 = rng.normal(size=(10, 3)), np.array([0.1, -0.2, 0.3])
    layer.set_weights([W3, b3])
    out = keras.ops.convert_to_numpy(layer(X))
    assert out.shape == (50, 3)
    np.testing.assert_allclose(out, X @ W3 + b3, rtol=0, atol=1e-13)
    for j in range(3):
        np.testing.assert_allclose(out[:, j], X @ W3[:, j] + b3[j], rtol=0, atol=1e-13)


def test_step_is_not_a_keras_activation_but_heaviside_op_is():
    """"Keras also accepts any function of tensors as an activation [...] The step is not one of Keras's named
    activations (`keras.activations`); it exists as the operation `keras.ops.heaviside(z, 1.0)`, whose second
    argument is the value at $z = 0$." """
    for name in ("step", "heaviside", "binary_step"):
        with pytest.raises(ValueError):
            keras.activations.get(name)
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(keras.ops.heaviside(np.array([-1.0, 0.0, 2.0]), 1.0)),
                                  [0.0, 1.0, 1.0])
    X, y, W, b = _trained_perceptron()
    layer = keras.layers.Dense(1, activation=lambda z: keras.ops.heaviside(z, 1.0))
    layer.build((None, 2))
    layer.set_weights([W, b])
    out = keras.ops.convert_to_numpy(layer(X))[:, 0]
    np.testing.assert_array_equal(out, (X @ W + b >= 0).astype(float)[:, 0])
    np.testing.assert_array_equal(out, y)


def test_input_dim_is_accepted_with_a_user_warning():
    """Issue 21's right answer for Exercise 1.7: `keras.layers.Dense(1, input_dim=D)` is accepted and only
    warns (a UserWarning, which the course's warnings policy prints to stdout)."""
    with pytest.warns(UserWarning, match="input_dim"):
        layer = keras.layers.Dense(1, input_dim=2)
    layer.build((None, 2))
    layer.set_weights([np.array([[1.0], [-1.0]]), np.array([0.5])])
    np.testing.assert_allclose(keras.ops.convert_to_numpy(layer(np.array([[1.0, 2.0]]))), [[-0.5]])
