"""Finding missing values: ``None``, NaN, pandas ``NA`` and ``NaT``."""

from __future__ import annotations

import sys
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["missing_mask"]

_FLOATISH = (float, complex, np.floating, np.complexfloating)


def _is_missing(value: object) -> bool:
    """Tell whether one element of an object array is a missing value (never raising)."""
    if value is None:
        return True
    try:
        if isinstance(value, _FLOATISH):
            return bool(np.isnan(value))
        if isinstance(value, np.datetime64 | np.timedelta64):
            return bool(np.isnat(value))
        if isinstance(value, Decimal):
            return value.is_nan()
    except Exception:  # a __class__ that raises, a float subclass's odd hooks: a value
        return False
    pd = sys.modules.get("pandas")
    return pd is not None and (value is pd.NA or value is pd.NaT)


def missing_mask(arr: npt.NDArray[Any]) -> npt.NDArray[np.bool_]:
    """Return a boolean mask of the missing entries of a 1-D array.

    Args:
        arr: A 1-D array of any dtype.

    Returns:
        ``True`` where the entry is ``None``, NaN, NaT or pandas ``NA``.

    Example:
        >>> missing_mask(np.array([1.0, np.nan])).tolist()
        [False, True]
    """
    kind = arr.dtype.kind
    mask: npt.NDArray[np.bool_]
    if kind in "fc":
        mask = np.isnan(arr)
    elif kind in "mM":
        mask = np.isnat(arr)
    elif kind == "O":
        mask = np.fromiter(map(_is_missing, arr), dtype=bool, count=arr.size)
    else:
        mask = np.zeros(arr.shape, dtype=bool)
    return mask
