"""accuracy, precision, recall and f1_score: the one-shot classification scores.

Argument order follows the seed, **predictions first, labels (ground truth)
second**: the reverse of scikit-learn's ``(y_true, y_pred)``.
"""

from __future__ import annotations

from typing import Any, overload

import numpy as np
import numpy.typing as npt
from ml_infra.metrics._counting import binary_counts, tally
from ml_infra.metrics._errors import EmptyInputError
from ml_infra.metrics._parameters import (
    check_average,
    check_positive_class,
    check_zero_division,
    matches,
    unknown_class,
)
from ml_infra.metrics._scores import (
    Average,
    Averaged,
    Metric,
    average_scores,
    binary_score,
    class_scores,
    one_vs_rest,
)
from ml_infra.metrics._validation import LabelsLike, as_pair

__all__ = ["accuracy", "f1_score", "precision", "recall", "score_from_counts"]


def accuracy(predictions: LabelsLike, labels: LabelsLike) -> float:
    """Fraction of predictions equal to their label.

    Note the argument order: **predictions first, labels second** (the reverse
    of scikit-learn's ``accuracy_score(y_true, y_pred)``; the value is the same).

    Args:
        predictions: Predicted labels (list, tuple, 1-D ndarray or pandas Series
            of ints, bools or strings).
        labels: True labels, same length and label type.

    Returns:
        The accuracy in [0, 1]; 0.0 for empty input (scikit-learn raises).

    Raises:
        MetricsError: A subclass naming the bad argument (see the package docs).

    Example:
        >>> accuracy([1, 0, 1, 1, 0], [1, 0, 1, 0, 0])
        0.8
    """
    pred, true = as_pair(predictions, labels, "accuracy")
    n = int(pred.shape[0])
    if n == 0:
        return 0.0
    return int(np.count_nonzero(pred == true)) / n


def score_from_counts(
    metric: Metric,
    classes: npt.NDArray[Any],
    counts: npt.NDArray[np.int64],
    positive_class: object,
    average: Average,
    zero_division: float,
    func: str,
) -> float | dict[Any, float]:
    """Reduce confusion counts to one score (validated arguments in).

    Args:
        metric: Which score.
        classes: Sorted classes present in predictions or labels.
        counts: Confusion counts over ``classes`` (rows true, columns predicted).
        positive_class: The class scored by ``average="binary"``.
        average: The validated averaging option.
        zero_division: The validated value of undefined ratios.
        func: The public function's name, for messages.

    Returns:
        A float, or ``{class: score}`` when ``average`` is None.

    Raises:
        EmptyInputError: No samples were counted.
        UnknownClassError: ``positive_class`` is absent (binary only).

    Example:
        >>> score_from_counts("recall", np.array([0, 1]), np.array([[1, 1], [0, 2]]),
        ...                   0, "binary", 0.0, "recall")
        0.5
    """
    if not counts.any():
        raise EmptyInputError(f"{func}: there are no samples to score (the input is empty)")
    if average == "binary":
        index = check_positive_class(positive_class, classes, func)
        return binary_score(
            metric,
            int(counts[index, index]),
            int(counts[:, index].sum()),
            int(counts[index].sum()),
            zero_division,
        )
    true_positives, predicted, actual = one_vs_rest(counts)
    if average == "micro":
        return binary_score(
            metric,
            int(true_positives.sum()),
            int(predicted.sum()),
            int(actual.sum()),
            zero_division,
        )
    scores = class_scores(metric, true_positives, predicted, actual, zero_division)
    if average is None:
        return dict(zip(classes.tolist(), scores.tolist(), strict=True))
    return average_scores(scores, actual if average == "weighted" else None)


def _score(
    metric: Metric,
    predictions: LabelsLike,
    labels: LabelsLike,
    positive_class: object,
    average: object,
    zero_division: object,
) -> float | dict[Any, float]:
    """Validate, count (one-vs-rest shortcut for binary), reduce."""
    func = metric
    checked_average = check_average(average, func)
    checked_zero_division = check_zero_division(zero_division, func)
    pred, true = as_pair(predictions, labels, func)
    if pred.shape[0] == 0:
        raise EmptyInputError(
            f"{func}: predictions and labels are empty; there is nothing to score"
        )
    if checked_average == "binary":
        # Two comparisons and counts: no encoding, no sort, any label type.
        tp, n_predicted, n_actual = binary_counts(
            matches(pred, positive_class), matches(true, positive_class)
        )
        if n_predicted or n_actual:
            return binary_score(metric, tp, n_predicted, n_actual, checked_zero_division)
        raise unknown_class(positive_class, tally(pred, true)[0], func)
    classes, counts = tally(pred, true)
    return score_from_counts(
        metric, classes, counts, positive_class, checked_average, checked_zero_division, func
    )


