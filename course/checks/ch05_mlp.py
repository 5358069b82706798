"""Checks that belong to Chapter 5 (training an MLP). Re-exported as
``checks.<name>``. They hold no answer: each compares what the learner's
function returned with what the test expects (an order the test draws, a
standard deviation, fixed expected numbers) and names the mistake when the
result has a recognisable shape."""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from .. import nn
from .core import assert_close, assert_shape

__all__ = [
    "check_minibatches",
    "check_he_std",
    "check_rule_result",
    "BatchRecorder",
    "train_epoch_case",
    "recorded_indices",
    "check_epoch_loss",
    "check_fraction",
    "check_same_draw",
    "HE_NORMAL_8x3_SEED0",
    "TRAIN_EPOCH_EXPECTED",
    "check_trained_weights",
]


# ---- Exercise 5.2: shuffled mini-batches -------------------------------------

def _row_index(X: np.ndarray) -> dict:
    index = {}
    for i, row in enumerate(np.asarray(X).reshape(len(X), -1)):
        index.setdefault(row.tobytes(), i)
    if len(index) != len(X):
        raise ValueError("check_minibatches needs an X whose rows are all different")
    return index


def check_minibatches(batches: Any, X: np.ndarray, Y: np.ndarray, batch_size: int, expected_order,
                      name: str = "iterate_minibatches", hint: str = "") -> None:
    """*batches* (a list of ``(X_batch, Y_batch)`` pairs, or any iterable of
    them, e.g. a generator) cut ``X[expected_order]`` and ``Y[expected_order]``
    into consecutive batches of *batch_size* (the last one smaller). *X* must
    have distinct rows (the test uses ``np.arange``), so each batch row can be
    traced back to its example. *hint* is added to any failure message."""
    try:
        _check_minibatches(batches, X, Y, batch_size, expected_order, name)
    except AssertionError as err:
        raise AssertionError(f"{err} {hint}".strip()) from None


def _check_minibatches(batches, X, Y, batch_size, expected_order, name):
    X, Y = np.asarray(X), np.asarray(Y)
    expected_order = np.asarray(expected_order)
    n, b = len(X), int(batch_size)
    if batches is None:
        raise AssertionError(f"{name} returned None: did you forget the `return` statement?")
    try:
        batches = list(batches)
    except TypeError:
        raise AssertionError(
            f"{name} returned {type(batches).__name__}, which is not iterable: return a list of "
            "(X_batch, Y_batch) pairs (or yield the pairs one by one)."
        ) from None
    for k, pair in enumerate(batches):
        if not (isinstance(pair, (tuple, list)) and len(pair) == 2):
            raise AssertionError(f"{name}: item {k} is {type(pair).__name__}, expected a pair (X_batch, Y_batch).")
    sizes = [len(pair[0]) for pair in batches]
    want_sizes = [min(b, n - s) for s in range(0, n, b)]
    if sizes != want_sizes:
        hint = ""
        if sizes == want_sizes[:-1] and want_sizes[-1] < b:
            hint = f" The last, smaller batch ({want_sizes[-1]} examples) is missing: every example must be used once per epoch."
        elif len(sizes) == len(want_sizes) - 1 or sum(sizes) != n:
            hint = f" The batches hold {sum(sizes)} examples in all, expected N = {n}."
        raise AssertionError(
            f"{name} with N={n}, batch_size={b} gave batch sizes {sizes}, expected {want_sizes} "
            f"(ceil(N / B) = {math.ceil(n / b)} batches, the last one holding the remainder).{hint}"
        )
    for k, (xb, yb) in enumerate(batches):
        if len(yb) != len(xb):
            raise AssertionError(f"{name}: batch {k} has {len(xb)} rows of X but {len(yb)} rows of Y.")
    index = _row_index(X)
    try:
        got_order = np.array([index[np.asarray(row, dtype=X.dtype).tobytes()]
                              for xb, _ in batches for row in np.asarray(xb).reshape(len(xb), -1)])
    except KeyError:
        raise AssertionError(f"{name}: a batch holds a row that is not a row of X (were the values changed?).") from None
    if len(set(got_order.tolist())) != n:
        raise AssertionError(
            f"{name}: some examples appear twice and others never ({len(set(got_order.tolist()))} different examples "
            f"of {n}). Draw ONE permutation of all N indices, then cut it into batches; a new draw per batch repeats examples."
        )
    y_rows = np.concatenate([np.asarray(yb).reshape(len(yb), -1) for _, yb in batches])
    if not np.array_equal(y_rows, Y.reshape(n, -1)[got_order]):
        raise AssertionError(
            f"{name}: X and Y are no longer paired: the Y rows of the batches are not the labels of their X rows. "
            "Index X and Y with the same order."
        )
    if np.array_equal(got_order, np.arange(n)):
        raise AssertionError(
            f"{name}: the examples come in their stored order 0, 1, 2, ...: nothing was shuffled. "
            "Draw order = rng.permutation(len(X)) and index X and Y with it."
        )
    if not np.array_equal(got_order, expected_order):
        raise AssertionError(
            f"{name}: the examples come in the order {got_order.tolist()}, expected {expected_order.tolist()} "
            "(rng.permutation(N), drawn once from rng = nn.rng_from(seed)). Use the seed you are given, not "
            "np.random's global state or a seed of your own, and draw exactly one permutation per call."
        )


