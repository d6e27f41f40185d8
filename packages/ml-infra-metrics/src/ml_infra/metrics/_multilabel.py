"""Multilabel indicators: 2-D 0/1 input in, per-label and per-sample counts out.

A multilabel target is an ``n_samples x n_labels`` matrix of 0/1 (or bool)
values, as an ndarray, a list of lists or any 2-D array-like; the classes are
the column indices ``0 .. n_labels - 1`` (scikit-learn's convention).
:func:`as_targets` is the one entry of every public function that accepts
both kinds: 1-D class labels go to ``_labels.as_pair``, 2-D input is
checked here, and mixing the two is an error (as in scikit-learn).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
from ml_infra.metrics._errors import (
    InvalidInputTypeError,
    InvalidParameterError,
    InvalidShapeError,
)
from ml_infra.metrics._labels import LabelsLike, as_labels, as_pair, length_mismatch
from ml_infra.metrics._scores import ClassCounts, Metric, average_scores, class_scores
from ml_infra.metrics._text import format_list, safe_repr
from ml_infra.metrics._weights import Weights

__all__ = ["Targets", "as_targets", "check_columns", "label_counts", "sample_scores"]

Indicators = npt.NDArray[np.bool_]


class Targets(NamedTuple):
    """Validated predictions and labels, and whether they are multilabel.

    Attributes:
        predictions: 1-D class labels, or a 2-D boolean indicator matrix.
        labels: The same kind and length as ``predictions``.
        multilabel: Whether both are 2-D indicators.

    Example:
        >>> as_targets([[1, 0]], [[1, 1]], "f").multilabel
        True
    """

    predictions: npt.NDArray[Any]
    labels: npt.NDArray[Any]
    multilabel: bool

    @property
    def n_samples(self) -> int:
        """The number of samples (rows)."""
        return int(self.labels.shape[0])


def _is_2d(data: object) -> bool:
    """Whether ``data`` looks two-dimensional, read without running the caller's code."""
    if isinstance(data, np.ndarray):
        return data.ndim == 2
    if isinstance(data, list | tuple):
        return len(data) > 0 and all(
            isinstance(row, list | tuple) or (isinstance(row, np.ndarray) and row.ndim == 1)
            for row in data
        )
    module = type(data).__module__.split(".")[0]
    return module in ("pandas", "polars", "pyarrow", "torch") and _ndim(data) == 2


def _ndim(data: object) -> int:
    try:
        shape = getattr(data, "shape", ())
        return len(shape)
    except Exception:  # a hostile shape: not ours to read
        return -1


def as_targets(predictions: object, labels: object, func: str) -> Targets:
    """Validate predictions and labels as 1-D class labels or 2-D indicators.

    Args:
        predictions: Predicted labels or indicator rows.
        labels: True labels or indicator rows, the same kind and length.
        func: The public function's name, for messages.

    Returns:
        The validated pair (indicators as boolean matrices).

    Raises:
        InvalidShapeError: One is 2-D and the other 1-D; indicator matrices of
            different widths, or of one column.
        LengthMismatchError: Different numbers of samples.
        InvalidInputTypeError: Indicator values other than 0 and 1.

    Example:
        >>> as_targets([1, 0], [1, 1], "f").multilabel
        False
    """
    if not (_is_2d(predictions) and _is_2d(labels)):
        # 1-D labels; a 2-D input beside a 1-D one gets the 1-D gate's shape error.
        pred, true = as_pair(predictions, labels, func)
        return Targets(pred, true, multilabel=False)
    pred = _as_indicators(predictions, "predictions", func)
    true = _as_indicators(labels, "labels", func)
    if pred.shape[0] != true.shape[0]:
        raise length_mismatch(pred.shape[0], true.shape[0], func)
    if pred.shape[1] != true.shape[1]:
        raise InvalidShapeError(
            f"{func}: predictions and labels must have the same number of labels (columns), "
            f"got {pred.shape[1]} and {true.shape[1]}"
        )
    return Targets(pred, true, multilabel=True)


