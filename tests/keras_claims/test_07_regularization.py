"""Chapter 7's claims about Keras and TensorFlow, run on real Keras layers,
initializers, regularizers, optimizers, callbacks and models, so that a Keras
upgrade that changes one fails CI. Each docstring quotes the claim. The
chapter's own functions (its answer key, and the given code it receives from
Chapters 4 and 6) are loaded from solutions/."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from course import nn
from course.given import find_cell, strip_markers

ROOT = Path(__file__).resolve().parents[2]

F32 = lambda value: float(np.float32(value))  # noqa: E731  what tf.cast does to a Python float on its way to float64


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
    """The chapter's answer key and the given code it uses, executed in one namespace."""
    namespace = {"np": np, "nn": nn}
    refs = ("04_backprop:Dense", "04_backprop:ReLU", "06_optimizers:adam", "06_optimizers:adamw",
            "07_regularization:compute_fans", "07_regularization:variance_scaling", "07_regularization:l2_penalty",
            "07_regularization:Dropout", "07_regularization:batchnorm_backward", "07_regularization:BatchNormalization",
            "07_regularization:early_stopping")
    for ref in refs:
        source = strip_markers(find_cell(ROOT, ref).source)
        source = "\n".join(line for line in source.splitlines() if not line.startswith(("relu_layer", "print(")))
        exec(source, namespace)
    return namespace


# ---- initializers -------------------------------------------------------------

def test_dense_default_kernel_initializer_is_glorot_uniform(keras):
    """"Keras's default kernel initializer `GlorotUniform`" / "Keras's `Dense` uses `GlorotUniform` unless told otherwise"."""
    layer = keras.layers.Dense(3)
    assert type(layer.kernel_initializer) is keras.initializers.GlorotUniform
    assert type(layer.bias_initializer) is keras.initializers.Zeros


@pytest.mark.parametrize("name, scale, mode, distribution", [
    ("GlorotUniform", 1.0, "fan_avg", "uniform"), ("GlorotNormal", 1.0, "fan_avg", "truncated_normal"),
    ("HeNormal", 2.0, "fan_in", "truncated_normal"), ("HeUniform", 2.0, "fan_in", "uniform"),
    ("LecunNormal", 1.0, "fan_in", "truncated_normal"), ("LecunUniform", 1.0, "fan_in", "uniform"),
])
def test_named_initializers_are_variance_scaling(keras, name, scale, mode, distribution):
    """The table "Keras initializer | scale | mode | distribution": each named initializer is a
    `VarianceScaling(scale, mode, distribution)`."""
    init = getattr(keras.initializers, name)(seed=0)
    assert isinstance(init, keras.initializers.VarianceScaling)
    assert (init.scale, init.mode, init.distribution) == (scale, mode, distribution)
    assert keras.initializers.VarianceScaling().distribution == "truncated_normal"   # "(the default)"
    assert keras.initializers.VarianceScaling().mode == "fan_in" and keras.initializers.VarianceScaling().scale == 1.0


@pytest.mark.parametrize("shape", [(256, 128), (64,), (3, 3, 16, 32), (5, 7, 2)])
def test_compute_fans_is_keras_rule(lib, shape):
    """"Keras's rule for any shape (`compute_fans`, given below) also covers a bias-like vector (both fans are
    its length) and a convolution kernel (the window's size multiplies both fans)"."""
    from keras.src.initializers.random_initializers import compute_fans

    assert tuple(lib["compute_fans"](shape)) == tuple(compute_fans(shape))


