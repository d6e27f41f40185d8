"""accuracy, precision, recall, f1_score and fbeta_score: the one-shot classification scores.

Argument order follows the seed, **predictions first, labels (ground truth)
second**: the reverse of scikit-learn's ``(y_true, y_pred)``.

Every score takes one path: validate (targets, weights, options) -> count
(``_counting``; a one-vs-rest shortcut for ``average="binary"``) -> reduce
(``_scores``).
"""

from __future__ import annotations

from typing import Any, overload

import numpy as np
from ml_infra.metrics._counting import binary_counts, class_counts
from ml_infra.metrics._errors import EmptyInputError, InvalidParameterError
from ml_infra.metrics._labels import LabelsLike
from ml_infra.metrics._multilabel import as_targets, check_columns, sample_scores
from ml_infra.metrics._parameters import (
    check_average,
    check_beta,
    check_zero_division,
    positive_masks,
)
from ml_infra.metrics._scores import Average, Averaged, Metric, binary_score, score_from_counts
from ml_infra.metrics._weights import as_weights

__all__ = ["accuracy", "f1_score", "fbeta_score", "precision", "recall"]


def accuracy(
    predictions: LabelsLike, labels: LabelsLike, *, sample_weight: LabelsLike | None = None
) -> float:
    """Fraction of predictions equal to their label (subset accuracy for multilabel).

    Note the argument order: **predictions first, labels second** (the reverse
    of scikit-learn's ``accuracy_score(y_true, y_pred)``; the value is the same).

    Args:
        predictions: Predicted labels (list, tuple, 1-D ndarray or pandas Series
            of ints, bools or strings), or 2-D 0/1 multilabel indicator rows
            (a sample is correct when its whole row matches).
        labels: True labels, same length and kind.
        sample_weight: Non-negative weights, one per sample (None: all 1).

    Returns:
        The (weighted) accuracy in [0, 1]; 0.0 for empty input (scikit-learn raises).

    Raises:
        MetricsError: A subclass naming the bad argument (see the package docs).

    Example:
        >>> accuracy([1, 0, 1, 1, 0], [1, 0, 1, 0, 0])
        0.8
        >>> accuracy([[1, 0], [1, 1]], [[1, 0], [0, 1]], sample_weight=[3, 1])
        0.75
    """
    func = "accuracy"
    targets = as_targets(predictions, labels, func)
    n = targets.n_samples
    weights = as_weights(sample_weight, n, func)
    if n == 0:
        return 0.0
    correct = targets.predictions == targets.labels
    if targets.multilabel:
        correct = correct.all(axis=1)
    if weights is None:
        return int(np.count_nonzero(correct)) / n
    return float(np.average(correct, weights=weights))


def _score(
    metric: Metric,
    predictions: LabelsLike,
    labels: LabelsLike,
    positive_class: object,
    *,
    average: object,
    zero_division: object,
    classes: LabelsLike | None,
    sample_weight: LabelsLike | None,
    beta: object = 1.0,
) -> float | dict[Any, float]:
    """Validate, count (one-vs-rest shortcut for binary), reduce."""
    func = metric
    checked_average = check_average(average, func)
    checked_zero_division = check_zero_division(zero_division, func)
    checked_beta = check_beta(beta, func) if metric == "fbeta_score" else 1.0
    targets = as_targets(predictions, labels, func)
    weights = as_weights(sample_weight, targets.n_samples, func)
    if targets.n_samples == 0:
        raise EmptyInputError(
            f"{func}: predictions and labels are empty; there is nothing to score"
        )
    if checked_average == "binary":
        if targets.multilabel:
            raise InvalidParameterError(
                f"{func}: average='binary' scores one class of 1-D labels, got multilabel "
                "indicators; pass average='micro', 'macro', 'weighted', 'samples' or None"
            )
        if classes is not None:
            raise InvalidParameterError(
                f"{func}: classes picks the classes of the averages and of average=None; "
                "with average='binary' name the class with positive_class instead"
            )
        # Two comparisons and counts: no encoding, no sort, any label type.
        predicted, actual = positive_masks(
            targets.predictions, targets.labels, positive_class, func
        )
        tp, n_predicted, n_actual = binary_counts(predicted, actual, weights)
        return binary_score(metric, tp, n_predicted, n_actual, checked_zero_division, checked_beta)
    if checked_average == "samples":
        if not targets.multilabel:
            raise InvalidParameterError(
                f"{func}: average='samples' averages over the label sets of multilabel "
                "indicators, got 1-D class labels; pass 'micro', 'macro', 'weighted' or None"
            )
        n_labels = int(targets.labels.shape[1])
        columns = None if classes is None else check_columns(classes, n_labels, func)
        return sample_scores(metric, targets, columns, weights, checked_zero_division, checked_beta)
    stats = class_counts(targets, weights, classes, func)
    return score_from_counts(metric, stats, checked_average, checked_zero_division, checked_beta)


