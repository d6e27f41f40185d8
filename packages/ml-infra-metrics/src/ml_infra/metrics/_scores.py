"""Precision, recall and F1 from confusion counts, with scikit-learn's arithmetic.

The divisions, the ``zero_division`` substitution and the NaN-ignoring averages
follow ``sklearn.metrics.precision_recall_fscore_support`` step by step, so the
results agree with scikit-learn's to the last bit in practice (tested to 1e-12).
"""

from __future__ import annotations

import math
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt

__all__ = [
    "AVERAGES",
    "Average",
    "Averaged",
    "Metric",
    "average_scores",
    "binary_score",
    "class_scores",
    "divide",
    "one_vs_rest",
]

Averaged = Literal["binary", "micro", "macro", "weighted"]
Average = Averaged | None
Metric = Literal["precision", "recall", "f1_score"]
AVERAGES: Final = ("binary", "micro", "macro", "weighted", None)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def divide(
    numerator: npt.NDArray[Any], denominator: IntArray | FloatArray, zero_division: float
) -> FloatArray:
    """Divide elementwise; where the denominator is 0 the result is ``zero_division``.

    Args:
        numerator: Counts (or doubled counts for F1).
        denominator: Counts of the same shape.
        zero_division: The value of an undefined ratio (0.0, 1.0 or NaN).

    Returns:
        The float64 ratios.

    Example:
        >>> divide(np.array([1, 0]), np.array([2, 0]), 1.0).tolist()
        [0.5, 1.0]
    """
    mask = denominator == 0
    safe = np.asarray(denominator, dtype=np.float64).copy()
    safe[mask] = 1.0
    result = np.asarray(numerator, dtype=np.float64) / safe
    result[mask] = zero_division
    return result


def one_vs_rest(counts: IntArray) -> tuple[IntArray, IntArray, IntArray]:
    """Per-class one-vs-rest counts of a confusion table.

    Args:
        counts: Square confusion counts (rows true, columns predicted).

    Returns:
        ``(true_positives, predicted, actual)``: the diagonal, the column sums
        and the row sums (the supports).

    Example:
        >>> [a.tolist() for a in one_vs_rest(np.array([[1, 1], [0, 2]]))]
        [[1, 2], [1, 3], [2, 2]]
    """
    return np.diagonal(counts).astype(np.int64), counts.sum(axis=0), counts.sum(axis=1)


def class_scores(
    metric: Metric,
    true_positives: IntArray,
    predicted: IntArray,
    actual: IntArray,
    zero_division: float,
) -> FloatArray:
    """Per-class precision, recall or F1 from one-vs-rest counts.

    Args:
        metric: Which score.
        true_positives: Per-class true positives.
        predicted: Per-class number of predictions (column sums).
        actual: Per-class number of true labels, the support (row sums).
        zero_division: The value of an undefined ratio.

    Returns:
        One float64 score per class.

    Example:
        >>> class_scores("f1_score", np.array([1]), np.array([2]), np.array([1]), 0.0).tolist()
        [0.6666666666666666]
    """
    if metric == "precision":
        return divide(true_positives, predicted, zero_division)
    if metric == "recall":
        return divide(true_positives, actual, zero_division)
    # scikit-learn: (1 + beta**2) * tp / (beta**2 * true_sum + pred_sum) with beta = 1.
    denominator = actual.astype(np.float64) + predicted.astype(np.float64)
    return divide(2.0 * true_positives.astype(np.float64), denominator, zero_division)


def average_scores(scores: FloatArray, weights: IntArray | None) -> float:
    """Average per-class scores ignoring NaN, like scikit-learn's ``_nanaverage``.

    Args:
        scores: Per-class scores (NaN where undefined and ``zero_division`` is NaN).
        weights: Per-class supports for ``"weighted"``, None for ``"macro"``.

    Returns:
        The mean (NaN when every score is NaN or there is none). When the
        weights of the defined scores sum to zero, their plain mean.

    Example:
        >>> average_scores(np.array([1.0, np.nan, 0.0]), None)
        0.5
    """
    defined = ~np.isnan(scores)
    if not defined.any():
        return math.nan
    if weights is None:
        return float(np.nanmean(scores))
    kept_weights = weights[defined]
    if kept_weights.sum() == 0:
        return float(np.mean(scores[defined]))
    return float(np.average(scores[defined], weights=kept_weights))


def binary_score(
    metric: Metric, true_positives: int, predicted: int, actual: int, zero_division: float
) -> float:
    """One-vs-rest score of one class from its three counts.

    Args:
        metric: Which score.
        true_positives: True positives of the class.
        predicted: Number of predictions of the class.
        actual: Number of true labels of the class.
        zero_division: The value of an undefined ratio.

    Returns:
        The score as a Python float (exactly scikit-learn's float64 value:
        counts below 2**53 convert to float exactly and division rounds once).

    Example:
        >>> binary_score("recall", 3, 4, 6, 0.0)
        0.5
    """
    if metric == "precision":
        denominator = predicted
        numerator = true_positives
    elif metric == "recall":
        denominator = actual
        numerator = true_positives
    else:
        denominator = actual + predicted
        numerator = 2 * true_positives
    if denominator == 0:
        return zero_division
    return numerator / denominator
