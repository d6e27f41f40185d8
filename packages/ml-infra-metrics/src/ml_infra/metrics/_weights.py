"""Sample weights: the caller's ``sample_weight`` in, a float64 array (or None) out.

Weights follow scikit-learn's meaning (each sample counts ``weight`` times,
so weighted counts are float64 sums) but are checked strictly: one weight per
sample, real numbers (not bools, strings or objects), finite and not negative.
scikit-learn accepts negative weights in its metrics and returns whatever the
arithmetic gives; here they are an error, because a negative count has no
meaning for precision or recall. Cost: one conversion, one min/max pair.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt
from ml_infra.metrics._errors import (
    InvalidInputTypeError,
    InvalidWeightsError,
    LengthMismatchError,
)
from ml_infra.metrics._labels import read_column
from ml_infra.metrics._text import format_list, safe_repr

__all__ = ["Weights", "as_weights"]

#: Validated weights: one float64 per sample, or None for unweighted counts.
Weights = npt.NDArray[np.float64] | None

_NAME = "sample_weight"


def as_weights(
    sample_weight: object, n: int, func: str, *, all_zero_allowed: bool = False
) -> Weights:
    """Return ``sample_weight`` as float64 weights, one per sample, or raise.

    Args:
        sample_weight: None, or a list, tuple, 1-D ndarray or pandas Series of
            non-negative finite real numbers.
        n: The number of samples.
        func: The public function's name, for messages.
        all_zero_allowed: Accept weights that are all zero (an accumulator's
            batch); a one-shot score refuses them, as scikit-learn does.

    Returns:
        None for None, else a float64 array of length ``n`` (possibly
        ``sample_weight`` itself: never write to it).

    Raises:
        InvalidInputTypeError: Not a 1-D sequence of real numbers (bools,
            strings and objects are refused).
        InvalidShapeError: Not one-dimensional.
        LengthMismatchError: Not one weight per sample.
        InvalidWeightsError: NaN, infinite or negative weights (the message says
            where), or only zeros unless ``all_zero_allowed``.

    Example:
        >>> as_weights([1, 0.5], 2, "accuracy").tolist()
        [1.0, 0.5]
        >>> as_weights(None, 2, "accuracy") is None
        True
    """
    if sample_weight is None:
        return None
    raw = read_column(sample_weight, _NAME, func)
    if isinstance(sample_weight, list | tuple) and raw.dtype.kind != "O":
        # numpy reads [1.0, True] as floats: look for bools where they can hide.
        raw = _refuse_bools(sample_weight, raw, func)
    weights = _as_float64(raw, func)
    if weights.shape[0] != n:
        raise LengthMismatchError(
            f"{func}: sample_weight must hold one weight per sample, got "
            f"{weights.shape[0]} weights for {n} samples"
        )
    if n == 0:
        return weights
    lo, hi = float(weights.min()), float(weights.max())
    if math.isnan(lo) or math.isnan(hi):
        raise _bad(weights, np.isnan(weights), "NaN (missing)", func)
    if math.isinf(lo) or math.isinf(hi):
        raise _bad(weights, np.isinf(weights), "infinite", func)
    if lo < 0:
        raise _bad(weights, weights < 0, "negative", func)
    if hi == 0 and not all_zero_allowed:
        raise InvalidWeightsError(
            f"{func}: sample_weight must hold at least one positive weight, got {n} zeros"
        )
    return weights


def _refuse_bools(
    values: list[Any] | tuple[Any, ...], raw: npt.NDArray[Any], func: str
) -> npt.NDArray[Any]:
    """Raise if a list of numbers hides a bool; else return ``raw``."""
    if raw.dtype.kind in "iuf" and any(isinstance(v, bool | np.bool_) for v in values):
        return _as_float64(np.fromiter(values, dtype=object, count=len(values)), func)
    return raw


def _as_float64(raw: npt.NDArray[Any], func: str) -> npt.NDArray[np.float64]:
    """Convert integer or float weights to float64; refuse bools, strings and objects."""
    kind = raw.dtype.kind
    if kind == "O":
        values = raw.tolist()
        odd = [
            i
            for i, v in enumerate(values)
            if isinstance(v, bool | np.bool_) or not isinstance(v, int | float | np.number)
        ]
        if not odd:
            try:
                return np.array(values, dtype=np.float64)
            except OverflowError:  # an int beyond the float range
                odd = [i for i, v in enumerate(values) if isinstance(v, int) and abs(v) > 2**1023]
        first = values[odd[0]]
        raise InvalidInputTypeError(
            f"{func}: sample_weight must hold real numbers, got {type(first).__name__} "
            f"{safe_repr(first)} at position {odd[0]} ({len(odd)} such value(s) at positions "
            f"{format_list(odd)})"
        )
    if kind in "iuf":
        return raw.astype(np.float64, copy=False)
    raise InvalidInputTypeError(
        f"{func}: sample_weight must hold real numbers (ints or floats), "
        f"got an array of dtype {raw.dtype}"
    )


def _bad(
    weights: npt.NDArray[np.float64], where: npt.NDArray[np.bool_], what: str, func: str
) -> InvalidWeightsError:
    positions = np.flatnonzero(where).tolist()
    return InvalidWeightsError(
        f"{func}: sample_weight holds {len(positions)} {what} weight(s) at positions "
        f"{format_list(positions)}, e.g. {safe_repr(weights[positions[0]].item())}; "
        "weights must be finite and not negative"
    )
