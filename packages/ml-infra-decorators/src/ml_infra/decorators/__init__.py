"""Timing and retry decorators that are safe by default and cost almost nothing.

Example:
    >>> from ml_infra.decorators import retry, set_testing, timer
    >>> @timer(logger=None)
    ... @retry(max_attempts=2, delay=0.1)
    ... def load() -> str:
    ...     return "ok"
    >>> load()
    'ok'
"""

from typing import TYPE_CHECKING

from ml_infra.decorators.__about__ import __version__
from ml_infra.decorators._errors import (
    DecoratorsError,
    InvalidArgumentError,
    InvalidArgumentTypeError,
    UnknownTimerError,
)
from ml_infra.decorators._retry import retry, retry_on_condition
from ml_infra.decorators._stats import (
    all_timing_stats,
    reset_timing_stats,
    timing_stats,
)
from ml_infra.decorators._testing import TestingMode, is_testing, set_testing
from ml_infra.decorators._timing import TimerLogger, timer, timer_with_units
from ml_infra.decorators._types import Decorator, SupportsLog

__all__ = [
    "Decorator",
    "DecoratorsError",
    "InvalidArgumentError",
    "InvalidArgumentTypeError",
    "RetryEvent",
    "SupportsLog",
    "TestingMode",
    "TimerLogger",
    "TimingStats",
    "UnknownTimerError",
    "__version__",
    "all_timing_stats",
    "is_testing",
    "reset_timing_stats",
    "retry",
    "retry_on_condition",
    "set_testing",
    "timer",
    "timer_with_units",
    "timing_stats",
]

if TYPE_CHECKING:
    from ml_infra.decorators._snapshots import RetryEvent, TimingStats
else:

    def __getattr__(name: str) -> object:
        """``RetryEvent`` and ``TimingStats``, imported on first use (see ``_snapshots``)."""
        if name in _SNAPSHOTS:
            from ml_infra.decorators import _snapshots

            value = getattr(_snapshots, name)
            globals()[name] = value
            return value
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

    def __dir__() -> list[str]:
        return sorted({*globals(), *_SNAPSHOTS})


_SNAPSHOTS = frozenset({"RetryEvent", "TimingStats"})  # dataclasses, defined on first use

# Public classes carry their public module: tracebacks, reprs and pickles name
# ml_infra.<sub>.X, never the private module that defines it (_snapshots sets
# its own two classes).
for _name in __all__:
    _obj = None if _name in _SNAPSHOTS else globals()[_name]
    if isinstance(_obj, type):
        _obj.__module__ = __name__
del _name, _obj
