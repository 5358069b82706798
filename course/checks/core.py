"""The checking helper behind every visible and hidden test.

Each function raises ``AssertionError`` with a message in the learner's terms
(what was expected, what came back, where the first difference is, and a hint
when the mistake has a recognisable shape), and returns ``None`` on success.
Nothing is printed and nothing is written to stderr: nbgrader scores a test
cell that writes to stderr 0. ``NotImplementedError`` from an unfinished stub
always passes through untouched.

    from course import checks
    checks.assert_close(weighted_sum(x, w, b), 1.5, name="weighted_sum(x, w, b)")
"""

from __future__ import annotations

import warnings
from typing import Any, Callable

import numpy as np

__all__ = [
    "assert_close",
    "assert_equal",
    "assert_shape",
    "assert_dtype",
    "assert_finite",
    "assert_rows_sum_to_one",
    "assert_true",
    "call_quietly",
    "call_unmodified",
    "install_warning_policy",
    "not_attempted",
]


def _fmt(value: Any, precision: int = 6) -> str:
    arr = np.asarray(value)
    if arr.ndim == 0:
        if np.issubdtype(arr.dtype, np.floating):
            return f"{float(arr):.{precision}g}"
        return np.array2string(arr, precision=precision, floatmode="maxprec", suppress_small=False)
    text = np.array2string(arr, precision=6, threshold=12, edgeitems=3, separator=", ", floatmode="maxprec", suppress_small=False)
    return " ".join(text.split())


def _as_array(got: Any, name: str) -> np.ndarray:
    if got is None:
        raise AssertionError(f"{name} returned None: did you forget the `return` statement?")
    try:
        arr = np.asarray(got)
    except Exception as exc:  # ragged lists, objects numpy cannot hold
        raise AssertionError(f"{name} returned {type(got).__name__}, which is not array-like ({exc})") from None
    if arr.dtype == object:
        raise AssertionError(f"{name} returned {type(got).__name__} holding Python objects, expected numbers")
    return arr


def assert_shape(got: Any, expected_shape: tuple, name: str = "result") -> None:
    """The result has exactly *expected_shape* (use () for a scalar)."""
    arr = _as_array(got, name)
    expected_shape = tuple(expected_shape)
    if arr.shape != expected_shape:
        hint = ""
        if arr.shape == expected_shape[::-1] and len(expected_shape) > 1:
            hint = " It looks transposed: check the order of the matrix product or the axis you reduced over."
        elif arr.size == int(np.prod(expected_shape)):
            hint = " Same number of elements: a missing or extra dimension (keepdims? reshape? (N,) vs (N, 1))."
        elif len(arr.shape) < len(expected_shape):
            hint = " A dimension is missing: did you reduce over an axis you should have kept?"
        elif len(arr.shape) > len(expected_shape):
            hint = " There is an extra dimension: did you forget to reduce (sum/mean), or did broadcasting add one?"
        raise AssertionError(f"{name} has shape {arr.shape}, expected {expected_shape}.{hint}")


def assert_dtype(got: Any, kind: str = "float", name: str = "result") -> None:
    """The result's dtype is of *kind*: "float" (any floating type), "float64",
    "int" or "bool"."""
    arr = _as_array(got, name)
    ok = {
        "float": np.issubdtype(arr.dtype, np.floating),
        "float64": arr.dtype == np.float64,
        "int": np.issubdtype(arr.dtype, np.integer),
        "bool": arr.dtype == np.bool_,
    }[kind]
    if not ok:
        raise AssertionError(f"{name} has dtype {arr.dtype}, expected {kind}. Convert with .astype(np.float64) if you compared values.")


def assert_finite(got: Any, name: str = "result") -> None:
    """No NaN and no infinity anywhere."""
    arr = _as_array(got, name).astype(np.float64, copy=False)
    bad = ~np.isfinite(arr)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0]) if arr.ndim else ()
        kind = "NaN" if np.isnan(arr[where] if arr.ndim else arr) else "inf"
        raise AssertionError(
            f"{name} contains {kind} ({int(bad.sum())} of {arr.size} elements, first at index {where}). "
            "NaN/inf comes from an overflow (e.g. exp of a large input), a division by zero (0/0 is NaN) or the square root or log of a negative number."
        )


