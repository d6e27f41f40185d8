"""Tests of ``normalize`` and ``standardize``."""

from __future__ import annotations

import math
import statistics
import tracemalloc
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from ml_infra.preprocessing import (
    ConstantDataError,
    EmptyDataError,
    MissingValueError,
    ParameterError,
    normalize,
    standardize,
)

KINDS = [list, tuple, np.array, pd.Series]
floats = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
samples = st.lists(floats, min_size=2, max_size=60).filter(lambda v: min(v) != max(v))


def as_list(result):
    """Any result kind as a list of floats."""
    return list(np.asarray(result, dtype=float).tolist())


class TestNormalize:
    def test_seed_doctest(self):
        """The seed's example holds exactly: list in, list of floats out."""
        result = normalize([1, 2, 3, 4, 5])
        assert result == [0.0, 0.25, 0.5, 0.75, 1.0]
        assert all(type(v) is float for v in result)

    @pytest.mark.parametrize("kind", KINDS)
    def test_kind_is_preserved(self, kind):
        """List, tuple, ndarray and Series in give the same kind out."""
        result = normalize(kind([2.0, 4.0, 6.0]))
        expected_type = np.ndarray if kind is np.array else kind
        assert type(result) is expected_type
        assert as_list(result) == [0.0, 0.5, 1.0]

    def test_series_keeps_index_and_name(self):
        """A Series result has the input's index and name."""
        s = pd.Series([1.0, 3.0, 2.0], index=["x", "y", "z"], name="height")
        result = normalize(s)
        assert list(result.index) == ["x", "y", "z"]
        assert result.name == "height"
        assert result.tolist() == [0.0, 1.0, 0.5]

    @pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64, np.int8, np.uint16])
    def test_array_dtypes(self, dtype):
        """Float arrays keep their dtype; integer arrays become float64."""
        result = normalize(np.array([0, 5, 10], dtype=dtype))
        assert result.dtype == (dtype if np.dtype(dtype).kind == "f" else np.float64)
        assert result.tolist() == [0.0, 0.5, 1.0]

    @pytest.mark.parametrize("kind", KINDS)
    def test_input_not_mutated(self, kind):
        """The input keeps its values (and an array is not written to)."""
        data = kind([3.0, 1.0, 2.0])
        normalize(data)
        assert as_list(data) == [3.0, 1.0, 2.0]

    def test_feature_range(self):
        """feature_range maps min and max onto the given pair."""
        assert normalize([0, 5, 10], feature_range=(-1, 1)) == [-1.0, 0.0, 1.0]

    def test_feature_range_wider_than_float_max(self):
        """A feature_range whose width overflows is still mapped onto exactly."""
        assert normalize([1.0, 2.0, 3.0], feature_range=(-1e308, 1e308)) == [-1e308, 0.0, 1e308]

    def test_feature_range_beyond_the_dtype(self):
        """A feature_range that a float32 cannot hold is a ParameterError, not infinity."""
        with pytest.raises(ParameterError, match=r"normalize: feature_range .* float32"):
            normalize(np.array([1.0, 2.0], dtype=np.float32), feature_range=(0, 1e39))

    def test_nan_policy_omit(self):
        """nan_policy='omit' ignores NaN/None for min/max and keeps them NaN."""
        result = normalize([1.0, None, 3.0, float("nan")], nan_policy="omit")
        assert result[0] == 0.0
        assert result[2] == 1.0
        assert math.isnan(result[1])
        assert math.isnan(result[3])

    def test_masked_entries_are_missing(self):
        """A masked array's masked entries are missing values, not data."""
        data = np.ma.array([1.0, 20.0, 3.0, 2.0], mask=[0, 1, 0, 0])
        with pytest.raises(MissingValueError) as info:
            normalize(data)
        assert info.value.positions == (1,)
        result = normalize(data, nan_policy="omit")
        np.testing.assert_array_equal(result, [0.0, np.nan, 1.0, 0.5])
        assert data.data.tolist() == [1.0, 20.0, 3.0, 2.0]
        assert data.mask.tolist() == [False, True, False, False]

    def test_omit_all_missing(self):
        """All-NaN data with nan_policy='omit' is empty data."""
        with pytest.raises(EmptyDataError, match="every value is missing"):
            normalize([float("nan")] * 3, nan_policy="omit")

    def test_huge_range_does_not_overflow(self):
        """A range beyond float max is still normalized correctly."""
        assert normalize([-1e308, 0.0, 1e308]) == [0.0, 0.5, 1.0]

    def test_large_array_matches_numpy_exactly(self):
        """On a multi-block array the result is bit-identical to the numpy expression."""
        x = np.random.default_rng(3).normal(size=200_001)
        expected = (x - x.min()) / (x.max() - x.min())
        np.testing.assert_array_equal(normalize(x), expected)

    def test_non_contiguous_array(self):
        """A strided view is handled and left untouched."""
        base = np.arange(20.0)
        view = base[::2]
        assert normalize(view).tolist() == [i / 9 for i in range(10)]
        assert base.tolist() == list(np.arange(20.0))


