"""Range validation and type checks that say how many values fail, and where."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType, UnionType
from typing import Any, Literal, TypeVar

import numpy as np
from ml_infra.preprocessing._errors import OutOfRangeError, ParameterError, format_positions
from ml_infra.preprocessing._inputs import ensure_1d
from ml_infra.preprocessing._numeric import as_float_array, is_real_number, real_parameter

__all__ = ["TypeReport", "check_data_types", "validate_range"]

Inclusive = Literal["both", "neither", "left", "right"]
_T = TypeVar("_T")


def _bound(value: object, name: str) -> float | None:
    return None if value is None else real_parameter(value, name, "validate_range")


def _interval(lo: float | None, hi: float | None, inclusive: Inclusive) -> str:
    left = "[" if inclusive in ("both", "left") and lo is not None else "("
    right = "]" if inclusive in ("both", "right") and hi is not None else ")"
    lo_text = "-inf" if lo is None else f"{lo:g}"
    hi_text = "inf" if hi is None else f"{hi:g}"
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
    lo = _bound(min_value, "min_value")
    hi = _bound(max_value, "max_value")
    if lo is not None and hi is not None and lo > hi:
        raise ParameterError(
            f"validate_range: min_value ({lo:g}) must not be greater than max_value ({hi:g})"
        )
    if inclusive not in ("both", "neither", "left", "right"):
        raise ParameterError(
            "validate_range: inclusive must be 'both', 'neither', 'left' or 'right', "
            f"got {inclusive!r}"
        )
    x, _ = as_float_array(data, "validate_range")
    ok = ~np.isnan(x)
    if lo is not None:
        ok &= x >= lo if inclusive in ("both", "left") else x > lo
    if hi is not None:
        ok &= x <= hi if inclusive in ("both", "right") else x < hi
    if bool(ok.all()):
        return data
    positions: list[int] = np.flatnonzero(~ok).tolist()
    n_nan = int(np.count_nonzero(np.isnan(x)))
    nan_note = f" ({n_nan} of them missing/NaN)" if n_nan else ""
    raise OutOfRangeError(
        f"validate_range: {len(positions)} of {x.size} values are outside "
        f"{_interval(lo, hi, inclusive)}{nan_note} at positions {format_positions(positions)}",
        positions,
        min_value=lo,
        max_value=hi,
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


def _expected_types(expected: object) -> tuple[type, ...] | None:
    if expected is None:
        return None
    if isinstance(expected, UnionType):  # int | str
        expected = expected.__args__
    types = expected if isinstance(expected, tuple) else (expected,)
    if not types or not all(isinstance(t, type) for t in types):
        raise ParameterError(
            f"check_data_types: expected must be a type or a tuple of types, got {expected!r}"
        )
    return types


def _matches(value: object, types: tuple[type, ...] | None) -> bool:
    if types is None:
        if isinstance(value, Decimal):
            return not value.is_nan()
        return is_real_number(value) and not (
            isinstance(value, float | np.floating) and math.isnan(value)
        )
    if isinstance(value, bool | np.bool_) and not any(
        issubclass(t, bool | np.bool_) for t in types
    ):
        return False
    return isinstance(value, types)


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
        ParameterError: ``expected`` is not a type or a tuple of types.
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
    arr = ensure_1d(data, func="check_data_types")
    # Lists and tuples keep their own element types (NumPy would unify them).
    values = (
        data if isinstance(data, list | tuple) else arr.tolist() if arr.dtype == object else None
    )
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
            name = type(value).__name__
            counts[name] = counts.get(name, 0) + 1
            if not _matches(value, types):
                bad.append(i)
    described = "real number" if types is None else " or ".join(t.__name__ for t in types)
    return TypeReport(MappingProxyType(counts), tuple(bad), described, len(arr))
