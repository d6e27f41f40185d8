"""``timer`` and ``timer_with_units``: per-call timing that is cheap and reentrant.

Each call keeps its start time in a local variable, so recursion, threads and
concurrent ``async`` tasks never disturb each other. ``perf_counter`` is read
from this module's globals at call time (the test suite replaces it).
"""

from __future__ import annotations

import functools
from time import perf_counter

from ml_infra.decorators._errors import InvalidArgumentError, InvalidArgumentTypeError
from ml_infra.decorators._events import emit, operation_of
from ml_infra.decorators._parameters import as_text, has_log_method
from ml_infra.decorators._stats import accumulator
from ml_infra.decorators._targets import (
    is_async_callable,
    through_method_descriptors,
    validate_target,
)
from ml_infra.decorators._text import describe, safe_repr

TYPE_CHECKING = False  # typing is not imported at run time (import cost)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, overload

    from ml_infra.decorators._types import C, Decorator, P, T, TimerLogger

    #: A report: (timer name, operation, seconds) -> None.
    Report = Callable[[str, str, float], None]

__all__ = ["timer", "timer_with_units"]

_INFO = 20  # logging.INFO, without importing logging

# unit -> (factor from seconds, word used in the report)
_UNITS: dict[str, tuple[float, str]] = {
    "s": (1.0, "seconds"),
    "seconds": (1.0, "seconds"),
    "ms": (1e3, "milliseconds"),
    "milliseconds": (1e3, "milliseconds"),
    "us": (1e6, "microseconds"),
    "\u00b5s": (1e6, "microseconds"),  # micro sign
    "\u03bcs": (1e6, "microseconds"),  # Greek small letter mu
    "microseconds": (1e6, "microseconds"),
    "ns": (1e9, "nanoseconds"),
    "nanoseconds": (1e9, "nanoseconds"),
}


def _reporter(where: str, logger: object, factor: float, word: str) -> Report | None:
    """Build the report function once, at decoration time."""
    if logger is None:
        return None
    if has_log_method(logger):
        target = logger

        def to_logger(name: str, operation: str, elapsed: float) -> None:
            fields: dict[str, object] = {"elapsed_s": elapsed, "operation": operation}
            emit(target, _INFO, "%s took %.4f %s", (name, elapsed * factor, word), fields)

        return to_logger
    if callable(logger):
        write = logger

        def to_callable(name: str, operation: str, elapsed: float) -> None:
            write(f"{name} took {elapsed * factor:.4f} {word}")

        return to_callable
    raise InvalidArgumentTypeError(
        f"{where}: logger must be a callable taking the message, a logger (logging.Logger,"
        f" ml_infra.logging.StructuredLogger) or None, got {describe(logger)}"
    )


def _make_timer(where: str, factor: float, word: str, logger: object, name: object) -> Decorator:
    text = as_text(name)
    if name is not None and not text:
        raise InvalidArgumentTypeError(
            f"{where}: name must be a non-empty string or None, got {describe(name)}"
        )
    report = _reporter(where, logger, factor, word)

    def decorate(func: Callable[P, T], /) -> Callable[P, T]:
        validate_target(where, func)
        label = text or _display_name(func)
        operation = operation_of(func)
        if is_async_callable(func):
            return _async_timed(func, label, operation, report)
        return _sync_timed(func, label, operation, report)

    return through_method_descriptors(decorate)


def _display_name(func: Callable[..., object]) -> str:
    """``Class.method`` or ``function``: the qualname after any ``<locals>.``."""
    qualname = getattr(func, "__qualname__", None) or getattr(func, "__name__", None)
    if not isinstance(qualname, str):
        return type(func).__qualname__
    return qualname.rpartition("<locals>.")[2]


def _sync_timed(
    func: Callable[P, T], label: str, operation: str, report: Report | None
) -> Callable[P, T]:
    stats = accumulator(label)
    pending, fold_at, fold = stats.pending, stats.FOLD_AT, stats.fold
    record = pending.append

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        start = perf_counter()
        result = func(*args, **kwargs)
        elapsed = perf_counter() - start
        wrapper.last_elapsed = elapsed  # type: ignore[attr-defined]
        record(elapsed)
        if len(pending) >= fold_at:
            fold()
        if report is not None:
            report(label, operation, elapsed)
        return result

    wrapper.last_elapsed = None  # type: ignore[attr-defined]
    wrapper.timer_name = label  # type: ignore[attr-defined]
    return wrapper


def _async_timed(
    func: Callable[P, Any], label: str, operation: str, report: Report | None
) -> Callable[P, Any]:
    stats = accumulator(label)
    pending, fold_at, fold = stats.pending, stats.FOLD_AT, stats.fold
    record = pending.append

    @functools.wraps(func)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> Any:
        start = perf_counter()
        result = await func(*args, **kwargs)
        elapsed = perf_counter() - start
        wrapper.last_elapsed = elapsed  # type: ignore[attr-defined]
        record(elapsed)
        if len(pending) >= fold_at:
            fold()
        if report is not None:
            report(label, operation, elapsed)
        return result

    wrapper.last_elapsed = None  # type: ignore[attr-defined]
    wrapper.timer_name = label  # type: ignore[attr-defined]
    return wrapper


