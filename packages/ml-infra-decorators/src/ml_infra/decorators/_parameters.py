"""Decoration-time argument checks shared by ``timer`` and ``retry``.

Each ``validate_*`` helper returns the normalized value or raises an
:class:`~ml_infra.decorators.InvalidArgumentError` /
:class:`~ml_infra.decorators.InvalidArgumentTypeError` whose message names the
decorator (``where``) and the argument. Numbers go through one converter
(``_converted``) that turns every failure (``10**400``, a ``__float__`` that
raises) into those errors; messages show values through ``_text.describe``.
"""

from __future__ import annotations

import math
import operator
import sys
from numbers import Integral, Real

from ml_infra.decorators._errors import InvalidArgumentError, InvalidArgumentTypeError
from ml_infra.decorators._text import describe, safe_repr

TYPE_CHECKING = False  # typing is not imported at run time (import cost)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeGuard, TypeVar

    from ml_infra.decorators._types import SupportsLog

    _N = TypeVar("_N", int, float)

__all__ = [
    "as_seconds",
    "as_text",
    "has_log_method",
    "is_never_retried",
    "never_retried",
    "validate_callable",
    "validate_exceptions",
    "validate_logger",
    "validate_max_attempts",
    "validate_number",
]

#: Exceptions that end the program: retrying them would swallow Ctrl-C,
#: ``sys.exit()`` or generator clean-up (see :func:`never_retried` for the rest).
_ENDS_PROGRAM: tuple[type[BaseException], ...] = (KeyboardInterrupt, SystemExit, GeneratorExit)


def never_retried() -> tuple[type[BaseException], ...]:
    """The exception classes no retry may catch.

    ``KeyboardInterrupt``, ``SystemExit``, ``GeneratorExit``, and
    ``asyncio.CancelledError`` once asyncio is imported (before that, nothing
    can raise it; asyncio is never imported for this check).

    Returns:
        The classes, for ``isinstance``, ``issubclass`` or ``ExceptionGroup.subgroup``.

    Example:
        >>> KeyboardInterrupt in never_retried()
        True
    """
    asyncio = sys.modules.get("asyncio")
    if asyncio is None:
        return _ENDS_PROGRAM
    return (*_ENDS_PROGRAM, asyncio.CancelledError)


def is_never_retried(exc: BaseException) -> bool:
    """Whether ``exc`` ends the program or a task, so that no retry may catch it.

    Args:
        exc: An exception a decorated call raised.

    Returns:
        ``True`` for the classes of :func:`never_retried` (and their subclasses).

    Example:
        >>> is_never_retried(KeyboardInterrupt()), is_never_retried(OSError())
        (True, False)
    """
    return isinstance(exc, never_retried())


def as_seconds(value: object) -> float | None:
    """``value`` as a finite number of seconds >= 0, or ``None`` if it is not one.

    For values computed at call time (a ``wait_hint`` result), where raising
    is not an option: any real number but ``bool`` and ``numpy.timedelta64``
    (whose unit is not seconds) whose ``float`` is finite and >= 0.

    Args:
        value: Anything.

    Returns:
        The float, or ``None`` (NaN, infinite, negative, too large for a float,
        a string, a number whose own ``__float__`` raises, ...).

    Example:
        >>> as_seconds(3), as_seconds(-1), as_seconds("3"), as_seconds(float("nan"))
        (3.0, None, None, None)
    """
    if isinstance(value, bool) or not isinstance(value, Real) or _is_duration(value):
        return None
    try:
        seconds = float(value)
    except Exception:  # OverflowError for a huge int, or the number's own __float__
        return None
    return seconds if seconds >= 0 and math.isfinite(seconds) else None


def _is_duration(value: object) -> bool:
    """``numpy.timedelta64``: numpy registers it as an integer, but its unit is not ours."""
    numpy = sys.modules.get("numpy")  # loaded only if the caller could have made one
    return numpy is not None and isinstance(value, numpy.timedelta64)


