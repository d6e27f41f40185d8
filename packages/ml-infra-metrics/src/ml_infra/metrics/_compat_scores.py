"""The score-based functions of :mod:`ml_infra.metrics.compat` (scikit-learn's ``_ranking``).

Each maps scikit-learn's arguments onto the native function (``y_true``
becomes ``labels``, ``y_score``/``y_proba`` becomes ``scores``, ``labels=``
becomes ``classes=``) and follows scikit-learn where the positive class is
inferred: the greater class of ``y_true`` for ``roc_auc_score`` and
``log_loss`` on 1-D scores, and ``pos_label=None`` meaning 1 for labels in
{0, 1} or {-1, 1} for the curves and ``brier_score_loss``. Finding the classes
of ``y_true`` costs one min/max and counts (a sort only for string labels),
small beside the sort of the scores.
"""

from __future__ import annotations

import math
import warnings
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from ml_infra.metrics._errors import InvalidParameterError, SingleClassError
from ml_infra.metrics._labels import LabelsLike, as_labels
from ml_infra.metrics._multiclass_scores import MultiClass
from ml_infra.metrics._parameters import matches
from ml_infra.metrics._probabilistic import brier_score_loss as _brier_score_loss
from ml_infra.metrics._probabilistic import log_loss as _log_loss
from ml_infra.metrics._ranking import average_precision_score as _average_precision_score
from ml_infra.metrics._ranking import precision_recall_curve as _precision_recall_curve
from ml_infra.metrics._ranking import roc_auc_score as _roc_auc_score
from ml_infra.metrics._ranking import roc_curve as _roc_curve
from ml_infra.metrics._score_inputs import is_matrix
from ml_infra.metrics._sklearn_rules import consistent_pos_label, label_classes
from ml_infra.metrics._text import format_list
from ml_infra.metrics._warnings import warn_no_positive, warn_single_class

__all__ = [
    "average_precision_score",
    "brier_score_loss",
    "log_loss",
    "precision_recall_curve",
    "roc_auc_score",
    "roc_curve",
]

Curve = tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]


def _as_array(result: float | dict[Any, float]) -> Any:
    """A per-class dict (average=None) as scikit-learn's float64 array."""
    if isinstance(result, dict):
        return np.fromiter(result.values(), dtype=np.float64, count=len(result))
    return result


def _one_dimensional(classes: npt.NDArray[Any], what: str, func: str) -> InvalidParameterError:
    return InvalidParameterError(
        f"{func}: y_true holds {classes.shape[0]} classes {format_list(classes.tolist())} "
        f"but {what} is 1-D; pass an (n_samples, n_classes) probability matrix"
    )


def _greater_class(true: npt.NDArray[Any], what: str, func: str) -> object:
    """The positive class scikit-learn infers for 1-D scores: the greater of two."""
    classes = label_classes(true)
    if classes.shape[0] == 2:
        return classes[-1].item()
    if classes.shape[0] > 2:
        raise _one_dimensional(classes, what, func)
    raise SingleClassError(
        f"{func}: y_true holds only the class {format_list(classes.tolist())}; the score "
        "needs two classes (pass labels= to declare the others)"
    )


def _pos_label(pos_label: object, true: npt.NDArray[Any], func: str) -> object:
    """The curves' positive class: ``pos_label``, or 1 for labels in {0, 1} or {-1, 1}."""
    if pos_label is not None:
        return pos_label
    return consistent_pos_label(None, label_classes(true), func, numeric_fallback=False)


