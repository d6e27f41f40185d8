"""Tests of ``validate_range`` and ``check_data_types``."""

from __future__ import annotations

import typing
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from ml_infra.preprocessing import (
    OutOfRangeError,
    ParameterError,
    TypeReport,
    check_data_types,
    validate_range,
)

KINDS = [list, tuple, np.array, pd.Series]


class TestValidateRange:
    @pytest.mark.parametrize("kind", KINDS)
    def test_valid_data_is_returned_as_is(self, kind):
        """Data within the bounds comes back as the same object."""
        data = kind([0.0, 0.5, 1.0])
        assert validate_range(data, 0, 1) is data

    @pytest.mark.parametrize("kind", KINDS)
    def test_violations_report_positions_and_count(self, kind):
        """The error says how many values fail and where."""
        with pytest.raises(OutOfRangeError) as info:
            validate_range(kind([0.5, -1.0, 0.2, 3.0]), 0, 1)
        assert info.value.positions == (1, 3)
        assert info.value.count == 2
        assert info.value.min_value == 0.0
        assert info.value.max_value == 1.0
        assert str(info.value) == (
            "validate_range: 2 of 4 values are outside [0, 1] at positions [1, 3]"
        )

    def test_one_sided(self):
        """A None bound leaves that side open."""
        assert validate_range([-5, 100], None, 100) == [-5, 100]
        with pytest.raises(OutOfRangeError, match=r"outside \[0, inf\) at positions \[0\]"):
            validate_range([-5, 100], 0)

    def test_nan_fails(self):
        """NaN and None are never within a range, and the message says so."""
        with pytest.raises(OutOfRangeError, match=r"\(2 of them missing/NaN\)") as info:
            validate_range([0.5, float("nan"), None], 0, 1)
        assert info.value.positions == (1, 2)

    def test_masked_entries_fail(self):
        """Masked entries are missing values, so they are never within a range."""
        with pytest.raises(OutOfRangeError, match=r"\(1 of them missing/NaN\)") as info:
            validate_range(np.ma.array([1.0, 2.0, 3.0], mask=[0, 1, 0]), 0, 5)
        assert info.value.positions == (1,)

    @pytest.mark.parametrize(
        ("inclusive", "positions"),
        [("both", ()), ("neither", (0, 2)), ("left", (2,)), ("right", (0,))],
    )
    def test_inclusive(self, inclusive, positions):
        """inclusive decides whether the bounds themselves are allowed."""
        data = [0.0, 0.5, 1.0]
        if not positions:
            assert validate_range(data, 0, 1, inclusive=inclusive) is data
            return
        with pytest.raises(OutOfRangeError) as info:
            validate_range(data, 0, 1, inclusive=inclusive)
        assert info.value.positions == positions

    def test_long_position_lists_are_elided(self):
        """Messages show ten positions and the total, the error keeps all."""
        with pytest.raises(OutOfRangeError, match=r", \.\.\. \(25 in all\)\]") as info:
            validate_range(np.arange(25.0), 100, 200)
        assert info.value.count == 25

    def test_bad_inclusive(self):
        """An unknown inclusive value is a ParameterError."""
        with pytest.raises(ParameterError, match="inclusive must be"):
            validate_range([1.0], 0, 2, inclusive="all")