def _diagnose(arr: np.ndarray, exp: np.ndarray, rtol: float, atol: float, causes: dict | None = None) -> str:
    """What the whole array shows (every value negated, transposed, scaled by
    one factor, shifted by one amount) — a fact about the numbers, never a
    guessed cause. *causes* maps a factor (e.g. ``0.5``) or ``"offset"`` to the
    exercise's own explanation, added only when that factor is what we see."""
    if arr.shape != exp.shape or arr.size == 0:
        return ""
    causes = causes or {}
    if np.allclose(arr, -exp, rtol=rtol, atol=atol) and not np.allclose(exp, 0):
        return " Every value has the wrong sign." + (" " + causes["sign"] if "sign" in causes else "")
    if exp.ndim == 2 and exp.shape[0] == exp.shape[1] and np.allclose(arr, exp.T, rtol=rtol, atol=atol):
        return " It equals the expected matrix transposed."
    nz = np.abs(exp) > max(atol, 1e-12)
    if nz.sum() >= 2:
        ratio = arr[nz] / exp[nz]
        if (np.allclose(ratio, ratio[0], rtol=1e-6) and abs(ratio[0]) > 1e-12 and not np.isclose(ratio[0], 1.0)
                and np.allclose(arr[~nz], 0.0, rtol=0, atol=max(atol, 1e-12))):
            text = f" Every value is {ratio[0]:.6g} times the expected one."
            for factor, why in causes.items():
                if isinstance(factor, (int, float)) and np.isclose(ratio[0], factor, rtol=1e-6):
                    text += " " + why
            return text
        diff = arr - exp
        if np.allclose(diff, diff.flat[0], rtol=1e-6, atol=atol) and not np.isclose(diff.flat[0], 0, atol=atol):
            return f" Every value is off by the same amount ({diff.flat[0]:.6g})." + (" " + causes["offset"] if "offset" in causes else "")
    return ""


def assert_close(got: Any, expected: Any, name: str = "result", rtol: float = 1e-7, atol: float = 1e-9,
                 causes: dict | None = None) -> None:
    """Same shape as *expected*, all values finite where expected is, and equal
    within ``|got - expected| <= atol + rtol * |expected|``. On failure the
    message names the element with the largest difference (its index, both
    values with enough digits to tell them apart) and how many differ.
    *causes*: see :func:`_diagnose`."""
    arr = _as_array(got, name)
    exp = np.asarray(expected)
    assert_shape(arr, exp.shape, name)
    if not (np.issubdtype(arr.dtype, np.number) or arr.dtype == np.bool_):
        raise AssertionError(f"{name} has dtype {arr.dtype}, expected numbers")
    arr64 = arr.astype(np.float64)
    exp64 = exp.astype(np.float64)
    expected_finite = np.isfinite(exp64)
    if expected_finite.all():
        assert_finite(arr64, name)
    close = np.isclose(arr64, exp64, rtol=rtol, atol=atol, equal_nan=True)
    if close.all():
        return
    with np.errstate(all="ignore"):
        excess = np.where(close, -np.inf, np.abs(arr64 - exp64) - (atol + rtol * np.abs(exp64)))
    excess = np.where(np.isnan(excess), np.inf, excess)
    worst = np.unravel_index(int(np.argmax(excess)), arr64.shape) if arr64.ndim else ()
    g, e = arr64[worst], exp64[worst]
    precision = 6
    while precision < 17 and _fmt(g, precision) == _fmt(e, precision):
        precision += 2
    with np.errstate(all="ignore"):
        delta = g - e
    where = f"{name}{list(int(i) for i in worst)}" if arr64.ndim else name
    count = f" ({int((~close).sum())} of {arr64.size} elements differ by more than atol={atol:g} + rtol={rtol:g}*|expected|; this one differs most)" if arr64.ndim else ""
    raise AssertionError(
        f"{where} is {_fmt(g, precision)}, expected {_fmt(e, precision)} (difference {float(delta):.3g}){count}."
        + _diagnose(arr64 if arr64.ndim else arr64.reshape(1), exp64 if exp64.ndim else exp64.reshape(1), rtol, atol, causes)
    )


def assert_equal(got: Any, expected: Any, name: str = "result") -> None:
    """Exactly equal values and shape (for labels, masks, counts)."""
    arr = _as_array(got, name)
    exp = np.asarray(expected)
    assert_shape(arr, exp.shape, name)
    same = arr == exp
    if not np.all(same):
        if arr.ndim == 0:
            precision = 6
            while precision < 17 and _fmt(arr, precision) == _fmt(exp, precision):
                precision += 2
            raise AssertionError(f"{name} is {_fmt(arr, precision)}, expected {_fmt(exp, precision)}.")
        idx = tuple(int(i) for i in np.argwhere(~np.asarray(same))[0])
        precision = 6
        while precision < 17 and _fmt(arr[idx], precision) == _fmt(exp[idx], precision):
            precision += 2
        raise AssertionError(
            f"{name}{list(idx)} is {_fmt(arr[idx], precision)}, expected {_fmt(exp[idx], precision)} "
            f"({int((~np.asarray(same)).sum())} of {arr.size} elements differ)."
        )


def assert_rows_sum_to_one(got: Any, name: str = "result", axis: int = -1, atol: float = 1e-9) -> None:
    """Probabilities: no negative values, and each row (along *axis*) sums to 1."""
    arr = _as_array(got, name).astype(np.float64)
    assert_finite(arr, name)
    if (arr < -atol).any():
        raise AssertionError(f"{name} has negative values ({_fmt(arr.min())}): probabilities must be >= 0.")
    sums = arr.sum(axis=axis)
    bad = ~np.isclose(sums, 1.0, atol=atol, rtol=0)
    if bad.any():
        first = tuple(int(i) for i in np.argwhere(bad)[0]) if sums.ndim else ()
        other = arr.sum(axis=0 if axis in (-1, arr.ndim - 1) else -1)
        hint = ""
        if arr.ndim == 2 and np.allclose(other, 1.0, atol=atol):
            hint = " The columns sum to 1 instead: you normalised over the wrong axis."
        raise AssertionError(
            f"rows of {name} must sum to 1, but row {list(first)} sums to {_fmt(sums[first] if sums.ndim else sums)}.{hint}"
        )