@overload
def precision(
    predictions: LabelsLike,
    labels: LabelsLike,
    positive_class: object = ...,
    *,
    average: Averaged = ...,
    zero_division: float = ...,
    classes: LabelsLike | None = ...,
    sample_weight: LabelsLike | None = ...,
) -> float: ...
@overload
def precision(
    predictions: LabelsLike,
    labels: LabelsLike,
    positive_class: object = ...,
    *,
    average: None,
    zero_division: float = ...,
    classes: LabelsLike | None = ...,
    sample_weight: LabelsLike | None = ...,
) -> dict[Any, float]: ...
def precision(
    predictions: LabelsLike,
    labels: LabelsLike,
    positive_class: object = 1,
    *,
    average: Average = "binary",
    zero_division: float = 0.0,
    classes: LabelsLike | None = None,
    sample_weight: LabelsLike | None = None,
) -> float | dict[Any, float]:
    """Precision: of the samples predicted as a class, the fraction that truly are.

    Note the argument order: **predictions first, labels second** (the reverse
    of scikit-learn's ``precision_score(y_true, y_pred)``).

    Args:
        predictions: Predicted labels (list, tuple, 1-D ndarray or pandas Series
            of ints, bools or strings), or 2-D 0/1 multilabel indicator rows
            (then the classes are the column indices).
        labels: True labels, same length and kind.
        positive_class: The class scored when ``average="binary"``; it must occur
            in predictions or labels. Ignored by the other averages.
        average: ``"binary"`` (one-vs-rest for ``positive_class``, also on
            multi-class data; not for multilabel input), ``"micro"``,
            ``"macro"``, ``"weighted"`` (over the classes present in either
            array, or ``classes``), ``"samples"`` (multilabel only: the mean
            over samples of each row's score), or None for ``{class: score}``.
        zero_division: The score of a class that was never predicted: 0.0, 1.0
            or NaN (NaN scores are left out of the macro/weighted averages).
        classes: The classes to score and average over, in this order (scikit-learn's
            ``labels=``); a class absent from the data counts zero (its ratios are
            ``zero_division``), samples of other classes still count as negatives.
            Not with ``average="binary"``.
        sample_weight: Non-negative weights, one per sample (None: all 1); counts
            become sums of weights.

    Returns:
        The precision, or a dict of per-class precisions when ``average`` is None.

    Raises:
        MetricsError: A subclass naming the bad argument (see the package docs).

    Example:
        >>> precision([1, 1, 0, 1], [1, 0, 0, 1])
        0.6666666666666666
        >>> precision(["cat", "dog", "dog"], ["cat", "cat", "dog"], average=None)
        {'cat': 1.0, 'dog': 0.5}
    """
    return _score(
        "precision",
        predictions,
        labels,
        positive_class,
        average=average,
        zero_division=zero_division,
        classes=classes,
        sample_weight=sample_weight,
    )


@overload
def recall(
    predictions: LabelsLike,
    labels: LabelsLike,
    positive_class: object = ...,
    *,
    average: Averaged = ...,
    zero_division: float = ...,
    classes: LabelsLike | None = ...,
    sample_weight: LabelsLike | None = ...,
) -> float: ...
@overload
def recall(
    predictions: LabelsLike,
    labels: LabelsLike,
    positive_class: object = ...,
    *,
    average: None,
    zero_division: float = ...,
    classes: LabelsLike | None = ...,
    sample_weight: LabelsLike | None = ...,
) -> dict[Any, float]: ...
def recall(
    predictions: LabelsLike,
    labels: LabelsLike,
    positive_class: object = 1,
    *,
    average: Average = "binary",
    zero_division: float = 0.0,
    classes: LabelsLike | None = None,
    sample_weight: LabelsLike | None = None,
) -> float | dict[Any, float]:
    """Recall: of the samples truly of a class, the fraction predicted as it.

    Note the argument order: **predictions first, labels second** (the reverse
    of scikit-learn's ``recall_score(y_true, y_pred)``).

    Args:
        predictions: Predicted labels or 2-D indicator rows (see :func:`precision`).
        labels: True labels, same length and kind.
        positive_class: The class scored when ``average="binary"``; it must occur
            in predictions or labels. Ignored by the other averages.
        average: ``"binary"``, ``"micro"``, ``"macro"``, ``"weighted"``, ``"samples"``
            or None (see :func:`precision`).
        zero_division: The score of a class absent from ``labels``: 0.0, 1.0 or NaN.
        classes: The classes to score, in this order (see :func:`precision`).
        sample_weight: Non-negative weights, one per sample (None: all 1).

    Returns:
        The recall, or a dict of per-class recalls when ``average`` is None.

    Raises:
        MetricsError: A subclass naming the bad argument (see the package docs).

    Example:
        >>> recall([1, 1, 0, 0], [1, 0, 1, 1])
        0.3333333333333333
    """
    return _score(
        "recall",
        predictions,
        labels,
        positive_class,
        average=average,
        zero_division=zero_division,
        classes=classes,
        sample_weight=sample_weight,
    )