def roc_auc_score(
    y_true: LabelsLike,
    y_score: Any,
    *,
    average: str | None = "macro",
    sample_weight: Any = None,
    max_fpr: float | None = None,
    multi_class: MultiClass = "raise",
    labels: Any = None,
) -> Any:
    """scikit-learn's ``roc_auc_score``: area under the ROC curve.

    Args:
        y_true: True labels; for 1-D scores, the greater of two classes is positive
            (a single class: NaN and an UndefinedMetricWarning, as scikit-learn).
        y_score: Scores of the positive class, or an (n_samples, n_classes) matrix.
        average: Multi-class: "macro", "weighted", "micro" or None (an array).
        sample_weight: Per-sample weights.
        max_fpr: Binary: standardised partial AUC up to this false positive rate.
        multi_class: Multi-class: "ovr" or "ovo" ("raise" refuses a matrix).
        labels: Multi-class: the class of each column of ``y_score``.

    Returns:
        The AUC (a float64 array for ``average=None``).

    Raises:
        MetricsError: A subclass (``ValueError``) naming the problem.

    Example:
        >>> roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
        0.75
    """
    func = "roc_auc_score"
    if is_matrix(y_score):
        return _as_array(
            _roc_auc_score(
                y_score,
                y_true,
                sample_weight=sample_weight,
                average=average,
                multi_class=multi_class,
                classes=labels,
                max_fpr=max_fpr,
            )
        )
    true = as_labels(y_true, "y_true", func)
    if label_classes(true).shape[0] == 1:
        warn_single_class(2)
        return math.nan
    positive = _greater_class(true, "y_score", func)
    return _roc_auc_score(
        y_score, true, positive_class=positive, sample_weight=sample_weight, max_fpr=max_fpr
    )


def average_precision_score(
    y_true: LabelsLike,
    y_score: Any,
    *,
    average: str | None = "macro",
    pos_label: object = 1,
    sample_weight: Any = None,
) -> Any:
    """scikit-learn's ``average_precision_score``: the step-wise area under the PR curve.

    Args:
        y_true: True labels.
        y_score: Scores of ``pos_label``, or an (n_samples, n_classes) matrix.
        average: Multi-class: "macro", "weighted", "micro" or None (an array).
        pos_label: Binary: the positive class (absent from single-class ``y_true``:
            0.0 and scikit-learn's UserWarning).
        sample_weight: Per-sample weights.

    Returns:
        The average precision (a float64 array for ``average=None``).

    Raises:
        MetricsError: A subclass (``ValueError``) naming the problem.

    Example:
        >>> average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
        0.8333333333333333
    """
    func = "average_precision_score"
    if is_matrix(y_score):
        return _as_array(
            _average_precision_score(
                y_score,
                y_true,
                positive_class=pos_label,
                sample_weight=sample_weight,
                average=average,
            )
        )
    true = as_labels(y_true, "y_true", func)
    classes = label_classes(true)
    if classes.shape[0] > 2:
        raise _one_dimensional(classes, "y_score", func)
    if classes.shape[0] == 1 and not matches(true, pos_label).any():
        warn_no_positive(2)
        return 0.0
    return _average_precision_score(
        y_score, true, positive_class=pos_label, sample_weight=sample_weight
    )


def log_loss(
    y_true: LabelsLike,
    y_proba: Any = None,
    *,
    normalize: bool = True,
    sample_weight: Any = None,
    labels: Any = None,
    y_pred: Any = "deprecated",
) -> float:
    """scikit-learn's ``log_loss``: the cross-entropy of predicted probabilities.

    Args:
        y_true: True labels; for 1-D probabilities, the greater of two classes is positive.
        y_proba: Probabilities of the positive class, or an (n_samples, n_classes) matrix.
        normalize: The mean per sample (True) or the total (False).
        sample_weight: Per-sample weights.
        labels: Matrix: the class of each column (default: the classes of ``y_true``).
        y_pred: Deprecated name of ``y_proba`` (a FutureWarning, as scikit-learn's).

    Returns:
        The loss.

    Raises:
        MetricsError: A subclass (``ValueError``) naming the problem.

    Example:
        >>> round(log_loss(["spam", "ham", "ham", "spam"], [[0.1, 0.9], [0.9, 0.1], [0.8, 0.2], [0.35, 0.65]]), 4)
        0.2162
    """
    func = "log_loss"
    if not (isinstance(y_pred, str) and y_pred == "deprecated"):
        if y_proba is not None:
            raise InvalidParameterError(
                f"{func}: pass the probabilities as y_proba only, got both y_pred and y_proba "
                "(y_pred is its deprecated name)"
            )
        warnings.warn(
            "`y_pred` was renamed to `y_proba` in version 1.9 and will be removed in 1.11. "
            "Use `y_proba` instead.",
            FutureWarning,
            stacklevel=2,
        )
        y_proba = y_pred
    if is_matrix(y_proba):
        return _log_loss(
            y_proba, y_true, sample_weight=sample_weight, classes=labels, normalize=normalize
        )
    true = as_labels(y_true, "y_true", func)
    classes = true if labels is None else as_labels(labels, "labels", func)
    positive = _greater_class(classes, "y_proba", func)
    return _log_loss(
        y_proba, true, positive_class=positive, sample_weight=sample_weight, normalize=normalize
    )


