"""Chapter 6's claims about Keras and TensorFlow, run on real Keras optimizers,
schedules, layers and models, so that a Keras upgrade that changes one fails
CI. Each docstring quotes the claim. The chapter's update rules are loaded from
the answer key in solutions/ (the course runs Keras with floatx float64, as the
notebook does; claims that depend on it say so)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from course import datasets, nn
from course.given import find_cell, strip_markers

ROOT = Path(__file__).resolve().parents[2]
RULES = ("sgd_momentum", "adagrad", "rmsprop", "adam", "nadam", "adamax", "adamw", "cosine_decay")


@pytest.fixture(scope="module")
def keras():
    from course.kerasenv import import_keras

    return import_keras(seed=0)          # float64, as in the notebook


@pytest.fixture(scope="module")
def tf(keras):
    import tensorflow

    return tensorflow


@pytest.fixture(scope="module")
def lib(keras):
    """The chapter's update rules, schedule and CourseAdam from the answer key."""
    namespace = {"np": np, "nn": nn, "math": math, "keras": keras}
    for ref in ["05_mlp:sgd"] + [f"06_optimizers:{name}" for name in RULES] + ["06_optimizers:CourseAdam"]:
        exec(compile(strip_markers(find_cell(ROOT, ref).source), ref, "exec"), namespace)
    return namespace


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(2026)
    return rng.normal(size=(4, 3)), rng.normal(size=(100, 4, 3))


def run_rule(rule, param, grads, **hyper):
    state = None
    for g in grads:
        param, state = rule(param, g, state, **hyper)
    return param


@pytest.fixture(scope="module")
def keras_run(keras, tf):
    def run(optimizer, param, grads, compiled=True):
        variable = keras.Variable(param, dtype="float64")
        optimizer.build([variable])

        def apply_one(gradient):
            optimizer.apply_gradients([(gradient, variable)])

        step = tf.function(apply_one) if compiled else apply_one
        for g in grads:
            step(tf.constant(g, dtype=tf.float64))
        return variable.numpy()

    return run


def f64(hyper):
    return {k: np.float64(v) if isinstance(v, float) else v for k, v in hyper.items()}


PARITY = [
    ("sgd", "SGD", dict(learning_rate=0.05)),
    ("sgd_momentum", "SGD", dict(learning_rate=0.05, momentum=0.9)),
    ("sgd_momentum", "SGD", dict(learning_rate=0.05, momentum=0.9, nesterov=True)),
    ("rmsprop", "RMSprop", dict(learning_rate=0.01, rho=0.9, epsilon=1e-7)),
    ("adagrad", "Adagrad", dict(learning_rate=0.1, initial_accumulator_value=0.1, epsilon=1e-7)),
    ("adam", "Adam", dict(learning_rate=0.01, beta_1=0.9, beta_2=0.999, epsilon=1e-7)),
    ("adamax", "Adamax", dict(learning_rate=0.01, beta_1=0.9, beta_2=0.999, epsilon=1e-7)),
    ("adamw", "AdamW", dict(learning_rate=0.01, weight_decay=0.1, beta_1=0.9, beta_2=0.999, epsilon=1e-7)),
]


@pytest.mark.parametrize("scale", [1.0, 1e-5])
@pytest.mark.parametrize("rule,cls,hyper", PARITY, ids=[f"{c}-{'-'.join(map(str, h.values()))}" for _, c, h in PARITY])
def test_rules_are_keras_step_for_step(keras, lib, data, keras_run, rule, cls, hyper, scale):
    """"Every row ... agrees to rounding error (about 1e-15, or exactly), far inside 1e-6: your update
    rules are Keras's" — Keras's forms: momentum v = mu v - eta g (Nesterov theta + mu v - eta g),
    Adagrad's a_0 = 0.1 and epsilon inside the root, RMSprop's epsilon inside the root, Adam's
    epsilon-hat, Adamax's epsilon added to the maximum, AdamW's decay lr * wd before the step
    (float64, hyperparameters as np.float64; tiny gradients too, where epsilon's place shows)."""
    param0, grads = data
    ours = run_rule(lib[rule], param0, grads * scale, **hyper)
    theirs = keras_run(getattr(keras.optimizers, cls)(**f64(hyper)), param0, grads * scale)
    assert np.abs(ours - theirs).max() < 1e-13


