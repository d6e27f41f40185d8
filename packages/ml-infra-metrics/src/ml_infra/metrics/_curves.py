"""The ranking engine: weighted positive and negative totals per distinct score, then curves.

Every ranking metric (ROC and precision-recall curves, ROC AUC, average
precision), one-shot or accumulated by :class:`ScoreHistogram`, reduces the
same record: the distinct scores in decreasing order with the weight of the
positives and negatives scoring at least each of them (:class:`Counts`). The
one-shot path builds it with one sort (stable for curves, ties in input
order as scikit-learn sorts; any order of ties for an area, which only reads
totals per distinct score); the histogram builds it from its per-score totals. The reductions
follow scikit-learn 1.9's formulas.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
from ml_infra.metrics._errors import EmptyInputError, SingleClassError, UnknownClassError
from ml_infra.metrics._text import format_list, safe_repr

__all__ = [
    "Counts",
    "PrecisionRecallCurve",
    "RocCurve",
    "average_precision",
    "check_both_classes",
    "counts_at_thresholds",
    "counts_from_totals",
    "pr_curve",
    "rank_auc",
    "roc_auc",
    "roc_curve_points",
]

Floats = npt.NDArray[np.float64]


class RocCurve(NamedTuple):
    """A ROC curve: unpacks as ``fpr, tpr, thresholds``, like scikit-learn's tuple."""

    #: False positive rate at each threshold, increasing from 0.0 to 1.0.
    fpr: npt.NDArray[np.float64]
    #: True positive rate at each threshold, increasing from 0.0 to 1.0.
    tpr: npt.NDArray[np.float64]
    #: Decreasing score thresholds; the first is ``inf`` (nothing predicted positive).
    thresholds: npt.NDArray[np.float64]


class PrecisionRecallCurve(NamedTuple):
    """A precision-recall curve: unpacks as ``precision, recall, thresholds``."""

    #: Precision at each threshold (increasing thresholds), then a final 1.0.
    precision: npt.NDArray[np.float64]
    #: Recall at each threshold (decreasing), then a final 0.0.
    recall: npt.NDArray[np.float64]
    #: Increasing score thresholds (one fewer than precision and recall).
    thresholds: npt.NDArray[np.float64]


class Counts(NamedTuple):
    """Distinct scores (decreasing) and the weight of samples scoring at least each."""

    thresholds: Floats
    tps: Floats  # weight of positives scoring >= threshold
    fps: Floats  # weight of negatives scoring >= threshold


def counts_at_thresholds(
    scores: npt.NDArray[np.floating[Any]],
    positive: npt.NDArray[np.bool_],
    weights: Floats | None,
    *,
    stable: bool = True,
) -> Counts:
    """Sort once (decreasing) and count per distinct score, as scikit-learn does.

    Zero-weight samples are dropped first (they add no threshold), then the
    scores are sorted in decreasing order, and the cumulative positive and
    negative weights are read at the last sample of each distinct score.

    Args:
        scores: Validated finite scores.
        positive: Which samples are positive.
        weights: Validated weights, or None.
        stable: Keep tied samples in input order, as scikit-learn 1.9 sorts
            (``argsort(stable=True, descending=True)``): the weighted running
            sums then add in scikit-learn's order, bit for bit, so
            ``drop_intermediate`` (which tests those sums for exact
            collinearity) keeps the same thresholds. An area needs only the
            totals per distinct score: ``False`` lets numpy's fastest (SIMD)
            sort run; the counts differ in the last bits of weighted sums at most.

    Returns:
        The counts (empty arrays for empty input).

    Example:
        >>> c = counts_at_thresholds(np.array([0.1, 0.4, 0.4]), np.array([0, 1, 0], bool), None)
        >>> c.thresholds.tolist(), c.tps.tolist(), c.fps.tolist()
        ([0.4, 0.1], [1.0, 1.0], [1.0, 2.0])
    """
    if weights is not None:
        keep = weights != 0
        if not keep.all():
            scores, positive, weights = scores[keep], positive[keep], weights[keep]
    n = scores.shape[0]
    if n == 0:
        empty = np.empty(0, dtype=np.float64)
        return Counts(empty, empty, empty)
    # stable: ties in input order (scikit-learn 1.9's stable descending argsort)
    order = np.argsort(-scores, kind="stable") if stable else np.argsort(scores)[::-1]
    ordered = scores[order]
    ends = np.flatnonzero(ordered[1:] != ordered[:-1])
    ends = np.append(ends, n - 1)
    hits = positive[order]
    if weights is None:
        tps = np.cumsum(hits, dtype=np.int64)[ends].astype(np.float64)
        fps = (ends + 1) - tps
    else:
        y = hits.astype(np.float64)
        w = weights[order]
        tps = np.cumsum(y * w)[ends]
        fps = np.cumsum((1 - y) * w)[ends]
    return Counts(ordered[ends].astype(np.float64), tps, fps)


