"""roc_auc_score, average_precision_score, roc_curve and precision_recall_curve.

Argument order follows the package: **scores first, labels (ground truth)
second**, the reverse of scikit-learn's ``(y_true, y_score)``. Binary scores
are a 1-D array of the positive class's scores; ``labels`` is one-vs-rest for
``positive_class`` (every other class is negative). A 2-D ``(n_samples,
n_classes)`` probability matrix makes ``roc_auc_score`` and
``average_precision_score`` multi-class (see ``_multiclass_scores.py``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from ml_infra.metrics._curves import (
    Counts,
    PrecisionRecallCurve,
    RocCurve,
    average_precision,
    check_both_classes,
    counts_at_thresholds,
    pr_curve,
    rank_auc,
    roc_auc,
    roc_curve_points,
)
from ml_infra.metrics._errors import InvalidParameterError
from ml_infra.metrics._labels import LabelsLike
from ml_infra.metrics._multiclass_scores import MultiClass, check_multi_class, ovo_auc, ovr_scores
from ml_infra.metrics._parameters import as_float, check_option, matches
from ml_infra.metrics._score_inputs import (
    FloatArray,
    as_scores,
    check_flag,
    is_matrix,
    validated_labels,
)
from ml_infra.metrics._text import safe_repr
from ml_infra.metrics._weights import Weights, as_weights

__all__ = ["average_precision_score", "precision_recall_curve", "roc_auc_score", "roc_curve"]

_AVERAGES = ("macro", "weighted", "micro", None)


def _binary_input(
    scores: object, labels: object, positive_class: object, sample_weight: object, func: str
) -> tuple[FloatArray, npt.NDArray[Any], npt.NDArray[np.bool_], Weights]:
    """Validate 1-D scores, labels and weights; mark the positives."""
    checked = as_scores(scores, func)
    true = validated_labels(labels, checked.shape[0], func)
    weights = as_weights(sample_weight, checked.shape[0], func)
    return checked, true, matches(true, positive_class), weights


def _binary_counts(
    scores: object,
    labels: object,
    positive_class: object,
    sample_weight: object,
    func: str,
    *,
    negatives: bool = True,
) -> Counts:
    """Validate, count per distinct score (stable sort, for curves), check the classes."""
    checked, true, positive, weights = _binary_input(
        scores, labels, positive_class, sample_weight, func
    )
    counts = counts_at_thresholds(checked, positive, weights)
    check_both_classes(counts, true, positive_class, func, negatives=negatives)
    return counts


def _check_max_fpr(max_fpr: object, func: str) -> float | None:
    """None (or 1) for the full area, else a float in (0, 1)."""
    if max_fpr is None:
        return None
    value = as_float(max_fpr, "max_fpr", "None or a number in (0, 1]", func)
    if not 0.0 < value <= 1.0:
        raise InvalidParameterError(
            f"{func}: max_fpr must be None or a number in (0, 1], got {safe_repr(max_fpr)}"
        )
    return None if value == 1.0 else value


def roc_auc_score(
    scores: Any,
    labels: LabelsLike,
    *,
    positive_class: object = 1,
    sample_weight: Any = None,
    average: str | None = "macro",
    multi_class: MultiClass = "raise",
    classes: Any = None,
    max_fpr: float | None = None,
) -> float | dict[Any, float]:
    """Area under the ROC curve, equal to scikit-learn's ``roc_auc_score``.

    Note the argument order: **scores first, labels second** (the reverse of
    scikit-learn's ``roc_auc_score(y_true, y_score)``).

    Args:
        scores: Binary: a 1-D array of the positive class's scores (any real
            numbers; ties count half). Multi-class: an ``(n_samples, n_classes)``
            probability matrix (rows sum to one), columns in the order of
            ``classes`` (default: the sorted classes of ``labels``).
        labels: True class labels (ints, bools or strings), one per score.
        positive_class: Binary only: the class the scores are for; every other
            class is negative.
        sample_weight: Optional non-negative weight per sample.
        average: Multi-class only: ``"macro"``, ``"weighted"`` (by class
            prevalence), ``"micro"`` (``"ovr"`` only) or None for ``{class: auc}``
            (``"ovr"`` only).
        multi_class: Multi-class only: ``"ovr"`` (each class against the rest)
            or ``"ovo"`` (Hand and Till's pairwise average; unweighted). The
            default ``"raise"`` refuses a matrix, as scikit-learn does.
        classes: Multi-class only: the class of each column of ``scores``.
        max_fpr: Binary only: the McClish-standardised partial AUC up to this
            false positive rate.

    Returns:
        The AUC, or ``{class: auc}`` for ``average=None``.

    Raises:
        MetricsError: A subclass naming the problem: NaN or infinite scores,
            a single class present, probabilities outside [0, 1], rows that do
            not sum to one, bad options, lengths that differ.

    Example:
        >>> roc_auc_score([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])
        0.75
        >>> proba = [[0.7, 0.2, 0.1], [0.2, 0.5, 0.3], [0.1, 0.3, 0.6], [0.3, 0.4, 0.3]]
        >>> roc_auc_score(proba, [0, 1, 2, 1], multi_class="ovr")
        1.0
    """
    func = "roc_auc_score"
    checked_fpr = _check_max_fpr(max_fpr, func)
    if is_matrix(scores):
        checked_average = check_option(average, _AVERAGES, "average", func)
        how = check_multi_class(multi_class, checked_average, checked_fpr, sample_weight, func)
        if how == "ovo":
            return ovo_auc(scores, labels, classes, checked_average, func)
        return ovr_scores(
            lambda counts: roc_auc(counts, None),
            True,
            scores,
            labels,
            classes,
            sample_weight,
            checked_average,
            func,
        )
    checked, true, positive, weights = _binary_input(
        scores, labels, positive_class, sample_weight, func
    )
    if weights is None and checked_fpr is None and 0 < np.count_nonzero(positive) < true.shape[0]:
        return rank_auc(checked, positive)
    counts = counts_at_thresholds(checked, positive, weights, stable=False)
    check_both_classes(counts, true, positive_class, func)
    return roc_auc(counts, checked_fpr)


def average_precision_score(
    scores: Any,
    labels: LabelsLike,
    *,
    positive_class: object = 1,
    sample_weight: Any = None,
    average: str | None = "macro",
    classes: Any = None,
) -> float | dict[Any, float]:
    """Average precision (area under the precision-recall steps), as scikit-learn's.

    ``AP = sum_k (R_k - R_{k-1}) P_k`` over the thresholds, without
    interpolation. Note the argument order: **scores first, labels second**.

    Args:
        scores: Binary: a 1-D array of the positive class's scores.
            Multi-class: an ``(n_samples, n_classes)`` probability matrix.
        labels: True class labels, one per score.
        positive_class: Binary only: the class the scores are for.
        sample_weight: Optional non-negative weight per sample.
        average: Multi-class only: ``"macro"``, ``"weighted"``, ``"micro"`` or
            None for ``{class: ap}``.
        classes: Multi-class only: the class of each column of ``scores``.

    Returns:
        The average precision, or ``{class: ap}`` for ``average=None``.

    Raises:
        MetricsError: A subclass naming the problem; labels without any
            positive sample are an error (scikit-learn warns and returns 0.0).

    Example:
        >>> average_precision_score([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])
        0.8333333333333333
    """
    func = "average_precision_score"
    if is_matrix(scores):
        checked_average = check_option(average, _AVERAGES, "average", func)
        return ovr_scores(
            average_precision, False, scores, labels, classes, sample_weight, checked_average, func
        )
    counts = _binary_counts(scores, labels, positive_class, sample_weight, func, negatives=False)
    return average_precision(counts)


def roc_curve(
    scores: Any,
    labels: LabelsLike,
    *,
    positive_class: object = 1,
    sample_weight: Any = None,
    drop_intermediate: bool = True,
) -> RocCurve:
    """The ROC curve of binary scores, equal to scikit-learn's ``roc_curve``.

    Args:
        scores: A 1-D array of the positive class's scores.
        labels: True class labels; ``positive_class`` against all others.
        positive_class: The class the scores are for.
        sample_weight: Optional non-negative weight per sample (zero-weight
            samples add no threshold).
        drop_intermediate: Drop thresholds whose points lie on a straight
            segment of the curve (they change neither its plot nor its area).

    Returns:
        ``RocCurve(fpr, tpr, thresholds)``, which unpacks like scikit-learn's
        tuple; ``thresholds[0]`` is ``inf``.

    Raises:
        MetricsError: A subclass naming the problem; labels with a single
            class are an error (scikit-learn warns and returns NaN rates).

    Example:
        >>> fpr, tpr, thresholds = roc_curve([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])
        >>> fpr.tolist(), tpr.tolist()
        ([0.0, 0.0, 0.5, 0.5, 1.0], [0.0, 0.5, 0.5, 1.0, 1.0])
    """
    func = "roc_curve"
    keep = check_flag(drop_intermediate, "drop_intermediate", func)
    counts = _binary_counts(scores, labels, positive_class, sample_weight, func)
    return roc_curve_points(counts, keep)


def precision_recall_curve(
    scores: Any,
    labels: LabelsLike,
    *,
    positive_class: object = 1,
    sample_weight: Any = None,
    drop_intermediate: bool = False,
) -> PrecisionRecallCurve:
    """Precision and recall at every threshold, equal to scikit-learn's.

    Args:
        scores: A 1-D array of the positive class's scores.
        labels: True class labels; ``positive_class`` against all others.
        positive_class: The class the scores are for.
        sample_weight: Optional non-negative weight per sample.
        drop_intermediate: Drop thresholds where recall changes on neither side.

    Returns:
        ``PrecisionRecallCurve(precision, recall, thresholds)``, which unpacks
        like scikit-learn's tuple: increasing thresholds, and a final point
        (precision 1, recall 0) without threshold.

    Raises:
        MetricsError: A subclass naming the problem; labels without any
            positive sample are an error (scikit-learn warns and sets recall to 1).

    Example:
        >>> precision, recall, thresholds = precision_recall_curve([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])
        >>> precision.tolist(), recall.tolist(), thresholds.tolist()
        ([0.5, 0.6666666666666666, 0.5, 1.0, 1.0], [1.0, 1.0, 0.5, 0.5, 0.0], [0.1, 0.35, 0.4, 0.8])
    """
    func = "precision_recall_curve"
    keep = check_flag(drop_intermediate, "drop_intermediate", func)
    counts = _binary_counts(scores, labels, positive_class, sample_weight, func, negatives=False)
    return pr_curve(counts, keep)
