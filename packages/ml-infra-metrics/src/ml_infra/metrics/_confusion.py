"""confusion_matrix: counts of (true label, prediction) pairs, with their classes."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
from ml_infra.metrics._counting import class_counts, tally, tally_with_classes
from ml_infra.metrics._errors import InvalidParameterError
from ml_infra.metrics._labels import LabelsLike, as_pair, unify_integers
from ml_infra.metrics._multilabel import as_targets
from ml_infra.metrics._parameters import Normalize, check_classes, check_normalize
from ml_infra.metrics._text import format_list
from ml_infra.metrics._weights import as_weights

__all__ = [
    "ConfusionMatrixResult",
    "confusion_matrix",
    "multilabel_confusion_matrix",
    "normalized",
]


class ConfusionMatrixResult(NamedTuple):
    """The classes and the matrix of :func:`confusion_matrix` (unpacks as a pair).

    Attributes:
        classes: The classes, one per row and per column, sorted unless given.
        matrix: Rows are true labels, columns are predictions (scikit-learn's
            layout): ``int64`` counts, ``float64`` sums of weights with
            ``sample_weight``, or ``float64`` fractions when normalized. For
            :func:`multilabel_confusion_matrix`, one ``[[tn, fp], [fn, tp]]``
            table per class.

    Example:
        >>> classes, matrix = confusion_matrix([1, 0], [1, 1])
        >>> classes.tolist(), matrix.tolist()
        ([0, 1], [[0, 0], [1, 1]])
    """

    classes: npt.NDArray[Any]
    matrix: npt.NDArray[Any]


def normalized(counts: npt.NDArray[Any], normalize: Normalize) -> npt.NDArray[Any]:
    """Divide counts by row, column or grand totals; 0/0 gives 0 (as scikit-learn).

    Args:
        counts: Square confusion counts.
        normalize: None (counts unchanged), "true" (rows sum to 1), "pred"
            (columns sum to 1) or "all" (the matrix sums to 1).

    Returns:
        The counts, or float64 fractions.

    Example:
        >>> normalized(np.array([[1, 3], [0, 0]]), "true").tolist()
        [[0.25, 0.75], [0.0, 0.0]]
    """
    if normalize is None:
        return counts
    with np.errstate(all="ignore"):
        if normalize == "true":
            fractions = counts / counts.sum(axis=1, keepdims=True)
        elif normalize == "pred":
            fractions = counts / counts.sum(axis=0, keepdims=True)
        else:
            fractions = counts / counts.sum()
    cleaned: npt.NDArray[np.float64] = np.nan_to_num(fractions)
    return cleaned


def _as_classes(
    classes: LabelsLike, predictions: npt.NDArray[Any], labels: npt.NDArray[Any], func: str
) -> tuple[npt.NDArray[Any], ...]:
    """Validate an explicit class list; one of them must occur in labels (as scikit-learn).

    Returns ``(classes, predictions, labels)``, integers in one exact type.
    """
    checked = check_classes(classes, labels, func)
    checked, predictions, labels = unify_integers(
        (checked, predictions, labels), "classes, predictions and labels", func
    )
    if labels.shape[0] and not np.isin(labels, checked).any():
        raise InvalidParameterError(
            f"{func}: none of the classes {format_list(checked.tolist())} occurs in labels"
        )
    return checked, predictions, labels


def confusion_matrix(
    predictions: LabelsLike,
    labels: LabelsLike,
    *,
    classes: LabelsLike | None = None,
    normalize: Normalize = None,
    sample_weight: LabelsLike | None = None,
) -> ConfusionMatrixResult:
    """Count how often each true label was predicted as each class.

    Note the argument order: **predictions first, labels second** (the reverse
    of scikit-learn's ``confusion_matrix(y_true, y_pred)``); the matrix itself
    has scikit-learn's layout: row ``i`` is true class ``classes[i]``, column
    ``j`` is predicted class ``classes[j]``.

    Args:
        predictions: Predicted labels (list, tuple, 1-D ndarray or pandas Series).
        labels: True labels, same length and label type.
        classes: The rows/columns wanted, in this order (samples whose label or
            prediction is not among them are left out). Default: the sorted
            classes present in either array.
        normalize: None for counts, or "true" / "pred" / "all" to divide by row,
            column or grand totals (an all-zero row or column stays zero).
        sample_weight: Non-negative weights, one per sample (None: all 1); the
            matrix then holds float64 sums of weights.

    Returns:
        ``(classes, matrix)`` as a :class:`ConfusionMatrixResult`.

    Raises:
        MetricsError: A subclass naming the bad argument (see the package docs).

    Example:
        >>> classes, matrix = confusion_matrix(["b", "a", "b"], ["a", "a", "b"])
        >>> classes.tolist(), matrix.tolist()
        (['a', 'b'], [[1, 1], [0, 1]])
    """
    func = "confusion_matrix"
    checked_normalize = check_normalize(normalize, func)
    pred, true = as_pair(predictions, labels, func)
    weights = as_weights(sample_weight, true.shape[0], func)
    if classes is None:
        found, counts = tally(pred, true, weights)
    else:
        found, pred, true = _as_classes(classes, pred, true, func)
        counts = tally_with_classes(pred, true, found, weights)
    return ConfusionMatrixResult(found, normalized(counts, checked_normalize))


def multilabel_confusion_matrix(
    predictions: LabelsLike,
    labels: LabelsLike,
    *,
    classes: LabelsLike | None = None,
    sample_weight: LabelsLike | None = None,
) -> ConfusionMatrixResult:
    """One-vs-rest 2 x 2 confusion tables, one per class (or per indicator column).

    As ``sklearn.metrics.multilabel_confusion_matrix``: table ``i`` is
    ``[[tn, fp], [fn, tp]]`` for class ``classes[i]``. Takes 2-D 0/1 indicator
    rows (the classes are the column indices) or 1-D multi-class labels (each
    class against the rest).

    Args:
        predictions: Predicted indicator rows, or predicted labels.
        labels: True indicator rows (or labels), same length and kind.
        classes: The classes wanted, in this order (absent ones get zero
            positives); default: the columns, or the sorted classes present.
        sample_weight: Non-negative weights, one per sample (None: all 1).

    Returns:
        ``(classes, matrix)``: ``matrix`` has shape ``(n_classes, 2, 2)``,
        ``int64`` (``float64`` with weights).

    Raises:
        MetricsError: A subclass naming the bad argument (see the package docs).

    Example:
        >>> classes, tables = multilabel_confusion_matrix([[1, 0], [1, 1]], [[1, 0], [0, 1]])
        >>> classes.tolist(), tables.tolist()
        ([0, 1], [[[0, 1], [0, 1]], [[1, 0], [0, 1]]])
    """
    func = "multilabel_confusion_matrix"
    targets = as_targets(predictions, labels, func)
    weights = as_weights(sample_weight, targets.n_samples, func)
    stats = class_counts(targets, weights, classes, func)
    total = targets.n_samples if weights is None else weights.sum()
    tp = stats.true_positives
    fp = stats.predicted - tp
    fn = stats.actual - tp
    tn = total - tp - fp - fn
    tables = np.stack((tn, fp, fn, tp), axis=-1).reshape(-1, 2, 2)
    return ConfusionMatrixResult(stats.classes, tables)
