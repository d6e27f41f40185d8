"""The label-based functions of :mod:`ml_infra.metrics.compat` (scikit-learn's ``_classification``).

Each function maps scikit-learn's arguments onto the native path (validate,
count, reduce), adds scikit-learn's rules (``_sklearn_rules``) and warnings
(``_warnings``) from the counts, and returns scikit-learn's types.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import numpy.typing as npt
from ml_infra.metrics._confusion import confusion_matrix as _confusion_matrix
from ml_infra.metrics._confusion import multilabel_confusion_matrix as _multilabel_confusion_matrix
from ml_infra.metrics._counting import binary_counts, class_counts
from ml_infra.metrics._errors import EmptyInputError, InvalidParameterError
from ml_infra.metrics._labels import LabelsLike
from ml_infra.metrics._multilabel import Targets, as_targets, check_columns, sample_scores
from ml_infra.metrics._parameters import Normalize, check_beta
from ml_infra.metrics._report import (
    ClassificationReport,
    ClassScores,
    check_digits,
    report_from_counts,
)
from ml_infra.metrics._scores import ClassCounts, Metric, binary_score, score_from_counts
from ml_infra.metrics._sklearn_rules import (
    binary_masks,
    check_sk_average,
    check_sk_zero_division,
)
from ml_infra.metrics._text import safe_repr
from ml_infra.metrics._warnings import warn_pos_label_ignored, warn_single_label, warn_undefined
from ml_infra.metrics._weights import Weights, as_weights

__all__ = [
    "accuracy_score",
    "classification_report",
    "confusion_matrix",
    "f1_score",
    "fbeta_score",
    "multilabel_confusion_matrix",
    "precision_recall_fscore_support",
    "precision_score",
    "recall_score",
]

# The frames between a warning helper and the user's call: helper <- _prfs <- public.
_STACK = 3
_EVERY = ("precision", "recall", "f-score")
_PRF: tuple[Metric, ...] = ("precision", "recall", "fbeta_score")


def _targets(
    y_true: object, y_pred: object, sample_weight: object, func: str
) -> tuple[Targets, Weights]:
    """Validate targets (native order) and weights; refuse empty input, as scikit-learn."""
    targets = as_targets(y_pred, y_true, func)
    weights = as_weights(sample_weight, targets.n_samples, func)
    if targets.n_samples == 0:
        raise _empty(func)
    return targets, weights


def _empty(func: str) -> EmptyInputError:
    return EmptyInputError(f"{func}: y_true and y_pred are empty; at least one sample is required")


def _warn_counts(
    warn_for: tuple[str, ...], stats: ClassCounts, average: str | None, beta: float, depth: int
) -> None:
    """scikit-learn's warnings for per-class (or, for "micro", pooled) counts."""
    predicted, actual = stats.predicted, stats.actual
    if average == "micro":
        predicted, actual = predicted.sum(keepdims=True), actual.sum(keepdims=True)
    warn_undefined(warn_for, predicted, actual, beta, average, depth + 1)


def _prfs(
    metrics: tuple[Metric, ...],
    warn_for: tuple[str, ...],
    func: str,
    y_true: object,
    y_pred: object,
    *,
    beta: object = 1.0,
    labels: LabelsLike | None,
    pos_label: object,
    average: object,
    sample_weight: object,
    zero_division: object,
) -> tuple[list[Any], ClassCounts | None, Targets, Weights]:
    """Scores with scikit-learn's rules: validate, count, warn, reduce.

    Returns the scores (floats, or ``{class: score}`` dicts for average=None),
    the per-class counts (None for "binary" and "samples"), the validated
    targets and weights.
    """
    checked_average = check_sk_average(average, func)
    value, warn = check_sk_zero_division(zero_division, func)
    checked_beta = check_beta(beta, func)
    targets, weights = _targets(y_true, y_pred, sample_weight, func)
    if checked_average == "binary":
        if targets.multilabel:
            raise _not_binary("multilabel-indicator", func)
        masks = binary_masks(targets.predictions, targets.labels, pos_label, func)
        tp, n_predicted, n_actual = binary_counts(*masks, weights)
        if warn:
            sums = np.array([n_predicted]), np.array([n_actual])
            warn_undefined(warn_for, sums[0], sums[1], checked_beta, "binary", _STACK)
        binary = [binary_score(m, tp, n_predicted, n_actual, value, checked_beta) for m in metrics]
        return list(binary), None, targets, weights
    warn_pos_label_ignored(pos_label, average, _STACK)
    if checked_average == "samples":
        if not targets.multilabel:
            raise InvalidParameterError(
                f"{func}: average='samples' is only available for multilabel targets, got "
                "1-D class labels; choose another average setting, one of "
                "[None, 'micro', 'macro', 'weighted']"
            )
        n_labels = int(targets.labels.shape[1])
        columns = None if labels is None else check_columns(labels, n_labels, func)
        if warn:
            pred, true = targets.predictions, targets.labels
            if columns is not None:
                pred, true = pred[:, columns], true[:, columns]
            per_sample = np.count_nonzero(pred, axis=1), np.count_nonzero(true, axis=1)
            warn_undefined(warn_for, *per_sample, checked_beta, "samples", _STACK)
        scores = [sample_scores(m, targets, columns, weights, value, checked_beta) for m in metrics]
        return scores, None, targets, weights
    stats = class_counts(targets, weights, labels, func)
    if warn:
        _warn_counts(warn_for, stats, checked_average, checked_beta, _STACK)
    reduced = [score_from_counts(m, stats, checked_average, value, checked_beta) for m in metrics]
    return reduced, stats, targets, weights