@overload
def precision(
    predictions: LabelsLike,
    labels: LabelsLike,
    positive_class: object = ...,
    *,
    average: Averaged = ...,
    zero_division: float = ...,
) -> float: ...
@overload
def precision(
    predictions: LabelsLike,
    labels: LabelsLike,
    positive_class: object = ...,
    *,
    average: None,
    zero_division: float = ...,
) -> dict[Any, float]: ...
def precision(
    predictions: LabelsLike,
    labels: LabelsLike,
    positive_class: object = 1,
    *,
    average: Average = "binary",
    zero_division: float = 0.0,
) -> float | dict[Any, float]:
    """Precision: of the samples predicted as a class, the fraction that truly are.

    Note the argument order: **predictions first, labels second** (the reverse
    of scikit-learn's ``precision_score(y_true, y_pred)``).

    Args:
        predictions: Predicted labels (list, tuple, 1-D ndarray or pandas Series
            of ints, bools or strings).
        labels: True labels, same length and label type.
        positive_class: The class scored when ``average="binary"``; it must occur
            in predictions or labels. Ignored by the other averages.
        average: ``"binary"`` (one-vs-rest for ``positive_class``, also on
            multi-class data), ``"micro"``, ``"macro"``, ``"weighted"`` (over the
            classes present in either array), or None for ``{class: score}``.
        zero_division: The score of a class that was never predicted: 0.0, 1.0
            or NaN (NaN scores are left out of the macro/weighted averages).

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
    return _score("precision", predictions, labels, positive_class, average, zero_division)


@overload
def recall(
    predictions: LabelsLike,
    labels: LabelsLike,
    positive_class: object = ...,
    *,
    average: Averaged = ...,
    zero_division: float = ...,
) -> float: ...
@overload
def recall(
    predictions: LabelsLike,
    labels: LabelsLike,
    positive_class: object = ...,
    *,
    average: None,
    zero_division: float = ...,
) -> dict[Any, float]: ...
def recall(
    predictions: LabelsLike,
    labels: LabelsLike,
    positive_class: object = 1,
    *,
    average: Average = "binary",
    zero_division: float = 0.0,
) -> float | dict[Any, float]:
    """Recall: of the samples truly of a class, the fraction predicted as it.

    Note the argument order: **predictions first, labels second** (the reverse
    of scikit-learn's ``recall_score(y_true, y_pred)``).

    Args:
        predictions: Predicted labels (list, tuple, 1-D ndarray or pandas Series
            of ints, bools or strings).
        labels: True labels, same length and label type.
        positive_class: The class scored when ``average="binary"``; it must occur
            in predictions or labels. Ignored by the other averages.
        average: ``"binary"``, ``"micro"``, ``"macro"``, ``"weighted"`` or None
            (see :func:`precision`).
        zero_division: The score of a class absent from ``labels``: 0.0, 1.0 or NaN.

    Returns:
        The recall, or a dict of per-class recalls when ``average`` is None.

    Raises:
        MetricsError: A subclass naming the bad argument (see the package docs).

    Example:
        >>> recall([1, 1, 0, 0], [1, 0, 1, 1])
        0.3333333333333333
    """
    return _score("recall", predictions, labels, positive_class, average, zero_division)


@overload
def f1_score(
    predictions: LabelsLike,
    labels: LabelsLike,
    positive_class: object = ...,
    *,
    average: Averaged = ...,
    zero_division: float = ...,
) -> float: ...
@overload
def f1_score(
    predictions: LabelsLike,
    labels: LabelsLike,
    positive_class: object = ...,
    *,
    average: None,
    zero_division: float = ...,
) -> dict[Any, float]: ...
def f1_score(
    predictions: LabelsLike,
    labels: LabelsLike,
    positive_class: object = 1,
    *,
    average: Average = "binary",
    zero_division: float = 0.0,
) -> float | dict[Any, float]:
    """F1: the harmonic mean of precision and recall, ``2 tp / (2 tp + fp + fn)``.

    Note the argument order: **predictions first, labels second** (the reverse
    of scikit-learn's ``f1_score(y_true, y_pred)``).

    Args:
        predictions: Predicted labels (list, tuple, 1-D ndarray or pandas Series
            of ints, bools or strings).
        labels: True labels, same length and label type.
        positive_class: The class scored when ``average="binary"``; it must occur
            in predictions or labels. Ignored by the other averages.
        average: ``"binary"``, ``"micro"``, ``"macro"``, ``"weighted"`` or None
            (see :func:`precision`).
        zero_division: The score of a class absent from both predictions and
            labels' positives (``tp + fp + fn == 0``): 0.0, 1.0 or NaN.

    Returns:
        The F1 score, or a dict of per-class scores when ``average`` is None.

    Raises:
        MetricsError: A subclass naming the bad argument (see the package docs).

    Example:
        >>> f1_score([0, 2, 1, 2], [0, 1, 1, 2], average="macro")
        0.7777777777777777
    """
    return _score("f1_score", predictions, labels, positive_class, average, zero_division)
