"""Fixtures for the decorators tests: fake time, and no real sleeping, ever."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from ml_infra.decorators import _attempts, _testing, _timing, reset_timing_stats


def _no_real_sleep(seconds: float) -> None:
    raise AssertionError(f"a test tried to really sleep {seconds} s; use fake_time or set_testing")


async def _no_real_async_sleep(seconds: float) -> None:
    _no_real_sleep(seconds)


class FakeTime:
    """A monotonic clock that only moves when slept on (or advanced by hand)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def clock(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self.now += seconds

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)


@pytest.fixture(autouse=True)
def _isolate(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test: no real sleep, testing mode off, timing statistics zeroed."""
    monkeypatch.setattr(_attempts, "sleep", _no_real_sleep)
    monkeypatch.setattr(_attempts, "async_sleep", _no_real_async_sleep)
    previous = _testing.testing_attempt_cap()
    reset_timing_stats()
    yield
    _testing.TestingMode(previous).__exit__(None, None, None)


@pytest.fixture
def fake_time(monkeypatch: pytest.MonkeyPatch) -> FakeTime:
    """Replace the retry clock and sleeps with a FakeTime; returns it."""
    fake = FakeTime()
    monkeypatch.setattr(_attempts, "clock", fake.clock)
    monkeypatch.setattr(_attempts, "sleep", fake.sleep)
    monkeypatch.setattr(_attempts, "async_sleep", fake.async_sleep)
    return fake


class FakeCounter:
    """A perf_counter that returns scripted instants, then keeps counting by 1."""

    def __init__(self, *instants: float) -> None:
        self._instants = list(instants)
        self._lock = threading.Lock()
        self._last = 0.0

    def __call__(self) -> float:
        with self._lock:
            self._last = self._instants.pop(0) if self._instants else self._last + 1.0
            return self._last


@pytest.fixture
def fake_counter(monkeypatch: pytest.MonkeyPatch):
    """Install a FakeCounter as the timer clock; call the fixture with the instants."""

    def install(*instants: float) -> FakeCounter:
        counter = FakeCounter(*instants)
        monkeypatch.setattr(_timing, "perf_counter", counter)
        return counter

    return install
