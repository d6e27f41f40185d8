"""Numeric input: any supported input to a floating array, and its diagnostics.

The fast path costs one dtype check; the element-by-element inspection only
runs when NumPy could not make a numeric array, or to explain an error.
"""

from __future__ import annotations

import math
import numbers
from decimal import Decimal
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from ml_infra.preprocessing._errors import (
    DataTypeError,
    InfiniteValueError,
    MissingValueError,
    ParameterError,
    PreprocessingError,
    format_positions,
)
from ml_infra.preprocessing._inputs import ensure_1d, prefix
from ml_infra.preprocessing._missing import masked_entries, missing_mask

__all__ = [
    "NanPolicy",
    "as_float_array",
    "check_nan_policy",
    "is_real_number",
    "nonfinite_error",
    "real_parameter",
]

NanPolicy = Literal["raise", "omit"]
FloatArray = npt.NDArray[np.floating[Any]]
_NAN_POLICIES = ("raise", "omit")


def is_real_number(value: object) -> bool:
    """Tell whether ``value`` is a real number here: not a bool, not complex.

    Args:
        value: Any object.

    Returns:
        ``True`` for ints, floats, NumPy real scalars, fractions and decimals.

    Example:
        >>> is_real_number(2.5), is_real_number(True), is_real_number("2")
        (True, False, False)
    """
    if isinstance(value, bool | np.bool_):
        return False
    return isinstance(value, numbers.Real | Decimal)


def real_parameter(value: object, name: str, func: str) -> float:
    """Validate a numeric parameter (percentile, bound): a finite real number.

    Args:
        value: The argument.
        name: The argument's name, for the message.
        func: The public function's name, for the message.

    Returns:
        ``value`` as a float.

    Raises:
        ParameterError: ``value`` is not a real number, or is NaN/infinite.

    Example:
        >>> real_parameter(5, "lower_percentile", "clip_outliers")
        5.0
    """
    if not is_real_number(value):
        raise ParameterError(
            f"{func}: {name} must be a real number, got {type(value).__name__} {value!r}"
        )
    result = float(value)  # type: ignore[arg-type]
    if not math.isfinite(result):
        raise ParameterError(f"{func}: {name} must be finite, got {result!r}")
    return result


def check_nan_policy(nan_policy: object, func: str) -> None:
    """Raise :class:`ParameterError` unless ``nan_policy`` is supported.

    Args:
        nan_policy: The argument.
        func: The public function's name, for the message.

    Raises:
        ParameterError: ``nan_policy`` is neither ``"raise"`` nor ``"omit"``.

    Example:
        >>> check_nan_policy("omit", "normalize")
    """
    if nan_policy not in _NAN_POLICIES:
        raise ParameterError(f"{func}: nan_policy must be 'raise' or 'omit', got {nan_policy!r}")


def _describe(value: object) -> str:
    if isinstance(value, np.generic):
        value = value.item()
    text = repr(value)
    if len(text) > 30:
        text = text[:27] + "..."
    return f"{type(value).__name__} {text}"


def _non_number_error(arr: npt.NDArray[Any], bad: list[int], func: str | None) -> DataTypeError:
    first = arr[bad[0]]
    noun = "value" if len(bad) == 1 else "values"
    return DataTypeError(
        f"{prefix(func)}data must hold only real numbers, found {len(bad)} other {noun} "
        f"at positions {format_positions(bad)} (first: {_describe(first)})",
        bad,
    )


def _object_to_float(arr: npt.NDArray[Any], func: str | None) -> FloatArray:
    """Convert an object array, turning missing markers into NaN."""
    missing = missing_mask(arr)
    bad = [
        i
        for i, (value, gone) in enumerate(zip(arr.tolist(), missing.tolist(), strict=True))
        if not gone and not is_real_number(value)
    ]
    if bad:
        raise _non_number_error(arr, bad, func)
    out = np.empty(arr.shape, dtype=np.float64)
    out[missing] = np.nan
    keep = ~missing
    values = arr[keep].tolist()
    try:
        out[keep] = [float(v) for v in values]
    except OverflowError:  # e.g. 10**400 or Fraction(10**400): no float can hold it
        kept = np.flatnonzero(keep).tolist()
        huge = [kept[j] for j, v in enumerate(values) if _too_large(v)]
        noun = "value" if len(huge) == 1 else "values"
        raise InfiniteValueError(
            f"{prefix(func)}data contains {len(huge)} {noun} too large for a float "
            f"(beyond ±1.8e308) at positions {format_positions(huge)}",
            huge,
        ) from None
    return out