@pytest.mark.parametrize("scale, mode, distribution", [
    (2.0, "fan_in", "truncated_normal"), (1.0, "fan_avg", "uniform"), (2.0, "fan_in", "untruncated_normal"),
    (0.5, "fan_out", "uniform"), (1.0, "fan_avg", "truncated_normal"),
])
def test_variance_scaling_statistics_match_keras(keras, lib, scale, mode, distribution):
    """"Keras draws with stddev = sqrt(scale/fan) / 0.87962566103423978, truncates at ±2 stddev, and the result
    has the intended standard deviation sqrt(scale/fan)"; uniform: limit = sqrt(3 scale / fan); the Keras
    section's table (standard deviation, max|w|/std, fraction within one standard deviation) agrees with ours
    distribution by distribution."""
    shape = (400, 250)
    fan = {"fan_in": 400, "fan_out": 250, "fan_avg": 325}[mode]
    target = np.sqrt(scale / fan)
    theirs = keras.ops.convert_to_numpy(keras.initializers.VarianceScaling(scale, mode, distribution, seed=1)(shape=shape))
    ours = lib["variance_scaling"](shape, scale, mode, distribution, seed=1)
    for w in (theirs, ours):
        assert w.dtype == np.float64
        assert abs(w.std() / target - 1) < 0.01
        within = (np.abs(w) < w.std()).mean()
        largest = np.abs(w).max() / target
        if distribution == "truncated_normal":
            assert largest <= 2 / 0.87962566103423978 + 1e-12 and largest > 0.98 * 2 / 0.87962566103423978
            assert abs(within - 0.6505) < 0.01
        elif distribution == "uniform":
            assert largest <= np.sqrt(3) + 1e-12 and largest > 0.99 * np.sqrt(3)
            assert abs(within - 1 / np.sqrt(3)) < 0.01
        else:
            assert largest > 4.0
            assert abs(within - 0.6827) < 0.01


def test_truncated_normal_constant_is_the_std_of_a_normal_cut_at_two(keras):
    """"a standard normal truncated at ±2 has standard deviation 0.87962566", the constant in Keras's source."""
    import inspect

    from scipy.stats import truncnorm

    assert abs(truncnorm(-2, 2).std() - 0.87962566103423978) < 1e-15
    source = inspect.getsource(keras.initializers.VarianceScaling.__call__)
    assert "0.87962566103423978" in source


# ---- regularizers ---------------------------------------------------------------

def test_l2_regularizer_penalty_gradient_and_float32_lambda(keras, tf, lib):
    """"the penalty should be λΣW² with no ½, and its gradient 2λW for the kernel and nothing for the bias";
    "Keras's λ is 0.0099999998" (TensorFlow casts the Python float through float32) and with that λ the two agree
    to rounding; the textbook ½ would differ by half the penalty."""
    lam = 0.01
    W, b = np.random.default_rng(1).normal(size=(4, 3)), np.random.default_rng(2).normal(size=3)
    dense = keras.layers.Dense(3, kernel_regularizer=keras.regularizers.L2(lam))
    dense.build((None, 4))
    dense.set_weights([W, b])
    assert len(dense.losses) == 1
    with tf.GradientTape() as tape:
        penalty = tf.add_n(dense.losses)
    dW, db = tape.gradient(penalty, [dense.kernel.value, dense.bias.value])
    assert db is None
    ours, grads = lib["l2_penalty"]({"kernel": W, "bias": b}, lam)
    assert 1e-10 < abs(ours - float(penalty)) < 1e-8
    rounded, rounded_grads = lib["l2_penalty"]({"kernel": W, "bias": b}, F32(lam))
    assert abs(rounded - float(penalty)) < 1e-16
    assert np.abs(rounded_grads["kernel"] - dW.numpy()).max() < 1e-17
    assert abs(0.5 * lam * np.sum(W**2) - float(penalty)) > 0.4 * float(penalty)


def test_bias_is_only_penalised_with_a_bias_regularizer(keras):
    """"`kernel_regularizer` covers the kernel, and the bias only if you also pass a `bias_regularizer`"."""
    only_kernel = keras.layers.Dense(2, kernel_regularizer=keras.regularizers.L2(0.1))
    both = keras.layers.Dense(2, kernel_regularizer=keras.regularizers.L2(0.1), bias_regularizer=keras.regularizers.L2(0.1))
    for layer in (only_kernel, both):
        layer.build((None, 2))
        layer.set_weights([np.ones((2, 2)), np.ones(2)])
    assert abs(float(sum(only_kernel.losses)) - F32(0.1) * 4) < 1e-12
    assert abs(float(sum(both.losses)) - F32(0.1) * 6) < 1e-12


