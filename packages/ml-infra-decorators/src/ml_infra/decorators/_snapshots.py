"""The frozen values handed to users: ``RetryEvent`` (to ``on_retry``) and ``TimingStats``.

They are dataclasses, and :mod:`dataclasses` imports :mod:`inspect`, which
would double the package's import time; so this module is imported on first
use: by the first ``on_retry`` call, the first statistics snapshot, or the
first ``ml_infra.decorators.RetryEvent`` / ``TimingStats`` lookup (the
package's ``__getattr__``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["RetryEvent", "TimingStats"]


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
class TimingStats:
    """A snapshot of the completed calls timed under one name (in seconds).

    Attributes:
        name: The timer's name (the function's ``__qualname__`` unless ``name=`` was given).
        count: Number of completed calls.
        total: Sum of their durations.
        min: Shortest duration (NaN while ``count == 0``).
        max: Longest duration (NaN while ``count == 0``).

    Example:
        >>> from ml_infra.decorators import timer
        >>> @timer(logger=None, name="doc.stats")
        ... def work() -> None: ...
        >>> work(); work()
        >>> timing_stats("doc.stats").count
        2
    """

    name: str
    count: int
    total: float
    min: float
    max: float

    @property
    def mean(self) -> float:
        """Average duration in seconds (NaN while ``count == 0``)."""
        return self.total / self.count if self.count else math.nan


# Public classes carry their public module (the package's __init__ loop runs
# before this lazily imported module exists).
RetryEvent.__module__ = TimingStats.__module__ = "ml_infra.decorators"
