"""Chapter 3's sentences about Keras, asserted on real Keras losses, layers and
models (a Keras upgrade that changes one of them fails here). Each docstring
quotes the claim. Keras runs in float64 here (import_keras), as in the
notebook; only the parity figures depend on it."""

import warnings

import numpy as np
import pytest

from course.kerasenv import import_keras

keras = import_keras()
import tensorflow as tf  # noqa: E402  (after import_keras, so TensorFlow stays quiet)

EPS = 1e-7
CLIPPED_MAX = -np.log(EPS)  # 16.118095650958319


def np_sigmoid(z):
    z = np.asarray(z, float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def np_log_softmax(z):
    m = z.max(axis=-1, keepdims=True)
    return z - m - np.log(np.exp(z - m).sum(axis=-1, keepdims=True))


def value(x):
    return float(keras.ops.convert_to_numpy(x))


def sigmoid_model():
    """Dense(1, activation="sigmoid") with kernel 1 and bias 0: the input is the logit."""
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, activation="sigmoid")])
    model.set_weights([np.array([[1.0]]), np.array([0.0])])
    return model


# ---- Section 1 and 12: per-example losses, reductions, sample weights -------------------------

def test_per_example_loss_averages_the_last_axis():
    """"a per-example loss: for MSE, the mean of the squared errors over the last axis. For (N, C) inputs
    that gives one value per example, shape (N,). For (N,) inputs the last axis is the batch, so this step
    already averages the whole batch and returns a single number" (also for binary cross-entropy)."""
    y, p = np.array([1.0, 3.0]), np.array([0.0, 0.0])
    assert keras.ops.convert_to_numpy(keras.losses.mean_squared_error(y, p)).shape == ()
    assert value(keras.losses.mean_squared_error(y, p)) == 5.0
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(keras.losses.mean_squared_error(y[:, None], p[:, None])), [1.0, 9.0])
    yb, pb = np.array([1.0, 0.0, 1.0]), np.array([0.9, 0.4, 0.5])
    assert keras.ops.convert_to_numpy(keras.losses.binary_crossentropy(yb, pb)).shape == ()
    assert keras.ops.convert_to_numpy(keras.losses.binary_crossentropy(yb[:, None], pb[:, None])).shape == (3,)
    Y, P = np.zeros((4, 3)), np.arange(12.0).reshape(4, 3)
    assert keras.ops.convert_to_numpy(keras.losses.mean_squared_error(Y, P)).shape == (4,)
    cce = keras.losses.categorical_crossentropy(np.eye(3)[[0, 1]], np.zeros((2, 3)), from_logits=True)
    assert keras.ops.convert_to_numpy(cce).shape == (2,)


def test_default_reduction_is_the_batch_mean():
    """"Keras's default, reduction="sum_over_batch_size", divides the sum by the batch size N: it is the batch
    mean." and "Without sample weights both shapes give the same number: the mean over all elements." """
    for cls in (keras.losses.MeanSquaredError, keras.losses.BinaryCrossentropy, keras.losses.CategoricalCrossentropy,
                keras.losses.SparseCategoricalCrossentropy, keras.losses.MeanAbsoluteError, keras.losses.Huber):
        assert cls().reduction == "sum_over_batch_size"
    rng = np.random.default_rng(0)
    y, p = rng.normal(size=(6, 3)), rng.normal(size=(6, 3))
    assert np.isclose(value(keras.losses.MeanSquaredError()(y, p)), np.mean((p - y) ** 2), rtol=1e-14)
    y1, p1 = rng.normal(size=6), rng.normal(size=6)
    mse = keras.losses.MeanSquaredError()
    assert np.isclose(value(mse(y1, p1)), value(mse(y1[:, None], p1[:, None])), rtol=1e-14)
    assert np.isclose(value(mse(y1, p1)), np.mean((p1 - y1) ** 2), rtol=1e-14)


