"""Tests of the numeric gate: extended precision and odd elements (issue 14)."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from ml_infra.preprocessing import (
    DataTypeError,
    InfiniteValueError,
    clip_outliers,
    normalize,
    standardize,
    validate_range,
)

from tests.fuzz.strategies import LyingFloat, RaisingFloat

LD = np.longdouble
EXTENDED = np.finfo(LD).nmant > np.finfo(np.float64).nmant
needs_extended = pytest.mark.skipif(not EXTENDED, reason="numpy.longdouble is float64 here")


@needs_extended
class TestExtendedPrecision:
    @pytest.mark.parametrize(
        ("func", "data"),
        [
            (normalize, [LD(1), LD(1) + LD(2) ** -60]),  # was [nan, inf]
            (normalize, [LD(0), LD("1e309"), LD("2e309")]),  # was all zeros
            (standardize, [LD("1e-4000"), LD("2e-4000"), LD("3e-4000")]),  # was ConstantDataError
            (standardize, [LD("-1e4000"), LD(0), LD("1e4000")]),  # was NaN
            (clip_outliers, [LD(1), LD(2), LD(3)]),  # returned longdoubles
            (clip_outliers, np.array([1, 2, 3], dtype=LD)),
            (validate_range, np.array([1, 2, 3], dtype=LD)),
        ],
    )
    def test_extended_precision_is_refused_naming_the_dtype(self, func, data):
        """longdouble input is a DataTypeError naming its dtype, never a wrong number."""
        with pytest.raises(DataTypeError) as info:
            func(data)
        assert str(info.value) == (
            f"{func.__name__}: data has dtype {np.dtype(LD).name} (extended precision), which "
            "is not supported; convert it explicitly, e.g. with "
            "numpy.asarray(data, dtype=numpy.float64)"
        )
        assert info.value.positions == (0, 1, 2)[: len(data)]

    @pytest.mark.parametrize("func", [normalize, standardize, clip_outliers, validate_range])
    def test_longdouble_among_other_objects_is_refused(self, func):
        """A longdouble inside an object array is refused too, with its position."""
        data = np.empty(2, dtype=object)
        data[:] = [1.5, LD(1) + LD(2) ** -60]
        with pytest.raises(DataTypeError, match=r"extended precision") as info:
            func(data)
        assert info.value.positions == (1,)

    def test_converted_data_is_accepted(self):
        """The conversion the message suggests works (the rounding is the caller's choice)."""
        data = np.array([0, 1, 2], dtype=LD)
        assert normalize(np.asarray(data, dtype=np.float64)).tolist() == [0.0, 0.5, 1.0]


class TestOddElements:
    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (
                np.array([np.timedelta64(1, "D"), 2.0], dtype=object),
                "normalize: data must hold only real numbers, found 1 other value at positions "
                "[0] (first: timedelta datetime.timedelta(days=1))",
            ),
            (
                [1.0, RaisingFloat(), 2.0],
                "normalize: data must hold only real numbers, found 1 unconvertible value at "
                "positions [1] (first: RaisingFloat <tests.fuzz.strategies.Rais...; "
                "float() raised Boom)",
            ),
            (
                [LyingFloat(), 1.0],
                "normalize: data must hold only real numbers, found 1 unconvertible value at "
                "positions [0] (first: LyingFloat <tests.fuzz.strategies.Lyin...; "
                "float() raised TypeError)",
            ),
        ],
    )
    def test_odd_elements_are_data_type_errors(self, data, message):
        """Durations and numbers whose __float__ raises or lies are DataTypeErrors at their positions."""
        with pytest.raises(DataTypeError) as info:
            normalize(data)
        assert str(info.value) == message

    def test_validate_range_reports_unconvertible_numbers(self):
        """validate_range reads exact values too: a raising __float__ is a DataTypeError."""
        with pytest.raises(DataTypeError, match=r"1 unconvertible value at positions \[1\]"):
            validate_range([0.5, RaisingFloat()], 0, 1)

    @pytest.mark.parametrize("huge", [Decimal("1e400"), Decimal("-2e999")])
    def test_decimals_beyond_float_range_are_too_large(self, huge):
        """A finite Decimal beyond the float range is 'too large', like 10**400 (not 'infinite')."""
        with pytest.raises(InfiniteValueError, match=r"1 value too large for a float .* \[1\]"):
            standardize([1.0, huge, 2.0])
