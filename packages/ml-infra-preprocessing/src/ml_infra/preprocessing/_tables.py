"""The table gate of the fitted objects: any supported input, recorded once, and back.

:func:`read_frame` records what came in (:class:`Frame`: its kind, column
names, row count); :func:`frame_values` reads the chosen columns as one 2-D
float64 array; :func:`rebuild` gives computed columns back in the input's
kind. pandas and polars are never imported here: a DataFrame of either can
only exist if the caller imported its library, so its type's module tells.

Kinds: ``"1d"`` (a list, tuple, 1-D ndarray or Series: one column, through the
1-D gate of the functions), ``"ndarray"`` (a 2-D array), ``"pandas"`` and
``"polars"`` (DataFrames, columns by name).
"""

from __future__ import annotations

import sys
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from ml_infra.preprocessing._errors import (
    DataShapeError,
    DataTypeError,
    PreprocessingError,
)
from ml_infra.preprocessing._inputs import Column1D
from ml_infra.preprocessing._numeric import as_float_array
from ml_infra.preprocessing._scalars import is_extended
from ml_infra.preprocessing._text import safe_repr, type_name

__all__ = ["Frame", "Matrix", "frame_values", "read_frame", "rebuild"]

Matrix = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Frame:
    """One input, recorded: what it is, its columns, and the object itself.

    Attributes:
        data: The user's object (never modified).
        kind: ``"1d"``, ``"ndarray"``, ``"pandas"`` or ``"polars"``.
        names: The column labels of a DataFrame, else ``None``.
        n_columns: How many columns the input has (1 for 1-D data).
        one_d: For ``"1d"``: the values, already read as float64.
        column: For ``"1d"``: the 1-D gate's record, which builds the result.
    """

    data: Any
    kind: str
    names: tuple[Hashable, ...] | None
    n_columns: int
    one_d: npt.NDArray[np.float64] | None = None
    column: Column1D | None = None

    def label(self, position: int) -> str:
        """Name column ``position`` in a message: ``column 'age'`` or ``column 3``."""
        if self.names is None:
            return f"column {position}"
        return f"column {safe_repr(self.names[position])}"

    def row_labels(self, rows: list[int]) -> list[Any]:
        """Index labels of a pandas frame's rows, else the positions themselves."""
        if self.kind != "pandas":
            return rows
        labels: list[Any] = self.data.index[rows].tolist()
        return labels


def _module(data: object) -> str:
    module = getattr(type(data), "__module__", "")
    return module.split(".", 1)[0] if isinstance(module, str) else ""


def read_frame(data: object, func: str) -> Frame:
    """Record an input: its kind, column names and column count (no conversion yet).

    Args:
        data: A 1-D sequence or Series, a 2-D ndarray, or a pandas/polars DataFrame.
        func: The public method's name, for messages.

    Returns:
        The :class:`Frame`.

    Raises:
        DataShapeError: an array with more than two dimensions.
        DataTypeError: anything else the 1-D gate refuses.

    Example:
        >>> read_frame(np.zeros((2, 3)), "StandardScaler.fit").n_columns
        3
    """
    if type(data) is np.ndarray and data.ndim == 2:
        return Frame(data, "ndarray", None, data.shape[1])
    module = _module(data)
    if module == "pandas" and isinstance(data, sys.modules["pandas"].DataFrame):
        names = tuple(data.columns.tolist())
        return Frame(data, "pandas", names, len(names))
    if module == "polars" and isinstance(data, sys.modules["polars"].DataFrame):
        names = tuple(data.columns)
        return Frame(data, "polars", names, len(names))
    if isinstance(data, np.ma.MaskedArray) and data.ndim == 2:
        if data.dtype.kind not in "fiu" or is_extended(data.dtype):
            raise _numeric_error(func, "data", f"a masked array of dtype {data.dtype}")
        # Masked entries are missing values, as for the functions: NaN in a plain array.
        return Frame(np.ma.filled(data.astype(np.float64), np.nan), "ndarray", None, data.shape[1])
    if isinstance(data, np.ndarray) and data.ndim == 2:
        return Frame(np.asarray(data), "ndarray", None, data.shape[1])
    if isinstance(data, np.ndarray) and data.ndim > 2:
        raise DataShapeError(f"{func}: data must be 1-D or 2-D, got an array of shape {data.shape}")
    try:
        floats = as_float_array(data, func)
    except DataShapeError as exc:  # nested lists: the 1-D gate's message would say "must be 1-D"
        raise DataShapeError(
            f"{func}: data must be 1-D data, a 2-D ndarray or a DataFrame, got a nested "
            f"{type_name(data)}; convert it with numpy.asarray(data, dtype=float)"
        ) from exc
    one_d = floats.values.astype(np.float64, copy=False)
    return Frame(data, "1d", None, 1, one_d, floats.column)


def _numeric_error(func: str, where: str, what: str) -> DataTypeError:
    return DataTypeError(
        f"{func}: {where} must hold real numbers, got {what}; convert it explicitly "
        "(e.g. with .astype(float)) or leave it out with columns="
    )


