"""Fuzzing every public function of ``ml_infra.preprocessing`` with hostile values.

Invariants: only the package's own errors escape (and they also subclass
``ValueError``/``TypeError``, with a message that can be printed and valid
positions); inputs are never mutated; where a reference exists (exact
``Fraction`` arithmetic, NumPy), results equal it.
"""

from __future__ import annotations

import math
import typing
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from ml_infra.preprocessing import (
    ConstantDataError,
    EmptyDataError,
    OutOfRangeError,
    PreprocessingError,
    check_data_types,
    check_missing_values,
    clip_outliers,
    ensure_1d,
    normalize,
    standardize,
    validate_range,
)

from tests.fuzz.strategies import (
    data,
    exact,
    exact_reals,
    fingerprint,
    fuzz_settings,
    parameters,
)

DATA = data()  # built once: building the hostile strategy tree per example is slow
NAN_POLICY = parameters("raise", "omit")
INCLUSIVE = parameters("both", "neither", "left", "right")
BOUND = parameters(None, 0, 1, -1.5, 2**53, 10**400, Fraction(1, 3), Decimal("0.1"))

CALLS = {
    "normalize": (
        normalize,
        st.fixed_dictionaries(
            {},
            optional={
                "feature_range": parameters((0, 1), (-1, 1), (0, 10**400), (1e308, -1e308)),
                "nan_policy": NAN_POLICY,
            },
        ),
    ),
    "standardize": (
        standardize,
        st.fixed_dictionaries(
            {}, optional={"ddof": parameters(0, 1, 2, np.int8(1)), "nan_policy": NAN_POLICY}
        ),
    ),
    "clip_outliers": (
        clip_outliers,
        st.fixed_dictionaries(
            {},
            optional={
                "lower_percentile": parameters(0, 5, 50.5, 100),
                "upper_percentile": parameters(0, 95, 100),
                "method": parameters("linear", "lower", "nearest", "median_unbiased"),
                "nan_policy": NAN_POLICY,
            },
        ),
    ),
    "validate_range": (
        validate_range,
        st.fixed_dictionaries(
            {}, optional={"min_value": BOUND, "max_value": BOUND, "inclusive": INCLUSIVE}
        ),
    ),
    "check_missing_values": (check_missing_values, st.just({})),
    "check_data_types": (
        check_data_types,
        st.fixed_dictionaries(
            {},
            optional={
                "expected": parameters(
                    None, int, float, str, bool, (int, float), int | str, typing.Any, list[int]
                )
            },
        ),
    ),
    "ensure_1d": (
        ensure_1d,
        st.fixed_dictionaries(
            {}, optional={"name": parameters("y_true"), "func": parameters(None, "accuracy")}
        ),
    ),
}


def call_checked(func: typing.Callable[..., typing.Any], value: object, kwargs: dict) -> object:
    """Call ``func``; return its result or its (checked) package error; inputs must stay as given."""
    before = fingerprint(value), {k: fingerprint(v) for k, v in kwargs.items()}
    try:
        result: object = func(value, **kwargs)
    except PreprocessingError as exc:  # anything else escapes and fails the test
        result = exc
    if isinstance(result, PreprocessingError):
        assert isinstance(result, ValueError | TypeError)
        assert isinstance(str(result), str)
        positions = getattr(result, "positions", ())
        assert list(positions) == sorted(set(positions))
        assert all(type(p) is int and p >= 0 for p in positions)
    assert (fingerprint(value), {k: fingerprint(v) for k, v in kwargs.items()}) == before
    return result


class TestOnlyOwnErrors:
    @pytest.mark.parametrize("name", sorted(CALLS))
    @fuzz_settings()
    @given(draw=st.data())
    def test_hostile_data_and_parameters(self, name, draw):
        """Any data and any parameters: a result or a package error, and nothing mutated."""
        func, kwargs = CALLS[name]
        call_checked(func, draw.draw(DATA, label="data"), draw.draw(kwargs, label="kwargs"))


# float16/float32 scalars make NumPy compute in their precision: not the float64 reference.
finite_lists = st.lists(
    exact_reals(finite_float=True).filter(
        lambda v: not isinstance(v, np.floating) or v.dtype == np.float64
    ),
    min_size=1,
    max_size=30,
)
float_arrays = st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=1, max_size=30)


def _sqrt(value: Fraction) -> Fraction:
    """The square root of a positive Fraction to float precision, at any magnitude."""
    half = (value.numerator.bit_length() - value.denominator.bit_length()) // 2
    return Fraction(math.sqrt(value / Fraction(4) ** half)) * Fraction(2) ** half


def _floats(values: list) -> np.ndarray:
    """The float64 values the functions compute with (each correctly rounded)."""
    return np.array([float(v) for v in values], dtype=np.float64)