def test_sample_weights_divide_by_N_not_by_the_weights():
    """"With per-example weights w_i (sample_weight) it is sum_i w_i l_i / N — still divided by N, not by
    sum_i w_i"; "not the weighted mean, which reduction="mean_with_sample_weight" gives"; with y = (1, 3),
    predictions (0, 0), weights (1, 0): 0.5 for (N, 1) targets, 2.5 for (N,) targets ("each weight multiplies
    that number instead"); model.evaluate with sample_weight=[1, 0] gives 0.5."""
    y, p, w = np.array([1.0, 3.0]), np.array([0.0, 0.0]), np.array([1.0, 0.0])
    mse = keras.losses.MeanSquaredError()
    assert value(mse(y[:, None], p[:, None], sample_weight=w)) == 0.5
    assert value(mse(y, p, sample_weight=w)) == 2.5
    assert value(keras.losses.MeanSquaredError(reduction="mean_with_sample_weight")(y[:, None], p[:, None], sample_weight=w)) == 1.0
    w2 = np.array([2.0, 1.0])
    assert np.isclose(value(mse(y[:, None], p[:, None], sample_weight=w2)), (2 * 1 + 1 * 9) / 2, rtol=1e-14)
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, kernel_initializer="zeros")])
    model.compile(loss="mean_squared_error")
    assert float(model.evaluate(np.ones((2, 1)), y[:, None], sample_weight=w, verbose=0)) == 0.5
    assert tuple(model(np.ones((2, 1))).shape) == (2, 1)  # "A Dense(1) output has shape (N, 1)"


def test_loss_subclass_gets_weights_and_reduction_from_the_base_class():
    """"It must return the per-example losses, shape (N,): the base class then multiplies them by the sample
    weights, if any, and applies the reduction — sum_i w_i l_i / N, the batch mean when there are no weights"."""

    class PerExample(keras.losses.Loss):
        def call(self, y_true, y_pred):
            return keras.ops.sum((y_true - y_pred) ** 2, axis=-1)

    y, p = np.array([[1.0, 0.0], [0.0, 3.0], [2.0, 2.0]]), np.zeros((3, 2))
    per = np.array([1.0, 9.0, 8.0])
    loss = PerExample()
    assert np.isclose(value(loss(y, p)), per.mean(), rtol=1e-14)
    w = np.array([0.5, 0.0, 2.0])
    assert np.isclose(value(loss(y, p, sample_weight=w)), np.sum(w * per) / 3, rtol=1e-14)


def test_metrics_are_only_logged_the_loss_trains():
    """"model.compile(loss=..., metrics=[...]) trains on the loss and only computes and logs the metrics"."""
    rng = np.random.default_rng(1)
    X, Y = rng.normal(size=(40, 2)), np.eye(3)[rng.integers(0, 3, 40)]
    weights = []
    for metrics in ([], ["categorical_accuracy"]):
        keras.utils.set_random_seed(0)
        model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3)])
        model.compile(optimizer=keras.optimizers.SGD(0.1), loss=keras.losses.CategoricalCrossentropy(from_logits=True),
                      metrics=metrics)
        history = model.fit(X, Y, epochs=2, batch_size=20, shuffle=False, verbose=0)
        weights.append(model.get_weights())
        if metrics:
            assert "categorical_accuracy" in history.history and "loss" in history.history
    for a, b in zip(*weights):
        np.testing.assert_array_equal(a, b)


# ---- Section 2: Huber and MAE formulas, epsilon ---------------------------------------------

def test_huber_and_mae_formulas():
    """"Huber loss (Keras's keras.losses.huber)": 0.5 e^2 for |e| <= delta, delta |e| - 0.5 delta^2 beyond;
    its gradient is the error clipped to [-delta, delta] over the number of elements; MAE's is sign(e) / n."""
    rng = np.random.default_rng(2)
    y, p = rng.normal(size=(5, 3)), rng.normal(size=(5, 3)) * 2
    e = p - y
    for delta in (1.0, 0.5, 2.0):
        ref = np.mean(np.where(np.abs(e) <= delta, 0.5 * e**2, delta * np.abs(e) - 0.5 * delta**2))
        assert np.isclose(value(keras.losses.Huber(delta=delta)(y, p)), ref, rtol=1e-13)
        x = tf.Variable(p)
        with tf.GradientTape() as tape:
            out = keras.losses.Huber(delta=delta)(y, x)
        np.testing.assert_allclose(tape.gradient(out, x).numpy(), np.clip(e, -delta, delta) / e.size, rtol=1e-12, atol=1e-15)
    x = tf.Variable(p)
    with tf.GradientTape() as tape:
        out = keras.losses.MeanAbsoluteError()(y, x)
    np.testing.assert_allclose(tape.gradient(out, x).numpy(), np.sign(e) / e.size, rtol=1e-12)


