"""Overhead of ml_infra.decorators against tenacity and codetiming.

Each row times a decorated trivial function; ``baseline`` is the bare call, so
the ratio compares the overhead the decorators add, not the work itself.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine

import codetiming
import tenacity
from ml_infra.decorators import retry, timer

from tools.bench.harness import Case, Goal


def _work(x: int = 1) -> int:
    return x


async def _async_work(x: int = 1) -> int:
    return x


def _drive(coro_fn: Callable[[], Coroutine[object, None, object]]) -> Callable[[], object]:
    """Run a coroutine that never suspends, without an event loop."""

    def run() -> object:
        coro = coro_fn()
        try:
            coro.send(None)
        except StopIteration as stop:
            return stop.value
        raise AssertionError("the coroutine suspended")

    return run


def cases() -> list[Case]:
    ours_retry = retry(max_attempts=3, delay=1.0, backoff=2.0)(_work)
    ours_retry_deadline = retry(max_attempts=3, timeout=30.0)(_work)
    tenacity_retry = tenacity.retry(
        stop=tenacity.stop_after_attempt(3), wait=tenacity.wait_exponential()
    )(_work)
    ours_async = retry(max_attempts=3)(_async_work)
    tenacity_async = tenacity.retry(
        stop=tenacity.stop_after_attempt(3), wait=tenacity.wait_exponential()
    )(_async_work)
    ours_timer = timer(logger=None)(_work)
    codetiming_timer = codetiming.Timer(logger=None)(_work)
    return [
        Case(
            name="decorators: retry overhead, success path",
            ours=ours_retry,
            anchor=tenacity_retry,
            anchor_name="tenacity.retry(stop_after_attempt(3), wait_exponential())",
            goal=Goal.faster(50),
            baseline=_work,
        ),
        Case(
            name="decorators: retry(timeout=30) overhead, success path",
            ours=ours_retry_deadline,
            anchor=tenacity_retry,
            anchor_name="tenacity.retry(stop_after_attempt(3), wait_exponential())",
            goal=Goal.faster(50),
            baseline=_work,
        ),
        Case(
            name="decorators: async retry overhead, success path",
            ours=_drive(ours_async),
            anchor=_drive(tenacity_async),
            anchor_name="tenacity.retry(...) on async def",
            goal=Goal.faster(50),
            baseline=_drive(_async_work),
        ),
        Case(
            name="decorators: timer(logger=None) overhead",
            ours=ours_timer,
            anchor=codetiming_timer,
            anchor_name="codetiming.Timer(logger=None) as decorator",
            goal=Goal.at_most(1.0),
            baseline=_work,
        ),
    ]
