"""Turn values JSON cannot take into values it can, without ever raising.

:func:`coerce` converts one object that is not a JSON type (numpy scalars and
arrays, datetimes, bytes, sets, dataclasses, ...) into a JSON-friendly value;
its result may still hold such objects, which the caller converts in turn.
numpy, pandas and torch are recognised by duck typing: this package never
imports them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import uuid
from collections.abc import Mapping, Set
from decimal import Decimal
from pathlib import PurePath

__all__ = [
    "coerce",
    "describe_exception",
    "qualified_name",
    "safe_repr",
    "safe_str",
    "unrepresentable",
]

_ARRAY_MODULES = frozenset({"numpy", "pandas", "torch"})


def qualified_name(cls: type) -> str:
    """Name a class for a log reader: ``ValueError`` or ``package.module.Class``.

    Args:
        cls: Any class.

    Returns:
        The bare name for builtins, the dotted path otherwise.

    Example:
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


def describe_exception(exc: BaseException) -> str:
    """``Type: message`` of an exception, never raising (see :func:`safe_str`).

    Args:
        exc: Any exception.

    Returns:
        The qualified type name and the message, e.g. ``KeyError: 'k'``.

    Example:
        >>> describe_exception(KeyError("k"))
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


def _is_array_like(obj: object) -> bool:
    module = getattr(type(obj), "__module__", "")
    return isinstance(module, str) and module.partition(".")[0] in _ARRAY_MODULES


def _from_array(obj: object, max_array_size: int) -> object:
    """numpy/pandas/torch scalars and arrays: native values, summaries when large."""
    size = getattr(obj, "size", None)
    if isinstance(size, int) and size > max_array_size:
        # numpy's repr summarises large arrays with "...".
        return safe_repr(obj)
    obj = _numpy_time(obj)
    tolist = getattr(obj, "tolist", None)
    if callable(tolist):
        return tolist()
    return safe_repr(obj)


def _numpy_time(obj: object) -> object:
    """Put numpy datetime64/timedelta64 values in a form ``tolist`` converts faithfully.

    ``tolist`` turns nanosecond values (pandas' default unit) into bare ints,
    which a reader would take for seconds: datetimes become their ISO 8601
    text instead, timedeltas ``datetime.timedelta`` values (then seconds).
    """
    if getattr(type(obj), "__module__", None) != "numpy":
        return obj
    kind = getattr(getattr(obj, "dtype", None), "kind", None)
    astype = getattr(obj, "astype", None)
    if kind not in ("M", "m") or not callable(astype):
        return obj
    try:
        return astype(str) if kind == "M" else astype("timedelta64[us]")
    except Exception:  # e.g. month/year timedeltas, which have no fixed length
        return obj


def _members(obj: object) -> dict[str, object] | None:
    """Fields of dataclass, attrs and pydantic instances as a dict, else None."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {field.name: getattr(obj, field.name, None) for field in dataclasses.fields(obj)}
    attrs_fields = getattr(type(obj), "__attrs_attrs__", None)
    if isinstance(attrs_fields, tuple):
        return {a.name: getattr(obj, a.name, None) for a in attrs_fields}
    model_dump = getattr(obj, "model_dump", None)
    if callable(model_dump) and not isinstance(obj, type):
        dumped = model_dump()
        return dumped if isinstance(dumped, dict) else None
    return None


def _sorted_if_possible(items: Set[object]) -> list[object]:
    try:
        return sorted(items)  # type: ignore[type-var]
    except Exception:  # mixed or unorderable members keep set order
        return list(items)


def coerce(obj: object, max_array_size: int) -> object:
    """Convert an object JSON cannot encode into one it can (one level deep).

    Never raises for an ordinary exception inside the object's own methods:
    it falls back to a placeholder naming the type (not the ``repr``, which
    could show values redaction would hide). ``RecursionError`` propagates,
    so that the encoder's walk fails as a whole and the sanitizer takes over.

    Args:
        obj: An object that is not a ``dict``, ``list``, ``tuple``, ``str``,
            ``int``, ``float``, ``bool`` or ``None``.
        max_array_size: Arrays with more elements are summarised by their
            ``repr`` instead of being listed.

    Returns:
        A JSON-friendly replacement: numpy scalars become numbers, arrays
        lists, datetimes ISO 8601 strings, timedeltas seconds, bytes text,
        sets sorted lists, dataclasses/attrs/pydantic objects dicts,
        mappings dicts, enums their value, everything else its ``repr``.

    Example:
        >>> import datetime as dt
        >>> coerce(dt.date(2024, 1, 2), 1000), coerce({3, 1, 2}, 1000), coerce(b"ok", 1000)
        ('2024-01-02', [1, 2, 3], 'ok')
    """
    try:
        # Before the array check: pandas' Timestamp and Timedelta subclass these.
        if isinstance(obj, dt.datetime | dt.date | dt.time):
            return obj.isoformat()
        if isinstance(obj, dt.timedelta):
            return obj.total_seconds()
        if _is_array_like(obj):
            return _from_array(obj, max_array_size)
        if isinstance(obj, bytes | bytearray | memoryview):
            return bytes(obj).decode("utf-8", "backslashreplace")
        if isinstance(obj, Set):
            return _sorted_if_possible(obj)
        if isinstance(obj, enum.Enum):
            return obj.value
        if isinstance(obj, Decimal | uuid.UUID | PurePath):
            return str(obj)
        if isinstance(obj, BaseException):
            return describe_exception(obj)
        if isinstance(obj, Mapping):
            return dict(obj.items())
        members = _members(obj)
        if members is not None:
            return members
    except RecursionError:  # the caller's walk is too deep: let it fall back as a whole
        raise
    except Exception as exc:  # not its repr, which could show what redaction hides
        return unrepresentable(obj, "conversion", exc)
    return safe_repr(obj)
