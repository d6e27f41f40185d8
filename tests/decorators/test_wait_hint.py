"""retry(wait_hint=...): server-hinted waits (Retry-After), bounds, and bad hints."""

from __future__ import annotations

import asyncio
import logging
import math
from fractions import Fraction

import pytest
from ml_infra.decorators import (
    InvalidArgumentTypeError,
    RetryEvent,
    retry,
    retry_on_condition,
    set_testing,
)


class HTTPError(Exception):
    """An HTTP error carrying its response headers."""

    def __init__(self, status: int, headers: dict[str, str]) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status
        self.headers = headers


def retry_after(exc: BaseException) -> float | None:
    """Seconds from a Retry-After header (delta-seconds form), else None."""
    value = getattr(exc, "headers", {}).get("Retry-After")
    return float(value) if value is not None and value.isdigit() else None


class Responses:
    """Raises the given exceptions in turn, then returns "ok"."""

    def __init__(self, *failures: BaseException) -> None:
        self.failures = list(failures)

    def __call__(self) -> str:
        if self.failures:
            raise self.failures.pop(0)
        return "ok"


class TestHint:
    def test_hint_replaces_the_computed_delay(self, fake_time):
        """A Retry-After of 7 s is waited instead of the 1 s schedule; None keeps it."""
        calls = Responses(HTTPError(429, {"Retry-After": "7"}), HTTPError(503, {}))
        wrapped = retry(delay=1.0, backoff=2.0, exceptions=HTTPError, wait_hint=retry_after)
        assert wrapped(calls)() == "ok"
        assert fake_time.sleeps == [7.0, 2.0]

    def test_hint_is_capped_by_max_delay(self, fake_time):
        """A hint beyond max_delay waits max_delay."""
        calls = Responses(HTTPError(429, {"Retry-After": "3600"}))
        assert retry(max_delay=30.0, wait_hint=retry_after)(calls)() == "ok"
        assert fake_time.sleeps == [30.0]

    def test_hint_past_the_timeout_gives_up(self, fake_time):
        """A hinted wait that would end past timeout is not started: the error propagates."""
        calls = Responses(HTTPError(503, {"Retry-After": "120"}))
        with pytest.raises(HTTPError) as info:
            retry(timeout=60.0, wait_hint=retry_after)(calls)()
        assert fake_time.sleeps == []
        assert "timeout=60s: the next wait of 120s" in info.value.__notes__[0]

    def test_hint_is_not_jittered(self, fake_time, monkeypatch):
        """Jitter shortens computed waits only: the server's figure is kept."""
        from ml_infra.decorators import _attempts

        monkeypatch.setattr(_attempts, "random", lambda: 1.0)
        calls = Responses(HTTPError(429, {"Retry-After": "4"}), OSError())
        assert retry(delay=2.0, jitter=0.5, wait_hint=retry_after)(calls)() == "ok"
        assert fake_time.sleeps == [4.0, 2.0]  # 2nd: 4.0 computed, halved by jitter

    def test_on_retry_sees_the_hinted_delay(self, fake_time):
        """RetryEvent.next_delay is the wait actually planned."""
        events: list[RetryEvent] = []
        calls = Responses(HTTPError(429, {"Retry-After": "9"}))
        retry(on_retry=events.append, wait_hint=retry_after)(calls)()
        assert [e.next_delay for e in events] == [9.0]

    def test_async_hint(self, fake_time):
        """Async retries wait the hinted time with asyncio.sleep."""
        failures = [HTTPError(429, {"Retry-After": "5"})]

        @retry(wait_hint=retry_after)
        async def fetch() -> str:
            if failures:
                raise failures.pop()
            return "ok"

        assert asyncio.run(fetch()) == "ok"
        assert fake_time.sleeps == [5.0]

    def test_testing_mode_skips_hinted_waits(self):
        """Under set_testing the hinted wait is skipped like any other."""
        calls = Responses(HTTPError(429, {"Retry-After": "600"}))
        with set_testing(True):
            assert retry(wait_hint=retry_after)(calls)() == "ok"

    def test_condition_hint_gets_the_result(self, fake_time):
        """retry_on_condition passes the rejected result to wait_hint."""
        results = iter([{"state": "queued", "poll_after": 15}, {"state": "done"}])
        seen: list[object] = []

        def poll_after(result: dict[str, object]) -> object:
            seen.append(result["state"])
            return result.get("poll_after")

        @retry_on_condition(lambda r: r["state"] != "done", wait_hint=poll_after)
        def job() -> dict[str, object]:
            return next(results)

        assert job() == {"state": "done"}
        assert fake_time.sleeps == [15.0]
        assert seen == ["queued"]

    def test_any_real_number_is_seconds(self, fake_time):
        """int, 0, Fraction and numpy numbers are seconds too; 0 retries at once."""
        np = pytest.importorskip("numpy")
        hints = iter([0, 2, Fraction(1, 4), np.int64(3), np.float32(0.5)])
        calls = Responses(*[OSError()] * 5)
        wrapped = retry(max_attempts=6, delay=5.0, wait_hint=lambda exc: next(hints))
        assert wrapped(calls)() == "ok"
        assert fake_time.sleeps == [0.0, 2.0, 0.25, 3.0, 0.5]


class Unprintable:
    """A hint value whose repr raises."""

    def __repr__(self) -> str:
        raise RuntimeError("no repr")


class TestBadHints:
    @pytest.mark.parametrize(
        "value",
        [-1, math.nan, math.inf, "5", True, 10**400, Unprintable(), [5]],
        ids=["negative", "nan", "inf", "str", "bool", "huge-int", "unprintable", "list"],
    )
    def test_bad_value_falls_back_with_a_warning(self, value, fake_time, caplog):
        """A hint that is not seconds or None: WARNING record, and the computed delay."""
        caplog.set_level(logging.WARNING, logger="ml_infra.decorators")
        calls = Responses(OSError("busy"))
        assert retry(delay=3.0, wait_hint=lambda exc: value)(calls)() == "ok"
        assert fake_time.sleeps == [3.0]
        (warning,) = [r for r in caplog.records if r.getMessage().startswith("retry: wait_hint")]
        message = warning.getMessage()
        assert message.startswith("retry: wait_hint returned ")
        assert "expected seconds (a finite number >= 0) or None" in message
        assert message.endswith("waiting the computed 3 s instead")
        assert (warning.operation, warning.attempt) == ("Responses", 1)

    def test_raising_hint_falls_back_with_a_warning(self, fake_time, caplog):
        """A hint function that raises is logged; the original failure is still retried."""
        caplog.set_level(logging.WARNING, logger="ml_infra.decorators")

        def broken(exc: BaseException) -> float:
            raise ValueError("bad header")

        calls = Responses(OSError("busy"))
        assert retry(delay=1.0, wait_hint=broken)(calls)() == "ok"
        assert fake_time.sleeps == [1.0]
        messages = [r.getMessage() for r in caplog.records]
        assert any(
            m.startswith("retry: wait_hint raised ValueError: bad header; waiting the computed")
            for m in messages
        )

    def test_interrupt_in_hint_propagates(self, fake_time):
        """Ctrl-C inside the hint is not swallowed."""

        def interrupted(exc: BaseException) -> float:
            raise KeyboardInterrupt

        with pytest.raises(KeyboardInterrupt):
            retry(wait_hint=interrupted)(Responses(OSError()))()

    def test_non_callable_hint_refused(self):
        """wait_hint must be callable, checked when the decorator is made."""
        with pytest.raises(InvalidArgumentTypeError, match=r"^retry: wait_hint must be callable"):
            retry(wait_hint=5)  # type: ignore[arg-type]
