"""Tests of ``check_missing_values``."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from ml_infra.preprocessing import DataShapeError, DataTypeError, check_missing_values

NAN = float("nan")


class TestCheckMissingValues:
    @pytest.mark.parametrize("kind", [list, tuple, np.array, pd.Series])
    def test_float_nan_positions(self, kind):
        """NaN positions are reported for every input kind."""
        assert check_missing_values(kind([1.0, NAN, 3.0, NAN])) == [1, 3]

    @pytest.mark.parametrize("kind", [list, tuple])
    def test_every_missing_marker_in_a_list(self, kind):
        """None, float NaN, numpy NaN, Decimal NaN, pandas NA and NaT all count."""
        data = kind([1, None, NAN, np.float32("nan"), Decimal("NaN"), pd.NA, pd.NaT, "a", 0.0])
        assert check_missing_values(data) == [1, 2, 3, 4, 5, 6]

    def test_no_missing_gives_empty_list(self):
        """Clean data (including infinity) reports nothing."""
        assert check_missing_values([1.0, float("inf"), -2.0]) == []

    def test_empty_data_gives_empty_list(self):
        """Empty data has no missing values."""
        assert check_missing_values([]) == []

    def test_series_positions_not_labels(self):
        """A Series reports 0-based positions, not its index labels."""
        s = pd.Series([1.0, None, 3.0], index=["a", "b", "c"])
        assert check_missing_values(s) == [1]

    def test_nullable_series(self):
        """pandas nullable dtypes report their NA positions."""
        assert check_missing_values(pd.Series([1, None, 3], dtype="Int64")) == [1]

    def test_datetime_nat(self):
        """NaT in datetime64 arrays and Series counts as missing."""
        arr = np.array(["2024-01-01", "NaT"], dtype="datetime64[D]")
        assert check_missing_values(arr) == [1]
        assert check_missing_values(pd.Series(pd.to_datetime(["2024-01-01", None]))) == [1]

    @pytest.mark.parametrize("arr", [np.arange(3), np.array(["a", "b"]), np.array([True, False])])
    def test_dtypes_without_missing_values(self, arr):
        """Integer, string and bool arrays cannot hold missing values."""
        assert check_missing_values(arr) == []

    def test_object_array(self):
        """An object array is inspected element by element."""
        arr = np.array([None, 1, "x", NAN], dtype=object)
        assert check_missing_values(arr) == [0, 3]

    @pytest.mark.parametrize("dtype", [float, int, object])
    def test_masked_entries_are_missing(self, dtype):
        """The masked entries of a masked array are missing, whatever lies under the mask."""
        data = np.ma.array(
            np.array([1, 20, 3, None], dtype=dtype)
            if dtype is object
            else np.array([1, 20, 3, 4], dtype=dtype),
            mask=[0, 1, 0, 0],
        )
        expected = [1, 3] if dtype is object else [1]
        assert check_missing_values(data) == expected

    def test_masked_array_without_masked_entries(self):
        """A masked array with nothing masked has no missing values."""
        assert check_missing_values(np.ma.array([1.0, 2.0])) == []

    def test_returns_python_ints(self):
        """Positions are plain Python ints (JSON-friendly)."""
        result = check_missing_values(np.array([NAN]))
        assert type(result[0]) is int

    def test_rejects_non_sequences(self):
        """A scalar is a TypeError naming the function."""
        with pytest.raises(DataTypeError, match=r"^check_missing_values: data must be"):
            check_missing_values(3.0)

    def test_rejects_3d(self):
        """3-D input is a ValueError naming the function (2-D is a table: test_table_validation)."""
        with pytest.raises(DataShapeError, match=r"^check_missing_values: data must be 1-D"):
            check_missing_values(np.zeros((2, 2, 2)))