def test_epsilon_is_1e_minus_7():
    """"EPSILON = 1e-7   # Keras's keras.config.epsilon()"."""
    assert keras.config.epsilon() == 1e-7


# ---- Sections 4, 5, 11: where Keras clips and where it uses the logits ---------------------------

def test_plain_probabilities_are_clipped():
    """"When a probability reaches Keras as a plain array of numbers, Keras ... clips p to [eps, 1 - eps] with
    eps = 1e-7 before taking logs. Then the largest loss per example is -log 1e-7 ~ 16.12, and a perfect
    prediction costs -log(1 - 1e-7) ~ 1e-7 instead of 0." (Section 11's table: inf/NaN textbook values become
    16.118 and 1.0e-7; 0.6931 at p = 0.5.)"""
    bce = keras.losses.BinaryCrossentropy()
    assert np.isclose(value(bce(np.array([[1.0]]), np.array([[0.0]]))), CLIPPED_MAX, rtol=1e-12)
    assert np.isclose(value(bce(np.array([[1.0]]), np.array([[1.0]]))), -np.log(1 - EPS), rtol=1e-9)
    assert np.isclose(value(bce(np.array([[0.0]]), np.array([[0.0]]))), -np.log(1 - EPS), rtol=1e-9)
    assert np.isclose(value(bce(np.array([[1.0]]), np.array([[0.5]]))), np.log(2), rtol=1e-14)
    assert np.isclose(value(bce(np.array([[1.0]]), np_sigmoid(np.array([[-50.0]])))), CLIPPED_MAX, rtol=1e-12)
    cce = keras.losses.CategoricalCrossentropy()
    assert np.isclose(value(cce(np.array([[0.0, 1.0, 0.0]]), np.array([[1.0, 0.0, 0.0]]))), CLIPPED_MAX, rtol=1e-12)


def test_categorical_from_plain_probabilities_rescales_then_clips():
    """"From probabilities given as plain numbers, Keras first rescales each row to sum to 1 (dividing by the
    row sum), then clips to [eps, 1-eps] as in the binary case, then takes the log"; Exercise 3.3's visible
    test p = [[1, 3]], class 1 -> -log 0.75."""
    cce = keras.losses.CategoricalCrossentropy()
    assert np.isclose(value(cce(np.array([[0.0, 1.0]]), np.array([[1.0, 3.0]]))), -np.log(0.75), rtol=1e-14)
    # rescale first: [0, 2, 0] becomes [0, 1, 0], then 1 is clipped to 1 - eps
    assert np.isclose(value(cce(np.array([[0.0, 1.0, 0.0]]), np.array([[0.0, 2.0, 0.0]]))), -np.log(1 - EPS), rtol=1e-9)


def test_sparse_from_plain_probabilities_clips_then_rescales():
    """"Its sparse loss clips first and then rescales ... The two orders agree unless a value is clipped: for a
    row that sums to 1 they differ by less than C * 1e-7; for a row that does not, the difference can be
    large": p = [0, 1, 0], class 1: sparse 2.0e-7, categorical 1.0e-7; p = [0.5, 1.5], class 1: sparse 0.4055,
    categorical 0.2877."""
    scce, cce = keras.losses.SparseCategoricalCrossentropy(), keras.losses.CategoricalCrossentropy()
    s1 = value(scce(np.array([1]), np.array([[0.0, 1.0, 0.0]])))
    c1 = value(cce(np.array([[0.0, 1.0, 0.0]]), np.array([[0.0, 1.0, 0.0]])))
    assert np.isclose(s1, -np.log((1 - EPS) / (1 + EPS)), rtol=1e-6) and np.isclose(c1, -np.log(1 - EPS), rtol=1e-6)
    assert abs(s1 - c1) < 3 * EPS
    s2 = value(scce(np.array([1]), np.array([[0.5, 1.5]])))
    c2 = value(cce(np.array([[0.0, 1.0]]), np.array([[0.5, 1.5]])))
    assert np.isclose(s2, -np.log((1 - EPS) / (0.5 + 1 - EPS)), rtol=1e-12) and np.isclose(c2, -np.log(0.75), rtol=1e-12)
    # rows summing to 1, random, with clipped entries: the orders differ by less than C * eps
    rng = np.random.default_rng(3)
    for C in (3, 10):
        P = rng.dirichlet(np.ones(C) * 0.05, size=50)
        k = rng.integers(0, C, 50)
        per_s = keras.ops.convert_to_numpy(keras.losses.sparse_categorical_crossentropy(k, P))
        per_c = keras.ops.convert_to_numpy(keras.losses.categorical_crossentropy(np.eye(C)[k], P))
        assert np.max(np.abs(per_s - per_c)) < C * EPS


