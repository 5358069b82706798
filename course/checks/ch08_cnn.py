"""Checks that belong to Chapter 8 (convolutional networks). Re-exported as
``checks.<name>``. They hold no answer: the expected numbers below are fixed
data (small integer inputs whose outputs were computed once and compared with
Keras's Conv2D, MaxPooling2D, AveragePooling2D and GlobalAveragePooling2D in
float64 — tests/keras_claims/test_08_cnn.py re-checks them against Keras on
every run). When a result is wrong, the message says what the numbers show
and, where the mistake has a recognisable shape (a flipped kernel, a missing
bias, a padding on the wrong side, a gradient not summed over the batch, a
pooling gradient spread over the window), names it — often by calling the
learner's own function on a changed input."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Callable

import numpy as np

from .core import _fmt, assert_close, assert_shape, assert_true, call_unmodified

__all__ = [
    "check_conv_output_size",
    "check_same_padding",
    "check_conv2d",
    "check_conv2d_backward",
    "count_python_lines",
    "check_vectorised",
    "check_max_pooling",
    "check_average_pooling",
    "check_global_average_pooling",
]



def _as_array(value: Any, name: str) -> np.ndarray:
    if value is None:
        raise AssertionError(f"{name} returned None: did you forget the `return` statement?")
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise AssertionError(f"{name} returned {type(value).__name__}, which is not an array of numbers ({exc})") from None


def _quiet(fn: Callable, *args: Any, **kwargs: Any):
    """fn(*args, **kwargs) as a float array, or None if it fails (used only to
    explain a failure, never to decide one)."""
    try:
        return np.asarray(fn(*args, **kwargs), dtype=np.float64)
    except Exception:  # noqa: BLE001 - a diagnosis must never raise
        return None


def _close(a, b) -> bool:
    return a is not None and np.shape(a) == np.shape(b) and np.allclose(a, b, rtol=1e-10, atol=1e-10)


# ---- Exercise 8.1: output size and TensorFlow's "same" padding -----------------

# (n, kernel_size, strides, valid output size, same output size, same padding (before, after))
_SIZES = [
    (5, 3, 1, 3, 5, (1, 1)),
    (5, 2, 1, 4, 5, (0, 1)),
    (5, 4, 1, 2, 5, (1, 2)),
    (8, 3, 2, 3, 4, (0, 1)),
    (7, 3, 2, 3, 4, (1, 1)),
    (4, 3, 2, 1, 2, (0, 1)),
    (7, 1, 2, 4, 4, (0, 0)),
    (6, 1, 2, 3, 3, (0, 0)),
    (6, 2, 2, 3, 3, (0, 0)),
    (28, 5, 3, 8, 10, (2, 2)),
]


def _is_int(value: Any) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def check_conv_output_size(fn: Callable, name: str = "conv_output_size") -> None:
    """``fn(n, kernel_size, strides=..., padding=...)`` gives Keras's output
    size on a table of cases (odd and even kernels, strides 1 to 3)."""
    for n, k, s, valid, same, _ in _SIZES:
        for padding, expected in (("valid", valid), ("same", same)):
            call = f'{name}({n}, {k}, strides={s}, padding="{padding}")'
            got = fn(n, k, strides=s, padding=padding)
            if got is None:
                raise AssertionError(f"{call} returned None: did you forget the `return` statement?")
            if not _is_int(got):
                raise AssertionError(f"{call} returned {got!r} of type {type(got).__name__}: return an int (sizes become "
                                     "array shapes and loop bounds; use // or math.ceil, which give ints).")
            if got == expected:
                continue
            hint = ""
            if padding == "valid" and got == expected - 1:
                hint = (f" That is one less: the windows start at 0, s, 2s, ... up to the last start that still fits, n - k = {n - k}, "
                        f"so there are floor((n - k) / strides) + 1 = {expected} of them.")
            elif padding == "valid" and got == expected + 1:
                hint = f" That is one more: a window that would run past the input's edge does not count with padding=\"valid\"."
            elif padding == "same" and got == n and s > 1:
                hint = f" padding=\"same\" keeps the size n only when strides=1; with strides={s} it gives ceil(n / strides) = {expected}."
            elif padding == "same" and got == n // s:
                hint = f" That is floor(n / strides); TensorFlow's \"same\" gives ceil(n / strides) = {expected} (a last, partly padded window counts)."
            raise AssertionError(f"{call} is {got}, expected {expected}.{hint}")


def check_same_padding(fn: Callable, name: str = "same_padding") -> None:
    """``fn(n, kernel_size, strides=...)`` gives TensorFlow's (before, after)
    padding for padding="same" on a table of cases."""
    for n, k, s, _, same, pads in _SIZES:
        call = f"{name}({n}, {k}, strides={s})"
        got = fn(n, k, strides=s)
        if got is None:
            raise AssertionError(f"{call} returned None: did you forget the `return` statement?")
        if isinstance(got, np.ndarray) and got.shape == (2,) and np.issubdtype(got.dtype, np.integer):
            got = tuple(got.tolist())
        if not (isinstance(got, (tuple, list)) and len(got) == 2 and all(_is_int(v) for v in got)):
            raise AssertionError(f"{call} returned {got!r}: return a tuple of two ints (before, after).")
        got = tuple(int(v) for v in got)
        if got == pads:
            continue
        total = sum(pads)
        if got == pads[::-1]:
            hint = (f" The total, {total}, is right but the extra row/column went to the top/left: TensorFlow puts it at the "
                    "bottom/right (before = total // 2, after = total - before).")
        elif sum(got) != total:
            hint = (f" The total padding is {sum(got)}; TensorFlow's is max((out - 1) * strides + kernel_size - n, 0) = {total}, "
                    f"with out = ceil(n / strides) = {same}: just enough for the last window to fit.")
            if sum(got) == k - 1 and s > 1:
                hint += f" kernel_size - 1 = {k - 1} is the total only when strides=1."
            if got[0] == got[1] and total % 2 == 1:
                hint += " Both sides got the same amount, but the total is odd here, so they cannot be equal."
            if min(got) < 0:
                hint += " A padding is never negative: when the windows already cover the input, the total is 0."
        else:
            hint = ""
        raise AssertionError(f"{call} is {got}, expected {pads}.{hint}")


# ---- Exercises 8.2-8.4: the convolution, forward and backward -----------------

# fixed data: integer inputs; the outputs were computed once and agree with Keras in float64
_CONV_X = [[[[1, -1], [-1, 2], [-2, -1], [1, 1]], [[1, 2], [-2, -1], [0, 0], [-1, -1]], [[-2, -2], [0, 0], [2, -1], [2, -1]], [[-2, -2], [-1, -2], [2, 2], [2, 0]], [[-2, -1], [0, 0], [0, 1], [-1, 1]]], [[[-2, 2], [0, -2], [2, -1], [2, -1]], [[2, -2], [0, -2], [0, -1], [2, -1]], [[1, 1], [-1, 0], [-2, 1], [-1, -1]], [[-2, -2], [2, -1], [2, -2], [-2, -1]], [[2, 0], [1, 1], [1, 2], [-1, -2]]]]
_CONV_KERNEL = [[[[-2, 2, -2], [1, 0, 2]], [[2, -2, -2], [-1, 0, 0]], [[-2, 1, 0], [-1, -2, 0]]], [[[2, -1, -1], [0, 1, 0]], [[1, 0, 0], [1, 2, -1]], [[1, 1, -1], [-2, 1, 1]]]]
_CONV_FORWARD = {
    (1, 'valid'): [[[[-2.0, 1.0, -1.5], [-4.0, -2.0, 12.5]], [[-2.0, 5.0, 5.5], [12.0, -6.0, 0.5]], [[-9.0, -2.0, 4.5], [7.0, 3.0, -6.5]], [[-9.0, -4.0, 5.5], [-3.0, -4.0, -4.5]]], [[[10.0, -11.0, 7.5], [4.0, -5.0, -9.5]], [[-5.0, 3.0, -5.5], [-5.0, 3.0, -3.5]], [[4.0, -4.0, 1.5], [5.0, -9.0, 7.5]], [[9.0, -1.0, -5.5], [15.0, -1.0, -13.5]]]],
    (1, 'same'): [[[[7.0, -8.0, -2.5], [-2.0, 1.0, -1.5], [-4.0, -2.0, 12.5], [3.0, -10.0, 1.5]], [[2.0, -8.0, 0.5], [-2.0, 5.0, 5.5], [12.0, -6.0, 0.5], [5.0, -5.0, 1.5]], [[-2.0, -5.0, 5.5], [-9.0, -2.0, 4.5], [7.0, 3.0, -6.5], [7.0, -2.0, -11.5]], [[0.0, 3.0, 5.5], [-9.0, -4.0, 5.5], [-3.0, -4.0, -4.5], [3.0, 1.0, -4.5]], [[-2.0, 2.0, 4.5], [3.0, -8.0, 2.5], [1.0, -5.0, 0.5], [-1.0, 0.0, 4.5]]], [[[1.0, 0.0, 4.5], [10.0, -11.0, 7.5], [4.0, -5.0, -9.5], [2.0, -5.0, -8.5]], [[10.0, -1.0, -3.5], [-5.0, 3.0, -5.5], [-5.0, 3.0, -3.5], [-1.0, -5.0, -2.5]], [[4.0, -8.0, -2.5], [4.0, -4.0, 1.5], [5.0, -9.0, 7.5], [6.0, -10.0, 7.5]], [[-3.0, 8.0, 4.5], [9.0, -1.0, -5.5], [15.0, -1.0, -13.5], [-9.0, 3.0, -2.5]], [[2.0, -7.0, -3.5], [-6.0, -3.0, -5.5], [4.0, 1.0, -1.5], [1.0, 2.0, 4.5]]]],
    (2, 'valid'): [[[[-2.0, 1.0, -1.5]], [[-9.0, -2.0, 4.5]]], [[[10.0, -11.0, 7.5]], [[4.0, -4.0, 1.5]]]],
    (2, 'same'): [[[[-2.0, 1.0, -1.5], [3.0, -10.0, 1.5]], [[-9.0, -2.0, 4.5], [7.0, -2.0, -11.5]], [[3.0, -8.0, 2.5], [-1.0, 0.0, 4.5]]], [[[10.0, -11.0, 7.5], [2.0, -5.0, -8.5]], [[4.0, -4.0, 1.5], [6.0, -10.0, 7.5]], [[-6.0, -3.0, -5.5], [1.0, 2.0, 4.5]]]],
}
_CONV_DOUT = {
    (1, 'valid'): [[[[0, 0, -1], [-2, -1, -1]], [[2, -2, 2], [-1, -1, 0]], [[0, 0, 1], [-2, 2, 1]], [[-1, -1, 2], [-1, -1, 2]]], [[[-1, 1, 1], [1, 0, 0]], [[1, -1, 2], [-2, 2, -2]], [[0, -1, 0], [-2, -1, 0]], [[1, 2, 2], [1, 2, -1]]]],
    (1, 'same'): [[[[2, -1, -2], [1, -1, 2], [1, 1, 0], [-1, 2, 0]], [[2, -2, 0], [0, -2, 2], [-2, -1, -2], [0, -2, 1]], [[-2, 2, 1], [1, 2, 0], [2, 1, 0], [-1, -1, -2]], [[-2, 2, 1], [0, 0, 2], [1, -2, 1], [-2, 2, 0]], [[1, 1, -1], [2, -2, 1], [-1, -2, -2], [0, 1, -1]]], [[[1, -2, 0], [2, -2, 1], [1, 2, -1], [1, -1, 1]], [[0, 1, 1], [-1, 2, 0], [1, 2, -2], [-1, 0, -2]], [[0, -2, 0], [-2, 0, 0], [1, -2, -1], [1, 2, 1]], [[0, 2, 2], [1, 1, 0], [2, 1, 0], [1, 2, -2]], [[-1, -2, 1], [-2, 1, 2], [0, -1, 0], [2, -2, -1]]]],
    (2, 'valid'): [[[[0, 1, 1]], [[-1, 0, 2]]], [[[1, 0, -1]], [[2, -1, 2]]]],
    (2, 'same'): [[[[-1, 2, 0], [-1, 0, -1]], [[2, 1, 0], [1, 2, 0]], [[1, -2, 1], [-1, 1, 2]]], [[[-2, -1, -2], [-1, 0, 0]], [[2, -2, 1], [-2, 2, 1]], [[-1, 0, -1], [-1, 2, 2]]]],
}
_CONV_BACKWARD = {
    (1, 'valid'): ([[[[2, -2], [6, -4], [0, 2], [3, 4]], [[-11, 6], [2, -3], [-7, -1], [-1, 5]], [[2, 0], [5, -5], [-13, -5], [4, -1]], [[-5, 3], [-15, 5], [-6, 6], [0, 10]], [[-3, -1], [-4, -6], [-5, -2], [-4, 3]]], [[[2, 1], [-8, 2], [5, -2], [-2, -1]], [[-12, 6], [13, -7], [-7, 8], [7, -4]], [[-1, -1], [1, -3], [-7, 7], [5, 8]], [[-1, 4], [-5, -5], [-3, -11], [-3, -2]], [[-2, 2], [2, 5], [2, 8], [4, -1]]]],
               [[[[15, 0, -10], [0, -8, -8]], [[5, 20, 5], [-2, -8, -8]], [[-11, 9, 17], [-1, -12, -2]]], [[[4, 11, -1], [7, 4, -12]], [[-5, -1, 6], [2, 13, -1]], [[7, 0, 8], [4, 1, 14]]]],
               [-6, 0, 8]),
    (1, 'same'): ([[[[2, 3], [-5, 0], [3, -1], [-7, -2]], [[3, 3], [5, -13], [-11, 12], [6, 6]], [[-6, -1], [1, -14], [1, -16], [0, -7]], [[-16, 9], [-3, 14], [18, 0], [-10, 1]], [[-12, 4], [9, -7], [-3, 1], [-4, 4]]], [[[-4, 3], [6, 0], [-12, 4], [2, -6]], [[8, -6], [3, -9], [14, -9], [7, -7]], [[4, 1], [-9, 12], [14, 15], [-4, 1]], [[-12, -3], [1, -9], [5, -4], [0, -6]], [[3, 6], [-8, 15], [7, 5], [13, 4]]]],
               [[[[-14, 5, -5], [-6, -19, 10]], [[3, -5, -10], [-5, -35, -3]], [[12, 23, 11], [-11, -11, 1]]], [[[10, -9, -2], [-13, 3, -15]], [[6, -26, -5], [5, 11, -3]], [[-6, 0, 5], [0, 11, 8]]]],
               [9, 0, 1]),
    (2, 'valid'): ([[[[0, 2], [-4, 0], [1, -2], [0, 0]], [[-2, 1], [0, 1], [0, 2], [0, 0]], [[-2, 3], [-6, 1], [2, 1], [0, 0]], [[-4, 0], [-1, -3], [-3, 4], [0, 0]], [[0, 0], [0, 0], [0, 0], [0, 0]]], [[[0, -1], [4, -1], [-2, -1], [0, 0]], [[3, 0], [1, 2], [2, -3], [0, 0]], [[-10, 6], [2, -2], [-5, 0], [0, 0]], [[3, -1], [2, -2], [-1, -3], [0, 0]], [[0, 0], [0, 0], [0, 0], [0, 0]]]],
               [[[[2, 0, 1], [6, -2, -5]], [[-2, 0, -3], [-2, 2, 4]], [[-4, 0, -4], [2, -2, 0]]], [[[0, 3, -9], [-4, 4, -4]], [[5, -4, 0], [-2, 0, -5]], [[2, -2, 8], [-7, 2, 1]]]],
               [2, 0, 4]),
    (2, 'same'): ([[[[6, -1], [-6, 1], [8, -6], [0, 1]], [[-4, 2], [-1, 3], [0, 4], [-1, 0]], [[-2, 2], [2, -2], [-1, -3], [-2, -1]], [[3, 1], [2, 4], [3, -1], [1, 5]], [[-8, 3], [4, -1], [-4, 6], [-8, 1]]], [[[6, -6], [2, 2], [5, 3], [-2, 1]], [[-1, -1], [-2, -2], [-3, 1], [-1, -1]], [[-10, 4], [6, -2], [0, 2], [-10, 2]], [[5, -2], [2, -3], [-8, -3], [-2, 1]], [[4, -3], [0, 1], [4, 4], [-10, 1]]]],
               [[[[2, 6, 3], [-10, -1, 4]], [[1, -1, -8], [3, -1, -1]], [[-3, 0, -7], [2, -6, 2]]], [[[-15, 10, -4], [1, 8, 0]], [[9, -9, 1], [3, -2, 3]], [[8, -2, 2], [2, 7, 0]]]],
               [-4, 5, 3]),
}

_CONV_BIAS = [1.0, -2.0, 0.5]
_CONV_CASES = [(1, "valid"), (1, "same"), (2, "valid"), (2, "same")]
# what TensorFlow pads for the fixed case (x: H=5, W=4; kernel 2x3), from the table above
_CONV_PADS = {(1, "same"): "rows (0, 1), columns (1, 1)", (2, "same"): "rows (0, 1), columns (0, 1)"}


def _conv_inputs():
    return np.array(_CONV_X, dtype=np.float64), np.array(_CONV_KERNEL, dtype=np.float64), np.array(_CONV_BIAS)


def _as_patch_order(kernel: np.ndarray, order: str) -> np.ndarray:
    """A kernel of the same shape whose elements, read in the kernel's own
    (kh, kw, C_in) order, are those of *kernel* read in *order* ("cab":
    (C_in, kh, kw); "bac": (kw, kh, C_in)). A function that flattens its
    patches in *order* but the kernel as (kh, kw, C_in) gives the right
    numbers on this kernel (used only to explain a failure)."""
    kh, kw, C, F = kernel.shape
    axes = {"cab": (2, 0, 1, 3), "bac": (1, 0, 2, 3)}[order]
    return np.ascontiguousarray(kernel.transpose(axes)).reshape(kh, kw, C, F)


def _check_conv_shape(got: np.ndarray, expected_shape: tuple, name: str, what: str = "output", pads: str = "") -> None:
    if got.shape == expected_shape:
        return
    N, H, W, C = expected_shape
    if got.shape == (N, C, H, W):
        raise AssertionError(
            f"{name} has shape {got.shape}, expected {expected_shape}: that is the channels-first layout (N, C, H, W). "
            f"Keras's Conv2D is channels-last: the {what} is (N, H, W, C) with the channels on the LAST axis.")
    if len(got.shape) == 4 and got.shape[0] == N and got.shape[3] == C and what == "output":
        raise AssertionError(
            f"{name} has shape {got.shape}, expected {expected_shape}: the height and width of the output are "
            f"({got.shape[1]}, {got.shape[2]}) instead of ({H}, {W}) = (conv_output_size(H, kh, strides, padding), "
            "conv_output_size(W, kw, strides, padding))."
            + (f' With padding="same" TensorFlow pads {pads} (before, after) here, so that the output keeps ceil(n / strides) '
               "positions along each axis." if pads else ""))
    assert_shape(got, expected_shape, name)


def check_conv2d(fn: Callable, name: str = "conv2d") -> None:
    """``fn(x, kernel, bias, strides=..., padding=...)`` on a fixed batch
    (N=2, H=5, W=4, C_in=2; a 2x3 kernel with 3 filters; bias [1, -2, 0.5]),
    valid and same, strides 1 and 2, against Keras's numbers."""
    passed = []
    for s, p in _CONV_CASES:
        x, k, b = _conv_inputs()
        call = f'{name}(x, kernel, bias, strides={s}, padding="{p}")'
        got = _as_array(call_unmodified(fn, x, k, b, strides=s, padding=p, name=call), call)
        expected = np.array(_CONV_FORWARD[(s, p)])
        if not _close(got, expected):
            x, k, b = _conv_inputs()
            first = _quiet(fn, np.ascontiguousarray(x.transpose(0, 3, 1, 2)), k, b, strides=s, padding=p)
            if _close(first, expected) or _close(first, expected.transpose(0, 3, 1, 2)):
                raise AssertionError(
                    f"{call} is wrong (shape {got.shape}, expected {expected.shape}), but given x transposed to the channels-first "
                    "layout (N, C, H, W) your function computes the expected numbers: it reads x as channels-first. Keras's "
                    "Conv2D is channels-last: x is (N, H, W, C_in), H = x.shape[1], W = x.shape[2], the channels on the LAST axis.")
        _check_conv_shape(got, expected.shape, call, pads=_CONV_PADS.get((s, p), ""))
        try:
            assert_close(got, expected, rtol=1e-12, atol=1e-12, name=call)
        except AssertionError as err:
            x, k, b = _conv_inputs()
            hint = ""
            if _close(_quiet(fn, x, k[::-1, ::-1].copy(), b, strides=s, padding=p), expected):
                hint = (" With the kernel flipped (kernel[::-1, ::-1]) your function returns exactly the expected numbers, so it "
                        "flips the kernel: that is the convolution of mathematics. Keras's Conv2D computes a cross-correlation, "
                        "with no flip: out[n, i, j, f] = bias[f] + sum over a, b, c of "
                        "x_padded[n, i*strides + a, j*strides + b, c] * kernel[a, b, c, f].")
            elif _close(_quiet(fn, x, _as_patch_order(k, "cab"), b, strides=s, padding=p), expected):
                hint = (" Your function gives exactly the expected numbers for a kernel whose elements are reordered as "
                        "(C_in, kh, kw): it flattens each patch channel first while the kernel is flattened as (kh, kw, C_in). "
                        "sliding_window_view puts the window axes AFTER the channel axis; move the channel axis behind "
                        "them (.transpose(0, 1, 2, 4, 5, 3)) before reshaping the patches.")
            elif _close(_quiet(fn, x, _as_patch_order(k, "bac"), b, strides=s, padding=p), expected):
                hint = (" Your function gives exactly the expected numbers for a kernel whose elements are reordered as "
                        "(kw, kh, C_in): the patches are flattened with the window's rows and columns swapped relative "
                        "to the kernel's (kh, kw, C_in) order.")
            elif np.allclose(got + b, expected):
                hint = " Every output channel f is off by exactly -bias[f]: the bias is not added."
            elif np.allclose(got - b, expected):
                hint = " Every output channel f is off by exactly +bias[f]: the bias is added twice."
            elif p == "same" and (s, "valid") in passed:
                hint = (f' The "valid" case with strides={s} is right, so the padding differs. For this x (H=5, W=4) and 2x3 '
                        f"kernel TensorFlow pads {_CONV_PADS[(s, p)]} (before, after): when the total is odd, the extra row "
                        "or column goes at the bottom/right. Pad with pad_input, which uses your same_padding.")
            elif s == 2 and (1, p) in passed:
                hint = (" strides=1 is right but strides=2 is not: output pixel (i, j) reads the window that starts at row "
                        "i*strides and column j*strides of the padded input.")
            raise AssertionError(f"{err}{hint}") from None
        passed.append((s, p))


