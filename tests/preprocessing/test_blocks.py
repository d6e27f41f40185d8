"""Cache-sized row blocks: they cover the array, and joined-row arithmetic equals broadcasting."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from ml_infra.preprocessing._blocks import blocks, row_block, row_slices, shift, work_buffer


class TestBlocks:
    @pytest.mark.parametrize("rows", [1, 204, 10_000, 13_057])
    def test_blocks_cover_every_row_once_in_order(self, rows):
        """Blocks are about equal, whole joined rows (but the last) and cover the array."""
        x = np.zeros((rows, 20))
        slices = blocks(x, lambda s: s)
        assert slices[0].start == 0
        assert all(a.stop == b.start for a, b in itertools.pairwise(slices))
        assert slices[-1].stop == rows
        size = row_block(x)
        assert size % 204 == 0 or size >= rows
        assert all(s.stop - s.start == size for s in slices[:-1])

    def test_no_rows_no_blocks(self):
        """An array without rows has no blocks (and no zero-sized step)."""
        assert row_slices(np.zeros((0, 3))) == []
        assert blocks(np.zeros((0, 3)), lambda s: s) == []


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


class TestWorkBuffer:
    def test_reused_within_a_thread(self):
        """Two requests on one thread share memory: no fresh pages per block."""
        first = work_buffer(100, 20)
        assert np.shares_memory(first, work_buffer(50, 3))

    def test_large_requests_are_not_kept(self):
        """A request above one block is served but not kept for the next call."""
        big = work_buffer(3_000_000, 1)
        assert not np.shares_memory(big, work_buffer(10, 1))
