"""confusion_matrix: counts of (true label, prediction) pairs, with their classes."""

from __future__ import annotations

from typing import Any, Literal, NamedTuple

import numpy as np
import numpy.typing as npt
from ml_infra.metrics._counting import tally, tally_with_classes
from ml_infra.metrics._errors import InvalidParameterError, MixedLabelTypesError
from ml_infra.metrics._parameters import check_option
from ml_infra.metrics._text import format_list
from ml_infra.metrics._validation import LabelsLike, as_labels, as_pair, unify_integers

__all__ = [
    "ConfusionMatrixResult",
    "Normalize",
    "check_normalize",
    "confusion_matrix",
    "normalized",
]

Normalize = Literal["true", "pred", "all"] | None
_NORMALIZE = ("true", "pred", "all", None)


class ConfusionMatrixResult(NamedTuple):
    """The classes and the matrix of :func:`confusion_matrix` (unpacks as a pair).

    Attributes:
        classes: The classes, one per row and per column, sorted unless given.
        matrix: Rows are true labels, columns are predictions (scikit-learn's
            layout): ``int64`` counts, or ``float64`` fractions when normalized.

    Example:
        >>> classes, matrix = confusion_matrix([1, 0], [1, 1])
        >>> classes.tolist(), matrix.tolist()
        ([0, 1], [[0, 0], [1, 1]])
    """

    classes: npt.NDArray[Any]
    matrix: npt.NDArray[Any]


def check_normalize(normalize: object, func: str) -> Normalize:
    """Return ``normalize`` if it is None, "true", "pred" or "all", else raise.

    Args:
        normalize: The caller's ``normalize`` argument.
        func: The public function's name, for messages.

    Returns:
        The validated option.

    Raises:
        InvalidParameterError: Any other value.

    Example:
        >>> check_normalize("true", "confusion_matrix")
        'true'
    """
    checked: Normalize = check_option(normalize, _NORMALIZE, "normalize", func)
    return checked


def normalized(counts: npt.NDArray[np.int64], normalize: Normalize) -> npt.NDArray[Any]:
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
    """Validate an explicit class list: labels-like, distinct, non-empty, same type.

    Returns ``(classes, predictions, labels)``, integers in one exact type.
    """
    checked = as_labels(classes, "classes", func)
    if checked.shape[0] == 0:
        raise InvalidParameterError(f"{func}: classes must name at least one class, got none")
    if labels.shape[0] and (checked.dtype.kind == "U") != (labels.dtype.kind == "U"):
        raise MixedLabelTypesError(
            f"{func}: classes and labels must use the same label type (strings or numbers)"
        )
    checked, predictions, labels = unify_integers(
        (checked, predictions, labels), "classes, predictions and labels", func
    )
    distinct = np.unique(checked)
    if distinct.shape[0] != checked.shape[0]:
        raise InvalidParameterError(
            f"{func}: classes must be distinct, got {format_list(checked.tolist())}"
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
    if classes is None:
        found, counts = tally(pred, true)
    else:
        found, pred, true = _as_classes(classes, pred, true, func)
        counts = tally_with_classes(pred, true, found)
    return ConfusionMatrixResult(found, normalized(counts, checked_normalize))