# ---- Exercise 5.3: He initialisation -----------------------------------------

def check_he_std(W: Any, fan_in: int, fan_out: int, name: str = "he_normal", rtol: float = 0.03) -> None:
    """The sample standard deviation of *W* is sqrt(2 / fan_in) (within
    *rtol*); the message says which classic formula the value matches."""
    arr = np.asarray(W, dtype=np.float64)
    got = float(arr.std())
    want = math.sqrt(2.0 / fan_in)
    if abs(got - want) <= rtol * want:
        return
    known = {
        "sqrt(1 / fan_in), LeCun's initialisation (for tanh/SELU): He doubles the variance, sigma^2 = 2 / fan_in, "
        "because ReLU zeroes half of its inputs": math.sqrt(1.0 / fan_in),
        "sqrt(2 / fan_out): fan_in is the number of INPUTS of the layer, shape[0] of a (D, M) kernel": math.sqrt(2.0 / fan_out),
        "2 / fan_in, the VARIANCE: rng.normal takes the standard deviation, so pass sqrt(2 / fan_in)": 2.0 / fan_in,
        "sqrt(2 / (fan_in + fan_out)), Glorot's (Xavier's) variance": math.sqrt(2.0 / (fan_in + fan_out)),
        "1: the standard normal was not scaled": 1.0,
        "sqrt(2) / fan_in: the square root must cover the whole fraction, sqrt(2 / fan_in)": math.sqrt(2.0) / fan_in,
        "2 / sqrt(fan_in): the 2 belongs inside the square root, sqrt(2 / fan_in)": 2.0 / math.sqrt(fan_in),
    }
    hint = ""
    for why, value in known.items():
        if abs(got - value) <= rtol * value and abs(value - want) > 2 * rtol * want:
            hint = f" That is {why}."
            break
    raise AssertionError(
        f"the standard deviation of {name} is {got:.6g}, expected sqrt(2 / fan_in) = sqrt(2 / {fan_in}) = {want:.6g} "
        f"(within {rtol:.0%}).{hint}"
    )


# ---- Exercise 5.4: the update rule --------------------------------------------

def check_rule_result(result: Any, name: str = "sgd(...)") -> np.ndarray:
    """An update rule returns the pair ``(new_param, state)``; return new_param."""
    if result is None:
        raise AssertionError(f"{name} returned None: an update rule returns the pair (new_param, state).")
    if not (isinstance(result, tuple) and len(result) == 2):
        kind = f"an array of shape {np.shape(result)}" if isinstance(result, np.ndarray) else type(result).__name__
        raise AssertionError(
            f"{name} returned {kind}; an update rule returns the pair (new_param, state), e.g. "
            "`return new_param, state` (plain SGD has no memory: give back the state it received)."
        )
    return result[0]


