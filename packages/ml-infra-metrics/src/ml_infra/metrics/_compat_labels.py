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
from ml_infra.metrics._counting import binary_counts, tally
from ml_infra.metrics._errors import EmptyInputError, InvalidParameterError, LengthMismatchError
from ml_infra.metrics._parameters import Normalize
from ml_infra.metrics._report import ClassificationReport, ClassScores, build_report
from ml_infra.metrics._scores import Metric, binary_score, one_vs_rest, score_from_counts
from ml_infra.metrics._sklearn_rules import (
    binary_masks,
    check_sk_average,
    check_sk_zero_division,
)
from ml_infra.metrics._text import safe_repr
from ml_infra.metrics._validation import LabelsLike, as_pair
from ml_infra.metrics._warnings import warn_pos_label_ignored, warn_single_label, warn_undefined

__all__ = [
    "accuracy_score",
    "classification_report",
    "confusion_matrix",
    "f1_score",
    "precision_score",
    "recall_score",
]

# The frames between a warning helper and the user's call: helper <- _prf <- public.
_STACK = 3


def _pair(y_true: LabelsLike, y_pred: LabelsLike, func: str) -> tuple[npt.NDArray[Any], ...]:
    """Validate the targets (native order) and refuse empty input, as scikit-learn does."""
    pred, true = as_pair(y_pred, y_true, func)
    if pred.shape[0] == 0:
        raise _empty(func)
    return pred, true


def _empty(func: str) -> EmptyInputError:
    return EmptyInputError(f"{func}: y_true and y_pred are empty; at least one sample is required")


def _check_labels(labels: object, func: str) -> None:
    if labels is not None:
        raise InvalidParameterError(
            f"{func}: labels= is not supported yet, got {safe_repr(labels)}"
        )


def _check_weights(sample_weight: object, func: str) -> None:
    if sample_weight is not None:
        raise InvalidParameterError(
            f"{func}: sample_weight= is not supported yet, got {safe_repr(sample_weight)}"
        )


