"""Argument checks for everything but the data: numbers, counts, options, names.

Each ``*_parameter``/``check_*`` function takes the caller's argument, its
name and the public function's name, and returns the validated value or
raises :class:`ParameterError` naming all three. Whatever a user's object
does inside ``__float__``, ``__eq__`` or ``__repr__`` ends up in that one
error, never as its own exception.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence
from typing import TypeGuard, TypeVar

from ml_infra.preprocessing._errors import ParameterError
from ml_infra.preprocessing._scalars import Exact, exact_value, is_integer, is_real_number
from ml_infra.preprocessing._text import describe, safe_repr, type_name

__all__ = [
    "check_option",
    "count_parameter",
    "exact_parameter",
    "is_text",
    "real_parameter",
    "text_parameter",
]

_S = TypeVar("_S", bound=str)


def _not_real(value: object, name: str, func: str, exc: BaseException | None) -> ParameterError:
    why = f" ({type_name(exc)} converting it)" if exc is not None else ""
    return ParameterError(f"{func}: {name} must be a real number, got {describe(value)}{why}")


def exact_parameter(value: object, name: str, func: str) -> Exact:
    """Validate a numeric parameter: a finite real number of any size, kept exact.

    Args:
        value: The argument.
        name: The argument's name, for the message.
        func: The public function's name, for the message.

    Returns:
        Its exact value: an int, a finite float or a Fraction.

    Raises:
        ParameterError: ``value`` is not a real number, is NaN or infinite, or
            its conversion failed.

    Example:
        >>> exact_parameter(2**53 + 1, "max_value", "validate_range")
        9007199254740993
    """
    if not is_real_number(value):
        raise _not_real(value, name, func, None)
    try:
        result = exact_value(value)
    except Exception as exc:  # a numbers.Real whose __float__ raises
        raise _not_real(value, name, func, exc) from exc
    if isinstance(result, float) and not math.isfinite(result):
        raise ParameterError(f"{func}: {name} must be finite, got {safe_repr(result)}")
    return result


def real_parameter(value: object, name: str, func: str) -> float:
    """Validate a numeric parameter used as a float (percentile, feature range).

    Args:
        value: The argument.
        name: The argument's name, for the message.
        func: The public function's name, for the message.

    Returns:
        The nearest float to ``value``.

    Raises:
        ParameterError: as :func:`exact_parameter`, and for values beyond the
            float range (``10**400``).

    Example:
        >>> real_parameter(5, "lower_percentile", "clip_outliers")
        5.0
    """
    exact = exact_parameter(value, name, func)
    try:
        return float(exact)  # correctly rounded
    except OverflowError:
        raise ParameterError(
            f"{func}: {name} must fit in a float (within ±1.8e308), got {describe(value)}"
        ) from None


def count_parameter(value: object, name: str, func: str) -> int:
    """Validate a count (``ddof``): a non-negative int, not a bool.

    Args:
        value: The argument.
        name: The argument's name, for the message.
        func: The public function's name, for the message.

    Returns:
        ``value`` as an int.

    Raises:
        ParameterError: ``value`` is not a non-negative int.

    Example:
        >>> count_parameter(1, "ddof", "standardize")
        1
    """
    if is_integer(value):
        count = operator.index(value)  # type: ignore[arg-type]
        if count >= 0:
            return count
    raise ParameterError(f"{func}: {name} must be a non-negative int, got {safe_repr(value)}")


def _choices(options: Sequence[str]) -> str:
    quoted = [repr(option) for option in options]
    return f"{', '.join(quoted[:-1])} or {quoted[-1]}" if len(quoted) > 1 else quoted[0]


def check_option(value: object, options: Sequence[_S], name: str, func: str) -> _S:
    """Return the option ``value`` names, comparing it as a plain string.

    Only ``str`` (and its subclasses, such as ``numpy.str_``) can name an
    option; the comparison never calls the value's own ``__eq__``, so arrays
    and objects with odd equality are refused cleanly.

    Args:
        value: The argument.
        options: The allowed strings.
        name: The argument's name, for the message.
        func: The public function's name, for the message.

    Returns:
        The matching entry of ``options``.

    Raises:
        ParameterError: ``value`` is not one of ``options``.

    Example:
        >>> check_option("omit", ("raise", "omit"), "nan_policy", "normalize")
        'omit'
    """
    if is_text(value):
        plain = str.__str__(value)
        for option in options:
            if plain == option:
                return option
    raise ParameterError(f"{func}: {name} must be {_choices(options)}, got {safe_repr(value)}")


def is_text(value: object) -> TypeGuard[str]:
    """Tell whether ``value`` is a ``str`` (or subclass), never raising.

    Args:
        value: Any object.

    Returns:
        ``True`` for strings.

    Example:
        >>> is_text("a"), is_text(b"a")
        (True, False)
    """
    try:
        return isinstance(value, str)
    except Exception:  # a __class__ that raises
        return False


def text_parameter(value: object, name: str, func: str) -> str:
    """Validate a text parameter (an argument's name): a ``str``, returned as a plain one.

    Args:
        value: The argument.
        name: The argument's name, for the message.
        func: The public function's name, for the message.

    Returns:
        ``value`` as a plain ``str``.

    Raises:
        ParameterError: ``value`` is not a string.

    Example:
        >>> text_parameter("y_true", "name", "ensure_1d")
        'y_true'
    """
    if not is_text(value):
        raise ParameterError(f"{func}: {name} must be a str, got {describe(value)}")
    return str.__str__(value)