# ---- Exercise 5.6: one training epoch -----------------------------------------

class BatchRecorder(nn.Layer):
    """A layer that passes its input through unchanged and records every
    batch it sees with ``training=True`` (the test puts it first in a model,
    to see which examples ``train_epoch`` fed, in which order)."""

    def __init__(self):
        super().__init__(name="batch_recorder")
        self.batches: list[np.ndarray] = []
        self.calls_not_training = 0

    def forward(self, x, training=False):
        if training:
            self.batches.append(np.array(x, copy=True))
        else:
            self.calls_not_training += 1
        return x

    def backward(self, dout):
        return dout


def train_epoch_case():
    """The small problem of Exercise 5.6's visible tests: 10 examples with 3
    features (distinct rows), one-hot targets over 3 classes, and the initial
    weights of a Dense(4) -> ReLU -> Dense(3) network, in Keras's order
    [kernel 1, bias 1, kernel 2, bias 2]."""
    rng = np.random.default_rng(506)
    X = np.round(rng.normal(size=(10, 3)), 2)
    Y = np.eye(3)[[0, 1, 2, 2, 1, 0, 1, 2, 0, 1]]
    weights = [np.round(rng.normal(size=(3, 4)), 2), np.round(rng.normal(size=4) * 0.1, 2),
               np.round(rng.normal(size=(4, 3)), 2), np.zeros(3)]
    return X, Y, weights


# Fixed expected numbers (computed once with the answer key, float64):
#: he_normal((8, 3), seed=0): rng_from(0).normal(0, sqrt(2/8), size=(8, 3))
HE_NORMAL_8x3_SEED0 = np.array([
    [0.06286511054669665, -0.06605243164565094, 0.32021132522164103],
    [0.052450058576519853, -0.2678346865805555, 0.18079752745474237],
    [0.6520000225650686, 0.4735404815646211, -0.3518676179034963],
    [-0.6327107355230263, -0.3116372312686761, 0.0206629896736218],
    [-1.1625153873194172, -0.10939583196627287, -0.6229554736265326],
    [-0.3661336773517258, -0.27212949142865495, -0.15815007818457727],
    [0.2058152681870664, 0.5212566847213388, -0.06426733147201713],
    [0.6832317352748429, -0.33259733674330677, 0.17575503504650986],
])

#: train_epoch(model, CategoricalCrossentropy(from_logits=True), nn.Optimizer(sgd,
#: learning_rate=0.5), X, Y, batch_size=4, seed=0) on train_epoch_case(): the
#: returned loss and the weights after the epoch (Keras order)
TRAIN_EPOCH_EXPECTED = {
    "loss": 1.3601912860101797,
    # a known mistake, for the message only: each batch's loss measured AFTER its own update
    "loss_after_each_update": 0.8325391957248147,
    "weights": [
        np.array([[-0.6591387713742266, 1.052882354850781, -0.46001388631464135, 1.8010644532739468],
                  [-0.04826558474461007, -1.0388189280317361, -1.0715155801631933, 0.34910331639858255],
                  [-0.5379581755111627, 0.21925895478375165, 0.0343438867021279, -1.9963251139345661]]),
        np.array([-0.38635007587938774, -0.1886581097268763, -0.2746032259678342, -0.24809406832681544]),
        np.array([[0.3346740203810153, -0.5791013035968473, 0.704427283215832],
                  [0.24484566113094583, 1.2616514901186386, 0.18350284875041556],
                  [-0.5249684178417569, 0.36093798958114137, 0.6140304282606155],
                  [1.6524450145609384, -0.12567877766660995, -0.18676623689432814]]),
        np.array([0.21466943578159126, 0.0882508452226865, -0.3029202810042777]),
    ],
}


