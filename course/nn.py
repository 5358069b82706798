"""The skeleton of the course's NumPy library: the interfaces every chapter
from 4 on plugs into, named like Keras 3. It holds no exercise answer: the
layers, losses and update rules themselves are written by the learner in the
chapters (``Dense`` in Chapter 4, ``sgd`` in Chapter 5, ``adam`` in Chapter 6,
``Dropout``/``BatchNormalization`` in Chapter 7, ``Conv2D`` in Chapter 8, …)
and later chapters receive them, byte for byte, as given code.

The interface (also in the README's library map):

* **Layer** — ``forward(x, training=False) -> out`` caches what
  ``backward(dout) -> dx`` needs. Trainable parameters live in ``params`` and
  their gradients in ``grads``, both dicts keyed by Keras's own weight names
  (``kernel``, ``bias``, ``gamma``, ``beta``, ``recurrent_kernel``);
  non-trainable state (``moving_mean``, ``moving_variance``) in
  ``non_trainable``. ``build(input_shape)`` creates the weights from the
  input's shape the first time the layer is called, like Keras;
  ``get_weights``/``set_weights`` use Keras's order (trainable first, in
  creation order), so ``keras_layer.set_weights(layer.get_weights())`` works.
  Constructor arguments are named and defaulted like the Keras layer
  (``units``, ``rate``, ``momentum``, ``epsilon``, ``seed``,
  ``kernel_initializer``).
* **Loss** — ``forward(y_true, y_pred) -> float`` (Keras's argument order,
  the batch mean), ``backward() -> dL/dy_pred`` (or w.r.t. the logits when
  ``from_logits=True``).
* **Update rule** — ``rule(param, grad, state=None, **hyper) -> (new_param,
  new_state)`` with Keras's hyperparameter names (``learning_rate``,
  ``momentum``, ``beta_1``, …); ``state`` is ``None`` on the first call. It
  never modifies ``param`` in place. :class:`Optimizer` applies one rule to
  every parameter of a model.
* **seed** — wherever randomness enters (initializers, dropout, shuffling)
  the argument is called ``seed`` and is an ``int``, ``None`` or a
  ``numpy.random.Generator``; :func:`rng_from` turns any of them into a
  generator (a generator passed in is used as it is, so one stream can feed
  several layers).
* **Numerical gradients** — centered differences ``(f(x+h) - f(x-h)) / 2h``
  with ``h = 1e-5`` (:data:`NUMERICAL_GRADIENT_H`), in float64.
"""

from __future__ import annotations

from typing import Callable, Iterable, Iterator

import numpy as np

__all__ = [
    "NUMERICAL_GRADIENT_H",
    "rng_from",
    "zeros",
    "ones",
    "random_normal",
    "glorot_uniform",
    "Layer",
    "Loss",
    "Sequential",
    "Optimizer",
]

#: The step of every centered-difference gradient check in the course.
NUMERICAL_GRADIENT_H = 1e-5


def rng_from(seed=None) -> np.random.Generator:
    """A NumPy generator from an int, ``None`` or an existing generator
    (returned unchanged, so its stream is shared)."""
    return np.random.default_rng(seed)


# ---- initializers that are not exercises (Keras names, Keras defaults) -------
# Chapter 5 asks for ``he_normal`` and Chapter 7 for ``variance_scaling``;
# those live in the chapters, not here.

def zeros(shape, seed=None) -> np.ndarray:
    """``keras.initializers.Zeros``: every value 0.0 (float64)."""
    return np.zeros(shape, dtype=np.float64)


def ones(shape, seed=None) -> np.ndarray:
    """``keras.initializers.Ones``: every value 1.0 (float64)."""
    return np.ones(shape, dtype=np.float64)


def random_normal(shape, seed=None, mean=0.0, stddev=0.05) -> np.ndarray:
    """``keras.initializers.RandomNormal`` (mean 0, stddev 0.05 by default)."""
    return rng_from(seed).normal(mean, stddev, size=shape)


