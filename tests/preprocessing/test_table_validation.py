"""Tests of the per-column reports of the validators on tables (issue 10).

``check_missing_values``, ``validate_range`` and ``check_data_types`` take a
pandas DataFrame, a 2-D NumPy array or a polars DataFrame and report per
column; their 1-D behaviour is covered (unchanged) by test_missing.py and
test_checks.py.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from ml_infra.preprocessing import (
    DataShapeError,
    DataTypeError,
    OutOfRangeError,
    TypeReport,
    check_data_types,
    check_missing_values,
    validate_range,
)

from tests.fresh_process import imported_by

NAN = float("nan")


@pytest.fixture
def pl():
    """The real polars module (skipped where polars is not installed)."""
    return pytest.importorskip("polars")


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {"a": [1.0, NAN, 3.0, 4.0], "b": [0.5, 0.2, None, NAN], "c": [1, 2, 3, 4]},
        index=["w", "x", "y", "z"],
    )


class TestCheckMissingValuesOnTables:
    def test_dataframe_reports_index_labels_per_column(self):
        """A DataFrame gives {column: index labels}, every column in order."""
        assert check_missing_values(frame()) == {"a": ["x"], "b": ["y", "z"], "c": []}

    def test_array_reports_positions_per_column(self):
        """A 2-D array gives {column position: row positions}."""
        x = np.array([[1.0, NAN], [NAN, NAN], [3.0, 4.0]])
        result = check_missing_values(x)
        assert result == {0: [1], 1: [0, 1]}
        assert all(type(r) is int for rows in result.values() for r in rows)

    def test_masked_2d_array(self):
        """The masked entries of a 2-D masked array are missing, per column."""
        x = np.ma.array([[1.0, 2.0], [3.0, 4.0]], mask=[[0, 1], [1, 0]])
        assert check_missing_values(x) == {0: [1], 1: [0]}

    def test_nullable_and_object_columns(self):
        """pandas NA in nullable and object columns counts, under the row's label."""
        df = pd.DataFrame(
            {"i": pd.array([1, None, 3], dtype="Int64"), "s": ["a", None, "c"]},
            index=[10, 20, 30],
        )
        assert check_missing_values(df) == {"i": [20], "s": [20]}

    def test_multiindex_labels_are_tuples(self):
        """Rows of a MultiIndex are named by their label tuples."""
        df = pd.DataFrame({"a": [1.0, NAN]}, index=pd.MultiIndex.from_tuples([("p", 1), ("q", 2)]))
        assert check_missing_values(df) == {"a": [("q", 2)]}

    def test_empty_tables(self):
        """No columns give an empty dict; no rows give an empty list per column."""
        assert check_missing_values(pd.DataFrame()) == {}
        assert check_missing_values(np.empty((0, 2))) == {0: [], 1: []}

    def test_polars_reports_positions(self, pl):
        """A polars DataFrame (no index) gives {name: row positions}, nulls and NaN alike."""
        df = pl.DataFrame({"a": [1.0, None, NAN], "s": ["x", None, "z"], "i": [1, 2, 3]})
        assert check_missing_values(df) == {"a": [1, 2], "s": [1], "i": []}

    def test_series_still_positions(self):
        """A Series keeps its 1-D report: positions, not labels."""
        assert check_missing_values(frame()["b"]) == [2, 3]


class TestValidateRangeOnTables:
    def test_valid_table_is_returned_as_is(self):
        """A table within the bounds comes back as the same object."""
        df = pd.DataFrame({"a": [0.0, 1.0], "b": [0.5, 0.5]})
        x = np.zeros((2, 3))
        assert validate_range(df, 0, 1) is df
        assert validate_range(x, 0, 1) is x

    def test_dataframe_error_names_columns_and_labels(self):
        """One error names every offending column with its index labels."""
        df = pd.DataFrame(
            {"a": [0.5, 2.0, -1.0], "b": [0.1, 0.2, 0.3], "c": [NAN, 0.0, 9.0]},
            index=["p", "q", "r"],
        )
        with pytest.raises(OutOfRangeError) as info:
            validate_range(df, 0, 1)
        assert str(info.value) == (
            "validate_range: 4 values in 2 of 3 columns are outside [0, 1] "
            "(1 of them missing/NaN): column 'a' at index ['q', 'r']; "
            "column 'c' at index ['p', 'r']"
        )
        assert info.value.columns == {"a": ("q", "r"), "c": ("p", "r")}
        assert info.value.positions == (0, 1, 2)
        assert (info.value.min_value, info.value.max_value) == (0, 1)

    def test_array_error_names_column_positions(self):
        """A 2-D array's error names columns and rows by position."""
        x = np.array([[0.5, 2.0], [0.1, 0.2], [0.3, 0.4]])
        with pytest.raises(OutOfRangeError) as info:
            validate_range(x, None, 1, inclusive="neither")
        assert str(info.value) == (
            "validate_range: 1 values in 1 of 2 columns are outside (-inf, 1): "
            "column 1 at positions [0]"
        )
        assert info.value.columns == {1: (0,)}
        assert info.value.positions == (0,)

    def test_many_columns_are_elided(self):
        """Beyond ten offending columns the message says how many there are in all."""
        with pytest.raises(OutOfRangeError, match=r"; \.\.\. \(12 columns in all\)$") as info:
            validate_range(np.full((1, 12), 5.0), 0, 1)
        assert len(info.value.columns) == 12

    def test_exact_bounds_per_column(self):
        """Each column is compared exactly in its own dtype (int64 beyond 2**53)."""
        x = np.array([[2**53, 0], [2**53 + 1, 1]], dtype=np.int64)
        with pytest.raises(OutOfRangeError) as info:
            validate_range(x, 0, 2**53)
        assert info.value.columns == {0: (1,)}

    def test_non_numeric_column_is_named(self):
        """A column that is not numeric gets a DataTypeError naming the column."""
        df = pd.DataFrame({"a": [0.5, 0.5], "name": ["x", "y"]})
        with pytest.raises(DataTypeError, match=r"^validate_range: column 'name': data must"):
            validate_range(df, 0, 1)

    def test_bad_bounds_are_checked_before_the_table(self):
        """Parameter errors do not depend on the data kind."""
        with pytest.raises(ValueError, match=r"min_value .* must not be greater"):
            validate_range(np.zeros((2, 2)), 2, 1)

    def test_polars(self, pl):
        """A polars DataFrame is checked per column, rows by position; nulls fail."""
        df = pl.DataFrame({"a": [0.5, 3.0, None], "b": [0.0, 0.0, 0.0]})
        with pytest.raises(OutOfRangeError) as info:
            validate_range(df, 0, 1)
        assert info.value.columns == {"a": (1, 2)}
        assert validate_range(df.select("b"), 0, 1) is not None