class TestStandardize:
    def test_simple(self):
        """[1, 2, 3] has mean 2 and sample std 1."""
        assert standardize([1, 2, 3]) == [-1.0, 0.0, 1.0]

    @pytest.mark.parametrize("kind", KINDS)
    def test_kind_is_preserved(self, kind):
        """List, tuple, ndarray and Series in give the same kind out."""
        result = standardize(kind([1.0, 2.0, 3.0]))
        expected_type = np.ndarray if kind is np.array else kind
        assert type(result) is expected_type
        assert as_list(result) == [-1.0, 0.0, 1.0]

    def test_series_keeps_index_and_name(self):
        """A Series result has the input's index and name."""
        s = pd.Series([1.0, 2.0, 3.0], index=[7, 8, 9], name="w")
        result = standardize(s)
        assert list(result.index) == [7, 8, 9]
        assert result.name == "w"

    @pytest.mark.parametrize("kind", KINDS)
    def test_input_not_mutated(self, kind):
        """The input keeps its values."""
        data = kind([3.0, 1.0, 2.0])
        standardize(data)
        assert as_list(data) == [3.0, 1.0, 2.0]

    def test_ddof_zero_matches_pstdev(self):
        """ddof=0 uses the population standard deviation."""
        data = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]
        mean, sd = statistics.fmean(data), statistics.pstdev(data)
        assert standardize(data, ddof=0) == pytest.approx(
            [(v - mean) / sd for v in data], abs=1e-12
        )

    def test_nan_policy_omit(self):
        """nan_policy='omit' ignores NaN in mean/std and keeps them NaN."""
        result = standardize([1.0, float("nan"), 3.0, 5.0], nan_policy="omit")
        assert result[0] == -1.0
        assert math.isnan(result[1])
        assert result[2:] == [0.0, 1.0]

    def test_masked_entries_are_missing(self):
        """A masked array's masked entries are left out with nan_policy='omit'."""
        data = np.ma.array([1, 500, 3], mask=[0, 1, 0])
        with pytest.raises(MissingValueError):
            standardize(data)
        result = standardize(data, nan_policy="omit")
        np.testing.assert_allclose(result, [-(0.5**0.5), np.nan, 0.5**0.5], rtol=0, atol=1e-12)

    def test_nearly_constant_float_noise_is_constant(self):
        """Identical values whose mean has rounding noise still count as constant."""
        with pytest.raises(ConstantDataError):
            standardize([0.1] * 10)

    def test_tiny_real_spread_is_not_constant(self):
        """Values differing in their last bits are not constant."""
        data = [1.0, 1.0 + 2**-52, 1.0]
        result = standardize(data)
        assert max(result) > 0

    def test_overflowing_sum(self):
        """Values whose sum overflows are standardized correctly."""
        data = [1e308, 1e308, -1e308, -1e308]
        assert standardize(data) == pytest.approx(
            [0.866025403784, 0.866025403784, -0.866025403784, -0.866025403784]
        )

    @pytest.mark.parametrize("magnitude", [1e200, 1e155, 1e-160, 1e-200, 1e-320])
    def test_squares_beyond_float_range(self, magnitude):
        """Deviations whose squares overflow or underflow still give exact z-scores."""
        data = [-magnitude, 0.0, magnitude]
        assert standardize(data) == [-1.0, 0.0, 1.0]
        assert standardize(np.array(data)).tolist() == [-1.0, 0.0, 1.0]

    def test_deviations_overflow(self):
        """Finite data whose deviations from the mean overflow is standardized correctly."""
        data = [1.7e308, -1.7e308, -1.7e308]
        expected = [2 / math.sqrt(3), -1 / math.sqrt(3), -1 / math.sqrt(3)]
        assert standardize(data) == pytest.approx(expected, abs=1e-12)
        result = standardize([1.7e308, -1.7e308, float("nan")], nan_policy="omit")
        assert result[:2] == pytest.approx([0.5**0.5, -(0.5**0.5)], abs=1e-12)
        assert math.isnan(result[2])

    @pytest.mark.parametrize("dtype", [np.float16, np.float32])
    def test_narrow_float_extremes(self, dtype):
        """float16/float32 data spanning their whole range neither overflows nor warns."""
        big = np.finfo(dtype).max
        x = np.array([-big, 0, big], dtype=dtype)
        assert standardize(x).tolist() == [-1.0, 0.0, 1.0]
        assert standardize(x).dtype == dtype
        assert normalize(x).tolist() == [0.0, 0.5, 1.0]

    def test_large_mean_small_spread_is_exact(self):
        """A mean far from zero leaves no rounding error in the z-scores (vs exact rationals)."""
        data = [-1e6 + 1e-3 * v for v in (0.3, -1.2, 0.7, 2.1, -0.4, 1.9, -2.2, 0.05)]
        exact = [Fraction(v) for v in data]
        mean = sum(exact) / len(exact)
        sd = math.sqrt(sum((v - mean) ** 2 for v in exact) / (len(exact) - 1))
        expected = [float(v - mean) / sd for v in exact]
        np.testing.assert_allclose(standardize(data), expected, rtol=0, atol=1e-13)

    def test_too_few_values_for_ddof(self):
        """More values than ddof are needed; the message speaks of single values only for one."""
        with pytest.raises(EmptyDataError) as info:
            standardize([1.0, 2.0, 3.0], ddof=3)
        assert str(info.value) == "Cannot standardize: needs more than ddof=3 values, got 3"

    @pytest.mark.parametrize("ddof", [-1, 1.5, True, "1"])
    def test_bad_ddof(self, ddof):
        """ddof must be a non-negative int."""
        with pytest.raises(ParameterError, match="standardize: ddof must be a non-negative int"):
            standardize([1.0, 2.0], ddof=ddof)

    def test_float32_keeps_dtype(self):
        """float32 data gives float32 z-scores."""
        result = standardize(np.array([1, 2, 3], dtype=np.float32))
        assert result.dtype == np.float32
        np.testing.assert_allclose(result, [-1.0, 0.0, 1.0], atol=1e-6)