def test_nadam_parity_and_its_two_096s(keras, lib, data, keras_run):
    """"Nadam agrees to about 3e-9 ... Keras 3.15's Nadam uses two different 0.96s. It updates the
    running product U_t with ops.power(0.96, t), where the Python float 0.96 stays a float64, but in
    update_step it computes u_t and u_{t+1} from decay = ops.cast(0.96, variable.dtype): the float32
    rounding of 0.96 ... a NumPy Nadam that differs from yours only by using float32's 0.96 in u_t and
    u_{t+1} agrees with Keras to rounding error." Also the warm-up is 0.96**t (not the legacy tf.keras Nadam's 0.96**(0.004 t))."""
    param0, grads = data
    hyper = dict(learning_rate=0.01, beta_1=0.9, beta_2=0.999, epsilon=1e-7)
    theirs = keras_run(keras.optimizers.Nadam(**f64(hyper)), param0, grads)
    diff = np.abs(run_rule(lib["nadam"], param0, grads, **hyper) - theirs).max()
    assert 1e-10 < diff < 1e-8

    d32 = float(np.float32(0.96))

    def nadam_keras(param, grad, state=None, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
        m, v, U, t = (np.zeros_like(param), np.zeros_like(param), 1.0, 0) if state is None else state
        t += 1
        U = U * beta_1 * (1 - 0.5 * 0.96**t)                      # exact 0.96 in the product
        u, u1 = beta_1 * (1 - 0.5 * d32**t), beta_1 * (1 - 0.5 * d32 ** (t + 1))
        m = beta_1 * m + (1 - beta_1) * grad
        v = beta_2 * v + (1 - beta_2) * grad**2
        m_hat = u1 * m / (1 - U * u1) + (1 - u) * grad / (1 - U)
        return param - learning_rate * m_hat / (np.sqrt(v / (1 - beta_2**t)) + epsilon), (m, v, U, t)

    assert np.abs(run_rule(nadam_keras, param0, grads, **hyper) - theirs).max() < 1e-14
    assert float(keras.ops.cast(0.96, "float64")) == d32
    assert float(keras.ops.power(0.96, keras.ops.cast(1, "float64"))) == 0.96


def test_defaults_and_names(keras):
    """Keras's defaults as the chapter states them: Adagrad initial_accumulator_value=0.1,
    epsilon 1e-7 everywhere, RMSprop rho=0.9, Adam/Nadam/Adamax betas 0.9 and 0.999, AdamW
    weight_decay=0.004, learning rate 0.001 for the Adam family (and RMSprop, Adagrad), 0.01 for SGD;
    every optimizer exists under the chapter's names with the chapter's hyperparameter names."""
    o = keras.optimizers
    assert o.Adagrad().initial_accumulator_value == 0.1 and o.Adagrad().epsilon == 1e-7
    assert o.RMSprop().rho == 0.9 and o.RMSprop().epsilon == 1e-7
    for cls in (o.Adam, o.Nadam, o.Adamax, o.AdamW):
        opt = cls()
        assert (opt.beta_1, opt.beta_2, opt.epsilon) == (0.9, 0.999, 1e-7)
        assert float(opt.learning_rate) == pytest.approx(0.001)
    assert float(o.RMSprop().learning_rate) == pytest.approx(0.001) and float(o.Adagrad().learning_rate) == pytest.approx(0.001)
    assert float(o.SGD().learning_rate) == pytest.approx(0.01)
    assert o.AdamW().weight_decay == 0.004
    sgd = o.SGD(learning_rate=0.1, momentum=0.5, nesterov=True)
    assert (sgd.momentum, sgd.nesterov) == (0.5, True)


def test_python_float_hyperparameters_are_rounded_to_float32(keras, data, keras_run):
    """"casting a Python float first makes a float32 tensor, so the 0.9 you asked for becomes float32's
    nearest number ... A momentum of 0.8999999762 instead of 0.9 moves the parameters by about 1e-6
    after 100 steps ... we hand Keras its hyperparameters as np.float64 ... which the cast keeps exact.
    (epsilon is added as a Python float and stays exact.)" """
    param0, grads = data
    assert float(keras.ops.cast(0.9, "float64")) == float(np.float32(0.9)) != 0.9
    assert float(keras.ops.cast(np.float64(0.9), "float64")) == 0.9
    for cls, py, exact in (("SGD", dict(learning_rate=0.05, momentum=0.9), dict(learning_rate=np.float64(0.05), momentum=np.float64(0.9))),
                           ("Adam", dict(learning_rate=0.01), dict(learning_rate=np.float64(0.01), beta_1=np.float64(0.9), beta_2=np.float64(0.999)))):
        diff = np.abs(keras_run(getattr(keras.optimizers, cls)(**py), param0, grads) - keras_run(getattr(keras.optimizers, cls)(**exact), param0, grads)).max()
        assert 1e-7 < diff < 1e-5, (cls, diff)
    f = dict(learning_rate=np.float64(0.01), beta_1=np.float64(0.9), beta_2=np.float64(0.999))
    tiny = grads[:20] * 1e-6
    a = keras_run(keras.optimizers.Adam(epsilon=1e-7, **f), param0, tiny)
    b = keras_run(keras.optimizers.Adam(epsilon=np.float64(1e-7), **f), param0, tiny)
    assert np.array_equal(a, b)


def test_learning_rate_is_stored_in_floatx(keras):
    """"Keras stores [the learning rate] in a variable of type floatx, so it is exact here because
    import_keras set float64; with Keras's default float32 the learning rate 0.01 is stored as
    0.009999999776." """
    lr = keras.optimizers.SGD(learning_rate=0.01).learning_rate
    assert str(lr.dtype) == "float64" and float(lr) == 0.01
    keras.config.set_floatx("float32")
    try:
        lr32 = keras.optimizers.SGD(learning_rate=0.01).learning_rate
        assert str(lr32.dtype) == "float32" and float(lr32) == float(np.float32(0.01))
        assert f"{float(lr32):.10f}" == "0.0099999998"
    finally:
        keras.config.set_floatx("float64")


def test_compiled_and_eager_steps_agree(keras, data, keras_run):
    """"keras_run compiles the step with tf.function, as model.fit does, only to make the 100 steps
    fast; running them eagerly gives the same numbers." """
    param0, grads = data
    hyper = dict(learning_rate=np.float64(0.01), beta_1=np.float64(0.9), beta_2=np.float64(0.999))
    assert np.array_equal(keras_run(keras.optimizers.Adam(**hyper), param0, grads[:10], compiled=True),
                          keras_run(keras.optimizers.Adam(**hyper), param0, grads[:10], compiled=False))


def test_fit_calls_apply_gradients_once_per_batch(keras):
    """"optimizer.apply_gradients([(gradient, variable)]), the call model.fit makes at every step"."""
    calls = []

    class Counting(keras.optimizers.SGD):
        def apply_gradients(self, grads_and_vars):
            calls.append(1)
            return super().apply_gradients(grads_and_vars)

    x = np.random.default_rng(0).normal(size=(40, 3))
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer=Counting(learning_rate=0.01), loss="mse", run_eagerly=True)
    model.fit(x, x[:, :1], batch_size=8, epochs=2, verbose=0)
    assert len(calls) == 10


