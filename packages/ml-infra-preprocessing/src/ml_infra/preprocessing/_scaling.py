"""Min-max normalization and z-score standardization.

Both validate for free: the reductions they need anyway (min/max, mean)
come out NaN or infinite exactly when the data holds NaN or infinity, so the
fast path pays no extra pass. Results are computed in place in the output
buffer, so memory stays at the result plus at most one temporary. Large
arrays are processed in cache-sized blocks, split across threads
(see ``_parallel``).
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np
from ml_infra.preprocessing._errors import ConstantDataError, EmptyDataError, ParameterError
from ml_infra.preprocessing._nonfinite import NanPolicy, check_nan_policy, nonfinite_error
from ml_infra.preprocessing._numeric import (
    FloatArray,
    as_float_array,
    floats_again,
)
from ml_infra.preprocessing._parallel import run_split
from ml_infra.preprocessing._parameters import count_parameter, real_parameter
from ml_infra.preprocessing._text import safe_repr

__all__ = ["feature_range_parameter", "normalize", "standardize"]

# Large arrays are transformed in blocks that stay in the CPU cache between the
# two arithmetic steps (subtract, divide): one trip through main memory, not two.
_BLOCK = 1 << 16


def _shift_and_divide(x: FloatArray, out: FloatArray, shift: Any, divisor: Any) -> None:
    """Set ``out = (x - shift) / divisor``, blockwise (``out`` may be ``x``)."""
    for start in range(0, x.size, _BLOCK):
        block = out[start : start + _BLOCK]
        np.subtract(x[start : start + _BLOCK], shift, out=block)
        block /= divisor


def _block_min_max(x: FloatArray) -> tuple[Any, Any]:
    """Min and max in one trip through memory: each block is still cached for max."""
    if x.size <= _BLOCK:
        return x.min(), x.max()
    lows, highs = [], []
    for start in range(0, x.size, _BLOCK):
        block = x[start : start + _BLOCK]
        lows.append(block.min())
        highs.append(block.max())
    # np.min/np.max (unlike Python's min/max) propagate a NaN from any block.
    return np.min(lows), np.max(highs)


def _min_max(x: FloatArray) -> tuple[Any, Any]:
    """``(x.min(), x.max())``, split across threads for large arrays."""
    parts = run_split(x.size, lambda s: _block_min_max(x[s]))
    if len(parts) == 1:
        return parts[0]
    return np.min([lo for lo, _ in parts]), np.max([hi for _, hi in parts])


def feature_range_parameter(feature_range: object, func: str) -> tuple[float, float]:
    """Validate ``feature_range``: a pair ``(min, max)`` of finite reals with ``min < max``.

    Example:
        >>> feature_range_parameter((0, 1), "normalize")
        (0.0, 1.0)
    """
    pair: tuple[object, ...] = ()
    if isinstance(feature_range, list):  # the stored items: a subclass's hooks may lie
        pair = tuple(list.__iter__(feature_range))
    elif isinstance(feature_range, tuple):
        pair = tuple(tuple.__iter__(feature_range))
    if len(pair) != 2:
        raise ParameterError(
            f"{func}: feature_range must be a pair (min, max), got {safe_repr(feature_range)}"
        )
    low = real_parameter(pair[0], "feature_range[0]", func)
    high = real_parameter(pair[1], "feature_range[1]", func)
    if not low < high:
        raise ParameterError(
            f"{func}: feature_range must satisfy min < max, got {safe_repr(feature_range)}"
        )
    return low, high


def _finite_or_raise(x: FloatArray, func: str, nan_policy: NanPolicy) -> bool:
    """Handle a NaN/infinite reduction: raise, or return ``True`` to use nan-aware math.

    Returns ``False`` when every value is finite (the reduction overflowed).
    """
    error = nonfinite_error(x, func, nan_ok=nan_policy == "omit")
    if error is not None:
        raise error
    if nan_policy == "omit":
        missing = np.isnan(x)
        if bool(missing.all()):
            raise EmptyDataError(f"Cannot {func} empty data: every value is missing (NaN)")
        return bool(missing.any())
    return False


def normalize(
    data: Any,
    *,
    feature_range: tuple[float, float] = (0.0, 1.0),
    nan_policy: NanPolicy = "raise",
) -> Any:
    """Scale values linearly so that the minimum maps to 0 and the maximum to 1.

    Computes ``(x - min) / (max - min)`` (then maps ``[0, 1]`` onto
    ``feature_range``), identical to the plain NumPy expression. The result has
    the input's kind: a list of floats for a list, a tuple for a tuple, an
    ndarray for an ndarray (float dtypes kept, integers become float64), a
    Series with the same index and name for a Series, a tensor of the same
    float dtype for a tensor, a polars Series (same name) or an Arrow array for
    those (nulls stay null), an ndarray for any other array-like. The input is
    never modified.

    Args:
        data: A 1-D array-like of real numbers: list, tuple, NumPy array, pandas
            or polars Series, Arrow array, CPU tensor, or any ``__array__``/DLPack object.
        feature_range: The ``(min, max)`` the data is mapped onto.
        nan_policy: ``"raise"`` (default) rejects NaN/``None``; ``"omit"``
            ignores them when computing min and max and leaves them NaN.

    Returns:
        The normalized values, of the same kind as ``data``.

    Raises:
        EmptyDataError: ``data`` is empty ("Cannot normalize empty data").
        ConstantDataError: all values are identical.
        MissingValueError: ``data`` holds NaN/``None`` (positions in the error).
        InfiniteValueError: ``data`` holds infinity (positions in the error).
        DataTypeError: ``data`` is not a 1-D sequence of real numbers.
        DataShapeError: ``data`` is not one-dimensional.
        ParameterError: ``feature_range`` or ``nan_policy`` is invalid.

    Example:
        >>> normalize([1, 2, 3, 4, 5])
        [0.0, 0.25, 0.5, 0.75, 1.0]
        >>> normalize((0, 5, 10), feature_range=(-1, 1))
        (-1.0, 0.0, 1.0)
    """
    low, high = feature_range_parameter(feature_range, "normalize")
    nan_policy = check_nan_policy(nan_policy, "normalize")
    x, owned, real = as_float_array(data, "normalize")
    if x.size == 0:
        raise EmptyDataError("Cannot normalize empty data")
    largest = float(np.finfo(x.dtype).max)
    if max(abs(low), abs(high)) > largest:
        raise ParameterError(
            f"normalize: feature_range {safe_repr(feature_range)} does not fit in the data's "
            f"dtype {x.dtype.name} (largest value {largest:g})"
        )
    lo, hi = _min_max(x)
    if not (math.isfinite(lo) and math.isfinite(hi)):
        _finite_or_raise(x, "normalize", nan_policy)
        lo, hi = np.nanmin(x), np.nanmax(x)
    if lo == hi:
        raise ConstantDataError("All values are identical, cannot normalize")
    out = x if owned else np.empty_like(x)
    span = float(hi) - float(lo)  # a Python float: overflow gives inf, no warning
    if span <= largest:  # x - lo fits in x's dtype (float32, float16 too)
        run_split(x.size, lambda s: _shift_and_divide(x[s], out[s], lo, span))
    else:  # the range overflows: halve everything first
        np.multiply(x, 0.5, out=out)
        out -= lo * 0.5
        out /= hi * 0.5 - lo * 0.5
    if (low, high) != (0.0, 1.0):
        if high - low <= largest:
            out *= high - low
            out += low
        else:  # the target range overflows: low + t*(high - low) = 2*(low/2 + t*(high/2 - low/2))
            out *= high * 0.5 - low * 0.5
            out += low * 0.5
            out *= 2.0
    return real.column.wrap(out)


def _pow2_factor(x: FloatArray) -> float:
    """A power of two that brings the largest ``|x|`` near 1 (scaling by it is exact)."""
    biggest = max(abs(float(np.nanmin(x))), abs(float(np.nanmax(x))))
    if biggest == 0.0:
        return 1.0
    # Capped so that the factor itself stays finite in x's dtype (tiny subnormals).
    return math.ldexp(1.0, min(-math.frexp(biggest)[1], np.finfo(x.dtype).maxexp - 2))


def _mean(x: FloatArray, omit: bool) -> Any:
    """The mean of ``x`` (ignoring NaN when ``omit``); inf or NaN when it overflows."""
    with np.errstate(over="ignore", invalid="ignore"):
        return np.nanmean(x) if omit else x.mean()


class _Deviations(NamedTuple):
    """The sums of the deviations from a first mean (written to ``out`` by :func:`_deviations`)."""

    n: int
    total: float
    sum_sq: float


def _deviations(x: FloatArray, out: FloatArray, mean: Any, omit: bool, ddof: int) -> _Deviations:
    """Write ``x - mean`` into ``out``; return how many, their sum and their sum of squares."""
    with np.errstate(over="ignore", invalid="ignore"):
        np.subtract(x, mean, out=out)
        if omit:
            n = int(np.count_nonzero(~np.isnan(out)))
            total = float(np.nansum(out))
            sum_sq = float(np.nansum(np.square(out)))
        elif out.dtype == np.float64:
            n, total, sum_sq = out.size, float(out.sum()), float(np.dot(out, out))
        else:
            n = out.size
            total = float(np.add.reduce(out, dtype=np.float64))
            sum_sq = float(np.add.reduce(np.square(out), dtype=np.float64))
    if n <= ddof:
        why = " (a single value has no sample standard deviation)" if n == 1 else ""
        raise EmptyDataError(
            f"Cannot standardize: needs more than ddof={ddof} values, got {n}{why}"
        )
    return _Deviations(n, total, sum_sq)


def _squares_lost(x: FloatArray, dev: _Deviations) -> bool:
    """Whether the squared deviations overflowed, or underflowed enough to matter."""
    info = np.finfo(x.dtype)
    # Below this, squares lost to underflow (each < tiny) could matter at eps precision.
    floor = dev.n * float(info.tiny) / float(info.eps)
    if dev.sum_sq == 0.0:  # every square underflowed to zero, unless the data is constant
        return bool(np.nanmin(x) != np.nanmax(x))
    return not floor <= dev.sum_sq < math.inf


def _rescaled(x: FloatArray, out: FloatArray) -> FloatArray:
    """``x`` times a power of two that brings its largest magnitude near 1, into ``out``.

    z-scores do not change when the data is scaled by a power of two, and that
    scaling is exact, so the squared deviations of the result neither
    overflow nor underflow.
    """
    np.multiply(x, _pow2_factor(x), out=out)
    return out


def _scale(x: FloatArray, out: FloatArray, mean: Any, dev: _Deviations, ddof: int) -> None:
    """Turn the deviations in ``out`` into z-scores (corrected two-pass algorithm).

    The deviations' own mean (the rounding error of the first mean) is removed
    too, so the z-scores stay exact when the mean is large against the spread.
    """
    n = dev.n
    shift = dev.total / n
    sum_sq = max(dev.sum_sq - n * shift * shift, 0.0)
    std = math.sqrt(sum_sq / (n - ddof))
    # Identical values can leave rounding noise around the mean: confirm exactly.
    tiny = std <= 64 * float(np.finfo(x.dtype).eps) * abs(float(mean))
    if std == 0.0 or (tiny and np.nanmin(x) == np.nanmax(x)):
        raise ConstantDataError("Standard deviation is zero, cannot standardize")
    _shift_and_divide(out, out, shift, std)


def standardize(data: Any, *, ddof: int = 1, nan_policy: NanPolicy = "raise") -> Any:
    """Center values on their mean and divide by their standard deviation.

    Computes ``(x - mean) / std`` with the sample standard deviation
    (``ddof=1``, like :func:`statistics.stdev`) by default; ``ddof=0`` gives
    the population one (like :func:`statistics.pstdev` and scikit-learn's
    ``StandardScaler``). The result has the input's kind, as for
    :func:`normalize` (list, tuple, ndarray, Series with the same index and
    name, tensor, polars Series, Arrow array); the input is never modified.

    Args:
        data: A 1-D array-like of real numbers: list, tuple, NumPy array, pandas
            or polars Series, Arrow array, CPU tensor, or any ``__array__``/DLPack object.
        ddof: Delta degrees of freedom: the divisor is ``n - ddof``.
        nan_policy: ``"raise"`` (default) rejects NaN/``None``; ``"omit"``
            ignores them in mean and deviation and leaves them NaN.

    Returns:
        The z-scores, of the same kind as ``data``.

    Raises:
        EmptyDataError: ``data`` is empty, or has no more than ``ddof`` values
            (a single value with the default ``ddof=1``).
        ConstantDataError: the standard deviation is zero.
        MissingValueError: ``data`` holds NaN/``None`` (positions in the error).
        InfiniteValueError: ``data`` holds infinity (positions in the error).
        DataTypeError: ``data`` is not a 1-D sequence of real numbers.
        DataShapeError: ``data`` is not one-dimensional.
        ParameterError: ``ddof`` or ``nan_policy`` is invalid.

    Example:
        >>> standardize([1, 2, 3])
        [-1.0, 0.0, 1.0]
    """
    ddof = count_parameter(ddof, "ddof", "standardize")
    nan_policy = check_nan_policy(nan_policy, "standardize")
    floats = as_float_array(data, "standardize")
    x, owned = floats.values, floats.owned
    if x.size == 0:
        raise EmptyDataError("Cannot standardize empty data")
    out = x if owned else np.empty_like(x)
    mean = _mean(x, omit=False)
    # NaN or infinity make the mean non-finite; so does a sum that overflows.
    omit = not math.isfinite(mean) and _finite_or_raise(x, "standardize", nan_policy)
    if omit:
        mean = _mean(x, omit=True)
    dev = _deviations(x, out, mean, omit, ddof)
    if _squares_lost(x, dev):  # the explicit rescaling step
        if owned:  # out was the only copy of the values: convert them again
            x = floats_again(floats, "standardize")
        x = _rescaled(x, out)
        mean = _mean(x, omit)
        dev = _deviations(x, out, mean, omit, ddof)
    _scale(x, out, mean, dev, ddof)
    return floats.column.wrap(out)