def recorded_indices(recorder: "BatchRecorder", X: np.ndarray, name: str = "train_epoch") -> list:
    """The example indices of each batch the recorder saw in training mode."""
    if not recorder.batches:
        raise AssertionError(
            f"{name} never called the model with training=True: run each batch through model(X_batch, training=True)."
        )
    index = _row_index(X)
    try:
        return [[index[np.asarray(row, dtype=np.asarray(X).dtype).tobytes()] for row in np.asarray(b).reshape(len(b), -1)]
                for b in recorder.batches]
    except KeyError:
        raise AssertionError(f"{name} fed the model a row that is not a row of X (were the inputs changed?).") from None


def check_epoch_loss(got: Any, expected: float, batch_losses: list, batch_sizes: list,
                     after_epoch: float | None = None, name: str = "train_epoch(...)",
                     mistakes: tuple = ()) -> None:
    """*got* is one number equal to *expected*, the epoch's loss as Keras's
    ``fit`` reports it: each batch's mean loss, measured before its update,
    weighted by the batch's size, divided by N. *batch_losses*/*batch_sizes*
    (from the batches the learner's function used) let the message name the
    usual mistakes; *after_epoch* is the loss of the final weights on all
    examples, when the test computed it. *mistakes* holds further
    ``(value, explanation)`` pairs of recognisable mistakes."""
    if got is None:
        raise AssertionError(f"{name} returned None: did you forget to return the epoch's mean loss?")
    arr = np.asarray(got)
    if arr.dtype == object or arr.size != 1:
        raise AssertionError(f"{name} returned {type(got).__name__} of shape {np.shape(got)}: it must return one number, the epoch's mean loss.")
    value = float(arr.reshape(()))
    if np.isclose(value, expected, rtol=1e-9, atol=1e-12):
        return
    losses = np.asarray(batch_losses, dtype=np.float64)
    sizes = np.asarray(batch_sizes, dtype=np.float64)
    n = int(sizes.sum())
    known = []
    if len(losses):
        known = [
            (float(losses.mean()), f"the plain mean of the {len(losses)} batch losses: the last batch has only "
             f"{int(sizes[-1])} examples but counts as much as a full batch of {int(sizes[0])}. Weight each batch's mean "
             "loss by its number of examples, then divide by N (what Keras's fit reports)"),
            (float(losses[-1]), "the loss of the last batch only: add up every batch's loss (weighted by its size) and divide by N"),
            (float(losses.sum()), "the sum of the batch losses: weight each by its size and divide by N, the number of examples"),
            (float((losses * sizes).sum()), f"the total over the examples: divide it by N = {n} for the mean"),
            (float((losses * sizes).sum() / len(losses)), f"divided by the number of batches ({len(losses)}); divide by N = {n}, the number of examples"),
            (float(losses.sum() * sizes[0] / n), f"every batch weighted by batch_size = {int(sizes[0])}, but the last batch "
             f"holds only {int(sizes[-1])} examples: weight each batch's loss by its own size, len(X_batch)"),
        ]
    if after_epoch is not None:
        known.append((float(after_epoch), "the loss of the weights at the END of the epoch on all examples. The epoch's "
                      "loss is the mean of the batch losses, each measured before its own update (what Keras's fit reports)"))
    known = known + list(mistakes)
    for candidate, why in known:
        if np.isclose(value, candidate, rtol=1e-9, atol=1e-12) and not np.isclose(candidate, expected, rtol=1e-9):
            raise AssertionError(f"{name} returned {value:.10g}, expected {expected:.10g}. That is {why}.")
    raise AssertionError(f"{name} returned {value:.10g}, expected {expected:.10g} (difference {value - expected:.3g}).")