def _not_binary(kind: str, func: str) -> InvalidParameterError:
    return InvalidParameterError(
        f"{func}: average='binary' needs binary targets, got {kind} targets; choose another "
        "average setting, one of [None, 'micro', 'macro', 'weighted', 'samples']"
    )


def _array(score: Any) -> Any:
    """average=None's ``{class: score}`` as scikit-learn's float64 array."""
    if isinstance(score, dict):
        return np.fromiter(score.values(), dtype=np.float64, count=len(score))
    return score


def _one(
    metric: Metric,
    warn_for: tuple[str, ...],
    func: str,
    y_true: object,
    y_pred: object,
    **options: Any,
) -> Any:
    scores, _, _, _ = _prfs((metric,), warn_for, func, y_true, y_pred, **options)
    return _array(scores[0])


def precision_score(
    y_true: LabelsLike,
    y_pred: LabelsLike,
    *,
    labels: LabelsLike | None = None,
    pos_label: object = 1,
    average: str | None = "binary",
    sample_weight: LabelsLike | None = None,
    zero_division: float | str = "warn",
) -> Any:
    """scikit-learn's ``precision_score``: of the samples predicted as a class, the share that are.

    Args:
        y_true: True labels.
        y_pred: Predicted labels, same length.
        labels: The classes to score and average over (not with "binary").
        pos_label: The class scored by ``average="binary"``.
        average: "binary" (two classes at most), "micro", "macro", "weighted"
            or None (per-class array, in sorted class order).
        sample_weight: Per-sample weights.
        zero_division: "warn" (0.0 and an UndefinedMetricWarning), 0.0, 1.0 or NaN.

    Returns:
        A float, or a float64 array when ``average`` is None.

    Raises:
        MetricsError: A subclass (``ValueError``/``TypeError``) naming the bad argument.

    Example:
        >>> precision_score([1, 0, 0, 1], [1, 1, 0, 1])
        0.6666666666666666
    """
    return _one(
        "precision",
        ("precision",),
        "precision_score",
        y_true,
        y_pred,
        labels=labels,
        pos_label=pos_label,
        average=average,
        sample_weight=sample_weight,
        zero_division=zero_division,
    )


def recall_score(
    y_true: LabelsLike,
    y_pred: LabelsLike,
    *,
    labels: LabelsLike | None = None,
    pos_label: object = 1,
    average: str | None = "binary",
    sample_weight: LabelsLike | None = None,
    zero_division: float | str = "warn",
) -> Any:
    """scikit-learn's ``recall_score``: of the samples of a class, the share predicted as it.

    Args:
        y_true: True labels.
        y_pred: Predicted labels, same length.
        labels: The classes to score and average over (not with "binary").
        pos_label: The class scored by ``average="binary"``.
        average: "binary", "micro", "macro", "weighted" or None.
        sample_weight: Per-sample weights.
        zero_division: "warn", 0.0, 1.0 or NaN.

    Returns:
        A float, or a float64 array when ``average`` is None.

    Raises:
        MetricsError: A subclass (``ValueError``/``TypeError``) naming the bad argument.

    Example:
        >>> recall_score([1, 0, 1, 1], [1, 1, 0, 0])
        0.3333333333333333
    """
    return _one(
        "recall",
        ("recall",),
        "recall_score",
        y_true,
        y_pred,
        labels=labels,
        pos_label=pos_label,
        average=average,
        sample_weight=sample_weight,
        zero_division=zero_division,
    )


