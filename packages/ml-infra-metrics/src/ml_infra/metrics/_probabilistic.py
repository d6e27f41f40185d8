"""log_loss and brier_score_loss: how well predicted probabilities match the labels.

Scores first, labels second. 1-D probabilities are those of ``positive_class``
(every other class is negative); an ``(n_samples, n_classes)`` matrix has one
column per class (the sorted classes of ``labels``, or ``classes``). Both
follow scikit-learn 1.9: probabilities are clipped to ``[eps, 1 - eps]`` for
the log (``eps`` of their float type), and the Brier score of two classes is
halved (``scale_by_half="auto"``). Unlike scikit-learn, rows that do not sum to
one are an error (scikit-learn only warns).
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from ml_infra.metrics._errors import (
    EmptyInputError,
    SingleClassError,
    UnknownClassError,
)
from ml_infra.metrics._labels import LabelsLike
from ml_infra.metrics._multiclass_scores import matrix_input
from ml_infra.metrics._parameters import check_option, matches
from ml_infra.metrics._score_inputs import (
    FloatArray,
    as_scores,
    check_flag,
    is_matrix,
    validated_labels,
)
from ml_infra.metrics._text import format_list, safe_repr
from ml_infra.metrics._weights import Weights, as_weights

__all__ = [
    "binary_brier_errors",
    "brier_score_loss",
    "clipped_log_losses",
    "log_loss",
    "weighted_mean",
]


def _binary_input(
    scores: object,
    labels: object,
    positive_class: object,
    sample_weight: object,
    func: str,
    *,
    one_class_ok: bool,
) -> tuple[FloatArray, npt.NDArray[np.bool_], Weights]:
    """Validate 1-D probabilities of ``positive_class`` with their labels and weights."""
    proba = as_scores(scores, func, probabilities=True)
    true = validated_labels(labels, proba.shape[0], func)
    weights = as_weights(sample_weight, proba.shape[0], func)
    positive = matches(true, positive_class)
    n_positive = int(np.count_nonzero(positive))
    if 0 < n_positive < true.shape[0] or true.shape[0] == 0:
        return proba, positive, weights
    present = np.unique(true).tolist()
    if n_positive == 0 and len(present) > 1:
        raise UnknownClassError(
            f"{func}: positive_class={safe_repr(positive_class)} occurs nowhere in labels; "
            f"the classes in labels are {format_list(present)}. Pass the class the "
            "probabilities are for as positive_class"
        )
    if not one_class_ok:
        raise SingleClassError(
            f"{func}: labels hold a single class {format_list(present)}, so the loss "
            "cannot tell which class the probabilities are for; pass data with both "
            "classes, or a probability matrix with classes=[...]"
        )
    return proba, positive, weights


def weighted_mean(values: FloatArray, weights: Weights, normalize: bool, func: str) -> float:
    """Mean (or sum) of per-sample values, weighted as scikit-learn's ``_average``.

    Args:
        values: One value per sample.
        weights: Validated weights, or None.
        normalize: Mean (True) or sum (False).
        func: The public function's name, for messages.

    Returns:
        The mean or sum.

    Raises:
        EmptyInputError: No sample (weights summing to zero are refused earlier).

    Example:
        >>> weighted_mean(np.array([1.0, 3.0]), np.array([3.0, 1.0]), True, "log_loss")
        1.5
    """
    if values.shape[0] == 0:
        raise EmptyInputError(f"{func}: there are no samples to score (the input is empty)")
    if weights is None:
        return float(np.mean(values) if normalize else np.sum(values))
    if normalize:
        return float(np.average(values, weights=weights))
    return float(np.dot(values, weights))


def clipped_log_losses(picked: FloatArray) -> FloatArray:
    """Each sample's log loss from the probability given to its true class.

    Args:
        picked: The probability of each sample's true class.

    Returns:
        ``-log(clip(picked, eps, 1 - eps))``, ``eps`` of their float type (scikit-learn's clipping).

    Example:
        >>> clipped_log_losses(np.array([1.0, 0.5])).round(4).tolist()
        [0.0, 0.6931]
    """
    eps = np.finfo(picked.dtype).eps
    losses: FloatArray = -np.log(np.clip(picked, eps, 1 - eps))
    return losses


def binary_brier_errors(proba: FloatArray, positive: npt.NDArray[np.bool_]) -> FloatArray:
    """Each sample's squared error over the two columns ``(1 - p, p)``, as scikit-learn sums it.

    Args:
        proba: The probability of the positive class.
        positive: Which samples are positive.

    Returns:
        ``((1 - y) - (1 - p)) ** 2 + (y - p) ** 2`` (twice ``(p - y) ** 2`` up to rounding).

    Example:
        >>> binary_brier_errors(np.array([0.75]), np.array([True])).tolist()
        [0.125]
    """
    y = positive.astype(proba.dtype)
    errors: FloatArray = ((1 - y) - (1 - proba)) ** 2 + (y - proba) ** 2
    return errors


def log_loss(
    scores: Any,
    labels: LabelsLike,
    *,
    positive_class: object = 1,
    sample_weight: Any = None,
    classes: Any = None,
    normalize: bool = True,
) -> float:
    """Log loss (cross-entropy) of predicted probabilities, equal to scikit-learn's.

    ``-mean(log p_true)``, with probabilities clipped to ``[eps, 1 - eps]``
    (``eps`` of their float type) so that a confident mistake costs about 36,
    not infinity. Note the argument order: **scores first, labels second**.

    Args:
        scores: Probabilities: 1-D, those of ``positive_class``; or an
            ``(n_samples, n_classes)`` matrix whose rows sum to one.
        labels: True class labels, one per row of ``scores``.
        positive_class: 1-D only: the class the probabilities are for.
        sample_weight: Optional non-negative weight per sample.
        classes: Matrix only: the class of each column (default: the sorted
            classes of ``labels``, which must then all occur).
        normalize: The mean per sample (True) or the total (False).

    Returns:
        The loss (lower is better).

    Raises:
        MetricsError: A subclass naming the problem: probabilities outside
            [0, 1] or NaN, rows not summing to one, a single class in 1-D labels.

    Example:
        >>> round(log_loss([0.9, 0.1, 0.8, 0.35], [1, 0, 0, 1]), 4)
        0.7175
    """
    func = "log_loss"
    normalize = check_flag(normalize, "normalize", func)
    if is_matrix(scores):
        matrix = matrix_input(scores, labels, classes, sample_weight, func)
        proba, weights = matrix.proba, matrix.weights
        picked = proba[np.arange(proba.shape[0]), matrix.codes]
    else:
        proba, positive, weights = _binary_input(
            scores, labels, positive_class, sample_weight, func, one_class_ok=False
        )
        picked = np.where(positive, proba, 1 - proba)
    return weighted_mean(clipped_log_losses(picked), weights, normalize, func)


def brier_score_loss(
    scores: Any,
    labels: LabelsLike,
    *,
    positive_class: object = 1,
    sample_weight: Any = None,
    classes: Any = None,
    scale_by_half: bool | Literal["auto"] = "auto",
) -> float:
    """Brier score: mean squared distance between probabilities and outcomes, as scikit-learn's.

    Multi-class it is ``mean(sum_k (p_k - [y == k]) ** 2)``; with
    ``scale_by_half`` (by default for two classes, so also for 1-D
    probabilities) it is halved, which for 1-D scores is ``mean((p - y) ** 2)``.
    Note the argument order: **scores first, labels second**.

    Args:
        scores: Probabilities: 1-D, those of ``positive_class``; or an
            ``(n_samples, n_classes)`` matrix whose rows sum to one.
        labels: True class labels, one per row of ``scores``.
        positive_class: 1-D only: the class the probabilities are for.
        sample_weight: Optional non-negative weight per sample.
        classes: Matrix only: the class of each column.
        scale_by_half: ``"auto"`` (halve for two classes), True or False.

    Returns:
        The score (lower is better).

    Raises:
        MetricsError: A subclass naming the problem.

    Example:
        >>> round(brier_score_loss([0.9, 0.1, 0.8, 0.35], [1, 0, 0, 1]), 4)
        0.2706
    """
    func = "brier_score_loss"
    if not isinstance(scale_by_half, bool | np.bool_):
        check_option(scale_by_half, ("auto",), "scale_by_half", func)
    if is_matrix(scores):
        matrix = matrix_input(scores, labels, classes, sample_weight, func)
        proba, weights = matrix.proba, matrix.weights
        onehot = (matrix.codes[:, None] == np.arange(proba.shape[1])).astype(proba.dtype)
        errors = np.sum((onehot - proba) ** 2, axis=1)
        two_classes = proba.shape[1] < 3
    else:
        proba, positive, weights = _binary_input(
            scores, labels, positive_class, sample_weight, func, one_class_ok=True
        )
        errors = binary_brier_errors(proba, positive)
        two_classes = True
    score = weighted_mean(errors, weights, True, func)
    halve = two_classes if scale_by_half == "auto" else bool(scale_by_half)
    return score * 0.5 if halve else score