def test_weight_decay_is_decoupled_in_every_optimizer(keras, tf, data, keras_run):
    """"In Keras 3 ... every Keras optimizer takes a weight_decay argument and applies it in exactly this
    way [theta - lr * wd * theta] before its own step, so keras.optimizers.Adam(weight_decay=0.1) is
    AdamW(weight_decay=0.1)" (identical arrays); every built-in weight_decay equals the decay done by
    hand and differs from the coupled L2 form; "AdamW is a subclass of Adam whose only difference is
    that weight_decay defaults to 0.004 (and may not be None)"."""
    param0, grads = data
    lr, wd = np.float64(0.01), np.float64(0.1)
    assert np.array_equal(keras_run(keras.optimizers.Adam(learning_rate=lr, weight_decay=wd), param0, grads),
                          keras_run(keras.optimizers.AdamW(learning_rate=lr, weight_decay=wd), param0, grads))
    assert issubclass(keras.optimizers.AdamW, keras.optimizers.Adam)
    with pytest.raises(ValueError):
        keras.optimizers.AdamW(weight_decay=None)

    def by_hand(optimizer, decoupled=0.0, coupled=0.0):
        variable = keras.Variable(param0, dtype="float64")
        optimizer.build([variable])
        shrink, c = 1.0 - float(lr) * float(decoupled), float(coupled)

        @tf.function
        def step(g):
            variable.assign(variable * shrink)
            optimizer.apply_gradients([(g + c * variable, variable)])

        for g in grads:
            step(tf.constant(g))
        return variable.numpy()

    for name, extra in (("SGD", dict(momentum=np.float64(0.9))), ("RMSprop", {}), ("Adam", {}), ("Nadam", {}), ("Adamax", {}), ("Adagrad", {})):
        cls = getattr(keras.optimizers, name)
        built_in = keras_run(cls(learning_rate=lr, weight_decay=wd, **extra), param0, grads)
        assert np.abs(built_in - by_hand(cls(learning_rate=lr, **extra), decoupled=wd)).max() < 1e-13, name
        assert np.abs(built_in - by_hand(cls(learning_rate=lr, **extra), coupled=wd)).max() > 1e-3, name