def counts_from_totals(scores: Floats, positives: Floats, negatives: Floats) -> Counts:
    """Build the counts from per-score totals (increasing distinct scores), as a histogram keeps.

    Args:
        scores: Increasing distinct scores (or bin edges).
        positives: Weight of the positives at each score.
        negatives: Weight of the negatives at each score.

    Returns:
        The counts, over the scores that hold any weight.

    Example:
        >>> c = counts_from_totals(np.array([0.1, 0.4]), np.array([0.0, 1.0]), np.array([1.0, 1.0]))
        >>> c.tps.tolist(), c.fps.tolist()
        ([1.0, 1.0], [1.0, 2.0])
    """
    held = (positives != 0) | (negatives != 0)
    return Counts(
        scores[held][::-1].copy(),
        np.cumsum(positives[held][::-1]),
        np.cumsum(negatives[held][::-1]),
    )


def check_both_classes(
    counts: Counts,
    labels: npt.NDArray[Any] | None,
    positive_class: object,
    func: str,
    *,
    positives: bool = True,
    negatives: bool = True,
) -> None:
    """Raise unless the counts hold any weight, and positive and negative weight if asked.

    Args:
        counts: The counts.
        labels: The validated labels (for the message), or None (an accumulator).
        positive_class: The caller's ``positive_class``.
        func: The public function's name, for messages.
        positives: Whether positive samples are needed.
        negatives: Whether negative samples are needed.

    Raises:
        EmptyInputError: No sample (of non-zero weight).
        UnknownClassError: ``positive_class`` is none of several classes in ``labels``.
        SingleClassError: Only one of the two classes has weight.

    Example:
        >>> counts = counts_at_thresholds(np.array([0.5]), np.array([True]), None)
        >>> check_both_classes(counts, None, 1, "f", negatives=False)
    """
    if counts.tps.shape[0] == 0:
        raise EmptyInputError(f"{func}: there are no samples (of non-zero weight) to score")
    missing = "positive" if positives and counts.tps[-1] <= 0 else None
    if missing is None and negatives and counts.fps[-1] <= 0:
        missing = "negative"
    if missing is None:
        return
    present = [] if labels is None else np.unique(labels).tolist()
    if missing == "positive" and len(present) > 1:
        raise UnknownClassError(
            f"{func}: positive_class={safe_repr(positive_class)} occurs nowhere in labels "
            f"(with non-zero weight); the classes in labels are {format_list(present)}. "
            "Pass the class the scores are for as positive_class"
        )
    seen = f"; labels hold only {format_list(present)}" if present else ""
    raise SingleClassError(
        f"{func}: needs both positive and negative samples, got no {missing} samples "
        f"(positive_class={safe_repr(positive_class)}{seen}); the score is undefined "
        "for a single class"
    )


def roc_curve_points(counts: Counts, drop_intermediate: bool) -> RocCurve:
    """scikit-learn's ``roc_curve`` from counts holding both classes.

    Args:
        counts: Counts with positive and negative weight.
        drop_intermediate: Drop the thresholds of collinear points.

    Returns:
        ``(fpr, tpr, thresholds)``.

    Example:
        >>> roc_curve_points(Counts(np.array([0.9]), np.array([1.0]), np.array([1.0])), True).fpr
        array([0., 1.])
    """
    fps, tps, thresholds = counts.fps, counts.tps, counts.thresholds
    if drop_intermediate and fps.shape[0] > 2:
        corner = np.logical_or(np.diff(fps, 2), np.diff(tps, 2))
        keep = np.flatnonzero(np.concatenate(([True], corner, [True])))
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    fps = np.concatenate(([0.0], fps))
    tps = np.concatenate(([0.0], tps))
    return RocCurve(fps / fps[-1], tps / tps[-1], np.concatenate(([np.inf], thresholds)))


