"""retry: backoff schedule, deadline, exceptions, notes, logging, async, threads."""

from __future__ import annotations

import asyncio
import functools
import inspect
import logging
import random
import threading
import traceback

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ml_infra.decorators import RetryEvent, _attempts, retry, retry_on_condition, set_testing


class Flaky:
    """A callable that raises the given exceptions in turn, then returns "ok"."""

    def __init__(self, *failures: BaseException) -> None:
        self.failures = list(failures)
        self.calls = 0

    def __call__(self, *args: object, **kwargs: object) -> str:
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)
        return "ok"


class TestSchedule:
    def test_success_needs_no_wait(self, fake_time):
        """A first-attempt success returns its value with no sleep."""
        assert retry()(lambda: 42)() == 42
        assert fake_time.sleeps == []

    def test_waits_grow_by_backoff(self, fake_time):
        """Waits are delay, delay*backoff, delay*backoff**2, ..."""
        flaky = Flaky(*[OSError("down")] * 4)
        assert retry(max_attempts=5, delay=0.5, backoff=3.0)(flaky)() == "ok"
        assert fake_time.sleeps == [0.5, 1.5, 4.5, 13.5]
        assert flaky.calls == 5

    def test_max_delay_caps_each_wait(self, fake_time):
        """No single wait exceeds max_delay."""
        flaky = Flaky(*[OSError()] * 5)
        retry(max_attempts=6, delay=1.0, backoff=2.0, max_delay=5.0)(flaky)()
        assert fake_time.sleeps == [1.0, 2.0, 4.0, 5.0, 5.0]

    def test_zero_delay_retries_without_waiting_long(self, fake_time):
        """delay=0 retries at once (sleep(0) yields the thread)."""
        flaky = Flaky(OSError(), OSError())
        assert retry(delay=0)(flaky)() == "ok"
        assert fake_time.sleeps == [0.0, 0.0]

    def test_backoff_of_one_keeps_waits_constant(self, fake_time):
        """backoff=1 gives a constant wait."""
        retry(max_attempts=4, delay=2, backoff=1)(Flaky(*[OSError()] * 3))()
        assert fake_time.sleeps == [2.0, 2.0, 2.0]

    def test_bare_decorator_uses_defaults(self, fake_time):
        """@retry without parentheses: 3 attempts, waits 1 s then 2 s."""

        @retry
        def flaky_fetch() -> str:
            return flaky()

        flaky = Flaky(OSError(), OSError())
        assert flaky_fetch() == "ok"
        assert fake_time.sleeps == [1.0, 2.0]

    def test_huge_attempt_counts_never_overflow(self, fake_time):
        """Thousands of doublings stay finite (bounded by what sleep accepts)."""
        flaky = Flaky(*[OSError()] * 2000)
        assert retry(max_attempts=2001, delay=1.0, backoff=2.0)(flaky)() == "ok"
        assert max(fake_time.sleeps) <= threading.TIMEOUT_MAX


class TestJitter:
    @given(jitter=st.floats(0.0, 1.0), draw=st.floats(0.0, 1.0, exclude_max=True))
    def test_jittered_wait_within_bounds(self, jitter, draw):
        """Each wait lies in [(1 - jitter) * w, w] for any random draw."""
        sleeps: list[float] = []
        flaky = Flaky(OSError(), OSError())
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(_attempts, "sleep", sleeps.append)
            mp.setattr(_attempts, "random", lambda: draw)
            retry(delay=4.0, backoff=2.0, jitter=jitter)(flaky)()
        for wait, planned in zip(sleeps, [4.0, 8.0], strict=True):
            assert (1.0 - jitter) * planned - 1e-12 <= wait <= planned

    def test_jitter_uses_random_draws(self, fake_time, monkeypatch):
        """With real random draws, waits vary and stay in bounds."""
        rng = random.Random(1234)
        monkeypatch.setattr(_attempts, "random", rng.random)
        retry(max_attempts=40, delay=1.0, backoff=1.0, jitter=0.5)(Flaky(*[OSError()] * 39))()
        assert all(0.5 <= s <= 1.0 for s in fake_time.sleeps)
        assert len(set(fake_time.sleeps)) > 30

    def test_jitter_applies_after_max_delay(self, fake_time, monkeypatch):
        """The cap applies first, so jitter never pushes a wait above max_delay."""
        monkeypatch.setattr(_attempts, "random", lambda: 0.5)
        retry(max_attempts=3, delay=10.0, max_delay=4.0, jitter=0.5)(Flaky(OSError(), OSError()))()
        assert fake_time.sleeps == [3.0, 3.0]


