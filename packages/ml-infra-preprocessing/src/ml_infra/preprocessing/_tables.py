"""The one table reader: any supported input, recorded once, and back.

:func:`read_table` records a table (:class:`Table`: its kind, column labels,
index, column count); the validators read it column by column
(:meth:`Table.column`), the fitted objects as one 2-D float64 array
(:func:`table_values`), and :func:`rebuild` gives computed columns back in the
input's kind. :func:`read_input` is the fitted objects' gate: a table, or 1-D
data through the 1-D gate of the functions. pandas and polars are never
imported here: a DataFrame of either can only exist if the caller imported
its library, so ``sys.modules`` tells whether to look.

Kinds: ``"1d"`` (a list, tuple, 1-D ndarray or Series: one column, fitted
objects only), ``"ndarray"`` (a 2-D array, masked arrays too), ``"pandas"``
and ``"polars"`` (DataFrames, columns by name). Rows are named the way a user
of each kind finds them again: a pandas DataFrame by its index labels
(``df.loc[labels]``), an array and a polars DataFrame (which has no index) by
0-based position.
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
from ml_infra.preprocessing._interop import from_library
from ml_infra.preprocessing._numeric import as_float_array
from ml_infra.preprocessing._scalars import is_extended
from ml_infra.preprocessing._text import safe_repr, type_name

__all__ = [
    "Matrix",
    "Table",
    "column_label",
    "read_input",
    "read_table",
    "rebuild",
    "repeated",
    "table_values",
]

Matrix = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Table:
    """One input, recorded: what it is, its columns, and the object itself.

    Attributes:
        data: The user's object (never modified).
        kind: ``"1d"``, ``"ndarray"``, ``"pandas"`` or ``"polars"``.
        names: The column labels of a DataFrame, else ``None``.
        n_columns: How many columns the input has (1 for 1-D data).
        index: The row labels of a pandas DataFrame, else ``None`` (positions).
        one_d: For ``"1d"``: the values, already read as float64.
        column: For ``"1d"``: the 1-D gate's record, which builds the result.
    """

    data: Any
    kind: str
    names: tuple[Hashable, ...] | None
    n_columns: int
    index: Any = None
    one_d: npt.NDArray[np.float64] | None = None
    record: Column1D | None = None

    @property
    def keys(self) -> tuple[Hashable, ...]:
        """The columns' labels: DataFrame names, or 0-based positions for an array."""
        return tuple(range(self.n_columns)) if self.names is None else self.names

    @property
    def where(self) -> str:
        """How rows are named in messages: ``"index"`` or ``"positions"``."""
        return "positions" if self.index is None else "index"

    def label(self, position: int) -> str:
        """Name column ``position`` in a message: ``column 'age'`` or ``column 3``."""
        return column_label(self.names, position)

    def rows(self, positions: list[int]) -> list[Any]:
        """Name the rows at ``positions``: index labels for pandas, else the positions.

        Example:
            >>> read_table(np.zeros((2, 2)), "f").rows([1])
            [1]
        """
        if self.index is None or not positions:
            return list(positions)
        labels: list[Any] = self.index[positions].tolist()
        return labels

    def column(self, position: int) -> object:
        """Column ``position`` as the 1-D input it is (an array column, a Series).

        Example:
            >>> read_table(np.array([[1, 2], [3, 4]]), "f").column(1).tolist()
            [2, 4]
        """
        if self.kind == "pandas":
            return self.data.iloc[:, position]
        if self.kind == "polars":
            return self.data.get_column(self.names[position])  # type: ignore[index]
        return self.data[:, position]


def column_label(names: tuple[Hashable, ...] | None, position: int) -> str:
    """Name a column in a message: ``column 'age'`` (by its label) or ``column 3`` (unnamed).

    Example:
        >>> column_label(("age",), 0), column_label(None, 3)
        ("column 'age'", 'column 3')
    """
    if names is None:
        return f"column {position}"
    return f"column {safe_repr(names[position])}"


def repeated(names: tuple[Hashable, ...]) -> list[Hashable]:
    """The names that occur again after their first time, in order (empty when distinct).

    Example:
        >>> repeated(("a", "b", "a"))
        ['a']
    """
    if len(set(names)) == len(names):
        return []
    seen: set[Hashable] = set()
    return [n for n in names if n in seen or seen.add(n)]  # type: ignore[func-returns-value]