def _array_values(frame: Frame, positions: tuple[int, ...], func: str) -> Matrix:
    arr: npt.NDArray[Any] = frame.data
    kind = arr.dtype.kind
    if kind == "b":
        raise _numeric_error(func, "data", "booleans")
    if kind not in "fiu" or is_extended(arr.dtype):
        if kind != "O":
            raise _numeric_error(func, "data", f"dtype {arr.dtype}")
        columns = [as_float_array(arr[:, p], f"{func}: {frame.label(p)}")[0] for p in positions]
        return np.column_stack(columns).astype(np.float64, copy=False)
    if positions != tuple(range(frame.n_columns)):
        arr = arr[:, list(positions)]
    return arr.astype(np.float64, copy=False)


def _pandas_values(frame: Frame, positions: tuple[int, ...], func: str) -> Matrix:
    df = frame.data
    whole = np.asarray(df.to_numpy())  # one block of plain numbers: no copy, no per-column look
    if whole.dtype.kind in "fiu" and not is_extended(whole.dtype):
        if positions != tuple(range(frame.n_columns)):
            whole = whole[:, list(positions)]
        return whole.astype(np.float64, copy=False)
    dtypes = df.dtypes
    out = np.empty((len(df), len(positions)))
    plain = []
    for k, p in enumerate(positions):
        dtype = dtypes.iloc[p]
        kind = getattr(dtype, "kind", "O")
        if kind in "fiu" and not (isinstance(dtype, np.dtype) and is_extended(dtype)):
            plain.append(k)
        elif kind == "b":
            raise _numeric_error(func, frame.label(p), "booleans")
        else:
            out[:, k] = as_float_array(df.iloc[:, p], f"{func}: {frame.label(p)}")[0]
    if len(plain) == len(positions):
        return np.asarray(
            df.iloc[:, list(positions)].to_numpy(dtype=np.float64, na_value=np.nan),
            dtype=np.float64,
        )
    for k in plain:
        out[:, k] = df.iloc[:, positions[k]].to_numpy(dtype=np.float64, na_value=np.nan)
    return out


def _polars_values(frame: Frame, positions: tuple[int, ...], func: str) -> Matrix:
    pl = sys.modules["polars"]
    df = frame.data
    names = [str(frame.names[p]) for p in positions]  # type: ignore[index]
    for p, name in zip(positions, names, strict=True):
        dtype = df.schema[name]
        if dtype == pl.Boolean:
            raise _numeric_error(func, frame.label(p), "booleans")
        if not dtype.is_numeric():
            raise _numeric_error(func, frame.label(p), f"polars dtype {dtype}")
    selected = df.select([pl.col(n).cast(pl.Float64) for n in names])
    return np.asarray(selected.to_numpy(), dtype=np.float64)


def frame_values(frame: Frame, positions: tuple[int, ...], func: str) -> Matrix:
    """Read the columns at ``positions`` as one 2-D float64 array (NaN where missing).

    Args:
        frame: The recorded input.
        positions: The columns to read, in the order wanted.
        func: The public method's name, for messages.

    Returns:
        An ``(n_rows, len(positions))`` float64 array; it may be the user's own
        array (never write to it).

    Raises:
        DataTypeError: a chosen column is not numeric (booleans, strings, dates).

    Example:
        >>> frame = read_frame(np.array([[1, 2], [3, 4]]), "MinMaxScaler.fit")
        >>> frame_values(frame, (1,), "MinMaxScaler.fit").tolist()
        [[2.0], [4.0]]
    """
    if frame.one_d is not None:
        return frame.one_d.reshape(-1, 1)
    try:
        if frame.kind == "ndarray":
            return _array_values(frame, positions, func)
        if frame.kind == "pandas":
            return _pandas_values(frame, positions, func)
        return _polars_values(frame, positions, func)
    except PreprocessingError:
        raise
    except Exception as exc:  # a column whose conversion raised inside the library
        raise DataTypeError(
            f"{func}: data could not be read as numbers: converting the "
            f"{type_name(frame.data)} raised {type_name(exc)}"
        ) from exc


def rebuild(frame: Frame, positions: tuple[int, ...], out: Matrix) -> Any:
    """Give computed columns back in the input's kind; other columns pass through.

    Args:
        frame: The recorded input.
        positions: Where each column of ``out`` goes in the input.
        out: The computed ``(n_rows, len(positions))`` float64 values.

    Returns:
        A 1-D result of the input's kind for 1-D data; a float64 ndarray for
        an ndarray; a DataFrame (same index, names and order) for a DataFrame.

    Example:
        >>> frame = read_frame([1, 2], "f")
        >>> rebuild(frame, (0,), np.array([[0.0], [1.0]]))
        [0.0, 1.0]
    """
    every = len(positions) == frame.n_columns and positions == tuple(range(frame.n_columns))
    if frame.column is not None:
        return frame.column.wrap(out[:, 0])
    if frame.kind == "ndarray":
        if every:
            return out
        full = frame.data.astype(np.float64)
        full[:, list(positions)] = out
        return full
    if frame.kind == "pandas":
        df = frame.data
        if every:
            return sys.modules["pandas"].DataFrame(
                out, index=df.index, columns=df.columns, copy=False
            )
        result = df.copy(deep=False)
        for k, p in enumerate(positions):
            result.isetitem(p, out[:, k])
        return result
    pl = sys.modules["polars"]
    names = [str(frame.names[p]) for p in positions]  # type: ignore[index]
    return frame.data.with_columns([pl.Series(name, out[:, k]) for k, name in enumerate(names)])
