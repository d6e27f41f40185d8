"""Tests of the fitted objects: ``StandardScaler``, ``MinMaxScaler`` and ``OutlierClipper``."""

from __future__ import annotations

import pickle
import tracemalloc

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
    EmptyDataError,
    InfiniteValueError,
    MinMaxScaler,
    MissingValueError,
    NotFittedError,
    OutlierClipper,
    ParameterError,
    PreprocessingError,
    StandardScaler,
    StateError,
    clip_outliers,
    normalize,
    standardize,
)

sk = pytest.importorskip("sklearn.preprocessing")

CLASSES = [StandardScaler, MinMaxScaler, OutlierClipper]
SCALERS = [StandardScaler, MinMaxScaler]
floats = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False, allow_infinity=False)


def spread(values: np.ndarray) -> bool:
    """Each column varies by more than rounding noise (no near-constant column)."""
    values = np.asarray(values, dtype=float).reshape(len(values), -1)
    span = values.max(axis=0) - values.min(axis=0)
    return bool((span > 1e-3 * (1.0 + np.abs(values).max(axis=0))).all())


samples = st.lists(floats, min_size=2, max_size=50).filter(spread)
tables = hnp.arrays(
    np.float64,
    st.tuples(st.integers(2, 30), st.integers(1, 5)),
    elements=floats,
).filter(spread)


def frame() -> pd.DataFrame:
    """A small feature table with a text column and a custom index."""
    return pd.DataFrame(
        {"age": [20.0, 30.0, 40.0, 50.0], "city": list("abcd"), "income": [1, 2, 3, 10]},
        index=[10, 11, 12, 13],
    )


class TestAgreesWithFunctions:
    @settings(max_examples=60, deadline=None)
    @given(samples)
    def test_standard_scaler_equals_standardize(self, values):
        """StandardScaler().fit_transform(x) equals standardize(x) to 1e-12."""
        ours = StandardScaler().fit_transform(values)
        assert type(ours) is list
        np.testing.assert_allclose(ours, standardize(values), rtol=1e-12, atol=1e-12)

    @settings(max_examples=60, deadline=None)
    @given(samples, st.sampled_from([(0, 1), (-1, 1), (2.5, 7)]))
    def test_min_max_scaler_equals_normalize_bit_for_bit(self, values, feature_range):
        """MinMaxScaler().fit_transform(x) is normalize(x), bit for bit."""
        ours = MinMaxScaler(feature_range).fit_transform(np.array(values))
        assert ours.tolist() == normalize(np.array(values), feature_range=feature_range).tolist()

    @settings(max_examples=60, deadline=None)
    @given(
        st.lists(floats, min_size=1, max_size=50), st.sampled_from(["linear", "nearest", "lower"])
    )
    def test_outlier_clipper_equals_clip_outliers(self, values, method):
        """OutlierClipper().fit_transform(x) is clip_outliers(x), bit for bit."""
        ours = OutlierClipper(method=method).fit_transform(tuple(values))
        assert ours == clip_outliers(tuple(values), method=method)

    def test_series_in_series_out(self):
        """A Series keeps its index and name through fit_transform and transform."""
        s = pd.Series([1.0, 2.0, 3.0], index=list("abc"), name="h")
        out = StandardScaler().fit(s).transform(s)
        assert isinstance(out, pd.Series)
        assert out.name == "h"
        assert list(out.index) == list("abc")
        assert out.tolist() == [-1.0, 0.0, 1.0]


