"""Large arrays split across threads give exactly the single-thread results."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from ml_infra.preprocessing import MissingValueError, normalize
from ml_infra.preprocessing import _parallel as parallel


@pytest.fixture
def small_threshold(monkeypatch):
    """Make 1,000-element arrays count as large, on a pretend 4-CPU machine."""
    monkeypatch.setattr(parallel, "MIN_PARALLEL_SIZE", 256)
    monkeypatch.setattr(parallel, "_available_cpus", lambda: 4)
    monkeypatch.delenv(parallel.ENV_VAR, raising=False)


class TestThreadCount:
    def test_small_arrays_stay_on_the_calling_thread(self):
        """Below the threshold no thread is started."""
        assert parallel.thread_count(parallel.MIN_PARALLEL_SIZE - 1) == 1

    @pytest.mark.usefixtures("small_threshold")
    def test_bounded_by_cpus_and_size(self):
        """Threads never exceed the CPUs, nor one per half-threshold of elements."""
        assert parallel.thread_count(256) == 2
        assert parallel.thread_count(10_000) == 4

    @pytest.mark.usefixtures("small_threshold")
    @pytest.mark.parametrize(
        ("value", "expected"), [("1", 1), ("2", 2), ("64", 4), ("", 4), ("x", 4), ("0", 4)]
    )
    def test_environment_variable_caps_threads(self, monkeypatch, value, expected):
        """ML_INFRA_NUM_THREADS caps the count; invalid values are ignored."""
        monkeypatch.setenv(parallel.ENV_VAR, value)
        assert parallel.thread_count(10_000) == expected


@pytest.mark.usefixtures("small_threshold")
class TestRunSplit:
    def test_slices_cover_the_range_in_order(self):
        """The slices are consecutive, disjoint and cover every element."""
        slices = parallel.run_split(1001, lambda s: s)
        assert len(slices) == 4
        assert slices[0].start == 0
        assert slices[-1].stop == 1001
        assert all(a.stop == b.start for a, b in itertools.pairwise(slices))

    def test_errors_in_a_thread_reach_the_caller(self):
        """An exception in a worker thread is raised on the calling thread."""

        def work(s: slice) -> None:
            if s.start > 0:
                raise ZeroDivisionError(f"slice {s.start}")

        with pytest.raises(ZeroDivisionError, match="slice"):
            parallel.run_split(1000, work)

    @pytest.mark.parametrize("size", [256, 1000, 4097, 200_003])
    def test_normalize_matches_the_single_thread_result_exactly(self, monkeypatch, size):
        """Threaded normalize equals the numpy expression bit for bit."""
        x = np.random.default_rng(size).normal(size=size)
        expected = (x - x.min()) / (x.max() - x.min())
        assert np.array_equal(normalize(x), expected)
        monkeypatch.setenv(parallel.ENV_VAR, "1")
        assert np.array_equal(normalize(x), expected)

    @pytest.mark.parametrize(
        ("size", "position"), [(1000, 0), (1000, 300), (1000, 999), (200_003, 150_000)]
    )
    def test_nan_in_any_slice_is_found(self, size, position):
        """A NaN in any thread's slice (or cache block) is reported with its position."""
        x = np.arange(size, dtype=float)
        x[position] = np.nan
        with pytest.raises(MissingValueError, match=rf"positions \[{position}\]"):
            normalize(x)
