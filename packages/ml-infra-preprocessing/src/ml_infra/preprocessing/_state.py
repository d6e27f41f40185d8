"""The versioned JSON document of a fitted object, written exactly and read defensively.

Floats are written with Python's shortest round-tripping ``repr`` (what
:mod:`json` does), so every statistic reads back bit for bit. Reading
accepts exactly the fields this version writes, with their types, and
refuses everything else (NaN or infinity, huge numbers, deep nesting, a
newer version) with a :class:`StateError`, before any object is built.

Document, version 1::

    {"kind": "StandardScaler", "version": 1,
     "params": {...the constructor's arguments...},
     "columns": {"names": [...] | null, "count": 3, "fitted": [0, 2], "one_d": false},
     "statistics": {"n": [...], "<a>": [...], "<b>": [...]}}
"""

from __future__ import annotations

import json
import math
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import numpy as np
from ml_infra.preprocessing._errors import StateError
from ml_infra.preprocessing._text import describe, safe_repr, type_name

__all__ = [
    "KINDS",
    "VERSION",
    "Document",
    "check_counts",
    "check_floats",
    "json_names",
    "mapping",
    "read_document",
    "write_document",
]

VERSION = 1
#: The public fitted classes by name (the ``kind`` of their documents); they register themselves.
KINDS: dict[str, type[Any]] = {}
_FIELDS = ("kind", "version", "params", "columns", "statistics")
_LARGEST_COUNT = 2**63 - 1


@dataclass(frozen=True, slots=True)
class Document:
    """A document that passed the structural checks (the kind's own checks come next)."""

    kind: str
    params: dict[str, Any]
    columns: dict[str, Any]
    statistics: dict[str, Any]


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"number out of float64 range: {text[:30]}")
    return value


def _refuse_constant(text: str) -> float:
    raise ValueError(f"{text} is not allowed")


def write_document(
    kind: str, params: dict[str, Any], columns: dict[str, Any], statistics: dict[str, Any]
) -> str:
    """The JSON text of a fitted object (floats exactly, no NaN or infinity).

    Example:
        >>> write_document("X", {}, {}, {"a": [0.1]})
        '{"kind": "X", "version": 1, "params": {}, "columns": {}, "statistics": {"a": [0.1]}}'
    """
    document = {
        "kind": kind,
        "version": VERSION,
        "params": params,
        "columns": columns,
        "statistics": statistics,
    }
    return json.dumps(document, allow_nan=False)


def read_document(text: object, func: str) -> Document:
    """Parse and check a document's structure: fields, types, version.

    Args:
        text: The JSON text (``str``, ``bytes`` or ``bytearray``).
        func: The public function's name, for messages.

    Returns:
        The :class:`Document`.

    Raises:
        StateError: the text is not JSON, not an object, lacks or adds fields,
            has a newer or invalid version, or holds NaN, infinity or numbers
            beyond float64.

    Example:
        >>> read_document('{"kind": "X", "version": 1, "params": {}, "columns": {}, "statistics": {}}', "f").kind
        'X'
    """
    if not isinstance(text, str | bytes | bytearray):
        raise StateError(
            f"{func}: the document must be JSON text (str or bytes), got {type_name(text)}"
        )
    try:
        data = json.loads(text, parse_float=_finite_float, parse_constant=_refuse_constant)
    except RecursionError:
        raise StateError(
            f"{func}: the document is not valid JSON: it is nested too deeply"
        ) from None
    except (ValueError, TypeError) as exc:  # JSONDecodeError, UnicodeDecodeError, int limits
        raise StateError(
            f"{func}: the document is not valid JSON: {safe_repr(str(exc), 120)}"
        ) from None
    obj = mapping(data, "the document", _FIELDS, func)
    version = obj["version"]
    if type(version) is not int or version < 1:
        raise StateError(f"{func}: version must be a positive int, got {describe(version)}")
    if version > VERSION:
        raise StateError(
            f"{func}: the document has version {version}, newer than this ml-infra-preprocessing "
            f"reads (up to {VERSION}); upgrade ml-infra-preprocessing to load it"
        )
    kind = obj["kind"]
    if type(kind) is not str:
        raise StateError(f"{func}: kind must be a string, got {describe(kind)}")
    params = obj["params"]
    if type(params) is not dict:
        raise StateError(f"{func}: params must be an object, got {type_name(params)}")
    return Document(kind, params, obj["columns"], obj["statistics"])


def mapping(value: object, what: str, fields: tuple[str, ...], func: str) -> dict[str, Any]:
    """``value`` as a JSON object with exactly ``fields``, else :class:`StateError`.

    Example:
        >>> mapping({"a": 1}, "x", ("a",), "f")
        {'a': 1}
    """
    if type(value) is not dict:
        raise StateError(f"{func}: {what} must be a JSON object, got {type_name(value)}")
    missing = [f for f in fields if f not in value]
    extra = [k for k in value if k not in fields]
    if missing or extra:
        raise StateError(
            f"{func}: {what} must have the fields {list(fields)}, got missing {missing} and unexpected "
            f"{[safe_repr(k) for k in extra[:10]]}"
        )
    return value


def _list_of(value: object, length: int, must: str) -> list[Any]:
    """``value`` when it is a list of ``length`` items, else the :class:`StateError` ``must``."""
    if type(value) is not list or len(value) != length:
        got = f"a list of {len(value)}" if type(value) is list else type_name(value)
        raise StateError(f"{must}, got {got}")
    return value


def check_counts(
    value: object, what: str, length: int, func: str, *, minimum: int = 0
) -> list[int]:
    """A list of ``length`` ints (not bools) in ``[minimum, 2**63)``, else :class:`StateError`.

    Example:
        >>> check_counts([1, 2], "n", 2, "f")
        [1, 2]
    """
    items = _list_of(value, length, f"{func}: {what} must be a list of {length} ints")
    for item in items:
        if type(item) is not int or not minimum <= item <= _LARGEST_COUNT:
            raise StateError(f"{func}: {what} must hold ints from {minimum}, got {describe(item)}")
    return items


def check_floats(
    value: object, what: str, length: int, func: str
) -> np.ndarray[Any, np.dtype[np.float64]]:
    """A list of ``length`` finite numbers as a float64 array, else :class:`StateError`.

    Example:
        >>> check_floats([0.5, 1], "mean", 2, "f").tolist()
        [0.5, 1.0]
    """
    items = _list_of(value, length, f"{func}: {what} must be a list of {length} numbers")
    for item in items:
        if type(item) not in (int, float) or (type(item) is int and abs(item) > 2**53):
            raise StateError(f"{func}: {what} must hold finite numbers, got {describe(item)}")
    return np.array(items, dtype=np.float64)


def json_names(names: tuple[Hashable, ...], func: str) -> list[str | int]:
    """Column names as JSON can carry them (``str`` or ``int``), else :class:`StateError`.

    Example:
        >>> json_names(("a", 1), "f")
        ['a', 1]
    """
    out: list[str | int] = []
    for name in names:
        if isinstance(name, np.integer):
            name = int(name)
        if type(name) is not str and type(name) is not int:
            raise StateError(
                f"{func}: column names must be str or int to be written as JSON, got {describe(name)}"
            )
        out.append(name)
    return out
