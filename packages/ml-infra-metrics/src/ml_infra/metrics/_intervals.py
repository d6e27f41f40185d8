"""Wilson score intervals for proportions (accuracy, precision, recall).

The Wilson interval (Wilson 1927; the ``method="wilson"`` of statsmodels'
``proportion_confint`` and of ``scipy.stats.binomtest(...).proportion_ci``)
keeps its coverage near the nominal level for small samples and proportions
near 0 or 1, where the normal ("Wald") interval fails, and never leaves [0, 1].

With sample weights the proportion is the weighted one and ``n`` is Kish's
effective sample size ``(sum w)**2 / sum w**2`` of the samples in the
denominator: equal weights give back the plain count, uneven weights shrink it
and widen the interval. That is an approximation (it treats the weights as
fixed design weights, independent of the outcome), the usual one for survey
proportions; without weights the interval is exactly Wilson's.
"""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import NamedTuple

from ml_infra.metrics._errors import InvalidParameterError
from ml_infra.metrics._parameters import as_float
from ml_infra.metrics._text import safe_repr

__all__ = ["ConfidenceInterval", "check_level", "wilson"]


class ConfidenceInterval(NamedTuple):
    """A confidence interval for a proportion; unpacks as ``(low, high)``.

    Attributes:
        low: The lower bound, in [0, 1].
        high: The upper bound, in [0, 1].

    Example:
        >>> ConfidenceInterval(0.25, 0.75).high
        0.75
    """

    low: float
    high: float


def check_level(level: object, func: str) -> float:
    """Return ``level`` as a float strictly between 0 and 1, else raise.

    Args:
        level: The caller's confidence level (e.g. 0.95).
        func: The public function's name, for messages.

    Returns:
        The validated level.

    Raises:
        InvalidParameterError: Not a real number in (0, 1).

    Example:
        >>> check_level(0.9, "ConfusionMatrix.confidence_interval")
        0.9
    """
    expected = "a real number between 0 and 1 (exclusive), such as 0.95"
    value = as_float(level, "level", expected, func)
    if not 0.0 < value < 1.0:
        raise InvalidParameterError(f"{func}: level must be {expected}, got {safe_repr(level)}")
    return value


def wilson(successes: float, total: float, n_effective: float, level: float) -> ConfidenceInterval:
    """The Wilson score interval of ``successes / total`` with ``n_effective`` observations.

    Args:
        successes: The (weighted) count of successes.
        total: The (weighted) count of trials; 0 gives the whole [0, 1].
        n_effective: The sample size of the interval: ``total`` without
            weights, Kish's effective size with them.
        level: The confidence level, in (0, 1).

    Returns:
        The interval, clipped to [0, 1] against rounding.

    Example:
        >>> low, high = wilson(8.0, 10.0, 10.0, 0.95)
        >>> round(low, 4), round(high, 4)
        (0.4902, 0.9433)
    """
    if total == 0 or n_effective == 0:
        return ConfidenceInterval(0.0, 1.0)
    p = successes / total
    z = NormalDist().inv_cdf(1.0 - (1.0 - level) / 2.0)
    z2 = z * z
    denominator = 1.0 + z2 / n_effective
    center = (p + z2 / (2.0 * n_effective)) / denominator
    half = z * math.sqrt(p * (1.0 - p) / n_effective + z2 / (4.0 * n_effective**2)) / denominator
    return ConfidenceInterval(max(0.0, center - half), min(1.0, center + half))