def check_conv2d_backward(fn: Callable, name: str = "conv2d_backward") -> None:
    """``fn(dout, x, kernel, strides=..., padding=...) -> (dx, dkernel, dbias)``
    on the fixed batch of :func:`check_conv2d` with a fixed integer dout,
    valid and same, strides 1 and 2, against TensorFlow's gradients."""
    passed = []
    for s, p in _CONV_CASES:
        x, k, _ = _conv_inputs()
        dout = np.array(_CONV_DOUT[(s, p)], dtype=np.float64)
        call = f'{name}(dout, x, kernel, strides={s}, padding="{p}")'
        result = call_unmodified(fn, dout, x, k, strides=s, padding=p, name=call)
        if not (isinstance(result, (tuple, list)) and len(result) == 3):
            raise AssertionError(f"{call} returned {type(result).__name__}: return the tuple (dx, dkernel, dbias).")
        exp_dx, exp_dk, exp_db = (np.array(a, dtype=np.float64) for a in _CONV_BACKWARD[(s, p)])
        dx, dk, db = (_as_array(r, f"{part} from {call}") for r, part in zip(result, ("dx", "dkernel", "dbias")))
        N, Ho, Wo, F = dout.shape
        shapes = [a.shape for a in (dx, dk, db)]
        if shapes != [x.shape, k.shape, (F,)] and sorted(shapes) == sorted([x.shape, k.shape, (F,)]):
            raise AssertionError(f"{call} returned arrays of shapes {shapes}: those are the right three gradients in another "
                                 f"order. Return them as (dx, dkernel, dbias), shapes {[x.shape, k.shape, (F,)]}.")

        # dbias: one number per filter
        if db.shape != (F,):
            hint = ""
            if db.shape == (Ho, Wo, F):
                hint = (" It was summed over the batch axis only. The bias is added at every output position of every example, "
                        "so dbias[f] = sum over n, i, j of dout[n, i, j, f]: sum over axes (0, 1, 2).")
            elif db.shape == (N, F):
                hint = " It was summed over the positions but not over the batch: sum over axes (0, 1, 2)."
            elif db.shape == (N, Ho, Wo):
                hint = " It was summed over the filter axis: the filters are the LAST axis of dout (channels-last); keep it."
            elif db.shape == ():
                hint = " It was summed over every axis: keep the filter axis (the last one)."
            raise AssertionError(f"dbias from {call} has shape {db.shape}, expected ({F},).{hint}")
        try:
            assert_close(db, exp_db, rtol=1e-12, atol=1e-12, name=f"dbias from {call}",
                         causes={1.0 / (N * Ho * Wo): "You averaged over the batch and the positions: sum instead (the loss's 1/N is already inside dout).",
                                 1.0 / N: "You averaged over the batch: sum instead (the loss's 1/N is already inside dout)."})
        except AssertionError as err:
            hint = ""
            for n in (N - 1, 0):
                if np.allclose(db, dout[n].sum(axis=(0, 1))):
                    hint = (f" dbias equals the sum of dout over the positions of example {n} alone. The bias is added at every "
                            "position of every example, so dbias[f] sums dout[n, i, j, f] over the batch too: axes (0, 1, 2).")
                    break
            raise AssertionError(f"{err}{hint}") from None

        # dkernel: same shape as the kernel
        if dk.shape == (F, k.shape[2], k.shape[0], k.shape[1]):
            raise AssertionError(f"dkernel from {call} has shape {dk.shape}, expected {k.shape}: that is the channels-first "
                                 "(C_out, C_in, kh, kw) layout; Keras's kernel is (kh, kw, C_in, C_out), and its gradient too.")
        assert_shape(dk, k.shape, f"dkernel from {call}")
        try:
            assert_close(dk, exp_dk, rtol=1e-12, atol=1e-12, name=f"dkernel from {call}",
                         causes={1.0 / N: "You averaged over the batch: the kernel gradient is the SUM of every example's "
                                          "contribution (the loss's 1/N is already inside dout)."})
        except AssertionError as err:
            hint = ""
            for n in (N - 1, 0):
                one = _quiet(lambda: fn(dout[n:n + 1].copy(), x[n:n + 1].copy(), k.copy(), strides=s, padding=p)[1])
                if _close(one, dk) and not _close(one, exp_dk):
                    hint = (f" dkernel equals the contribution of example {n} alone. The kernel is shared by every example "
                            "(and every position), so its gradient is the SUM over the batch: accumulate with += (or sum over axis 0), "
                            "do not overwrite.")
                    break
            if not hint and np.allclose(dk, exp_dk[::-1, ::-1]):
                hint = " It equals the expected gradient flipped (dkernel[::-1, ::-1]): dkernel[a, b] pairs dout with x_padded[n, i*s + a, j*s + b]."
            if not hint and np.allclose(dk, _as_patch_order(exp_dk, "cab")):
                hint = (" It holds the expected numbers in the order (C_in, kh, kw) reshaped as (kh, kw, C_in): the patches were "
                        "flattened channel first. sliding_window_view puts the window axes AFTER the channel axis; move the "
                        "channel axis behind them (.transpose(0, 1, 2, 4, 5, 3)) before reshaping.")
            raise AssertionError(f"{err}{hint}") from None

        # dx: same shape as x (the padding cropped away)
        if dx.ndim == 4 and dx.shape[0] == x.shape[0] and dx.shape[3] == x.shape[3] and dx.shape[1:3] != x.shape[1:3] and p == "same":
            raise AssertionError(
                f"dx from {call} has shape {dx.shape}, expected {x.shape}: with padding=\"same\" remove the rows and columns that "
                f"pad_input added (TensorFlow pads {_CONV_PADS[(s, p)]} here) before returning dx.")
        _check_conv_shape(dx, x.shape, f"dx from {call}", what="input gradient")
        try:
            assert_close(dx, exp_dx, rtol=1e-12, atol=1e-12, name=f"dx from {call}")
        except AssertionError as err:
            hint = ""
            flipped = _quiet(lambda: fn(dout.copy(), x.copy(), k[::-1, ::-1].copy(), strides=s, padding=p)[0])
            if _close(flipped, exp_dx):
                hint = (" With the kernel flipped your dx would be right, so it applies the kernel flipped: dout[n, i, j, f] goes back "
                        "to the input pixels x_padded[n, i*s + a, j*s + b, c] that produced it, with weight kernel[a, b, c, f].")
            elif _overwrites(fn, dout, x, k, s, p):
                hint = (" With dout, x and the kernel all ones, every input pixel of your dx gets the contribution of ONE window "
                        f"(the value {F}, or 0), although windows overlap here: a pixel read by several windows must receive the "
                        "SUM of their contributions. Add them (+=, np.add.at), do not assign.")
            elif p == "same" and (s, "valid") in passed:
                hint = (f' The "valid" case with strides={s} is right, so the cropping differs: TensorFlow pads {_CONV_PADS[(s, p)]} '
                        "(before, after) here; remove exactly those rows and columns from the padded gradient.")
            elif s == 2 and (1, p) in passed:
                hint = (" strides=1 is right but strides=2 is not: dout[n, i, j] goes back to the window that starts at row "
                        "i*strides and column j*strides.")
            raise AssertionError(f"{err}{hint}") from None
        passed.append((s, p))


