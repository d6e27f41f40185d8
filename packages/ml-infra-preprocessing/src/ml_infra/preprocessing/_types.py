"""The public type check, 1-D or per column: ``check_data_types`` and its ``TypeReport``."""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from types import MappingProxyType, UnionType
from typing import Any, overload

import numpy as np
from ml_infra.preprocessing._checks import read_columns
from ml_infra.preprocessing._errors import ParameterError, format_labels, format_positions
from ml_infra.preprocessing._inputs import Column1D, read_1d
from ml_infra.preprocessing._scalars import is_real_number
from ml_infra.preprocessing._text import class_name, safe_repr, type_name

__all__ = ["TypeReport", "check_data_types"]


@dataclass(frozen=True, repr=False)
class TypeReport:
    """What :func:`check_data_types` found.

    Attributes:
        counts: How many values of each type, by type name, in order of first
            appearance (e.g. ``{"int": 3, "str": 1}``).
        positions: Sorted positions of the values that are not of the
            expected type(s).
        expected: What was expected, in words (e.g. ``"real number"``).
        size: How many values were checked.
        labels: For a column of a pandas DataFrame, the index labels of the
            rows at ``positions`` (``df.loc[list(report.labels)]``); ``None``
            for 1-D data, arrays and polars DataFrames.

    Example:
        >>> report = check_data_types([1, 2.5, "x"])
        >>> report.ok, report.count, report.positions
        (False, 1, (2,))
    """

    counts: Mapping[str, int]
    positions: tuple[int, ...]
    expected: str
    size: int = field(default=0)
    labels: tuple[Hashable, ...] | None = field(default=None)

    def __repr__(self) -> str:
        labels = "" if self.labels is None else f", labels={self.labels!r}"
        return (
            f"TypeReport(counts={self.counts!r}, positions={self.positions!r}, "
            f"expected={self.expected!r}, size={self.size!r}{labels})"
        )

    @property
    def count(self) -> int:
        """How many values are not of the expected type(s)."""
        return len(self.positions)

    @property
    def ok(self) -> bool:
        """``True`` when every value is of the expected type(s)."""
        return not self.positions

    @property
    def is_consistent(self) -> bool:
        """``True`` when all values share one type (or there are none)."""
        return len(self.counts) <= 1

    def __str__(self) -> str:
        types = ", ".join(f"{name}: {n}" for name, n in self.counts.items())
        if self.ok:
            return f"all {self.size} values are {self.expected}s ({types or 'no values'})"
        where = (
            f"positions {format_positions(self.positions)}"
            if self.labels is None
            else f"index {format_labels(list(self.labels))}"
        )
        return (
            f"{self.count} of {self.size} values are not {self.expected}s, at {where} "
            f"(types: {types})"
        )


@dataclass(frozen=True)
class _Expected:
    """The checked ``expected`` argument: the types, and whether bools may match."""

    types: tuple[type, ...]
    bools: bool


def _expected_types(expected: object) -> _Expected | None:
    if expected is None:
        return None
    if isinstance(expected, UnionType):  # int | str
        expected = expected.__args__
    # The stored items of a tuple: a subclass's own iteration may never end.
    types = tuple(tuple.__iter__(expected)) if isinstance(expected, tuple) else (expected,)
    problem = "" if types and all(isinstance(t, type) for t in types) else "is not a type"
    if not problem:
        try:  # typing.Any, list[int] and friends are classes that isinstance() refuses
            isinstance(None, types)
            bools = any(issubclass(t, bool | np.bool_) for t in types)
        except Exception as exc:
            problem = f"cannot be used with isinstance() ({type_name(exc)})"
    if problem:
        raise ParameterError(
            "check_data_types: expected must be a type or a tuple of types usable with "
            f"isinstance(), got {safe_repr(expected)}, which {problem}"
        )
    return _Expected(types, bools)


def _matches(value: object, expected: _Expected | None) -> bool:
    try:
        if expected is None:
            if isinstance(value, Decimal):
                return not value.is_nan()
            return is_real_number(value) and not (
                isinstance(value, float | np.floating) and math.isnan(value)
            )
        if not expected.bools and isinstance(value, bool | np.bool_):
            return False
        return isinstance(value, expected.types)
    except Exception:  # a __class__ or a metaclass __instancecheck__ that raises
        return False


def _nulls_as_none(column: Column1D) -> list[Any] | None:
    """The values as objects, ``None`` for polars/Arrow nulls; ``None`` for a typed array."""
    arr = column.values
    if column.missing is not None and column.kind in ("polars", "arrow", "chunked_arrow"):
        values: list[Any] = list(arr)  # NumPy scalars: their types, as for a typed array
        for i in np.flatnonzero(column.missing).tolist():
            values[i] = None
        return values
    return arr.tolist() if arr.dtype == object else None