def brier_score_loss(
    y_true: LabelsLike,
    y_proba: Any,
    *,
    sample_weight: Any = None,
    pos_label: object = None,
    labels: Any = None,
    scale_by_half: bool | Literal["auto"] = "auto",
) -> float:
    """scikit-learn's ``brier_score_loss``: mean squared error of probabilities.

    Args:
        y_true: True labels.
        y_proba: Probabilities of ``pos_label``, or an (n_samples, n_classes) matrix.
        sample_weight: Per-sample weights.
        pos_label: 1-D: the positive class; None is 1 for labels in {0, 1} or
            {-1, 1}, else the greater numeric class (strings need it).
        labels: Matrix: the class of each column.
        scale_by_half: "auto" (halve for two classes), True or False.

    Returns:
        The score.

    Raises:
        MetricsError: A subclass (``ValueError``) naming the problem.

    Example:
        >>> round(brier_score_loss([1, 0, 0, 1], [0.9, 0.1, 0.8, 0.35]), 4)
        0.2706
    """
    func = "brier_score_loss"
    if is_matrix(y_proba):
        return _brier_score_loss(
            y_proba,
            y_true,
            sample_weight=sample_weight,
            classes=labels,
            scale_by_half=scale_by_half,
        )
    true = as_labels(y_true, "y_true", func)
    classes = label_classes(true)
    if classes.shape[0] > 2:
        raise _one_dimensional(classes, "y_proba", func)
    positive = consistent_pos_label(pos_label, classes, func, numeric_fallback=True)
    return _brier_score_loss(
        y_proba,
        true,
        positive_class=positive,
        sample_weight=sample_weight,
        scale_by_half=scale_by_half,
    )


def roc_curve(
    y_true: LabelsLike,
    y_score: Any,
    *,
    pos_label: object = None,
    sample_weight: Any = None,
    drop_intermediate: bool = True,
) -> Curve:
    """scikit-learn's ``roc_curve``: ``(fpr, tpr, thresholds)``.

    Args:
        y_true: True labels.
        y_score: Scores of ``pos_label``.
        pos_label: The positive class; None is 1 for labels in {0, 1} or {-1, 1}.
        sample_weight: Per-sample weights.
        drop_intermediate: Drop thresholds that do not change the curve's shape.

    Returns:
        The three arrays.

    Raises:
        MetricsError: A subclass (``ValueError``) naming the problem.

    Example:
        >>> fpr, tpr, thresholds = roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
        >>> tpr.tolist()
        [0.0, 0.5, 0.5, 1.0, 1.0]
    """
    true = as_labels(y_true, "y_true", "roc_curve")
    positive = _pos_label(pos_label, true, "roc_curve")
    fpr, tpr, thresholds = _roc_curve(
        y_score,
        true,
        positive_class=positive,
        sample_weight=sample_weight,
        drop_intermediate=drop_intermediate,
    )
    return fpr, tpr, thresholds


def precision_recall_curve(
    y_true: LabelsLike,
    y_score: Any,
    *,
    pos_label: object = None,
    sample_weight: Any = None,
    drop_intermediate: bool = False,
) -> Curve:
    """scikit-learn's ``precision_recall_curve``: ``(precision, recall, thresholds)``.

    Args:
        y_true: True labels.
        y_score: Scores of ``pos_label``.
        pos_label: The positive class; None is 1 for labels in {0, 1} or {-1, 1}.
        sample_weight: Per-sample weights.
        drop_intermediate: Drop thresholds that do not change the curve's shape.

    Returns:
        The three arrays.

    Raises:
        MetricsError: A subclass (``ValueError``) naming the problem.

    Example:
        >>> precision, recall, thresholds = precision_recall_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
        >>> recall.tolist()
        [1.0, 1.0, 0.5, 0.5, 0.0]
    """
    func = "precision_recall_curve"
    true = as_labels(y_true, "y_true", func)
    positive = _pos_label(pos_label, true, func)
    precision, recall, thresholds = _precision_recall_curve(
        y_score,
        true,
        positive_class=positive,
        sample_weight=sample_weight,
        drop_intermediate=drop_intermediate,
    )
    return precision, recall, thresholds
