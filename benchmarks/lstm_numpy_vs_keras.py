"""Chapter 9 benchmark: one forward and backward pass of the chapter's NumPy LSTM
against keras.layers.LSTM with the same weights on the same batch, on the CPU,
in float64 (the course's setting).

Run:  python benchmarks/lstm_numpy_vs_keras.py [--batch 32] [--timesteps 30] [--features 5] [--units 16] [--repeats 30]

The NumPy LSTM is the chapter's answer key (Exercises 9.4 and 9.5 and the
given cells they use), read from solutions/09_rnn at run time: the course
package holds no answers. The loss is sum(h_T * G) for a fixed random G, so
both sides compute the same gradients; the script checks they agree before
timing. Keras is timed twice: eagerly under tf.GradientTape, and as a
tf.function (a traced graph, as model.fit runs it), after one warm-up call.
Prints the median time of each and the ratios NumPy/Keras."""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np

from course import nn
from course.given import find_cell, strip_markers
from course.kerasenv import import_keras, quiet_tensorflow

ROOT = Path(__file__).resolve().parent.parent
CELLS = ("given_ch02", "orthogonal", "sequence_output_gradient", "LSTM", "lstm_backward")


def load_numpy_lstm():
    namespace = {"np": np, "nn": nn}
    for ref in CELLS:
        source = strip_markers(find_cell(ROOT, f"09_rnn:{ref}").source)
        cut = source.find("\n\nrng_demo = ")           # the orthogonal cell's demo lines
        exec(source if cut < 0 else source[:cut], namespace)
    return namespace["LSTM"]


def median_seconds(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--timesteps", type=int, default=30)
    parser.add_argument("--features", type=int, default=5)
    parser.add_argument("--units", type=int, default=16)
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()

    quiet_tensorflow()
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")        # as in the chapter: small matrices, one BLAS thread
    LSTM = load_numpy_lstm()
    keras = import_keras(seed=0)
    import tensorflow as tf

    rng = np.random.default_rng(0)
    x = rng.normal(size=(args.batch, args.timesteps, args.features))
    G = rng.normal(size=(args.batch, args.units))

    ours = LSTM(args.units, seed=1)
    ours.build(x.shape)
    theirs = keras.layers.LSTM(args.units)
    theirs.build(x.shape)
    theirs.set_weights(ours.get_weights())
    x_tf, G_tf = tf.constant(x), tf.constant(G)

    def numpy_step():
        ours.forward(x)
        return ours.backward(G)

    def keras_eager():
        with tf.GradientTape() as tape:
            tape.watch(x_tf)
            loss = tf.reduce_sum(theirs(x_tf) * G_tf)
        return tape.gradient(loss, [x_tf, *theirs.trainable_variables])

    keras_graph = tf.function(keras_eager)

    dx = numpy_step()
    reference = keras_eager()
    graph = keras_graph()
    ours_all = [dx, *(ours.grads[k] for k in ours.params)]
    agree = max(max(np.abs(a - b.numpy()).max(), np.abs(a - c.numpy()).max()) for a, b, c in zip(ours_all, reference, graph))

    t_numpy = median_seconds(numpy_step, args.repeats)
    t_eager = median_seconds(keras_eager, args.repeats)
    t_graph = median_seconds(keras_graph, args.repeats)
    print(f"LSTM({args.units}) on a batch of {args.batch} sequences of {args.timesteps} steps x {args.features} features, "
          f"float64, forward + backward, median of {args.repeats}")
    print(f"  gradients agree to {agree:.1e}")
    print(f"  NumPy (answer key)          {1e3 * t_numpy:8.2f} ms")
    print(f"  Keras eager + GradientTape  {1e3 * t_eager:8.2f} ms")
    print(f"  Keras tf.function (graph)   {1e3 * t_graph:8.2f} ms")
    print(f"  ratio NumPy / Keras eager   {t_numpy / t_eager:8.2f}")
    print(f"  ratio NumPy / Keras graph   {t_numpy / t_graph:8.2f}")


if __name__ == "__main__":
    main()