def _overwrites(fn: Callable, dout: np.ndarray, x: np.ndarray, k: np.ndarray, s: int, p: str) -> bool:
    """True when, for dout, x and kernel all ones, fn's dx holds only 0 and
    C_out (one window's contribution per pixel) while some pixel lies in two
    windows: overlapping windows overwrite instead of adding (used only to
    explain a failure)."""
    ones = _quiet(lambda: fn(np.ones(dout.shape), np.ones(x.shape), np.ones(k.shape), strides=s, padding=p)[0])
    if ones is None or ones.shape != x.shape:
        return False
    F = k.shape[-1]
    return bool(np.all((ones == 0) | (ones == F)) and (k.shape[0] > s or k.shape[1] > s))


# ---- Exercise 8.3: is it vectorised? -----------------------------------------------

_PACKAGE = str(Path(__file__).resolve().parents[1])


def _library_file(filename: str) -> bool:
    return (filename.startswith("<frozen") or "site-packages" in filename or "dist-packages" in filename
            or filename.startswith(sys.base_prefix) or filename.startswith(sys.prefix)
            or str(Path(filename).resolve()).startswith(_PACKAGE))


def count_python_lines(fn: Callable, *args: Any, **kwargs: Any):
    """``(result, lines)``: how many lines of the caller's own Python code
    (not NumPy's, not the standard library's) ``fn(*args, **kwargs)`` ran.
    A loop over output pixels runs thousands; a vectorised function, a
    handful. The count is exact, so it does not depend on the machine."""
    count = 0

    def local(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return local

    def start(frame, event, arg):
        return None if _library_file(frame.f_code.co_filename) else local

    previous = sys.gettrace()
    sys.settrace(start)
    try:
        result = fn(*args, **kwargs)
    finally:
        sys.settrace(previous)
    return result, count


def check_vectorised(fn: Callable, name: str = "conv2d", limit: int = 300) -> None:
    """``fn(x, kernel, bias, strides=1, padding="valid")`` on a (2, 24, 24, 3)
    batch and a 3x3x3x4 kernel runs at most *limit* lines of Python (the
    2*22*22 = 968 output pixels must not be visited one by one)."""
    rng = np.random.default_rng(83)
    x, k, b = rng.normal(size=(2, 24, 24, 3)), rng.normal(size=(3, 3, 3, 4)), rng.normal(size=4)
    _, lines = count_python_lines(fn, x, k, b, strides=1, padding="valid")
    assert_true(lines <= limit,
                f"{name}(x, kernel, bias) ran {lines} lines of Python for one (2, 24, 24, 3) batch and a 3x3 kernel with 4 filters "
                f"(2 * 22 * 22 = 968 output pixels): it still visits output pixels one by one. Vectorise it as Section 5 shows; "
                f"at most {limit} lines are allowed (a loop over the kh * kw kernel offsets is fine).")


# fixed pooling cases: {label: (constructor arguments, x, expected output, expected dx for dout = 1, 2, 3, ...)}
_MAX_CASES = {
    'distinct': ({'pool_size': 3, 'strides': 2},
        [[[[-3, 30], [6, 16], [14, -26], [-22, 4], [-7, 20], [36, 34], [-10, 33]], [[-11, -14], [-20, 12], [-28, -2], [0, 23], [-19, -13], [37, 17], [-12, 5]], [[-27, -29], [31, 39], [-6, -9], [-30, -24], [-8, -4], [7, 13], [21, 35]], [[-15, 2], [-5, 32], [-21, 8], [25, 28], [22, 10], [18, -17], [-18, -23]], [[15, 9], [1, -25], [19, 27], [-16, 38], [29, 24], [-1, 11], [26, 3]]]],
        [[[[31, 39], [14, 23], [37, 35]], [[31, 39], [29, 38], [29, 35]]]],
        [[[[0, 0], [0, 0], [3, 0], [0, 0], [0, 0], [0, 0], [0, 0]], [[0, 0], [0, 0], [0, 0], [0, 4], [0, 0], [5, 0], [0, 0]], [[0, 0], [8, 10], [0, 0], [0, 0], [0, 0], [0, 0], [0, 18]], [[0, 0], [0, 0], [0, 0], [0, 0], [0, 0], [0, 0], [0, 0]], [[0, 0], [0, 0], [0, 0], [0, 10], [20, 0], [0, 0], [0, 0]]]]),
    'ties': ({'pool_size': 2},
        [[[[1], [3], [3], [0]], [[3], [2], [1], [3]], [[0], [0], [5], [5]], [[0], [0], [5], [5]]]],
        [[[[3], [3]], [[0], [5]]]],
        [[[[0], [1], [2], [0]], [[0], [0], [0], [0]], [[3], [0], [4], [0]], [[0], [0], [0], [0]]]]),
    'batch': ({'pool_size': 2},
        [[[[1, 0, 2], [2, 2, 2], [2, 2, 1], [1, 1, 0], [2, 0, 2], [0, 1, 0]], [[2, 0, 2], [1, 0, 2], [0, 1, 0], [0, 1, 2], [2, 0, 0], [2, 0, 1]], [[1, 2, 1], [0, 0, 0], [0, 2, 2], [0, 0, 2], [2, 0, 0], [2, 0, 0]], [[1, 0, 1], [1, 0, 0], [1, 1, 0], [2, 0, 1], [2, 1, 0], [0, 0, 1]]], [[[2, 0, 0], [1, 2, 2], [2, 2, 0], [0, 1, 1], [1, 0, 1], [1, 2, 0]], [[1, 1, 2], [2, 2, 0], [2, 1, 1], [0, 0, 1], [1, 1, 2], [2, 1, 1]], [[2, 1, 2], [1, 1, 0], [0, 1, 2], [0, 2, 0], [0, 2, 0], [0, 1, 1]], [[0, 0, 1], [2, 0, 2], [0, 2, 0], [1, 0, 1], [1, 0, 0], [0, 2, 0]]]],
        [[[[2, 2, 2], [2, 2, 2], [2, 1, 2]], [[1, 2, 1], [2, 2, 2], [2, 1, 1]]], [[[2, 2, 2], [2, 2, 1], [2, 2, 2]], [[2, 1, 2], [1, 2, 2], [1, 2, 1]]]],
        [[[[0, 0, 3], [1, 2, 0], [4, 5, 0], [0, 0, 0], [7, 0, 9], [0, 8, 0]], [[0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 6], [0, 0, 0], [0, 0, 0]], [[10, 11, 12], [0, 0, 0], [0, 14, 15], [0, 0, 0], [16, 0, 0], [0, 0, 0]], [[0, 0, 0], [0, 0, 0], [0, 0, 0], [13, 0, 0], [0, 17, 0], [0, 0, 18]]], [[[19, 0, 0], [0, 20, 21], [22, 23, 0], [0, 0, 24], [0, 0, 0], [0, 26, 0]], [[0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 27], [25, 0, 0]], [[28, 29, 30], [0, 0, 0], [0, 0, 33], [0, 32, 0], [0, 35, 0], [0, 0, 36]], [[0, 0, 0], [0, 0, 0], [0, 0, 0], [31, 0, 0], [34, 0, 0], [0, 0, 0]]]]),
    'overlap': ({'pool_size': 3, 'strides': 2},
        [[[[2, 0], [2, 1], [2, 2], [0, 0], [2, 2]], [[2, 2], [1, 0], [2, 2], [2, 2], [2, 1]], [[1, 2], [1, 0], [0, 0], [2, 0], [1, 0]], [[2, 0], [2, 2], [2, 1], [2, 0], [2, 2]], [[1, 2], [1, 1], [0, 1], [1, 2], [2, 0]]]],
        [[[[2, 2], [2, 2]], [[2, 2], [2, 2]]]],
        [[[[1, 0], [0, 0], [3, 6], [0, 0], [0, 0]], [[0, 0], [0, 0], [0, 0], [0, 0], [0, 0]], [[0, 6], [0, 0], [0, 0], [7, 0], [0, 0]], [[5, 0], [0, 0], [0, 0], [0, 0], [0, 8]], [[0, 0], [0, 0], [0, 0], [0, 0], [0, 0]]]]),
    'same': ({'pool_size': 2, 'strides': 2, 'padding': 'same'},
        [[[[-3], [-1], [-3], [-1], [-1]], [[-3], [-3], [-3], [-2], [-1]], [[-3], [-1], [-3], [-2], [-1]], [[-3], [-3], [-1], [-2], [-2]], [[-1], [-1], [-2], [-3], [-3]]]],
        [[[[-1], [-1], [-1]], [[-1], [-1], [-1]], [[-1], [-2], [-3]]]],
        [[[[0], [1], [0], [2], [3]], [[0], [0], [0], [0], [0]], [[0], [4], [0], [0], [6]], [[0], [0], [5], [0], [0]], [[7], [0], [8], [0], [9]]]]),
    'same3': ({'pool_size': 3, 'strides': 1, 'padding': 'same'},
        [[[[-1, -1], [-1, -3], [-1, -1], [-3, -3], [-1, -3]], [[-1, -1], [-2, -1], [-2, -1], [-2, -1], [-3, -1]], [[-1, -2], [-2, -2], [-3, -3], [-2, -1], [-3, -3]], [[-3, -2], [-1, -3], [-3, -2], [-1, -2], [-3, -1]]]],
        [[[[-1, -1], [-1, -1], [-1, -1], [-1, -1], [-1, -1]], [[-1, -1], [-1, -1], [-1, -1], [-1, -1], [-1, -1]], [[-1, -1], [-1, -1], [-1, -1], [-1, -1], [-1, -1]], [[-1, -2], [-1, -2], [-1, -1], [-1, -1], [-1, -1]]]],
        [[[[28, 32], [20, 0], [24, 48], [0, 0], [28, 0]], [[44, 46], [0, 26], [0, 28], [0, 60], [0, 0]], [[64, 66], [0, 0], [0, 0], [0, 114], [0, 0]], [[0, 0], [60, 0], [0, 0], [132, 0], [0, 0]]]]),
}
_AVG_CASES = {
    'plain': ({'pool_size': 2},
        [[[[1], [2], [3], [4]], [[5], [6], [7], [8]], [[9], [10], [11], [12]], [[13], [14], [15], [16]]]],
        [[[[3.5], [5.5]], [[11.5], [13.5]]]],
        [[[[0.25], [0.25], [0.5], [0.5]], [[0.25], [0.25], [0.5], [0.5]], [[0.75], [0.75], [1.0], [1.0]], [[0.75], [0.75], [1.0], [1.0]]]]),
    'batch': ({'pool_size': 2},
        [[[[1, 2, 2], [4, 0, 3], [2, 2, 1], [2, 4, 2], [3, 0, 2], [4, 3, 2]], [[3, 3, 2], [0, 3, 3], [3, 2, 3], [1, 1, 0], [4, 0, 3], [0, 1, 0]], [[1, 1, 0], [1, 1, 0], [2, 0, 2], [0, 0, 1], [3, 1, 0], [4, 0, 2]], [[0, 0, 1], [3, 1, 2], [1, 3, 4], [2, 0, 1], [2, 1, 4], [3, 0, 1]]], [[[1, 3, 1], [0, 0, 2], [2, 4, 2], [4, 2, 0], [3, 0, 4], [2, 3, 4]], [[3, 3, 2], [4, 3, 2], [3, 0, 0], [3, 3, 2], [4, 2, 2], [0, 3, 2]], [[4, 2, 0], [4, 2, 3], [2, 0, 1], [2, 3, 4], [4, 1, 0], [1, 0, 1]], [[4, 4, 1], [0, 1, 2], [2, 2, 4], [3, 2, 1], [1, 2, 1], [4, 2, 3]]]],
        [[[[2.0, 2.0, 2.5], [2.0, 2.25, 1.5], [2.75, 1.0, 1.75]], [[1.25, 0.75, 0.75], [1.25, 0.75, 2.0], [3.0, 0.5, 1.75]]], [[[2.0, 2.25, 1.75], [3.0, 2.25, 1.0], [2.25, 2.0, 3.0]], [[3.0, 2.25, 1.5], [2.25, 1.75, 2.5], [2.5, 1.25, 1.25]]]],
        [[[[0.25, 0.5, 0.75], [0.25, 0.5, 0.75], [1.0, 1.25, 1.5], [1.0, 1.25, 1.5], [1.75, 2.0, 2.25], [1.75, 2.0, 2.25]], [[0.25, 0.5, 0.75], [0.25, 0.5, 0.75], [1.0, 1.25, 1.5], [1.0, 1.25, 1.5], [1.75, 2.0, 2.25], [1.75, 2.0, 2.25]], [[2.5, 2.75, 3.0], [2.5, 2.75, 3.0], [3.25, 3.5, 3.75], [3.25, 3.5, 3.75], [4.0, 4.25, 4.5], [4.0, 4.25, 4.5]], [[2.5, 2.75, 3.0], [2.5, 2.75, 3.0], [3.25, 3.5, 3.75], [3.25, 3.5, 3.75], [4.0, 4.25, 4.5], [4.0, 4.25, 4.5]]], [[[4.75, 5.0, 5.25], [4.75, 5.0, 5.25], [5.5, 5.75, 6.0], [5.5, 5.75, 6.0], [6.25, 6.5, 6.75], [6.25, 6.5, 6.75]], [[4.75, 5.0, 5.25], [4.75, 5.0, 5.25], [5.5, 5.75, 6.0], [5.5, 5.75, 6.0], [6.25, 6.5, 6.75], [6.25, 6.5, 6.75]], [[7.0, 7.25, 7.5], [7.0, 7.25, 7.5], [7.75, 8.0, 8.25], [7.75, 8.0, 8.25], [8.5, 8.75, 9.0], [8.5, 8.75, 9.0]], [[7.0, 7.25, 7.5], [7.0, 7.25, 7.5], [7.75, 8.0, 8.25], [7.75, 8.0, 8.25], [8.5, 8.75, 9.0], [8.5, 8.75, 9.0]]]]),
    'overlap': ({'pool_size': 2, 'strides': 1},
        [[[[2, 2], [1, 0], [1, 0], [2, 1], [1, 3]], [[2, 4], [0, 0], [3, 0], [3, 4], [3, 1]], [[2, 1], [4, 4], [0, 4], [1, 3], [3, 3]], [[4, 4], [2, 1], [4, 2], [0, 4], [2, 0]]]],
        [[[[1.25, 1.5], [1.25, 0.0], [2.25, 1.25], [2.25, 2.25]], [[2.0, 2.25], [1.75, 2.0], [1.75, 2.75], [2.5, 2.75]], [[3.0, 2.5], [2.5, 2.75], [1.25, 3.25], [1.5, 2.5]]]],
        [[[[0.25, 0.5], [1.0, 1.5], [2.0, 2.5], [3.0, 3.5], [1.75, 2.0]], [[2.5, 3.0], [6.0, 7.0], [8.0, 9.0], [10.0, 11.0], [5.5, 6.0]], [[6.5, 7.0], [14.0, 15.0], [16.0, 17.0], [18.0, 19.0], [9.5, 10.0]], [[4.25, 4.5], [9.0, 9.5], [10.0, 10.5], [11.0, 11.5], [5.75, 6.0]]]]),
    'same': ({'pool_size': 3, 'strides': 2, 'padding': 'same'},
        [[[[1], [2], [3], [4]], [[5], [6], [7], [8]], [[9], [10], [11], [12]], [[13], [14], [15], [16]]]],
        [[[[6.0], [7.5]], [[12.0], [13.5]]]],
        [[[[0.1111111111111111], [0.1111111111111111], [0.4444444444444444], [0.3333333333333333]], [[0.1111111111111111], [0.1111111111111111], [0.4444444444444444], [0.3333333333333333]], [[0.6111111111111112], [0.6111111111111112], [1.9444444444444444], [1.3333333333333333]], [[0.5], [0.5], [1.5], [1.0]]]]),
    'same2': ({'pool_size': 2, 'padding': 'same'},
        [[[[0, 2], [2, 3], [4, 3], [4, 1], [2, 0]], [[0, 3], [4, 3], [4, 3], [3, 4], [4, 4]], [[2, 4], [3, 3], [4, 0], [1, 0], [3, 3]], [[3, 0], [2, 4], [4, 1], [4, 0], [3, 4]], [[2, 2], [3, 1], [0, 0], [3, 4], [3, 1]]]],
        [[[[1.5, 2.75], [3.75, 2.75], [3.0, 2.0]], [[2.5, 2.75], [3.25, 0.25], [3.0, 3.5]], [[2.5, 1.5], [1.5, 2.0], [3.0, 1.0]]]],
        [[[[0.25, 0.5], [0.25, 0.5], [0.75, 1.0], [0.75, 1.0], [2.5, 3.0]], [[0.25, 0.5], [0.25, 0.5], [0.75, 1.0], [0.75, 1.0], [2.5, 3.0]], [[1.75, 2.0], [1.75, 2.0], [2.25, 2.5], [2.25, 2.5], [5.5, 6.0]], [[1.75, 2.0], [1.75, 2.0], [2.25, 2.5], [2.25, 2.5], [5.5, 6.0]], [[6.5, 7.0], [6.5, 7.0], [7.5, 8.0], [7.5, 8.0], [17.0, 18.0]]]]),
}
_GAP_CASE = ([[[[3, -1, 2, 0, 2], [0, 3, -3, 1, -1], [-2, -3, -1, 2, 2], [-3, -2, -1, -3, 0]], [[0, -1, 1, 2, 1], [-1, 0, 2, -1, -1], [1, -2, -2, 3, -1], [0, -1, 1, 3, -1]], [[-1, 2, 0, -2, -2], [-1, -3, 1, -1, -3], [3, -2, -1, -2, 0], [2, 3, 3, 2, 3]]], [[[3, -1, 3, 3, 1], [0, 3, 2, 1, -2], [-2, 0, 0, 0, -2], [1, 2, -1, 2, -1]], [[3, 2, 3, 2, -2], [0, -3, 3, 1, -2], [-3, -3, -3, 3, 2], [-3, -3, 3, -1, -1]], [[1, 0, 0, 3, -2], [-3, 1, 3, 0, -2], [3, -3, 1, -1, 3], [1, 2, 3, -2, 3]]]],
    [[0.08333333333333333, -0.5833333333333334, 0.16666666666666666, 0.3333333333333333, -0.08333333333333333], [0.08333333333333333, -0.25, 1.4166666666666667, 0.9166666666666666, -0.4166666666666667]],
    [[[[0.08333333333333333, 0.16666666666666666, 0.25, 0.3333333333333333, 0.4166666666666667], [0.08333333333333333, 0.16666666666666666, 0.25, 0.3333333333333333, 0.4166666666666667], [0.08333333333333333, 0.16666666666666666, 0.25, 0.3333333333333333, 0.4166666666666667], [0.08333333333333333, 0.16666666666666666, 0.25, 0.3333333333333333, 0.4166666666666667]], [[0.08333333333333333, 0.16666666666666666, 0.25, 0.3333333333333333, 0.4166666666666667], [0.08333333333333333, 0.16666666666666666, 0.25, 0.3333333333333333, 0.4166666666666667], [0.08333333333333333, 0.16666666666666666, 0.25, 0.3333333333333333, 0.4166666666666667], [0.08333333333333333, 0.16666666666666666, 0.25, 0.3333333333333333, 0.4166666666666667]], [[0.08333333333333333, 0.16666666666666666, 0.25, 0.3333333333333333, 0.4166666666666667], [0.08333333333333333, 0.16666666666666666, 0.25, 0.3333333333333333, 0.4166666666666667], [0.08333333333333333, 0.16666666666666666, 0.25, 0.3333333333333333, 0.4166666666666667], [0.08333333333333333, 0.16666666666666666, 0.25, 0.3333333333333333, 0.4166666666666667]]], [[[0.5, 0.5833333333333334, 0.6666666666666666, 0.75, 0.8333333333333334], [0.5, 0.5833333333333334, 0.6666666666666666, 0.75, 0.8333333333333334], [0.5, 0.5833333333333334, 0.6666666666666666, 0.75, 0.8333333333333334], [0.5, 0.5833333333333334, 0.6666666666666666, 0.75, 0.8333333333333334]], [[0.5, 0.5833333333333334, 0.6666666666666666, 0.75, 0.8333333333333334], [0.5, 0.5833333333333334, 0.6666666666666666, 0.75, 0.8333333333333334], [0.5, 0.5833333333333334, 0.6666666666666666, 0.75, 0.8333333333333334], [0.5, 0.5833333333333334, 0.6666666666666666, 0.75, 0.8333333333333334]], [[0.5, 0.5833333333333334, 0.6666666666666666, 0.75, 0.8333333333333334], [0.5, 0.5833333333333334, 0.6666666666666666, 0.75, 0.8333333333333334], [0.5, 0.5833333333333334, 0.6666666666666666, 0.75, 0.8333333333333334], [0.5, 0.5833333333333334, 0.6666666666666666, 0.75, 0.8333333333333334]]]])


# ---- Exercises 8.5 and 8.6: pooling -------------------------------------------------

def _ctor(cls_name: str, kwargs: dict) -> str:
    return f"{cls_name}({', '.join(f'{k}={v!r}' for k, v in kwargs.items())})"


def _run_pool(cls: type, cls_name: str, kwargs: dict, x_list, y_list, dx_list):
    """Build the layer, run forward and backward on the case; return
    (layer name, x, out, expected out, dout, dx, expected dx) with shapes checked."""
    ctor = _ctor(cls_name, kwargs)
    x = np.array(x_list, dtype=np.float64)
    expected, exp_dx = np.array(y_list, dtype=np.float64), np.array(dx_list, dtype=np.float64)
    layer = cls(**kwargs)
    out = _as_array(call_unmodified(layer.forward, x, name=f"{ctor}.forward(x)"), f"{ctor}.forward(x)")
    N, H, W, C = x.shape
    if out.shape != expected.shape:
        hint = ""
        if out.shape == (N, C) + expected.shape[1:3]:
            hint = " That is the channels-first layout: Keras's pooling layers are channels-last, (N, H_out, W_out, C)."
        elif kwargs.get("strides") is None and out.ndim == 4 and out.shape[1:3] == (H - kwargs["pool_size"] + 1, W - kwargs["pool_size"] + 1):
            hint = " Those are the sizes for strides=1: strides=None means strides = pool_size (Keras's default), windows side by side."
        elif out.ndim == 4 and out.shape[0] == N and out.shape[3] == C:
            hint = (f" The window count per axis is conv_output_size(n, pool_size, strides, padding) as for a convolution "
                    f"(for H = {H}: {expected.shape[1]}, for W = {W}: {expected.shape[2]}).")
        raise AssertionError(f"{ctor}.forward(x) with x of shape {x.shape} has shape {out.shape}, expected {expected.shape}.{hint}")
    dout = np.arange(1.0, expected.size + 1).reshape(expected.shape)
    dx = _as_array(call_unmodified(layer.backward, dout, name=f"{ctor}.backward(dout)"), f"{ctor}.backward(dout)")
    if dx.shape != x.shape:
        hint = " Remove the padding rows/columns before returning dx." if kwargs.get("padding") == "same" else ""
        raise AssertionError(f"{ctor}.backward(dout) has shape {dx.shape}, expected the input's shape {x.shape}.{hint}")
    return ctor, x, out, expected, dout, dx, exp_dx


# what TensorFlow pads for the fixed padding="same" pooling cases (before, after)
_MAX_PADS = {"same": "rows (0, 1), columns (0, 1)", "same3": "rows (1, 1), columns (1, 1)"}


def check_max_pooling(cls: type, name: str = "MaxPooling2D") -> None:
    """A MaxPooling2D layer class on fixed cases: distinct values (no ties)
    with overlapping windows (pool 3, stride 2), tied maxima, a batch with 3
    channels and default strides, overlapping windows with ties, and
    padding="same" on negative inputs; forward values and the gradient
    TensorFlow routes (each window's gradient to its first maximum in
    row-major order, summed where windows overlap)."""
    for label, (kwargs, x_list, y_list, dx_list) in _MAX_CASES.items():
        ctor, x, out, expected, dout, dx, exp_dx = _run_pool(cls, name, kwargs, x_list, y_list, dx_list)
        try:
            assert_close(out, expected, rtol=0, atol=0, name=f"{ctor}.forward(x)")
        except AssertionError as err:
            hint = ""
            if label.startswith("same") and np.any(out == 0) and not np.any(expected == 0):
                hint = (" Every input here is negative, yet an output is 0: the padding won the max. Pad with -inf "
                        "(pad_input(..., value=-np.inf)) so that a padded cell never wins.")
            raise AssertionError(f"{err}{hint}") from None
        try:
            assert_close(dx, exp_dx, rtol=0, atol=0, name=f"{ctor}.backward(dout) with dout = 1, 2, 3, ... (one number per window)")
        except AssertionError as err:
            total, want = float(dx.sum()), float(dout.sum())
            p = kwargs["pool_size"]
            if np.isclose(total, want * p * p):
                hint = (f" dx sums to {_fmt(total)} = pool_size² times the sum of dout: the gradient went to every element of "
                        "each window. Only the maximum affected the output, so only it gets the window's gradient.")
            elif total > want and label == "distinct":
                hint = (f" dx sums to {_fmt(total)}, more than dout's {_fmt(want)}: some window gave its gradient to more than one "
                        "element. Only the window's maximum affected the output (no value occurs twice here), so only it "
                        "gets the window's gradient.")
            elif total > want:
                hint = (f" dx sums to {_fmt(total)}, more than dout's {_fmt(want)}: some window gave its gradient to more than one "
                        "element. Where a maximum is tied, TensorFlow gives it to ONE element: the first maximum in row-major order "
                        "(rows top to bottom, each left to right), which is what np.argmax over the flattened window returns.")
            elif total < want:
                overlap = (kwargs.get("strides") or p) < p
                hint = f" dx sums to {_fmt(total)}, less than dout's {_fmt(want)}: some gradient was lost."
                if overlap:
                    hint += (" Windows overlap here (strides < pool_size): an element can be the maximum of two windows and "
                             "must receive both gradients: add (+=, np.add.at), do not assign.")
                if label in _MAX_PADS:
                    hint += (f"{' Or some' if overlap else ' Some'} of it landed in rows or columns that were cropped away: TensorFlow "
                             f"pads {_MAX_PADS[label]} (before, after) here; crop exactly those from the padded gradient.")
            elif label == "distinct":
                hint = (" The total is right, so the gradients went to the wrong elements. No value occurs twice here, so ties "
                        "play no role: the gradient of output (i, j) goes to the maximum of the window that starts at row "
                        "i*strides, column j*strides; with k its index in the window flattened as (row, column), that is row "
                        "k // pool_size, column k % pool_size of the window.")
            else:
                hint = (" The total is right, so the gradients went to the wrong elements. Where a maximum is tied, TensorFlow "
                        "chooses the first maximum in row-major order (rows top to bottom, each row left to right) — what "
                        "np.argmax over the window flattened as (row, column) returns.")
            raise AssertionError(f"{err}{hint}") from None


def check_average_pooling(cls: type, name: str = "AveragePooling2D") -> None:
    """An AveragePooling2D layer class on fixed cases: default strides, a batch
    with 3 channels, overlapping windows, and padding="same" (TensorFlow
    averages over the real pixels of each window only)."""
    for label, (kwargs, x_list, y_list, dx_list) in _AVG_CASES.items():
        ctor, x, out, expected, dout, dx, exp_dx = _run_pool(cls, name, kwargs, x_list, y_list, dx_list)
        p = kwargs["pool_size"]
        same = " With padding=\"same\" TensorFlow divides each window's sum by the number of REAL pixels in it: the padding " \
               "is left out of the average (a window at the bottom-right edge may hold fewer than pool_size² pixels)."
        try:
            assert_close(out, expected, rtol=1e-12, atol=1e-12, name=f"{ctor}.forward(x)")
        except AssertionError as err:
            raise AssertionError(f"{err}{same if label.startswith('same') else ''}") from None
        try:
            assert_close(dx, exp_dx, rtol=1e-12, atol=1e-12, name=f"{ctor}.backward(dout) with dout = 1, 2, 3, ... (one number per window)",
                         causes={float(p * p): "Each window's gradient must be divided by the number of pixels it averaged "
                                               "(the output is their sum divided by that count)."})
        except AssertionError as err:
            hint = same if label.startswith("same") else ""
            if label == "overlap":
                hint = " Windows overlap here (strides=1): a pixel in two windows receives a share of both gradients (add them)."
            raise AssertionError(f"{err}{hint}") from None


def check_global_average_pooling(cls: type, name: str = "GlobalAveragePooling2D") -> None:
    """A GlobalAveragePooling2D layer class on a fixed (2, 3, 4, 5) batch."""
    x_list, y_list, dx_list = _GAP_CASE
    x, expected, exp_dx = (np.array(a, dtype=np.float64) for a in (x_list, y_list, dx_list))
    layer = cls()
    call = f"{name}().forward(x) with x of shape {x.shape}"
    out = _as_array(call_unmodified(layer.forward, x, name=call), call)
    if out.shape != expected.shape:
        hint = ""
        if out.shape in ((2, 3), (2, 4)):
            hint = " It averaged over the channel axis: channels-last images keep the channels on axis 3; average over axes 1 and 2."
        elif out.shape == (2, 1, 1, 5):
            hint = " Keras's GlobalAveragePooling2D drops the two spatial axes (keepdims=False)."
        raise AssertionError(f"{call} has shape {out.shape}, expected {expected.shape} (N, C).{hint}")
    assert_close(out, expected, rtol=1e-12, atol=1e-12, name=call)
    dout = np.arange(1.0, 11.0).reshape(2, 5)
    dx = _as_array(call_unmodified(layer.backward, dout, name=f"{name}().backward(dout)"), f"{name}().backward(dout)")
    assert_shape(dx, x.shape, f"{name}().backward(dout)")
    assert_close(dx, exp_dx, rtol=1e-12, atol=1e-12, name=f"{name}().backward(dout) with dout = [[1, ..., 5], [6, ..., 10]]",
                 causes={12.0: "The output is a mean over H * W = 12 pixels, so each pixel receives dout / 12."})