def assert_true(condition: Any, message: str) -> None:
    """A plain check with a learner-facing message."""
    if not bool(condition):
        raise AssertionError(message)


def call_quietly(fn: Callable, *args: Any, name: str | None = None, **kwargs: Any) -> Any:
    """Call ``fn(*args, **kwargs)`` and turn any NumPy floating-point warning
    (overflow in exp, divide by zero, invalid value) into an AssertionError
    that names it, instead of a warning on stderr."""
    label = name or getattr(fn, "__name__", "function")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with np.errstate(all="warn", under="ignore"):  # underflow to 0 is harmless (exp(-2000) == 0.0)
            result = fn(*args, **kwargs)
    numeric = [w for w in caught if issubclass(w.category, RuntimeWarning)]
    if numeric:
        text = str(numeric[0].message)
        why = (
            "Large inputs must not overflow: rewrite it in a numerically stable form." if "overflow" in text
            else "Something was divided by zero, or log(0) was taken." if "divide by zero" in text
            else "A NaN was produced (0/0, inf - inf, or log/sqrt of a negative number)." if "invalid value" in text
            else ""
        )
        raise AssertionError(f"{label} raised a NumPy warning: {text}. {why}".rstrip())
    return result


def not_attempted(exercise: str) -> str:
    """The message of an untouched stub (the release writes
    ``raise NotImplementedError(...)`` with it into every learner stub)."""
    return f"Exercise {exercise} is not attempted yet: replace `raise NotImplementedError` with your code, then run this cell and its test cell."


def call_unmodified(fn: Callable, *args: Any, name: str | None = None, **kwargs: Any) -> Any:
    """Call ``fn(*args, **kwargs)`` and fail with "modified its input in place"
    if any NumPy array argument (or an array inside a dict argument) changed.
    The caller computes its reference values from its own copies, so a
    function that mutates its input is reported as that, not as a wrong
    value."""
    label = name or getattr(fn, "__name__", "function")

    def arrays(value, path):
        if isinstance(value, np.ndarray):
            yield path, value
        elif isinstance(value, dict):
            for key, item in value.items():
                yield from arrays(item, f"{path}[{key!r}]")
        elif isinstance(value, (list, tuple)):
            for k, item in enumerate(value):
                yield from arrays(item, f"{path}[{k}]")

    names = [f"argument {k + 1}" for k in range(len(args))] + [f"argument {key!r}" for key in kwargs]
    watched = [(p, a, a.copy()) for n, v in zip(names, (*args, *kwargs.values())) for p, a in arrays(v, n)]
    result = fn(*args, **kwargs)
    for path, array, before in watched:
        if array.shape != before.shape or not np.array_equal(array, before, equal_nan=True):
            raise AssertionError(
                f"{label} modified its input in place ({path} changed). Compute a new array instead "
                "(e.g. `param - step`, not `param -= step`): the caller still needs the old values."
            )
    return result


_NUMERIC_WARNINGS = ("overflow encountered", "divide by zero encountered", "invalid value encountered")


def _policy_showwarning(message, category, filename, lineno, file=None, line=None):
    text = str(message)
    if issubclass(category, RuntimeWarning) and any(k in text for k in _NUMERIC_WARNINGS):
        raise FloatingPointError(
            f"NumPy warned: {text} (in {filename}, line {lineno}). The course treats this as an error: with large "
            "inputs a formula must not overflow, divide by zero or produce NaN. Rewrite it in a numerically stable form."
        )
    import sys

    short = filename.rsplit("/site-packages/", 1)[-1]
    print(f"(a {category.__name__} from {short}:{lineno}, which costs no points: {text.splitlines()[0] if text else ''})", file=sys.stdout)


def install_warning_policy() -> None:
    """The course's warnings policy, installed by every chapter's setup cell.

    * NumPy's floating-point warnings (overflow, divide by zero, invalid value
      i.e. NaN) become a ``FloatingPointError`` that names them: the exercises
      forbid them, and a test fails with that message.
    * Every other warning (a Keras hint, a library deprecation) is printed as
      one line on stdout, never on stderr — nbgrader scores a test cell that
      writes to stderr 0, so a library's warning must never cost a correct
      answer its points.
    Underflow to 0 is harmless and stays silent (NumPy's default). A cell that
    wants to *show* an overflow wraps it in ``np.errstate(over="ignore")`` or
    ``warnings.catch_warnings()``.
    """
    warnings.showwarning = _policy_showwarning
    warnings.simplefilter("default")
    warnings.filterwarnings("always", category=RuntimeWarning)
    # NumPy 2 asks every __array__ to accept copy=; TensorFlow's variables do
    # not yet, so converting a Keras weight warns on every call: noise.
    warnings.filterwarnings("ignore", message=r"__array__ implementation doesn't accept a copy keyword", category=DeprecationWarning)
