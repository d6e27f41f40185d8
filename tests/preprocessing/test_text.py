"""Tests of the safe describer: messages about hostile values never fail (issue 14)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from ml_infra.preprocessing import (
    DataTypeError,
    ParameterError,
    PreprocessingError,
    check_data_types,
    normalize,
    standardize,
    validate_range,
)
from ml_infra.preprocessing._text import describe, number_text, safe_repr

from tests.fuzz.strategies import RaisingRepr


class TestMessagesAboutHostileValues:
    @pytest.mark.parametrize(
        ("call", "error", "message"),
        [
            (
                lambda: normalize([1.0, RaisingRepr()]),
                DataTypeError,
                "normalize: data must hold only real numbers, found 1 other value at positions "
                "[1] (first: <unrepresentable RaisingRepr object: repr raised Boom>)",
            ),
            (
                lambda: standardize([1.0, 2.0], ddof=RaisingRepr()),
                ParameterError,
                "standardize: ddof must be a non-negative int, got <unrepresentable RaisingRepr object: repr raised Boom>",
            ),
            (
                lambda: normalize([1.0, 2.0], nan_policy=RaisingRepr()),
                ParameterError,
                "normalize: nan_policy must be 'raise' or 'omit', got <unrepresentable RaisingRepr object: repr raised Boom>",
            ),
            (
                lambda: normalize([1.0, 2.0], feature_range=RaisingRepr()),
                ParameterError,
                "normalize: feature_range must be a pair (min, max), got <unrepresentable RaisingRepr object: repr raised Boom>",
            ),
            (
                lambda: validate_range([1.0], 0, 2, inclusive=RaisingRepr()),
                ParameterError,
                "validate_range: inclusive must be 'both', 'neither', 'left' or 'right', "
                "got <unrepresentable RaisingRepr object: repr raised Boom>",
            ),
            (
                lambda: check_data_types([1], expected=(int, RaisingRepr())),
                ParameterError,
                "check_data_types: expected must be a type or a tuple of types usable with "
                "isinstance(), got <unrepresentable tuple object: repr raised Boom>, which is not a type",
            ),
            (
                lambda: standardize([1.0, -(10**5000)]),
                PreprocessingError,
                "standardize: data contains 1 value too large for a float (beyond ±1.8e308) "
                "at positions [1]",
            ),
        ],
    )
    def test_message_survives_a_raising_repr(self, call, error, message):
        """The package's error, not the object's, with a placeholder where the repr would be."""
        with pytest.raises(error) as info:
            call()
        assert str(info.value) == message


class TestDescribers:
    @pytest.mark.parametrize(
        ("value", "text"),
        [
            ("2", "'2'"),
            (np.float64(1.5), "1.5"),
            (10**400, "1e+400"),
            pytest.param(-(10**5000), "-1e+5000", id="int-beyond-str-limit"),
            (2**62 + 1, "4611686018427387905"),
            ("x" * 40, "'" + "x" * 26 + "..."),
            (RaisingRepr(), "<unrepresentable RaisingRepr object: repr raised Boom>"),
        ],
    )
    def test_safe_repr(self, value, text):
        """safe_repr is short, exact for ints up to 30 digits, and never raises."""
        assert safe_repr(value) == text

    @pytest.mark.parametrize(
        ("value", "text"),
        [
            (np.float32(1.5), "float 1.5"),
            (np.timedelta64(1, "D"), "timedelta datetime.timedelta(days=1)"),
        ],
    )
    def test_describe_names_the_python_value(self, value, text):
        """NumPy scalars are described by the Python value they hold."""
        assert describe(value) == text

    @pytest.mark.parametrize(
        ("value", "text"),
        [
            (1.0, "1"),
            (0.5, "0.5"),
            (1 / 3, "0.3333333333333333"),
            (2**53 + 1, "9007199254740993"),
            (Fraction(1, 3), "1/3"),
            (Fraction(4, 2), "2"),
            (Decimal("0.1"), "0.1"),
            (np.int64(-7), "-7"),
        ],
    )
    def test_number_text_shows_bounds_exactly(self, value, text):
        """Bounds are shown without hiding the digits an exact comparison depends on."""
        assert number_text(value) == text