def test_fit_adds_the_regularization_losses_to_the_loss(keras):
    """"(and `model.fit` adds those to the loss)": `evaluate` reports the data loss plus the penalty."""
    W = np.array([[1.0, -2.0], [0.5, 3.0]])
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2, kernel_regularizer=keras.regularizers.L2(0.01))])
    model.set_weights([W, np.zeros(2)])
    model.compile(loss="mse")
    x, y = np.array([[1.0, 1.0], [0.0, 2.0]]), np.zeros((2, 2))
    mse = np.mean((x @ W) ** 2)
    assert abs(model.evaluate(x, y, verbose=0) - (mse + F32(0.01) * np.sum(W**2))) < 1e-12


def test_l1_regularizer(keras, tf):
    """"`keras.regularizers.L1` does the same with l1 Σ|W|; its gradient is l1 sign(W), which TensorFlow takes as
    0 at exactly W = 0" (l1 rounded through float32, like L2's λ)."""
    W = np.array([[1.0, -2.0], [0.0, 3.0]])
    dense = keras.layers.Dense(2, kernel_regularizer=keras.regularizers.L1(0.01))
    dense.build((None, 2))
    dense.set_weights([W, np.zeros(2)])
    with tf.GradientTape() as tape:
        penalty = tf.add_n(dense.losses)
    grad = tape.gradient(penalty, dense.kernel.value).numpy()
    assert abs(float(penalty) - F32(0.01) * np.abs(W).sum()) < 1e-17
    assert abs(float(penalty) - 0.01 * np.abs(W).sum()) > 1e-9
    assert np.array_equal(grad, F32(0.01) * np.sign(W)) and grad[1, 0] == 0.0


# ---- AdamW ------------------------------------------------------------------------

def _keras_adamw(keras, tf, W, b, grads, exclude=(), optimizer_class="AdamW", **hyper):
    layer = keras.layers.Dense(W.shape[1])
    layer.build((None, W.shape[0]))
    layer.set_weights([W, b])
    optimizer = getattr(keras.optimizers, optimizer_class)(**hyper)
    if exclude:
        optimizer.exclude_from_weight_decay(var_names=list(exclude))
    for gk, gb in grads:
        optimizer.apply_gradients([(tf.constant(gk), layer.kernel), (tf.constant(gb), layer.bias)])
    return layer.kernel.numpy(), layer.bias.numpy()


def test_adamw_decays_every_variable_unless_excluded(keras, tf):
    """"Keras's `AdamW` ... decays every trainable variable, biases and batch norm's γ and β included (as does any
    Keras optimizer given a `weight_decay`), unless you exclude variables with
    `optimizer.exclude_from_weight_decay(var_names=[...])`"; one step with zero gradients, learning rate 0.1 and
    weight decay 0.5 multiplies by 0.95."""
    zeros = [(np.zeros((3, 2)), np.zeros(2))]
    for cls in ("AdamW", "Adam", "SGD"):
        kernel, bias = _keras_adamw(keras, tf, np.ones((3, 2)), np.ones(2), zeros, optimizer_class=cls, learning_rate=0.1, weight_decay=0.5)
        assert np.allclose(kernel, 0.95) and np.allclose(bias, 0.95), cls
    kernel, bias = _keras_adamw(keras, tf, np.ones((3, 2)), np.ones(2), zeros, exclude=("bias",), learning_rate=0.1, weight_decay=0.5)
    assert np.allclose(kernel, 0.95) and np.array_equal(bias, np.ones(2))
    bn = keras.layers.BatchNormalization()
    bn.build((None, 2))
    optimizer = keras.optimizers.AdamW(learning_rate=0.1, weight_decay=0.5)
    optimizer.apply_gradients([(tf.zeros(2, dtype="float64"), bn.gamma), (tf.zeros(2, dtype="float64"), bn.beta)])
    assert np.allclose(bn.gamma.numpy(), 0.95)
    assert keras.optimizers.AdamW().weight_decay == 0.004