def test_sigmoid_output_uses_the_logit_on_every_model_path():
    """"the tensor that keras.activations.sigmoid/softmax returns — and so the output of any layer with
    activation="sigmoid" ... remembers the logits it was computed from. binary_crossentropy ... use[s] the
    stable from-logits formula instead: no clipping at all. ... This is the path every model.fit and
    model.evaluate takes." Table: sigmoid(-50), y = 1: NumPy probability 16.118096, model.predict 16.118096,
    keras.activations.sigmoid eager 50, inside tf.function 50, the model's output tensor 50, evaluate 50;
    (issue 19: evaluate at z = -100 gives 100)."""
    bce = keras.losses.BinaryCrossentropy()
    y1, z = np.array([[1.0]]), np.array([[-50.0]])
    assert np.isclose(value(bce(y1, keras.activations.sigmoid(z))), 50.0, rtol=1e-12)

    @tf.function
    def in_graph(zz):
        return bce(y1, keras.activations.sigmoid(zz))

    assert np.isclose(value(in_graph(tf.constant(z))), 50.0, rtol=1e-12)
    model = sigmoid_model()
    model.compile(loss="binary_crossentropy")
    assert np.isclose(value(bce(y1, model(z))), 50.0, rtol=1e-12)
    assert np.isclose(float(model.evaluate(z, y1, verbose=0)), 50.0, rtol=1e-12)
    assert np.isclose(float(model.evaluate(np.array([[-100.0]]), y1, verbose=0)), 100.0, rtol=1e-12)
    predicted = model.predict(z, verbose=0)
    assert isinstance(predicted, np.ndarray)  # "the output of model.predict, which is a NumPy array"
    assert np.isclose(value(bce(y1, predicted)), CLIPPED_MAX, rtol=1e-12)
    assert np.isclose(value(keras.losses.BinaryCrossentropy(from_logits=True)(y1, z)), 50.0, rtol=1e-12)


def test_softmax_output_uses_the_logits_for_categorical_and_sparse():
    """"binary_crossentropy, categorical_crossentropy and sparse_categorical_crossentropy look for them";
    "the output of any layer with activation="sigmoid" or "softmax", or of a Softmax layer"; softmax of
    (0, -60, 60), right class 1 (exact loss 120): plain array 16.118096, Keras softmax output 120, for both
    losses."""
    z, k = np.array([[0.0, -60.0, 60.0]]), np.array([1])
    y = np.eye(3)[k]
    out = keras.activations.softmax(z)
    cce, scce = keras.losses.CategoricalCrossentropy(), keras.losses.SparseCategoricalCrossentropy()
    assert np.isclose(value(cce(y, out)), 120.0, rtol=1e-12)
    assert np.isclose(value(scce(k, out)), 120.0, rtol=1e-12)
    assert np.isclose(value(cce(y, np.asarray(out))), CLIPPED_MAX, rtol=1e-9)
    assert np.isclose(value(scce(k, np.asarray(out))), CLIPPED_MAX, rtol=1e-6)
    heads = [
        [keras.layers.Dense(3, activation="softmax", use_bias=False)],
        [keras.layers.Dense(3, use_bias=False), keras.layers.Softmax()],
        [keras.layers.Dense(3, use_bias=False), keras.layers.Activation("softmax")],
    ]
    for layers in heads:
        model = keras.Sequential([keras.Input((3,))] + layers)
        model.set_weights([np.eye(3)])
        for loss, target in (("categorical_crossentropy", y), ("sparse_categorical_crossentropy", k)):
            model.compile(loss=loss)
            assert np.isclose(float(model.evaluate(z, target, verbose=0)), 120.0, rtol=1e-12), (layers, loss)


