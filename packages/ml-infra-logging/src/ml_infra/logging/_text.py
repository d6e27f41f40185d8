"""Text of any object, never raising: names, ``repr``, ``str`` and JSON keys.

Every fallback names the type (``<unrepresentable module.Type object: repr
raised Error>``), never an object's own text after its conversion failed.
"""

from __future__ import annotations

import math

__all__ = [
    "exception_text",
    "json_int",
    "key_text",
    "qualified_name",
    "safe_repr",
    "safe_str",
    "unrepresentable",
]

_SAFE_INT_BITS = 4096  # about 1,233 digits: always printable (the default limit is 4,300)
_NON_FINITE = {math.inf: "Infinity", -math.inf: "-Infinity"}


def qualified_name(cls: type) -> str:
    """Name a class for a log reader: ``ValueError`` or ``package.module.Class``.

    Args:
        cls: Any class.

    Returns:
        The bare name for builtins, the dotted path otherwise.

    Example:
        >>> from decimal import Decimal
        >>> qualified_name(KeyError), qualified_name(Decimal)
        ('KeyError', 'decimal.Decimal')
    """
    module = getattr(cls, "__module__", None)
    name = getattr(cls, "__qualname__", None) or getattr(cls, "__name__", "?")
    if not isinstance(module, str) or module == "builtins":
        return str(name)
    return f"{module}.{name}"


def safe_repr(obj: object) -> str:
    """``repr(obj)``, or a placeholder naming the type when ``repr`` raises.

    Args:
        obj: Any object.

    Returns:
        A string; never raises for an ordinary exception inside ``__repr__``.

    Example:
        >>> class Hostile:
        ...     def __repr__(self):
        ...         raise RuntimeError("no")
        >>> safe_repr(Hostile())  # doctest: +ELLIPSIS
        '<unrepresentable ...Hostile object: repr raised RuntimeError>'
    """
    try:
        text = repr(obj)
    except Exception as exc:  # the point is to survive any __repr__
        return unrepresentable(obj, "repr", exc)
    return text if type(text) is str else unrepresentable(obj, "repr", None)


def safe_str(obj: object) -> str:
    """``str(obj)``, falling back to :func:`safe_repr` when ``str`` raises.

    Args:
        obj: Any object.

    Returns:
        A string.

    Example:
        >>> safe_str(3.5)
        '3.5'
    """
    if type(obj) is str:
        return obj
    try:
        text = str(obj)
    except Exception:  # the point is to survive any __str__
        return safe_repr(obj)
    return text if type(text) is str else safe_repr(obj)


def exception_text(exc: BaseException) -> str:
    """``Type: message`` of an exception, never raising (see :func:`safe_str`).

    Args:
        exc: Any exception.

    Returns:
        The qualified type name and the message, e.g. ``KeyError: 'k'``.

    Example:
        >>> exception_text(KeyError("k"))
        "KeyError: 'k'"
    """
    return f"{qualified_name(type(exc))}: {safe_str(exc)}"


def unrepresentable(obj: object, what: str, exc: BaseException | None) -> str:
    """A placeholder for an object that could not be converted, naming its type.

    Args:
        obj: The object.
        what: The operation that failed (``"repr"``, ``"conversion"``...).
        exc: The exception it raised, or None when it returned a wrong type.

    Returns:
        ``<unrepresentable module.Type object: what raised Error>``.

    Example:
        >>> unrepresentable(3, "conversion", KeyError())
        '<unrepresentable int object: conversion raised KeyError>'
    """
    reason = f"{what} raised {type(exc).__name__}" if exc is not None else f"{what} was not a str"
    return f"<unrepresentable {qualified_name(type(obj))} object: {reason}>"


def json_int(value: int) -> int | str:
    """An int as JSON can carry it: huge ones (beyond str conversion) as text.

    Args:
        value: Any int (bool and subclasses included).

    Returns:
        A plain int, or ``"<int of N bits>"`` when Python cannot print it.

    Example:
        >>> json_int(True), json_int(1 << 20_000)
        (1, '<int of 20001 bits>')
    """
    if value.bit_length() <= _SAFE_INT_BITS:
        return int(value)
    try:
        return int(int.__repr__(value))
    except ValueError:  # beyond sys.get_int_max_str_digits(): JSON could not print it
        return f"<int of {value.bit_length()} bits>"


def non_finite_text(value: float) -> str:
    """JSON's spelling of a float that is not finite: ``Infinity``, ``-Infinity``, ``NaN``."""
    return _NON_FINITE.get(value, "NaN")


def key_text(key: object) -> str:
    """A dict key (or a column name) as JSON's encoder would write it.

    Args:
        key: Any object.

    Returns:
        Its text: ``true``, ``null``, ``1.5``, bytes decoded, a tuple's ``repr``...

    Example:
        >>> key_text(None), key_text(1.5), key_text(b"pw"), key_text(("db", "password"))
        ('null', '1.5', 'pw', "('db', 'password')")
    """
    if isinstance(key, str):
        return str.__str__(key)
    if key is None or key is True or key is False:
        return {None: "null", True: "true", False: "false"}[key]
    if isinstance(key, float):
        return float.__repr__(key) if math.isfinite(key) else non_finite_text(key)
    if isinstance(key, int):
        return str(json_int(key))
    if isinstance(key, bytes):
        return key.decode("utf-8", "backslashreplace")
    return safe_str(key)
