"""The columns a fitted object knows: what it was fitted on, and where to find them again.

:class:`Layout` is recorded at the first fit and checked on every later
call: DataFrames by column name (another order is fine, other names are
not), arrays by column count. It also reads and writes its part of the JSON
document.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any, NamedTuple

from ml_infra.preprocessing._errors import DataShapeError, ParameterError, StateError, format_labels
from ml_infra.preprocessing._state import check_counts, json_names, mapping
from ml_infra.preprocessing._tables import Matrix, Table, column_label, repeated
from ml_infra.preprocessing._text import describe

__all__ = [
    "Layout",
    "Read",
    "columns_parameter",
    "describe_layout",
]


@dataclass(frozen=True, slots=True)
class Layout:
    """The columns an object was fitted on, and the ones it transforms.

    Attributes:
        names: The DataFrame's column labels, or ``None`` for arrays and 1-D data.
        count: How many columns the fitted data had (``n_features_in_``).
        fitted: The positions (among ``count``) of the transformed columns.
        one_d: Fitted on 1-D data.
    """

    names: tuple[Hashable, ...] | None
    count: int
    fitted: tuple[int, ...]
    one_d: bool

    @classmethod
    def choose(cls, frame: Table, columns: tuple[Hashable, ...] | None, func: str) -> Layout:
        """The layout of a first fit on ``frame``, with the ``columns=`` choice."""
        twice = [] if frame.names is None else repeated(frame.names)
        if twice:
            raise DataShapeError(
                f"{func}: column names must be unique, got {format_labels(twice)} twice"
            )
        if columns is None:
            fitted = tuple(range(frame.n_columns))
        elif frame.names is not None:
            where = {name: i for i, name in enumerate(frame.names)}
            missing = [c for c in columns if c not in where]
            if missing:
                raise DataShapeError(
                    f"{func}: columns= names columns the data does not have, got {format_labels(missing)}; "
                    f"the data has {format_labels(list(frame.names))}"
                )
            fitted = tuple(where[c] for c in columns)
        else:
            bad = [c for c in columns if type(c) is not int or not 0 <= c < frame.n_columns]
            if bad or frame.kind == "1d":
                raise DataShapeError(
                    f"{func}: columns= must name DataFrame columns, or be positions in "
                    f"[0, {frame.n_columns}) for an array, got {format_labels(list(bad or columns))}"
                )
            fitted = tuple(columns)  # type: ignore[arg-type]
        if not fitted:
            raise DataShapeError(
                f"{func}: data has no columns to fit, got {frame.n_columns} columns"
            )
        return cls(frame.names, frame.n_columns, fitted, frame.kind == "1d")

    def match(self, frame: Table, func: str) -> tuple[int, ...]:
        """Where the fitted columns are in ``frame``; a clear error when they differ."""
        if frame.names is None or self.names is None:
            if frame.n_columns != self.count:
                got = "1-D data (one column)" if frame.kind == "1d" else f"{frame.n_columns}"
                hint = (
                    "; pass a 2-D array (x.reshape(1, -1) for one row)"
                    if frame.kind == "1d"
                    else ""
                )
                raise DataShapeError(
                    f"{func}: data must have the {self.count} fitted columns, got {got}{hint}"
                )
            return self.fitted
        if frame.names == self.names:
            return self.fitted
        where = {name: i for i, name in enumerate(frame.names)}
        fitted = set(self.names)
        missing = [n for n in self.names if n not in where]
        unexpected = [n for n in frame.names if n not in fitted]
        if missing or unexpected or len(where) != len(frame.names):
            raise DataShapeError(
                f"{func}: the columns differ from the fitted ones, got missing columns "
                f"{format_labels(missing)} and unexpected columns {format_labels(unexpected)}"
            )
        return tuple(where[self.names[p]] for p in self.fitted)

    def to_document(self, func: str) -> dict[str, Any]:
        """The ``columns`` part of the JSON document."""
        names = None if self.names is None else json_names(self.names, func)
        return {
            "names": names,
            "count": self.count,
            "fitted": list(self.fitted),
            "one_d": self.one_d,
        }

    @classmethod
    def from_document(cls, value: object, func: str) -> Layout:
        """Read and check the ``columns`` part of a JSON document (:class:`StateError` if bad)."""
        doc = mapping(value, "columns", ("names", "count", "fitted", "one_d"), func)
        count, one_d, names = doc["count"], doc["one_d"], doc["names"]
        check_counts([count], "columns.count", 1, func, minimum=1)
        if type(one_d) is not bool or (one_d and (count != 1 or names is not None)):
            raise StateError(
                f"{func}: columns.one_d must be a bool, true only for one unnamed column, got {describe(one_d)}"
            )
        if names is not None:
            if type(names) is not list or len(names) != count:
                raise StateError(
                    f"{func}: columns.names must be null or a list of {count} names, got {describe(names)}"
                )
            json_names(tuple(names), func)
            if len(set(names)) != len(names):
                raise StateError(
                    f"{func}: columns.names must be distinct, got {format_labels(names)}"
                )
        fitted = doc["fitted"]
        size = len(fitted) if type(fitted) is list else -1
        check_counts(fitted, "columns.fitted", size, func)
        if not fitted or len(set(fitted)) != len(fitted) or max(fitted) >= count:
            raise StateError(
                f"{func}: columns.fitted must be distinct positions below columns.count ({count}), "
                f"got {format_labels(fitted)}"
            )
        return cls(None if names is None else tuple(names), count, tuple(fitted), one_d)

    def picks(self, columns: tuple[Hashable, ...] | None) -> tuple[int, ...] | None:
        """The positions ``columns=`` picks here, or ``None`` when it names a column not here."""
        if columns is None:
            return tuple(range(self.count))
        labels = self.names if self.names is not None else range(self.count)
        where = {name: i for i, name in enumerate(labels)}
        if not all(type(c) in (str, int) and c in where for c in columns):
            return None
        return tuple(where[c] for c in columns)

    def label(self, k: int) -> str:
        """Name fitted column ``k`` in a message."""
        return column_label(self.names, self.fitted[k])


class Read(NamedTuple):
    """One input read for fitting or transforming: its record, layout, columns and values."""

    frame: Table
    layout: Layout
    positions: tuple[int, ...]
    values: Matrix


def describe_layout(layout: Layout | None) -> str:
    if layout is None:
        return "nothing"
    if layout.names is not None:
        return f"columns {format_labels([layout.names[p] for p in layout.fitted])}"
    return f"{len(layout.fitted)} of {layout.count} columns"


def columns_parameter(columns: object, func: str) -> tuple[Hashable, ...] | None:
    if columns is None:
        return None
    if isinstance(columns, list | tuple) and columns:
        items = tuple(columns)
        try:
            if len(set(items)) == len(items):
                return items
        except TypeError:  # an unhashable name
            pass
    raise ParameterError(
        f"{func}: columns must be None or a non-empty list of distinct column names, got {describe(columns)}"
    )