def _converted(
    where: str,
    name: str,
    value: object,
    convert: Callable[[Any], _N],
    kind: str,
    valid: str,
    abstract: type = Real,
) -> _N:
    """The one numeric converter: every failure becomes this package's error.

    Args:
        where: The decorator, for the message (``"retry"``).
        name: The argument's name, for the message.
        value: The argument.
        convert: ``float``, or ``operator.index`` for integers.
        kind: The type the argument must have (``"a real number"``).
        valid: The values it may take (``"a finite number >= 0"``).
        abstract: The abstract type ``value`` must have (``numbers.Integral``
            for integers).

    Returns:
        ``convert(value)``.

    Raises:
        InvalidArgumentTypeError: ``value`` is a bool, a ``numpy.timedelta64``,
            not a number of ``kind``, or its own conversion raised.
        InvalidArgumentError: ``value`` is too large for a float (``10**400``).
    """
    if isinstance(value, bool) or not isinstance(value, abstract) or _is_duration(value):
        raise InvalidArgumentTypeError(f"{where}: {name} must be {kind}, got {describe(value)}")
    try:
        return convert(value)
    except OverflowError as exc:
        raise InvalidArgumentError(
            f"{where}: {name} must be {valid}, got {safe_repr(value)}"
        ) from exc
    except Exception as exc:  # the caller's own __float__ or __index__ failed
        raise InvalidArgumentTypeError(
            f"{where}: {name} must be {kind}, got {describe(value)}"
            f" ({type(exc).__qualname__} converting it)"
        ) from exc


def validate_max_attempts(where: str, value: object) -> int:
    """Return ``value`` as an ``int`` if it is an integer >= 1 (``bool`` is refused).

    Any :class:`numbers.Integral` (such as ``numpy.int64``) is accepted.

    Args:
        where: The decorator, for the message (``"retry"``).
        value: The ``max_attempts`` argument.

    Returns:
        The validated number of attempts.

    Raises:
        InvalidArgumentTypeError: ``value`` is not an integer.
        InvalidArgumentError: ``value`` is below 1.

    Example:
        >>> validate_max_attempts("retry", 3)
        3
    """
    expected = "an integer >= 1"
    count = _converted(where, "max_attempts", value, operator.index, expected, expected, Integral)
    if count < 1:
        raise InvalidArgumentError(
            f"{where}: max_attempts must be {expected}, got {safe_repr(count)}"
        )
    return count


def validate_number(
    where: str,
    name: str,
    value: object,
    *,
    minimum: float,
    maximum: float = math.inf,
    exclusive_minimum: bool = False,
) -> float:
    """Return ``value`` as a finite ``float`` within ``[minimum, maximum]``.

    Args:
        where: The decorator, for the message (``"retry"``).
        name: The argument's name, for the message.
        value: The argument (any real number but ``bool``).
        minimum: Smallest allowed value.
        maximum: Largest allowed value.
        exclusive_minimum: Whether ``minimum`` itself is refused.

    Returns:
        The value as a float.

    Raises:
        InvalidArgumentTypeError: ``value`` is not a real number (or a
            ``numpy.timedelta64``, or its ``__float__`` raised).
        InvalidArgumentError: ``value`` is NaN, infinite, too large for a
            float or out of range.

    Example:
        >>> validate_number("retry", "delay", 1, minimum=0.0)
        1.0
    """
    low = ">" if exclusive_minimum else ">="
    bounds = f"{low} {minimum:g}" + (f" and <= {maximum:g}" if maximum != math.inf else "")
    valid = f"a finite number {bounds}"
    number = _converted(where, name, value, float, "a real number", valid)
    too_low = number <= minimum if exclusive_minimum else number < minimum
    if not math.isfinite(number) or too_low or number > maximum:
        raise InvalidArgumentError(f"{where}: {name} must be {valid}, got {safe_repr(value)}")
    return number


def validate_callable(where: str, name: str, value: object) -> None:
    """Refuse a non-callable hook argument.

    Args:
        where: The decorator, for the message.
        name: The argument's name.
        value: The argument.

    Raises:
        InvalidArgumentTypeError: ``value`` is not callable.

    Example:
        >>> validate_callable("retry", "on_retry", print)
    """
    if not callable(value):
        raise InvalidArgumentTypeError(f"{where}: {name} must be callable, got {describe(value)}")