def f1_score(
    y_true: LabelsLike,
    y_pred: LabelsLike,
    *,
    labels: LabelsLike | None = None,
    pos_label: object = 1,
    average: str | None = "binary",
    sample_weight: LabelsLike | None = None,
    zero_division: float | str = "warn",
) -> Any:
    """scikit-learn's ``f1_score``: the harmonic mean of precision and recall.

    Args:
        y_true: True labels.
        y_pred: Predicted labels, same length.
        labels: The classes to score and average over (not with "binary").
        pos_label: The class scored by ``average="binary"``.
        average: "binary", "micro", "macro", "weighted" or None.
        sample_weight: Per-sample weights.
        zero_division: "warn", 0.0, 1.0 or NaN.

    Returns:
        A float, or a float64 array when ``average`` is None.

    Raises:
        MetricsError: A subclass (``ValueError``/``TypeError``) naming the bad argument.

    Example:
        >>> f1_score([0, 1, 1, 2], [0, 2, 1, 2], average=None).tolist()
        [1.0, 0.6666666666666666, 0.6666666666666666]
    """
    return _one(
        "f1_score",
        ("f-score",),
        "f1_score",
        y_true,
        y_pred,
        labels=labels,
        pos_label=pos_label,
        average=average,
        sample_weight=sample_weight,
        zero_division=zero_division,
    )


def fbeta_score(
    y_true: LabelsLike,
    y_pred: LabelsLike,
    *,
    beta: float,
    labels: LabelsLike | None = None,
    pos_label: object = 1,
    average: str | None = "binary",
    sample_weight: LabelsLike | None = None,
    zero_division: float | str = "warn",
) -> Any:
    """scikit-learn's ``fbeta_score``: F-beta, recall weighted ``beta`` times precision.

    Args:
        y_true: True labels, or 2-D 0/1 indicator rows.
        y_pred: Predicted labels, same length and kind.
        beta: The weight of recall (0: precision, inf: recall).
        labels: The classes to score and average over (not with "binary").
        pos_label: The class scored by ``average="binary"``.
        average: "binary", "micro", "macro", "weighted", "samples" or None.
        sample_weight: Per-sample weights.
        zero_division: "warn", 0.0, 1.0 or NaN.

    Returns:
        A float, or a float64 array when ``average`` is None.

    Raises:
        MetricsError: A subclass (``ValueError``/``TypeError``) naming the bad argument.

    Example:
        >>> fbeta_score([1, 0, 1, 1], [1, 1, 1, 0], beta=2.0)
        0.6666666666666666
    """
    return _one(
        "fbeta_score",
        ("f-score",),
        "fbeta_score",
        y_true,
        y_pred,
        beta=beta,
        labels=labels,
        pos_label=pos_label,
        average=average,
        sample_weight=sample_weight,
        zero_division=zero_division,
    )


def precision_recall_fscore_support(
    y_true: LabelsLike,
    y_pred: LabelsLike,
    *,
    beta: float = 1.0,
    labels: LabelsLike | None = None,
    pos_label: object = 1,
    average: str | None = None,
    warn_for: Sequence[str] = ("precision", "recall", "f-score"),
    sample_weight: LabelsLike | None = None,
    zero_division: float | str = "warn",
) -> tuple[Any, Any, Any, Any]:
    """scikit-learn's ``precision_recall_fscore_support``: the three scores and the supports.

    Args:
        y_true: True labels, or 2-D 0/1 indicator rows.
        y_pred: Predicted labels, same length and kind.
        beta: The weight of recall in the F score.
        labels: The classes to score and average over (not with "binary").
        pos_label: The class scored by ``average="binary"``.
        average: None (per-class arrays, the default here), "binary", "micro",
            "macro", "weighted" or "samples".
        warn_for: The scores that warn when ill-defined.
        sample_weight: Per-sample weights.
        zero_division: "warn", 0.0, 1.0 or NaN.

    Returns:
        ``(precision, recall, fbeta, support)``: arrays for average=None, else
        floats and None.

    Raises:
        MetricsError: A subclass (``ValueError``/``TypeError``) naming the bad argument.

    Example:
        >>> p, r, f, s = precision_recall_fscore_support([0, 1, 1], [0, 1, 0])
        >>> p.tolist(), s.tolist()
        ([0.5, 1.0], [1, 2])
    """
    scores, stats, targets, weights = _prfs(
        _PRF,
        tuple(warn_for),
        "precision_recall_fscore_support",
        y_true,
        y_pred,
        beta=beta,
        labels=labels,
        pos_label=pos_label,
        average=average,
        sample_weight=sample_weight,
        zero_division=zero_division,
    )
    precision, recall, fbeta = (_array(score) for score in scores)
    if average is not None or stats is None:
        return precision, recall, fbeta, None
    return precision, recall, fbeta, _supports(targets, stats, weights, labels)


