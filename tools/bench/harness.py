"""Benchmark harness: each case times *ours* against an *anchor* in the same run.

A benchmark module ``tools/bench/bench_<area>.py`` defines ``cases() -> list[Case]``.
The harness measures both callables interleaved (ours, anchor, ours, anchor, ...)
so that machine noise hits both alike, keeps the best of N repeats (the least
disturbed measurement), and reports ``ratio = ours / anchor`` (time per call).

Goals are stated on that ratio:

* ``Goal.at_most(1.3)``: ours may take at most 1.3x the anchor's time;
* ``Goal.faster(50)``: ours must be at least 50x faster (ratio <= 1/50).

For overhead cases (a decorator around a trivial function) pass ``baseline``:
the bare call's time is subtracted from both sides before the ratio is taken.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Goal:
    """A bound on ``ours / anchor``."""

    max_ratio: float
    text: str

    @classmethod
    def at_most(cls, factor: float) -> Goal:
        return cls(factor, f"<= {factor:g}x anchor time")

    @classmethod
    def faster(cls, factor: float) -> Goal:
        return cls(1.0 / factor, f">= {factor:g}x faster")

    def met(self, ratio: float) -> bool:
        return ratio <= self.max_ratio


@dataclass
class Case:
    """One benchmark row."""

    name: str
    ours: Callable[[], object]
    anchor: Callable[[], object]
    anchor_name: str
    goal: Goal
    baseline: Callable[[], object] | None = None
    repeat: int = 7
    number: int | None = None  # calls per timing; None = calibrate to ~min_time
    min_time: float = 0.05
    setup: Callable[[], object] | None = None
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Result:
    case: Case
    ours: float  # seconds per call (best of repeats, baseline subtracted)
    anchor: float
    ours_median: float
    anchor_median: float

    @property
    def ratio(self) -> float:
        return self.ours / self.anchor if self.anchor > 0 else float("inf")

    @property
    def ok(self) -> bool:
        return self.case.goal.met(self.ratio)


def _time(fn: Callable[[], object], number: int) -> float:
    start = time.perf_counter()
    for _ in range(number):
        fn()
    return (time.perf_counter() - start) / number


def _calibrate(fn: Callable[[], object], min_time: float) -> int:
    number = 1
    while True:
        if _time(fn, number) * number >= min_time or number >= 1 << 24:
            return number
        number *= 4 if number < 1 << 20 else 2


def measure(case: Case) -> Result:
    """Time a case: interleaved repeats, best-of-N and median per side."""
    if case.setup is not None:
        case.setup()
    funcs = {"ours": case.ours, "anchor": case.anchor}
    if case.baseline is not None:
        funcs["baseline"] = case.baseline
    numbers = {key: case.number or _calibrate(fn, case.min_time) for key, fn in funcs.items()}
    samples: dict[str, list[float]] = {key: [] for key in funcs}
    gc_was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        for _ in range(case.repeat):
            for key, fn in funcs.items():
                samples[key].append(_time(fn, numbers[key]))
    finally:
        if gc_was_enabled:
            gc.enable()
    base_best = min(samples["baseline"]) if "baseline" in samples else 0.0
    base_median = statistics.median(samples["baseline"]) if "baseline" in samples else 0.0
    return Result(
        case=case,
        ours=max(min(samples["ours"]) - base_best, 1e-12),
        anchor=max(min(samples["anchor"]) - base_best, 1e-12),
        ours_median=max(statistics.median(samples["ours"]) - base_median, 1e-12),
        anchor_median=max(statistics.median(samples["anchor"]) - base_median, 1e-12),
    )


def fmt_seconds(seconds: float) -> str:
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"
