"""Finding missing values: ``None``, NaN, pandas ``NA`` and ``NaT``."""

from __future__ import annotations

import sys
from collections.abc import Hashable, Sequence
from decimal import Decimal
from typing import Any, overload

import numpy as np
import numpy.typing as npt
from ml_infra.preprocessing._columns import read_columns
from ml_infra.preprocessing._inputs import read_1d

__all__ = ["check_missing_values", "missing_mask"]

_FLOATISH = (float, complex, np.floating, np.complexfloating)


def _is_missing(value: object) -> bool:
    """Tell whether one element of an object array is a missing value (never raising)."""
    if value is None:
        return True
    try:
        if isinstance(value, _FLOATISH):
            return bool(np.isnan(value))
        if isinstance(value, np.datetime64 | np.timedelta64):
            return bool(np.isnat(value))
        if isinstance(value, Decimal):
            return value.is_nan()
    except Exception:  # a __class__ that raises, a float subclass's odd hooks: a value
        return False
    pd = sys.modules.get("pandas")
    return pd is not None and (value is pd.NA or value is pd.NaT)


def missing_mask(arr: npt.NDArray[Any]) -> npt.NDArray[np.bool_]:
    """Return a boolean mask of the missing entries of a 1-D array.

    Args:
        arr: A 1-D array of any dtype.

    Returns:
        ``True`` where the entry is ``None``, NaN, NaT or pandas ``NA``.

    Example:
        >>> missing_mask(np.array([1.0, np.nan])).tolist()
        [False, True]
    """
    kind = arr.dtype.kind
    mask: npt.NDArray[np.bool_]
    if kind in "fc":
        mask = np.isnan(arr)
    elif kind in "mM":
        mask = np.isnat(arr)
    elif kind == "O":
        mask = np.fromiter(map(_is_missing, arr), dtype=bool, count=arr.size)
    else:
        mask = np.zeros(arr.shape, dtype=bool)
    return mask


def _missing_positions(data: object, func: str) -> list[int]:
    column = read_1d(data, func=func)
    missing = missing_mask(column.values)
    if column.missing is not None:
        missing |= column.missing
    positions: list[int] = np.flatnonzero(missing).tolist()
    return positions


@overload
def check_missing_values(data: Sequence[Any]) -> list[int]: ...


@overload
def check_missing_values(data: object) -> list[int] | dict[Hashable, list[Any]]: ...


def check_missing_values(data: object) -> list[int] | dict[Hashable, list[Any]]:
    """Report where values are missing.

    Missing means ``None``, a float NaN (Python, NumPy or ``Decimal``), pandas
    ``NA`` or ``NaT``, NumPy ``NaT``, the masked entries of a masked array and
    the nulls of a polars Series or an Arrow array. Works for lists, tuples,
    1-D arrays of any dtype, pandas and polars Series, Arrow arrays, tensors
    and any 1-D ``__array__``/DLPack object (positions, not index labels).
    Infinity is a value, not a missing one.

    A table (a pandas DataFrame, a 2-D NumPy array, or a polars DataFrame)
    is reported per column: a dict from each column (its name; its position
    for an array) to the rows where that column is missing, every column in
    order, an empty list for a complete one. A pandas DataFrame names rows by
    their index labels (``df.loc[rows]``); an array or a polars DataFrame,
    which has no index, by 0-based position.

    Args:
        data: A 1-D array-like (see the README's table of input kinds); or a table.

    Returns:
        The sorted 0-based positions of the missing values (empty if none);
        for a table, ``{column: rows}``.

    Raises:
        DataTypeError: ``data`` is not a 1-D sequence or a table (e.g. ``None``).
        DataShapeError: ``data`` has more than two dimensions (or is a nested
            list), or a DataFrame repeats a column name.

    Example:
        >>> check_missing_values([1.0, None, float("nan"), 4.0])
        [1, 2]
        >>> check_missing_values(np.array([[1.0, np.nan], [np.nan, 4.0], [5.0, 6.0]]))
        {0: [1], 1: [0]}
        >>> import array
        >>> check_missing_values(array.array("d", [1.0, float("nan")]))
        [1]
    """
    func = "check_missing_values"
    table = read_columns(data, func)
    if table is None:
        return _missing_positions(data, func)
    return {
        name: table.rows(_missing_positions(column, func))
        for name, column in zip(table.names, table.columns, strict=True)
    }