def _too_large(value: object) -> bool:
    try:
        float(value)  # type: ignore[arg-type]
    except OverflowError:
        return True
    return False


def _bool_positions(data: list[Any] | tuple[Any, ...], arr: npt.NDArray[Any]) -> list[int]:
    """Positions of bools that NumPy silently turned into 0/1 in a numeric list.

    Only entries equal to 0 or 1 can have been bools, so the Python-level look
    is limited to those (none at all for most real-valued data).
    """
    candidates: list[int] = np.flatnonzero((arr == 0) | (arr == 1)).tolist()
    return [i for i in candidates if isinstance(data[i], bool | np.bool_)]


def as_float_array(data: object, func: str) -> tuple[FloatArray, bool]:
    """Return ``data`` as a 1-D floating array, and whether it is a fresh copy.

    Float arrays (and float Series) come back without a copy; integer input
    becomes float64. Missing markers (``None``, pandas ``NA``) and the masked
    entries of a masked array become NaN, to be reported by the caller's NaN
    check.

    Args:
        data: The input values.
        func: The public function's name, for messages.

    Returns:
        ``(array, owned)``: ``owned`` is ``True`` when the array is a new
        buffer the caller may overwrite, ``False`` when it is the user's data.

    Raises:
        DataTypeError: ``data`` is not a sequence, holds booleans, strings or
            other non-numbers (the positions are in the error).
        DataShapeError: ``data`` is not one-dimensional.

    Example:
        >>> arr, owned = as_float_array([1, 2], "normalize")
        >>> arr.dtype.name, owned
        ('float64', True)
    """
    x, owned = _as_float(data, func)
    mask = masked_entries(data)
    if mask is not None:  # the values under a mask are not data: make them NaN
        x = x if owned else x.copy()
        x[mask] = np.nan
        owned = True
    return x, owned


def _as_float(data: object, func: str) -> tuple[FloatArray, bool]:
    arr = ensure_1d(data, func=func)
    fresh = arr is not data and isinstance(data, list | tuple)
    kind = arr.dtype.kind
    if isinstance(data, list | tuple) and kind in "fiu":
        bools = _bool_positions(data, arr)
        if bools:
            noun = "a boolean" if len(bools) == 1 else f"{len(bools)} booleans"
            raise DataTypeError(
                f"{func}: data must hold only real numbers, found {noun} at positions "
                f"{format_positions(bools)} (convert them explicitly, e.g. with float())",
                bools,
            )
    if kind == "f":
        return arr, fresh
    if kind in "iu":
        return arr.astype(np.float64), True
    if kind == "O":
        return _object_to_float(arr, func), True
    if kind == "b":
        raise DataTypeError(
            f"{func}: data must hold real numbers, got booleans "
            "(convert them explicitly, e.g. with numpy.asarray(data, dtype=float))",
            range(arr.size),
        )
    raise (
        _non_number_error(arr, list(range(arr.size)), func)
        if arr.size
        else DataTypeError(
            f"{func}: data must hold real numbers, got an empty array of dtype {arr.dtype}"
        )
    )


def nonfinite_error(x: FloatArray, func: str, *, nan_ok: bool = False) -> PreprocessingError | None:
    """Explain why a reduction over ``x`` came out NaN or infinite.

    Args:
        x: The float data.
        func: The public function's name, for the message.
        nan_ok: NaN is allowed (``nan_policy="omit"``); only infinity is an error.

    Returns:
        A :class:`MissingValueError` or :class:`InfiniteValueError` naming the
        positions, or ``None`` if every value is finite (the reduction overflowed).

    Example:
        >>> str(nonfinite_error(np.array([1.0, np.inf]), "normalize"))
        'normalize: data contains 1 infinite value at positions [1]'
    """
    if not nan_ok:
        nan_positions: list[int] = np.flatnonzero(np.isnan(x)).tolist()
        if nan_positions:
            noun = "value" if len(nan_positions) == 1 else "values"
            return MissingValueError(
                f"{func}: data contains {len(nan_positions)} missing {noun} (NaN or None) at "
                f"positions {format_positions(nan_positions)}; drop or impute them, "
                "or pass nan_policy='omit' to ignore them",
                nan_positions,
            )
    inf_positions: list[int] = np.flatnonzero(np.isinf(x)).tolist()
    if inf_positions:
        noun = "value" if len(inf_positions) == 1 else "values"
        return InfiniteValueError(
            f"{func}: data contains {len(inf_positions)} infinite {noun} at positions "
            f"{format_positions(inf_positions)}",
            inf_positions,
        )
    return None
