"""Per-name timing statistics that ``timer`` feeds without taking a lock."""

from __future__ import annotations

import math
import threading
from collections import deque
from itertools import repeat, starmap

from ml_infra.decorators._errors import InvalidArgumentTypeError, UnknownTimerError
from ml_infra.decorators._parameters import as_text
from ml_infra.decorators._text import describe, safe_repr

TYPE_CHECKING = False  # typing is not imported at run time (import cost)
if TYPE_CHECKING:
    from collections.abc import Callable

    from ml_infra.decorators._snapshots import TimingStats

__all__ = [
    "Accumulator",
    "accumulator",
    "all_timing_stats",
    "reset_timing_stats",
    "timing_stats",
]

_registry: dict[str, Accumulator] = {}
_registry_lock = threading.Lock()


class Accumulator:
    """Running totals for one name, fed without taking a lock.

    A timed call only appends its duration to ``pending`` (``deque.append``
    is atomic, so threads never lose a value); the durations are folded into
    the totals under ``lock`` when a snapshot is taken, or by the recording
    call itself once ``FOLD_AT`` durations are pending, which bounds memory.
    """

    __slots__ = ("count", "lock", "max", "min", "name", "pending", "total")

    FOLD_AT = 4096

    def __init__(self, name: str) -> None:
        self.name = name
        self.lock = threading.Lock()
        self.pending: deque[float] = deque()
        self.count = 0
        self.total = 0.0
        self.min = math.inf
        self.max = -math.inf

    def fold(self) -> None:
        """Move the pending durations into the totals (thread safe)."""
        with self.lock:
            pending = self.pending
            # Pop exactly the durations present now, in C (no Python-level loop):
            # only this locked consumer pops, producers only append.
            batch = list(starmap(pending.popleft, repeat((), len(pending))))
            if batch:
                self.count += len(batch)
                self.total += math.fsum(batch)
                self.min = min(self.min, min(batch))
                self.max = max(self.max, max(batch))

    def snapshot(self) -> TimingStats:
        """Consistent copy of the totals.

        Returns:
            The statistics at this moment.
        """
        from ml_infra.decorators._snapshots import TimingStats

        self.fold()
        with self.lock:
            if not self.count:
                return TimingStats(self.name, 0, 0.0, math.nan, math.nan)
            return TimingStats(self.name, self.count, self.total, self.min, self.max)

    def reset(self) -> None:
        """Forget every recorded duration (decorated functions keep recording)."""
        with self.lock:
            self.pending.clear()
            self.count = 0
            self.total = 0.0
            self.min = math.inf
            self.max = -math.inf


def accumulator(name: str) -> Accumulator:
    """The accumulator of ``name``, created on first use.

    Args:
        name: The timer's name.

    Returns:
        The shared accumulator (several functions may share a name).
    """
    with _registry_lock:
        found = _registry.get(name)
        if found is None:
            found = _registry[name] = Accumulator(name)
        return found


def _registered(target: str | Callable[..., object], where: str) -> Accumulator:
    """The accumulator of a timer name or timed function; errors name ``where``."""
    name = as_text(target)
    if name is None:
        try:
            name = as_text(getattr(target, "timer_name", None))
        except Exception:  # the object's own __getattr__ failed: it is no timed function
            name = None
    if name is None:
        raise InvalidArgumentTypeError(
            f"{where}: expected a timer name or a function decorated with timer,"
            f" got {describe(target)}"
        )
    with _registry_lock:
        found = _registry.get(name)
    if found is None:
        raise UnknownTimerError(f"{where}: no timer is named {safe_repr(name)}")
    return found


def timing_stats(target: str | Callable[..., object]) -> TimingStats:
    """Statistics of the completed calls timed under a name.

    Args:
        target: The timer's name, or the decorated function itself.

    Returns:
        A :class:`TimingStats` snapshot (count, total, min, max, mean).

    Raises:
        UnknownTimerError: No timer uses that name (a ``KeyError``).
        InvalidArgumentTypeError: ``target`` is neither a name nor a timed function.

    Example:
        >>> from ml_infra.decorators import timer
        >>> @timer(logger=None)
        ... def step() -> int:
        ...     return 1
        >>> step()
        1
        >>> timing_stats(step).count >= 1
        True
    """
    return _registered(target, "timing_stats").snapshot()


def all_timing_stats() -> dict[str, TimingStats]:
    """Statistics of every timer, by name (sorted).

    Returns:
        A new dict of snapshots, including timers with no completed call.

    Example:
        >>> isinstance(all_timing_stats(), dict)
        True
    """
    with _registry_lock:
        found = sorted(_registry.items())
    return {name: acc.snapshot() for name, acc in found}


def reset_timing_stats(target: str | Callable[..., object] | None = None) -> None:
    """Zero the statistics of one timer, or of all timers.

    Decorated functions keep recording into the reset statistics.

    Args:
        target: A timer name or timed function; ``None`` resets every timer.

    Raises:
        UnknownTimerError: No timer uses that name.
        InvalidArgumentTypeError: ``target`` is neither a name nor a timed function.

    Example:
        >>> reset_timing_stats()
    """
    if target is None:
        with _registry_lock:
            found = list(_registry.values())
        for acc in found:
            acc.reset()
        return
    _registered(target, "reset_timing_stats").reset()