def test_adamw_equals_ours_up_to_float32_constants(keras, tf, lib):
    """"each configuration agrees with its counterpart to about 2e-6"; Keras rounds beta_1, beta_2 and
    weight_decay through float32, the learning rate is a float64 variable, and "reproducing that rounding in the
    update rule makes the two agree exactly" — with and without the bias excluded; our side is
    `course.nn.Optimizer(adamw, ..., exclude_from_weight_decay=...)` on the chapter's `Dense`."""
    rng = np.random.default_rng(3)
    W, b = rng.normal(size=(4, 3)), rng.normal(size=3)
    grads = list(zip(rng.normal(size=(10, 4, 3)), rng.normal(size=(10, 3))))

    def rounded(param, grad, state=None, learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
        param = param - param * F32(weight_decay) * learning_rate
        if state is None:
            state = {"m": np.zeros_like(param), "v": np.zeros_like(param), "t": 0}
        t = state["t"] + 1
        m = state["m"] + (grad - state["m"]) * (1 - beta_1)
        v = state["v"] + (grad**2 - state["v"]) * (1 - beta_2)
        alpha = learning_rate * np.sqrt(1 - F32(beta_2) ** t) / (1 - F32(beta_1) ** t)
        return param - m * alpha / (np.sqrt(v) + epsilon), {"m": m, "v": v, "t": t}

    def ours(rule, exclude):
        layer = lib["Dense"](3)
        layer.build((None, 4))
        layer.set_weights([W, b])
        optimizer = nn.Optimizer(rule, learning_rate=0.05, weight_decay=0.1, exclude_from_weight_decay=exclude)
        for gk, gb in grads:
            layer.grads["kernel"], layer.grads["bias"] = gk, gb
            optimizer.apply([layer])
        return layer.params["kernel"], layer.params["bias"]

    for exclude in ((), ("bias",)):
        theirs = _keras_adamw(keras, tf, W, b, grads, exclude=exclude, learning_rate=0.05, weight_decay=0.1)
        plain = ours(lib["adamw"], exclude)
        exact = ours(rounded, exclude)
        difference = max(np.abs(a - c).max() for a, c in zip(plain, theirs))
        assert 1e-6 < difference < 5e-6
        assert max(np.abs(a - c).max() for a, c in zip(exact, theirs)) == 0.0
    optimizer = keras.optimizers.AdamW(learning_rate=0.05)
    assert optimizer.learning_rate.dtype == "float64"
    assert F32(0.9) == 0.8999999761581421 and F32(0.999) == 0.9990000128746033


# ---- Dropout ----------------------------------------------------------------------

def test_dropout_is_inverted_and_off_at_inference(keras, lib):
    """"Inverted dropout (what Keras does)": kept units are scaled by 1/(1 - rate) in training, the same mask
    gives our layer's output exactly; at inference both return the input unchanged, and `model.predict` runs a
    Keras model in inference mode, so dropout is off there."""
    x = np.random.default_rng(4).uniform(0.5, 1.5, size=(64, 32))
    layer = keras.layers.Dropout(0.3, seed=0)
    out = keras.ops.convert_to_numpy(layer(x, training=True))
    keep = out != 0
    assert 0.25 < 1 - keep.mean() < 0.35
    assert np.array_equal(out, lib["Dropout"](0.3).forward(x, training=True, keep=keep))
    assert np.array_equal(keras.ops.convert_to_numpy(layer(x, training=False)), x)
    model = keras.Sequential([keras.Input((32,)), keras.layers.Dropout(0.3, seed=0)])
    assert np.array_equal(model.predict(x, verbose=0), x)
    assert (keras.ops.convert_to_numpy(model(x, training=True)) == 0).mean() > 0.2


# ---- BatchNormalization -----------------------------------------------------------

def test_batchnorm_defaults_formula_and_weight_order(keras, tf, lib):
    """"Keras's defaults are ours: momentum=0.99 with moving = moving * momentum + batch * (1 - momentum),
    epsilon=1e-3, and the biased batch variance"; "moving mean 0 and moving variance 1 at the start"; "Its weights
    come in the same order as ours (gamma, beta, moving_mean, moving_variance)"; forward, moving statistics,
    inference and backward agree to about 1e-15; the unbiased variance would differ."""
    keras_bn = keras.layers.BatchNormalization()
    assert (keras_bn.momentum, keras_bn.epsilon) == (0.99, 1e-3)
    keras_bn.build((None, 6))
    assert [w.name for w in keras_bn.weights] == ["gamma", "beta", "moving_mean", "moving_variance"]
    assert np.array_equal(keras_bn.moving_mean.numpy(), np.zeros(6)) and np.array_equal(keras_bn.moving_variance.numpy(), np.ones(6))
    rng = np.random.default_rng(5)
    ours = lib["BatchNormalization"]()
    ours.build((None, 6))
    ours.set_weights([rng.uniform(0.5, 2.0, size=6), rng.normal(size=6), np.zeros(6), np.ones(6)])
    keras_bn.set_weights(ours.get_weights())
    for _ in range(3):
        x = rng.normal(loc=3.0, scale=2.0, size=(16, 6))
        keras_out = keras.ops.convert_to_numpy(keras_bn(x, training=True))
        assert np.abs(ours.forward(x, training=True) - keras_out).max() < 1e-14
        assert np.abs(ours.non_trainable["moving_mean"] - keras_bn.moving_mean.numpy()).max() < 1e-16
        assert np.abs(ours.non_trainable["moving_variance"] - keras_bn.moving_variance.numpy()).max() < 1e-16
    gamma, beta = ours.params["gamma"], ours.params["beta"]
    unbiased = (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0, ddof=1) + 1e-3) * gamma + beta
    assert np.abs(unbiased - keras_out).max() > 0.01
    x_test = rng.normal(size=(5, 6))
    assert np.abs(ours.forward(x_test) - keras.ops.convert_to_numpy(keras_bn(x_test, training=False))).max() < 1e-14
    x_var, dout = tf.Variable(x), rng.normal(size=x.shape)      # (this training-mode call moves Keras's statistics; none are compared after it)
    with tf.GradientTape() as tape:
        objective = tf.reduce_sum(keras_bn(x_var, training=True) * dout)
    dx, dgamma, dbeta = tape.gradient(objective, [x_var, keras_bn.gamma.value, keras_bn.beta.value])
    ours_dx, ours_dgamma, ours_dbeta = lib["batchnorm_backward"](dout, x, gamma, 1e-3)
    assert np.abs(ours_dx - dx.numpy()).max() < 1e-14
    assert np.abs(ours_dgamma - dgamma.numpy()).max() < 1e-13 and np.abs(ours_dbeta - dbeta.numpy()).max() < 1e-13


