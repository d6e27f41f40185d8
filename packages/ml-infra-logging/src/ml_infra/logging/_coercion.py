"""Turn values JSON cannot take into values it can, without ever raising.

:func:`coerce` converts one object that is not a JSON type (numpy scalars and
arrays, datetimes, bytes, sets, dataclasses, ...) into a JSON-friendly value;
its result may still hold such objects, which the caller converts in turn.
numpy, pandas and torch are recognised by their classes' modules: this package
never imports them.

Objects are converted by structure, so that their fields are redacted by name,
before any falls back to text: record types (dataclasses, attrs, pydantic,
``SimpleNamespace``, ``argparse.Namespace``) become dicts of their fields, and
so does any other object whose attributes hold a secret, since its ``repr``
could show it.
"""

from __future__ import annotations

import enum
import sys
from collections.abc import Mapping, Set
from types import ModuleType, SimpleNamespace

from ml_infra.logging._arrays import Clean, from_array, is_array_like
from ml_infra.logging._redaction import Redactor, UnsafeStructureError
from ml_infra.logging._text import exception_text, safe_repr, unrepresentable

__all__ = ["coerce"]

# Modules whose types are converted are looked up, not imported: an object of
# one of their types cannot exist unless the module was imported (they cost
# start-up time that an application which never uses them should not pay).
_MODULES = sys.modules
_TEXT_TYPES = (("decimal", "Decimal"), ("uuid", "UUID"), ("pathlib", "PurePath"))


def _loaded_types(names: tuple[tuple[str, str], ...]) -> tuple[type, ...]:
    """The named classes of the modules already imported (none for the others)."""
    found: list[type] = []
    for module_name, class_name in names:
        module = _MODULES.get(module_name)
        cls = getattr(module, class_name, None) if module is not None else None
        if isinstance(cls, type):
            found.append(cls)
    return tuple(found)


def _is_namespace(obj: object) -> bool:
    """``SimpleNamespace`` or ``argparse.Namespace`` (its repr lists its attributes)."""
    if isinstance(obj, SimpleNamespace):
        return True
    return any(
        cls.__name__ == "Namespace" and getattr(cls, "__module__", None) == "argparse"
        for cls in type(obj).__mro__
    )


def _members(obj: object) -> dict[str, object] | None:
    """Fields of record types (dataclass, attrs, pydantic, namespaces) as a dict, else None."""
    dataclasses = _MODULES.get("dataclasses")
    if dataclasses is not None and dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {field.name: getattr(obj, field.name, None) for field in dataclasses.fields(obj)}
    attrs_fields = getattr(type(obj), "__attrs_attrs__", None)
    if isinstance(attrs_fields, tuple):
        return {a.name: getattr(obj, a.name, None) for a in attrs_fields}
    model_dump = getattr(obj, "model_dump", None)
    if callable(model_dump) and not isinstance(obj, type):
        dumped = model_dump()
        return dumped if isinstance(dumped, dict) else None
    if _is_namespace(obj):
        return dict(vars(obj))
    return None


def _attributes_holding_secrets(obj: object, redactor: Redactor) -> dict[str, object] | None:
    """An object's attributes (its ``__dict__``) when redaction would change them, else None.

    Such an object is written as its attributes, redacted, instead of a
    ``repr`` that could show the secret. Other objects keep their ``repr``
    (a logger, a connection), which may be short where their attributes are not.
    """
    if isinstance(obj, type | ModuleType):
        return None
    attributes = getattr(obj, "__dict__", None)
    if type(attributes) is not dict or not attributes:
        return None
    try:
        unchanged = redactor.redact(attributes) is attributes
    except UnsafeStructureError:  # cyclic or deep: let the caller's walk mark it
        unchanged = False
    return None if unchanged else dict(attributes)


def _sorted_if_possible(items: Set[object]) -> list[object]:
    try:
        return sorted(items)  # type: ignore[type-var]
    except Exception:  # mixed or unorderable members keep set order
        return list(items)


def coerce(obj: object, max_array_size: int, redactor: Redactor, clean: Clean) -> object:
    """Convert an object JSON cannot encode into one it can (one level deep).

    Never raises for an ordinary exception inside the object's own methods:
    it falls back to a placeholder naming the type (not the ``repr``, which
    could show values redaction would hide). ``RecursionError`` and
    :class:`UnsafeStructureError` (raised by ``clean``) propagate, so that the
    encoder's walk fails as a whole and the sanitizer takes over.

    Args:
        obj: An object that is not a ``dict``, ``list``, ``tuple``, ``str``,
            ``int``, ``float``, ``bool`` or ``None``.
        max_array_size: Arrays with more elements are summarised by their
            ``repr`` instead of being listed.
        redactor: Decides which attribute and column names are secret.
        clean: Cleans the elements of object arrays before their ``repr``.

    Returns:
        A JSON-friendly replacement: numpy scalars become numbers, arrays
        lists, datetimes ISO 8601 strings, timedeltas seconds, bytes text,
        sets sorted lists, record types and mappings dicts, enums their
        value, everything else its ``repr`` (or its attributes, when they
        hold a secret).

    Example:
        >>> import datetime as dt
        >>> from types import SimpleNamespace
        >>> r = Redactor(["password"], max_depth=8)
        >>> coerce(dt.date(2024, 1, 2), 10, r, str), coerce({3, 1, 2}, 10, r, str)
        ('2024-01-02', [1, 2, 3])
        >>> coerce(SimpleNamespace(user="ada", password="pw"), 10, r, str)
        {'user': 'ada', 'password': 'pw'}
    """
    try:
        # Before the array check: pandas' Timestamp and Timedelta subclass these.
        dt = _MODULES.get("datetime")
        if dt is not None:
            if isinstance(obj, dt.datetime | dt.date | dt.time):
                return obj.isoformat()
            if isinstance(obj, dt.timedelta):
                return obj.total_seconds()
        if is_array_like(obj):
            return from_array(obj, max_array_size, redactor, clean)
        if isinstance(obj, bytes | bytearray | memoryview):
            return bytes(obj).decode("utf-8", "backslashreplace")
        if isinstance(obj, Set):
            return _sorted_if_possible(obj)
        if isinstance(obj, enum.Enum):
            return obj.value
        if isinstance(obj, _loaded_types(_TEXT_TYPES)):
            return str(obj)
        if isinstance(obj, BaseException):
            return exception_text(obj)
        if isinstance(obj, Mapping):
            return dict(obj.items())
        members = _members(obj)
        if members is None:
            members = _attributes_holding_secrets(obj, redactor)
        if members is not None:
            return members
    except (RecursionError, UnsafeStructureError):  # let the caller's walk fall back as a whole
        raise
    except Exception as exc:  # not its repr, which could show what redaction hides
        return unrepresentable(obj, "conversion", exc)
    return safe_repr(obj)
