"""Percentile-based outlier clipping."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from ml_infra.preprocessing._errors import ParameterError
from ml_infra.preprocessing._nonfinite import NanPolicy, check_nan_policy, nonfinite_error
from ml_infra.preprocessing._numeric import (
    as_float_array,
)
from ml_infra.preprocessing._parameters import is_text, real_parameter
from ml_infra.preprocessing._text import describe, number_text, safe_repr

__all__ = ["clip_outliers", "percentile_parameters"]


def percentile_parameters(lower: object, upper: object, func: str) -> tuple[float, float]:
    """Validate a pair of percentiles: reals in ``[0, 100]``, the lower not above the upper.

    Example:
        >>> percentile_parameters(5, 95, "clip_outliers")
        (5.0, 95.0)
    """
    low = real_parameter(lower, "lower_percentile", func)
    high = real_parameter(upper, "upper_percentile", func)
    for name, value in (("lower_percentile", low), ("upper_percentile", high)):
        if not 0.0 <= value <= 100.0:
            raise ParameterError(f"{func}: {name} must be in [0, 100], got {number_text(value)}")
    if low > high:
        raise ParameterError(
            f"{func}: lower_percentile ({number_text(low)}) must not be greater than "
            f"upper_percentile ({number_text(high)})"
        )
    return low, high


def clip_outliers(
    data: Any,
    lower_percentile: float = 5,
    upper_percentile: float = 95,
    *,
    method: str = "linear",
    nan_policy: NanPolicy = "raise",
) -> Any:
    """Clip values to the given percentiles of the data.

    The bounds are ``numpy.percentile(data, [lower_percentile,
    upper_percentile], method=method)``; values below (above) the lower
    (upper) bound are replaced by it. The result has the input's kind, as for
    :func:`normalize` (list of floats, tuple, ndarray, Series with the same
    index and name, tensor, polars Series, Arrow array); the input is never
    modified. Empty input gives an empty result of the same kind.

    Args:
        data: A 1-D array-like of real numbers: list, tuple, NumPy array, pandas
            or polars Series, Arrow array, CPU tensor, or any ``__array__``/DLPack object.
        lower_percentile: Lower percentile, in ``[0, 100]``.
        upper_percentile: Upper percentile, in ``[lower_percentile, 100]``.
        method: Passed to :func:`numpy.percentile` (``"linear"``, ``"lower"``,
            ``"nearest"``, ``"median_unbiased"``, ...).
        nan_policy: ``"raise"`` (default) rejects NaN/``None``; ``"omit"``
            computes the percentiles without them and leaves them NaN.

    Returns:
        The clipped values, of the same kind as ``data``.

    Raises:
        ParameterError: a percentile is not a number, outside ``[0, 100]``,
            ``lower_percentile > upper_percentile``, or ``method`` is unknown.
        MissingValueError: ``data`` holds NaN/``None`` (positions in the error).
        InfiniteValueError: ``data`` holds infinity (positions in the error).
        DataTypeError: ``data`` is not a 1-D sequence of real numbers.
        DataShapeError: ``data`` is not one-dimensional.

    Example:
        >>> clip_outliers([1, 2, 3, 4, 100], 0, 75)
        [1.0, 2.0, 3.0, 4.0, 4.0]
    """
    low, high = percentile_parameters(lower_percentile, upper_percentile, "clip_outliers")
    nan_policy = check_nan_policy(nan_policy, "clip_outliers")
    if not is_text(method):
        raise ParameterError(f"clip_outliers: method must be a string, got {describe(method)}")
    method = str.__str__(method)  # a plain str: numpy compares it, not the caller's __eq__
    x, owned, real = as_float_array(data, "clip_outliers")
    column = real.column
    if x.size == 0:
        return column.wrap(x.astype(np.float64) if x.dtype.kind != "f" else x.copy())
    percentile = np.percentile
    if not (math.isfinite(x.min()) and math.isfinite(x.max())):
        error = nonfinite_error(x, "clip_outliers", nan_ok=nan_policy == "omit")
        if error is not None:
            raise error
        if bool(np.isnan(x).all()):  # nothing to compute percentiles from
            return column.wrap(x if owned else x.copy())
        percentile = np.nanpercentile
    try:
        with np.errstate(over="ignore", invalid="ignore"):
            bounds = percentile(x, [low, high], method=method)  # type: ignore[call-overload]
            if not np.isfinite(bounds).all():
                # NumPy interpolates in x's dtype: float32/float16 extremes overflow there.
                bounds = percentile(x.astype(np.float64), [low, high], method=method)  # type: ignore[call-overload]
    except (ValueError, TypeError) as exc:
        raise ParameterError(
            f"clip_outliers: method {safe_repr(method)} is not a numpy.percentile method ({exc})"
        ) from exc
    out = x if owned else np.empty_like(x)
    np.clip(x, bounds[0], bounds[1], out=out)
    return column.wrap(out)
