"""The public validators of values, 1-D or per column: ``check_missing_values``, ``validate_range``.

A table (a pandas DataFrame, a 2-D NumPy array, or a polars DataFrame) is
recorded once by :func:`read_columns` (the one table reader, ``_tables``) and
checked column by column through the 1-D path; rows are named by index label
for a pandas DataFrame, by 0-based position otherwise.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any, TypeVar, overload

import numpy as np
from ml_infra.preprocessing._bounds import Inclusive, exact_objects, within
from ml_infra.preprocessing._errors import (
    SHOWN,
    DataShapeError,
    OutOfRangeError,
    ParameterError,
    format_labels,
    format_positions,
)
from ml_infra.preprocessing._inputs import read_1d
from ml_infra.preprocessing._missing import missing_mask
from ml_infra.preprocessing._numeric import as_real_array
from ml_infra.preprocessing._parameters import check_option, exact_parameter
from ml_infra.preprocessing._scalars import Exact
from ml_infra.preprocessing._tables import Table, read_table, repeated
from ml_infra.preprocessing._text import number_text, safe_repr

__all__ = ["check_missing_values", "read_columns", "validate_range"]

_T = TypeVar("_T")
_INCLUSIVE: tuple[Inclusive, ...] = ("both", "neither", "left", "right")


def read_columns(data: object, func: str) -> Table | None:
    """Record a table for a per-column report, or return ``None`` for anything else.

    Args:
        data: The user's input.
        func: The public function's name, for messages.

    Returns:
        The table's record, or ``None`` when ``data`` is not a table (the 1-D
        path takes it, and reports what is wrong with it).

    Raises:
        DataShapeError: an array has more than two dimensions, or a
            DataFrame repeats a column name.

    Example:
        >>> read_columns(np.zeros((3, 2)), "check_missing_values").keys
        (0, 1)
    """
    table = read_table(data, func)
    twice = [] if table is None or table.names is None else repeated(table.names)
    if twice:
        raise DataShapeError(
            f"{func}: a table's column names must be unique to report per column, got "
            f"{len(twice)} repeated: {format_labels(dict.fromkeys(twice))}; rename them"
        )
    return table


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
        name: table.rows(_missing_positions(table.column(p), func))
        for p, name in enumerate(table.keys)
    }


def _interval(lo: object, hi: object, inclusive: Inclusive) -> str:
    left = "[" if inclusive in ("both", "left") and lo is not None else "("
    right = "]" if inclusive in ("both", "right") and hi is not None else ")"
    lo_text = "-inf" if lo is None else number_text(lo)
    hi_text = "inf" if hi is None else number_text(hi)
    return f"{left}{lo_text}, {hi_text}{right}"


def validate_range(
    data: _T,
    min_value: float | None = None,
    max_value: float | None = None,
    *,
    inclusive: Inclusive = "both",
) -> _T:
    """Raise if any value lies outside ``[min_value, max_value]``.

    ``None`` leaves that side unbounded. NaN (and ``None``) values are never
    within a range, so they fail too. On success the input is returned
    unchanged (the same object), so the call can sit in a pipeline.

    A table (a pandas DataFrame, a 2-D NumPy array, or a polars DataFrame)
    is checked column by column, and one error names every offending column
    with its rows: index labels for a pandas DataFrame, positions otherwise.
    Its ``columns`` maps each offending column to those rows, and its
    ``positions`` are the 0-based rows holding any offending value.

    Args:
        data: A 1-D array-like of real numbers (list, tuple, NumPy array,
            pandas or polars Series, Arrow array, CPU tensor, any
            ``__array__``/DLPack object), or a table of them.
        min_value: Smallest allowed value, or ``None`` for no lower bound.
        max_value: Largest allowed value, or ``None`` for no upper bound.
        inclusive: Which bounds are allowed values: ``"both"`` (default),
            ``"neither"``, ``"left"`` or ``"right"`` (as in pandas ``between``).

    Returns:
        ``data`` itself.

    Raises:
        OutOfRangeError: some values fall outside; its ``positions`` and
            ``count`` say which and how many, the message shows them too.
        ParameterError: a bound is not a finite real number, ``min_value >
            max_value``, or ``inclusive`` is unknown.
        DataTypeError: ``data`` is not a 1-D sequence (or table) of real
            numbers; for a table the message names the column.
        DataShapeError: ``data`` has more than two dimensions (or is a
            nested list), or a DataFrame repeats a column name.

    Example:
        >>> validate_range([0.2, 0.5], 0, 1)
        [0.2, 0.5]
        >>> try:
        ...     validate_range([0.2, 1.5, -3.0], 0, 1)
        ... except OutOfRangeError as exc:
        ...     exc.positions, exc.count
        ((1, 2), 2)
        >>> try:
        ...     validate_range(np.array([[0.5, 2.0], [-1.0, 0.1]]), 0, 1)
        ... except OutOfRangeError as exc:
        ...     exc.columns
        {0: (1,), 1: (0,)}
    """
    func = "validate_range"
    lo = None if min_value is None else exact_parameter(min_value, "min_value", func)
    hi = None if max_value is None else exact_parameter(max_value, "max_value", func)
    if lo is not None and hi is not None and lo > hi:
        raise ParameterError(
            f"{func}: min_value ({number_text(min_value)}) must not be greater than "
            f"max_value ({number_text(max_value)})"
        )
    inclusive = check_option(inclusive, _INCLUSIVE, "inclusive", func)
    interval = _interval(min_value, max_value, inclusive)
    table = read_columns(data, func)
    if table is not None:
        _validate_columns(table, lo, hi, inclusive, func, interval, (min_value, max_value))
        return data
    found = _outside(data, lo, hi, inclusive, func)
    if found is None:
        return data
    positions, n_missing, size = found
    raise OutOfRangeError(
        f"{func}: {len(positions)} of {size} values are outside "
        f"{interval}{_missing_note(n_missing)} at positions {format_positions(positions)}",
        positions,
        min_value=min_value,
        max_value=max_value,
    )


def _missing_note(n_missing: int) -> str:
    return f" ({n_missing} of them missing/NaN)" if n_missing else ""


def _outside(
    data: object, lo: Exact | None, hi: Exact | None, inclusive: Inclusive, func: str
) -> tuple[list[int], int, int] | None:
    """The positions outside the bounds, how many of them are missing, and the size.

    ``None`` when every value is within (one pass, no further work).
    """
    real = as_real_array(data, func)
    x = real.values
    if x.dtype.kind == "f" and real.column.items is not None:
        x = exact_objects(x, real.column.items)  # a list's big ints, rounded by NumPy
    ok = within(x, lo, hi, inclusive, missing=real.missing, func=func)
    if real.missing is not None:
        ok &= ~real.missing
    if bool(ok.all()):
        return None
    positions: list[int] = np.flatnonzero(~ok).tolist()
    missing = missing_mask(x)
    if real.missing is not None:
        missing |= real.missing
    return positions, int(np.count_nonzero(missing)), x.size


def _validate_columns(
    table: Table,
    lo: Exact | None,
    hi: Exact | None,
    inclusive: Inclusive,
    func: str,
    interval: str,
    bounds: tuple[float | None, float | None],
) -> None:
    """Check every column of a table; raise one error naming each offending column."""
    found: dict[Hashable, tuple[list[int], int, int]] = {}
    for p, name in enumerate(table.keys):
        # A column's own problems (strings, bools) name the column first.
        result = _outside(table.column(p), lo, hi, inclusive, f"{func}: {table.label(p)}")
        if result is not None:
            found[name] = result
    if not found:
        return
    columns = {name: tuple(table.rows(r[0])) for name, r in found.items()}
    count = sum(len(r[0]) for r in found.values())
    parts = [
        f"column {safe_repr(name)} at {table.where} {format_labels(list(rows))}"
        for name, rows in list(columns.items())[:SHOWN]
    ]
    if len(columns) > SHOWN:
        parts.append(f"... ({len(columns)} columns in all)")
    n_missing = sum(r[1] for r in found.values())
    rows = sorted({p for r in found.values() for p in r[0]})
    raise OutOfRangeError(
        f"{func}: {count} values in {len(columns)} of {table.n_columns} columns are outside "
        f"{interval}{_missing_note(n_missing)}: {'; '.join(parts)}",
        rows,
        min_value=bounds[0],
        max_value=bounds[1],
        columns=columns,
    )
