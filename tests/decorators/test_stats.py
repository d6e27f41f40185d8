"""Timing statistics: per-name snapshots, reset, folding, lookups."""

from __future__ import annotations

import asyncio
import math

import pytest
from ml_infra.decorators import (
    InvalidArgumentTypeError,
    TimingStats,
    UnknownTimerError,
    _stats,
    all_timing_stats,
    reset_timing_stats,
    timer,
    timing_stats,
)


class TestSnapshots:
    def test_count_total_min_max_mean(self, fake_counter):
        """Statistics aggregate every completed call under the name."""
        fake_counter(0.0, 1.0, 10.0, 13.0, 20.0, 22.0)
        timed = timer(logger=None, name="agg")(lambda: None)
        for _ in range(3):
            timed()
        stats = timing_stats("agg")
        assert stats == TimingStats("agg", 3, 6.0, 1.0, 3.0)
        assert stats.mean == 2.0

    def test_lookup_by_function(self, fake_counter):
        """timing_stats accepts the decorated function itself."""
        fake_counter(0.0, 4.0)

        @timer(logger=None)
        def step() -> None:
            return None

        step()
        assert timing_stats(step).total == 4.0

    def test_functions_sharing_a_name_share_statistics(self, fake_counter):
        """Two functions timed under one name feed one set of statistics."""
        fake_counter(0.0, 1.0, 2.0, 4.0)
        timer(logger=None, name="shared")(lambda: 1)()
        timer(logger=None, name="shared")(lambda: 2)()
        assert timing_stats("shared").count == 2

    def test_empty_statistics_are_nan(self):
        """Before any completed call, min/max/mean are NaN and count is 0."""
        timer(logger=None, name="unused")(lambda: None)
        stats = timing_stats("unused")
        assert stats.count == 0
        assert stats.total == 0.0
        assert math.isnan(stats.min)
        assert math.isnan(stats.max)
        assert math.isnan(stats.mean)

    def test_snapshot_is_frozen(self):
        """Snapshots cannot be modified."""
        stats = TimingStats("x", 1, 1.0, 1.0, 1.0)
        with pytest.raises(AttributeError):
            stats.count = 2  # type: ignore[misc]

    def test_all_timing_stats_sorted(self, fake_counter):
        """all_timing_stats returns every timer by name, sorted."""
        fake_counter()
        timer(logger=None, name="zz.b")(lambda: None)()
        timer(logger=None, name="zz.a")(lambda: None)()
        names = [n for n in all_timing_stats() if n.startswith("zz.")]
        assert names == ["zz.a", "zz.b"]

    def test_many_calls_fold_exactly(self, fake_counter, monkeypatch):
        """Values folded in batches (bounded memory) give exact totals."""
        monkeypatch.setattr(_stats.Accumulator, "FOLD_AT", 7)
        instants: list[float] = []
        for i in range(100):
            instants += [float(10 * i), float(10 * i) + (i % 5) + 1]
        fake_counter(*instants)
        timed = timer(logger=None, name="many")(lambda: None)
        for _ in range(100):
            timed()
        stats = timing_stats("many")
        assert stats.count == 100
        assert stats.total == sum((i % 5) + 1 for i in range(100))
        assert (stats.min, stats.max) == (1.0, 5.0)
        assert len(_stats.accumulator("many").pending) < 7

    def test_async_calls_fold_too(self, fake_counter, monkeypatch):
        """Timed coroutines feed the same bounded, exact statistics."""
        monkeypatch.setattr(_stats.Accumulator, "FOLD_AT", 2)
        fake_counter(0.0, 1.0, 0.0, 2.0, 0.0, 3.0)

        @timer(logger=None, name="async-many")
        async def step() -> None:
            return None

        for _ in range(3):
            asyncio.run(step())
        assert timing_stats("async-many") == TimingStats("async-many", 3, 6.0, 1.0, 3.0)


class TestReset:
    def test_reset_one_name(self, fake_counter):
        """reset_timing_stats(name) zeroes that timer only; recording continues."""
        fake_counter(0.0, 1.0, 0.0, 1.0, 5.0, 7.0)
        a = timer(logger=None, name="reset.a")(lambda: None)
        b = timer(logger=None, name="reset.b")(lambda: None)
        a()
        b()
        reset_timing_stats("reset.a")
        assert timing_stats("reset.a").count == 0
        assert timing_stats("reset.b").count == 1
        a()
        assert timing_stats("reset.a") == TimingStats("reset.a", 1, 2.0, 2.0, 2.0)

    def test_reset_by_function_and_all(self, fake_counter):
        """reset_timing_stats accepts a timed function, or nothing for all timers."""
        fake_counter()
        f = timer(logger=None, name="reset.f")(lambda: None)
        g = timer(logger=None, name="reset.g")(lambda: None)
        f()
        g()
        reset_timing_stats(f)
        assert timing_stats(f).count == 0
        reset_timing_stats()
        assert timing_stats(g).count == 0


class TestLookupErrors:
    def test_unknown_name(self):
        """An unknown name raises UnknownTimerError, a KeyError, naming it."""
        with pytest.raises(UnknownTimerError, match="no timer is named 'nope'") as info:
            timing_stats("nope")
        assert isinstance(info.value, KeyError)
        assert str(info.value) == "timing_stats: no timer is named 'nope'"

    def test_unknown_name_on_reset(self):
        """Resetting an unknown name is an error too."""
        with pytest.raises(UnknownTimerError, match="reset_timing_stats"):
            reset_timing_stats("nope")

    @pytest.mark.parametrize("target", [len, 3, None])
    def test_untimed_target(self, target):
        """A function that is not timed (or a non-name) is a TypeError."""
        with pytest.raises(InvalidArgumentTypeError, match="expected a timer name"):
            timing_stats(target)

    def test_untimed_target_on_reset(self):
        """Resetting a function that is not timed is a TypeError naming reset_timing_stats()."""
        with pytest.raises(
            InvalidArgumentTypeError, match=r"^reset_timing_stats: expected a timer name"
        ):
            reset_timing_stats(len)
