"""Column statistics: blocked, joined-row arithmetic gives the statistics of the whole array."""

from __future__ import annotations

import math
import pickle

import numpy as np
import pytest
from ml_infra.preprocessing import _statistics as statistics
from ml_infra.preprocessing._statistics import Moments


def _reference(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and M2 per column from exactly rounded sums (math.fsum), two passes."""
    mean = np.array([math.fsum(column) / len(column) for column in x.T])
    m2 = np.array([math.fsum((column - m) ** 2) for column, m in zip(x.T, mean, strict=True)])
    return mean, m2


class TestMoments:
    @pytest.mark.parametrize(
        ("rows", "width"),
        [
            *(
                (rows, width)
                for rows in (1, 2, 63, 64, 65, 203, 204, 205, 409, 5100, 13057)
                for width in (1, 3, 20)
            ),
            *((rows, 5000) for rows in (1, 2, 65, 205)),
        ],
    )
    def test_any_row_count_matches_exact_sums(self, rows, width):
        """Whole joined rows, a ragged tail and several blocks all give the exact statistics."""
        x = np.random.default_rng(rows * width).normal(1e3, 7.0, (rows, width))
        moments = Moments.of(x, omit=False)
        mean, m2 = _reference(x)
        np.testing.assert_allclose(moments.mean, mean, rtol=1e-13)
        np.testing.assert_allclose(moments.m2, m2, rtol=1e-11, atol=1e-9)
        assert moments.n.tolist() == [rows] * width

    @pytest.mark.parametrize("order", ["F", "strided"])
    def test_non_contiguous_input_matches_contiguous(self, order):
        """Fortran-ordered and strided views take the broadcasting path, to the same values."""
        x = np.random.default_rng(1).normal(5.0, 2.0, (9000, 20))
        other = np.asfortranarray(x) if order == "F" else np.repeat(x, 2, axis=1)[:, ::2]
        assert not other.flags.c_contiguous
        a, b = Moments.of(x, omit=False), Moments.of(other, omit=False)
        np.testing.assert_allclose(b.mean, a.mean, rtol=1e-14)
        np.testing.assert_allclose(b.m2, a.m2, rtol=1e-12)

    def test_sorted_data_with_large_offset_keeps_precision(self):
        """Blocks far from the reference rows (sorted data) still get their spread right."""
        x = np.sort(np.random.default_rng(2).normal(0.0, 1.0, 300_000))[:, None] + 1e8
        mean, m2 = _reference(x)
        moments = Moments.of(x, omit=False)
        np.testing.assert_allclose(moments.mean, mean, rtol=1e-15)
        np.testing.assert_allclose(moments.m2, m2, rtol=1e-8)

    def test_work_buffer_is_reused_across_shapes(self):
        """The per-thread work buffer serves later calls of other widths without stale values."""
        rng = np.random.default_rng(3)
        arrays = [rng.normal(size=shape) for shape in [(7000, 20), (50, 3), (7000, 20), (3, 1)]]
        first = [Moments.of(x, omit=False).m2 for x in arrays]
        second = [Moments.of(x, omit=False).m2 for x in reversed(arrays)]
        for a, b in zip(first, reversed(second), strict=True):
            np.testing.assert_array_equal(a, b)


class TestFastMoments:
    def test_fast_path_equals_corrected_two_pass(self, monkeypatch):
        """The one-read BLAS sums agree with the corrected two-pass on ordinary data."""
        x = np.random.default_rng(4).normal(40.0, 12.0, (30_000, 20))
        fast = Moments.of(x, omit=False)
        monkeypatch.setattr(statistics, "_CONDITION", 0.0)  # every block takes the two-pass
        exact = Moments.of(x, omit=False)
        np.testing.assert_allclose(fast.mean, exact.mean, rtol=1e-15)
        np.testing.assert_allclose(fast.m2, exact.m2, rtol=1e-13)

    def test_guard_catches_cancellation(self, monkeypatch):
        """Reference rows far from the rest: unguarded, the blocks' sums cancel (~1e-12 off)."""
        tight = 1e3 + np.random.default_rng(5).normal(0.0, 1e-6, 300_000)
        x = np.concatenate([np.zeros(64), tight])[:, None]
        _, m2 = _reference(x)
        assert abs(Moments.of(x, omit=False).m2[0] - m2[0]) < 1e-14 * m2[0]
        monkeypatch.setattr(statistics, "_CONDITION", np.inf)
        assert abs(Moments.of(x, omit=False).m2[0] - m2[0]) > 1e-13 * m2[0]

    def test_overflowing_squares_are_not_settled(self):
        """Squares that overflow fail the fast path: the caller sees M2 = inf and explains it."""
        moments = Moments.of(np.tile([1e160, -1e160], 5000)[:, None], omit=False)
        assert not moments.settled
        assert np.isinf(moments.m2).all()

    @pytest.mark.parametrize("value", [0.1, 1 / 3, 1e-300, 7.0])
    def test_identical_values_have_exactly_zero_m2(self, value):
        """A column of one value has M2 == 0 and its mean exactly, across many blocks."""
        moments = Moments.of(np.full((300_000, 3), value), omit=False)
        assert moments.m2.tolist() == [0.0] * 3
        assert moments.mean.tolist() == [value] * 3

    def test_settled_only_from_the_fast_path(self, monkeypatch):
        """``settled`` promises finite statistics; the two-pass path leaves the checks to callers."""
        x = np.random.default_rng(6).normal(size=(1000, 4))
        assert Moments.of(x, omit=False).settled
        monkeypatch.setattr(statistics, "_CONDITION", 0.0)
        assert not Moments.of(x, omit=False).settled
        assert not Moments.of(x, omit=True).settled

    def test_subnormal_squares_take_the_two_pass(self):
        """Identical values a few ulps off the reference, squared below the normal range: M2 == 0."""
        x = np.full((100, 2), 1.1230249598338843e-147)
        moments = Moments.of(x, omit=False)
        assert not moments.settled
        assert moments.m2.tolist() == [0.0, 0.0]


class TestPickle:
    def test_settled_is_not_pickled(self):
        """A copy says ``settled=False``: the hint belongs to the batch just summarised."""
        moments = Moments.of(np.random.default_rng(7).normal(size=(100, 3)), omit=False)
        assert moments.settled
        copy = pickle.loads(pickle.dumps(moments))
        assert not copy.settled
        np.testing.assert_array_equal(copy.m2, moments.m2)

    def test_reads_the_three_field_state_of_earlier_versions(self):
        """0.1 pickled ``[n, mean, m2]``: it loads, and pickles again."""
        old = Moments.__new__(Moments)
        old.__setstate__([np.array([3]), np.array([2.0]), np.array([2.0])])  # type: ignore[arg-type]
        again = pickle.loads(pickle.dumps(old))
        assert (again.n.tolist(), again.m2.tolist(), again.settled) == ([3], [2.0], False)