def test_exclude_from_weight_decay_on_a_dense_layer(keras):
    """"Keras's AdamW ... decays every trainable variable, biases included, unless you exclude some with
    optimizer.exclude_from_weight_decay(var_names=[...])." """
    def one_step(exclude):
        layer = keras.layers.Dense(2, kernel_initializer="ones", bias_initializer="ones")
        layer.build((None, 3))
        optimizer = keras.optimizers.AdamW(learning_rate=np.float64(0.5), weight_decay=np.float64(0.2))
        if exclude:
            optimizer.exclude_from_weight_decay(var_names=["bias"])
        optimizer.apply_gradients([(keras.ops.zeros(v.shape, dtype=v.dtype), v) for v in layer.trainable_variables])
        return {v.name: v.numpy() for v in layer.trainable_variables}

    default = one_step(False)
    assert np.allclose(default["kernel"], 0.9) and np.allclose(default["bias"], 0.9)
    excluded = one_step(True)
    assert np.allclose(excluded["kernel"], 0.9) and np.allclose(excluded["bias"], 1.0)


def test_textbook_differences(keras, lib, data, keras_run):
    """"Adagrad ... with gradients of 1e-5 the textbook version moves the parameters thousands of times
    further than Keras's ... Even with gradients of size 1 the results differ by about 15 % of the
    distance travelled. RMSprop: with gradients of size 1 ... differ by a few 1e-6 ... With gradients of
    1e-5 ... Keras's steps are about 30 times smaller. Adam: ... agree to better than 1e-6 for gradients
    of size 1 and differ by about 10 % ... for gradients of 1e-5." """
    param0, grads = data

    def textbook_adagrad(p, g, s=None, learning_rate=0.1, epsilon=1e-7):
        a = (0 if s is None else s) + g * g
        return p - learning_rate * g / (np.sqrt(a) + epsilon), a

    def textbook_rmsprop(p, g, s=None, learning_rate=0.01, rho=0.9, epsilon=1e-7):
        v = rho * (0 if s is None else s) + (1 - rho) * g * g
        return p - learning_rate * g / (np.sqrt(v) + epsilon), v

    def textbook_adam(p, g, s=None, learning_rate=0.01, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
        m, v, t = (0, 0, 0) if s is None else s
        m, v, t = beta_1 * m + (1 - beta_1) * g, beta_2 * v + (1 - beta_2) * g * g, t + 1
        return p - learning_rate * (m / (1 - beta_1**t)) / (np.sqrt(v / (1 - beta_2**t)) + epsilon), (m, v, t)

    o = keras.optimizers
    f = dict(learning_rate=np.float64(0.01), beta_1=np.float64(0.9), beta_2=np.float64(0.999))
    k = {scale: {"Adagrad": keras_run(o.Adagrad(learning_rate=np.float64(0.1)), param0, grads * scale),
                 "RMSprop": keras_run(o.RMSprop(learning_rate=np.float64(0.01)), param0, grads * scale),
                 "Adam": keras_run(o.Adam(**f), param0, grads * scale)} for scale in (1.0, 1e-5)}
    move = {s: {n: np.abs(v - param0).max() for n, v in d.items()} for s, d in k.items()}
    book = {s: {"Adagrad": run_rule(textbook_adagrad, param0, grads * s), "RMSprop": run_rule(textbook_rmsprop, param0, grads * s),
                "Adam": run_rule(textbook_adam, param0, grads * s)} for s in (1.0, 1e-5)}
    d = {s: {n: np.abs(book[s][n] - k[s][n]).max() for n in k[s]} for s in k}
    assert 0.10 < d[1.0]["Adagrad"] / move[1.0]["Adagrad"] < 0.20
    assert np.abs(book[1e-5]["Adagrad"] - param0).max() / move[1e-5]["Adagrad"] > 1000
    assert 1e-6 < d[1.0]["RMSprop"] < 1e-5
    assert 20 < np.abs(book[1e-5]["RMSprop"] - param0).max() / move[1e-5]["RMSprop"] < 40
    assert d[1.0]["Adam"] < 1e-6
    assert 0.05 < d[1e-5]["Adam"] / move[1e-5]["Adam"] < 0.15


def test_schedules(keras, lib):
    """Keras's ExponentialDecay is eta_0 * decay_rate ** (step / decay_steps) (staircase=False);
    CosineDecay ramps linearly from initial_learning_rate to warmup_target over warmup_steps, then
    decays by the cosine from warmup_target to alpha * warmup_target over decay_steps and stays there;
    "Keras turns a Python-float initial_learning_rate ... into a float32 tensor"."""
    steps = np.arange(0, 400, 5)
    cos = keras.optimizers.schedules.CosineDecay(np.float64(0.001), 300, alpha=0.05, warmup_target=np.float64(0.01), warmup_steps=50)
    ours = [lib["cosine_decay"](t, 0.001, 300, alpha=0.05, warmup_target=0.01, warmup_steps=50) for t in steps]
    assert np.abs(np.array(ours) - np.array([float(cos(t)) for t in steps])).max() < 1e-15
    plain = keras.optimizers.schedules.CosineDecay(np.float64(0.5), 100, alpha=0.25)
    assert float(plain(50)) == pytest.approx(0.3125, abs=1e-15) and float(plain(150)) == pytest.approx(0.125, abs=1e-15)
    exp = keras.optimizers.schedules.ExponentialDecay(np.float64(0.01), 300, np.float64(0.1))
    assert max(abs(float(exp(t)) - 0.01 * 0.1 ** (t / 300)) for t in steps) < 1e-16
    assert float(exp(300)) == pytest.approx(0.001, rel=1e-12)
    assert str(keras.ops.convert_to_numpy(keras.optimizers.schedules.CosineDecay(0.001, 300)(5)).dtype) == "float32"


def test_a_schedule_passed_to_an_optimizer(keras, lib, data, keras_run):
    """"pass it as the learning_rate, and at every step the optimizer evaluates
    schedule(optimizer.iterations) (0 on the first step) and uses that rate, for its own step and for
    its weight decay. That is exactly what course.nn.Optimizer(rule, schedule=...) does." """
    param0, grads = data
    args = dict(initial_learning_rate=0.0, decay_steps=80, alpha=0.1, warmup_target=0.05, warmup_steps=20)
    schedule = keras.optimizers.schedules.CosineDecay(**f64(args))
    opt = keras.optimizers.AdamW(learning_rate=schedule, weight_decay=np.float64(0.1), beta_1=np.float64(0.9), beta_2=np.float64(0.999))
    theirs = keras_run(opt, param0, grads)
    holder = nn.Layer(name="holder")
    holder.params["kernel"], holder.grads["kernel"] = param0.copy(), np.zeros_like(param0)
    ours = nn.Optimizer(lib["adamw"], schedule=lambda t: lib["cosine_decay"](t, **args), weight_decay=0.1)
    for g in grads:
        holder.grads["kernel"] = g
        ours.apply([holder])
    assert np.abs(holder.params["kernel"] - theirs).max() < 1e-13
    assert int(opt.iterations) == 100 and float(opt.learning_rate) == pytest.approx(lib["cosine_decay"](100, **args), abs=1e-15)
    first = keras.optimizers.SGD(learning_rate=keras.optimizers.schedules.ExponentialDecay(np.float64(0.5), 1, np.float64(0.5)))
    v = keras.Variable(np.zeros(1), dtype="float64")
    first.apply_gradients([(keras.ops.ones((1,), dtype="float64"), v)])
    assert float(v.numpy()[0]) == -0.5          # the first step used schedule(0)


def test_reduce_lr_on_plateau(keras):
    """"keras.callbacks.ReduceLROnPlateau ... by default monitor="val_loss" ... when that value has not
    improved by more than min_delta for patience epochs, it multiplies the learning rate by factor ...
    Keras's defaults are factor=0.1, patience=10, min_delta=1e-4, cooldown=0, min_lr=0. It sets the
    optimizer's learning rate directly, so it needs a plain-number learning rate, not a schedule ...
    Keras records the rate of each epoch in the history under "learning_rate"." """
    cb = keras.callbacks.ReduceLROnPlateau()
    assert (cb.monitor, cb.factor, cb.patience, cb.min_delta, cb.cooldown, cb.min_lr) == ("val_loss", 0.1, 10, 1e-4, 0, 0.0)
    X_train, y_train, X_val, y_val = datasets.digits_data(n_train=1000, seed=0)
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((64,)), keras.layers.Dense(128, activation="relu", kernel_initializer="he_normal"), keras.layers.Dense(10)])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    history = model.fit(X_train, y_train, batch_size=64, epochs=8, shuffle=False, verbose=0, validation_data=(X_val, y_val),
                        callbacks=[keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.2, patience=1)]).history
    rates, losses = history["learning_rate"], history["val_loss"]
    best, expected, rate = math.inf, [], 0.01
    for loss in losses:                          # the rule the text states, replayed on the recorded losses
        expected.append(rate)
        if loss < best - 1e-4:
            best = loss
        else:
            rate *= 0.2
    assert np.allclose(rates, expected, rtol=1e-6), (rates, expected)
    assert min(rates) < 0.01                     # the demo does reduce the rate
    scheduled = keras.Sequential([keras.Input((64,)), keras.layers.Dense(10)])
    scheduled.compile(optimizer=keras.optimizers.SGD(learning_rate=keras.optimizers.schedules.ExponentialDecay(0.1, 10, 0.5)), loss="mse")
    with pytest.raises(TypeError):
        scheduled.fit(X_train[:64], np.zeros((64, 10)), epochs=2, verbose=0, validation_data=(X_val[:64], np.zeros((64, 10))),
                      callbacks=[keras.callbacks.ReduceLROnPlateau(patience=0, min_delta=10.0)])