class TestDeadline:
    def test_no_wait_is_scheduled_past_the_timeout(self, fake_time):
        """A wait that would end at or past the deadline is not started."""
        flaky = Flaky(*[OSError("down")] * 10)
        with pytest.raises(OSError, match="down") as info:
            retry(max_attempts=10, delay=1.0, backoff=2.0, timeout=5.0)(flaky)()
        # waits 1 (t=1), 2 (t=3); a wait of 4 would end at t=7 > 5
        assert fake_time.sleeps == [1.0, 2.0]
        assert flaky.calls == 3
        assert "timeout=5s" in info.value.__notes__[0]

    def test_note_gives_the_deadline_reason_and_every_attempt(self, fake_time):
        """Giving up at the deadline names the wait that would pass it and lists each attempt."""
        flaky = Flaky(*[OSError("down")] * 10)
        with pytest.raises(OSError, match="down") as info:
            retry(max_attempts=10, delay=1.0, backoff=2.0, timeout=5.0)(flaky)()
        header, *attempts = info.value.__notes__[0].split("\n")
        assert header.endswith(
            " after 3 attempts (timeout=5s: the next wait of 4s would end past the deadline):"
        )
        assert attempts == [
            "  attempt 1: OSError: down; retried after 1s",
            "  attempt 2: OSError: down; retried after 2s",
            "  attempt 3: OSError: down",
        ]

    def test_time_spent_in_attempts_counts(self, fake_time):
        """Slow attempts consume the deadline too."""
        calls = []

        def slow() -> None:
            calls.append(1)
            fake_time.advance(3.0)
            raise TimeoutError("slow")

        with pytest.raises(TimeoutError):
            retry(max_attempts=10, delay=1.0, backoff=1.0, timeout=8.0)(slow)()
        # t=3 fail, wait->4, t=7 fail, a wait to t=8 reaches the deadline
        assert len(calls) == 2
        assert fake_time.sleeps == [1.0]

    def test_wait_ending_exactly_at_deadline_is_not_started(self, fake_time):
        """The deadline is exclusive: waking exactly at it leaves no time to try."""
        flaky = Flaky(OSError("a"), OSError("b"))
        with pytest.raises(OSError, match="a"):
            retry(delay=1.0, timeout=1.0)(flaky)()
        assert fake_time.sleeps == []

    def test_success_before_deadline(self, fake_time):
        """Within the deadline, retrying proceeds normally."""
        assert retry(delay=1.0, timeout=10.0)(Flaky(OSError()))() == "ok"
        assert fake_time.sleeps == [1.0]

    def test_deadline_starts_with_each_call(self, fake_time):
        """Each call gets its own deadline."""
        flaky = Flaky(OSError("a"), OSError("b"))
        wrapped = retry(max_attempts=2, delay=2.0, timeout=3.0)(flaky)
        with pytest.raises(OSError, match="b"):
            wrapped()
        fake_time.advance(100.0)
        assert wrapped() == "ok"