def test_batchnorm_trainable_false_means_inference_mode(keras):
    """"Setting `layer.trainable = False` on a Keras `BatchNormalization` layer ... the layer then normalises with
    its moving statistics and stops updating them, even when called with `training=True` inside `fit`"."""
    rng = np.random.default_rng(0)
    bn = keras.layers.BatchNormalization()
    bn.build((None, 3))
    bn.set_weights([np.array([1.0, 2.0, 0.5]), np.array([0.0, 1.0, -1.0]), np.array([1.0, 2.0, 3.0]), np.array([4.0, 1.0, 0.25])])
    bn.trainable = False
    x = rng.normal(loc=3.0, scale=2.0, size=(8, 3))
    expected = (x - [1.0, 2.0, 3.0]) / np.sqrt(np.array([4.0, 1.0, 0.25]) + 1e-3) * [1.0, 2.0, 0.5] + [0.0, 1.0, -1.0]
    assert np.abs(keras.ops.convert_to_numpy(bn(x, training=True)) - expected).max() < 1e-14
    assert np.array_equal(bn.moving_mean.numpy(), [1.0, 2.0, 3.0])
    # inside fit, too
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(3), bn])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, np.zeros((8, 3)), epochs=1, verbose=0)
    assert np.array_equal(bn.moving_mean.numpy(), [1.0, 2.0, 3.0]) and np.array_equal(bn.gamma.numpy(), [1.0, 2.0, 0.5])
    bn.trainable = True
    bn(x, training=True)
    assert not np.array_equal(bn.moving_mean.numpy(), [1.0, 2.0, 3.0])


