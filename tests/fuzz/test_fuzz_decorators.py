"""Fuzzing every public function of ``ml_infra.decorators`` with hostile values.

Invariants: applying a decorator, looking statistics up or switching testing
mode with any arguments gives a result or the package's own error (which also
subclasses ``ValueError``/``TypeError``/``KeyError`` and prints); arguments are
never mutated, and calls pass theirs through untouched; the retry schedule and
the timing statistics equal a reference model of what the docs promise.
"""

from __future__ import annotations

import logging
import math
import numbers
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from ml_infra.decorators import (
    DecoratorsError,
    TimingStats,
    UnknownTimerError,
    _attempts,
    _timing,
    all_timing_stats,
    is_testing,
    reset_timing_stats,
    retry,
    retry_on_condition,
    set_testing,
    timer,
    timer_with_units,
    timing_stats,
)

from tests.fuzz.strategies import fingerprint, fuzz_settings, parameters


def _quiet(message: str) -> None:
    """A logger that drops the message."""


def _no_hint(subject: object) -> None:
    """A wait_hint that keeps the computed delay."""


RETRY_KWARGS = st.fixed_dictionaries(
    {},
    optional={
        "max_attempts": parameters(1, 3, np.int64(2)),
        "delay": parameters(0, 0.5, Fraction(1, 3), np.float32(0.25)),
        "backoff": parameters(1, 2.0),
        "max_delay": parameters(None, 1.0),
        "jitter": parameters(0, 0.5, 1),
        "timeout": parameters(None, 30, 0.1),
        "on_retry": parameters(None, _quiet),
        "wait_hint": parameters(None, _no_hint),
        "logger": parameters(None, logging.getLogger("fuzz.decorators")),
    },
)
EXCEPTIONS = parameters(OSError, (OSError, ValueError), [KeyError, OSError], frozenset({OSError}))
TIMER_KWARGS = st.fixed_dictionaries(
    {},
    optional={"logger": parameters(None, _quiet), "name": parameters(None, "fuzz.job") | st.text()},
)


def checked(call: Callable[[], Any], *inputs: object) -> Any:
    """Run ``call``: its result or its package error; the inputs must not change."""
    before = [fingerprint(value) for value in inputs]
    try:
        result = call()
    except DecoratorsError as exc:
        result = exc
    if isinstance(result, DecoratorsError):
        assert isinstance(result, ValueError | TypeError | KeyError)
        assert isinstance(str(result), str)
    assert [fingerprint(value) for value in inputs] == before
    return result


@contextmanager
def skipping_waits() -> Iterator[None]:
    """Retries skip their waits inside; the previous mode comes back after."""
    with set_testing(True):
        yield


def fails_once() -> Callable[[list[int]], str]:
    """A function raising OSError on its first call, then returning "ok"; args untouched."""
    calls: list[int] = []

    def job(payload: list[int]) -> str:
        calls.append(1)
        if len(calls) == 1:
            raise OSError("first call fails")
        return "ok"

    return job


