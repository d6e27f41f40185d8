"""Text of user values for error messages, never raising.

A message must not fail while it describes the value that made it necessary:
``repr`` can raise (or run forever on a huge int), ``__name__`` can be a
property. Every helper here falls back to naming the type.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import numpy as np

__all__ = ["class_name", "describe", "number_text", "safe_repr", "type_name"]

_LIMIT = 30  # characters of a value shown in a message
_EXACT_INT_DIGITS = 30  # ints up to this many digits are printed in full


def class_name(cls: type) -> str:
    """Name a class (``"int"``, ``"Fraction"``), never raising.

    Args:
        cls: Any class.

    Returns:
        Its ``__name__``, or ``"object"`` when even that fails.

    Example:
        >>> class_name(Fraction)
        'Fraction'
    """
    try:
        name = cls.__name__
    except Exception:  # a metaclass may make __name__ a raising property
        return "object"
    return name if type(name) is str else "object"


def type_name(obj: object) -> str:
    """Name the type of ``obj`` (``"int"``, ``"Fraction"``), never raising.

    Args:
        obj: Any object.

    Returns:
        The type's ``__name__``, or ``"object"`` when even that fails.

    Example:
        >>> type_name(2.5)
        'float'
    """
    return class_name(type(obj))


def _int_text(value: int) -> str:
    """An int in full when short, else in scientific notation (no ``str`` of a huge int)."""
    if value.bit_length() <= 60:
        return str(int(value))
    exponent = math.floor(math.log10(abs(value)))
    if exponent < _EXACT_INT_DIGITS:
        return str(int(value))
    sign = "-" if value < 0 else ""
    mantissa = f"{10 ** (math.log10(abs(value)) - exponent):.4g}"
    if mantissa == "10":  # 9.99996... rounded up
        mantissa, exponent = "1", exponent + 1
    return f"{sign}{mantissa}e+{exponent}"


def _python_value(obj: object) -> object:
    """The Python value of a NumPy scalar (``1.5``, not ``np.float64(1.5)``), else ``obj``."""
    try:
        return obj.item() if isinstance(obj, np.generic) else obj
    except Exception:  # a subclass's hooks: keep it as it is
        return obj


def safe_repr(obj: object, limit: int = _LIMIT) -> str:
    """``repr(obj)`` cut to ``limit`` characters, or a placeholder when it raises.

    NumPy scalars are shown as the Python value they hold (``1.5``, not
    ``np.float64(1.5)``); huge ints in scientific notation.

    Args:
        obj: Any object.
        limit: The longest text returned (longer ones end in ``...``).

    Returns:
        The text; ``<unrepresentable Type object: repr raised Error>`` when
        ``repr`` fails (the style of all four packages).

    Example:
        >>> safe_repr("abc"), safe_repr(10**400)
        ("'abc'", '1e+400')
    """
    obj = _python_value(obj)
    try:
        if type(obj) is int:
            text = _int_text(obj)
        else:
            text = repr(obj)
            if type(text) is not str:
                return f"<unrepresentable {type_name(obj)} object: repr was not a str>"
    except Exception as exc:  # the point is to survive any __repr__
        return f"<unrepresentable {type_name(obj)} object: repr raised {type_name(exc)}>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def describe(obj: object) -> str:
    """The type and the (short) text of a user's value: ``str '2'``, never raising.

    Args:
        obj: Any object.

    Returns:
        ``"<type> <repr>"``, the repr cut to 30 characters (or the placeholder
        of :func:`safe_repr`, which names the type itself).

    Example:
        >>> describe("2"), describe(np.float32(1.5))
        ("str '2'", 'float 1.5')
    """
    value = _python_value(obj)  # name the Python value: "float 1.5", not "float64 1.5"
    text = safe_repr(value)
    return text if text.startswith("<unrepresentable ") else f"{type_name(value)} {text}"


def number_text(value: object) -> str:
    """A real number as a message shows a bound: ``1``, ``0.5``, ``1/3``, ``1e+400``.

    Floats use the ``g`` format when it shows them exactly (``1``, ``0.5``),
    else their full ``repr`` (``0.3333333333333333``); ints are exact up to
    30 digits; fractions are ``p/q``. Anything else falls back to
    :func:`safe_repr`.

    Args:
        value: A real number (int, float, Fraction, Decimal, NumPy scalar).

    Returns:
        Its text, at most about 30 characters.

    Example:
        >>> number_text(1.0), number_text(2**53 + 1), number_text(Fraction(1, 3))
        ('1', '9007199254740993', '1/3')
    """
    value = _python_value(value)
    if type(value) is float:
        short = f"{value:g}"
        return short if float(short) == value else repr(value)
    if type(value) is Fraction:
        top = safe_repr(value.numerator)
        return top if value.denominator == 1 else f"{top}/{safe_repr(value.denominator)}"
    if type(value) is Decimal:
        return f"{value:.6g}"
    return safe_repr(value)