def test_dense_bias_before_batchnorm_has_zero_gradient(keras, tf, lib):
    """"the gradient of a `Dense` bias that feeds a batch norm layer is 0" — on a Keras model and on ours."""
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4), keras.layers.BatchNormalization()])
    x = np.random.default_rng(6).normal(size=(32, 3))
    dout = np.random.default_rng(7).normal(size=(32, 4))
    with tf.GradientTape() as tape:
        objective = tf.reduce_sum(model(x, training=True) * dout)
    grad_bias, grad_kernel = tape.gradient(objective, [model.layers[0].bias.value, model.layers[0].kernel.value])
    assert np.abs(grad_bias.numpy()).max() < 1e-13 and np.abs(grad_kernel.numpy()).max() > 0.1
    ours = nn.Sequential([lib["Dense"](4, seed=0), lib["BatchNormalization"]()])
    ours(x, training=True)
    ours.backward(dout)
    assert np.abs(ours.layers[0].grads["bias"]).max() < 1e-13


# ---- EarlyStopping ----------------------------------------------------------------

def _drive(keras, losses, weights_per_epoch=False, **options):
    host = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    host.stop_training = False
    callback = keras.callbacks.EarlyStopping(monitor="val_loss", **options)
    callback.set_model(host)
    callback.on_train_begin()
    for epoch, loss in enumerate(losses):
        if weights_per_epoch:
            host.set_weights([np.full((1, 1), float(epoch)), np.zeros(1)])
        callback.on_epoch_end(epoch, {"val_loss": float(loss)})
        if host.stop_training:
            break
    callback.on_train_end()
    return epoch, callback.best_epoch, host


def test_early_stopping_defaults(keras):
    """"Mind Keras's defaults: `patience=0` and `restore_best_weights=False`" (and min_delta 0, monitor
    'val_loss')."""
    callback = keras.callbacks.EarlyStopping()
    assert (callback.patience, callback.restore_best_weights, callback.min_delta, callback.monitor) == (0, False, 0, "val_loss")


def test_patience_zero_acts_like_one(keras, lib):
    """"`EarlyStopping()` stops at the first epoch without improvement (patience 0 acts like patience 1, because
    the count is already 1 there)"."""
    for losses in ([1.0, 0.8, 0.7, 0.75, 0.72], [1.0, 1.5, 0.5, 0.25, 0.5, 0.75], [2.0, 1.0]):
        assert _drive(keras, losses, patience=0)[:2] == _drive(keras, losses, patience=1)[:2] == lib["early_stopping"](losses, 1)


@pytest.mark.parametrize("losses, patience, min_delta", [
    ([1.0, 0.8, 0.7, 0.75, 0.72, 0.71, 0.9, 0.65], 3, 0.0),
    ([1.0, 0.875, 0.75, 0.625, 0.5], 2, 0.25),
    ([1.0, 0.5, 0.5, 0.5, 0.25], 2, 0.0),
    ([1.0, 1.5, 0.5, 1.5, 0.25], 2, 0.0),
    ([1.0, 0.875, 0.75, 0.6875, 0.625], 2, 0.125),
    ([2.0, 1.5, 1.75, 1.5, 1.0], 3, 0.5),
])
def test_early_stopping_rule_is_keras(keras, lib, losses, patience, min_delta):
    """"Keras's rule (`keras.callbacks.EarlyStopping`) ... an improvement if its loss is below the best loss so far
    by more than `min_delta` ... equal is not an improvement"; our rule gives Keras's stopped and best epochs on
    the worked examples and the tests' boundary cases."""
    assert _drive(keras, losses, patience=patience, min_delta=min_delta)[:2] == lib["early_stopping"](losses, patience, min_delta)


