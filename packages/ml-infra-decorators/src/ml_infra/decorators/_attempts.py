"""The retry state machine shared by ``retry`` and ``retry_on_condition``.

Nothing here runs on the success path: a :class:`RetryRun` is created only
after a first attempt failed. The module-level hooks ``clock``, ``sleep``,
``async_sleep`` and ``random`` are looked up at call time, so the test suite
can replace them to run backoff schedules and deadlines without waiting.
Each retry, each give-up and each unusable ``wait_hint`` is a log record with
structured fields (and, under a recording OpenTelemetry span, a span event):
see ``_events``.
"""

from __future__ import annotations

import threading
import time

from ml_infra.decorators import _events, _testing
from ml_infra.decorators._parameters import as_seconds, is_never_retried, never_retried
from ml_infra.decorators._text import describe, exception_summary

TYPE_CHECKING = False  # typing is not imported at run time (import cost)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from ml_infra.decorators._snapshots import RetryEvent
    from ml_infra.decorators._types import SupportsLog

__all__ = [
    "LONGEST_WAIT",
    "RetryPolicy",
    "RetryRun",
]


async def _asyncio_sleep(seconds: float) -> None:
    """``asyncio.sleep``, importing asyncio only when an async retry first waits."""
    import asyncio

    await asyncio.sleep(seconds)


def _random() -> float:
    """``random.random()``, importing :mod:`random` only when a first wait is jittered."""
    import random

    return random.random()


# Hooks (replaced by the test suite; looked up at call time).
clock: Callable[[], float] = time.monotonic
sleep: Callable[[float], object] = time.sleep
async_sleep: Callable[[float], Any] = _asyncio_sleep
random: Callable[[], float] = _random

# logging levels (logging itself is imported only when a first record is made)
_WARNING = 30

LONGEST_WAIT = threading.TIMEOUT_MAX  # what time.sleep and Lock.acquire accept


class RetryPolicy:
    """Validated, precomputed settings of one decorated function (read-only by convention)."""

    __slots__ = (
        "backoff",
        "delay",
        "function",
        "jitter",
        "logger",
        "max_attempts",
        "max_delay",
        "on_retry",
        "operation",
        "timeout",
        "wait_hint",
        "where",
    )

    def __init__(
        self,
        *,
        where: str,
        function: str,
        operation: str,
        max_attempts: int,
        delay: float,
        backoff: float,
        max_delay: float,
        jitter: float,
        timeout: float | None,
        on_retry: Callable[[RetryEvent], object] | None,
        wait_hint: Callable[[Any], object] | None,
        logger: SupportsLog | None,
    ) -> None:
        self.where = where  # "retry" or "retry_on_condition", for messages
        self.function = function  # module.qualname, for messages and RetryEvent
        self.operation = operation  # __qualname__, the structured field
        self.max_attempts = max_attempts
        self.delay = delay
        self.backoff = backoff
        self.max_delay = max_delay  # LONGEST_WAIT when not given
        self.jitter = jitter
        self.timeout = timeout
        self.on_retry = on_retry
        self.wait_hint = wait_hint
        self.logger = logger  # None: the ml_infra.decorators logger

    def bound(self, function: str, operation: str) -> RetryPolicy:
        """A copy naming the decorated function.

        Args:
            function: Its ``module.qualname``.
            operation: Its ``__qualname__``.

        Returns:
            A new policy with the same settings.
        """
        settings = {name: getattr(self, name) for name in self.__slots__}
        return RetryPolicy(**{**settings, "function": function, "operation": operation})


