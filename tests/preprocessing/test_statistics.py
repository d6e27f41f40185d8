"""Column statistics: blocked, joined-row arithmetic gives the statistics of the whole array."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from ml_infra.preprocessing._statistics import Moments, blocks, row_block, shift


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


class TestBlocks:
    @pytest.mark.parametrize("rows", [1, 204, 10_000, 13_057])
    def test_blocks_cover_every_row_once_in_order(self, rows):
        """Blocks are about equal, whole joined rows (but the last) and cover the array."""
        x = np.zeros((rows, 20))
        slices = blocks(x, lambda s: s)
        assert slices[0].start == 0
        assert all(a.stop == b.start for a, b in itertools.pairwise(slices))
        assert min(slices[-1].stop, rows) == rows
        size = row_block(x)
        assert size % 204 == 0 or size >= rows
        assert all(s.stop - s.start == size for s in slices[:-1])


class TestShift:
    @pytest.mark.parametrize("rows", [1, 204, 205, 1000])
    def test_equals_broadcast_subtraction(self, rows):
        """Joined rows plus a ragged tail give exactly ``x - centre``."""
        x = np.random.default_rng(rows).normal(size=(rows, 20))
        centre = x[:3].mean(axis=0)
        np.testing.assert_array_equal(shift(x, centre, np.empty_like(x)), x - centre)

    def test_in_place(self):
        """``out`` may be ``x`` itself."""
        x = np.arange(1000.0).reshape(250, 4)
        expected = x - np.array([1.0, 2.0, 3.0, 4.0])
        assert shift(x, np.array([1.0, 2.0, 3.0, 4.0]), x) is x
        np.testing.assert_array_equal(x, expected)