class TestOriginalException:
    def test_last_exception_propagates_unwrapped(self, fake_time):
        """After the last attempt the original exception object propagates."""
        last = ConnectionError("third")
        with pytest.raises(ConnectionError) as info:
            retry()(Flaky(ConnectionError("first"), ConnectionError("second"), last))()
        assert info.value is last
        assert info.value.__context__ is None
        assert info.value.__cause__ is None

    def test_note_lists_attempt_history(self, fake_time):
        """A PEP 678 note lists every attempt, the waits and why retrying stopped."""

        def fetch() -> None:
            raise ConnectionError("refused")

        with pytest.raises(ConnectionError) as info:
            retry(max_attempts=3, delay=1.0)(fetch)()
        (note,) = info.value.__notes__
        assert "retry gave up on" in note
        assert "fetch after 3 attempts (max_attempts=3 reached)" in note
        assert "attempt 1: ConnectionError: refused; retried after 1s" in note
        assert "attempt 2: ConnectionError: refused; retried after 2s" in note
        assert "attempt 3: ConnectionError: refused" in note

    def test_traceback_reaches_the_raising_line(self, fake_time):
        """The traceback still ends in the decorated function's own frame."""

        def explode() -> None:
            raise ValueError("deep")

        with pytest.raises(ValueError, match="deep") as info:
            retry(max_attempts=2, exceptions=ValueError)(explode)()
        frames = traceback.extract_tb(info.value.__traceback__)
        assert frames[-1].name == "explode"
        assert frames[-1].line == 'raise ValueError("deep")'

    def test_unlisted_exception_propagates_at_once(self, fake_time):
        """An exception outside `exceptions` is not retried and gets no note."""
        flaky = Flaky(KeyError("k"))
        with pytest.raises(KeyError) as info:
            retry(exceptions=(OSError,))(flaky)()
        assert flaky.calls == 1
        assert not hasattr(info.value, "__notes__")

    def test_unlisted_exception_after_retries_is_annotated(self, fake_time):
        """When a later attempt raises something not retried, the note tells the story."""
        flaky = Flaky(OSError("net"), KeyError("missing"))
        with pytest.raises(KeyError) as info:
            retry(exceptions=OSError)(flaky)()
        (note,) = info.value.__notes__
        assert "the exception is not retried" in note
        assert "attempt 1: OSError: net" in note
        assert "attempt 2: KeyError: 'missing'" in note

    def test_subclasses_are_retried(self, fake_time):
        """`exceptions` matches subclasses, like `except` does."""
        assert retry(exceptions=OSError)(Flaky(ConnectionResetError()))() == "ok"

    def test_unprintable_exception_is_summarized_safely(self, fake_time):
        """An exception whose __str__ raises still gets a note, and the original propagates."""

        class BrokenError(Exception):
            def __str__(self) -> str:
                raise RuntimeError("no str")

        error = BrokenError()
        with pytest.raises(BrokenError) as info:
            retry(max_attempts=1)(Flaky(error))()
        assert info.value is error
        assert "BrokenError: <unprintable>" in info.value.__notes__[0]

    def test_long_messages_are_truncated_in_the_note(self, fake_time):
        """Exception messages are summarized on one line of bounded length."""
        with pytest.raises(ValueError, match=r"x{500}") as info:
            retry(max_attempts=1, exceptions=ValueError)(Flaky(ValueError("x" * 500 + "\nend")))()
        line = info.value.__notes__[0].splitlines()[1]
        assert line.endswith("...")
        assert len(line) < 330

    def test_single_attempt_still_explains(self, fake_time):
        """max_attempts=1 never retries; the note says so."""
        flaky = Flaky(OSError("x"))
        with pytest.raises(OSError, match="x") as info:
            retry(max_attempts=1)(flaky)()
        assert flaky.calls == 1
        assert "after 1 attempt (max_attempts=1 reached)" in info.value.__notes__[0]


NEVER_RETRIED = [KeyboardInterrupt, SystemExit, GeneratorExit, asyncio.CancelledError]