def _prf(
    metric: Metric,
    warn_for: tuple[str, ...],
    func: str,
    y_true: LabelsLike,
    y_pred: LabelsLike,
    labels: LabelsLike | None,
    pos_label: object,
    average: object,
    sample_weight: LabelsLike | None,
    zero_division: object,
) -> float | npt.NDArray[np.float64]:
    """One score with scikit-learn's rules: validate, count, warn, reduce."""
    checked_average = check_sk_average(average, func)
    value, warn = check_sk_zero_division(zero_division, func)
    _check_labels(labels, func)
    _check_weights(sample_weight, func)
    pred, true = _pair(y_true, y_pred, func)
    if checked_average == "binary":
        tp, n_predicted, n_actual = binary_counts(*binary_masks(pred, true, pos_label, func))
        if warn:
            sums = np.array([n_predicted]), np.array([n_actual])
            warn_undefined(warn_for, *sums, 1.0, checked_average, _STACK)
        return binary_score(metric, tp, n_predicted, n_actual, value)
    warn_pos_label_ignored(pos_label, average, _STACK)
    stats = one_vs_rest(*tally(pred, true))
    if warn:
        predicted, actual = stats.predicted, stats.actual
        if checked_average == "micro":
            predicted, actual = predicted.sum(keepdims=True), actual.sum(keepdims=True)
        warn_undefined(warn_for, predicted, actual, 1.0, checked_average, _STACK)
    score = score_from_counts(metric, stats, checked_average, value)
    if isinstance(score, dict):
        return np.fromiter(score.values(), dtype=np.float64, count=len(score))
    return score


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
    return _prf(
        "precision",
        ("precision",),
        "precision_score",
        y_true,
        y_pred,
        labels,
        pos_label,
        average,
        sample_weight,
        zero_division,
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
    return _prf(
        "recall",
        ("recall",),
        "recall_score",
        y_true,
        y_pred,
        labels,
        pos_label,
        average,
        sample_weight,
        zero_division,
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
    return _prf(
        "f1_score",
        ("f-score",),
        "f1_score",
        y_true,
        y_pred,
        labels,
        pos_label,
        average,
        sample_weight,
        zero_division,
    )


def accuracy_score(
    y_true: LabelsLike,
    y_pred: LabelsLike,
    *,
    normalize: bool = True,
    sample_weight: LabelsLike | None = None,
) -> float:
    """scikit-learn's ``accuracy_score``: the share (or number) of correct predictions.

    Args:
        y_true: True labels.
        y_pred: Predicted labels, same length.
        normalize: True for the fraction, False for the number of correct samples.
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
    _check_weights(sample_weight, func)
    pred, true = _pair(y_true, y_pred, func)
    correct = int(np.count_nonzero(pred == true))
    return correct / pred.shape[0] if normalize else float(correct)


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
        sample_weight: Per-sample weights.
        normalize: None, "true", "pred" or "all".

    Returns:
        The ``int64`` counts (``float64`` when weighted or normalized).

    Raises:
        MetricsError: A subclass naming the bad argument; empty input is an error.

    Example:
        >>> confusion_matrix(["cat", "dog", "dog"], ["cat", "cat", "dog"]).tolist()
        [[1, 0], [1, 1]]
    """
    func = "confusion_matrix"
    _check_weights(sample_weight, func)
    found, matrix = _confusion_matrix(y_pred, y_true, classes=labels, normalize=normalize)
    if found.shape[0] == 0 or (not matrix.any() and len(y_true) == 0):  # type: ignore[arg-type]
        raise _empty(func)
    if matrix.shape == (1, 1):
        warn_single_label(2)
    return matrix


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
        y_true: True labels.
        y_pred: Predicted labels, same length.
        labels: The classes to report, in this order (default: sorted classes present).
        target_names: Display names of the classes, one per class.
        sample_weight: Per-sample weights.
        digits: Decimal places of the text table.
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
    _check_labels(labels, func)
    _check_weights(sample_weight, func)
    pred, true = _pair(y_true, y_pred, func)
    classes, counts = tally(pred, true)
    stats = one_vs_rest(classes, counts)
    if warn:
        predicted, actual = stats.predicted, stats.actual
        every = ("precision", "recall", "f-score")
        for average in (None, "micro", "macro", "weighted"):
            if average == "micro":
                pooled = (predicted.sum(keepdims=True), actual.sum(keepdims=True))
                warn_undefined(every, pooled[0], pooled[1], 1.0, average, 2)
            else:
                warn_undefined(every, predicted, actual, 1.0, average, 2)
    report = build_report(stats, value, micro_is_accuracy=True)
    if target_names is not None or not counts.trace():
        report = _relabelled(report, target_names, func)
    if output_dict:
        return _as_floats(report.to_dict())
    return report.to_text(digits)


def _relabelled(
    report: ClassificationReport, target_names: Sequence[str] | None, func: str
) -> ClassificationReport:
    """The report under ``target_names``, its supports floats when no prediction is right.

    scikit-learn's counts turn float64 when no sample is predicted right (its
    "pathological case"), and its text then shows supports as ``1.0``.
    """
    rows = [report.per_class, {"macro": report.macro_avg, "weighted": report.weighted_avg}]
    if report.accuracy == 0.0:
        rows = [{key: _float_support(row) for key, row in r.items()} for r in rows]
    per_class, averages = rows
    if target_names is not None:
        names = list(target_names)
        if len(names) != len(per_class):
            raise LengthMismatchError(
                f"{func}: target_names must name each of the {len(per_class)} classes, got "
                f"{len(names)} names; pass labels= to pick the classes"
            )
        per_class = dict(zip(names, per_class.values(), strict=True))
    return ClassificationReport(per_class, report.accuracy, averages["macro"], averages["weighted"])


def _float_support(row: ClassScores) -> ClassScores:
    return replace(row, support=float(row.support))


def _as_floats(report: dict[str, Any]) -> dict[str, Any]:
    """scikit-learn's dict holds floats only (the supports too)."""
    return {
        key: {k: float(v) for k, v in row.items()} if isinstance(row, dict) else row
        for key, row in report.items()
    }
