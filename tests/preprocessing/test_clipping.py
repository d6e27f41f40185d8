"""Tests of ``clip_outliers``."""

from __future__ import annotations

import math
import tracemalloc

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from ml_infra.preprocessing import ParameterError, clip_outliers

KINDS = [list, tuple, np.array, pd.Series]


class TestClipOutliers:
    def test_clips_to_numpy_percentiles(self):
        """Bounds are numpy.percentile's, values beyond them are replaced."""
        data = list(range(1, 101))
        lo, hi = np.percentile(data, [5, 95])
        result = clip_outliers(data)
        assert result == np.clip(data, lo, hi).tolist()
        assert min(result) == lo
        assert max(result) == hi

    @pytest.mark.parametrize("kind", KINDS)
    def test_kind_is_preserved(self, kind):
        """List, tuple, ndarray and Series in give the same kind out."""
        result = clip_outliers(kind([1.0, 2.0, 3.0, 4.0, 100.0]), 0, 75)
        expected_type = np.ndarray if kind is np.array else kind
        assert type(result) is expected_type
        assert list(np.asarray(result).tolist()) == [1.0, 2.0, 3.0, 4.0, 4.0]

    @pytest.mark.parametrize("kind", KINDS)
    def test_empty_gives_empty_of_same_kind(self, kind):
        """Empty input returns an empty result of the same kind."""
        data = kind([]) if kind is not pd.Series else pd.Series([], dtype=float)
        result = clip_outliers(data)
        expected_type = np.ndarray if kind is np.array else kind
        assert type(result) is expected_type
        assert len(result) == 0

    def test_empty_array_is_a_new_object(self):
        """Even an empty array result is not the caller's array."""
        x = np.array([], dtype=float)
        assert clip_outliers(x) is not x

    @pytest.mark.parametrize("kind", KINDS)
    def test_input_not_mutated(self, kind):
        """The input keeps its values."""
        data = kind([100.0, 1.0, 2.0, 3.0])
        clip_outliers(data, 10, 90)
        assert list(np.asarray(data).tolist()) == [100.0, 1.0, 2.0, 3.0]

    def test_series_keeps_index_and_name(self):
        """A Series result has the input's index and name."""
        s = pd.Series([1.0, 50.0, 2.0], index=["a", "b", "c"], name="v")
        result = clip_outliers(s, 0, 50)
        assert list(result.index) == ["a", "b", "c"]
        assert result.name == "v"

    def test_method_passes_through(self):
        """method= reaches numpy.percentile."""
        data = [1.0, 2.0, 3.0, 4.0]
        result = clip_outliers(data, 40, 60, method="lower")
        lo, hi = np.percentile(data, [40, 60], method="lower")
        assert result == np.clip(data, lo, hi).tolist()

    def test_unknown_method(self):
        """An unknown method is a ParameterError naming it."""
        with pytest.raises(ParameterError, match="clip_outliers: method 'fancy' is not"):
            clip_outliers([1.0, 2.0], method="fancy")

    def test_nan_policy_omit(self):
        """nan_policy='omit' computes bounds without NaN and keeps NaN in place."""
        result = clip_outliers([1.0, float("nan"), 2.0, 3.0], 0, 50, nan_policy="omit")
        assert result[0] == 1.0
        assert math.isnan(result[1])
        assert result[2:] == [2.0, 2.0]

    def test_masked_entries_are_missing(self):
        """Masked entries do not move the percentiles and stay NaN with nan_policy='omit'."""
        data = np.ma.array([1.0, 1e9, 2.0, 3.0], mask=[0, 1, 0, 0])
        result = clip_outliers(data, 0, 50, nan_policy="omit")
        np.testing.assert_array_equal(result, [1.0, np.nan, 2.0, 2.0])

    def test_nan_policy_omit_all_nan(self):
        """All-NaN data with nan_policy='omit' comes back as NaN, without warnings."""
        result = clip_outliers(np.array([np.nan, np.nan]), nan_policy="omit")
        assert np.isnan(result).all()

    @pytest.mark.parametrize("dtype", [np.float16, np.float32])
    def test_narrow_float_extremes(self, dtype):
        """Percentiles of float16/float32 extremes do not overflow to infinity."""
        big = np.finfo(dtype).max
        x = np.array([-big, big], dtype=dtype)
        result = clip_outliers(x, 10, 90)
        assert result.dtype == dtype
        assert np.isfinite(result).all()
        np.testing.assert_allclose(result, [-0.8 * big, 0.8 * big], rtol=1e-3)

    def test_full_range_is_identity(self):
        """Percentiles 0 and 100 leave the data unchanged."""
        assert clip_outliers([3, 1, 2], 0, 100) == [3.0, 1.0, 2.0]

    @given(
        st.lists(st.floats(-1e9, 1e9), min_size=1, max_size=50),
        st.floats(0, 100),
        st.floats(0, 100),
    )
    def test_matches_numpy(self, data, p1, p2):
        """The result equals np.clip at np.percentile bounds."""
        lo_p, hi_p = sorted((p1, p2))
        lo, hi = np.percentile(data, [lo_p, hi_p])
        assert clip_outliers(data, lo_p, hi_p) == np.clip(data, lo, hi).tolist()

    def test_memory_one_temporary(self):
        """Peak memory stays within the result plus one input-sized temporary."""
        x = np.random.default_rng(0).normal(size=500_000)
        clip_outliers(x[:10])
        tracemalloc.start()
        try:
            clip_outliers(x)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert peak <= 2 * x.nbytes + 64_000