class TestNeverRetried:
    @pytest.mark.parametrize("kind", NEVER_RETRIED, ids=lambda k: k.__name__)
    def test_not_retried_even_under_base_exception(self, kind, fake_time):
        """With exceptions=BaseException these still propagate at the first attempt."""
        flaky = Flaky(kind())
        with pytest.raises(kind):
            retry(exceptions=BaseException)(flaky)()
        assert flaky.calls == 1
        assert fake_time.sleeps == []

    @pytest.mark.parametrize("kind", NEVER_RETRIED, ids=lambda k: k.__name__)
    def test_not_retried_after_an_earlier_retry(self, kind, fake_time):
        """A never-retried exception on a later attempt ends the call at once."""
        flaky = Flaky(OSError(), kind(), OSError())
        with pytest.raises(kind):
            retry(max_attempts=5, exceptions=BaseException)(flaky)()
        assert flaky.calls == 2

    @pytest.mark.parametrize("kind", NEVER_RETRIED, ids=lambda k: k.__name__)
    def test_async_not_retried(self, kind, fake_time):
        """The same holds for async def functions."""
        calls = []

        @retry(exceptions=BaseException)
        async def work() -> None:
            calls.append(1)
            raise kind()

        with pytest.raises(kind):
            asyncio.run(work())
        assert calls == [1]

    def test_async_not_retried_after_an_earlier_retry(self, fake_time):
        """In async code too, a cancellation on a later attempt ends the call at once."""
        flaky = Flaky(OSError(), asyncio.CancelledError(), OSError())

        @retry(max_attempts=5, exceptions=BaseException)
        async def work() -> str:
            return flaky()

        with pytest.raises(asyncio.CancelledError):
            asyncio.run(work())
        assert flaky.calls == 2

    def test_task_cancellation_is_not_retried(self, fake_time):
        """Cancelling a task that runs a retried coroutine cancels it for real."""
        calls = []

        @retry(max_attempts=5, exceptions=BaseException)
        async def wait_forever() -> None:
            calls.append(1)
            await asyncio.Event().wait()

        async def main() -> None:
            task = asyncio.create_task(wait_forever())
            await asyncio.sleep(0)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task

        asyncio.run(main())
        assert calls == [1]

    def test_cancellation_during_backoff_sleep(self, monkeypatch):
        """Cancelling a task while it waits between attempts ends it: no further attempt."""
        flaky = Flaky(OSError("down"))
        waiting: list[float] = []

        async def parked_sleep(seconds: float) -> None:
            waiting.append(seconds)
            await asyncio.Event().wait()  # never set: only cancellation ends it

        monkeypatch.setattr(_attempts, "async_sleep", parked_sleep)

        @retry(max_attempts=5, delay=30.0, exceptions=BaseException)
        async def fetch() -> str:
            return flaky()

        async def main() -> None:
            task = asyncio.create_task(fetch())
            while not waiting:
                await asyncio.sleep(0)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task

        asyncio.run(main())
        assert waiting == [30.0]
        assert flaky.calls == 1

    def test_keyboard_interrupt_during_backoff_sleep(self, monkeypatch):
        """Ctrl-C while sleeping between attempts propagates at once, unretried."""
        flaky = Flaky(OSError("down"), OSError("down"))

        def interrupted_sleep(seconds: float) -> None:
            raise KeyboardInterrupt

        monkeypatch.setattr(_attempts, "sleep", interrupted_sleep)
        with pytest.raises(KeyboardInterrupt):
            retry(max_attempts=5, exceptions=BaseException)(flaky)()
        assert flaky.calls == 1

    @pytest.mark.parametrize("kind", NEVER_RETRIED, ids=lambda k: k.__name__)
    def test_group_holding_never_retried_is_not_retried(self, kind, fake_time):
        """A BaseExceptionGroup wrapping e.g. KeyboardInterrupt is not retried, even
        under exceptions=BaseException; it propagates with a note saying why."""
        group = BaseExceptionGroup("task group", [OSError("a"), kind()])
        flaky = Flaky(OSError("first"), group)
        with pytest.raises(BaseExceptionGroup) as info:
            retry(max_attempts=5, exceptions=BaseException)(flaky)()
        assert info.value is group
        assert flaky.calls == 2
        assert "the group holds a never-retried exception" in info.value.__notes__[0]

    def test_async_group_holding_cancellation_is_not_retried(self, fake_time):
        """The async path applies the same rule to exception groups."""
        flaky = Flaky(BaseExceptionGroup("g", [asyncio.CancelledError()]))

        @retry(max_attempts=5, exceptions=BaseExceptionGroup)
        async def work() -> str:
            return flaky()

        with pytest.raises(BaseExceptionGroup):
            asyncio.run(work())
        assert flaky.calls == 1
        assert fake_time.sleeps == []

    def test_group_of_ordinary_errors_is_retried(self, fake_time):
        """An ExceptionGroup of ordinary errors is retried like any Exception."""
        flaky = Flaky(ExceptionGroup("g", [OSError("a")]))
        assert retry(max_attempts=2)(flaky)() == "ok"
        assert flaky.calls == 2