def test_numpy_scalars_fail_inside_a_compiled_update_step(keras, data, keras_run):
    """"combine variables with tensors and Python floats ..., never with NumPy scalars: np.float64(0.9) * m
    makes NumPy try to turn the variable into an array, which fails in a compiled graph"."""
    param0, grads = data

    class Momentum(keras.optimizers.Optimizer):
        def __init__(self, factor, **kwargs):
            super().__init__(learning_rate=0.01, **kwargs)
            self.factor = factor

        def build(self, variables):
            if self.built:
                return
            super().build(variables)
            self._m = [self.add_variable_from_reference(v, "m") for v in variables]

        def update_step(self, gradient, variable, learning_rate):
            m = self._m[self._get_variable_index(variable)]
            self.assign(m, self.factor * m + gradient)
            self.assign_sub(variable, keras.ops.cast(learning_rate, variable.dtype) * m)

    keras_run(Momentum(0.9), param0, grads[:3])                    # a Python float works
    with pytest.raises(NotImplementedError):
        keras_run(Momentum(np.float64(0.9)), param0, grads[:3])     # a NumPy scalar fails when compiled


def test_course_adam_in_fit_and_the_float32_betas(keras, lib, data, keras_run):
    """"your optimizer matches keras.optimizers.Adam to rounding error only if it casts the betas the way
    Keras does (ops.power(ops.cast(self.beta_1, dtype), t)); computing 0.9**t exactly instead leaves
    small differences" — and CourseAdam in model.fit gives Keras Adam's weights."""
    param0, grads = data
    CourseAdam, ops = lib["CourseAdam"], keras.ops
    assert np.abs(keras_run(CourseAdam(learning_rate=0.01), param0, grads) - keras_run(keras.optimizers.Adam(learning_rate=0.01), param0, grads)).max() < 1e-15

    class ExactPowers(CourseAdam):
        def update_step(self, gradient, variable, learning_rate):
            dtype = variable.dtype
            t = ops.cast(self.iterations + 1, dtype)
            i = self._get_variable_index(variable)
            m, v = self._m[i], self._v[i]
            g = ops.cast(gradient, dtype)
            self.assign_add(m, (g - m) * (1 - self.beta_1))
            self.assign_add(v, (ops.square(g) - v) * (1 - self.beta_2))
            b1t = ops.exp(t * math.log(self.beta_1))
            b2t = ops.exp(t * math.log(self.beta_2))
            self.assign_sub(variable, ops.cast(learning_rate, dtype) * ops.sqrt(1 - b2t) / (1 - b1t) * m / (ops.sqrt(v) + self.epsilon))

    diff = np.abs(keras_run(ExactPowers(learning_rate=0.01), param0, grads) - keras_run(keras.optimizers.Adam(learning_rate=0.01), param0, grads)).max()
    assert 1e-9 < diff < 1e-4

    X_train, y_train, _, _ = datasets.digits_data(n_train=1000, seed=0)

    def fit(optimizer):
        keras.utils.set_random_seed(0)
        model = keras.Sequential([keras.Input((64,)), keras.layers.Dense(128, activation="relu", kernel_initializer="he_normal"), keras.layers.Dense(10)])
        model.compile(optimizer=optimizer, loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), jit_compile=False)
        model.fit(X_train, y_train, batch_size=64, epochs=2, shuffle=False, verbose=0)
        return model.get_weights()

    ours, theirs = fit(CourseAdam(learning_rate=0.01)), fit(keras.optimizers.Adam(learning_rate=0.01))
    assert max(np.abs(a - b).max() for a, b in zip(ours, theirs)) < 1e-12
