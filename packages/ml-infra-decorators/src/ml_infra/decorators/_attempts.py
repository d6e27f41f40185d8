"""The retry state machine shared by ``retry`` and ``retry_on_condition``.

Nothing here runs on the success path: a :class:`RetryRun` is created only
after a first attempt failed. The module-level hooks ``clock``, ``sleep``,
``async_sleep`` and ``random`` are looked up at call time, so the test suite
can replace them to run backoff schedules and deadlines without waiting.
"""

from __future__ import annotations

import asyncio
import logging
import random as _random_module
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from ml_infra.decorators import _testing
from ml_infra.decorators._text import describe_exception
from ml_infra.decorators._validation import NEVER_RETRIED

__all__ = [
    "LOGGER",
    "LONGEST_WAIT",
    "RetryEvent",
    "RetryPolicy",
    "RetryRun",
]

#: Every retry is reported here at WARNING; never with the call's arguments.
LOGGER = logging.getLogger("ml_infra.decorators")

# Hooks (replaced by the test suite; looked up at call time).
clock: Callable[[], float] = time.monotonic
sleep: Callable[[float], object] = time.sleep
async_sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
random: Callable[[], float] = _random_module.random

LONGEST_WAIT = threading.TIMEOUT_MAX  # what time.sleep and Lock.acquire accept


@dataclass(frozen=True, slots=True)
class RetryEvent:
    """What an ``on_retry`` hook receives before each wait.

    Attributes:
        function: Qualified name of the decorated function (``module.qualname``).
        attempt: Number of the attempt that just failed (1-based).
        max_attempts: Attempts allowed for this call (testing mode may cap it).
        next_delay: Seconds the decorator waits before the next attempt (the
            planned delay: testing mode skips the actual wait).
        exception: The exception the attempt raised (``None`` for
            ``retry_on_condition``).
        result: The rejected result (``retry_on_condition`` only, else ``None``).

    Example:
        >>> from ml_infra.decorators import retry, set_testing
        >>> seen = []
        >>> @retry(max_attempts=2, on_retry=seen.append)
        ... def shaky() -> None:
        ...     if not seen:
        ...         raise TimeoutError("slow")
        >>> with set_testing(True):
        ...     shaky()
        >>> seen[0].attempt, seen[0].next_delay, type(seen[0].exception).__name__
        (1, 1.0, 'TimeoutError')
    """

    function: str
    attempt: int
    max_attempts: int
    next_delay: float
    exception: BaseException | None = None
    result: object = None


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Validated, precomputed settings of one decorated function."""

    where: str  # "retry()" or "retry_on_condition()", for messages
    function: str  # module.qualname
    max_attempts: int
    delay: float
    backoff: float
    max_delay: float  # LONGEST_WAIT when not given
    jitter: float
    timeout: float | None
    on_retry: Callable[[RetryEvent], object] | None


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

        Logs the retry and calls ``on_retry`` when another attempt follows.

        Args:
            exception: What the attempt raised (``None`` for a rejected result).
            result: The rejected result (``retry_on_condition``).

        Returns:
            Seconds to wait before the next attempt, or ``None`` to give up.
        """
        policy = self._policy
        self.attempt += 1
        if exception is not None:
            summary = describe_exception(exception)
        else:
            summary = f"condition true for a result of type {type(result).__qualname__}"
        entry = f"attempt {self.attempt}: {summary}"
        wait, stop = self._schedule(exception)
        if stop:
            self._reason = stop
            self._history.append(entry)
            return None
        self._history.append(f"{entry}; retried after {wait:.3g}s")
        LOGGER.warning(
            "retrying %s in %.3g s: attempt %d of %d failed (%s)",
            policy.function,
            wait,
            self.attempt,
            self._max_attempts,
            summary,
            extra={
                "retry_function": policy.function,
                "retry_attempt": self.attempt,
                "retry_max_attempts": self._max_attempts,
                "retry_delay": wait,
                "retry_failure": summary,
            },
        )
        if policy.on_retry is not None:
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

    def _schedule(self, exception: BaseException | None) -> tuple[float, str]:
        """The wait before the next attempt, or why there is none.

        Returns:
            ``(seconds, "")`` to retry, or ``(0.0, reason)`` to give up.
        """
        policy = self._policy
        if isinstance(exception, BaseExceptionGroup) and exception.subgroup(NEVER_RETRIED):
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
        if self._deadline is not None and clock() + self._skipped + wait >= self._deadline:
            return 0.0, (
                f"timeout={policy.timeout:g}s: the next wait of {wait:.3g}s would end past the deadline"
            )
        return wait, ""

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

    def note(self, *, other: BaseException | None = None) -> str:
        """The PEP 678 note listing the attempt history.

        Args:
            other: An exception outside ``exceptions`` that ended the retries.

        Returns:
            A multi-line note for ``BaseException.add_note``.
        """
        history = self._history
        if other is not None:
            self._reason = "the exception is not retried"
            history = [*history, f"attempt {self.attempt + 1}: {describe_exception(other)}"]
        attempts = len(history)
        lines = [
            f"{self._policy.where} gave up on {self._policy.function} after"
            f" {attempts} attempt{'s' if attempts != 1 else ''} ({self._reason}):",
            *(f"  {line}" for line in history),
        ]
        return "\n".join(lines)

    def log_gave_up(self) -> None:
        """Log (WARNING) that ``retry_on_condition`` returns a still-rejected result."""
        LOGGER.warning(
            "%s gave up on %s: condition still true after %d attempts (%s); returning the last result",
            self._policy.where,
            self._policy.function,
            self.attempt,
            self._reason,
            extra={
                "retry_function": self._policy.function,
                "retry_attempt": self.attempt,
                "retry_max_attempts": self._max_attempts,
            },
        )