@overload
def f1_score(
    predictions: LabelsLike,
    labels: LabelsLike,
    positive_class: object = ...,
    *,
    average: Averaged = ...,
    zero_division: float = ...,
    classes: LabelsLike | None = ...,
    sample_weight: LabelsLike | None = ...,
) -> float: ...
@overload
def f1_score(
    predictions: LabelsLike,
    labels: LabelsLike,
    positive_class: object = ...,
    *,
    average: None,
    zero_division: float = ...,
    classes: LabelsLike | None = ...,
    sample_weight: LabelsLike | None = ...,
) -> dict[Any, float]: ...
def f1_score(
    predictions: LabelsLike,
    labels: LabelsLike,
    positive_class: object = 1,
    *,
    average: Average = "binary",
    zero_division: float = 0.0,
    classes: LabelsLike | None = None,
    sample_weight: LabelsLike | None = None,
) -> float | dict[Any, float]:
    """F1: the harmonic mean of precision and recall, ``2 tp / (2 tp + fp + fn)``.

    Note the argument order: **predictions first, labels second** (the reverse
    of scikit-learn's ``f1_score(y_true, y_pred)``).

    Args:
        predictions: Predicted labels or 2-D indicator rows (see :func:`precision`).
        labels: True labels, same length and kind.
        positive_class: The class scored when ``average="binary"``; it must occur
            in predictions or labels. Ignored by the other averages.
        average: ``"binary"``, ``"micro"``, ``"macro"``, ``"weighted"``, ``"samples"``
            or None (see :func:`precision`).
        zero_division: The score of a class absent from both predictions and
            labels' positives (``tp + fp + fn == 0``): 0.0, 1.0 or NaN.
        classes: The classes to score, in this order (see :func:`precision`).
        sample_weight: Non-negative weights, one per sample (None: all 1).

    Returns:
        The F1 score, or a dict of per-class scores when ``average`` is None.

    Raises:
        MetricsError: A subclass naming the bad argument (see the package docs).

    Example:
        >>> f1_score([0, 2, 1, 2], [0, 1, 1, 2], average="macro")
        0.7777777777777777
    """
    return _score(
        "f1_score",
        predictions,
        labels,
        positive_class,
        average=average,
        zero_division=zero_division,
        classes=classes,
        sample_weight=sample_weight,
    )


@overload
def fbeta_score(
    predictions: LabelsLike,
    labels: LabelsLike,
    positive_class: object = ...,
    *,
    beta: float,
    average: Averaged = ...,
    zero_division: float = ...,
    classes: LabelsLike | None = ...,
    sample_weight: LabelsLike | None = ...,
) -> float: ...
@overload
def fbeta_score(
    predictions: LabelsLike,
    labels: LabelsLike,
    positive_class: object = ...,
    *,
    beta: float,
    average: None,
    zero_division: float = ...,
    classes: LabelsLike | None = ...,
    sample_weight: LabelsLike | None = ...,
) -> dict[Any, float]: ...
def fbeta_score(
    predictions: LabelsLike,
    labels: LabelsLike,
    positive_class: object = 1,
    *,
    beta: float,
    average: Average = "binary",
    zero_division: float = 0.0,
    classes: LabelsLike | None = None,
    sample_weight: LabelsLike | None = None,
) -> float | dict[Any, float]:
    """F-beta: ``(1 + beta**2) tp / ((1 + beta**2) tp + beta**2 fn + fp)``.

    Recall weighs ``beta`` times as much as precision: ``beta=1`` is F1,
    ``beta=0`` is the precision, ``beta=inf`` the recall (as scikit-learn).
    Note the argument order: **predictions first, labels second** (the reverse
    of scikit-learn's ``fbeta_score(y_true, y_pred, beta=...)``).

    Args:
        predictions: Predicted labels or 2-D indicator rows (see :func:`precision`).
        labels: True labels, same length and kind.
        positive_class: The class scored when ``average="binary"``; it must occur
            in predictions or labels. Ignored by the other averages.
        average: ``"binary"``, ``"micro"``, ``"macro"``, ``"weighted"``, ``"samples"``
            or None (see :func:`precision`).
        beta: Weight of recall, a real number >= 0 (inf allowed); keyword only.
        zero_division: The score where ``tp + fp + fn == 0`` (precision's rule at
            ``beta=0``, recall's at ``beta=inf``): 0.0, 1.0 or NaN.
        classes: The classes to score, in this order (see :func:`precision`).
        sample_weight: Non-negative weights, one per sample (None: all 1).

    Returns:
        The F-beta score, or a dict of per-class scores when ``average`` is None.

    Raises:
        MetricsError: A subclass naming the bad argument (see the package docs).

    Example:
        >>> fbeta_score([1, 1, 0, 0], [1, 0, 1, 1], beta=2)
        0.35714285714285715
        >>> fbeta_score([1, 1, 0], [1, 0, 0], beta=0.5, sample_weight=[1, 3, 1])
        0.29411764705882354
    """
    return _score(
        "fbeta_score",
        predictions,
        labels,
        positive_class,
        average=average,
        zero_division=zero_division,
        classes=classes,
        sample_weight=sample_weight,
        beta=beta,
    )
