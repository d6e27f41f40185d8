"""numpy, pandas and torch values, recognised by their classes' modules (never imported).

Scalars become numbers, arrays lists, and arrays larger than
``max_array_size`` their summarising ``repr``. A ``repr`` shows values, so
secrets are redacted by structure before any text is made: a DataFrame's
columns and a Series' or Index' name are checked like keys, structured arrays
become objects of their fields, and the elements of object arrays (and object
columns) are cleaned one by one.
"""

from __future__ import annotations

from collections.abc import Callable

from ml_infra.logging._redaction import REDACTED, Redactor
from ml_infra.logging._text import key_text, safe_repr

__all__ = ["Clean", "from_array", "is_array_like"]

_ARRAY_MODULES = frozenset({"numpy", "pandas", "torch"})
_PANDAS_KINDS = ("DataFrame", "Series", "Index")
_PLAIN = (str, int, float, bool, type(None))

Clean = Callable[[object], object]
"""Turns a nested value into its JSON-safe, redacted form (or raises to give up)."""


def _module_root(cls: type) -> str:
    module = getattr(cls, "__module__", None)
    return module.partition(".")[0] if isinstance(module, str) else ""


def is_array_like(obj: object) -> bool:
    """Tell whether ``obj`` comes from numpy, pandas or torch (subclasses too).

    Args:
        obj: Any object.

    Returns:
        True when its class or a base class lives in one of those packages.
    """
    return any(_module_root(cls) in _ARRAY_MODULES for cls in type(obj).__mro__)


def _pandas_kind(obj: object) -> str | None:
    """``"DataFrame"``, ``"Series"`` or ``"Index"`` for pandas objects (subclasses too)."""
    for cls in type(obj).__mro__:
        if _module_root(cls) == "pandas" and cls.__name__ in _PANDAS_KINDS:
            return cls.__name__
    return None


def _is_object_dtype(dtype: object) -> bool:
    """Tell whether a dtype is numpy's object dtype (pandas' string dtypes hold only text)."""
    return getattr(dtype, "kind", None) == "O" and getattr(dtype, "name", None) == "object"


def _element(clean: Clean) -> Clean:
    """``clean`` for one element of an object array; plain scalars stay as they are."""

    def element(value: object) -> object:
        return value if type(value) in _PLAIN else clean(value)

    return element


def _clean_frame(frame: object, redactor: Redactor, clean: Clean) -> object:
    """A shallow copy of a DataFrame with secret columns and object columns cleaned.

    ``isetitem`` always puts a new array in place of a column, so the caller's
    frame is never modified.
    """
    copy: object = None
    columns = list(getattr(frame, "columns", ()))
    dtypes = list(getattr(frame, "dtypes", ()))
    for position, (name, dtype) in enumerate(zip(columns, dtypes, strict=True)):
        secret = redactor.is_secret(key_text(name))
        if not secret and not _is_object_dtype(dtype):
            continue
        if copy is None:
            copy = frame.copy(deep=False)  # type: ignore[attr-defined]
        if secret:
            copy.isetitem(position, REDACTED)  # type: ignore[attr-defined]
        else:
            column = frame.iloc[:, position]  # type: ignore[attr-defined]
            copy.isetitem(position, column.map(_element(clean)))  # type: ignore[attr-defined]
    return frame if copy is None else copy


def _clean_elements(array: object, clean: Clean) -> object:
    """A copy of an object array (or Series) whose elements are cleaned."""
    element = _element(clean)
    map_elements = getattr(array, "map", None)
    if _pandas_kind(array) == "Series" and callable(map_elements):
        return map_elements(element)
    copy = array.copy()  # type: ignore[attr-defined]
    flat = copy.reshape(-1)  # a view of the fresh C-ordered copy
    for index, item in enumerate(flat):
        new = element(item)
        if new is not item:
            flat[index] = new
    return copy


def from_array(obj: object, max_array_size: int, redactor: Redactor, clean: Clean) -> object:
    """Convert a numpy, pandas or torch value (see the module docstring).

    Args:
        obj: An object for which :func:`is_array_like` is true.
        max_array_size: Arrays with more elements are written as their ``repr``.
        redactor: Decides which column, field and series names are secret.
        clean: Cleans the elements of object arrays before their ``repr``.

    Returns:
        A number, a list, a dict of fields, :data:`REDACTED` (a Series named
        like a secret) or the text of a redacted copy.
    """
    kind = _pandas_kind(obj)
    if kind == "DataFrame":
        return safe_repr(_clean_frame(obj, redactor, clean))
    if kind is not None:
        name = getattr(obj, "name", None)
        if name is not None and redactor.is_secret(key_text(name)):
            return REDACTED
    names = getattr(getattr(obj, "dtype", None), "names", None)
    if isinstance(names, tuple) and names:  # a structured array or record: its fields by name
        return {key_text(name): obj[name] for name in names}  # type: ignore[index]
    size = getattr(obj, "size", None)
    if isinstance(size, int) and size > max_array_size:
        # numpy's and pandas' repr summarise large arrays with "...".
        is_object = _is_object_dtype(getattr(obj, "dtype", None))
        return safe_repr(_clean_elements(obj, clean) if is_object else obj)
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
