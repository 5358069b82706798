"""Checks that belong to Chapter 7 (initialization and regularization). They
hold no answer: only statistics any correct sample must have, fixed
expected numbers, and messages that name a mistake's cause."""

from __future__ import annotations

import numpy as np

from .core import _fmt, assert_dtype, assert_finite, assert_shape, assert_true

__all__ = ["check_variance_scaling", "check_seeded", "TRUNCATED_NORMAL_STDDEV_FACTOR"]

#: The standard deviation of a standard normal truncated at +-2, as Keras writes it.
TRUNCATED_NORMAL_STDDEV_FACTOR = 0.87962566103423978

# Fraction of a sample within one (final) standard deviation of 0, per distribution.
_WITHIN_ONE_STD = {
    "uniform": 1.0 / np.sqrt(3.0),                 # 0.5774
    "truncated_normal": 0.650537,                  # P(|z| < 0.8796) / P(|z| < 2)
    "untruncated_normal": 0.682689,                # P(|z| < 1)
}


def _fans(shape) -> tuple[float, float]:
    """Keras's compute_fans (without input_axes/output_axes)."""
    shape = tuple(int(s) for s in shape)
    if len(shape) < 1:
        return 1.0, 1.0
    if len(shape) == 1:
        return float(shape[0]), float(shape[0])
    receptive = float(np.prod(shape[:-2])) if len(shape) > 2 else 1.0
    return shape[-2] * receptive, shape[-1] * receptive


def _mode_fan(shape, mode: str) -> float:
    fan_in, fan_out = _fans(shape)
    return max(1.0, {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}[mode])


def check_variance_scaling(w, shape, scale: float, mode: str, distribution: str, name: str = "variance_scaling(...)",
                           rtol: float = 0.02) -> None:
    """*w* is a sample that ``keras.initializers.VarianceScaling(scale, mode,
    distribution)`` could have drawn for *shape*: right shape and dtype, mean
    0, standard deviation sqrt(scale / fan) within *rtol*, and the shape of
    the distribution (its bound, and the fraction of values within one
    standard deviation). On failure the message names the cause when the
    numbers show one (the variance used as the standard deviation, another
    mode's fan, the missing 0.8796 correction, a uniform where a normal was
    asked, ...)."""
    assert_shape(w, tuple(shape), name)
    assert_dtype(w, "float64", name)
    assert_finite(w, name)
    w = np.asarray(w, dtype=np.float64)
    fan = _mode_fan(shape, mode)
    target = float(np.sqrt(scale / fan))
    got = float(w.std())
    n = w.size
    largest = float(np.abs(w).max())
    piled = int((np.abs(w) == largest).sum())
    assert_true(piled <= 10 or largest == 0,
                f"{piled} values of {name} sit exactly at +-{_fmt(largest)}: clipping (np.clip) piles values up on the "
                "bound. Draw values from the distribution itself; truncated_normal redraws the values that fall "
                "beyond the bound.")
    if not np.isclose(got, target, rtol=rtol, atol=0):
        causes = []
        match = min(rtol, 0.01)          # a cause is named only when the numbers show it clearly

        def near(value):
            return np.isclose(got, value, rtol=match, atol=0)

        for other in ("fan_in", "fan_out", "fan_avg"):
            other_fan = _mode_fan(shape, other)
            if other != mode and other_fan != fan and near(np.sqrt(scale / other_fan)):
                causes.append(f"It matches mode={other!r} (fan = {other_fan:g}) instead of mode={mode!r} (fan = {fan:g}); "
                              "for a kernel of shape (fan_in, fan_out) fan_in is shape[0], fan_out shape[1] and fan_avg their mean.")
        if mode == "fan_avg" and near(target / np.sqrt(2.0)):
            causes.append("That is target / sqrt(2): fan_avg is the MEAN (fan_in + fan_out) / 2, not the sum.")
        if near(scale / fan):
            causes.append(f"It equals scale / fan = {_fmt(scale / fan)}, the VARIANCE: numpy's normal and a uniform's limit "
                          "take a standard deviation (or a bound), so take the square root of scale / fan.")
        if distribution == "truncated_normal" and near(target * TRUNCATED_NORMAL_STDDEV_FACTOR):
            causes.append("That is 0.8796 times the target: cutting a normal at 2 standard deviations shrinks its standard "
                          "deviation by 0.87962566, so Keras draws with stddev = sqrt(scale / fan) / 0.87962566103423978.")
        if distribution == "truncated_normal" and near(target / TRUNCATED_NORMAL_STDDEV_FACTOR):
            causes.append("That is target / 0.8796: the standard deviation of a normal with stddev = sqrt(scale / fan) / 0.8796 "
                          "that was NOT truncated. Redraw every value beyond 2 * stddev; the truncation brings the standard "
                          "deviation back down to sqrt(scale / fan).")
        if distribution != "truncated_normal" and near(target / TRUNCATED_NORMAL_STDDEV_FACTOR):
            causes.append(f"That is target / 0.8796: the correction belongs to distribution='truncated_normal' only, "
                          f"not to {distribution!r}.")
        if distribution == "uniform" and near(target / np.sqrt(3.0)):
            causes.append("A uniform on [-limit, limit] has standard deviation limit / sqrt(3): the limit is "
                          "sqrt(3 * scale / fan), not sqrt(scale / fan).")
        if scale != 1.0 and near(np.sqrt(1.0 / fan)):
            causes.append(f"It equals sqrt(1 / fan): the scale ({scale:g}) was not used.")
        bound = 2.0 * target / TRUNCATED_NORMAL_STDDEV_FACTOR
        if not causes and distribution == "truncated_normal" and n >= 10000 and largest < 0.98 * bound:
            causes.append(f"That is {got / target:.4g} times the target, and no value lies beyond {largest / target:.3g} target "
                          f"standard deviations, while Keras truncates at 2 * stddev = {bound / target:.3g} of them "
                          "(stddev = sqrt(scale / fan) / 0.8796): the truncation bound is too small.")
        if not causes:
            causes.append(f"That is {got / target:.4g} times the target.")
        raise AssertionError(
            f"the standard deviation of {name} is {_fmt(got)}, expected sqrt(scale / fan) = sqrt({scale:g} / {fan:g}) = "
            f"{_fmt(target)} (within {rtol:.0%}). " + " ".join(causes)
        )
    mean_tol = 5.0 * target / np.sqrt(n)
    assert_true(abs(float(w.mean())) <= mean_tol,
                f"the mean of {name} is {_fmt(float(w.mean()))}, expected 0 (within {_fmt(mean_tol)} for {n} values): "
                "the weights must be centred on 0.")
    within = float((np.abs(w) < got).mean())
    shape_names = {"uniform": "a uniform", "truncated_normal": "a normal truncated at 2 standard deviations",
                   "untruncated_normal": "a normal"}
    closest = min(_WITHIN_ONE_STD, key=lambda d: abs(_WITHIN_ONE_STD[d] - within))
    tol = max(0.012, 5.0 * np.sqrt(0.25 / n))
    if abs(within - _WITHIN_ONE_STD[distribution]) > tol:
        look = f" That is what {shape_names[closest]} gives." if closest != distribution else ""
        raise AssertionError(
            f"{within:.1%} of the values of {name} lie within one standard deviation of 0; "
            f"{shape_names[distribution]} has {_WITHIN_ONE_STD[distribution]:.1%} (a uniform "
            f"{_WITHIN_ONE_STD['uniform']:.1%}, a normal truncated at 2 standard deviations "
            f"{_WITHIN_ONE_STD['truncated_normal']:.1%}, a normal {_WITHIN_ONE_STD['untruncated_normal']:.1%}).{look} "
            f"distribution={distribution!r} asks for "
            f"{shape_names[distribution]}."
        )
    if distribution == "truncated_normal":
        bound = 2.0 * target / TRUNCATED_NORMAL_STDDEV_FACTOR
        assert_true(largest <= bound * (1 + 1e-12),
                    f"{name} has a value {_fmt(largest)} beyond the truncation bound 2 * stddev = {_fmt(bound)} "
                    f"(stddev = sqrt(scale / fan) / 0.8796 = {_fmt(bound / 2)}): truncated_normal redraws every value "
                    "farther than 2 stddev from 0.")
        assert_true(n < 10000 or largest >= 0.98 * bound,
                    f"the largest |value| of {name} is {_fmt(largest)}, but {n} draws from a normal truncated at "
                    f"2 * stddev = {_fmt(bound)} come within 2% of that bound: the truncation point is too small "
                    "(truncate at 2 * stddev with stddev = sqrt(scale / fan) / 0.8796).")
    elif distribution == "uniform":
        limit = float(np.sqrt(3.0 * scale / fan))
        assert_true(largest <= limit * (1 + 1e-12),
                    f"{name} has a value {_fmt(largest)} beyond the uniform's limit sqrt(3 * scale / fan) = {_fmt(limit)}.")
        assert_true(n < 10000 or largest >= 0.99 * limit,
                    f"the largest |value| of {name} is {_fmt(largest)}; {n} uniform draws on [-limit, limit] come within "
                    f"1% of limit = sqrt(3 * scale / fan) = {_fmt(limit)}.")
    else:
        assert_true(largest > 2.5 * got,
                    f"the largest |value| of {name} is only {largest / got:.2f} standard deviations: {n} draws from a "
                    "normal that is not truncated reach beyond 3.5 (distribution='untruncated_normal' is a plain normal).")


