"""Reading quantiles off a :class:`QuantileSketch`'s kept values, each standing for ``2**level``.

The kept values are sorted once with their weights; the value at 0-based
position ``p`` of the sorted data is the first whose cumulative weight
exceeds ``p``, and a quantile interpolates linearly between the values at the
positions around it, as ``numpy.quantile`` (method ``"linear"``) does. The
ends are the exact minimum and maximum, which the sketch keeps.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from ml_infra.preprocessing._numeric import FloatArray

__all__ = ["estimate"]


def estimate(
    levels: list[FloatArray], n: int, extremes: tuple[float, float], q: FloatArray
) -> FloatArray:
    """Estimate the quantiles ``q`` (checked, in ``[0, 1]``) of ``n >= 1`` values.

    Args:
        levels: The kept values of each level (level ``h`` weighs ``2**h``).
        n: How many values the sketch has seen (the weights add up to it).
        extremes: The exact minimum and maximum seen.
        q: The quantiles.

    Returns:
        One estimate per quantile, within ``[min, max]``.

    Example:
        >>> estimate([np.array([1.0, 2.0, 3.0])], 3, (1.0, 3.0), np.array([0.25])).tolist()
        [1.5]
    """
    values = np.concatenate(levels)
    weights = np.concatenate(
        [np.full(level.size, 1 << h, dtype=np.int64) for h, level in enumerate(levels)]
    )
    order = np.argsort(values, kind="stable")
    values, cumulative = values[order], np.cumsum(weights[order])
    t = q * (n - 1)  # fractional 0-based position, as numpy.quantile "linear"
    low, high = np.floor(t), np.ceil(t)
    below = _at(values, cumulative, low, n, extremes)
    above = _at(values, cumulative, high, n, extremes)
    return np.clip(_lerp(below, above, t - low), *extremes)


def _at(
    values: FloatArray,
    cumulative: npt.NDArray[np.int64],
    position: FloatArray,
    n: int,
    extremes: tuple[float, float],
) -> FloatArray:
    """The kept value standing at each 0-based sorted position; exact at both ends."""
    index = np.searchsorted(cumulative, position + 1, side="left")
    found: FloatArray = values[np.minimum(index, values.size - 1)]
    found[position == 0] = extremes[0]
    found[position == n - 1] = extremes[1]
    return found


def _lerp(a: FloatArray, b: FloatArray, t: FloatArray) -> FloatArray:
    """``a + (b - a) * t`` the way ``numpy.quantile`` computes it (from ``b`` when ``t >= 0.5``).

    Example:
        >>> _lerp(np.array([0.0, 4.0]), np.array([10.0, 8.0]), np.array([0.25, 0.5])).tolist()
        [2.5, 6.0]
    """
    diff = b - a
    out: FloatArray = np.where(t >= 0.5, b - diff * (1 - t), a + diff * t)
    return out