class TestCheckDataTypes:
    def test_mixed_list(self):
        """Counts by type name in order of appearance; positions of non-numbers."""
        report = check_data_types([1, 2.5, "3", None, True])
        assert dict(report.counts) == {"int": 1, "float": 1, "str": 1, "NoneType": 1, "bool": 1}
        assert report.positions == (2, 3, 4)
        assert report.count == 3
        assert not report.ok
        assert not report.is_consistent
        assert str(report) == (
            "3 of 5 values are not real numbers, at positions [2, 3, 4] "
            "(types: int: 1, float: 1, str: 1, NoneType: 1, bool: 1)"
        )

    def test_all_numbers(self):
        """Ints, floats, numpy scalars, fractions and decimals are real numbers."""
        report = check_data_types([1, 2.0, np.float32(3), Fraction(1, 2), Decimal("0.5")])
        assert report.ok
        assert report.count == 0
        assert str(report).startswith("all 5 values are real numbers")

    def test_nan_is_not_a_valid_number(self):
        """Missing values (NaN) are reported under the default expectation."""
        assert check_data_types([1.0, float("nan")]).positions == (1,)
        assert check_data_types(np.array([1.0, np.nan])).positions == (1,)

    def test_expected_types(self):
        """expected= checks isinstance against the given type(s)."""
        report = check_data_types(["a", "b", 3], expected=str)
        assert report.positions == (2,)
        assert report.expected == "str"
        assert check_data_types([1, "a"], expected=(int, str)).ok

    def test_union_types(self):
        """A union such as int | str works like the tuple (int, str)."""
        report = check_data_types([1, "a", 2.5], expected=int | str)
        assert report.positions == (2,)
        assert report.expected == "int or str"

    def test_bools_do_not_match_int(self):
        """True is not an int here unless bool is expected."""
        assert check_data_types([1, True], expected=int).positions == (1,)
        assert check_data_types([True], expected=bool).ok

    @pytest.mark.parametrize(
        ("arr", "counts", "positions"),
        [
            (np.arange(3), {"int64": 3}, ()),
            (np.array([True, False]), {"bool": 2}, (0, 1)),
            (np.array(["a", "b"]), {"str_": 2}, (0, 1)),
            (np.array([], dtype=float), {}, ()),
        ],
    )
    def test_typed_arrays(self, arr, counts, positions):
        """A typed array is judged by its dtype's scalar type."""
        report = check_data_types(arr)
        assert dict(report.counts) == counts
        assert report.positions == positions
        assert report.size == arr.size

    @pytest.mark.parametrize(
        ("arr", "expected", "ok"),
        [
            (np.array([1, 2]), int, True),
            (np.array([1.0], dtype=np.float32), float, True),
            (np.array([True, False]), bool, True),
            (np.array([True, False]), int, False),
            (np.array([1.0]), int, False),
            (np.array([1], dtype=np.uint8), np.uint8, True),
        ],
    )
    def test_typed_arrays_match_python_types(self, arr, expected, ok):
        """A typed array's values match the Python type of their scalars (bools stay apart)."""
        report = check_data_types(arr, expected=expected)
        assert report.ok is ok
        assert report.positions == (() if ok else tuple(range(arr.size)))

    def test_decimal_nan_is_missing(self):
        """Decimal NaN is a missing value like float NaN under the default expectation."""
        assert check_data_types([Decimal("NaN"), Decimal(1)]).positions == (0,)

    def test_series_object(self):
        """An object Series is inspected element by element, by position."""
        report = check_data_types(pd.Series([1, "x"], index=[10, 20]))
        assert report.positions == (1,)

    def test_report_is_frozen(self):
        """The report cannot be modified."""
        report = check_data_types([1])
        assert isinstance(report, TypeReport)
        with pytest.raises(AttributeError):
            report.positions = ()  # type: ignore[misc]
        with pytest.raises(TypeError):
            report.counts["int"] = 5  # type: ignore[index]

    @pytest.mark.parametrize("expected", [5, (int, "x"), ()])
    def test_bad_expected(self, expected):
        """expected must be a type or a tuple of types."""
        with pytest.raises(ParameterError, match="check_data_types: expected must be a type"):
            check_data_types([1], expected=expected)