class RetryRun:
    """State of one decorated call after its first failure (one per call).

    Attributes:
        attempt: Attempts made so far.
    """

    __slots__ = (
        "_deadline",
        "_history",
        "_max_attempts",
        "_next_wait",
        "_policy",
        "_reason",
        "_skipped",
        "_testing",
        "attempt",
    )

    def __init__(self, policy: RetryPolicy, started: float | None) -> None:
        testing, cap = _testing.testing_attempt_cap()
        self._policy = policy
        self._testing = testing
        self._max_attempts = min(policy.max_attempts, cap) if cap else policy.max_attempts
        self._deadline = (
            None if started is None or policy.timeout is None else started + policy.timeout
        )
        self._next_wait = policy.delay
        self._skipped = 0.0  # waits skipped in testing mode still count toward the deadline
        self._history: list[str] = []
        self._reason = ""
        self.attempt = 0

    def failed(self, exception: BaseException | None, result: object = None) -> float | None:
        """Record a failed attempt; decide whether and how long to wait.

        Logs the retry (and adds a span event) and calls ``on_retry`` when
        another attempt follows.

        Args:
            exception: What the attempt raised (``None`` for a rejected result).
            result: The rejected result (``retry_on_condition``).

        Returns:
            Seconds to wait before the next attempt, or ``None`` to give up.
        """
        policy = self._policy
        self.attempt += 1
        if exception is not None:
            summary = exception_summary(exception)
        else:
            summary = f"condition true for a result of type {type(result).__qualname__}"
        entry = f"attempt {self.attempt}: {summary}"
        wait, stop = self._schedule(exception, result)
        if stop:
            self._reason = stop
            self._history.append(entry)
            return None
        self._history.append(f"{entry}; retried after {wait:.3g}s")
        self._announce(
            "retry",
            "retrying %s in %.3g s: attempt %d of %d failed (%s)",
            (policy.function, wait, self.attempt, self._max_attempts, summary),
            self.attempt,
            wait,
            exception,
        )
        if policy.on_retry is not None:
            from ml_infra.decorators._snapshots import RetryEvent

            event = RetryEvent(
                policy.function, self.attempt, self._max_attempts, wait, exception, result
            )
            try:
                policy.on_retry(event)
            except BaseException as hook_error:
                # Chain the failure that triggered the hook, as if the hook ran in its
                # except block: the traceback then shows both.
                if hook_error.__context__ is None and hook_error is not exception:
                    hook_error.__context__ = exception
                raise
        return wait

    def _schedule(self, exception: BaseException | None, result: object) -> tuple[float, str]:
        """The wait before the next attempt, or why there is none.

        Returns:
            ``(seconds, "")`` to retry, or ``(0.0, reason)`` to give up.
        """
        policy = self._policy
        if isinstance(exception, BaseExceptionGroup) and exception.subgroup(never_retried()):
            # e.g. Ctrl-C inside a task group under exceptions=BaseException
            return 0.0, "the group holds a never-retried exception"
        if self.attempt >= self._max_attempts:
            capped = " in testing mode" if self._max_attempts < policy.max_attempts else ""
            return 0.0, f"max_attempts={self._max_attempts}{capped} reached"
        wait = self._next_wait
        self._next_wait = min(wait * policy.backoff, policy.max_delay)
        wait = min(wait, policy.max_delay)
        if policy.jitter:
            wait *= 1.0 - policy.jitter * random()
        if policy.wait_hint is not None:
            wait = self._hinted(policy.wait_hint, result if exception is None else exception, wait)
        if self._deadline is not None and clock() + self._skipped + wait >= self._deadline:
            return 0.0, (
                f"timeout={policy.timeout:g}s: the next wait of {wait:.3g}s would end past the deadline"
            )
        return wait, ""

    def _hinted(self, hint: Callable[[Any], object], subject: object, computed: float) -> float:
        """The wait ``wait_hint(subject)`` asks for (capped by ``max_delay``), else ``computed``.

        A hint function that raises, or returns anything but ``None`` or a
        finite number of seconds >= 0, is logged at WARNING and ``computed``
        is used: like a malformed ``Retry-After`` header, a bad hint must not
        turn a retryable failure into a different error.
        """
        try:
            seconds = hint(subject)
        except Exception as exc:  # the caller's hint function; never replaces their error
            problem = f"raised {exception_summary(exc)}"
        else:
            if seconds is None:
                return computed
            usable = as_seconds(seconds)
            if usable is not None:
                return min(usable, self._policy.max_delay)
            problem = (
                f"returned {describe(seconds)}, expected seconds (a finite number >= 0) or None"
            )
        self._record(
            _WARNING,
            "%s: wait_hint %s; waiting the computed %.3g s instead",
            (self._policy.where, problem, computed),
            {"operation": self._policy.operation, "attempt": self.attempt},
        )
        return computed

    def wait(self, seconds: float) -> None:
        """Sleep ``seconds`` (skipped, but counted, in testing mode).

        Args:
            seconds: The wait :meth:`failed` returned.
        """
        if self._testing:
            self._skipped += seconds
        else:
            sleep(seconds)

    async def wait_async(self, seconds: float) -> None:
        """Await ``seconds`` with ``asyncio.sleep`` (skipped in testing mode).

        Args:
            seconds: The wait :meth:`failed` returned.
        """
        if self._testing:
            self._skipped += seconds
        else:
            await async_sleep(seconds)

    def ends_with(self, exc: BaseException, retried: tuple[type[BaseException], ...]) -> bool:
        """Whether a later attempt's exception ends the retries (then it propagates).

        A never-retried exception ends them as it is; one outside ``retried``
        ends them with a give-up record and the attempt history as a note.

        Args:
            exc: What the attempt raised.
            retried: The ``exceptions`` classes of the decorator.

        Returns:
            ``False`` when ``exc`` is retried like the earlier failures.
        """
        if is_never_retried(exc):
            return True
        if isinstance(exc, retried):
            return False
        self.give_up(exc, retried=False)
        return True

    def give_up(self, exception: BaseException | None, *, retried: bool = True) -> None:
        """Log the give-up (and add a span event); note the attempt history on ``exception``.

        Args:
            exception: The exception about to propagate (``None`` when
                ``retry_on_condition`` returns a still-rejected result).
            retried: ``False`` when ``exception`` is outside ``exceptions``
                (it ends the retries without being retried).
        """
        policy = self._policy
        history = self._history
        attempts = self.attempt
        if not retried:
            assert exception is not None  # only an exception can be outside ``exceptions``
            self._reason = "the exception is not retried"
            attempts += 1
            history = [*history, f"attempt {attempts}: {exception_summary(exception)}"]
        if exception is None:
            self._announce(
                "retry.gave_up",
                "%s gave up on %s: condition still true after %d attempts (%s);"
                " returning the last result",
                (policy.where, policy.function, attempts, self._reason),
                attempts,
                None,
                None,
            )
            return
        self._announce(
            "retry.gave_up",
            "%s gave up on %s after %d attempts (%s): %s",
            (policy.where, policy.function, attempts, self._reason, exception_summary(exception)),
            attempts,
            None,
            exception,
        )
        lines = [
            f"{policy.where} gave up on {policy.function} after"
            f" {attempts} attempt{'s' if attempts != 1 else ''} ({self._reason}):",
            *(f"  {line}" for line in history),
        ]
        exception.add_note("\n".join(lines))

    def _announce(
        self,
        event: str,
        msg: str,
        args: tuple[object, ...],
        attempt: int,
        delay: float | None,
        exception: BaseException | None,
    ) -> None:
        """One retry or give-up: a WARNING record and a span event with the same fields."""
        fields: dict[str, object] = {
            "operation": self._policy.operation,
            "attempt": attempt,
            "max_attempts": self._max_attempts,
            "delay_s": delay,
            "exception_type": None if exception is None else _events.type_name(exception),
        }
        self._record(_WARNING, msg, args, fields)
        _events.add_span_event(event, fields)

    def _record(
        self,
        level: int,
        msg: str,
        args: tuple[object, ...],
        fields: dict[str, object],
    ) -> None:
        """Log at the caller of the decorated function (see ``_events.emit``)."""
        _events.emit(self._policy.logger or _events.package_logger(), level, msg, args, fields)