def check_trained_weights(model, expected: list, initial: list, name: str = "after one epoch") -> None:
    """The model's weights (Keras order) equal *expected*; the message says
    when nothing changed at all, or only some layers did."""
    got = model.get_weights()
    if len(got) != len(expected):
        raise AssertionError(f"the model has {len(got)} weight arrays, expected {len(expected)}.")
    unchanged = [k for k, (g, w0) in enumerate(zip(got, initial)) if np.array_equal(g, w0)]
    should_change = [k for k, (e, w0) in enumerate(zip(expected, initial)) if not np.allclose(e, w0)]
    labels = [f"{layer.name}.params[{key!r}]" for layer in model.layers for key in layer.params]
    if set(should_change) <= set(unchanged):
        raise AssertionError(
            f"no weight changed {name}: for every batch call model.backward(loss.backward()), then optimizer.apply(model)."
        )
    lost = [labels[k] for k in should_change if k in unchanged]
    if lost:
        raise AssertionError(f"{', '.join(lost)} did not change {name}: every layer must be updated after every batch.")
    for label, g, e in zip(labels, got, expected):
        assert_shape(g, np.shape(e), name=label)
        try:
            assert_close(g, e, rtol=1e-7, atol=1e-10, name=f"{label} {name}")
        except AssertionError as err:
            raise AssertionError(
                f"{err} For every batch, in this order: logits = model(X_batch, training=True), the loss, "
                "model.backward(loss.backward()), optimizer.apply(model)."
            ) from None


# ---- Exercise 5.5: accuracy ---------------------------------------------------

def check_fraction(got: Any, expected: float, n: int, name: str = "accuracy(...)") -> None:
    """*got* is one Python-float-like number equal to *expected*, a fraction of
    *n* examples; the message recognises a count and a percentage."""
    if got is None:
        raise AssertionError(f"{name} returned None: did you forget the `return` statement?")
    if not isinstance(got, numbers.Real) or isinstance(got, (bool, np.bool_)):
        shape = f" of shape {np.shape(got)}" if isinstance(got, np.ndarray) else ""
        raise AssertionError(f"{name} returned {type(got).__name__}{shape}: it must return one number, a Python float "
                             "(e.g. float(np.mean(...))).")
    value = float(got)
    if np.isclose(value, expected, rtol=1e-12, atol=1e-12):
        return
    hint = ""
    if expected and np.isclose(value, expected * n):
        hint = f" That is the NUMBER of correct examples; divide by N = {n} for the fraction."
    elif expected and np.isclose(value, 100 * expected):
        hint = " That is a percentage; return the fraction in [0, 1]."
    raise AssertionError(f"{name} is {value:.10g}, expected {expected:.10g}.{hint}")


def check_same_draw(got: Any, expected: Any, name: str = "he_normal(...)") -> None:
    """*got* equals the fixed numbers *expected* of one seeded draw. When the
    values differ by one common factor the message gives it (with the He
    formulas it matches); otherwise, it says how to draw them."""
    arr = np.asarray(got, dtype=np.float64) if got is not None else None
    exp = np.asarray(expected, dtype=np.float64)
    fan_in, fan_out = exp.shape
    causes = {
        math.sqrt(1.0 / fan_in) / math.sqrt(2.0 / fan_in): "That is sigma^2 = 1/fan_in (LeCun's); He's is 2/fan_in.",
        (2.0 / fan_in) / math.sqrt(2.0 / fan_in): "That is the variance 2/fan_in used as the standard deviation.",
        math.sqrt(2.0 / fan_out) / math.sqrt(2.0 / fan_in): "That is sqrt(2/fan_out); fan_in = shape[0].",
    }
    try:
        assert_close(got, exp, rtol=1e-12, atol=0, name=name, causes=causes)
    except AssertionError as err:
        text = str(err)
        if arr is not None and arr.shape == exp.shape and "times the expected" not in text:
            text += (" The numbers must be those of ONE call rng.normal(0.0, std, size=shape) with rng = nn.rng_from(seed): "
                     "another distribution (uniform, truncated), several calls, or np.random's global state give other numbers.")
        raise AssertionError(text) from None
