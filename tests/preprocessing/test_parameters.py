"""Tests of the argument checks: numeric parameters, counts and options (issue 14)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from ml_infra.preprocessing import (
    ParameterError,
    clip_outliers,
    normalize,
    standardize,
    validate_range,
)

from tests.fuzz.strategies import (
    ArrayEq,
    Boom,
    LyingFloat,
    LyingList,
    RaisingEq,
    RaisingEqStr,
    RaisingFloat,
    RaisingRepr,
)


def raises_parameter_error(func, args, kwargs):
    """Call ``func`` and return its ParameterError, which must also be a ValueError."""
    with pytest.raises(ParameterError) as info:
        func(*args, **kwargs)
    assert isinstance(info.value, ValueError)
    return info.value


class TestNumericParameters:
    @pytest.mark.parametrize(
        ("func", "args", "kwargs", "message"),
        [
            (
                normalize,
                ([1.0, 2.0],),
                {"feature_range": (0, 10**400)},
                "normalize: feature_range[1] must fit in a float (within ±1.8e308), got int 1e+400",
            ),
            (
                clip_outliers,
                ([1.0, 2.0], Decimal("sNaN")),
                {},
                "clip_outliers: lower_percentile must be finite, got nan",
            ),
            (
                validate_range,
                ([1.0],),
                {"max_value": np.timedelta64(1, "D")},
                "validate_range: max_value must be a real number, "
                "got timedelta datetime.timedelta(days=1)",
            ),
            (
                clip_outliers,
                ([1.0, 2.0], 5, Fraction(10**400)),
                {},
                "clip_outliers: upper_percentile must fit in a float (within ±1.8e308), "
                "got Fraction Fraction(100000000000000000...",
            ),
            (
                normalize,
                ([1.0, 2.0],),
                {"feature_range": (0, Decimal("1e400"))},
                "normalize: feature_range[1] must fit in a float (within ±1.8e308), "
                "got Decimal Decimal('1E+400')",
            ),
            (
                clip_outliers,
                ([1.0, 2.0], RaisingFloat()),
                {},
                "clip_outliers: lower_percentile must be a real number, "
                "got RaisingFloat <tests.fuzz.strategies.Rais... (Boom converting it)",
            ),
            (
                normalize,
                ([1.0, 2.0],),
                {"feature_range": (LyingFloat(), 1)},
                "normalize: feature_range[0] must be a real number, got LyingFloat "
                "<tests.fuzz.strategies.Lyin... (TypeError converting it)",
            ),
            (
                validate_range,
                ([1.0],),
                {"min_value": RaisingFloat()},
                "validate_range: min_value must be a real number, "
                "got RaisingFloat <tests.fuzz.strategies.Rais... (Boom converting it)",
            ),
            (
                normalize,
                ([1.0, 2.0],),
                {"feature_range": (0, RaisingRepr())},
                "normalize: feature_range[1] must be a real number, got <unrepresentable RaisingRepr object: repr raised Boom>",
            ),
            (
                validate_range,
                ([1.0],),
                {"min_value": Decimal("sNaN")},
                "validate_range: min_value must be finite, got nan",
            ),
        ],
    )
    def test_bad_number_is_a_parameter_error(self, func, args, kwargs, message):
        """A number that cannot be converted (too large, sNaN, a duration, a raising __float__) is a ParameterError."""
        assert str(raises_parameter_error(func, args, kwargs)) == message

    def test_feature_range_is_read_from_its_items(self):
        """A list subclass whose len() and iteration lie is read by its stored items, once."""
        assert normalize([1.0, 2.0], feature_range=LyingList([0, 2])) == [0.0, 2.0]

    @pytest.mark.parametrize("bound", [10**400, -(10**400), Fraction(10**400, 3), Decimal("1e400")])
    def test_bounds_beyond_float_range_are_exact(self, bound):
        """validate_range takes bounds of any size: they are compared exactly, never converted to float."""
        data = [1.0, 2.0]
        if bound > 0:
            assert validate_range(data, None, bound) is data
        else:
            assert validate_range(data, bound, None) is data


class TestCounts:
    @pytest.mark.parametrize(
        "ddof", [RaisingRepr(), np.timedelta64(1, "D"), np.bool_(True), -1, 1.0, RaisingFloat()]
    )
    def test_bad_ddof_is_a_parameter_error(self, ddof):
        """ddof must be a non-negative int; durations, bools and raising objects are ParameterErrors."""
        error = raises_parameter_error(standardize, ([1.0, 2.0, 4.0],), {"ddof": ddof})
        assert str(error).startswith("standardize: ddof must be a non-negative int, got ")

    @pytest.mark.parametrize("ddof", [0, np.int8(1), np.uint64(1)])
    def test_numpy_integers_are_counts(self, ddof):
        """Python and NumPy integers are accepted as ddof."""
        assert len(standardize([1.0, 2.0, 4.0], ddof=ddof)) == 3


class TestOptions:
    @pytest.mark.parametrize(
        ("func", "kwargs", "start"),
        [
            (
                normalize,
                {"nan_policy": np.array(["omit", "omit"])},
                "normalize: nan_policy must be",
            ),
            (standardize, {"nan_policy": RaisingEq()}, "standardize: nan_policy must be"),
            (clip_outliers, {"nan_policy": ArrayEq()}, "clip_outliers: nan_policy must be"),
            (normalize, {"nan_policy": RaisingRepr()}, "normalize: nan_policy must be"),
            (
                validate_range,
                {"inclusive": np.array(["both", "both"])},
                "validate_range: inclusive",
            ),
            (validate_range, {"inclusive": RaisingEq()}, "validate_range: inclusive must be"),
            (clip_outliers, {"method": RaisingEq()}, "clip_outliers: method must be a string"),
            (clip_outliers, {"method": RaisingEqStr("fancy")}, "clip_outliers: method 'fancy' is"),
        ],
    )
    def test_odd_option_is_a_parameter_error(self, func, kwargs, start):
        """Arrays, objects whose == raises or gives an array, and raising reprs are ParameterErrors."""
        error = raises_parameter_error(func, ([1.0, 2.0, 3.0],), kwargs)
        assert str(error).startswith(start)

    @pytest.mark.parametrize(
        ("func", "kwargs"),
        [
            (normalize, {"nan_policy": np.str_("omit")}),
            (standardize, {"nan_policy": RaisingEqStr("raise")}),
            (validate_range, {"inclusive": RaisingEqStr("neither"), "min_value": 0}),
            (clip_outliers, {"method": RaisingEqStr("lower")}),
        ],
    )
    def test_str_subclasses_name_options(self, func, kwargs):
        """A str subclass (numpy.str_, one with a raising __eq__) names an option by its text."""
        func([1.0, 2.0, 3.0], **kwargs)

    def test_the_cause_is_kept(self):
        """The user's exception is chained as the cause, for debugging, never raised itself."""
        error = raises_parameter_error(
            clip_outliers, ([1.0],), {"lower_percentile": RaisingFloat()}
        )
        assert isinstance(error.__cause__, Boom)