class TestAsync:
    def test_async_retries_with_asyncio_sleep(self, fake_time):
        """async def functions are awaited per attempt and waits go through asyncio.sleep."""
        flaky = Flaky(OSError(), OSError())

        @retry(delay=0.25)
        async def fetch(x: int) -> str:
            return f"{flaky()}-{x}"

        assert inspect.iscoroutinefunction(fetch)
        assert asyncio.run(fetch(7)) == "ok-7"
        assert fake_time.sleeps == [0.25, 0.5]

    def test_async_gives_up_with_original_exception(self, fake_time):
        """The async path re-raises the original exception with the note."""

        @retry(max_attempts=2)
        async def fail() -> None:
            raise LookupError("gone")

        with pytest.raises(LookupError, match="gone") as info:
            asyncio.run(fail())
        assert "after 2 attempts" in info.value.__notes__[0]

    def test_async_unlisted_exception_after_retry_is_annotated(self, fake_time):
        """A later non-retried exception propagates with the history note."""
        flaky = Flaky(OSError(), KeyError("k"))

        @retry(exceptions=OSError)
        async def work() -> str:
            return flaky()

        with pytest.raises(KeyError) as info:
            asyncio.run(work())
        assert "the exception is not retried" in info.value.__notes__[0]

    def test_async_deadline(self, fake_time):
        """timeout applies to async functions as well."""

        @retry(max_attempts=10, delay=2.0, backoff=1.0, timeout=5.0)
        async def fail() -> None:
            raise OSError("never")

        with pytest.raises(OSError, match="never"):
            asyncio.run(fail())
        assert fake_time.sleeps == [2.0, 2.0]

    def test_async_sleep_is_used_for_real(self, monkeypatch):
        """Without fakes, the async path awaits asyncio.sleep (not time.sleep)."""
        awaited: list[float] = []
        real_sleep = asyncio.sleep

        async def spy(seconds: float) -> None:
            awaited.append(seconds)
            await real_sleep(0)

        monkeypatch.setattr(_attempts, "async_sleep", spy)
        monkeypatch.setattr(asyncio, "sleep", spy)

        @retry(delay=0.001)
        async def fetch() -> str:
            return flaky()

        flaky = Flaky(OSError())
        assert asyncio.run(fetch()) == "ok"
        assert awaited == [0.001]

    def test_object_with_async_call_is_awaited(self, fake_time):
        """A callable object with `async def __call__` is retried as async."""

        class Client:
            def __init__(self) -> None:
                self.flaky = Flaky(OSError())

            async def __call__(self) -> str:
                return self.flaky()

        wrapped = retry()(Client())
        assert asyncio.run(wrapped()) == "ok"


class TestLogging:
    def test_each_retry_logged_at_warning(self, fake_time, caplog):
        """One WARNING per retry, then one for the give-up, on ml_infra.decorators."""
        caplog.set_level(logging.WARNING, logger="ml_infra.decorators")

        def upload(token: str) -> None:
            raise PermissionError("denied")

        with pytest.raises(PermissionError):
            retry(max_attempts=3, delay=1.5)(upload)("s3cr3t-t0ken")
        records = [r for r in caplog.records if r.name == "ml_infra.decorators"]
        assert len(records) == 3
        first = records[0]
        assert first.levelno == logging.WARNING
        message = first.getMessage()
        assert "upload" in message
        assert "in 1.5 s" in message
        assert "attempt 1 of 3" in message
        assert "PermissionError: denied" in message
        assert first.attempt == 1
        assert first.max_attempts == 3
        assert first.delay_s == 1.5
        assert first.exception_type == "PermissionError"
        assert first.operation.endswith("<locals>.upload")
        assert records[1].delay_s == 3.0
        gave_up = records[2]
        assert gave_up.getMessage().startswith("retry gave up on ")
        assert (gave_up.attempt, gave_up.delay_s) == (3, None)
        assert all(r.exc_info is None for r in records)

    def test_arguments_never_logged(self, fake_time, caplog):
        """Call arguments (which may be secrets) appear nowhere in the log or the note."""
        caplog.set_level(logging.DEBUG)

        def login(user: str, *, password: str) -> None:
            raise ConnectionError("auth server unreachable")

        with pytest.raises(ConnectionError) as info:
            retry(max_attempts=2)(login)("alice", password="hunter2")
        assert "hunter2" not in caplog.text
        assert "alice" not in caplog.text
        assert "hunter2" not in info.value.__notes__[0]

    def test_success_logs_nothing(self, fake_time, caplog):
        """No retry, no record."""
        caplog.set_level(logging.DEBUG, logger="ml_infra.decorators")
        retry()(lambda: None)()
        assert caplog.records == []