def test_tf_function_recognises_tensorflow_sigmoid_and_softmax_ops():
    """"Inside a traced tf.function they also recognise a TensorFlow Sigmoid/Softmax operation and take its
    input.\""""
    bce, cce = keras.losses.BinaryCrossentropy(), keras.losses.CategoricalCrossentropy()

    @tf.function
    def bce_graph(zz):
        return bce(tf.constant([[1.0]], dtype=zz.dtype), tf.sigmoid(zz))

    @tf.function
    def cce_graph(zz):
        return cce(tf.constant([[0.0, 1.0, 0.0]], dtype=zz.dtype), tf.nn.softmax(zz))

    assert np.isclose(value(bce_graph(tf.constant([[-50.0]], dtype=tf.float64))), 50.0, rtol=1e-12)
    assert np.isclose(value(cce_graph(tf.constant([[0.0, -60.0, 60.0]], dtype=tf.float64))), 120.0, rtol=1e-12)


def test_sigmoid_model_trains_on_the_exact_loss_and_gradient():
    """"A model with a sigmoid or softmax output layer, trained with fit on TensorFlow, is trained on the exact,
    unclipped cross-entropy — the same loss and gradient as a logits output with from_logits=True.\""""
    x, y = np.array([[-50.0], [3.0], [-2.0]]), np.array([[1.0], [0.0], [1.0]])
    sig = sigmoid_model()
    lin = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    lin.set_weights(sig.get_weights())
    grads = []
    for model, loss in ((sig, keras.losses.BinaryCrossentropy()), (lin, keras.losses.BinaryCrossentropy(from_logits=True))):
        with tf.GradientTape() as tape:
            value_ = loss(y, model(x))
        grads.append([g.numpy() for g in tape.gradient(value_, model.trainable_weights)])
        assert np.isclose(float(value_), np.mean(np.logaddexp(0, -x[:, 0]) + (1 - y[:, 0]) * x[:, 0]), rtol=1e-12)
    for a, b in zip(*grads):
        np.testing.assert_allclose(a, b, rtol=1e-12)
    # one SGD step of fit moves both models identically
    for model, loss in ((sig, "binary_crossentropy"), (lin, keras.losses.BinaryCrossentropy(from_logits=True))):
        model.compile(optimizer=keras.optimizers.SGD(0.1), loss=loss)
        model.fit(x, y, epochs=1, batch_size=3, shuffle=False, verbose=0)
    for a, b in zip(sig.get_weights(), lin.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-12)


def test_stable_logits_formula_is_tensorflows():
    """"The stable form (the one TensorFlow uses) never exponentiates a positive number:
    max(z, 0) - z y + log(1 + e^{-|z|})"; from_logits=True gives the exact loss (1000 for logits +-1000)."""
    z = np.array([[-1000.0, 1000.0, -50.0, 0.0, 2.0, 700.0]])
    y = np.array([[1.0, 0.0, 1.0, 1.0, 0.0, 1.0]])
    per = tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=z).numpy()
    np.testing.assert_allclose(per, np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))), rtol=1e-14)
    assert np.isclose(value(keras.losses.BinaryCrossentropy(from_logits=True)(np.array([1.0, 0.0]), np.array([-1000.0, 1000.0]))),
                      1000.0, rtol=1e-14)


# ---- Section 11: a mismatched from_logits ------------------------------------------------------

def test_logits_given_as_probabilities_are_rescaled_and_clipped_silently():
    """"Logits with from_logits=False ...: Keras treats the logits as probabilities. It divides each row by its
    sum — which can be negative, or 0 — and clips: the result is not a cross-entropy (NaN when a row sums to 0,
    as in the first "wrong" line below), and nothing warns." Printed: NaN for (0, -60, 60) (row sum 0); 0.405465 for (2, 1, 0), class 0 (right: 0.407606)."""
    cce = keras.losses.CategoricalCrossentropy()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        v0 = value(cce(np.array([[0.0, 1.0, 0.0]]), np.array([[0.0, -60.0, 60.0]])))
        v1 = value(cce(np.array([[1.0, 0.0, 0.0]]), np.array([[2.0, 1.0, 0.0]])))
    assert not caught
    assert np.isnan(v0)
    assert np.isclose(v1, -np.log(2 / 3), rtol=1e-12)
    assert np.isclose(value(keras.losses.CategoricalCrossentropy(from_logits=True)(np.array([[1.0, 0.0, 0.0]]), np.array([[2.0, 1.0, 0.0]]))),
                      -np_log_softmax(np.array([2.0, 1.0, 0.0]))[0], rtol=1e-12)