class TestAgreesWithScikitLearn:
    @settings(max_examples=60, deadline=None)
    @given(tables)
    def test_standard_scaler_ddof0(self, x):
        """StandardScaler(ddof=0) equals scikit-learn's on 2-D data to 1e-12 (output and statistics)."""
        ours, theirs = StandardScaler(ddof=0).fit(x), sk.StandardScaler().fit(x)
        np.testing.assert_allclose(ours.transform(x), theirs.transform(x), rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(ours.mean_, theirs.mean_, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(ours.var_, theirs.var_, rtol=1e-12, atol=1e-12)
        assert ours.n_samples_seen_ == theirs.n_samples_seen_

    @settings(max_examples=60, deadline=None)
    @given(tables, st.sampled_from([(0, 1), (-1, 1), (2.5, 7)]))
    def test_min_max_scaler(self, x, feature_range):
        """MinMaxScaler equals scikit-learn's on 2-D data to 1e-12, with sklearn's scale_ and min_."""
        ours, theirs = MinMaxScaler(feature_range).fit(x), sk.MinMaxScaler(feature_range).fit(x)
        np.testing.assert_allclose(ours.transform(x), theirs.transform(x), rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(ours.scale_, theirs.scale_, rtol=1e-12)
        np.testing.assert_allclose(ours.min_, theirs.min_, rtol=1e-12, atol=1e-12)
        assert ours.data_min_.tolist() == theirs.data_min_.tolist()
        assert ours.data_max_.tolist() == theirs.data_max_.tolist()

    @pytest.mark.parametrize("cls", SCALERS)
    def test_constant_unit_maps_as_scikit_learn(self, cls):
        """constant='unit' maps a constant column the way scikit-learn does (scale 1)."""
        x = np.array([[1.0, 5.0], [2.0, 5.0], [4.0, 5.0]])
        kwargs = {"ddof": 0} if cls is StandardScaler else {}
        ours = cls(constant="unit", **kwargs).fit(x)
        theirs = getattr(sk, cls.__name__)().fit(x)
        np.testing.assert_allclose(ours.transform(x), theirs.transform(x), atol=1e-15)
        np.testing.assert_allclose(ours.scale_, theirs.scale_)


class TestInputKinds:
    def test_two_d_array_per_column(self):
        """A 2-D array is scaled per column and comes back as a float64 array."""
        x = np.array([[1, 10], [3, 30]])
        out = MinMaxScaler().fit_transform(x)
        assert out.dtype == np.float64
        assert out.tolist() == [[0.0, 0.0], [1.0, 1.0]]

    def test_dataframe_keeps_index_names_and_order(self):
        """A DataFrame comes back with its index, names and order; columns= leaves others untouched."""
        df = frame()
        out = MinMaxScaler(columns=["income", "age"]).fit_transform(df)
        assert list(out.columns) == ["age", "city", "income"]
        assert list(out.index) == [
            10,
            11,
            12,
            13,
        ]
        assert out["city"].tolist() == list("abcd")
        assert out["age"].tolist() == pytest.approx([0.0, 1 / 3, 2 / 3, 1.0])
        assert out["income"].tolist() == pytest.approx([0.0, 1 / 9, 2 / 9, 1.0])
        assert df["age"].tolist() == [20.0, 30.0, 40.0, 50.0]  # input untouched

    def test_dataframe_columns_in_another_order_match_by_name(self):
        """The fitted columns in another order are matched by name."""
        df = frame()[["age", "income"]]
        scaler = StandardScaler().fit(df)
        swapped = df[["income", "age"]]
        out = scaler.transform(swapped)
        assert list(out.columns) == ["income", "age"]
        np.testing.assert_array_equal(
            out[["age", "income"]].to_numpy(), scaler.transform(df).to_numpy()
        )

    def test_fitted_attributes(self):
        """scikit-learn style attributes describe the fit."""
        scaler = StandardScaler(columns=["age"]).fit(frame())
        assert scaler.feature_names_in_.tolist() == ["age", "city", "income"]
        assert scaler.n_features_in_ == 3
        assert scaler.n_samples_seen_ == 4
        assert scaler.mean_.tolist() == [35.0]

    def test_polars(self):
        """A polars DataFrame comes back as a polars DataFrame, other columns untouched."""
        pl = pytest.importorskip("polars")
        df = pl.DataFrame({"a": [1.0, 2.0, 3.0], "b": ["x", "y", "z"], "c": [0, 5, 10]})
        out = MinMaxScaler(columns=["a", "c"]).fit(df).transform(df)
        assert isinstance(out, pl.DataFrame)
        assert out.columns == ["a", "b", "c"]
        assert out["a"].to_list() == [0.0, 0.5, 1.0]
        assert out["b"].to_list() == ["x", "y", "z"]

    @pytest.mark.parametrize("cls", CLASSES)
    def test_one_row_and_one_value(self, cls):
        """One row of a table, or one value of 1-D data, transforms fine."""
        x = np.array([[1.0, 2.0], [3.0, 5.0], [4.0, 9.0]])
        assert cls().fit(x).transform(x[:1]).shape == (1, 2)
        assert len(cls().fit([1.0, 2.0, 4.0]).transform([3.0])) == 1
        df = pd.DataFrame(x, columns=["a", "b"])
        assert cls().fit(df).transform(df.iloc[[1]]).index.tolist() == [1]

    def test_non_numeric_column_named(self):
        """A text column chosen for scaling is refused, naming the column."""
        with pytest.raises(DataTypeError, match="'city'"):
            StandardScaler().fit(frame())


class TestSkewGuards:
    def test_missing_and_unexpected_columns_named(self):
        """Other columns than fitted: the error names the missing and the unexpected ones."""
        scaler = StandardScaler(columns=["age"]).fit(frame())
        other = frame().rename(columns={"income": "salary"})
        with pytest.raises(DataShapeError) as info:
            scaler.transform(other)
        assert str(info.value) == (
            "StandardScaler.transform: the columns differ from the fitted ones, got missing "
            "columns ['income'] and unexpected columns ['salary']"
        )

    def test_array_column_count(self):
        """An array with another column count is refused, naming both counts."""
        scaler = MinMaxScaler().fit(np.ones((2, 3)) * [[1], [2]])
        with pytest.raises(DataShapeError, match="data must have the 3 fitted columns, got 2"):
            scaler.transform(np.ones((1, 2)))

    @pytest.mark.parametrize("cls", CLASSES)
    def test_not_fitted(self, cls):
        """Transforming before fit raises NotFittedError, also a ValueError and AttributeError."""
        with pytest.raises(NotFittedError) as info:
            cls().transform(np.ones((1, 2)))
        assert isinstance(info.value, ValueError | AttributeError | PreprocessingError)
        assert (
            str(info.value)
            == f"{cls.__name__}.transform: this {cls.__name__} is not fitted yet; call fit first"
        )
        assert not hasattr(cls(), "n_features_in_")


class TestValues:
    def test_constant_columns_named(self):
        """A constant column is an error naming it, by default; the object stays unfitted."""
        df = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 3.0]})
        scaler = StandardScaler()
        with pytest.raises(
            ConstantDataError, match=r"1 fitted column is constant .*got column 'b'"
        ):
            scaler.fit(df)
        with pytest.raises(NotFittedError):
            scaler.transform(df)

    def test_nan_raises_with_column_and_rows(self):
        """NaN is refused by default, naming the column and the index labels."""
        df = pd.DataFrame({"a": [1.0, np.nan, 3.0]}, index=["x", "y", "z"])
        with pytest.raises(MissingValueError) as info:
            StandardScaler().fit(df)
        assert str(info.value) == (
            "StandardScaler.fit: data contains 1 missing value (NaN or None) in column 'a' at "
            "index labels ['y']; drop or impute them, or pass nan_policy='omit' to ignore them"
        )

    def test_nan_omit(self):
        """nan_policy='omit' fits without NaN and keeps it in the output, as scikit-learn does."""
        x = np.array([[1.0, 1.0], [np.nan, 2.0], [3.0, 3.0]])
        ours = StandardScaler(ddof=0, nan_policy="omit").fit(x)
        theirs = sk.StandardScaler().fit(x)
        np.testing.assert_allclose(ours.transform(x), theirs.transform(x))
        assert ours.n_samples_seen_.tolist() == [2, 3]

    def test_transform_refuses_nan_and_infinity(self):
        """transform refuses NaN and infinity under the default policy, naming where."""
        scaler = MinMaxScaler().fit(np.array([[0.0, 1.0], [1.0, 2.0]]))
        with pytest.raises(MissingValueError, match="column 1 at rows \\[0\\]"):
            scaler.transform(np.array([[0.5, np.nan]]))
        with pytest.raises(InfiniteValueError, match="column 0 at rows \\[1\\]"):
            scaler.transform(np.array([[0.5, 1.0], [np.inf, 1.0]]))

    def test_single_value_with_ddof1(self):
        """Fitting one row with ddof=1 says why and what to do."""
        with pytest.raises(EmptyDataError, match="needs more than ddof=1 values per column, got 1"):
            StandardScaler().fit(np.ones((1, 2)))

    @pytest.mark.parametrize("cls", SCALERS)
    def test_inverse_transform(self, cls):
        """inverse_transform undoes transform."""
        x = np.random.default_rng(1).normal(5, 3, (50, 4))
        scaler = cls().fit(x)
        np.testing.assert_allclose(scaler.inverse_transform(scaler.transform(x)), x, rtol=1e-13)

    def test_parameters_checked(self):
        """Bad parameters fail at construction, naming the class and the argument."""
        with pytest.raises(ParameterError, match="StandardScaler: constant"):
            StandardScaler(constant="zero")
        with pytest.raises(ParameterError, match="MinMaxScaler: feature_range"):
            MinMaxScaler((1, 0))
        with pytest.raises(ParameterError, match="OutlierClipper: method"):
            OutlierClipper(method="bogus")


