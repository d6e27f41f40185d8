"""Tests of the one-value helpers: what is a real number, its float, its exact value."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from ml_infra.preprocessing._scalars import exact_value, is_integer, is_real_number, to_float


class TestClassification:
    @pytest.mark.parametrize(
        ("value", "real", "integer"),
        [
            (3, True, True),
            (np.uint64(3), True, True),
            (2.5, True, False),
            (Fraction(1, 3), True, False),
            (Decimal("0.1"), True, False),
            (True, False, False),
            (np.bool_(True), False, False),
            (np.timedelta64(1, "D"), False, False),  # a numpy.signedinteger, but a duration
            (np.datetime64("2024-01-01"), False, False),
            (1j, False, False),
            ("1", False, False),
        ],
    )
    def test_real_numbers_and_integers(self, value, real, integer):
        """Bools and durations are neither real numbers nor integers here."""
        assert is_real_number(value) is real
        assert is_integer(value) is integer


class TestConversions:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            (2**53 + 1, 2**53 + 1),
            (Decimal("0.1"), Fraction(1, 10)),
            (np.float32(0.1), float(np.float32(0.1))),
            (np.longdouble(1) + np.longdouble(2) ** -60, Fraction(2**60 + 1, 2**60)),
            (Decimal("-Infinity"), -math.inf),
        ],
    )
    def test_exact_value_does_not_round(self, value, expected):
        """exact_value keeps every digit (longdouble and Decimal included)."""
        if np.finfo(np.longdouble).nmant <= 52 and isinstance(value, np.longdouble):
            pytest.skip("numpy.longdouble is float64 here")
        assert exact_value(value) == expected

    @pytest.mark.parametrize("value", [10**400, Fraction(10**400, 3), Decimal("1e400")])
    def test_to_float_refuses_to_overflow(self, value):
        """A finite value beyond the float range is an OverflowError, not infinity."""
        with pytest.raises(OverflowError):
            to_float(value)

    def test_to_float_of_a_signalling_nan(self):
        """A signalling Decimal NaN is NaN, not an InvalidOperation."""
        assert math.isnan(to_float(Decimal("sNaN")))