def test_probabilities_given_as_logits():
    """"Probabilities with from_logits=True: if they come out of a Keras softmax/sigmoid (path 2), Keras notices,
    warns ... and uses the logits, so the value is right. If they are plain numbers, nothing warns: softmax is
    applied a second time, which squashes every prediction toward uniform — the loss moves toward log C"
    (1.551445 instead of 120)."""
    z, y = np.array([[0.0, -60.0, 60.0]]), np.array([[0.0, 1.0, 0.0]])
    out = keras.activations.softmax(z)
    loss = keras.losses.CategoricalCrossentropy(from_logits=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rescued = value(loss(y, out))
    assert np.isclose(rescued, 120.0, rtol=1e-12)
    assert any(issubclass(w.category, UserWarning) and "from_logits=True" in str(w.message) and "Softmax" in str(w.message)
               for w in caught)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plain = value(loss(y, np.asarray(out)))
    assert not caught
    p = np.asarray(out)
    assert np.isclose(plain, -np_log_softmax(p)[0, 1], rtol=1e-12)
    assert abs(plain - np.log(3)) < abs(120.0 - np.log(3)) and np.isclose(plain, 1.551445, atol=1e-6)
    # a sigmoid output given with from_logits=True warns and is rescued too
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        v = value(keras.losses.BinaryCrossentropy(from_logits=True)(np.array([[1.0]]), keras.activations.sigmoid(np.array([[-50.0]]))))
    assert np.isclose(v, 50.0, rtol=1e-12) and any("Sigmoid" in str(w.message) for w in caught)


def test_mismatched_from_logits_in_fit_logs_a_loss_that_is_not_the_cross_entropy():
    """"It then logs a "loss" that is not its cross-entropy (5.17 against 9.44 computed correctly), nothing
    warns, and its accuracy ends at 0.37, near chance"; "The mismatched model starts at 7.41"; "The first loss
    is 2.04 ... initial logits with a standard deviation of 1.89"; "Keras's default (Glorot) weights";
    "Your loss and the built-in one give the same history to float64 rounding"."""
    r = np.random.default_rng(0)
    centers = np.array([[0.0, 2.0], [-2.0, -1.0], [2.0, -1.0]])
    X = np.concatenate([c + r.normal(scale=1.0, size=(60, 2)) for c in centers])
    Y = np.eye(3)[np.repeat(np.arange(3), 60)]
    right = keras.losses.CategoricalCrossentropy(from_logits=True)

    class Mine(keras.losses.Loss):
        def call(self, y_true, y_pred):
            return -keras.ops.sum(y_true * (y_pred - keras.ops.logsumexp(y_pred, axis=-1, keepdims=True)), axis=-1)

    runs = {}
    for name, loss in (("right", right), ("mine", Mine()), ("wrong", keras.losses.CategoricalCrossentropy())):
        keras.utils.set_random_seed(0)
        model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3)])
        assert isinstance(model.layers[0].kernel_initializer, keras.initializers.GlorotUniform)
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.3), loss=loss, metrics=["categorical_accuracy"])
        logits = model(X)
        first = (float(keras.ops.std(logits)), value(loss(Y, logits)))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            h = model.fit(X, Y, epochs=20, batch_size=60, shuffle=False, verbose=0)
        assert not [w for w in caught if issubclass(w.category, UserWarning) and "logits" in str(w.message)]
        runs[name] = (model, first, np.array(h.history["loss"]), np.array(h.history["categorical_accuracy"]))
    assert np.isclose(runs["right"][1][0], 1.89, atol=0.005) and np.isclose(runs["right"][1][1], 2.0437, atol=5e-5)
    assert np.isclose(runs["wrong"][1][1], 7.4081, atol=5e-5)
    assert np.max(np.abs(runs["right"][2] - runs["mine"][2])) < 1e-12
    model_w, _, curve_w, acc_w = runs["wrong"]
    true_ce = value(right(Y, model_w.predict(X, verbose=0)))
    assert np.isclose(curve_w[-1], 5.1673, atol=5e-5) and np.isclose(true_ce, 9.4447, atol=5e-5)
    assert np.isclose(acc_w[-1], 0.3667, atol=5e-5)
    curve, acc = runs["right"][2], runs["right"][3]
    # "From epoch 5 to epoch 10 the accuracy stays at 0.9389 while the loss falls from 0.203 to 0.170 ...
    #  Between epochs 15 and 20 the same happens at 0.9444."
    assert acc[4] == acc[9] and np.isclose(acc[4], 0.9389, atol=5e-5) and curve[9] < curve[4]
    assert acc[14] == acc[19] and np.isclose(acc[19], 0.9444, atol=5e-5) and curve[19] < curve[14]


