"""The shared input gate: any supported 1-D input to a NumPy array, and back.

pandas is optional: it is never imported here. A pandas object can only exist
if pandas was imported by the caller, so ``sys.modules`` tells whether to look.

Whatever a container or its elements do while being read (a ``len()`` that
overstates the items, an ``__array__`` that raises) ends in a
:class:`DataTypeError`, or in an ``object`` array whose odd values the callers
report: never in the user's own exception.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from ml_infra.preprocessing._errors import DataShapeError, DataTypeError, PreprocessingError
from ml_infra.preprocessing._parameters import text_parameter
from ml_infra.preprocessing._text import type_name

__all__ = ["Items", "ensure_1d", "prefix", "read_1d", "wrap_like"]

_ACCEPTED = "a 1-D sequence (list, tuple, NumPy array or pandas Series)"

#: The elements of a sequence input, as read (a plain list or tuple).
Items = list[Any] | tuple[Any, ...]


def prefix(func: str | None) -> str:
    """Return the message prefix naming the calling function, if any.

    Args:
        func: The public function's name, or ``None``.

    Returns:
        ``"func: "`` or an empty string.

    Example:
        >>> prefix("normalize")
        'normalize: '
    """
    return f"{func}: " if func else ""


def _pandas_kind(data: object) -> str | None:
    """Return ``"Series"``/``"DataFrame"`` for pandas objects, else ``None``."""
    pd = sys.modules.get("pandas")
    if pd is None:
        return None
    if isinstance(data, pd.Series):
        return "Series"
    if isinstance(data, pd.DataFrame):
        return "DataFrame"
    return None


def _shape_error(arr: npt.NDArray[Any], kind: str, name: str, func: str | None) -> DataShapeError:
    return DataShapeError(
        f"{prefix(func)}{name} must be 1-D, got a {arr.ndim}-D {kind} of shape {arr.shape}"
    )


def _objects(items: Items) -> npt.NDArray[Any]:
    """The items as a 1-D ``object`` array, whatever they are (no conversion, no nesting)."""
    return np.fromiter(items, dtype=object, count=len(items))


def _from_items(items: Items) -> npt.NDArray[Any]:
    """Convert a list/tuple without silently coercing mixed or ragged content."""
    try:
        arr = np.asarray(items)
    except Exception:
        # Ragged nesting ("inhomogeneous shape") or odd elements (an __array__
        # or __len__ that raises): keep them as objects so callers can report them.
        return _objects(items)
    kind = arr.dtype.kind
    # NumPy turns ["a", 1] into strings; only a pure str (bytes) list may stay so.
    if kind == "U" and not all(type(v) is str for v in items):
        return _objects(items)
    if kind == "S" and not all(type(v) is bytes for v in items):
        return _objects(items)
    return arr


def _read_items(data: Sequence[Any], name: str, func: str | None) -> list[Any]:
    """The items of any other sequence, read by index up to its ``len()``.

    Reading by index is bounded by ``len()`` (iteration may never end), and a
    ``len()`` that overstates the items is reported, not trusted.
    """
    what = f"{prefix(func)}{name} could not be read"
    try:
        size = len(data)
    except Exception as exc:
        raise DataTypeError(
            f"{what}: len() of the {type_name(data)} raised {type_name(exc)}"
        ) from exc
    try:
        items = np.empty(size, dtype=object)  # an absurd len() fails here, at once
    except (MemoryError, ValueError) as exc:
        raise DataTypeError(
            f"{what}: the {type_name(data)} claims {size} items, more than memory holds"
        ) from exc
    for i in range(size):
        try:
            items[i] = data[i]
        except Exception as exc:
            raise DataTypeError(
                f"{what}: item {i} of the {type_name(data)} raised {type_name(exc)} "
                f"(its len() is {size})"
            ) from exc
    result: list[Any] = items.tolist()
    return result


def _series_values(series: Any) -> npt.NDArray[Any]:
    """A Series' values; a nullable integer column with ``NA`` keeps its exact ints.

    pandas 3 turns ``Int64`` with ``NA`` into float64, rounding ints beyond
    2**53; as objects (``None`` for ``NA``) they stay exact.
    """
    arr = np.asarray(series.to_numpy())
    if arr.dtype.kind == "f" and getattr(series.dtype, "kind", "f") in "iu":
        arr = np.asarray(series.to_numpy(dtype=object, na_value=None))
    return arr


def _convert(data: object, name: str, func: str | None) -> tuple[npt.NDArray[Any], Items | None]:
    """The array and, for sequences, the items it was made from (see :func:`read_1d`)."""
    if type(data) is list or type(data) is tuple:
        return _from_items(data), data
    pandas_kind = _pandas_kind(data)
    if pandas_kind == "Series":
        return _series_values(data), None
    if pandas_kind == "DataFrame":
        raise _shape_error(np.empty(data.shape), "DataFrame", name, func)  # type: ignore[attr-defined]
    if isinstance(data, np.ndarray):  # subclasses (matrix, masked arrays)
        return np.asarray(data), None
    if isinstance(data, Sequence) and not isinstance(data, str | bytes | bytearray):
        items = _read_items(data, name, func)  # list and tuple subclasses too
        return _from_items(items), items
    got = "None" if data is None else type_name(data)
    raise DataTypeError(f"{prefix(func)}{name} must be {_ACCEPTED}, got {got}")


def read_1d(
    data: object, *, name: str = "data", func: str | None = None
) -> tuple[npt.NDArray[Any], Items | None]:
    """The gate itself: :func:`ensure_1d`, plus the items a sequence was made of.

    Args:
        data: The values.
        name: The argument's name, used in error messages.
        func: The public function's name; messages start with it when given.

    Returns:
        ``(array, items)``: ``items`` is the list or tuple of the elements as
        read (``data`` itself for a plain list or tuple), ``None`` for an
        ndarray or a Series. An array made from items is a new one.

    Raises:
        DataTypeError: as :func:`ensure_1d`.
        DataShapeError: ``data`` is not one-dimensional.

    Example:
        >>> arr, items = read_1d((1, 2))
        >>> arr.tolist(), items
        ([1, 2], (1, 2))
    """
    if type(data) is np.ndarray:
        arr, items = data, None
    else:
        try:
            arr, items = _convert(data, name, func)
        except PreprocessingError:
            raise
        except Exception as exc:  # a container or a hook of it that raises
            raise DataTypeError(
                f"{prefix(func)}{name} could not be read: converting the {type_name(data)} "
                f"to an array raised {type_name(exc)}"
            ) from exc
    if arr.ndim != 1:
        kind = "array" if isinstance(data, np.ndarray) else type_name(data)
        raise _shape_error(arr, kind, name, func)
    return arr, items


def ensure_1d(data: object, *, name: str = "data", func: str | None = None) -> npt.NDArray[Any]:
    """Return ``data`` as a 1-D NumPy array: the gate every function here uses.

    Accepts a list, a tuple (or another sequence such as ``range``), a 1-D
    NumPy array or a pandas Series (its values, positions not index labels).
    An ndarray comes back as is, without a copy, in constant time: callers
    must treat the result as read-only. A list mixing strings with numbers,
    with ragged nesting, or holding objects NumPy cannot convert (an
    ``__array__`` that raises) becomes an ``object`` array (NumPy would
    silently turn ``["a", 1]`` into strings), so callers can detect and report
    the odd values. Other sequences are read by index up to their ``len()``.

    Args:
        data: The values.
        name: The argument's name, used in error messages.
        func: The public function's name; messages start with it when given.

    Returns:
        A 1-D ndarray (possibly ``data`` itself; never write to it).

    Raises:
        DataTypeError: ``data`` is ``None``, a scalar, a string/bytes, a dict,
            a set or another non-sequence, or a sequence whose items cannot be
            read (``len()`` raises or overstates them).
        DataShapeError: ``data`` is not one-dimensional (e.g. a 2-D array, a
            nested list or a DataFrame).
        ParameterError: ``name`` or ``func`` is not a string.

    Example:
        >>> ensure_1d([1, 2, 3]).dtype.kind
        'i'
        >>> ensure_1d(["a", 1]).dtype
        dtype('O')
    """
    name = text_parameter(name, "name", "ensure_1d")
    if func is not None:
        func = text_parameter(func, "func", "ensure_1d")
    return read_1d(data, name=name, func=func)[0]


def wrap_like(result: npt.NDArray[Any], data: object) -> Any:
    """Give ``result`` the kind of ``data``: list, tuple, Series or ndarray.

    Args:
        result: The computed 1-D values, one per input value.
        data: The original input.

    Returns:
        A list of Python floats for a list, a tuple for a tuple, a Series with
        ``data``'s index and name for a Series, otherwise ``result`` itself.

    Example:
        >>> wrap_like(np.array([0.0, 1.0]), [3, 4])
        [0.0, 1.0]
    """
    if isinstance(data, list):
        return result.tolist()
    if isinstance(data, tuple):
        return tuple(result.tolist())
    if _pandas_kind(data) == "Series":
        pd = sys.modules["pandas"]
        return pd.Series(result, index=data.index, name=data.name, copy=False)  # type: ignore[attr-defined]
    return result
