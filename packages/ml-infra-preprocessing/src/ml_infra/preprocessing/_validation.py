"""Range validation and type checks that say how many values fail, and where."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType, UnionType
from typing import Any, TypeVar

import numpy as np
from ml_infra.preprocessing._bounds import Inclusive, exact_objects, within
from ml_infra.preprocessing._errors import OutOfRangeError, ParameterError, format_positions
from ml_infra.preprocessing._inputs import read_1d
from ml_infra.preprocessing._missing import missing_mask
from ml_infra.preprocessing._numeric import as_real_array
from ml_infra.preprocessing._parameters import check_option, exact_parameter
from ml_infra.preprocessing._scalars import is_real_number
from ml_infra.preprocessing._text import class_name, number_text, safe_repr, type_name

__all__ = ["TypeReport", "check_data_types", "validate_range"]

_T = TypeVar("_T")
_INCLUSIVE: tuple[Inclusive, ...] = ("both", "neither", "left", "right")


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

    Args:
        data: A 1-D list, tuple, NumPy array or pandas Series of real numbers.
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
        DataTypeError: ``data`` is not a 1-D sequence of real numbers.
        DataShapeError: ``data`` is not one-dimensional.

    Example:
        >>> validate_range([0.2, 0.5], 0, 1)
        [0.2, 0.5]
        >>> try:
        ...     validate_range([0.2, 1.5, -3.0], 0, 1)
        ... except OutOfRangeError as exc:
        ...     exc.positions, exc.count
        ((1, 2), 2)
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
    real = as_real_array(data, func)
    x = real.values
    if x.dtype.kind == "f" and real.items is not None:
        x = exact_objects(x, real.items)  # a list's big ints, rounded by NumPy
    ok = within(x, lo, hi, inclusive, missing=real.missing, func=func)
    if real.missing is not None:
        ok &= ~real.missing
    if bool(ok.all()):
        return data
    positions: list[int] = np.flatnonzero(~ok).tolist()
    missing = missing_mask(x)
    if real.missing is not None:
        missing |= real.missing
    n_missing = int(np.count_nonzero(missing))
    note = f" ({n_missing} of them missing/NaN)" if n_missing else ""
    raise OutOfRangeError(
        f"{func}: {len(positions)} of {x.size} values are outside "
        f"{_interval(min_value, max_value, inclusive)}{note} at positions "
        f"{format_positions(positions)}",
        positions,
        min_value=min_value,
        max_value=max_value,
    )


@dataclass(frozen=True)
class TypeReport:
    """What :func:`check_data_types` found.

    Attributes:
        counts: How many values of each type, by type name, in order of first
            appearance (e.g. ``{"int": 3, "str": 1}``).
        positions: Sorted positions of the values that are not of the
            expected type(s).
        expected: What was expected, in words (e.g. ``"real number"``).
        size: How many values were checked.

    Example:
        >>> report = check_data_types([1, 2.5, "x"])
        >>> report.ok, report.count, report.positions
        (False, 1, (2,))
    """

    counts: Mapping[str, int]
    positions: tuple[int, ...]
    expected: str
    size: int = field(default=0)

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
        return (
            f"{self.count} of {self.size} values are not {self.expected}s, at positions "
            f"{format_positions(self.positions)} (types: {types})"
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


def check_data_types(
    data: Any, expected: type | tuple[type, ...] | UnionType | None = None
) -> TypeReport:
    """Report the types of the values and which ones are not as expected.

    By default the expected type is "real number": ints, floats, NumPy real
    scalars, fractions and decimals, but not bools and not missing values
    (``None``, NaN). Pass ``expected`` (a type, a tuple of types or a union
    such as ``int | str``, checked with ``isinstance``) to check something
    else; bools then match only if ``bool`` is among the types, since ``True``
    is rarely meant as the number 1. The
    values of a typed NumPy array match both their NumPy scalar type and the
    Python one (an ``int64`` array is ``int``, a ``float32`` one ``float``).

    Args:
        data: A 1-D list, tuple, NumPy array or pandas Series.
        expected: The accepted type(s) (a type, tuple or union), or ``None``
            for real numbers.

    Returns:
        A :class:`TypeReport`: type counts, the positions that fail, ``count``,
        ``ok`` and ``is_consistent``.

    Raises:
        ParameterError: ``expected`` is not a type or a tuple of types that
            ``isinstance`` accepts (``typing.Any`` and ``list[int]`` are not).
        DataTypeError: ``data`` is not a 1-D sequence.
        DataShapeError: ``data`` is not one-dimensional.

    Example:
        >>> report = check_data_types([1, 2, "3", None])
        >>> dict(report.counts), report.positions
        ({'int': 2, 'str': 1, 'NoneType': 1}, (2, 3))
        >>> check_data_types(["a", "b"], expected=str).ok
        True
    """
    types = _expected_types(expected)
    arr, items = read_1d(data, func="check_data_types")
    # Sequences keep their own element types (NumPy would unify them).
    values = items if items is not None else arr.tolist() if arr.dtype == object else None
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