if TYPE_CHECKING:

    @overload
    def timer(func: staticmethod[P, T], /) -> staticmethod[P, T]: ...

    @overload
    def timer(func: classmethod[C, P, T], /) -> classmethod[C, P, T]: ...

    @overload
    def timer(func: Callable[P, T], /) -> Callable[P, T]: ...

    @overload
    def timer(*, logger: TimerLogger | None = print, name: str | None = None) -> Decorator: ...


def timer(
    func: Callable[..., Any] | classmethod[Any, ..., Any] | None = None,
    /,
    *,
    logger: TimerLogger | None = print,
    name: str | None = None,
) -> Any:
    """Report how long each call takes: ``"<name> took <t> seconds"``.

    The report goes to stdout by default (``print``); ``logger=`` sends it to
    any callable taking the message, or to a logger: a ``logging.Logger``
    (or ``LoggerAdapter``), an ``ml_infra.logging.StructuredLogger`` or any
    :class:`SupportsLog`. A logger gets an INFO record with the structured
    fields ``elapsed_s`` (float seconds) and ``operation`` (the function's
    ``__qualname__``), located (``module``, ``funcName``, ``lineno``) at the
    caller of the timed function; a ``StructuredLogger`` keeps its bound
    context. ``logger=None`` silences the report. Either way the duration stays available to
    code: ``func.last_elapsed`` (seconds, the last call to complete, from any
    thread) and :func:`timing_stats` (count, total, min, max, mean per name).
    The clock is ``time.perf_counter``; each call keeps its own start time,
    so recursion and threads are safe, and ``async def`` functions are timed
    over the awaited work. Calls that raise are neither reported nor counted.
    Use ``@timer`` bare or ``@timer(logger=..., name=...)``, on functions and
    methods (also stacked above ``@staticmethod`` or ``@classmethod``).

    Args:
        func: The function, when used bare as ``@timer``.
        logger: Where reports go (``print``, a callable, a logger, or ``None``).
        name: Name in reports and statistics (default: the function's ``__qualname__``
            without any ``<locals>.`` prefix, e.g. ``"Model.fit"``).

    Returns:
        The timed function (bare use) or a decorator that keeps the signature.

    Raises:
        InvalidArgumentTypeError: ``logger`` or ``name`` has the wrong type, or the
            decorated object is a generator function (only its creation would be
            timed) or a class.

    Example:
        >>> @timer
        ... def add(a: int, b: int) -> int:
        ...     return a + b
        >>> add(2, 3)  # doctest: +ELLIPSIS
        add took 0.0... seconds
        5
        >>> add.last_elapsed >= 0.0
        True
    """
    decorate = _make_timer("timer", 1.0, "seconds", logger, name)
    return decorate if func is None else decorate(func)


def timer_with_units(
    unit: str = "s",
    *,
    logger: TimerLogger | None = print,
    name: str | None = None,
) -> Decorator:
    """Like :func:`timer`, reporting in the given unit.

    Units: ``"s"``, ``"ms"``, ``"us"`` (or ``"µs"``, with either mu), ``"ns"``, or the words
    ``"seconds"``, ``"milliseconds"``, ``"microseconds"``, ``"nanoseconds"``.
    The report spells the unit out: ``"load took 12.3456 milliseconds"``.
    Statistics and ``last_elapsed`` are always in seconds.

    Args:
        unit: The unit of the report.
        logger: Where reports go (``print``, a callable, a logger, or ``None``).
        name: Name in reports and statistics (default: the function's ``__qualname__``
            without any ``<locals>.`` prefix, e.g. ``"Model.fit"``).

    Returns:
        A decorator that keeps the function's signature.

    Raises:
        InvalidArgumentError: ``unit`` is not one of the units above.
        InvalidArgumentTypeError: ``unit``, ``logger`` or ``name`` has the wrong type.

    Example:
        >>> lines = []
        >>> @timer_with_units("ms", logger=lines.append)
        ... def nap() -> None: ...
        >>> nap()
        >>> lines[0].startswith("nap took ") and lines[0].endswith(" milliseconds")
        True
    """
    text = as_text(unit)
    if text is None:
        raise InvalidArgumentTypeError(
            f"timer_with_units: unit must be a string, got {describe(unit)}"
        )
    if text not in _UNITS:
        raise InvalidArgumentError(
            f"timer_with_units: unknown unit {safe_repr(text)}; use one of 's', 'ms', 'us', 'ns'"
            " (or 'seconds', 'milliseconds', 'microseconds', 'nanoseconds')"
        )
    factor, word = _UNITS[text]
    return _make_timer("timer_with_units", factor, word, logger, name)
