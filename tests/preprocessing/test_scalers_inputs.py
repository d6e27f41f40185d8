"""Tests of the fitted objects on every input kind, and of merging on random splits."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from ml_infra.preprocessing import (
    ConstantDataError,
    DataShapeError,
    DataTypeError,
    InfiniteValueError,
    MinMaxScaler,
    MissingValueError,
    OutlierClipper,
    StandardScaler,
)

floats = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False, allow_infinity=False)
tables = hnp.arrays(np.float64, st.tuples(st.integers(4, 40), st.integers(1, 4)), elements=floats)


class TestColumns:
    def test_array_positions_in_another_order(self):
        """columns= positions of an array, in any order, scale those columns in place."""
        x = np.array([[1.0, 10.0, 5.0], [3.0, 30.0, 6.0]])
        out = MinMaxScaler(columns=[2, 0]).fit(x).transform(x)
        assert out.tolist() == [[0.0, 10.0, 0.0], [1.0, 30.0, 1.0]]

    def test_whole_array_in_another_order(self):
        """columns= naming every column in another order still maps each column to its own statistics."""
        x = np.array([[1.0, 10.0], [3.0, 50.0]])
        scaler = MinMaxScaler(columns=[1, 0]).fit(x)
        assert scaler.transform(np.array([[2.0, 30.0]])).tolist() == [[0.5, 0.5]]
        assert scaler.data_min_.tolist() == [10.0, 1.0]

    def test_bad_columns(self):
        """columns= naming absent columns, or positions out of range, is a clear error."""
        df = pd.DataFrame({"a": [1.0, 2.0]})
        with pytest.raises(
            DataShapeError, match=r"columns= names columns the data does not have, got \['b'\]"
        ):
            StandardScaler(columns=["b"]).fit(df)
        with pytest.raises(DataShapeError, match="positions in"):
            StandardScaler(columns=[3]).fit(np.ones((2, 2)))

    def test_nested_list(self):
        """A nested list is refused with a message that says what to pass instead."""
        with pytest.raises(
            DataShapeError, match=r"got a nested list; convert it with numpy\.asarray"
        ):
            StandardScaler().fit([[1.0, 2.0], [3.0, 4.0]])

    def test_no_columns(self):
        """A table without columns has nothing to fit."""
        with pytest.raises(DataShapeError, match="no columns to fit"):
            StandardScaler().fit(np.ones((3, 0)))

    def test_one_d_against_many_columns(self):
        """1-D data for an object fitted on several columns says how to pass one row."""
        scaler = StandardScaler().fit(np.array([[1.0, 2.0], [2.0, 4.0]]))
        with pytest.raises(DataShapeError, match=r"reshape\(1, -1\)"):
            scaler.transform([1.0, 2.0])


class TestKinds:
    def test_integer_and_nullable_columns(self):
        """Integer and nullable columns are numbers; pandas NA is missing (omitted on request)."""
        df = pd.DataFrame({"a": pd.array([1, None, 3], dtype="Int64"), "b": [1, 2, 4]})
        with pytest.raises(MissingValueError, match="column 'a'"):
            MinMaxScaler().fit(df)
        out = MinMaxScaler(nan_policy="omit").fit_transform(df)
        assert out["a"].tolist()[::2] == [0.0, 1.0]
        assert np.isnan(out["a"].iloc[1])

    def test_boolean_column_refused(self):
        """A boolean column is not silently read as 0/1."""
        with pytest.raises(
            DataTypeError, match="column 'flag' must hold real numbers, got booleans"
        ):
            StandardScaler().fit(pd.DataFrame({"flag": [True, False, True]}))

    def test_dataframe_inverse_transform(self):
        """inverse_transform of a DataFrame gives the DataFrame back."""
        df = pd.DataFrame({"a": [1.0, 2.0, 4.0], "b": [0.5, 0.25, 2.0]}, index=list("xyz"))
        scaler = StandardScaler().fit(df)
        pd.testing.assert_frame_equal(scaler.inverse_transform(scaler.transform(df)), df)

    def test_masked_array(self):
        """Masked entries of a 2-D masked array are missing values; the result is a plain ndarray."""
        x = np.ma.array([[1.0, 5.0], [2.0, 99.0], [3.0, 7.0]], mask=[[0, 0], [0, 1], [0, 0]])
        with pytest.raises(MissingValueError, match=r"column 1 at rows \[1\]"):
            MinMaxScaler().fit(x)
        out = MinMaxScaler(nan_policy="omit").fit_transform(x)
        assert type(out) is np.ndarray
        assert out[:, 1].tolist()[::2] == [0.0, 1.0]
        assert np.isnan(out[1, 1])

    def test_polars_nulls_omitted(self):
        """polars nulls are missing values, omitted on request."""
        pl = pytest.importorskip("polars")
        df = pl.DataFrame({"a": [1.0, None, 3.0]})
        out = MinMaxScaler(nan_policy="omit").fit_transform(df)
        assert out["a"].to_list()[::2] == [0.0, 1.0]

    @pytest.mark.parametrize("cls", [StandardScaler, MinMaxScaler, OutlierClipper])
    def test_serving_path_equals_general_path(self, cls):
        """The one-row ndarray path gives what the general path gives for the same row."""
        x = np.random.default_rng(6).normal(size=(30, 4))
        scaler = cls().fit(x)
        row = x[3:4]
        assert (
            scaler.transform(row).tolist()
            == scaler.transform(pd.DataFrame(row)).to_numpy().tolist()
        )


class TestMergeProperties:
    @settings(max_examples=50, deadline=None)
    @given(
        tables,
        st.lists(st.integers(1, 39), max_size=4),
        st.sampled_from([StandardScaler, MinMaxScaler]),
    )
    def test_any_split_merges_to_the_whole(self, x, cuts, cls):
        """Fitting the parts of any split and summing them equals fitting the whole."""
        bounds = sorted({c for c in cuts if c < len(x)})
        parts = [p for p in np.split(x, bounds) if len(p)]
        whole = cls(constant="unit", ddof=0) if cls is StandardScaler else cls(constant="unit")
        whole.fit(x)
        merged = sum(whole._blank().partial_fit(p) for p in parts)
        for a, b in zip(merged._state.parts(), whole._state.parts(), strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-9)


class TestExtremes:
    def test_overflowing_statistics(self):
        """Squared deviations beyond float64 are an error asking to rescale, not inf statistics."""
        with pytest.raises(InfiniteValueError, match="overflow float64"):
            StandardScaler().fit(np.array([[1e300], [-1e300]]))

    def test_many_missing_rows_are_summarised(self):
        """Thousands of NaN rows in a DataFrame: the message shows ten index labels and the count."""
        df = pd.DataFrame({"a": np.full(5000, np.nan)}, index=range(100, 5100))
        with pytest.raises(
            MissingValueError, match=r"index labels \[100, 101, .*\(5000 in all\)\]"
        ):
            StandardScaler().fit(df)


class TestThreads:
    @pytest.mark.parametrize("cls", [StandardScaler, MinMaxScaler])
    def test_statistics_do_not_depend_on_threads(self, cls, monkeypatch):
        """Large fits split across threads give bit-identical statistics and results to one thread."""
        x = np.random.default_rng(7).normal(3.0, 2.0, (150_000, 20))
        monkeypatch.setenv("ML_INFRA_NUM_THREADS", "1")
        alone = cls().fit(x)
        monkeypatch.setenv("ML_INFRA_NUM_THREADS", "4")
        split = cls().fit(x)
        for a, b in zip(alone._state.parts(), split._state.parts(), strict=True):
            assert a.tobytes() == b.tobytes()
        assert alone.transform(x[:5000]).tobytes() == split.transform(x[:5000]).tobytes()


def test_tiny_constant_column_is_constant():
    """Identical values near 1e-147 (squares below the normal range) are a constant column."""
    x = np.full((100, 2), 1.1230249598338843e-147)
    with pytest.raises(ConstantDataError, match="constant"):
        StandardScaler().fit(x)
    np.testing.assert_array_equal(StandardScaler(constant="unit").fit(x).transform(x), 0.0)


def test_variance_below_float64_range_is_no_scale():
    """A spread whose variance underflows to 0 is refused like a constant, never divided by 0."""
    x = np.zeros((1000, 1))
    x[500] = 3e-162  # M2 = 9e-324 > 0, but M2 / (n - 1) rounds to 0
    with pytest.raises(ConstantDataError, match="too small for float64"):
        StandardScaler().fit(x)
    z = StandardScaler(constant="unit").fit(x).transform(x)
    assert np.isfinite(z).all()