def glorot_uniform(shape, seed=None) -> np.ndarray:
    """``keras.initializers.GlorotUniform``, Keras's default kernel initializer:
    uniform on [-limit, limit] with limit = sqrt(6 / (fan_in + fan_out)).
    For a kernel of shape (..., fan_in, fan_out) the leading dimensions (a
    convolution's window) multiply both fans, as in Keras."""
    shape = tuple(int(s) for s in shape)
    receptive = int(np.prod(shape[:-2])) if len(shape) > 2 else 1
    fan_in = shape[-2] * receptive if len(shape) >= 2 else shape[0]
    fan_out = shape[-1] * receptive
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng_from(seed).uniform(-limit, limit, size=shape)


_INITIALIZERS = {"zeros": zeros, "ones": ones, "random_normal": random_normal, "glorot_uniform": glorot_uniform}


def get_initializer(spec) -> Callable:
    """A callable ``init(shape, seed) -> ndarray`` from a callable or one of
    the names above (the chapters pass their own functions, e.g. the
    learner's ``he_normal``)."""
    if callable(spec):
        return spec
    try:
        return _INITIALIZERS[spec]
    except KeyError:
        raise ValueError(f"unknown initializer {spec!r}: pass a function (shape, seed) -> array, or one of {sorted(_INITIALIZERS)}") from None


# ---- layers -----------------------------------------------------------------

class Layer:
    """Base class of every NumPy layer in the course.

    Subclasses set ``params``/``grads`` (and ``non_trainable``) in
    :meth:`build`, and implement :meth:`forward` and :meth:`backward`.
    ``layer(x, training=...)`` builds the layer on first use, then runs
    ``forward`` — as calling a Keras layer does.
    """

    def __init__(self, name: str | None = None):
        self.name = name or type(self).__name__.lower()
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self.non_trainable: dict[str, np.ndarray] = {}
        self.built = False

    def build(self, input_shape) -> None:
        """Create the weights for inputs of *input_shape* (batch first)."""
        self.built = True

    def __call__(self, x, training: bool = False):
        if not self.built:
            self.build(np.shape(x))
        return self.forward(x, training=training)

    def forward(self, x, training: bool = False):
        raise NotImplementedError(f"{type(self).__name__}.forward")

    def backward(self, dout):
        raise NotImplementedError(f"{type(self).__name__}.backward")

    # Keras's weight order: trainable weights first, then non-trainable ones
    def get_weights(self) -> list[np.ndarray]:
        return [np.array(w) for w in (*self.params.values(), *self.non_trainable.values())]

    def set_weights(self, weights: Iterable) -> None:
        weights = [np.asarray(w, dtype=np.float64) for w in weights]
        slots = [(self.params, k) for k in self.params] + [(self.non_trainable, k) for k in self.non_trainable]
        if not self.built:
            raise ValueError(f"{self.name}: build the layer (call it on a batch, or layer.build(input_shape)) before set_weights")
        if len(weights) != len(slots):
            raise ValueError(f"{self.name}: expected {len(slots)} weights ({[k for _, k in slots]}), got {len(weights)}")
        for (store, key), w in zip(slots, weights):
            if w.shape != store[key].shape:
                raise ValueError(f"{self.name}: weight {key!r} has shape {store[key].shape}, got {w.shape}")
            store[key] = w.copy()
            if store is self.params:
                self.grads[key] = np.zeros_like(w)

    def count_params(self) -> int:
        return int(sum(w.size for w in (*self.params.values(), *self.non_trainable.values())))

    def __repr__(self) -> str:
        shapes = ", ".join(f"{k}={v.shape}" for k, v in {**self.params, **self.non_trainable}.items())
        return f"<{type(self).__name__} {self.name}{': ' + shapes if shapes else ''}>"


class Loss:
    """Base class of the course's NumPy losses: ``loss(y_true, y_pred)`` is
    ``forward`` (the batch mean, a float); ``backward()`` returns the gradient
    of that mean with respect to ``y_pred`` (the logits when
    ``from_logits=True``), shape of ``y_pred``."""

    def __call__(self, y_true, y_pred) -> float:
        return self.forward(y_true, y_pred)

    def forward(self, y_true, y_pred) -> float:
        raise NotImplementedError(f"{type(self).__name__}.forward")

    def backward(self):
        raise NotImplementedError(f"{type(self).__name__}.backward")