@overload
def check_data_types(
    data: Sequence[Any], expected: type | tuple[type, ...] | UnionType | None = None
) -> TypeReport: ...


@overload
def check_data_types(
    data: Any, expected: type | tuple[type, ...] | UnionType | None = None
) -> TypeReport | dict[Hashable, TypeReport]: ...


def check_data_types(
    data: Any, expected: type | tuple[type, ...] | UnionType | None = None
) -> TypeReport | dict[Hashable, TypeReport]:
    """Report the types of the values and which ones are not as expected.

    By default the expected type is "real number": ints, floats, NumPy real
    scalars, fractions and decimals, but not bools and not missing values
    (``None``, NaN). Pass ``expected`` (a type, a tuple of types or a union
    such as ``int | str``, checked with ``isinstance``) to check something
    else; bools then match only if ``bool`` is among the types, since ``True``
    is rarely meant as the number 1. The
    values of a typed NumPy array match both their NumPy scalar type and the
    Python one (an ``int64`` array is ``int``, a ``float32`` one ``float``).

    A table (a pandas DataFrame, a 2-D NumPy array, or a polars DataFrame)
    is reported per column: a dict from each column (its name; its position
    for an array) to that column's :class:`TypeReport`, every column in
    order. Each report's ``positions`` are 0-based rows; for a pandas
    DataFrame its ``labels`` name the same rows by index label. Each column
    is read as the 1-D data it is (a pandas or polars Series), so polars
    nulls count as ``NoneType``, as for a polars Series.

    Args:
        data: A 1-D array-like (list, tuple, NumPy array, pandas or polars
            Series, Arrow array, CPU tensor, any ``__array__``/DLPack object);
            or a table.
        expected: The accepted type(s) (a type, tuple or union), or ``None``
            for real numbers.

    Returns:
        A :class:`TypeReport`: type counts, the positions that fail, ``count``,
        ``ok`` and ``is_consistent``; for a table, ``{column: TypeReport}``.

    Raises:
        ParameterError: ``expected`` is not a type or a tuple of types that
            ``isinstance`` accepts (``typing.Any`` and ``list[int]`` are not).
        DataTypeError: ``data`` is not a 1-D sequence or a table.
        DataShapeError: ``data`` has more than two dimensions (or is a
            nested list), or a DataFrame repeats a column name.

    Example:
        >>> report = check_data_types([1, 2, "3", None])
        >>> dict(report.counts), report.positions
        ({'int': 2, 'str': 1, 'NoneType': 1}, (2, 3))
        >>> check_data_types(["a", "b"], expected=str).ok
        True
        >>> reports = check_data_types(np.array([[1.0, np.nan]]))
        >>> {column: report.positions for column, report in reports.items()}
        {0: (), 1: (0,)}
    """
    types = _expected_types(expected)
    func = "check_data_types"
    table = read_columns(data, func)
    if table is None:
        return _type_report(data, types, func)
    reports = {}
    for p, name in enumerate(table.keys):
        report = _type_report(table.column(p), types, func)
        if table.index is not None:
            report = replace(report, labels=tuple(table.rows(list(report.positions))))
        reports[name] = report
    return reports


def _type_report(data: object, types: _Expected | None, func: str) -> TypeReport:
    column = read_1d(data, func=func)
    arr = column.values
    # Sequences keep their own element types (NumPy would unify them).
    values = column.items if column.items is not None else _nulls_as_none(column)
    if values is None:  # a typed array: one type for all, judged on its scalars
        # NumPy 2 renamed the scalar type bool_ to bool: report one name on every numpy.
        name = "bool" if arr.dtype.kind == "b" else arr.dtype.type.__name__
        counts = {name: arr.size} if arr.size else {}
        if types is None and arr.dtype.kind == "f":
            bad: list[int] = np.flatnonzero(np.isnan(arr)).tolist()
        elif arr.size and (_matches(arr[0], types) or _matches(arr[0].item(), types)):
            # NumPy scalars match their own type or the Python one (int64 is an int).
            bad = []
        else:
            bad = list(range(arr.size))
    else:
        counts = {}
        bad = []
        for i, value in enumerate(values):
            name = type_name(value)
            counts[name] = counts.get(name, 0) + 1
            if not _matches(value, types):
                bad.append(i)
    described = "real number" if types is None else " or ".join(map(class_name, types.types))
    return TypeReport(MappingProxyType(counts), tuple(bad), described, len(arr))