class TestMerging:
    @pytest.mark.parametrize("cls", SCALERS)
    def test_partial_fit_batches_equal_one_fit(self, cls):
        """100 partial_fit batches agree with one fit to 1e-12 relative."""
        x = np.random.default_rng(2).normal(1e3, 7.0, (5000, 3))
        streamed = cls()
        for batch in np.array_split(x, 100):
            streamed.partial_fit(batch)
        whole = cls().fit(x)
        np.testing.assert_allclose(
            streamed.transform(x), whole.transform(x), rtol=1e-12, atol=1e-12
        )
        if cls is StandardScaler:
            np.testing.assert_allclose(streamed.var_, whole.var_, rtol=1e-12)

    @pytest.mark.parametrize("cls", SCALERS)
    def test_sum_of_parts_equals_fit_on_union(self, cls):
        """a + b and sum(parts) fit the union; the parts do not change."""
        x = np.random.default_rng(3).uniform(-5, 5, (90, 2))
        parts = [cls().fit(p) for p in np.array_split(x, 3)]
        before = [p.transform(x) for p in parts]
        merged = sum(parts)
        whole = cls().fit(x)
        np.testing.assert_allclose(merged.transform(x), whole.transform(x), rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(
            (parts[0] + parts[1] + parts[2]).transform(x), whole.transform(x)
        )
        for part, old in zip(parts, before, strict=True):
            assert part.transform(x).tolist() == old.tolist()

    def test_mismatched_merges_refused(self):
        """Merging other parameters, columns or classes is a clear error."""
        x = np.array([[1.0, 2.0], [3.0, 5.0]])
        with pytest.raises(StateError, match="the parameters differ"):
            StandardScaler().fit(x) + StandardScaler(ddof=0).fit(x)
        with pytest.raises(StateError, match="different columns"):
            StandardScaler().fit(x) + StandardScaler().fit(x[:, :1])
        with pytest.raises(StateError, match="cannot merge a MinMaxScaler into a StandardScaler"):
            StandardScaler().fit(x) + MinMaxScaler().fit(x)

    def test_outlier_clipper_is_not_mergeable(self):
        """OutlierClipper refuses partial_fit and +, pointing to method='sketch' instead."""
        with pytest.raises(
            StateError, match="fit on all of the data at once, or pass method='sketch'"
        ):
            OutlierClipper().partial_fit([1.0, 2.0])
        with pytest.raises(
            StateError, match="fit on all of the data at once, or pass method='sketch'"
        ):
            OutlierClipper().fit([1.0, 2.0]) + OutlierClipper().fit([3.0, 4.0])

    @pytest.mark.parametrize("cls", CLASSES)
    def test_pickles(self, cls):
        """A fitted object pickles, and the copy transforms identically."""
        x = np.array([[1.0, 2.0], [3.0, 5.0], [4.0, 9.0]])
        scaler = cls().fit(x)
        copy = pickle.loads(pickle.dumps(scaler))
        assert copy.transform(x).tolist() == scaler.transform(x).tolist()


class TestMemory:
    @pytest.mark.parametrize("cls", CLASSES)
    def test_transform_allocates_the_result_only(self, cls):
        """transform allocates the result and at most one temporary of the input's size."""
        x = np.random.default_rng(4).normal(size=(20_000, 20))
        scaler = cls().fit(x)
        tracemalloc.start()
        try:
            scaler.transform(x)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak <= 2 * x.nbytes + 100_000

    def test_dataframe_transform_allocates_the_result_only(self):
        """A DataFrame result wraps the computed values without copying them again."""
        df = pd.DataFrame(np.random.default_rng(4).normal(size=(20_000, 20)))
        scaler = StandardScaler().fit(df)
        tracemalloc.start()
        try:
            scaler.transform(df)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak <= 1.2 * df.to_numpy().nbytes