# ---- Section 8 and 10: gradients, per-example functions -------------------------------------------

def test_gradients_of_keras_losses():
    """"for (N, C) targets the gradient of the loss is (sigmoid(Z) - Y)/(NC) (for (N,) targets, /N)" and
    "dL/dZ = (P - Y)/N" — checked with tf.GradientTape on Keras's losses."""
    rng = np.random.default_rng(4)
    Z, Yb = rng.normal(size=(16, 4)) * 3, (rng.random((16, 4)) < 0.5).astype(float)
    x = tf.Variable(Z)
    with tf.GradientTape() as tape:
        out = keras.losses.BinaryCrossentropy(from_logits=True)(Yb, x)
    np.testing.assert_allclose(tape.gradient(out, x).numpy(), (np_sigmoid(Z) - Yb) / Z.size, rtol=1e-10, atol=1e-17)
    z1, y1 = Z[:, 0], Yb[:, 0]
    x1 = tf.Variable(z1)
    with tf.GradientTape() as tape:
        out = keras.losses.BinaryCrossentropy(from_logits=True)(y1, x1)
    np.testing.assert_allclose(tape.gradient(out, x1).numpy(), (np_sigmoid(z1) - y1) / len(z1), rtol=1e-10, atol=1e-17)
    Yc = np.eye(4)[rng.integers(0, 4, 16)]
    x = tf.Variable(Z)
    with tf.GradientTape() as tape:
        out = keras.losses.CategoricalCrossentropy(from_logits=True)(Yc, x)
    np.testing.assert_allclose(tape.gradient(out, x).numpy(), (np.exp(np_log_softmax(Z)) - Yc) / 16, rtol=1e-10, atol=1e-17)


def test_keras_ops_logsumexp_is_stable():
    """"keras.ops.logsumexp(z, axis=-1, keepdims=True) is the log-sum-exp trick" (finite at logits of 1000)."""
    out = keras.ops.convert_to_numpy(keras.ops.logsumexp(np.array([[1000.0, 0.0], [-1000.0, -1000.0]]), axis=-1, keepdims=True))
    np.testing.assert_allclose(out, [[1000.0], [-1000.0 + np.log(2)]], rtol=1e-14)


# ---- Going further -----------------------------------------------------------------------------

def test_label_smoothing_formula():
    """"keras.losses.CategoricalCrossentropy(label_smoothing=0.1) replaces y by (1 - alpha) y + alpha / C"."""
    rng = np.random.default_rng(5)
    Z, Y = rng.normal(size=(6, 4)), np.eye(4)[rng.integers(0, 4, 6)]
    smooth = 0.9 * Y + 0.1 / 4
    got = value(keras.losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1)(Y, Z))
    assert np.isclose(got, np.mean(-np.sum(smooth * np_log_softmax(Z), axis=-1)), rtol=1e-13)


def test_focal_loss_multiplies_by_one_minus_pt_to_the_gamma():
    """"Focal loss (keras.losses.BinaryFocalCrossentropy) multiplies each example's cross-entropy by
    (1 - p_t)^gamma, where p_t is the probability given to the right answer, so easy examples count less.\""""
    y = np.array([[1.0, 0.0, 1.0, 0.0]])
    p = np.array([[0.9, 0.2, 0.3, 0.6]])
    for gamma in (2.0, 1.0):
        pt = np.where(y == 1, p, 1 - p)
        ref = np.mean((1 - pt) ** gamma * -np.log(pt))
        assert np.isclose(value(keras.losses.BinaryFocalCrossentropy(gamma=gamma)(y, p)), ref, rtol=1e-12)