def read_table(data: object, func: str) -> Table | None:
    """Record a table (no conversion yet), or return ``None`` for anything else.

    Args:
        data: The user's input.
        func: The public function's name, for messages.

    Returns:
        The :class:`Table` of a 2-D array or a pandas/polars DataFrame, or
        ``None`` when ``data`` is not a table (1-D paths take it, and report
        what is wrong with it).

    Raises:
        DataShapeError: an array with more than two dimensions.

    Example:
        >>> read_table(np.zeros((3, 2)), "check_missing_values").keys
        (0, 1)
        >>> read_table([1, 2], "check_missing_values") is None
        True
    """
    if type(data) is np.ndarray and data.ndim == 2:
        return Table(data, "ndarray", None, data.shape[1])
    if isinstance(data, np.ndarray):
        if data.ndim < 2:
            return None
        if data.ndim > 2:
            raise DataShapeError(
                f"{func}: data must be 1-D or a 2-D table, got a {data.ndim}-D array of "
                f"shape {data.shape}"
            )
        # Masked arrays stay masked (their mask is the missing values); other
        # subclasses (numpy.matrix) are read as the plain array they hold.
        array = data if isinstance(data, np.ma.MaskedArray) else np.asarray(data)
        return Table(array, "ndarray", None, array.shape[1])
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(data, pd.DataFrame):
        names = tuple(data.columns.tolist())
        return Table(data, "pandas", names, len(names), data.index)
    library = from_library(data)  # polars, as for its 1-D Series (_interop)
    if library is not None and library.__name__ == "polars" and isinstance(data, library.DataFrame):
        names = tuple(data.columns)  # polars names are unique strings
        return Table(data, "polars", names, len(names))
    return None


def read_input(data: object, func: str) -> Table:
    """Record a fitted object's input: a table, or 1-D data read through the 1-D gate.

    Args:
        data: A 1-D sequence or Series, a 2-D ndarray, or a pandas/polars DataFrame.
        func: The public method's name, for messages.

    Returns:
        The :class:`Table` (kind ``"1d"`` for 1-D data, its values read).

    Raises:
        DataShapeError: an array with more than two dimensions, or nested lists.
        DataTypeError: anything else the 1-D gate refuses.

    Example:
        >>> read_input(np.zeros((2, 3)), "StandardScaler.fit").n_columns
        3
    """
    table = read_table(data, func)
    if table is not None:
        return table
    try:
        floats = as_float_array(data, func)
    except DataShapeError as exc:  # nested lists: the 1-D gate's message would say "must be 1-D"
        raise DataShapeError(
            f"{func}: data must be 1-D data, a 2-D ndarray or a DataFrame, got a nested "
            f"{type_name(data)}; convert it with numpy.asarray(data, dtype=float)"
        ) from exc
    one_d = floats.values.astype(np.float64, copy=False)
    return Table(data, "1d", None, 1, None, one_d, floats.column)


def _numeric_error(func: str, where: str, what: str) -> DataTypeError:
    return DataTypeError(
        f"{func}: {where} must hold real numbers, got {what}; convert it explicitly "
        "(e.g. with .astype(float)) or leave it out with columns="
    )


def _array_values(frame: Table, positions: tuple[int, ...], func: str) -> Matrix:
    arr: npt.NDArray[Any] = frame.data
    kind = arr.dtype.kind
    if isinstance(arr, np.ma.MaskedArray):
        if kind not in "fiu" or is_extended(arr.dtype):
            raise _numeric_error(func, "data", f"a masked array of dtype {arr.dtype}")
        # Masked entries are missing values, as for the functions: NaN in a plain array.
        arr = np.ma.filled(arr.astype(np.float64), np.nan)
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


def _pandas_values(frame: Table, positions: tuple[int, ...], func: str) -> Matrix:
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


def _polars_values(frame: Table, positions: tuple[int, ...], func: str) -> Matrix:
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


def table_values(frame: Table, positions: tuple[int, ...], func: str) -> Matrix:
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
        >>> frame = read_input(np.array([[1, 2], [3, 4]]), "MinMaxScaler.fit")
        >>> table_values(frame, (1,), "MinMaxScaler.fit").tolist()
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


def rebuild(frame: Table, positions: tuple[int, ...], out: Matrix) -> Any:
    """Give computed columns back in the input's kind; other columns pass through.

    Args:
        frame: The recorded input.
        positions: Where each column of ``out`` goes in the input.
        out: The computed ``(n_rows, len(positions))`` float64 values.

    Returns:
        A 1-D result of the input's kind for 1-D data; a float64 ndarray for
        an ndarray; a DataFrame (same index, names and order) for a DataFrame.

    Example:
        >>> frame = read_input([1, 2], "f")
        >>> rebuild(frame, (0,), np.array([[0.0], [1.0]]))
        [0.0, 1.0]
    """
    every = len(positions) == frame.n_columns and positions == tuple(range(frame.n_columns))
    if frame.record is not None:
        return frame.record.wrap(out[:, 0])
    if frame.kind == "ndarray":
        if every:
            return out
        full = np.ma.filled(frame.data.astype(np.float64), np.nan)  # masked entries: NaN
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