class TestMatchesReference:
    @fuzz_settings()
    @given(values=finite_lists, wrap=st.sampled_from([list, tuple, np.asarray]))
    def test_normalize_is_the_numpy_expression(self, values, wrap):
        """normalize equals (x - min) / (max - min) on the float64 values, bit for bit."""
        x = _floats(values)
        span = float(x.max()) - float(x.min())
        assume(math.isfinite(span))
        data_ = wrap(values) if wrap is not np.asarray else x
        result = call_checked(normalize, data_, {})
        if span == 0:
            assert isinstance(result, ConstantDataError)
            return
        np.testing.assert_array_equal(np.asarray(result, dtype=float), (x - x.min()) / span)

    @fuzz_settings()
    @given(values=finite_lists, ddof=st.sampled_from([0, 1]))
    def test_standardize_matches_exact_arithmetic(self, values, ddof):
        """standardize agrees with exact Fraction arithmetic on the float64 values."""
        x = _floats(values)
        exact_x = [Fraction(v) for v in x.tolist()]
        n = len(exact_x)
        result = call_checked(standardize, values, {"ddof": ddof})
        if n <= ddof:
            assert isinstance(result, EmptyDataError)
            return
        mean = sum(exact_x, Fraction(0)) / n
        variance = sum(((v - mean) ** 2 for v in exact_x), Fraction(0)) / (n - ddof)
        if variance == 0:
            assert isinstance(result, ConstantDataError)
            return
        expected = [float((v - mean) / _sqrt(variance)) for v in exact_x]
        assert not isinstance(result, Exception), result
        np.testing.assert_allclose(result, expected, rtol=1e-9, atol=1e-9)

    @fuzz_settings()
    @given(
        values=float_arrays,
        low=st.floats(0, 100),
        high=st.floats(0, 100),
        method=st.sampled_from(["linear", "lower", "higher", "nearest", "midpoint"]),
    )
    def test_clip_outliers_is_numpy(self, values, low, high, method):
        """clip_outliers equals numpy.clip at numpy.percentile's bounds."""
        low, high = sorted((low, high))
        x = np.asarray(values)
        with np.errstate(over="ignore", invalid="ignore"):
            bounds = np.percentile(x, [low, high], method=method)
        assume(np.isfinite(bounds).all())
        result = call_checked(
            clip_outliers, x, {"lower_percentile": low, "upper_percentile": high, "method": method}
        )
        np.testing.assert_array_equal(result, np.clip(x, bounds[0], bounds[1]))

    @fuzz_settings()
    @given(
        values=st.lists(exact_reals() | st.sampled_from([None, math.nan]), max_size=20),
        as_array=st.booleans(),
        lo=st.none() | exact_reals(),
        hi=st.none() | exact_reals(),
        inclusive=st.sampled_from(["both", "neither", "left", "right"]),
    )
    def test_validate_range_compares_exactly(self, values, as_array, lo, hi, inclusive):
        """validate_range reports exactly the values outside the bounds (exact comparison)."""
        assume(lo is None or hi is None or exact(lo) <= exact(hi))
        data_: object = values
        if as_array and all(type(v) is int for v in values):  # int64, uint64, float64 or object
            data_ = np.asarray(values)
            values = data_.tolist()  # the reference is what the array holds
        result = call_checked(
            validate_range, data_, {"min_value": lo, "max_value": hi, "inclusive": inclusive}
        )

        def inside(v: object) -> bool:
            if v is None or (isinstance(v, float) and math.isnan(v)):
                return False
            e = exact(v)
            left = lo is None or (
                e >= exact(lo) if inclusive in ("both", "left") else e > exact(lo)
            )
            right = hi is None or (
                e <= exact(hi) if inclusive in ("both", "right") else e < exact(hi)
            )
            return left and right

        expected = tuple(i for i, v in enumerate(values) if not inside(v))
        if expected:
            assert isinstance(result, OutOfRangeError), result
            assert result.positions == expected
        else:
            assert result is data_

    @fuzz_settings()
    @given(
        values=st.lists(
            exact_reals()
            | st.sampled_from([None, math.nan, Decimal("NaN"), Decimal("sNaN"), pd.NA, pd.NaT])
            | st.sampled_from([np.datetime64("NaT"), np.float32("nan"), "x", True]),
            max_size=20,
        )
    )
    def test_check_missing_values_finds_every_marker(self, values):
        """check_missing_values lists exactly the None, NaN, NA and NaT positions."""

        def missing(v: object) -> bool:
            if v is None or v is pd.NA or v is pd.NaT:
                return True
            if isinstance(v, Decimal):
                return v.is_nan()
            if isinstance(v, np.datetime64):
                return bool(np.isnat(v))
            return isinstance(v, float | np.floating) and math.isnan(v)

        result = call_checked(check_missing_values, values, {})
        assert result == [i for i, v in enumerate(values) if missing(v)]

    @fuzz_settings()
    @given(
        values=st.lists(
            exact_reals() | st.sampled_from([None, math.nan, "x", True, b"y"]), max_size=20
        )
    )
    def test_check_data_types_counts_and_finds(self, values):
        """check_data_types counts every type and lists the values that are not real numbers."""
        report = call_checked(check_data_types, values, {})
        counts: dict[str, int] = {}
        for v in values:
            counts[type(v).__name__] = counts.get(type(v).__name__, 0) + 1
        assert dict(report.counts) == counts
        not_real = [
            i
            for i, v in enumerate(values)
            if v is None
            or isinstance(v, str | bytes | bool)
            or (isinstance(v, float) and math.isnan(v))
        ]
        assert report.positions == tuple(not_real)

    @fuzz_settings()
    @given(values=st.lists(exact_reals(), max_size=20))
    def test_ensure_1d_keeps_every_value(self, values):
        """ensure_1d gives one entry per item, equal to it (exactly, for ints and objects)."""
        arr = call_checked(ensure_1d, values, {})
        assert arr.shape == (len(values),)
        for got, want in zip(arr.tolist(), values, strict=True):
            assert got == want or exact(got) == Fraction(float(want))