class TestOnRetry:
    def test_hook_receives_events(self, fake_time):
        """on_retry gets a RetryEvent per retry, before the wait."""
        events: list[RetryEvent] = []
        error = OSError("e1")

        def hook(event: RetryEvent) -> None:
            events.append(event)
            assert fake_time.sleeps == [1.0] * (len(events) - 1)

        retry(max_attempts=3, delay=1.0, backoff=1.0, on_retry=hook)(Flaky(error, OSError()))()
        assert [e.attempt for e in events] == [1, 2]
        assert events[0].exception is error
        assert events[0].next_delay == 1.0
        assert events[0].max_attempts == 3
        assert events[0].result is None
        assert events[0].function.endswith("Flaky")

    def test_hook_not_called_when_giving_up(self, fake_time):
        """The hook announces retries only: none after the last attempt."""
        events: list[RetryEvent] = []
        with pytest.raises(OSError, match="2"):
            retry(max_attempts=2, on_retry=events.append)(Flaky(OSError(1), OSError(2)))()
        assert len(events) == 1

    def test_hook_errors_propagate(self, fake_time):
        """A failing hook is a bug worth seeing: its exception propagates."""

        def hook(event: RetryEvent) -> None:
            raise RuntimeError("hook bug")

        with pytest.raises(RuntimeError, match="hook bug"):
            retry(on_retry=hook)(Flaky(OSError()))()

    def test_hook_error_chains_the_failure(self, fake_time):
        """The hook's exception keeps the failure that triggered it as __context__."""
        failure = OSError("the real problem")

        def hook(event: RetryEvent) -> None:
            raise RuntimeError("hook bug")

        with pytest.raises(RuntimeError) as info:
            retry(on_retry=hook)(Flaky(failure))()
        assert info.value.__context__ is failure
        assert "the real problem" in "".join(traceback.format_exception(info.value))

    def test_async_hook_error_chains_the_failure(self, fake_time):
        """Same for async functions; no further attempt is made."""
        failure = OSError("down")
        flaky = Flaky(failure)

        def hook(event: RetryEvent) -> None:
            raise RuntimeError("hook bug")

        @retry(on_retry=hook)
        async def work() -> str:
            return flaky()

        with pytest.raises(RuntimeError) as info:
            asyncio.run(work())
        assert info.value.__context__ is failure
        assert flaky.calls == 1
        assert fake_time.sleeps == []


class TestMetadata:
    def test_wraps_preserves_metadata(self):
        """Name, qualname, doc, module, annotations and __wrapped__ are kept."""

        def compute(x: int, y: int = 2) -> int:
            """Add things."""
            return x + y

        wrapped = retry(max_attempts=2)(compute)
        assert wrapped.__name__ == "compute"
        assert wrapped.__doc__ == "Add things."
        assert wrapped.__module__ == compute.__module__
        assert wrapped.__qualname__ == compute.__qualname__
        assert wrapped.__wrapped__ is compute
        assert inspect.signature(wrapped) == inspect.signature(compute)
        assert wrapped(1, y=5) == 6

    def test_methods_bind_self(self, fake_time):
        """Decorating a method works: self is passed through."""

        class Service:
            def __init__(self) -> None:
                self.flaky = Flaky(OSError())

            @retry(delay=0.1)
            def call(self, suffix: str) -> str:
                return self.flaky() + suffix

        assert Service().call("!") == "ok!"

    def test_above_staticmethod(self, fake_time):
        """@retry stacked above @staticmethod keeps it static (no self passed)."""
        flaky = Flaky(OSError())

        class Service:
            @retry(delay=0.1)
            @staticmethod
            def call(suffix: str) -> str:
                return flaky() + suffix

        assert isinstance(Service.__dict__["call"], staticmethod)
        assert Service().call("!") == "ok!"
        assert Service.call("?") == "ok?"
        assert flaky.calls == 3
        assert fake_time.sleeps == [0.1]

    def test_bare_above_classmethod(self, fake_time):
        """Bare @retry stacked above @classmethod receives the class."""
        flaky = Flaky(OSError())

        class Service:
            @retry
            @classmethod
            def build(cls, tag: str) -> tuple[type, str]:
                return cls, flaky() + tag

        class Child(Service):
            pass

        assert Child.build("!") == (Child, "ok!")
        assert Child().build("?") == (Child, "ok?")

    def test_async_above_staticmethod(self, fake_time):
        """An async staticmethod is still recognized as async and awaited per attempt."""
        flaky = Flaky(OSError())

        class Service:
            @retry_on_condition(lambda value: value is None)
            @retry()
            @staticmethod
            async def call() -> str:
                return flaky()

        assert asyncio.run(Service().call()) == "ok"
        assert flaky.calls == 2

    def test_partial_is_accepted(self, fake_time):
        """functools.partial objects can be retried."""
        flaky = Flaky(OSError())
        assert retry()(functools.partial(flaky, 1))() == "ok"