class TestOnlyOwnErrors:
    @fuzz_settings()
    @given(kwargs=RETRY_KWARGS, exceptions=EXCEPTIONS)
    def test_retry(self, kwargs: dict[str, Any], exceptions: Any) -> None:
        """retry with any arguments decorates, or raises the package's error; nothing mutated."""
        decorator = checked(
            lambda: retry(exceptions=exceptions, **kwargs), exceptions, *kwargs.values()
        )
        if isinstance(decorator, DecoratorsError):
            return
        payload = [1, 2]
        with skipping_waits():
            try:
                result = checked(lambda: decorator(fails_once())(payload), payload)
            except OSError:  # one attempt allowed, or OSError not retried: the original error
                return
        assert result == "ok"

    @fuzz_settings()
    @given(kwargs=RETRY_KWARGS, condition=parameters(bool, callable))
    def test_retry_on_condition(self, kwargs: dict[str, Any], condition: Any) -> None:
        """retry_on_condition with any arguments decorates, or raises the package's error."""
        decorator = checked(
            lambda: retry_on_condition(condition, **kwargs), condition, *kwargs.values()
        )
        if not isinstance(decorator, DecoratorsError):
            with skipping_waits():
                assert decorator(lambda: 0)() == 0

    @fuzz_settings()
    @given(target=parameters(len, print, math.floor))
    def test_decorating_any_object(self, target: Any) -> None:
        """Every decorator, applied to any object, wraps it or raises the package's error."""
        for decorator in (retry(), retry_on_condition(bool), timer(logger=None), retry):
            checked(lambda d=decorator: d(target), target)

    @fuzz_settings()
    @given(kwargs=TIMER_KWARGS, unit=parameters("s", "ms", "\u00b5s", "ns") | st.text())
    def test_timers(self, kwargs: dict[str, Any], unit: Any) -> None:
        """timer and timer_with_units with any arguments time calls, or raise the package's error."""
        for make in (lambda: timer(**kwargs), lambda: timer_with_units(unit, **kwargs)):
            decorator = checked(make, unit, *kwargs.values())
            if isinstance(decorator, DecoratorsError):
                continue
            timed = decorator(lambda: 1)
            reset_timing_stats(timed)
            assert timed() == 1
            assert timing_stats(timed).count == 1

    @fuzz_settings()
    @given(target=parameters("fuzz.job", "never.used") | st.text())
    def test_lookups(self, target: Any) -> None:
        """timing_stats and reset_timing_stats give statistics or the package's error."""
        stats = checked(lambda: timing_stats(target), target)
        assert isinstance(stats, TimingStats | DecoratorsError)
        if isinstance(stats, UnknownTimerError):
            assert isinstance(stats, KeyError)
        checked(lambda: reset_timing_stats(target), target)
        assert all(isinstance(s, TimingStats) for s in all_timing_stats().values())

    @fuzz_settings()
    @given(testing=parameters(True, False), max_attempts=parameters(None, 1, 3))
    def test_set_testing(self, testing: Any, max_attempts: Any) -> None:
        """set_testing switches the mode (and restores it), or raises the package's error."""
        before = is_testing()
        mode = checked(lambda: set_testing(testing, max_attempts=max_attempts), testing)
        if not isinstance(mode, DecoratorsError):
            assert is_testing() is testing
            with mode:
                pass
        assert is_testing() is before


# ---------------------------------------------------------------- the reference
class FakeClock:
    """A monotonic clock that only moves when slept on."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@contextmanager
def fake_clock() -> Iterator[FakeClock]:
    """Replace the retry clock and sleep (module hooks looked up at call time)."""
    fake = FakeClock()
    saved = _attempts.clock, _attempts.sleep
    _attempts.clock, _attempts.sleep = fake.clock, fake.sleep
    try:
        yield fake
    finally:
        _attempts.clock, _attempts.sleep = saved


def expected_waits(
    max_attempts: int,
    delay: float,
    backoff: float,
    max_delay: float | None,
    timeout: float | None,
    failures: int,
) -> list[float]:
    """The documented schedule, in the clock's own arithmetic (so deadline ties agree).

    After failed attempt k (while k < max_attempts) the wait is
    min(delay * backoff**(k-1), max_delay), the power taken as a running product;
    retrying stops when that wait would end at or past ``timeout`` after the start.
    """
    cap = _attempts.LONGEST_WAIT if max_delay is None else min(max_delay, _attempts.LONGEST_WAIT)
    started = now = FakeClock().now
    running = delay
    waits: list[float] = []
    for attempt in range(1, failures + 1):
        if attempt >= max_attempts:
            break
        wait = min(running, cap)
        running = min(running * backoff, cap)
        if timeout is not None and now + wait >= started + timeout:
            break
        waits.append(wait)
        now += wait
    return waits


def closed_form(delay: float, backoff: float, max_delay: float | None, count: int) -> list[float]:
    """The README's formula for the first ``count`` waits."""
    cap = math.inf if max_delay is None else max_delay
    return [min(delay * backoff**k, cap) for k in range(count)]


SCHEDULE = st.fixed_dictionaries(
    {
        "max_attempts": st.integers(1, 6),
        "delay": st.floats(0, 10),
        "backoff": st.floats(1, 4),
        "max_delay": st.none() | st.floats(0, 20),
        "timeout": st.none() | st.floats(0.5, 60),
    }
)
FAILURES = st.integers(0, 8)