def test_decimal_tie_decided_by_rounding(keras):
    """"for best 1.0, loss 0.95 and min_delta 0.05, `1.0 - 0.95` is computed as 0.05000000000000004, just above
    0.05, so `best - loss > min_delta` counts an improvement where the other two forms do not" (Keras's own form
    is `loss + min_delta < best`: the callback itself does not count 0.95 as an improvement)."""
    best, loss, delta = 1.0, 0.95, 0.05
    assert repr(best - loss) == "0.050000000000000044"
    assert (best - loss > delta) and not (loss < best - delta) and not (loss + delta < best)
    assert _drive(keras, [1.0, 0.95, 0.95], patience=1, min_delta=0.05)[:2] == (1, 0)


def test_restore_best_weights(keras):
    """"at the end (`on_train_end`) it restores the weights saved at `callback.best_epoch` only if
    `restore_best_weights=True`"; by default the model keeps the weights of the last epoch."""
    losses = [1.0, 0.8, 0.7, 0.75, 0.72, 0.71, 0.9, 0.65]
    stopped, best, host = _drive(keras, losses, weights_per_epoch=True, patience=3)
    assert (stopped, best, host.get_weights()[0].item()) == (5, 2, 5.0)
    stopped, best, host = _drive(keras, losses, weights_per_epoch=True, patience=3, restore_best_weights=True)
    assert (stopped, best, host.get_weights()[0].item()) == (5, 2, 2.0)


def test_fit_stops_like_our_rule_and_restores_the_best_epoch(keras, lib):
    """"`model.fit` does exactly this: it calls `on_epoch_end` with the epoch's logs after every epoch and stops
    when the callback sets `model.stop_training` ... restores the weights saved at `callback.best_epoch` only if
    `restore_best_weights=True`" — a real `fit`."""
    from course.datasets import small_digits

    X, y, _, _ = small_digits(n_train=100, n_val=10, seed=0)
    y_wrong = (y + 1 + np.random.default_rng(0).integers(0, 9, size=len(y))) % 10     # validation labels that disagree
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((64,)), keras.layers.Dense(10, activation="softmax")])
    model.compile(optimizer=keras.optimizers.SGD(0.5), loss="sparse_categorical_crossentropy")
    saved = []
    record = keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: saved.append(model.get_weights()))
    stopper = keras.callbacks.EarlyStopping(patience=2, restore_best_weights=True)
    history = model.fit(X, y, validation_data=(X, y_wrong), epochs=30, batch_size=20, verbose=0, callbacks=[record, stopper])
    val = history.history["val_loss"]
    stopped, best = lib["early_stopping"](val, patience=2)
    assert len(val) < 30 and stopped == len(val) - 1 and best == stopper.best_epoch
    assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), saved[best]))


def test_floatx_is_float64_in_the_course(keras):
    """"the course sets Keras's float type to float64"."""
    assert keras.config.floatx() == "float64"


def test_float32_would_agree_only_to_about_1e_7(keras, lib):
    """"The agreements to about 1e-15 below hold because both sides compute in float64; in float32 (about 7
    significant digits) they would stop between 1e-7 and 1e-6" — the chapter's batch norm against a Keras
    BatchNormalization layer in float64 (the course's floatx) and in float32 (Keras's default)."""
    rng = np.random.default_rng(5)
    weights = [rng.uniform(0.5, 2.0, size=6), rng.normal(size=6), np.zeros(6), np.ones(6)]
    x = rng.normal(loc=3.0, scale=2.0, size=(16, 6))
    ours = lib["BatchNormalization"]()
    ours.build((None, 6))
    ours.set_weights(weights)
    expected = ours.forward(x, training=True)
    differences = {}
    for dtype in ("float64", "float32"):
        layer = keras.layers.BatchNormalization(dtype=dtype)
        layer.build((None, 6))
        layer.set_weights(weights)
        differences[dtype] = np.abs(keras.ops.convert_to_numpy(layer(x, training=True)) - expected).max()
    assert differences["float64"] < 1e-14
    assert 1e-7 < differences["float32"] < 1e-6