class TestCheckDataTypesOnTables:
    def test_dataframe_reports_per_column_with_labels(self):
        """Each column gets its TypeReport; labels name the failing rows by index."""
        df = pd.DataFrame({"n": [1.0, NAN, 2.0], "s": ["a", 1, None]}, index=["x", "y", "z"])
        reports = check_data_types(df)
        assert list(reports) == ["n", "s"]
        assert reports["n"].positions == (1,)
        assert reports["n"].labels == ("y",)
        assert dict(reports["s"].counts) == {"str": 1, "int": 1, "NoneType": 1}
        assert reports["s"].positions == (0, 2)
        assert reports["s"].labels == ("x", "z")
        assert str(reports["s"]) == (
            "2 of 3 values are not real numbers, at index ['x', 'z'] "
            "(types: str: 1, int: 1, NoneType: 1)"
        )

    def test_expected_applies_to_every_column(self):
        """expected= is checked in every column."""
        df = pd.DataFrame({"s": ["a", "b"], "t": ["c", 2]})
        reports = check_data_types(df, expected=str)
        assert reports["s"].ok
        assert reports["t"].positions == (1,)

    def test_array_reports_per_column_without_labels(self):
        """A 2-D array's reports use positions only; labels stay None."""
        reports = check_data_types(np.array([[1, 2], [3, 4]], dtype=np.int16))
        assert reports == {
            0: TypeReport(reports[0].counts, (), "real number", 2),
            1: TypeReport(reports[1].counts, (), "real number", 2),
        }
        assert dict(reports[0].counts) == {"int16": 2}

    def test_polars_nulls_count_as_none(self, pl):
        """A polars column with nulls is read as Python values: nulls are NoneType."""
        df = pl.DataFrame({"i": [1, None, 3], "f": [0.5, 1.5, 2.5]})
        reports = check_data_types(df)
        assert dict(reports["i"].counts) == {"int": 2, "NoneType": 1}
        assert reports["i"].positions == (1,)
        assert reports["f"].ok

    def test_one_d_repr_unchanged(self):
        """A 1-D report's repr shows no labels field; a DataFrame column's does."""
        one_d = check_data_types([1, "x"])
        assert repr(one_d) == (
            "TypeReport(counts=mappingproxy({'int': 1, 'str': 1}), positions=(1,), "
            "expected='real number', size=2)"
        )
        labelled = check_data_types(pd.DataFrame({"a": ["x"]}, index=["r"]))["a"]
        assert repr(labelled).endswith("size=1, labels=('r',))")


class TestTableErrors:
    @pytest.mark.parametrize(
        "call",
        [check_missing_values, check_data_types, lambda d: validate_range(d, 0, 1)],
    )
    def test_three_dimensions_refused(self, call):
        """More than two dimensions is a DataShapeError saying what is accepted."""
        with pytest.raises(DataShapeError, match=r"must be 1-D or a 2-D table, got a 3-D array"):
            call(np.zeros((2, 2, 2)))

    @pytest.mark.parametrize(
        "call",
        [check_missing_values, check_data_types, lambda d: validate_range(d, 0, 1)],
    )
    def test_repeated_column_names_refused(self, call):
        """A DataFrame repeating a column name cannot be reported per column."""
        df = pd.DataFrame([[0.0, 0.0, 0.0]], columns=["a", "a", "b"])
        with pytest.raises(DataShapeError, match=r"got 1 repeated: \['a'\]; rename them$"):
            call(df)

    def test_nested_list_still_refused(self):
        """A nested list is not a table: the 1-D error is unchanged."""
        with pytest.raises(DataShapeError, match="must be 1-D, got a 2-D list"):
            check_missing_values([[1.0], [2.0]])

    def test_optional_libraries_not_imported(self):
        """Reporting on an array imports neither pandas nor polars."""
        code = (
            "import numpy as np\n"
            "from ml_infra.preprocessing import check_data_types, check_missing_values,"
            " validate_range\n"
            "x = np.zeros((2, 2))\n"
            "check_missing_values(x); check_data_types(x); validate_range(x, 0, 1)\n"
        )
        assert imported_by(code, ["pandas", "polars"]) == []