class TestMatchesReference:
    @fuzz_settings()
    @given(schedule=SCHEDULE, failures=FAILURES)
    def test_retry_schedule(self, schedule: dict[str, Any], failures: int) -> None:
        """retry waits the documented schedule, makes the attempts it allows, returns or re-raises."""
        waits = expected_waits(failures=failures, **schedule)
        calls: list[tuple[int, ...]] = []
        payload = (1, 2)

        @retry(exceptions=OSError, **schedule)
        def job(argument: tuple[int, ...]) -> str:
            calls.append(argument)
            if len(calls) <= failures:
                raise OSError(f"failure {len(calls)}")
            return "ok"

        with fake_clock() as fake:
            try:
                outcome = job(payload)
            except OSError as exc:
                outcome = str(exc)
        assert fake.sleeps == waits
        formula = closed_form(
            schedule["delay"], schedule["backoff"], schedule["max_delay"], len(waits)
        )
        assert waits == pytest.approx(formula, rel=1e-9)
        assert len(calls) == len(waits) + 1
        assert all(argument is payload for argument in calls)
        assert outcome == ("ok" if failures <= len(waits) else f"failure {len(calls)}")

    @fuzz_settings()
    @given(schedule=SCHEDULE, failures=FAILURES)
    def test_retry_on_condition_schedule(self, schedule: dict[str, Any], failures: int) -> None:
        """retry_on_condition waits the same schedule and returns the last result."""
        waits = expected_waits(failures=failures, **schedule)
        results = iter(range(100))

        @retry_on_condition(lambda result: result < failures, **schedule)
        def job() -> int:
            return next(results)

        with fake_clock() as fake:
            outcome = job()
        assert fake.sleeps == waits
        assert outcome == len(waits)

    @fuzz_settings()
    @given(
        hint=parameters(None, 0, 2.5, 7, 10**400, -1.0, math.nan, True), max_delay=st.floats(1, 9)
    )
    def test_wait_hint_any_value(self, hint: Any, max_delay: float) -> None:
        """Any hint: seconds (capped by max_delay) or the computed 1 s; never another error."""
        try:
            as_float = float(hint) if isinstance(hint, numbers.Real) else math.nan
        except Exception:  # a huge int, or a hostile __float__
            as_float = math.nan
        duration = isinstance(hint, np.timedelta64)
        usable = not isinstance(hint, bool) and not duration and 0 <= as_float < math.inf
        failures = [OSError("busy")]

        @retry(delay=1.0, max_delay=max_delay, wait_hint=lambda exc: hint)
        def job() -> str:
            if failures:
                raise failures.pop()
            return "ok"

        logging.getLogger("ml_infra.decorators").disabled = True
        try:
            with fake_clock() as fake:
                assert job() == "ok"
        finally:
            logging.getLogger("ml_infra.decorators").disabled = False
        assert fake.sleeps == [min(as_float, max_delay) if usable else 1.0]

    @fuzz_settings()
    @given(
        durations=st.lists(st.floats(0, 1e3), min_size=1, max_size=20),
        unit=st.sampled_from([("s", 1.0, "seconds"), ("ms", 1e3, "milliseconds")]),
    )
    def test_timing_statistics(self, durations: list[float], unit: tuple[str, float, str]) -> None:
        """count, total, min, max and every report equal those of the measured durations."""
        instants = iter([x for d in durations for x in (0.0, d)])
        lines: list[str] = []
        saved = _timing.perf_counter
        _timing.perf_counter = lambda: next(instants)
        try:
            timed = timer_with_units(unit[0], logger=lines.append, name="fuzz.reference")(
                lambda: None
            )
            reset_timing_stats(timed)
            for _ in durations:
                timed()
        finally:
            _timing.perf_counter = saved
        stats = timing_stats(timed)
        assert (stats.count, stats.min, stats.max) == (
            len(durations),
            min(durations),
            max(durations),
        )
        assert stats.total == pytest.approx(math.fsum(durations), rel=1e-12, abs=1e-12)
        assert lines == [f"fuzz.reference took {d * unit[1]:.4f} {unit[2]}" for d in durations]