def check_seeded(draw, name: str = "variance_scaling") -> None:
    """``draw(seed)`` returns an array drawn with *seed*: an int gives the same
    values every time, another int other values, and a NumPy Generator is used
    as it is (two draws from one generator differ, and equal those of a fresh
    generator with the same seed, in order)."""
    a, b = np.asarray(draw(3)), np.asarray(draw(3))
    assert_true(a.shape == b.shape and np.array_equal(a, b),
                f"{name} with seed=3 gave different values on two calls: draw from nn.rng_from(seed) (a generator made "
                "from the seed), never from np.random directly or from a generator made without the seed.")
    c = np.asarray(draw(4))
    assert_true(not np.array_equal(a, c),
                f"{name} gave the same values for seed=3 and seed=4: the seed is not used (make the generator with "
                "nn.rng_from(seed)).")
    gen = np.random.default_rng(5)
    try:
        first, second = np.asarray(draw(gen)), np.asarray(draw(gen))
    except (TypeError, ValueError) as error:
        raise AssertionError(
            f"{name} with seed=np.random.default_rng(5), a Generator, raised {type(error).__name__}: {error}. The seed may "
            "be an int, None or a Generator: make the generator with nn.rng_from(seed), which returns a Generator "
            "unchanged (np.random.seed accepts only ints)."
        ) from None
    assert_true(not np.array_equal(first, second),
                f"two calls of {name} with the same Generator as seed gave the same values: a Generator passed as seed "
                "must be used as it is, so that its stream moves on (nn.rng_from(seed) returns it unchanged).")
    again = np.random.default_rng(5)
    assert_true(np.array_equal(first, np.asarray(draw(again))) and np.array_equal(second, np.asarray(draw(again))),
                f"{name} with seed=np.random.default_rng(5) must give the same values as another default_rng(5): draw "
                "all the randomness from that generator.")
