"""The shared input gate: any supported 1-D input to a NumPy array, and back.

pandas is optional: it is never imported here. A pandas object can only exist
if pandas was imported by the caller, so ``sys.modules`` tells whether to look.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from ml_infra.preprocessing._errors import DataShapeError, DataTypeError

__all__ = ["ensure_1d", "prefix", "wrap_like"]

_ACCEPTED = "a 1-D sequence (list, tuple, NumPy array or pandas Series)"


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


def _from_sequence(data: Sequence[Any]) -> npt.NDArray[Any]:
    """Convert a list/tuple without silently coercing mixed or ragged content."""
    try:
        arr = np.asarray(data)
    except (ValueError, TypeError):
        # Ragged nesting ("inhomogeneous shape") or odd elements: keep them as
        # objects so callers can find and report them.
        return np.fromiter(data, dtype=object, count=len(data))
    kind = arr.dtype.kind
    # NumPy turns ["a", 1] into strings; only a pure str (bytes) list may stay so.
    if kind == "U" and not all(type(v) is str for v in data):
        return np.fromiter(data, dtype=object, count=len(data))
    if kind == "S" and not all(type(v) is bytes for v in data):
        return np.fromiter(data, dtype=object, count=len(data))
    return arr


def ensure_1d(data: object, *, name: str = "data", func: str | None = None) -> npt.NDArray[Any]:
    """Return ``data`` as a 1-D NumPy array: the gate every function here uses.

    Accepts a list, a tuple (or another sequence such as ``range``), a 1-D
    NumPy array or a pandas Series (its values, positions not index labels).
    An ndarray comes back as is, without a copy, in constant time: callers
    must treat the result as read-only. A list mixing strings with numbers, or
    with ragged nesting, becomes an ``object`` array (NumPy would silently turn
    ``["a", 1]`` into strings), so callers can detect and report the odd values.

    Args:
        data: The values.
        name: The argument's name, used in error messages.
        func: The public function's name; messages start with it when given.

    Returns:
        A 1-D ndarray (possibly ``data`` itself; never write to it).

    Raises:
        DataTypeError: ``data`` is ``None``, a scalar, a string/bytes, a dict,
            a set or another non-sequence.
        DataShapeError: ``data`` is not one-dimensional (e.g. a 2-D array, a
            nested list or a DataFrame).

    Example:
        >>> ensure_1d([1, 2, 3]).dtype.kind
        'i'
        >>> ensure_1d(["a", 1]).dtype
        dtype('O')
    """
    arr: npt.NDArray[Any]
    if type(data) is np.ndarray:
        arr = data
    elif isinstance(data, list | tuple):
        arr = _from_sequence(data)
    else:
        pandas_kind = _pandas_kind(data)
        if pandas_kind == "Series":
            return np.asarray(data.to_numpy())  # type: ignore[attr-defined]
        if pandas_kind == "DataFrame":
            raise _shape_error(np.empty(data.shape), "DataFrame", name, func)  # type: ignore[attr-defined]
        if isinstance(data, np.ndarray):  # subclasses (matrix, masked arrays)
            arr = np.asarray(data)
        elif isinstance(data, Sequence) and not isinstance(data, str | bytes | bytearray):
            arr = _from_sequence(data)
        else:
            got = "None" if data is None else type(data).__name__
            raise DataTypeError(f"{prefix(func)}{name} must be {_ACCEPTED}, got {got}")
    if arr.ndim != 1:
        kind = "array" if isinstance(data, np.ndarray) else type(data).__name__
        raise _shape_error(arr, kind, name, func)
    return arr


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