def has_log_method(value: object) -> TypeGuard[SupportsLog]:
    """Whether ``value`` is a logger: its class has a callable ``log`` attribute.

    The class is asked, not the object, so a module (``math.log``) or a
    function is never taken for a logger.

    Args:
        value: A ``logger`` argument.

    Returns:
        ``True`` for ``logging.Logger``, ``logging.LoggerAdapter``,
        ``ml_infra.logging.StructuredLogger`` and the like.

    Example:
        >>> import logging, math
        >>> has_log_method(logging.getLogger("doc")), has_log_method(math), has_log_method(print)
        (True, False, False)
    """
    try:
        return callable(getattr(type(value), "log", None))
    except Exception:  # a metaclass whose __getattr__ raises: not a logger
        return False


def validate_logger(where: str, value: object) -> None:
    """Refuse a ``logger`` that has no ``log(level, msg, *args, extra=, stacklevel=)`` method.

    Args:
        where: The decorator, for the message.
        value: The ``logger`` argument (not ``None``).

    Raises:
        InvalidArgumentTypeError: ``value`` is not a logger.

    Example:
        >>> import logging
        >>> validate_logger("retry", logging.getLogger("doc"))
    """
    if not has_log_method(value):
        raise InvalidArgumentTypeError(
            f"{where}: logger must be a logging.Logger, an ml_infra.logging.StructuredLogger"
            f" or None, got {describe(value)}"
        )


def validate_exceptions(where: str, value: object) -> tuple[type[BaseException], ...]:
    """Normalize ``exceptions`` to a non-empty tuple of exception classes.

    A single class or a tuple, list, set or frozenset of classes is accepted.
    Classes that must never be retried (``KeyboardInterrupt``, ``SystemExit``,
    ``GeneratorExit``, ``asyncio.CancelledError`` and their subclasses) are
    refused; broad bases such as ``BaseException`` are allowed, and the
    never-retried classes are still re-raised at once.

    Args:
        where: The decorator, for the message.
        value: The ``exceptions`` argument.

    Returns:
        The exception classes as a tuple.

    Raises:
        InvalidArgumentTypeError: An entry is not an exception class.
        InvalidArgumentError: The collection is empty, or names a never-retried class.

    Example:
        >>> validate_exceptions("retry", OSError)
        (<class 'OSError'>,)
    """
    try:
        items = tuple(value) if isinstance(value, tuple | list | set | frozenset) else (value,)
    except Exception as exc:  # a collection subclass whose own iteration fails
        raise InvalidArgumentTypeError(
            f"{where}: exceptions must be exception classes, got {describe(value)}"
            f" ({type(exc).__qualname__} iterating it)"
        ) from exc
    if not items:
        raise InvalidArgumentError(f"{where}: exceptions must name at least one exception class")
    for item in items:
        if not (isinstance(item, type) and issubclass(item, BaseException)):
            raise InvalidArgumentTypeError(
                f"{where}: exceptions must be exception classes, got {describe(item)}"
            )
        if issubclass(item, never_retried()):
            raise InvalidArgumentError(
                f"{where}: exceptions may not include {item.__qualname__}: KeyboardInterrupt,"
                " SystemExit, GeneratorExit and asyncio.CancelledError are never retried"
            )
    return items


def as_text(value: object) -> str | None:
    """Return ``value`` as a plain ``str`` if it is a string, else None.

    A ``str`` subclass becomes the plain string it spells, so its own
    ``__eq__``, ``__hash__`` or ``__len__`` never runs in our checks or lookups.

    Args:
        value: A string argument (a timer name, a unit).

    Returns:
        The plain string, or None for anything that is not a string.

    Example:
        >>> as_text("ms"), as_text(b"ms")
        ('ms', None)
    """
    return str.__str__(value) if isinstance(value, str) else None
