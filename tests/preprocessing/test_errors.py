"""Every bad input the issue lists: exception type AND message, per function."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from ml_infra.preprocessing import (
    ConstantDataError,
    DataShapeError,
    DataTypeError,
    EmptyDataError,
    InfiniteValueError,
    MissingValueError,
    OutOfRangeError,
    ParameterError,
    PreprocessingError,
    check_data_types,
    check_missing_values,
    clip_outliers,
    normalize,
    standardize,
    validate_range,
)

NAN, INF = float("nan"), float("inf")
ACCEPTED = "a 1-D array-like (list, tuple, array, Series, tensor, or any __array__/DLPack object)"

CASES = [
    # empty and constant data (the seed's messages)
    (normalize, ([],), {}, EmptyDataError, "Cannot normalize empty data"),
    (standardize, ([],), {}, EmptyDataError, "Cannot standardize empty data"),
    (normalize, ([3, 3, 3],), {}, ConstantDataError, "All values are identical, cannot normalize"),
    (
        standardize,
        ([3, 3],),
        {},
        ConstantDataError,
        "Standard deviation is zero, cannot standardize",
    ),
    (
        standardize,
        ([3.0],),
        {},
        EmptyDataError,
        "Cannot standardize: needs more than ddof=1 values, got 1 "
        "(a single value has no sample standard deviation)",
    ),
    # NaN, None and infinity
    (
        normalize,
        ([1.0, NAN, 3.0],),
        {},
        MissingValueError,
        "normalize: data contains 1 missing value (NaN or None) at positions [1]; "
        "drop or impute them, or pass nan_policy='omit' to ignore them",
    ),
    (
        standardize,
        (np.array([NAN, 1.0, NAN]),),
        {},
        MissingValueError,
        "standardize: data contains 2 missing values (NaN or None) at positions [0, 2]; "
        "drop or impute them, or pass nan_policy='omit' to ignore them",
    ),
    (
        clip_outliers,
        ([1.0, None, 3.0],),
        {},
        MissingValueError,
        "clip_outliers: data contains 1 missing value (NaN or None) at positions [1]; "
        "drop or impute them, or pass nan_policy='omit' to ignore them",
    ),
    (
        normalize,
        ([1.0, INF],),
        {},
        InfiniteValueError,
        "normalize: data contains 1 infinite value at positions [1]",
    ),
    (
        standardize,
        ([-INF, 1.0, INF],),
        {"nan_policy": "omit"},
        InfiniteValueError,
        "standardize: data contains 2 infinite values at positions [0, 2]",
    ),
    (
        clip_outliers,
        ([1.0, INF],),
        {},
        InfiniteValueError,
        "clip_outliers: data contains 1 infinite value at positions [1]",
    ),
    (
        standardize,
        ([1, 10**400, 2.0, -(10**400)],),
        {},
        InfiniteValueError,
        "standardize: data contains 2 values too large for a float (beyond ±1.8e308) "
        "at positions [1, 3]",
    ),
    (
        clip_outliers,
        ([Fraction(10**400, 3), 0.5],),
        {},
        InfiniteValueError,
        "clip_outliers: data contains 1 value too large for a float (beyond ±1.8e308) "
        "at positions [0]",
    ),
    # strings and other non-numbers, bools
    (
        normalize,
        ([1, "2", 3],),
        {},
        DataTypeError,
        "normalize: data must hold only real numbers, found 1 other value at positions [1] "
        "(first: str '2')",
    ),
    (
        standardize,
        (["a", "b"],),
        {},
        DataTypeError,
        "standardize: data must hold only real numbers, found 2 other values at positions "
        "[0, 1] (first: str 'a')",
    ),
    (
        clip_outliers,
        ([1.0, 2j],),
        {},
        DataTypeError,
        "clip_outliers: data must hold only real numbers, found 2 other values at positions "
        "[0, 1] (first: complex (1+0j))",
    ),
    (
        validate_range,
        ([1.0, {}],),
        {},
        DataTypeError,
        "validate_range: data must hold only real numbers, found 1 other value at positions "
        "[1] (first: dict {})",
    ),
    (
        normalize,
        ([True, False],),
        {},
        DataTypeError,
        "normalize: data must hold real numbers, got booleans "
        "(convert them explicitly, e.g. with numpy.asarray(data, dtype=float))",
    ),
    (
        normalize,
        ([True, 2.5],),
        {},
        DataTypeError,
        "normalize: data must hold only real numbers, found a boolean at positions [0] "
        "(convert them explicitly, e.g. with float())",
    ),
    (
        standardize,
        ((1, False, 3, np.True_),),
        {},
        DataTypeError,
        "standardize: data must hold only real numbers, found 2 booleans at positions [1, 3] "
        "(convert them explicitly, e.g. with float())",
    ),
    (
        standardize,
        ([1.5, None, True],),
        {},
        DataTypeError,
        "standardize: data must hold only real numbers, found 1 other value at positions [2] "
        "(first: bool True)",
    ),
    # scalars, None, strings passed as data
    (normalize, (None,), {}, DataTypeError, f"normalize: data must be {ACCEPTED}, got None"),
    (standardize, (5.0,), {}, DataTypeError, f"standardize: data must be {ACCEPTED}, got float"),
    (
        clip_outliers,
        ("abc",),
        {},
        DataTypeError,
        f"clip_outliers: data must be {ACCEPTED}, got str",
    ),
    (
        validate_range,
        (True,),
        {},
        DataTypeError,
        f"validate_range: data must be {ACCEPTED}, got bool",
    ),
    (
        check_missing_values,
        (None,),
        {},
        DataTypeError,
        f"check_missing_values: data must be {ACCEPTED}, got None",
    ),
    (
        check_data_types,
        ({1: 2},),
        {},
        DataTypeError,
        f"check_data_types: data must be {ACCEPTED}, got dict",
    ),
    # 2-D input
    (
        normalize,
        (np.ones((3, 2)),),
        {},
        DataShapeError,
        "normalize: data must be 1-D, got a 2-D array of shape (3, 2)",
    ),
    (
        standardize,
        ([[1, 2], [3, 4]],),
        {},
        DataShapeError,
        "standardize: data must be 1-D, got a 2-D list of shape (2, 2)",
    ),
    (
        clip_outliers,
        (pd.DataFrame({"a": [1.0], "b": [2.0]}),),
        {},
        DataShapeError,
        "clip_outliers: data must be 1-D, got a 2-D DataFrame of shape (1, 2)",
    ),
    # parameters
    (
        clip_outliers,
        ([1.0, 2.0], -1, 95),
        {},
        ParameterError,
        "clip_outliers: lower_percentile must be in [0, 100], got -1",
    ),
    (
        clip_outliers,
        ([1.0, 2.0], 5, 101),
        {},
        ParameterError,
        "clip_outliers: upper_percentile must be in [0, 100], got 101",
    ),
    (
        clip_outliers,
        ([1.0, 2.0], 90, 10),
        {},
        ParameterError,
        "clip_outliers: lower_percentile (90) must not be greater than upper_percentile (10)",
    ),
    (
        clip_outliers,
        ([1.0, 2.0], "5", 95),
        {},
        ParameterError,
        "clip_outliers: lower_percentile must be a real number, got str '5'",
    ),
    (
        clip_outliers,
        ([1.0, 2.0], NAN, 95),
        {},
        ParameterError,
        "clip_outliers: lower_percentile must be finite, got nan",
    ),
    (
        validate_range,
        ([1.0], 5, 1),
        {},
        ParameterError,
        "validate_range: min_value (5) must not be greater than max_value (1)",
    ),
    (
        validate_range,
        ([1.0], None, NAN),
        {},
        ParameterError,
        "validate_range: max_value must be finite, got nan",
    ),
    (
        normalize,
        ([1.0, 2.0],),
        {"feature_range": (1, 0)},
        ParameterError,
        "normalize: feature_range must satisfy min < max, got (1, 0)",
    ),
    (
        normalize,
        ([1.0, 2.0],),
        {"feature_range": 1},
        ParameterError,
        "normalize: feature_range must be a pair (min, max), got 1",
    ),
    (
        standardize,
        ([1.0, 2.0],),
        {"nan_policy": "propagate"},
        ParameterError,
        "standardize: nan_policy must be 'raise' or 'omit', got 'propagate'",
    ),
    # range violations
    (
        validate_range,
        ([0.5, 2.0],),
        {"max_value": 1},
        OutOfRangeError,
        "validate_range: 1 of 2 values are outside (-inf, 1] at positions [1]",
    ),
]

BUILTIN = {
    DataTypeError: TypeError,
    DataShapeError: ValueError,
    EmptyDataError: ValueError,
    ConstantDataError: ValueError,
    MissingValueError: ValueError,
    InfiniteValueError: ValueError,
    OutOfRangeError: ValueError,
    ParameterError: ValueError,
}


@pytest.mark.parametrize(
    ("func", "args", "kwargs", "error", "message"),
    CASES,
    ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(CASES)],
)
def test_bad_input(func, args, kwargs, error, message):
    """Bad input raises the documented error with the exact message."""
    with pytest.raises(error) as info:
        func(*args, **kwargs)
    assert str(info.value) == message
    assert isinstance(info.value, PreprocessingError)
    assert isinstance(info.value, BUILTIN[error])


class TestPositionsOnErrors:
    def test_missing_value_error_positions(self):
        """MissingValueError carries positions and count."""
        with pytest.raises(MissingValueError) as info:
            normalize([NAN, 1.0, 2.0, NAN])
        assert info.value.positions == (0, 3)
        assert info.value.count == 2

    def test_data_type_error_positions(self):
        """DataTypeError about elements carries their positions."""
        with pytest.raises(DataTypeError) as info:
            standardize([1.0, "x", 2.0, b"y"])
        assert info.value.positions == (1, 3)