class Sequential:
    """A stack of layers, like ``keras.Sequential``: ``model(x, training)``
    runs them in order; ``backward(dout)`` runs their ``backward`` in reverse,
    filling every layer's ``grads`` — the whole of backpropagation."""

    def __init__(self, layers: Iterable[Layer] = ()):
        self.layers = list(layers)

    def add(self, layer: Layer) -> None:
        self.layers.append(layer)

    def __call__(self, x, training: bool = False):
        return self.forward(x, training=training)

    def forward(self, x, training: bool = False):
        for layer in self.layers:
            x = layer(x, training=training)
        return x

    def backward(self, dout):
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        return dout

    def predict(self, x, batch_size: int | None = None):
        """Inference-mode outputs (``training=False``), optionally in batches."""
        if batch_size is None:
            return self.forward(x, training=False)
        return np.concatenate([self.forward(x[s:s + batch_size], training=False) for s in range(0, len(x), batch_size)])

    def trainable_weights(self) -> Iterator[tuple[Layer, str]]:
        """(layer, key) for every trainable parameter, in Keras's order."""
        for layer in self.layers:
            for key in layer.params:
                yield layer, key

    def get_weights(self) -> list[np.ndarray]:
        return [w for layer in self.layers for w in layer.get_weights()]

    def set_weights(self, weights: Iterable) -> None:
        weights = list(weights)
        for layer in self.layers:
            n = len(layer.params) + len(layer.non_trainable)
            layer.set_weights(weights[:n])
            weights = weights[n:]
        if weights:
            raise ValueError(f"{len(weights)} weights left over after the last layer")

    def count_params(self) -> int:
        return sum(layer.count_params() for layer in self.layers)


# ---- the optimizer driver ---------------------------------------------------

class Optimizer:
    """Apply one update rule to every trainable parameter of a model.

    ``rule(param, grad, state=None, **hyper) -> (new_param, new_state)`` is
    one of the chapters' rules (``sgd`` from Chapter 5, ``sgd_momentum``,
    ``adam``, ``adamw``, … from Chapter 6). The driver keeps one state per
    parameter, counts ``iterations`` like a Keras optimizer, takes the
    learning rate from ``schedule(iterations)`` when a schedule is given, and
    — like Keras's ``exclude_from_weight_decay`` — passes ``weight_decay=0``
    for parameters whose key is listed there. The new values are written back
    into each layer's ``params`` dict, so layers must read their weights from
    ``self.params`` at every call.

        opt = Optimizer(adam, learning_rate=1e-3)
        model.forward(x, training=True); model.backward(loss.backward())
        opt.apply(model)
    """

    def __init__(self, rule: Callable, schedule: Callable | None = None,
                 exclude_from_weight_decay: Iterable[str] = (), **hyper):
        self.rule = rule
        self.schedule = schedule
        self.exclude_from_weight_decay = set(exclude_from_weight_decay)
        self.hyper = hyper
        self.states: dict[tuple[int, str], object] = {}
        self.iterations = 0

    def hyper_for(self, key: str) -> dict:
        hyper = dict(self.hyper)
        if self.schedule is not None:
            hyper["learning_rate"] = self.schedule(self.iterations)
        if key in self.exclude_from_weight_decay and "weight_decay" in hyper:
            hyper["weight_decay"] = 0.0
        return hyper

    def apply(self, model) -> None:
        """One step on every trainable parameter of *model* (a
        :class:`Sequential` or a list of layers), from the ``grads`` its last
        ``backward`` left."""
        layers = model.layers if hasattr(model, "layers") else list(model)
        for index, layer in enumerate(layers):
            for key in layer.params:
                new, self.states[(index, key)] = self.rule(
                    layer.params[key], layer.grads[key], self.states.get((index, key)), **self.hyper_for(key)
                )
                layer.params[key] = np.asarray(new, dtype=np.float64)
        self.iterations += 1