class TestTesting:
    def test_testing_mode_skips_waits_but_not_attempts(self):
        """set_testing(True): same attempts, no sleep (the autouse guard fails on sleep)."""
        flaky = Flaky(OSError(), OSError())
        with set_testing(True):
            assert retry(delay=100.0)(flaky)() == "ok"
        assert flaky.calls == 3

    def test_testing_cap_limits_attempts(self):
        """max_attempts in testing mode caps every decorator; the note says so."""
        flaky = Flaky(OSError("1"), OSError("2"))
        with set_testing(True, max_attempts=1), pytest.raises(OSError, match="1") as info:
            retry(max_attempts=5)(flaky)()
        assert flaky.calls == 1
        assert "max_attempts=1 in testing mode reached" in info.value.__notes__[0]

    def test_skipped_waits_count_toward_timeout(self, fake_time):
        """Testing mode makes the same attempts as production under a deadline."""
        flaky = Flaky(*[OSError("down")] * 10)
        with set_testing(True), pytest.raises(OSError, match="down"):
            retry(max_attempts=10, delay=1.0, backoff=2.0, timeout=5.0)(flaky)()
        assert flaky.calls == 3
        assert fake_time.sleeps == []

    def test_testing_mode_in_async(self):
        """Async retries skip their waits in testing mode too."""
        flaky = Flaky(OSError())

        @retry(delay=100.0)
        async def fetch() -> str:
            return flaky()

        with set_testing(True):
            assert asyncio.run(fetch()) == "ok"


class TestThreads:
    def test_concurrent_calls_keep_separate_state(self, fake_time):
        """Threads retrying the same function each get their own attempts and history."""
        local = threading.local()
        wrapped_calls: list[int] = []
        lock = threading.Lock()

        @retry(max_attempts=3, delay=0.01)
        def per_thread(n: int) -> int:
            count = getattr(local, "count", 0) + 1
            local.count = count
            with lock:
                wrapped_calls.append(n)
            if count < 3:
                raise OSError(f"thread {n} attempt {count}")
            return n * 10

        results: dict[int, int] = {}
        barrier = threading.Barrier(8)

        def run(n: int) -> None:
            barrier.wait()
            results[n] = per_thread(n)

        threads = [threading.Thread(target=run, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert results == {n: n * 10 for n in range(8)}
        assert sorted(wrapped_calls) == sorted(list(range(8)) * 3)
        assert len(fake_time.sleeps) == 16

    def test_recursive_calls_each_retry_independently(self, fake_time):
        """A retried function that recurses keeps one attempt counter per call."""
        failures = {3: 1, 2: 1}

        @retry(max_attempts=2)
        def countdown(n: int) -> int:
            if failures.get(n):
                failures[n] -= 1
                raise OSError(n)
            return 0 if n == 0 else 1 + countdown(n - 1)

        assert countdown(3) == 3


def test_note_added_once_per_give_up(fake_time):
    """Giving up adds exactly one note to the exception."""
    with pytest.raises(OSError, match="3") as info:
        retry(max_attempts=3)(Flaky(OSError(1), OSError(2), OSError(3)))()
    assert len(info.value.__notes__) == 1