def roc_auc(counts: Counts, max_fpr: float | None) -> float:
    """Area under the ROC curve (trapezoids), McClish-standardised below ``max_fpr``.

    Args:
        counts: Counts with positive and negative weight.
        max_fpr: None, or the upper false positive rate of a partial AUC in (0, 1).

    Returns:
        The area.

    Example:
        >>> roc_auc(counts_at_thresholds(np.array([0.2, 0.8]), np.array([0, 1], bool), None), None)
        1.0
    """
    if max_fpr is None:
        fps = np.concatenate(([0.0], counts.fps))
        tps = np.concatenate(([0.0], counts.tps))
        area = float(np.dot(np.diff(fps), tps[1:] + tps[:-1]))
        return area / (2.0 * float(fps[-1]) * float(tps[-1]))
    fpr, tpr, _ = roc_curve_points(counts, drop_intermediate=True)
    stop = int(np.searchsorted(fpr, max_fpr, "right"))
    x_interp = [fpr[stop - 1], fpr[stop]]
    y_interp = [tpr[stop - 1], tpr[stop]]
    tpr = np.append(tpr[:stop], np.interp(max_fpr, x_interp, y_interp))
    fpr = np.append(fpr[:stop], max_fpr)
    partial_auc = float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2.0))
    min_area = 0.5 * max_fpr**2
    return 0.5 * (1 + (partial_auc - min_area) / (max_fpr - min_area))


def rank_auc(scores: npt.NDArray[np.floating[Any]], positive: npt.NDArray[np.bool_]) -> float:
    """Unweighted ROC AUC as the share of (positive, negative) pairs in order, ties half.

    Equal to the trapezoid area of :func:`roc_auc` (the Mann-Whitney
    statistic), in exact integer arithmetic, but with two value sorts and two
    binary searches instead of an argsort and gathers: about half the time on
    large inputs. Both classes must be present.

    Args:
        scores: Validated finite scores.
        positive: Which samples are positive (at least one of each).

    Returns:
        The area.

    Example:
        >>> rank_auc(np.array([0.1, 0.4, 0.35, 0.8]), np.array([0, 0, 1, 1], bool))
        0.75
    """
    pos = np.sort(scores[positive])
    neg = np.sort(scores[~positive])
    below = int(np.searchsorted(neg, pos, "left").sum())  # negatives scoring lower
    not_above = int(np.searchsorted(neg, pos, "right").sum())  # ... or tied
    return (below + not_above) / (2.0 * int(pos.shape[0]) * int(neg.shape[0]))


def pr_curve(counts: Counts, drop_intermediate: bool) -> PrecisionRecallCurve:
    """scikit-learn's ``precision_recall_curve`` from counts holding positive weight.

    Args:
        counts: Counts with positive weight.
        drop_intermediate: Drop thresholds where recall does not change on either side.

    Returns:
        ``(precision, recall, thresholds)``, recall decreasing.

    Example:
        >>> pr_curve(Counts(np.array([0.9]), np.array([1.0]), np.array([1.0])), False).precision
        array([0.5, 1. ])
    """
    fps, tps, thresholds = counts.fps, counts.tps, counts.thresholds
    if drop_intermediate and fps.shape[0] > 2:
        changes = np.logical_or(np.diff(tps[:-1]), np.diff(tps[1:]))
        keep = np.flatnonzero(np.concatenate(([True], changes, [True])))
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    predicted = tps + fps
    precision = np.zeros_like(tps)
    np.divide(tps, predicted, out=precision, where=predicted != 0)
    recall = tps / tps[-1]
    return PrecisionRecallCurve(
        np.concatenate((precision[::-1], [1.0])),
        np.concatenate((recall[::-1], [0.0])),
        thresholds[::-1].copy(),
    )


def average_precision(counts: Counts) -> float:
    """Average precision: the step integral of the precision-recall curve (no interpolation).

    Args:
        counts: Counts with positive weight.

    Returns:
        ``sum_k (R_k - R_{k-1}) P_k``, as scikit-learn computes it.

    Example:
        >>> average_precision(Counts(np.array([0.9]), np.array([1.0]), np.array([1.0])))
        0.5
    """
    precision, recall, _ = pr_curve(counts, drop_intermediate=False)
    return float(max(0.0, -np.sum(np.diff(recall) * precision[:-1])))
