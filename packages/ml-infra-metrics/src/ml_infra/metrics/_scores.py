"""Score arithmetic: one-vs-rest counts in, precision, recall and F-beta out.

This is the *reduce* step of every label-based score (validate -> count ->
reduce). The divisions, the ``zero_division`` substitution and the
NaN-ignoring averages follow ``sklearn.metrics.precision_recall_fscore_support``
step by step, so the results agree with scikit-learn's to the last bit in
practice (tested to 1e-12). Counts may be ``int64`` or, with sample weights,
``float64``; nothing here validates: callers pass checked options.

The record every reduction starts from is :class:`ClassCounts` (per-class true
positives, predictions and supports): a confusion table gives it through
:func:`one_vs_rest`, multilabel indicators give it directly, and ``classes=``
picks and orders its rows with :func:`select`.
"""

from __future__ import annotations

import math
from typing import Any, Final, Literal, NamedTuple

import numpy as np
import numpy.typing as npt

__all__ = [
    "AVERAGES",
    "Average",
    "Averaged",
    "ClassCounts",
    "Metric",
    "average_scores",
    "binary_score",
    "class_scores",
    "divide",
    "one_vs_rest",
    "score_from_counts",
    "select",
]

Averaged = Literal["binary", "micro", "macro", "weighted", "samples"]
Average = Averaged | None
Metric = Literal["precision", "recall", "f1_score", "fbeta_score"]
AVERAGES: Final = ("binary", "micro", "macro", "weighted", "samples", None)

FloatArray = npt.NDArray[np.float64]
#: Counts: ``int64`` without weights, ``float64`` with them.
CountArray = npt.NDArray[Any]


class ClassCounts(NamedTuple):
    """Per-class one-vs-rest counts: the sufficient statistics of every score.

    Attributes:
        classes: The classes, one per entry of the arrays below.
        true_positives: Samples of the class predicted as it (weighted sums with weights).
        predicted: Samples predicted as the class (column sums of a confusion table).
        actual: Samples truly of the class, the support (row sums).

    Example:
        >>> one_vs_rest(np.array(["a", "b"]), np.array([[1, 1], [0, 2]])).predicted.tolist()
        [1, 3]
    """

    classes: npt.NDArray[Any]
    true_positives: CountArray
    predicted: CountArray
    actual: CountArray


def one_vs_rest(classes: npt.NDArray[Any], counts: CountArray) -> ClassCounts:
    """Per-class one-vs-rest counts of a square confusion table.

    Args:
        classes: The classes of the rows and columns.
        counts: Square confusion counts (rows true, columns predicted).

    Returns:
        The diagonal, the column sums and the row sums (the supports).

    Example:
        >>> stats = one_vs_rest(np.array([0, 1]), np.array([[1, 1], [0, 2]]))
        >>> stats.true_positives.tolist(), stats.actual.tolist()
        ([1, 2], [2, 2])
    """
    return ClassCounts(classes, np.diagonal(counts).copy(), counts.sum(axis=0), counts.sum(axis=1))


def select(
    stats: ClassCounts, wanted: npt.NDArray[Any], index: npt.NDArray[np.intp]
) -> ClassCounts:
    """Pick and order classes of ``stats``, as scikit-learn's ``labels=``.

    A class absent from the data (index -1) gets zero counts; the counts of
    the other classes keep every sample (unpicked classes still count as
    negatives), as in ``sklearn.metrics.multilabel_confusion_matrix``.

    Args:
        stats: Counts over the classes present.
        wanted: The classes asked for, in the order wanted.
        index: Position of each wanted class in ``stats.classes``, -1 if absent.

    Returns:
        The counts over ``wanted``.

    Example:
        >>> stats = one_vs_rest(np.array([0, 1]), np.array([[1, 1], [0, 2]]))
        >>> select(stats, np.array([1, 5]), np.array([1, -1])).actual.tolist()
        [2, 0]
    """
    present = index >= 0
    safe = np.where(present, index, 0)

    def pick(values: CountArray) -> CountArray:
        picked: CountArray = (
            np.where(present, values[safe], 0)
            if values.shape[0]
            else (np.zeros(index.shape[0], dtype=values.dtype))
        )
        return picked.astype(values.dtype, copy=False)

    return ClassCounts(
        wanted, pick(stats.true_positives), pick(stats.predicted), pick(stats.actual)
    )


