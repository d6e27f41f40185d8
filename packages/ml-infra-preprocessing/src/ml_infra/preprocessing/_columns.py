"""A table read as its named 1-D columns, for the per-column reports of the validators.

A table is a pandas DataFrame, a 2-D NumPy array (masked arrays too) or a
polars DataFrame. pandas and polars are never imported here: their objects
can only exist if the caller imported them, so ``sys.modules`` (and, for
polars, the type's module) tells whether to look.

Rows are named the way a user of each kind finds them again: a pandas
DataFrame by its index labels (``df.loc[labels]``), an array and a polars
DataFrame (which has no index) by 0-based position.
"""

from __future__ import annotations

import sys
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from ml_infra.preprocessing._errors import DataShapeError
from ml_infra.preprocessing._text import safe_repr

__all__ = ["SHOWN_COLUMNS", "Columns", "format_labels", "read_columns"]

SHOWN_COLUMNS = 10


@dataclass(frozen=True)
class Columns:
    """A table's columns, in order, with what names its rows.

    Attributes:
        names: The column labels (DataFrames) or 0-based positions (arrays).
        columns: One 1-D input per column, for the 1-D functions.
        index: The row labels of a pandas DataFrame, else ``None`` (positions).
    """

    names: tuple[Hashable, ...]
    columns: tuple[object, ...]
    index: Any = None

    def rows(self, positions: list[int]) -> list[Hashable]:
        """Name the rows at ``positions``: index labels for pandas, else the positions.

        Args:
            positions: Sorted 0-based row positions.

        Returns:
            Their index labels (a DataFrame), or the positions themselves.

        Example:
            >>> Columns((0,), (np.zeros(2),)).rows([1])
            [1]
        """
        if self.index is None or not positions:
            return list(positions)
        labels: list[Hashable] = self.index[positions].tolist()
        return labels

    @property
    def where(self) -> str:
        """How rows are named in messages: ``"index"`` or ``"positions"``."""
        return "positions" if self.index is None else "index"


def _unique(names: list[Hashable], func: str) -> tuple[Hashable, ...]:
    seen: set[Hashable] = set()
    twice = [n for n in names if n in seen or seen.add(n)]  # type: ignore[func-returns-value]
    if twice:
        raise DataShapeError(
            f"{func}: a table's column names must be unique to report per column, got "
            f"{len(twice)} repeated: {format_labels(list(dict.fromkeys(twice)))}; rename them"
        )
    return tuple(names)


def _is_polars_frame(data: object) -> bool:
    module = type(data).__module__
    pl = sys.modules.get("polars")
    return pl is not None and module.startswith("polars") and isinstance(data, pl.DataFrame)


def read_columns(data: object, func: str) -> Columns | None:
    """Split a table into its columns, or return ``None`` for anything else.

    Args:
        data: The user's input.
        func: The public function's name, for messages.

    Returns:
        The table's :class:`Columns`, or ``None`` when ``data`` is not a table
        (the 1-D path takes it, and reports what is wrong with it).

    Raises:
        DataShapeError: an array has more than two dimensions, or a
            DataFrame repeats a column name.

    Example:
        >>> read_columns(np.zeros((3, 2)), "check_missing_values").names
        (0, 1)
        >>> read_columns([1, 2], "check_missing_values") is None
        True
    """
    if isinstance(data, np.ndarray):
        if data.ndim < 2:
            return None
        if data.ndim > 2:
            raise DataShapeError(
                f"{func}: data must be 1-D or a 2-D table, got a {data.ndim}-D array of "
                f"shape {data.shape}"
            )
        array: npt.NDArray[Any] = data
        return Columns(tuple(range(array.shape[1])), tuple(array.T))
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(data, pd.DataFrame):
        names = _unique(data.columns.tolist(), func)
        columns = tuple(data.iloc[:, j] for j in range(len(names)))
        return Columns(names, columns, data.index)
    if _is_polars_frame(data):
        frame: Any = data
        names = tuple(frame.columns)  # polars names are unique strings
        return Columns(names, tuple(frame.get_column(n) for n in names))  # 1-D polars Series
    return None


def format_labels(names: list[Hashable]) -> str:
    """Render column names or row labels for a message: ``['a', 1]``, eliding after ten.

    Args:
        names: Column or row labels, or positions.

    Returns:
        The names shown with the safe describer, in brackets.

    Example:
        >>> format_labels(["a", 1])
        "['a', 1]"
    """
    text = ", ".join(safe_repr(n) for n in names[:SHOWN_COLUMNS])
    if len(names) > SHOWN_COLUMNS:
        text += f", ... ({len(names)} in all)"
    return f"[{text}]"