class TestExactRange:
    @pytest.mark.parametrize(
        ("data", "kwargs", "positions"),
        [
            ([2**53 + 1], {"max_value": 2**53}, (0,)),
            (np.array([2**62 + 1]), {"max_value": 2**62}, (0,)),
            ([Fraction(1, 3)], {"max_value": 1 / 3}, (0,)),
            ([0.5, 2**53 + 1], {"max_value": 2**53}, (1,)),  # NumPy would round the int
            ([2**63, -1], {"max_value": 2**63 - 1}, (0,)),  # NumPy would make float64 of both
            (pd.Series([2**62 + 1, 1], dtype="Int64"), {"max_value": 2**62}, (0,)),
            (np.array([2**64 - 1], dtype=np.uint64), {"max_value": 2**64 - 2}, (0,)),
            (np.array([2**53], dtype=np.float64), {"min_value": 2**53 + 1}, (0,)),
            (
                np.array([1.0], dtype=np.float16),
                {"max_value": Fraction(1) - Fraction(1, 10**9)},
                (0,),
            ),
            (np.array([1.0], dtype=np.float32), {"min_value": 1 + 2**-30}, (0,)),
            (np.array([0.1]), {"max_value": Decimal("0.1")}, (0,)),  # 0.1 is a bit above 1/10
            ([Decimal("0.1")], {"max_value": 0.1}, ()),
            ([10**400], {"max_value": 10**399}, (0,)),
            ([Fraction(10**400, 3)], {"min_value": 0}, ()),
            (np.array([np.inf]), {"max_value": 10**400}, (0,)),
            (np.array([65504.0], dtype=np.float16), {"max_value": 10**400}, ()),
            (np.array([-3], dtype=np.int8), {"min_value": -3.5, "max_value": -2.5}, ()),
            (np.array([-3], dtype=np.int8), {"min_value": 10**400}, (0,)),
            ([2**53 + 1, float("nan")], {}, (1,)),
        ],
    )
    def test_comparisons_are_exact(self, data, kwargs, positions):
        """No value or bound goes through float64: the exact values are compared."""
        if not positions:
            assert validate_range(data, **kwargs) is data
            return
        with pytest.raises(OutOfRangeError) as info:
            validate_range(data, **kwargs)
        assert info.value.positions == positions

    @pytest.mark.parametrize(
        ("inclusive", "positions"),
        [("both", ()), ("neither", (0, 1)), ("left", (1,)), ("right", (0,))],
    )
    def test_fractions_on_the_bounds(self, inclusive, positions):
        """Values equal to bounds that no float equals are on the bounds, not beside them."""
        data = [Fraction(1, 3), Fraction(2, 3)]
        if not positions:
            assert validate_range(data, Fraction(1, 3), Fraction(2, 3), inclusive=inclusive) is data
            return
        with pytest.raises(OutOfRangeError) as info:
            validate_range(data, Fraction(1, 3), Fraction(2, 3), inclusive=inclusive)
        assert info.value.positions == positions

    @pytest.mark.parametrize("inclusive", ["both", "neither", "left", "right"])
    def test_float_below_a_fraction_bound(self, inclusive):
        """float(1/3) is below 1/3, so it is outside [1/3, 1] whatever the inclusion."""
        with pytest.raises(OutOfRangeError):
            validate_range(np.array([1 / 3]), Fraction(1, 3), 1, inclusive=inclusive)

    def test_message_shows_the_bound_exactly(self):
        """The message and the error's attributes show the bounds as given, all digits."""
        with pytest.raises(OutOfRangeError) as info:
            validate_range([2**53 + 1], max_value=2**53)
        assert str(info.value) == (
            "validate_range: 1 of 1 values are outside (-inf, 9007199254740992] at positions [0]"
        )
        assert info.value.max_value == 2**53
        assert type(info.value.max_value) is int


class TestExpectedTypes:
    class _Picky(type):
        def __instancecheck__(cls, instance):
            if isinstance(instance, str):
                raise TypeError("no strings here")
            return isinstance(instance, int)

    @pytest.mark.parametrize(
        "expected", [typing.Any, list[int], int | list[int], (int, typing.Any)]
    )
    def test_types_isinstance_refuses_are_parameter_errors(self, expected):
        """typing.Any and parameterized generics are refused up front, with our error."""
        with pytest.raises(ParameterError, match=r"usable with isinstance\(\)"):
            check_data_types([1], expected=expected)

    def test_an_instancecheck_that_raises_is_no_match(self):
        """A class whose isinstance check raises for some values does not match them."""
        picky = self._Picky("Picky", (), {})
        report = check_data_types([1, "a"], expected=picky)
        assert report.positions == (1,)
        assert report.expected == "Picky"
