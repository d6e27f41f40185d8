"""Numeric input: any supported input to an array of real numbers, or a clear error.

The fast path costs one dtype check; the element-by-element inspection only
runs for ``object`` arrays (lists mixing types, Fractions, Decimals, pandas
nullable columns), or to explain an error.

Extended precision (``numpy.longdouble`` wider than 64 bits, ``float128`` on
x86-64 Linux) is refused here, at the one gate of the numeric functions,
with a :class:`DataTypeError` naming the dtype. Its width and format depend
on the platform (80-bit x87, IEEE quad, or plain float64), the overflow and
underflow handling of ``normalize`` and ``standardize`` is written for IEEE
half, single and double precision, and rounding it to float64 behind the
caller's back would change the values they chose to keep. Converting is one
explicit call (``numpy.asarray(data, dtype=numpy.float64)``).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
from ml_infra.preprocessing._errors import (
    DataTypeError,
    InfiniteValueError,
    PreprocessingError,
    format_positions,
)
from ml_infra.preprocessing._inputs import Column1D, Items, prefix, read_1d
from ml_infra.preprocessing._missing import missing_mask
from ml_infra.preprocessing._scalars import is_extended, is_real_number, to_float
from ml_infra.preprocessing._text import describe, type_name

__all__ = [
    "FloatArray",
    "FloatInput",
    "RealArray",
    "as_float_array",
    "as_real_array",
    "floats_again",
    "to_floats",
    "unconvertible_error",
]

FloatArray = npt.NDArray[np.floating[Any]]


class RealArray(NamedTuple):
    """Data that passed the numeric gate, with the exact values it was given.

    Attributes:
        values: A 1-D float16/32/64, integer or ``object`` array; an object
            array holds only real numbers and missing markers.
        column: The input as read (its kind builds the result).
        missing: Where values are missing (object missing markers, masked
            entries, nulls), or ``None`` when there are none of those; NaN in a
            float array is not included (the computations reveal it for free).
    """

    values: npt.NDArray[Any]
    column: Column1D
    missing: npt.NDArray[np.bool_] | None

    @property
    def owned(self) -> bool:
        """``values`` is a new buffer the caller may overwrite (made from a sequence's items)."""
        return self.column.items is not None


class FloatInput(NamedTuple):
    """Data as floats (see :func:`as_float_array`), with the record of the input.

    Attributes:
        values: A 1-D float16/32/64 array, NaN where values are missing.
        owned: ``values`` is a new buffer the caller may overwrite; ``False``
            when it is the caller's own memory.
        real: The checked input, from which :func:`to_floats` makes the floats
            again (after ``values`` was overwritten).
    """

    values: FloatArray
    owned: bool
    real: RealArray

    @property
    def column(self) -> Column1D:
        """The input as read: ``column.wrap(result)`` gives a result its kind."""
        return self.real.column


def _positions_error(
    func: str, what: str, positions: list[int], first: object, why: str = ""
) -> DataTypeError:
    noun = "value" if len(positions) == 1 else "values"
    return DataTypeError(
        f"{func}: data must hold only real numbers, found {len(positions)} {what} {noun} at "
        f"positions {format_positions(positions)} (first: {describe(first)}{why})",
        positions,
    )


def unconvertible_error(
    arr: npt.NDArray[Any], positions: list[int], exc: BaseException | None, func: str
) -> DataTypeError:
    """The error for numbers whose value could not be read (``__float__`` raised).

    Args:
        arr: The data.
        positions: Where the conversion failed.
        exc: The first exception raised.
        func: The public function's name, for the message.

    Returns:
        A :class:`DataTypeError` naming the positions and the first value.

    Example:
        >>> unconvertible_error(np.array([1.0]), [0], KeyError(), "normalize").positions
        (0,)
    """
    why = f"; float() raised {type_name(exc)}"
    return _positions_error(func, "unconvertible", positions, arr[positions[0]], why)


def _extended_error(func: str, dtype: np.dtype[Any], positions: range | list[int]) -> DataTypeError:
    return DataTypeError(
        f"{func}: data has dtype {dtype.name} (extended precision), which is not supported; "
        "convert it explicitly, e.g. with numpy.asarray(data, dtype=numpy.float64)",
        positions,
    )


def _bool_positions(items: Items, arr: npt.NDArray[Any]) -> list[int]:
    """Positions of bools that NumPy silently turned into 0/1 in a numeric list.

    Only entries equal to 0 or 1 can have been bools, so the Python-level look
    is limited to those (none at all for most real-valued data).
    """
    candidates: list[int] = np.flatnonzero((arr == 0) | (arr == 1)).tolist()
    return [i for i in candidates if isinstance(items[i], bool | np.bool_)]


def _check_objects(arr: npt.NDArray[Any], func: str) -> npt.NDArray[np.bool_]:
    """Check that an object array holds only real numbers and missing markers.

    Returns the missing mask; raises for the first kind of odd value found.
    """
    missing = missing_mask(arr)
    other, extended = [], []
    for i, (value, gone) in enumerate(zip(arr.tolist(), missing.tolist(), strict=True)):
        if gone:
            continue
        if not is_real_number(value):
            other.append(i)
        elif isinstance(value, np.floating) and is_extended(value.dtype):
            extended.append(i)
    if other:
        raise _positions_error(func, "other", other, arr[other[0]])
    if extended:
        raise _extended_error(func, arr[extended[0]].dtype, extended)
    return missing


def as_real_array(data: object, func: str) -> RealArray:
    """Pass ``data`` through the numeric gate, keeping its exact values.

    Float arrays of at most 64 bits and integer arrays come back as they are
    (no copy); lists become arrays; ``object`` arrays are checked element by
    element. Booleans, strings, complex numbers, datetimes and extended
    precision are refused.

    Args:
        data: The input values.
        func: The public function's name, for messages.

    Returns:
        A :class:`RealArray`.

    Raises:
        DataTypeError: ``data`` is not a sequence, holds booleans, strings or
            other non-numbers (the positions are in the error), or has
            extended precision (``numpy.longdouble``).
        DataShapeError: ``data`` is not one-dimensional.

    Example:
        >>> as_real_array([1, 2], "validate_range").values.dtype.kind
        'i'
    """
    column = read_1d(data, func=func)
    arr, items = column.values, column.items
    kind = arr.dtype.kind
    if items is not None and kind in "fiu":
        bools = _bool_positions(items, arr)
        if bools:
            noun = "a boolean" if len(bools) == 1 else f"{len(bools)} booleans"
            raise DataTypeError(
                f"{func}: data must hold only real numbers, found {noun} at positions "
                f"{format_positions(bools)} (convert them explicitly, e.g. with float())",
                bools,
            )
    missing = None
    if kind == "O":
        missing = _check_objects(arr, func)
    elif is_extended(arr.dtype):
        raise _extended_error(func, arr.dtype, range(arr.size))
    elif kind == "b":
        raise DataTypeError(
            f"{func}: data must hold real numbers, got booleans "
            "(convert them explicitly, e.g. with numpy.asarray(data, dtype=float))",
            range(arr.size),
        )
    elif kind not in "fiu":
        raise (
            _positions_error(func, "other", list(range(arr.size)), arr[0])
            if arr.size
            else DataTypeError(
                f"{func}: data must hold real numbers, got an empty array of dtype {arr.dtype}"
            )
        )
    masked = column.missing
    if masked is not None:
        missing = masked if missing is None else missing | masked
    if missing is not None and not missing.any():
        missing = None
    return RealArray(arr, column, missing)


def _object_to_float(
    arr: npt.NDArray[Any], missing: npt.NDArray[np.bool_] | None, func: str
) -> FloatArray:
    """Convert a checked object array to float64, with NaN where values are missing."""
    out = np.full(arr.shape, np.nan)
    keep = np.ones(arr.shape, dtype=bool) if missing is None else ~missing
    values = arr[keep].tolist()
    try:
        out[keep] = [to_float(v) for v in values]
    except Exception:  # explain it: too large for a float, or a __float__ that raises
        positions: list[int] = np.flatnonzero(keep).tolist()
        raise _conversion_error(arr, positions, values, func) from None
    return out


def _conversion_error(
    arr: npt.NDArray[Any], positions: list[int], values: list[Any], func: str
) -> PreprocessingError:
    """The error for values whose float conversion overflowed or raised."""
    huge, failed, first_error = [], [], None
    for position, value in zip(positions, values, strict=True):
        try:
            to_float(value)
        except OverflowError:
            huge.append(position)
        except Exception as exc:
            failed.append(position)
            if first_error is None:
                first_error = exc
    if failed:
        return unconvertible_error(arr, failed, first_error, func)
    noun = "value" if len(huge) == 1 else "values"
    return InfiniteValueError(
        f"{prefix(func)}data contains {len(huge)} {noun} too large for a float "
        f"(beyond ±1.8e308) at positions {format_positions(huge)}",
        huge,
    )


def as_float_array(data: object, func: str) -> FloatInput:
    """Return ``data`` as a 1-D floating array, whether it is a fresh copy, and its record.

    Float arrays (and float Series, CPU tensors, Arrow and polars columns)
    come back without a copy; integer input becomes float64, and so do lists
    of Fractions or Decimals (correctly rounded). Missing markers (``None``,
    pandas ``NA``, nulls) and the masked entries of a masked array become NaN,
    to be reported by the caller's NaN check.

    Args:
        data: The input values.
        func: The public function's name, for messages.

    Returns:
        A :class:`FloatInput`: ``owned`` is ``True`` when ``values`` is a new
        buffer the caller may overwrite, ``False`` when it is the user's data.

    Raises:
        DataTypeError: ``data`` is not a sequence, holds booleans, strings or
            other non-numbers (the positions are in the error), or has
            extended precision (``numpy.longdouble``).
        DataShapeError: ``data`` is not one-dimensional.
        InfiniteValueError: values are too large for a float (``10**400``).

    Example:
        >>> floats = as_float_array([1, 2], "normalize")
        >>> floats.values.dtype.name, floats.owned, floats.column.kind
        ('float64', True, 'list')
    """
    real = as_real_array(data, func)
    return FloatInput(*to_floats(real, func), real)


def to_floats(real: RealArray, func: str) -> tuple[FloatArray, bool]:
    """The float values of checked data, and whether they are a new buffer.

    Args:
        real: The output of :func:`as_real_array`.
        func: The public function's name, for messages.

    Returns:
        ``(values, owned)`` as in :class:`FloatInput`.

    Raises:
        InfiniteValueError: values are too large for a float (``10**400``).

    Example:
        >>> to_floats(as_real_array([1, 2], "normalize"), "normalize")[0].tolist()
        [1.0, 2.0]
    """
    x, owned, missing = real.values, real.owned, real.missing
    if x.dtype.kind == "O":
        return _object_to_float(x, missing, func), True
    if x.dtype.kind in "iu":
        x, owned = x.astype(np.float64), True
    if missing is not None:  # the values under a mask are not data: make them NaN
        x = x if owned else x.copy()
        x[missing] = np.nan
        owned = True
    return x, owned


def floats_again(floats: FloatInput, func: str) -> FloatArray:
    """The float values once more, after the caller overwrote an owned ``floats.values``.

    Args:
        floats: The output of :func:`as_float_array`.
        func: The public function's name, for messages.

    Returns:
        The same values as ``floats.values`` had, in a new buffer.

    Example:
        >>> floats = as_float_array([1.5, 2.5], "standardize")
        >>> floats.values[:] = 0.0
        >>> floats_again(floats, "standardize").tolist()
        [1.5, 2.5]
    """
    real = floats.real
    if real.column.items is not None and real.values is floats.values:
        # The array made from a sequence's items was the buffer: read the items again.
        return as_float_array(real.column.items, func).values
    return to_floats(real, func)[0]
