"""retry_on_condition: retry on results, give-up behaviour, async, logging."""

from __future__ import annotations

import asyncio
import logging

import pytest
from ml_infra.decorators import RetryEvent, retry, retry_on_condition, set_testing


def results(*values: object):
    """A function returning the given values in turn; counts its calls in `.calls`."""
    remaining = list(values)

    def produce(*args: object) -> object:
        produce.calls += 1  # type: ignore[attr-defined]
        return remaining.pop(0)

    produce.calls = 0  # type: ignore[attr-defined]
    return produce


class TestCondition:
    def test_retries_until_condition_false(self, fake_time):
        """Calls again while condition(result) is true; returns the first accepted result."""
        produce = results(None, None, 42)
        assert retry_on_condition(lambda r: r is None, max_attempts=5)(produce)() == 42
        assert produce.calls == 3
        assert fake_time.sleeps == [1.0, 2.0]

    def test_accepted_first_time(self, fake_time):
        """No retry when the first result is accepted."""
        produce = results("ready")
        assert retry_on_condition(lambda r: r != "ready")(produce)() == "ready"
        assert fake_time.sleeps == []

    def test_returns_last_result_after_last_attempt(self, fake_time, caplog):
        """After max_attempts the last result is returned and a WARNING says so."""
        caplog.set_level(logging.WARNING, logger="ml_infra.decorators")
        produce = results("pending", "pending", "still pending")
        out = retry_on_condition(lambda r: r != "done", max_attempts=3, delay=0.5)(produce)()
        assert out == "still pending"
        assert fake_time.sleeps == [0.5, 1.0]
        last = caplog.records[-1]
        assert "gave up" in last.getMessage()
        assert "returning the last result" in last.getMessage()
        assert "still pending" not in caplog.text  # results are not logged, only their type
        assert "type str" in caplog.records[0].getMessage()

    def test_deadline_stops_early(self, fake_time):
        """timeout ends retrying before max_attempts when the next wait would pass it."""
        produce = results(*[0] * 10)
        out = retry_on_condition(lambda r: r == 0, max_attempts=10, delay=1.0, timeout=4.0)(
            produce
        )()
        assert out == 0
        assert fake_time.sleeps == [1.0, 2.0]

    def test_exceptions_are_not_retried(self, fake_time):
        """An exception from the function propagates unchanged at once."""
        calls = []

        def boom() -> None:
            calls.append(1)
            raise OSError("disk")

        with pytest.raises(OSError, match="disk"):
            retry_on_condition(lambda r: True)(boom)()
        assert calls == [1]

    def test_condition_errors_propagate(self, fake_time):
        """A failing condition is a bug worth seeing: its exception propagates."""

        def condition(result: object) -> bool:
            raise ZeroDivisionError("bad condition")

        with pytest.raises(ZeroDivisionError, match="bad condition"):
            retry_on_condition(condition)(results(1))()

    def test_stacks_with_retry(self, fake_time):
        """retry on top of retry_on_condition retries both exceptions and results."""
        state = iter([OSError("x"), None, 7])

        @retry(max_attempts=3, delay=0.0)
        @retry_on_condition(lambda r: r is None, delay=0.0)
        def work() -> int | None:
            value = next(state)
            if isinstance(value, BaseException):
                raise value
            return value

        assert work() == 7

    def test_on_retry_sees_rejected_result(self, fake_time):
        """on_retry receives the rejected result and no exception."""
        events: list[RetryEvent] = []
        retry_on_condition(lambda r: r < 2, on_retry=events.append)(results(0, 1, 2))()
        assert [(e.attempt, e.result, e.exception) for e in events] == [(1, 0, None), (2, 1, None)]

    def test_arguments_passed_each_attempt(self, fake_time):
        """Every attempt receives the same arguments."""
        seen = []

        @retry_on_condition(lambda r: len(seen) < 3)
        def record(a: int, *, b: str) -> tuple[int, str]:
            seen.append((a, b))
            return a, b

        assert record(1, b="x") == (1, "x")
        assert seen == [(1, "x")] * 3


class TestAsyncCondition:
    def test_condition_sees_awaited_result(self, fake_time):
        """For async def functions the condition receives the awaited value."""
        produce = results("wait", "go")

        @retry_on_condition(lambda r: r == "wait", delay=0.2)
        async def status() -> object:
            await asyncio.sleep(0)
            return produce()

        assert asyncio.run(status()) == "go"
        assert fake_time.sleeps == [0.2]

    def test_async_accepted_first_time_with_timeout(self, fake_time):
        """An accepted first async result returns at once, deadline or not."""

        @retry_on_condition(lambda r: r is None, timeout=1.0)
        async def ready() -> int:
            return 5

        assert asyncio.run(ready()) == 5
        assert fake_time.sleeps == []

    def test_async_gives_up_with_last_result(self, fake_time):
        """The async path also returns the last result after the last attempt."""

        @retry_on_condition(lambda r: True, max_attempts=2)
        async def never_ready() -> str:
            return "no"

        assert asyncio.run(never_ready()) == "no"
        assert fake_time.sleeps == [1.0]

    def test_testing_mode_skips_async_waits(self):
        """In testing mode, async condition retries do not sleep."""
        produce = results(0, 1)

        @retry_on_condition(lambda r: r == 0, delay=60.0)
        async def poll() -> object:
            return produce()

        with set_testing(True):
            assert asyncio.run(poll()) == 1