def _as_indicators(data: object, name: str, func: str) -> Indicators:
    """One indicator matrix as booleans, or a clear error."""
    try:
        arr = np.asarray(data)
    except Exception as exc:  # ragged rows, a hostile __array__
        raise InvalidShapeError(
            f"{func}: {name} must be a 2-D indicator matrix with rows of equal length, "
            f"got {type(data).__name__} that numpy cannot read as one ({type(exc).__name__})"
        ) from exc
    if arr.ndim != 2:
        raise InvalidShapeError(
            f"{func}: {name} must be a 2-D indicator matrix (n_samples x n_labels), "
            f"got {arr.ndim} dimension(s) (rows of unequal length?)"
        )
    if arr.shape[1] < 2:
        raise InvalidShapeError(
            f"{func}: {name} is a 2-D matrix of {arr.shape[1]} column(s); multilabel "
            "indicators need at least 2 columns (pass one column as 1-D labels)"
        )
    if arr.dtype.kind == "b":
        return arr
    if arr.dtype.kind == "O":
        values = arr.ravel().tolist()
        if all(type(v) in (int, float, bool) or isinstance(v, np.number) for v in values):
            arr = np.array(values, dtype=np.float64).reshape(arr.shape)
    if arr.dtype.kind not in "iuf":
        raise InvalidInputTypeError(
            f"{func}: {name} must hold 0 and 1 (multilabel indicators), got an array of "
            f"dtype {arr.dtype}"
        )
    ones: Indicators = arr == 1
    odd = ~(ones | (arr == 0))
    if odd.any():
        flat = np.flatnonzero(odd)
        rows, cols = np.unravel_index(flat, arr.shape)
        where = [f"({r}, {c})" for r, c in zip(rows[:10].tolist(), cols[:10].tolist(), strict=True)]
        raise InvalidInputTypeError(
            f"{func}: {name} must hold only 0 and 1 (multilabel indicators), got "
            f"{safe_repr(arr[rows[0], cols[0]].item())} at row {int(rows[0])}, column "
            f"{int(cols[0])} ({flat.shape[0]} such value(s) at {format_list(where)})"
        )
    return ones


def check_columns(classes: LabelsLike, n_labels: int, func: str) -> npt.NDArray[np.intp]:
    """Validate ``classes=`` for indicators: distinct column indices in ``0 .. n_labels - 1``.

    Args:
        classes: The caller's ``classes``.
        n_labels: The number of indicator columns.
        func: The public function's name, for messages.

    Returns:
        The column indices, in the order given.

    Raises:
        InvalidParameterError: Empty, repeated, not integers or out of range.

    Example:
        >>> check_columns([2, 0], 3, "recall").tolist()
        [2, 0]
    """
    checked = as_labels(classes, "classes", func)
    if checked.shape[0] == 0:
        raise InvalidParameterError(f"{func}: classes must name at least one class, got none")
    shown = format_list(checked.tolist())
    if checked.dtype.kind not in "iuf" or (
        checked.min() < 0 or checked.max() >= n_labels  # integer-valued floats are checked
    ):
        raise InvalidParameterError(
            f"{func}: with multilabel indicators classes are column indices from 0 to "
            f"{n_labels - 1}, got {shown}"
        )
    columns = checked.astype(np.intp)
    if np.unique(columns).shape[0] != columns.shape[0]:
        raise InvalidParameterError(f"{func}: classes must be distinct, got {shown}")
    return columns


def label_counts(targets: Targets, weights: Weights) -> ClassCounts:
    """Per-label one-vs-rest counts of indicator matrices (column sums).

    Args:
        targets: Validated multilabel targets.
        weights: Validated sample weights, or None.

    Returns:
        Counts over the column indices (``int64``, or ``float64`` with weights).

    Example:
        >>> t = as_targets([[1, 0], [1, 1]], [[1, 0], [0, 1]], "f")
        >>> label_counts(t, None).true_positives.tolist()
        [1, 1]
    """
    pred, true = targets.predictions, targets.labels
    both = pred & true
    classes = np.arange(pred.shape[1], dtype=np.int64)
    if weights is None:
        return ClassCounts(
            classes,
            np.count_nonzero(both, axis=0).astype(np.int64),
            np.count_nonzero(pred, axis=0).astype(np.int64),
            np.count_nonzero(true, axis=0).astype(np.int64),
        )
    return ClassCounts(classes, weights @ both, weights @ pred, weights @ true)


def sample_scores(
    metric: Metric,
    targets: Targets,
    columns: npt.NDArray[np.intp] | None,
    weights: Weights,
    zero_division: float,
    beta: float,
) -> float:
    """``average="samples"``: the score of each sample's label set, averaged.

    Args:
        metric: Which score.
        targets: Validated multilabel targets.
        columns: The labels to keep (``classes=``), or None for all.
        weights: Validated sample weights (the weights of the average), or None.
        zero_division: The value of an undefined ratio.
        beta: Weight of recall in F-beta.

    Returns:
        The (weighted) mean of the per-sample scores, NaN scores left out.

    Example:
        >>> t = as_targets([[1, 0], [1, 1]], [[1, 0], [0, 1]], "f")
        >>> sample_scores("precision", t, None, None, 0.0, 1.0)
        0.75
    """
    pred, true = targets.predictions, targets.labels
    if columns is not None:
        pred, true = pred[:, columns], true[:, columns]
    tp, predicted, actual = (np.count_nonzero(x, axis=1) for x in (pred & true, pred, true))
    if weights is not None:
        # scikit-learn weighs each sample's counts too: a zero-weight sample's
        # ratios are undefined (zero_division), whatever its labels.
        tp, predicted, actual = tp * weights, predicted * weights, actual * weights
    scores = class_scores(metric, tp, predicted, actual, zero_division, beta)
    return average_scores(scores, weights)