class TestProperties:
    @given(samples)
    def test_normalize_matches_numpy_expression(self, data):
        """normalize equals (x - min) / (max - min) to 1e-12."""
        x = np.array(data)
        expected = (x - x.min()) / (x.max() - x.min())
        np.testing.assert_allclose(normalize(data), expected, rtol=0, atol=1e-12)

    @given(samples)
    def test_normalize_range(self, data):
        """Outputs lie in [0, 1] with the extremes hit exactly."""
        result = normalize(data)
        assert min(result) == 0.0
        assert max(result) == 1.0

    @given(samples)
    def test_normalize_idempotent(self, data):
        """Normalizing normalized data changes nothing (to 1e-12)."""
        once = normalize(data)
        np.testing.assert_allclose(normalize(once), once, rtol=0, atol=1e-12)

    @given(samples, st.floats(-1e3, 1e3), st.floats(1e-3, 1e3))
    def test_normalize_shift_scale_invariant(self, data, shift, factor):
        """Shifting and positive scaling of the data do not change the result.

        Up to rounding: moving the data rounds each value to the float spacing at its
        new magnitude, which is magnified by magnitude / range in the result (data
        spanning 1e-8 moved to 256 keeps only about 6 significant digits).
        """
        moved = [v * factor + shift for v in data]
        assume(min(moved) != max(moved))
        spread = max(moved) - min(moved)
        rounding = 8 * np.finfo(float).eps * max(abs(v) for v in moved) / spread
        np.testing.assert_allclose(normalize(moved), normalize(data), rtol=0, atol=1e-6 + rounding)

    @given(samples)
    def test_standardize_matches_statistics(self, data):
        """standardize equals statistics.stdev-based z-scores to 1e-12."""
        mean, sd = statistics.mean(data), statistics.stdev(data)
        assume(sd > 1e-3)
        expected = [(v - mean) / sd for v in data]
        np.testing.assert_allclose(standardize(data), expected, rtol=0, atol=1e-12)

    @given(
        st.floats(-1e6, 1e6),
        st.lists(st.floats(-1, 1), min_size=2, max_size=30),
        st.sampled_from([1e-3, 1.0, 1e3, 1e-200, 1e200]),
    )
    def test_standardize_matches_exact_rationals(self, offset, noise, spread):
        """z-scores equal the exactly computed ones to 1e-12, whatever the offset and scale."""
        data = [offset * spread + v * spread for v in noise]
        exact = [Fraction(v) for v in data]
        mean = sum(exact) / len(exact)
        var = sum((v - mean) ** 2 for v in exact) / (len(exact) - 1)
        assume(var > 0)
        # Work at the spread's scale (a power of two) so no float underflows or overflows.
        half_exponent = (var.numerator.bit_length() - var.denominator.bit_length()) // 2
        scale = Fraction(2) ** half_exponent
        sd = math.sqrt(var / scale**2)
        expected = [float((v - mean) / scale) / sd for v in exact]
        np.testing.assert_allclose(standardize(data), expected, rtol=0, atol=1e-12)

    @given(samples, st.floats(-1e3, 1e3), st.floats(1e-3, 1e3))
    def test_standardize_shift_scale_invariant(self, data, shift, factor):
        """Shifting and positive scaling of the data do not change the z-scores."""
        assume(statistics.stdev(data) > 1e-3)
        moved = [v * factor + shift for v in data]
        np.testing.assert_allclose(standardize(moved), standardize(data), rtol=0, atol=1e-6)

    @given(samples)
    def test_standardize_moments(self, data):
        """z-scores have mean 0 and sample standard deviation 1."""
        assume(statistics.stdev(data) > 1e-3)
        result = standardize(data)
        assert abs(statistics.fmean(result)) < 1e-9
        assert statistics.stdev(result) == pytest.approx(1.0, abs=1e-9)


class TestMemory:
    @pytest.mark.parametrize("func", [normalize, standardize])
    def test_at_most_one_temporary(self, func):
        """Peak memory stays within the result plus one input-sized temporary."""
        x = np.random.default_rng(0).normal(size=500_000)
        func(x[:10])  # warm up imports and caches
        tracemalloc.start()
        try:
            result = func(x)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert result.nbytes == x.nbytes
        assert peak <= 2 * x.nbytes + 64_000
