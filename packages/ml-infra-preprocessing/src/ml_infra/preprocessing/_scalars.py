"""One value: is it a real number here, and what is its float or its exact value.

Real numbers are ints, floats, NumPy real scalars, fractions, decimals and
other :class:`numbers.Real`; not bools (``True`` is rarely meant as 1) and not
``numpy.timedelta64`` (a subclass of ``numpy.signedinteger`` that is a
duration, not a number). The conversions here may raise whatever a user's
``__float__`` raises: callers turn that into their own error.
"""

from __future__ import annotations

import math
import numbers
from decimal import Decimal
from fractions import Fraction

import numpy as np

__all__ = [
    "Exact",
    "exact_value",
    "is_extended",
    "is_integer",
    "is_real_number",
    "to_float",
]

#: An exact real value: an int or a Fraction, or a float (exact itself, and the
#: only way to hold infinity and NaN).
Exact = int | float | Fraction


def is_real_number(value: object) -> bool:
    """Tell whether ``value`` is a real number here: not a bool, not a duration.

    Args:
        value: Any object.

    Returns:
        ``True`` for ints, floats, NumPy real scalars, fractions and decimals;
        ``False`` for anything else, also when ``isinstance`` itself fails.

    Example:
        >>> is_real_number(2.5), is_real_number(True), is_real_number("2")
        (True, False, False)
    """
    if type(value) is float or type(value) is int:  # the common case, without the ABC check
        return True
    try:
        if isinstance(value, bool | np.bool_ | np.timedelta64):
            return False
        return isinstance(value, numbers.Real | Decimal)
    except Exception:  # a __class__ that raises: not a number we can read
        return False


def is_integer(value: object) -> bool:
    """Tell whether ``value`` is an int or a NumPy integer (not a bool, not a duration).

    Args:
        value: Any object.

    Returns:
        ``True`` for ``int`` and ``numpy.integer`` values.

    Example:
        >>> is_integer(3), is_integer(3.0), is_integer(True)
        (True, False, False)
    """
    try:
        if isinstance(value, bool | np.timedelta64):
            return False
        return isinstance(value, int | np.integer)
    except Exception:  # a __class__ that raises
        return False


def is_extended(dtype: np.dtype[np.generic]) -> bool:
    """Tell whether ``dtype`` is a float wider than 64 bits (``numpy.longdouble``).

    On x86-64 Linux ``numpy.longdouble`` is the 80-bit x87 format (shown as
    ``float128``); on Windows and Apple silicon it is float64 and not extended.

    Args:
        dtype: A NumPy dtype.

    Returns:
        ``True`` for extended-precision floats.

    Example:
        >>> is_extended(np.dtype(np.float64))
        False
    """
    return dtype.kind == "f" and dtype.itemsize > 8


def _finite(value: object) -> bool:
    """Whether a value whose float came out infinite was finite (so it overflowed)."""
    if isinstance(value, Decimal):
        return value.is_finite()
    if isinstance(value, np.floating):
        return bool(np.isfinite(value))
    return False


def to_float(value: object) -> float:
    """The nearest float to a real number, refusing to overflow silently.

    Args:
        value: A real number (see :func:`is_real_number`).

    Returns:
        ``float(value)``; a decimal NaN (quiet or signalling) gives NaN.

    Raises:
        OverflowError: ``value`` is finite but beyond the float range
            (``10**400``, ``Decimal("1e400")``).

    Example:
        >>> to_float(Fraction(1, 4)), to_float(Decimal("sNaN"))
        (0.25, nan)
    """
    if isinstance(value, Decimal) and value.is_nan():
        return math.nan
    result = float(value)  # type: ignore[arg-type]
    if math.isinf(result) and _finite(value):
        raise OverflowError("value too large for a float")
    return result


def exact_value(value: object) -> Exact:
    """The exact value of a real number, as an int, a float or a Fraction.

    Python compares ints, floats and fractions exactly, so the result can be
    compared with other exact values without rounding. Decimals and NumPy
    floats of any precision become fractions; a ``numbers.Real`` of unknown
    kind is taken at its ``float``.

    Args:
        value: A real number (see :func:`is_real_number`).

    Returns:
        An int, a Fraction, or a float (finite ones are exact; infinities and
        NaN are floats).

    Example:
        >>> exact_value(Decimal("0.1")), exact_value(np.int64(7))
        (Fraction(1, 10), 7)
    """
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, np.floating):
        if value.dtype.itemsize <= 8 or not np.isfinite(value):
            return float(value)  # exact: float16 and float32 widen without rounding
        numerator, denominator = value.as_integer_ratio()
        return Fraction(numerator, denominator)
    if isinstance(value, Decimal):
        return to_float(value) if not value.is_finite() else Fraction(value)
    if isinstance(value, numbers.Rational):
        return Fraction(int(value.numerator), int(value.denominator))
    return float(value)  # type: ignore[arg-type]
