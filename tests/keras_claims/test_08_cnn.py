"""Chapter 8's sentences about Keras and TensorFlow, asserted on real Keras
layers (a Keras or TensorFlow upgrade that changes one of them fails here).
Each docstring quotes the claim. The NumPy references below are written
independently of the notebook (plain loops)."""

import numpy as np
import pytest
from scipy.signal import convolve2d, correlate2d

from course.checks import ch08_cnn as fixed
from course.kerasenv import import_keras

keras = import_keras()
import tensorflow as tf  # noqa: E402  (after import_keras, which quiets TensorFlow)


# ---- independent NumPy references --------------------------------------------------

def _pads(n, k, s):
    out = -(-n // s)
    total = max((out - 1) * s + k - n, 0)
    return out, total // 2, total - total // 2


def ref_conv(x, kernel, bias, s, padding):
    N, H, W, C = x.shape
    kh, kw, _, F = kernel.shape
    if padding == "same":
        Ho, t, b = _pads(H, kh, s)
        Wo, l, r = _pads(W, kw, s)
        xp = np.pad(x, ((0, 0), (t, b), (l, r), (0, 0)))
    else:
        Ho, Wo, xp = (H - kh) // s + 1, (W - kw) // s + 1, x
    out = np.zeros((N, Ho, Wo, F))
    for n in range(N):
        for i in range(Ho):
            for j in range(Wo):
                for f in range(F):
                    out[n, i, j, f] = bias[f] + np.sum(xp[n, i * s:i * s + kh, j * s:j * s + kw, :] * kernel[:, :, :, f])
    return out


def ref_pool(x, p, s, padding, kind, dout):
    """Forward and dx of max ("first maximum in row-major order") or average
    (over real pixels) pooling, by loops."""
    N, H, W, C = x.shape
    if padding == "same":
        Ho, t, _ = _pads(H, p, s)
        Wo, l, _ = _pads(W, p, s)
    else:
        Ho, Wo, t, l = (H - p) // s + 1, (W - p) // s + 1, 0, 0
    out, dx = np.zeros((N, Ho, Wo, C)), np.zeros(x.shape)
    for n in range(N):
        for i in range(Ho):
            for j in range(Wo):
                r0, r1 = max(i * s - t, 0), min(i * s - t + p, H)
                c0, c1 = max(j * s - l, 0), min(j * s - l + p, W)
                for c in range(C):
                    win = x[n, r0:r1, c0:c1, c]
                    if kind == "max":
                        a, b = divmod(int(np.argmax(win)), win.shape[1])
                        out[n, i, j, c] = win[a, b]
                        dx[n, r0 + a, c0 + b, c] += dout[n, i, j, c]
                    else:
                        out[n, i, j, c] = win.mean()
                        dx[n, r0:r1, c0:c1, c] += dout[n, i, j, c] / win.size
    return out, dx


def conv_layer(kernel, bias, strides, padding, **kwargs):
    layer = keras.layers.Conv2D(kernel.shape[-1], kernel.shape[:2], strides=strides, padding=padding, **kwargs)
    layer.build((None, None, None, kernel.shape[2]))
    layer.set_weights([kernel, bias])
    return layer


def tape(layer, x, G):
    xv = tf.Variable(x)
    with tf.GradientTape() as t:
        loss = tf.reduce_sum(layer(xv) * G)
    return [g.numpy() for g in t.gradient(loss, [xv, *layer.trainable_weights])]


CONFIGS = [((4, 8, 8, 1), (3, 3, 1, 16), 1, "same"), ((4, 8, 8, 3), (2, 2, 3, 5), 1, "same"), ((4, 9, 7, 2), (2, 3, 2, 4), 2, "same"),
           ((4, 9, 7, 2), (3, 3, 2, 4), 2, "valid"), ((2, 10, 10, 4), (4, 4, 4, 3), 3, "same"), ((3, 6, 5, 2), (5, 2, 2, 2), 1, "valid")]


# ---- layout and weights ------------------------------------------------------------

def test_channels_last_and_kernel_shape():
    """"Keras stores a batch of images channels-last, as an array of shape (N, H, W, C)" and "A Conv2D layer with
    filters F and kernel_size (kh, kw) holds a kernel of shape (kh, kw, C_in, F) and a bias of shape (F,) — the same
    names and shapes as Keras's weights." """
    assert keras.config.image_data_format() == "channels_last"
    layer = keras.layers.Conv2D(5, (2, 3))
    assert layer.get_config()["data_format"] in (None, "channels_last")
    layer.build((None, 7, 6, 4))
    assert tuple(layer.kernel.shape) == (2, 3, 4, 5) and tuple(layer.bias.shape) == (5,)
    assert [w.name for w in layer.weights] == ["kernel", "bias"]
    assert tuple(layer(np.zeros((2, 7, 6, 4))).shape) == (2, 6, 4, 5)


def test_conv2d_defaults():
    """"The defaults are Keras's: strides=1, padding="valid", a Glorot-uniform kernel (nn.glorot_uniform counts a
    convolution's fans as Keras does: kh kw C_in in, kh kw F out) and a zero bias." """
    config = keras.layers.Conv2D(8, 3).get_config()
    assert tuple(config["strides"]) == (1, 1) and config["padding"] == "valid"
    assert config["kernel_initializer"]["class_name"] == "GlorotUniform"
    assert config["bias_initializer"]["class_name"] == "Zeros"
    layer = keras.layers.Conv2D(64, 5)
    layer.build((None, 9, 9, 32))
    kernel = layer.kernel.numpy()
    limit = np.sqrt(6.0 / (5 * 5 * 32 + 5 * 5 * 64))
    assert np.abs(kernel).max() <= limit and np.abs(kernel).max() > 0.99 * limit
    np.testing.assert_allclose(kernel.std(), limit / np.sqrt(3), rtol=0.02)   # uniform on [-limit, limit]
    assert not layer.bias.numpy().any()
    from course import nn
    ours = nn.glorot_uniform((5, 5, 32, 64), seed=0)
    assert np.abs(ours).max() <= limit and np.abs(ours).max() > 0.99 * limit


# ---- the convolution ------------------------------------------------------------------

def test_no_kernel_flip():
    """"The kernel is used as it is ... what deep-learning libraries call convolution is, strictly, a
    cross-correlation" and "An impulse through Conv2D with the kernel 1, ..., 9 gives back the kernel upside down
    and mirrored — a cross-correlation (scipy.signal.correlate2d), not a convolution." """
    impulse = np.zeros((1, 5, 5, 1)); impulse[0, 2, 2, 0] = 1.0
    k = np.arange(1.0, 10.0).reshape(3, 3)
    response = conv_layer(k.reshape(3, 3, 1, 1), np.zeros(1), 1, "same")(impulse).numpy()[0, :, :, 0]
    np.testing.assert_array_equal(response[1:4, 1:4], k[::-1, ::-1])
    assert np.allclose(response, correlate2d(impulse[0, :, :, 0], k, mode="same"))
    assert not np.allclose(response, convolve2d(impulse[0, :, :, 0], k, mode="same"))
    x = np.array([[1.0, 2, 0, 1], [0, 1, 3, 1], [2, 1, 0, 0], [1, 0, 2, 1]])
    K = np.array([[1.0, 2], [0, -1]])
    worked = conv_layer(K.reshape(2, 2, 1, 1), np.zeros(1), 1, "valid")(x.reshape(1, 4, 4, 1)).numpy()[0, :, :, 0]
    np.testing.assert_array_equal(worked, [[4, -1, 1], [1, 7, 5], [4, -1, -1]])


@pytest.mark.parametrize("padding", ["valid", "same"])
def test_output_size_rule(padding):
    """"padding="valid" ... the output has floor((n - k)/s) + 1 positions"; "padding="same": TensorFlow first fixes
    the output size at ceil(n / s)" — on real Conv2D, MaxPooling2D and AveragePooling2D layers."""
    for n in range(1, 13):
        for k in range(1, min(n, 5) + 1):
            for s in range(1, 4):
                want = (n - k) // s + 1 if padding == "valid" else -(-n // s)
                x = np.zeros((1, n, n, 1))
                assert keras.layers.Conv2D(1, k, strides=s, padding=padding)(x).shape[1:3] == (want, want)
                assert keras.layers.MaxPooling2D(k, strides=s, padding=padding)(x).shape[1:3] == (want, want)
                assert keras.layers.AveragePooling2D(k, strides=s, padding=padding)(x).shape[1:3] == (want, want)


def test_same_padding_extra_at_bottom_right():
    """"When p is odd ... the extra row or column goes at the bottom/right" and "an all-ones 3×3 image through a
    2×2 all-ones kernel with padding="same" shows where the padding went: only the last row and column of outputs
    reach into the zeros." """
    out = conv_layer(np.ones((2, 2, 1, 1)), np.zeros(1), 1, "same")(np.ones((1, 3, 3, 1))).numpy()[0, :, :, 0]
    np.testing.assert_array_equal(out, [[4, 4, 2], [4, 4, 2], [2, 2, 1]])
    rng = np.random.default_rng(0)
    for n in range(2, 10):
        for k in range(1, 6):
            for s in range(1, 4):
                x, kernel = rng.normal(size=(1, n, n + 1, 1)), rng.normal(size=(k, k, 1, 1))
                got = conv_layer(kernel, np.zeros(1), s, "same")(x).numpy()
                np.testing.assert_allclose(got, ref_conv(x, kernel, np.zeros(1), s, "same"), rtol=1e-12, atol=1e-12)


def test_conv2d_parity_float64_and_gradient_tape():
    """"in float64 every layer agrees with yours to about 1e-14" (the notebook prints the largest difference and
    expects at most 1e-10), for the output and for the GradientTape gradients dx, dkernel, dbias."""
    rng = np.random.default_rng(10)
    for xs, ks, s, p in CONFIGS:
        x, kernel, bias = rng.normal(size=xs), rng.normal(size=ks), rng.normal(size=ks[-1])
        layer = conv_layer(kernel, bias, s, p)
        out = layer(x).numpy()
        assert np.abs(out - ref_conv(x, kernel, bias, s, p)).max() <= 1e-12
        G = rng.normal(size=out.shape)
        dx, dk, db = tape(layer, x, G)
        h = 1e-5
        # the gradients of sum(out * G) by linearity, from the reference: dbias exact, dkernel and dx by
        # one centered difference each per element would be slow; use the adjoint identity instead:
        # <G, conv(dX)> = <dx, dX> for any dX, and <G, conv_k(dK)> = <dk, dK>
        for _ in range(3):
            dX, dK = rng.normal(size=xs), rng.normal(size=ks)
            lhs_x = np.sum(G * (ref_conv(x + h * dX, kernel, bias, s, p) - ref_conv(x - h * dX, kernel, bias, s, p)) / (2 * h))
            lhs_k = np.sum(G * (ref_conv(x, kernel + h * dK, bias, s, p) - ref_conv(x, kernel - h * dK, bias, s, p)) / (2 * h))
            assert abs(lhs_x - np.sum(dx * dX)) <= 1e-7 * max(1.0, abs(lhs_x))
            assert abs(lhs_k - np.sum(dk * dK)) <= 1e-7 * max(1.0, abs(lhs_k))
        np.testing.assert_allclose(db, G.sum(axis=(0, 1, 2)), rtol=1e-12, atol=1e-12)


def test_fixed_test_numbers_are_keras_numbers():
    """course/checks/ch08_cnn.py: "the expected numbers below ... were computed once and compared with Keras's
    Conv2D, MaxPooling2D, AveragePooling2D and GlobalAveragePooling2D in float64"."""
    x, kernel, bias = np.array(fixed._CONV_X, float), np.array(fixed._CONV_KERNEL, float), np.array(fixed._CONV_BIAS)
    for (s, p), expected in fixed._CONV_FORWARD.items():
        layer = conv_layer(kernel, bias, s, p)
        np.testing.assert_array_equal(layer(x).numpy(), np.array(expected))
        dx, dk, db = tape(layer, x, np.array(fixed._CONV_DOUT[(s, p)], float))
        exp_dx, exp_dk, exp_db = fixed._CONV_BACKWARD[(s, p)]
        np.testing.assert_allclose(dx, exp_dx, rtol=0, atol=1e-12)
        np.testing.assert_allclose(dk, exp_dk, rtol=0, atol=1e-12)
        np.testing.assert_allclose(db, exp_db, rtol=0, atol=1e-12)
    for cases, cls in ((fixed._MAX_CASES, keras.layers.MaxPooling2D), (fixed._AVG_CASES, keras.layers.AveragePooling2D)):
        for kwargs, x_list, y_list, dx_list in cases.values():
            layer, x = cls(**kwargs), np.array(x_list, float)
            y = layer(x).numpy()
            np.testing.assert_allclose(y, y_list, rtol=1e-14, atol=1e-14)
            xv = tf.Variable(x)
            with tf.GradientTape() as t:
                loss = tf.reduce_sum(layer(xv) * np.arange(1.0, y.size + 1).reshape(y.shape))
            np.testing.assert_allclose(t.gradient(loss, xv).numpy(), dx_list, rtol=1e-14, atol=1e-14)
    x_list, y_list, dx_list = fixed._GAP_CASE
    xv = tf.Variable(np.array(x_list, float))
    with tf.GradientTape() as t:
        y = keras.layers.GlobalAveragePooling2D()(xv)
        loss = tf.reduce_sum(y * np.arange(1.0, 11.0).reshape(2, 5))
    np.testing.assert_allclose(y.numpy(), y_list, rtol=1e-14)
    np.testing.assert_allclose(t.gradient(loss, xv).numpy(), dx_list, rtol=1e-14)


def test_float32_agrees_only_to_about_1e_6():
    """"The course's import_keras sets Keras's float type to float64 (Keras's default is float32), which is what
    lets the two agree to about 1e-14 here; in float32 they would agree only to about 1e-6." """
    rng = np.random.default_rng(10)
    worst = 0.0
    for xs, ks, s, p in CONFIGS[:5]:
        x, kernel, bias = rng.normal(size=xs), rng.normal(size=ks), rng.normal(size=ks[-1])
        layer = keras.layers.Conv2D(ks[-1], ks[:2], strides=s, padding=p, dtype="float32")
        layer.build((None, None, None, ks[2]))
        layer.set_weights([kernel.astype(np.float32), bias.astype(np.float32)])
        worst = max(worst, np.abs(layer(x.astype(np.float32)).numpy() - ref_conv(x, kernel, bias, s, p)).max())
    assert 1e-7 < worst < 1e-5


# ---- pooling ---------------------------------------------------------------------

def test_max_pooling_gradient_goes_to_first_maximum():
    """"When a window holds its maximum more than once, TensorFlow sends the gradient to the first of them in
    row-major order — rows top to bottom, each row left to right"; overlapping windows accumulate; the worked example
    gives dx = [[0, 1, 2, 0], [0, 0, 0, 0], [3, 0, 4, 0], [0, 0, 0, 0]]."""
    x = np.array([[1.0, 3, 3, 0], [3, 2, 1, 3], [0, 0, 5, 5], [0, 0, 5, 5]]).reshape(1, 4, 4, 1)
    dx = tape(keras.layers.MaxPooling2D(2), x, np.array([[1.0, 2], [3, 4]]).reshape(1, 2, 2, 1))[0]
    np.testing.assert_array_equal(dx[0, :, :, 0], [[0, 1, 2, 0], [0, 0, 0, 0], [3, 0, 4, 0], [0, 0, 0, 0]])
    rng = np.random.default_rng(11)
    for shape, p, s, pad in (((4, 8, 8, 16), 2, 2, "valid"), ((3, 7, 5, 3), 3, 2, "same"), ((3, 6, 7, 2), 2, 1, "valid"),
                             ((2, 5, 5, 4), 2, 2, "same"), ((2, 9, 9, 1), 3, 3, "same"), ((2, 6, 6, 2), 4, 1, "same")):
        x = rng.integers(0, 3, size=shape).astype(float)          # full of ties
        layer = keras.layers.MaxPooling2D(p, strides=s, padding=pad)
        out = layer(x).numpy()
        G = rng.normal(size=out.shape)
        exp_out, exp_dx = ref_pool(x, p, s, pad, "max", G)
        np.testing.assert_array_equal(out, exp_out)
        np.testing.assert_allclose(tape(layer, x, G)[0], exp_dx, rtol=1e-14, atol=1e-14)


def test_max_pooling_same_padding_never_wins():
    """"With padding="same", TensorFlow pads max pooling so that the padding never wins (here: with -inf)." """
    x = -np.arange(1.0, 26.0).reshape(1, 5, 5, 1)
    out = keras.layers.MaxPooling2D(2, padding="same")(x).numpy()
    assert out.shape == (1, 3, 3, 1) and (out < 0).all()
    np.testing.assert_array_equal(out[0, :, :, 0], [[-1, -3, -5], [-11, -13, -15], [-21, -23, -25]])


def test_pooling_defaults():
    """"With the Keras default strides=None (meaning strides = pool_size) the windows sit side by side, so
    MaxPooling2D(2) halves the height and width"; each channel is pooled separately; the constructors'
    defaults are Keras's: MaxPooling2D(pool_size=2, strides=None, padding="valid"), AveragePooling2D(pool_size,
    strides=None, padding="valid") with no default pool size."""
    import inspect

    for cls in (keras.layers.MaxPooling2D, keras.layers.AveragePooling2D):
        layer = cls(2)
        config = layer.get_config()
        assert tuple(config["strides"]) == (2, 2) and config["padding"] == "valid"
        assert tuple(layer(np.zeros((3, 8, 6, 5))).shape) == (3, 4, 3, 5)
        params = inspect.signature(cls.__init__).parameters
        assert params["strides"].default is None and params["padding"].default == "valid"
    assert tuple(keras.layers.MaxPooling2D().get_config()["pool_size"]) == (2, 2)
    assert inspect.signature(keras.layers.AveragePooling2D.__init__).parameters["pool_size"].default is inspect.Parameter.empty


def test_average_pooling_same_leaves_padding_out():
    """"With padding="same", TensorFlow leaves the padding out of the average" and the worked example:
    AveragePooling2D(2) on 1..16 gives [[3.5, 5.5], [11.5, 13.5]]; AveragePooling2D(3, strides=2, padding="same")
    gives [[6, 7.5], [12, 13.5]]."""
    x = np.arange(1.0, 17.0).reshape(1, 4, 4, 1)
    np.testing.assert_array_equal(keras.layers.AveragePooling2D(2)(x).numpy()[0, :, :, 0], [[3.5, 5.5], [11.5, 13.5]])
    np.testing.assert_array_equal(keras.layers.AveragePooling2D(3, strides=2, padding="same")(x).numpy()[0, :, :, 0],
                                  [[6, 7.5], [12, 13.5]])
    rng = np.random.default_rng(12)
    for shape, p, s, pad in (((3, 7, 5, 3), 3, 2, "same"), ((2, 5, 5, 4), 2, 2, "same"), ((2, 6, 7, 2), 2, 1, "valid")):
        x = rng.normal(size=shape)
        layer = keras.layers.AveragePooling2D(p, strides=s, padding=pad)
        out = layer(x).numpy()
        G = rng.normal(size=out.shape)
        exp_out, exp_dx = ref_pool(x, p, s, pad, "avg", G)
        np.testing.assert_allclose(out, exp_out, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(tape(layer, x, G)[0], exp_dx, rtol=1e-12, atol=1e-14)


def test_global_average_pooling_and_flatten():
    """"Global average pooling averages each channel over the whole image, (N, H, W, C) -> (N, C)" and Flatten's
    "order is NumPy's row-major reshape — row by row, and inside each pixel channel by channel — which is also the
    order of Keras's Flatten on channels-last input"."""
    x = np.random.default_rng(13).normal(size=(3, 4, 5, 6))
    gap = keras.layers.GlobalAveragePooling2D()(x).numpy()
    assert gap.shape == (3, 6)
    np.testing.assert_allclose(gap, x.mean(axis=(1, 2)), rtol=1e-14)
    np.testing.assert_array_equal(keras.layers.Flatten()(x).numpy(), x.reshape(3, -1))


# ---- the whole network ----------------------------------------------------------------

def _keras_cnn():
    return keras.Sequential([
        keras.Input((8, 8, 1)),
        keras.layers.Conv2D(16, 3, padding="same", activation="relu"), keras.layers.MaxPooling2D(2),
        keras.layers.Conv2D(32, 3, padding="same", activation="relu"), keras.layers.MaxPooling2D(2),
        keras.layers.Flatten(), keras.layers.Dense(10)])


def test_sequential_weights_order_and_same_logits():
    """"model.get_weights() lists them in Keras's order, layer by layer, kernel before bias" and the Keras
    Sequential "given the trained weights ... predicts the same logits"; the CNN has 6,090 parameters."""
    model = _keras_cnn()
    shapes = [tuple(w.shape) for w in model.get_weights()]
    assert shapes == [(3, 3, 1, 16), (16,), (3, 3, 16, 32), (32,), (128, 10), (10,)]
    assert model.count_params() == 6090
    rng = np.random.default_rng(14)
    weights = [rng.normal(size=s) * 0.3 for s in shapes]
    model.set_weights(weights)
    x = rng.uniform(size=(20, 8, 8, 1))
    h = np.maximum(ref_conv(x, weights[0], weights[1], 1, "same"), 0)
    h, _ = ref_pool(h, 2, 2, "valid", "max", np.zeros((20, 4, 4, 16)))
    h = np.maximum(ref_conv(h, weights[2], weights[3], 1, "same"), 0)
    h, _ = ref_pool(h, 2, 2, "valid", "max", np.zeros((20, 2, 2, 32)))
    logits = h.reshape(20, -1) @ weights[4] + weights[5]
    np.testing.assert_allclose(model.predict(x, verbose=0), logits, rtol=1e-10, atol=1e-10)


def test_adam_defaults_match_chapter_6():
    """"keras.optimizers.Adam(learning_rate=0.003) (whose other defaults, beta_1 = 0.9, beta_2 = 0.999,
    epsilon = 1e-7, are those of Chapter 6's adam)"."""
    config = keras.optimizers.Adam(learning_rate=0.003).get_config()
    assert (config["beta_1"], config["beta_2"], config["epsilon"]) == (0.9, 0.999, 1e-7)
    assert not config["amsgrad"]
