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
from ml_infra.decorators._timing import timer, timer_with_units

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

# Names whose modules import typing or dataclasses (each would double the
# import time of the package): loaded on first use, from the module named here.
_ON_FIRST_USE = {
    "Decorator": "_types",
    "RetryEvent": "_snapshots",
    "SupportsLog": "_types",
    "TimerLogger": "_types",
    "TimingStats": "_snapshots",
}

TYPE_CHECKING = False  # typing is not imported at run time (import cost)
if TYPE_CHECKING:
    from ml_infra.decorators._snapshots import RetryEvent, TimingStats
    from ml_infra.decorators._types import Decorator, SupportsLog, TimerLogger
else:

    def __getattr__(name: str) -> object:
        """The names of ``_ON_FIRST_USE``, imported when first looked up."""
        module = _ON_FIRST_USE.get(name)
        if module is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        import importlib

        value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
        globals()[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*globals(), *_ON_FIRST_USE})


# Public classes carry their public module: tracebacks, reprs and pickles name
# ml_infra.<sub>.X, never the private module that defines it (the modules of
# _ON_FIRST_USE set it for their own classes).
for _name in __all__:
    _obj = None if _name in _ON_FIRST_USE else globals()[_name]
    if isinstance(_obj, type):
        _obj.__module__ = __name__
del _name, _obj