def _supports(
    targets: Targets, stats: ClassCounts, weights: Weights, labels: object
) -> npt.NDArray[Any]:
    """scikit-learn's supports: float64 when weighted or when no sample is predicted right."""
    if weights is None and not _none_right(targets, stats, labels):
        return stats.actual
    return stats.actual.astype(np.float64)


def _none_right(targets: Targets, stats: ClassCounts, labels: object) -> bool:
    """scikit-learn's "pathological case" (1-D labels): no sample at all is predicted right.

    Its counts then turn float64, and its text shows supports as ``1.0``. With
    ``labels=`` the chosen classes may miss the right predictions: one more
    comparison, only then.
    """
    if targets.multilabel or stats.true_positives.any():
        return False
    return labels is None or not np.any(targets.predictions == targets.labels)


def accuracy_score(
    y_true: LabelsLike,
    y_pred: LabelsLike,
    *,
    normalize: bool = True,
    sample_weight: LabelsLike | None = None,
) -> float:
    """scikit-learn's ``accuracy_score``: the share (or number) of correct predictions.

    Args:
        y_true: True labels, or 2-D 0/1 indicator rows (subset accuracy).
        y_pred: Predicted labels, same length and kind.
        normalize: True for the fraction, False for the (weighted) number of
            correct samples.
        sample_weight: Per-sample weights.

    Returns:
        The accuracy, or the count as a float when ``normalize`` is False.

    Raises:
        MetricsError: A subclass naming the bad argument; empty input is an error.

    Example:
        >>> accuracy_score([1, 0, 1, 0], [1, 0, 0, 0]), accuracy_score([1, 0], [1, 1], normalize=False)
        (0.75, 1.0)
    """
    func = "accuracy_score"
    if not isinstance(normalize, bool | np.bool_):
        raise InvalidParameterError(
            f"{func}: normalize must be True or False, got {safe_repr(normalize)}"
        )
    targets, weights = _targets(y_true, y_pred, sample_weight, func)
    correct = targets.predictions == targets.labels
    if targets.multilabel:
        correct = correct.all(axis=1)
    if weights is None:
        count = int(np.count_nonzero(correct))
        return count / targets.n_samples if normalize else float(count)
    if normalize:
        return float(np.average(correct, weights=weights))
    return float(np.dot(correct, weights))


def confusion_matrix(
    y_true: LabelsLike,
    y_pred: LabelsLike,
    *,
    labels: LabelsLike | None = None,
    sample_weight: LabelsLike | None = None,
    normalize: Normalize = None,
) -> npt.NDArray[Any]:
    """scikit-learn's ``confusion_matrix``: the matrix alone, rows true, columns predicted.

    Args:
        y_true: True labels.
        y_pred: Predicted labels, same length.
        labels: The rows/columns wanted, in this order (default: sorted classes present).
        sample_weight: Per-sample weights (integer weights keep an integer matrix).
        normalize: None, "true", "pred" or "all".

    Returns:
        The ``int64`` counts (``float64`` with float weights or normalized).

    Raises:
        MetricsError: A subclass naming the bad argument; empty input is an error.

    Example:
        >>> confusion_matrix(["cat", "dog", "dog"], ["cat", "cat", "dog"]).tolist()
        [[1, 0], [1, 1]]
    """
    func = "confusion_matrix"
    found, matrix = _confusion_matrix(
        y_pred, y_true, classes=labels, normalize=normalize, sample_weight=sample_weight
    )
    if found.shape[0] == 0 or (not matrix.any() and len(y_true) == 0):  # type: ignore[arg-type]
        raise _empty(func)
    if normalize is None and sample_weight is not None and _integer_weights(sample_weight):
        matrix = matrix.astype(np.int64)
    if matrix.shape == (1, 1):
        warn_single_label(2)
    return matrix


def _integer_weights(sample_weight: object) -> bool:
    """Whether scikit-learn would keep integer counts for these (validated) weights."""
    dtype = getattr(sample_weight, "dtype", None)
    if not isinstance(dtype, np.dtype):
        dtype = np.asarray(sample_weight).dtype
    return dtype.kind in "iub"


