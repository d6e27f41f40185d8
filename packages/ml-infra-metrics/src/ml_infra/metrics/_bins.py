"""Fixed bins of ScoreHistogram: settings (``bins``, ``range``) and the bin of each score.

``N`` equal-width bins cover ``[low, high]``; bin ``b`` holds the scores in
``[low + b w, low + (b + 1) w)`` with ``w = (high - low) / N``, and the top
edge ``high`` belongs to the last bin. A score outside ``[low, high]`` is an
error: binning it into an end bin would silently mis-order it.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from ml_infra.metrics._errors import InvalidParameterError, InvalidScoresError
from ml_infra.metrics._parameters import as_float
from ml_infra.metrics._text import format_list, safe_repr

__all__ = ["MAX_BINS", "bin_index", "check_bins"]

#: The largest number of bins (512 MiB of float64 totals per class).
MAX_BINS = 1 << 26


def check_bins(
    bins: object, range_: object, func: str
) -> tuple[int | None, tuple[float, float] | None]:
    """Validate ``bins`` and ``range`` together.

    Args:
        bins: None (exact form) or the number of bins.
        range_: None, or the ``(low, high)`` interval of the bins.
        func: The public name, for messages.

    Returns:
        ``(None, None)`` for the exact form, else ``(bins, (low, high))``
        (default range ``(0.0, 1.0)``).

    Raises:
        InvalidParameterError: Not an int in [1, MAX_BINS], a range without
            bins, or a range that is not two finite numbers with low < high.

    Example:
        >>> check_bins(10, None, "ScoreHistogram")
        (10, (0.0, 1.0))
    """
    if bins is None:
        if range_ is not None:
            raise InvalidParameterError(
                f"{func}: range= applies to bins only, got range={safe_repr(range_)} with "
                "bins=None (the exact form takes any real score)"
            )
        return None, None
    if isinstance(bins, bool | np.bool_) or not isinstance(bins, int | np.integer):
        raise InvalidParameterError(f"{func}: bins must be None or an int, got {safe_repr(bins)}")
    if not 1 <= int(bins) <= MAX_BINS:
        raise InvalidParameterError(
            f"{func}: bins must be between 1 and {MAX_BINS}, got {safe_repr(bins)}"
        )
    if range_ is None:
        return int(bins), (0.0, 1.0)
    if not isinstance(range_, tuple | list) or len(range_) != 2:
        raise InvalidParameterError(
            f"{func}: range must be a (low, high) pair, got {safe_repr(range_)}"
        )
    low = as_float(range_[0], "range", "a pair of finite numbers, low < high", func)
    high = as_float(range_[1], "range", "a pair of finite numbers, low < high", func)
    if not (math.isfinite(low) and math.isfinite(high) and low < high):
        raise InvalidParameterError(
            f"{func}: range must be a pair of finite numbers with low < high, got "
            f"{safe_repr(range_)}"
        )
    return int(bins), (low, high)


def bin_index(
    scores: npt.NDArray[np.float64],
    lo: float,
    hi: float,
    bins: int,
    range_: tuple[float, float],
    func: str,
) -> npt.NDArray[np.intp]:
    """Return the bin of each score, or raise if one lies outside the range.

    The mapping never decreases with the score, so samples in different bins
    keep their order (what the ROC AUC error bound relies on).

    Args:
        scores: Validated finite scores.
        lo: Their minimum.
        hi: Their maximum.
        bins: The number of bins.
        range_: The ``(low, high)`` interval of the bins.
        func: The public name, for messages.

    Returns:
        Bin indices in ``[0, bins)``.

    Raises:
        InvalidScoresError: A score lies outside ``range_`` (the message says where).

    Example:
        >>> bin_index(np.array([0.0, 0.5, 1.0]), 0.0, 1.0, 4, (0.0, 1.0), "f").tolist()
        [0, 2, 3]
    """
    low, high = range_
    if lo < low or hi > high:
        outside = np.flatnonzero((scores < low) | (scores > high)).tolist()
        raise InvalidScoresError(
            f"{func}: scores must lie in the bins' range {list(range_)}, got "
            f"{len(outside)} value(s) outside at positions {format_list(outside)}, e.g. "
            f"{safe_repr(float(scores[outside[0]]))}; create the histogram with a wider "
            "range=, or bins=None"
        )
    index = ((scores - low) * (bins / (high - low))).astype(np.intp)
    np.minimum(index, bins - 1, out=index)
    return index