def divide(
    numerator: npt.NDArray[Any], denominator: CountArray, zero_division: float
) -> FloatArray:
    """Divide elementwise; where the denominator is 0 the result is ``zero_division``.

    Args:
        numerator: Counts (or scaled counts for F-beta).
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


def class_scores(
    metric: Metric,
    true_positives: CountArray,
    predicted: CountArray,
    actual: CountArray,
    zero_division: float,
    beta: float = 1.0,
) -> FloatArray:
    """Per-class precision, recall or F-beta from one-vs-rest counts.

    Args:
        metric: Which score (``"f1_score"`` is F-beta with ``beta=1``).
        true_positives: Per-class true positives.
        predicted: Per-class number of predictions (column sums).
        actual: Per-class number of true labels, the support (row sums).
        zero_division: The value of an undefined ratio.
        beta: Weight of recall in F-beta (0 gives precision, inf gives recall).

    Returns:
        One float64 score per class.

    Example:
        >>> class_scores("f1_score", np.array([1]), np.array([2]), np.array([1]), 0.0).tolist()
        [0.6666666666666666]
    """
    if metric == "precision" or (metric == "fbeta_score" and beta == 0.0):
        return divide(true_positives, predicted, zero_division)
    if metric == "recall" or math.isinf(beta):
        return divide(true_positives, actual, zero_division)
    # scikit-learn: (1 + beta**2) * tp / (beta**2 * true_sum + pred_sum).
    beta2 = beta**2
    denominator = beta2 * actual.astype(np.float64) + predicted.astype(np.float64)
    return divide((1 + beta2) * true_positives.astype(np.float64), denominator, zero_division)


def binary_score(
    metric: Metric,
    true_positives: float,
    predicted: float,
    actual: float,
    zero_division: float,
    beta: float = 1.0,
) -> float:
    """One-vs-rest score of one class from its three counts.

    Args:
        metric: Which score.
        true_positives: True positives of the class (int, or float when weighted).
        predicted: Number (or weight) of predictions of the class.
        actual: Number (or weight) of true labels of the class.
        zero_division: The value of an undefined ratio.
        beta: Weight of recall in F-beta.

    Returns:
        The score as a Python float (scikit-learn's float64 value: counts below
        2**53 convert to float exactly and each operation rounds as numpy's).

    Example:
        >>> binary_score("recall", 3, 4, 6, 0.0)
        0.5
    """
    if metric == "precision" or (metric == "fbeta_score" and beta == 0.0):
        numerator, denominator = float(true_positives), float(predicted)
    elif metric == "recall" or math.isinf(beta):
        numerator, denominator = float(true_positives), float(actual)
    else:
        beta2 = beta**2
        numerator = (1 + beta2) * float(true_positives)
        denominator = beta2 * float(actual) + float(predicted)
    if denominator == 0:
        return zero_division
    return numerator / denominator


def average_scores(scores: FloatArray, weights: CountArray | None) -> float:
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


def score_from_counts(
    metric: Metric,
    stats: ClassCounts,
    average: Average,
    zero_division: float,
    beta: float = 1.0,
    positive: int = -1,
) -> float | dict[Any, float]:
    """Reduce one-vs-rest counts to one score (validated arguments in).

    ``"samples"`` is not handled here: it needs per-sample counts (see
    ``_multilabel``).

    Args:
        metric: Which score.
        stats: The per-class counts (already restricted to ``classes=`` if given).
        average: ``"binary"`` (then ``positive`` is the row scored), ``"micro"``,
            ``"macro"``, ``"weighted"`` or None.
        zero_division: The validated value of undefined ratios.
        beta: Weight of recall in F-beta.
        positive: Row of the positive class, for ``average="binary"``.

    Returns:
        A float, or ``{class: score}`` when ``average`` is None.

    Example:
        >>> stats = one_vs_rest(np.array([0, 1]), np.array([[1, 1], [0, 2]]))
        >>> score_from_counts("recall", stats, "binary", 0.0, positive=0)
        0.5
    """
    tp, predicted, actual = stats.true_positives, stats.predicted, stats.actual
    if average == "binary":
        return binary_score(
            metric,
            tp[positive].item(),
            predicted[positive].item(),
            actual[positive].item(),
            zero_division,
            beta,
        )
    if average == "micro":
        return binary_score(
            metric,
            tp.sum().item(),
            predicted.sum().item(),
            actual.sum().item(),
            zero_division,
            beta,
        )
    scores = class_scores(metric, tp, predicted, actual, zero_division, beta)
    if average is None:
        return dict(zip(stats.classes.tolist(), scores.tolist(), strict=True))
    return average_scores(scores, actual if average == "weighted" else None)