def multilabel_confusion_matrix(
    y_true: LabelsLike,
    y_pred: LabelsLike,
    *,
    sample_weight: LabelsLike | None = None,
    labels: LabelsLike | None = None,
    samplewise: bool = False,
) -> npt.NDArray[Any]:
    """scikit-learn's ``multilabel_confusion_matrix``: one ``[[tn, fp], [fn, tp]]`` per class.

    Args:
        y_true: True 2-D 0/1 indicator rows, or 1-D labels (each class against the rest).
        y_pred: Predicted rows or labels, same length and kind.
        sample_weight: Per-sample weights.
        labels: The classes (columns) wanted, in this order.
        samplewise: Must be False (per-sample tables are not offered natively).

    Returns:
        An ``(n_classes, 2, 2)`` array.

    Raises:
        MetricsError: A subclass naming the bad argument.

    Example:
        >>> multilabel_confusion_matrix([[1, 0], [0, 1]], [[1, 0], [1, 1]]).tolist()
        [[[0, 1], [0, 1]], [[1, 0], [0, 1]]]
    """
    func = "multilabel_confusion_matrix"
    if samplewise is not False:
        raise InvalidParameterError(
            f"{func}: samplewise=True (one table per sample) is not offered, got "
            f"{safe_repr(samplewise)}; compute it from the indicator rows"
        )
    _, tables = _multilabel_confusion_matrix(
        y_pred, y_true, classes=labels, sample_weight=sample_weight
    )
    return tables


def classification_report(
    y_true: LabelsLike,
    y_pred: LabelsLike,
    *,
    labels: LabelsLike | None = None,
    target_names: Sequence[str] | None = None,
    sample_weight: LabelsLike | None = None,
    digits: int = 2,
    output_dict: bool = False,
    zero_division: float | str = "warn",
) -> str | dict[str, Any]:
    """scikit-learn's ``classification_report``: its text table, or its dict.

    Args:
        y_true: True labels, or 2-D 0/1 indicator rows.
        y_pred: Predicted labels, same length and kind.
        labels: The classes to report, in this order (default: sorted classes present).
        target_names: Display names of the classes, one per class.
        sample_weight: Per-sample weights.
        digits: Decimal places of the text table (1 to 32).
        output_dict: Return scikit-learn's nested dict instead of the text.
        zero_division: "warn", 0.0, 1.0 or NaN.

    Returns:
        The text (identical to scikit-learn's), or the dict.

    Raises:
        MetricsError: A subclass naming the bad argument.

    Example:
        >>> print(classification_report([0, 1, 1], [0, 1, 0]).splitlines()[2])
                   0       0.50      1.00      0.67         1
    """
    func = "classification_report"
    value, warn = check_sk_zero_division(zero_division, func)
    places = check_digits(digits, func)
    targets, weights = _targets(y_true, y_pred, sample_weight, func)
    stats = class_counts(targets, weights, labels, func)
    n_classes = stats.classes.shape[0]
    if target_names is not None and len(target_names) != n_classes:
        raise InvalidParameterError(
            f"{func}: target_names must name each of the {n_classes} classes, got "
            f"{len(target_names)} names; pass labels= to pick the classes"
        )
    if warn:
        averages: tuple[str | None, ...] = (None, "micro", "macro", "weighted")
        for average in averages:
            _warn_counts(_EVERY, stats, average, 1.0, 2)
        if targets.multilabel:
            pred, true = targets.predictions, targets.labels
            if labels is not None:
                pred, true = pred[:, stats.classes], true[:, stats.classes]
            per_sample = np.count_nonzero(pred, axis=1), np.count_nonzero(true, axis=1)
            warn_undefined(_EVERY, *per_sample, 1.0, "samples", 2)
    report = report_from_counts(
        targets, weights, stats, labels is not None, value, target_names, places, func
    )
    if weights is None and _none_right(targets, stats, labels):
        report = _float_supports(report)
    if output_dict:
        return _as_floats(report.to_dict())
    return report.to_text()


def _float_supports(report: ClassificationReport) -> ClassificationReport:
    """Supports as floats, as scikit-learn's text shows them when no prediction is right.

    scikit-learn's counts turn float64 when no sample is predicted right (its
    "pathological case"), and its text then shows supports as ``1.0``.
    """
    return replace(
        report,
        per_class={key: _float_support(row) for key, row in report.per_class.items()},
        macro_avg=_float_support(report.macro_avg),
        weighted_avg=_float_support(report.weighted_avg),
        micro_avg=None if report.micro_avg is None else _float_support(report.micro_avg),
    )


def _float_support(row: ClassScores) -> ClassScores:
    return replace(row, support=float(row.support))


def _as_floats(report: dict[str, Any]) -> dict[str, Any]:
    """scikit-learn's dict holds floats only (the supports too)."""
    return {
        key: {k: float(v) for k, v in row.items()} if isinstance(row, dict) else row
        for key, row in report.items()
    }
