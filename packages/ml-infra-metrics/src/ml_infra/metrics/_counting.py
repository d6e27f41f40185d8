"""Single-pass counting: validated label arrays in, confusion counts out.

Every function here assumes valid input (see ``_labels``): 1-D arrays of
equal length whose dtype kinds are compatible (both strings, or both numbers),
and optional validated weights (``_weights``). Counts are ``int64`` without
weights and ``float64`` sums of weights with them.

Two encodings turn a (label, prediction) pair into one integer code, then one
``np.bincount`` counts all pairs at once:

* integers (and bools) spanning a small range ``lo..hi``:
  ``(label - lo) * k + (prediction - lo)`` with ``k = hi - lo + 1``; the bounds
  come from one min/max per array (no sorting, no ``np.unique``);
* anything else (strings, floats, wide or huge integer ranges): a sort-based
  encoding. Small inputs use ``np.unique(..., return_inverse=True)``; large ones
  guess the classes from a prefix sample, look every value up by binary search
  and sort only the values the guess missed.

A class is *present* when it occurs as a label or a prediction, whatever its
weight: a class whose samples all weigh zero keeps a row of zeros, as in
scikit-learn.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from ml_infra.metrics._labels import INT64_MAX, LabelsLike
from ml_infra.metrics._multilabel import Targets, check_columns, label_counts
from ml_infra.metrics._parameters import check_classes, class_index
from ml_infra.metrics._scores import ClassCounts, one_vs_rest, select
from ml_infra.metrics._weights import Weights

__all__ = [
    "align",
    "binary_counts",
    "class_counts",
    "present_classes",
    "tally",
    "tally_with_classes",
]

# The dense ``k * k`` count table may be this much larger than the input.
_DENSE_SLACK = 4096
# Prefix sample (per array) from which the sort-based path guesses the classes.
_SAMPLE = 4096


def class_counts(
    targets: Targets, weights: Weights, classes: LabelsLike | None, func: str
) -> ClassCounts:
    """Count per-class one-vs-rest statistics, over ``classes`` if given.

    The *count* step shared by the scores and the report: multiclass labels
    are tallied into a confusion table, indicators are summed per column;
    ``classes`` then picks and orders the rows (absent classes count zero).

    Args:
        targets: Validated targets.
        weights: Validated sample weights, or None.
        classes: The caller's ``classes``, validated here, or None for the
            classes present (the columns, for indicators).
        func: The public function's name, for messages.

    Returns:
        The per-class counts.

    Example:
        >>> from ml_infra.metrics._multilabel import as_targets
        >>> stats = class_counts(as_targets([1, 2], [1, 1], "f"), None, [2, 7], "f")
        >>> stats.classes.tolist(), stats.predicted.tolist()
        ([2, 7], [1, 0])
    """
    if targets.multilabel:
        stats = label_counts(targets, weights)
        if classes is None:
            return stats
        columns = check_columns(classes, stats.classes.shape[0], func)
        return select(stats, stats.classes[columns], columns)
    present, counts = tally(targets.predictions, targets.labels, weights)
    stats = one_vs_rest(present, counts)
    if classes is None:
        return stats
    wanted = check_classes(classes, targets.labels, func)
    return select(stats, wanted, class_index(present, wanted))


def binary_counts(
    predicted: npt.NDArray[np.bool_], actual: npt.NDArray[np.bool_], weights: Weights = None
) -> tuple[float, float, float]:
    """Count one-vs-rest statistics of one class from its two masks.

    Args:
        predicted: Where the class was predicted (a new array: it may be overwritten).
        actual: Where the class is the true label, same length (likewise).
        weights: Validated sample weights, or None.

    Returns:
        ``(true_positives, predicted_positives, actual_positives)``: ints, or
        float sums of weights when ``weights`` is given.

    Example:
        >>> binary_counts(np.array([True, False, True]), np.array([True, True, False]))
        (1, 2, 2)
    """
    if weights is not None:
        # einsum's buffered sum of products: no float copy of the mask and no BLAS
        # (np.dot with a bool mask is slow in numpy 2.x, and a BLAS dot contends
        # for threads on a busy machine); about 4x faster than a weighted bincount.
        def total(mask: npt.NDArray[np.bool_]) -> float:
            return float(np.einsum("i,i->", weights, mask))

        n_predicted_w, n_actual_w = total(predicted), total(actual)
        predicted &= actual
        return total(predicted), n_predicted_w, n_actual_w
    n_predicted = int(np.count_nonzero(predicted))
    n_actual = int(np.count_nonzero(actual))
    if n_predicted == 0 or n_actual == 0:
        return 0, n_predicted, n_actual
    predicted &= actual
    return int(np.count_nonzero(predicted)), n_predicted, n_actual


def tally(
    predictions: npt.NDArray[Any], labels: npt.NDArray[Any], weights: Weights = None
) -> tuple[npt.NDArray[Any], npt.NDArray[Any]]:
    """Count every (label, prediction) pair over the classes present in either array.

    Args:
        predictions: Validated 1-D predictions.
        labels: Validated 1-D labels of the same length and a compatible kind.
        weights: Validated sample weights, or None.

    Returns:
        ``(classes, matrix)``: the sorted classes present in either array and the
        confusion counts (``int64``, or ``float64`` sums of weights), rows = true
        label, columns = prediction.

    Example:
        >>> classes, matrix = tally(np.array([0, 2, 2]), np.array([0, 2, 0]))
        >>> classes.tolist(), matrix.tolist()
        ([0, 2], [[1, 1], [0, 1]])
    """
    predictions, labels = _common_kind(predictions, labels)
    n = predictions.shape[0]
    if n == 0:
        dtype = np.result_type(predictions, labels)
        count_dtype = np.int64 if weights is None else np.float64
        return np.empty(0, dtype=dtype), np.zeros((0, 0), dtype=count_dtype)
    kinds = {predictions.dtype.kind, labels.dtype.kind}
    if kinds == {"b"}:
        return _tally_dense(
            predictions.view(np.uint8), labels.view(np.uint8), 0, 1, np.bool_, weights
        )
    if kinds <= {"i", "u"}:
        lo = min(int(predictions.min()), int(labels.min()))
        hi = max(int(predictions.max()), int(labels.max()))
        k = hi - lo + 1
        if hi <= INT64_MAX and k * k <= 2 * n + _DENSE_SLACK:
            class_dtype = np.result_type(predictions, labels)
            return _tally_dense(predictions, labels, lo, hi, class_dtype, weights)
    return _tally_sorted(predictions, labels, weights)


def _common_kind(
    predictions: npt.NDArray[Any], labels: npt.NDArray[Any]
) -> tuple[npt.NDArray[Any], npt.NDArray[Any]]:
    """Make bool-vs-number pairs both numeric, so one encoding serves both arrays.

    Bools take the other array's integer type (numpy's common type: a uint64
    array stays uint64, int8 stays int8), else int64.
    """
    if predictions.dtype.kind == labels.dtype.kind:
        return predictions, labels
    if predictions.dtype.kind == "b":
        return predictions.astype(_integer_type(labels)), labels
    if labels.dtype.kind == "b":
        return predictions, labels.astype(_integer_type(predictions))
    return predictions, labels


def _integer_type(other: npt.NDArray[Any]) -> npt.DTypeLike:
    """The integer type bools take against ``other``."""
    return other.dtype if other.dtype.kind in "iu" else np.int64


def _tally_dense(
    predictions: npt.NDArray[Any],
    labels: npt.NDArray[Any],
    lo: int,
    hi: int,
    class_dtype: npt.DTypeLike,
    weights: Weights,
) -> tuple[npt.NDArray[Any], npt.NDArray[Any]]:
    """Bincount ``(label - lo) * k + (prediction - lo)`` over a small integer range."""
    k = hi - lo + 1
    # uint64 does not mix with intp arithmetic; its values fit int64 here (hi is checked).
    if predictions.dtype == np.uint64:
        predictions = predictions.astype(np.int64)
    if labels.dtype == np.uint64:
        labels = labels.astype(np.int64)
    if lo == 0:
        codes = np.multiply(labels, k, dtype=np.intp)
        codes += predictions
    else:
        # Every intermediate stays within [lo * k, k * k + hi] after the first
        # subtraction, far from int64 limits since k * k is small.
        codes = np.subtract(labels, lo, dtype=np.intp)
        codes *= k
        codes += predictions
        codes -= lo
    counts = _bincount(codes, k, weights)
    classes = np.arange(k, dtype=np.int64)
    classes += lo  # every class fits int64 (hi was checked); np.arange(lo, hi + 1) may not
    classes = classes.astype(class_dtype)
    if weights is None:
        return present_classes(classes, counts, counts)
    # Presence is by occurrence, not weight: count occurrences only when a
    # weighted row and column are both zero (a zero weight, or an absent class).
    if _present(counts).all():
        return classes, counts
    return present_classes(classes, counts, _bincount(codes, k, None))


def _tally_sorted(
    predictions: npt.NDArray[Any], labels: npt.NDArray[Any], weights: Weights
) -> tuple[npt.NDArray[Any], npt.NDArray[Any]]:
    """Sort-based encoding for labels the dense path cannot index (strings, floats, ...).

    Sorting all 2n values is the slow part, and label sets are usually small:
    so the classes are guessed from a prefix sample, every value is looked up
    by binary search, and only the values the guess missed are sorted.
    """
    n = predictions.shape[0]
    if n <= _SAMPLE:
        classes, inverse = np.unique(np.concatenate((predictions, labels)), return_inverse=True)
        return classes, _count_codes(inverse[n:], inverse[:n], classes.shape[0], weights)
    classes = np.union1d(predictions[:_SAMPLE], labels[:_SAMPLE])
    pred_index, pred_known = _locate(classes, predictions)
    true_index, true_known = _locate(classes, labels)
    if not (pred_known.all() and true_known.all()):
        missed = np.concatenate((predictions[~pred_known], labels[~true_known]))
        classes = np.union1d(classes, missed)
        pred_index = _locate(classes, predictions)[0]
        true_index = _locate(classes, labels)[0]
    return classes, _count_codes(true_index, pred_index, classes.shape[0], weights)


def _count_codes(
    true_index: npt.NDArray[np.intp], pred_index: npt.NDArray[np.intp], k: int, weights: Weights
) -> npt.NDArray[Any]:
    """Bincount ``true_index * k + pred_index`` into a ``k x k`` table."""
    codes = true_index.astype(np.intp) * k
    codes += pred_index
    return _bincount(codes, k, weights)


def _bincount(codes: npt.NDArray[np.intp], k: int, weights: Weights) -> npt.NDArray[Any]:
    """Count (or sum the weights of) each code into a ``k x k`` table."""
    if weights is None:
        return np.bincount(codes, minlength=k * k).reshape(k, k).astype(np.int64, copy=False)
    # float64 also when no code is counted (numpy then returns int64 zeros).
    sums = np.bincount(codes, weights=weights, minlength=k * k)
    return sums.reshape(k, k).astype(np.float64, copy=False)


def _present(counts: npt.NDArray[Any]) -> npt.NDArray[np.bool_]:
    """Which classes have a non-zero row or column."""
    found: npt.NDArray[np.bool_] = (counts.sum(axis=0) + counts.sum(axis=1)) > 0
    return found


def _locate(
    ordered: npt.NDArray[Any], values: npt.NDArray[Any]
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.bool_]]:
    """Position of each value in the sorted ``ordered``, and whether it is there."""
    position = np.searchsorted(ordered, values)
    np.minimum(position, ordered.shape[0] - 1, out=position)
    known = np.asarray(ordered[position] == values, dtype=np.bool_)
    return position, known


def present_classes(
    classes: npt.NDArray[Any], counts: npt.NDArray[Any], occurrences: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[Any], npt.NDArray[Any]]:
    """Drop the classes that occur neither as a label nor as a prediction.

    Args:
        classes: Candidate classes, one per row and column of ``counts``.
        counts: Square confusion counts (or sums of weights).
        occurrences: Unweighted counts of the same pairs (``counts`` itself when unweighted).

    Returns:
        ``(classes, counts)`` restricted to the classes with a non-zero row or
        column of ``occurrences``.

    Example:
        >>> counts = np.array([[2, 0], [0, 0]])
        >>> present_classes(np.array([0, 1]), counts, counts)[0].tolist()
        [0]
    """
    present = _present(occurrences)
    if present.all():
        return classes, counts
    return classes[present], counts[np.ix_(present, present)]


def tally_with_classes(
    predictions: npt.NDArray[Any],
    labels: npt.NDArray[Any],
    classes: npt.NDArray[Any],
    weights: Weights = None,
) -> npt.NDArray[Any]:
    """Count pairs over the given ``classes``; samples outside them are ignored.

    Args:
        predictions: Validated 1-D predictions.
        labels: Validated 1-D labels of the same length.
        classes: Distinct classes in the order of the rows and columns wanted.
        weights: Validated sample weights, or None.

    Returns:
        The confusion counts (``int64``, or ``float64`` with weights) in the
        order of ``classes``.

    Example:
        >>> tally_with_classes(np.array([0, 1]), np.array([1, 1]), np.array([1, 0])).tolist()
        [[1, 1], [0, 0]]
    """
    k = classes.shape[0]
    order = np.argsort(classes, kind="stable")
    ordered = classes[order]
    pred_index, pred_known = _lookup(ordered, order, predictions)
    true_index, true_known = _lookup(ordered, order, labels)
    known = pred_known & true_known
    kept = None if weights is None else weights[known]
    return _count_codes(true_index[known], pred_index[known], k, kept)


def _lookup(
    ordered: npt.NDArray[Any], order: npt.NDArray[np.intp], values: npt.NDArray[Any]
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.bool_]]:
    """Index of each value in the original class order, and whether it is a class."""
    position, known = _locate(ordered, values)
    return order[position], known


def align(
    classes_a: npt.NDArray[Any],
    counts_a: npt.NDArray[Any],
    classes_b: npt.NDArray[Any],
    counts_b: npt.NDArray[Any],
) -> tuple[npt.NDArray[Any], npt.NDArray[Any]]:
    """Add two confusion count tables whose (sorted) classes may differ.

    Args:
        classes_a: Sorted classes of ``counts_a``.
        counts_a: Square confusion counts (``int64`` or ``float64``).
        classes_b: Sorted classes of ``counts_b``.
        counts_b: Square confusion counts.

    Returns:
        ``(classes, counts)`` over the sorted union of both class sets, the
        classes in numpy's common type of both (so the order of the two
        tables does not matter), the counts ``float64`` if either is.

    Example:
        >>> classes, counts = align(np.array([0]), np.array([[2]]), np.array([1]), np.array([[3]]))
        >>> classes.tolist(), counts.tolist()
        ([0, 1], [[2, 0], [0, 3]])
    """
    if classes_a.shape == classes_b.shape and bool(np.all(classes_a == classes_b)):
        return classes_a.astype(np.result_type(classes_a, classes_b)), counts_a + counts_b
    classes = np.union1d(classes_a, classes_b)
    counts = np.zeros((classes.shape[0],) * 2, dtype=np.result_type(counts_a, counts_b))
    for own_classes, own_counts in ((classes_a, counts_a), (classes_b, counts_b)):
        index = np.searchsorted(classes, own_classes)
        counts[np.ix_(index, index)] += own_counts
    return classes, counts
