"""Probability matrices: their classes, and the one-vs-rest and one-vs-one reductions.

A matrix has one column per class: by default the sorted classes of
``labels`` (scikit-learn's convention for ``predict_proba`` columns), or the
caller's ``classes`` in column order (which may name classes absent from the
labels). :func:`matrix_input` validates it once and records each sample's
column (its class code), which every reduction then uses.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import combinations
from typing import Any, Literal, NamedTuple

import numpy as np
import numpy.typing as npt
from ml_infra.metrics._curves import Counts, check_both_classes, counts_at_thresholds, roc_auc
from ml_infra.metrics._errors import (
    InvalidParameterError,
    InvalidShapeError,
    MixedLabelTypesError,
    SingleClassError,
    UnknownClassError,
)
from ml_infra.metrics._labels import as_labels, unify_integers
from ml_infra.metrics._parameters import check_option
from ml_infra.metrics._score_inputs import FloatArray, as_matrix, validated_labels
from ml_infra.metrics._text import format_list, safe_repr
from ml_infra.metrics._weights import Weights, as_weights

__all__ = ["Matrix", "MultiClass", "check_multi_class", "matrix_input", "ovo_auc", "ovr_scores"]

MultiClass = Literal["raise", "ovr", "ovo"]


class Matrix(NamedTuple):
    """A validated probability matrix and what its rows are."""

    proba: FloatArray  # (n_samples, n_classes)
    codes: npt.NDArray[np.intp]  # the column of each sample's true class
    classes: npt.NDArray[Any]  # the class of each column
    weights: Weights


def matrix_input(
    scores: object, labels: object, classes: object, sample_weight: object, func: str
) -> Matrix:
    """Validate a probability matrix with its labels, classes and weights.

    Args:
        scores: The caller's ``(n_samples, n_classes)`` probabilities.
        labels: True class labels, one per row.
        classes: None (the sorted classes of ``labels``), or the class of each column.
        sample_weight: None or one weight per row.
        func: The public function's name, for messages.

    Returns:
        The record.

    Raises:
        MetricsError: A subclass naming the problem.

    Example:
        >>> matrix_input([[0.4, 0.6]], ["b"], ["b", "a"], None, "log_loss").codes.tolist()
        [0]
    """
    proba = as_matrix(scores, func)
    n, k = proba.shape
    true = validated_labels(labels, n, func)
    weights = as_weights(sample_weight, n, func)
    if classes is None:
        found, codes = np.unique(true, return_inverse=True)
        if found.shape[0] != k:
            raise InvalidShapeError(
                f"{func}: scores has {k} columns but labels hold {found.shape[0]} classes "
                f"{format_list(found.tolist())}; pass classes=[...] naming the class of "
                "each column"
            )
        return Matrix(proba, codes.reshape(-1), found, weights)
    declared = as_labels(classes, "classes", func)
    if np.unique(declared).shape[0] != declared.shape[0]:
        raise InvalidParameterError(
            f"{func}: classes must not repeat a class, got {format_list(declared.tolist())}"
        )
    if declared.shape[0] != k:
        raise InvalidShapeError(
            f"{func}: classes must name one class per column of scores, got "
            f"{declared.shape[0]} classes for {k} columns"
        )
    if n and (declared.dtype.kind == "U") != (true.dtype.kind == "U"):
        raise MixedLabelTypesError(
            f"{func}: classes and labels must use the same label type (strings or numbers)"
        )
    declared_u, true_u = unify_integers((declared, true), "classes and labels", func)
    sorter = np.argsort(declared_u, kind="stable")
    position = np.minimum(np.searchsorted(declared_u[sorter], true_u), k - 1)
    known = declared_u[sorter][position] == true_u
    if not known.all():
        extra = np.unique(true[~known]).tolist()
        raise UnknownClassError(
            f"{func}: labels hold classes that are not in classes: {format_list(extra)}; "
            "classes must name every class that occurs"
        )
    return Matrix(proba, sorter[position], declared, weights)


def check_multi_class(
    multi_class: object,
    average: str | None,
    max_fpr: float | None,
    sample_weight: object,
    func: str,
) -> Literal["ovr", "ovo"]:
    """Validate ``multi_class`` against the other options for a probability matrix.

    Args:
        multi_class: The caller's ``multi_class``.
        average: The validated ``average``.
        max_fpr: The validated ``max_fpr`` (None for the full area).
        sample_weight: The caller's ``sample_weight`` (only None is checked).
        func: The public function's name, for messages.

    Returns:
        ``"ovr"`` or ``"ovo"``.

    Raises:
        InvalidParameterError: An option that is not valid with a matrix.

    Example:
        >>> check_multi_class("ovo", "macro", None, None, "roc_auc_score")
        'ovo'
    """
    how: Literal["raise", "ovr", "ovo"] = check_option(
        multi_class, ("raise", "ovr", "ovo"), "multi_class", func
    )
    if how == "raise":
        raise InvalidParameterError(
            f"{func}: scores is a probability matrix, so multi_class must be 'ovr' or 'ovo', "
            "got 'raise' (the default); pass multi_class='ovr' (each class against the rest) "
            "or multi_class='ovo' (the average over pairs of classes)"
        )
    if max_fpr is not None:
        raise InvalidParameterError(
            f"{func}: max_fpr (a partial AUC) needs binary scores, got max_fpr={max_fpr!r} "
            "with a probability matrix; leave max_fpr=None"
        )
    if how == "ovo" and average not in ("macro", "weighted"):
        raise InvalidParameterError(
            f"{func}: multi_class='ovo' averages with 'macro' or 'weighted', got "
            f"average={safe_repr(average)}"
        )
    if how == "ovo" and sample_weight is not None:
        raise InvalidParameterError(
            f"{func}: multi_class='ovo' takes no sample_weight (scikit-learn defines no "
            "weighted one-vs-one AUC); use multi_class='ovr' or leave sample_weight=None"
        )
    return how


def ovr_scores(
    metric: Callable[[Counts], float],
    needs_negatives: bool,
    scores: object,
    labels: object,
    classes: object,
    sample_weight: object,
    average: str | None,
    func: str,
) -> float | dict[Any, float]:
    """Score each column against the rest (or all cells at once for ``micro``), then average.

    Args:
        metric: The binary reduction of counts (ROC AUC, average precision).
        needs_negatives: Whether the metric is undefined for a class on every sample.
        scores: The caller's probability matrix.
        labels: True class labels.
        classes: None or the class of each column.
        sample_weight: None or one weight per row.
        average: ``"micro"``, ``"macro"``, ``"weighted"`` or None.
        func: The public function's name, for messages.

    Returns:
        The averaged score, or ``{class: score}`` for None.

    Example:
        >>> ovr_scores(lambda c: roc_auc(c, None), True, [[0.8, 0.2], [0.3, 0.7]], [0, 1], None,
        ...            None, "macro", "roc_auc_score")
        1.0
    """
    matrix = matrix_input(scores, labels, classes, sample_weight, func)
    proba, codes, weights = matrix.proba, matrix.codes, matrix.weights
    k = proba.shape[1]
    if average == "micro":
        hits = (codes[:, None] == np.arange(k)).ravel()
        cell_weights = None if weights is None else np.repeat(weights, k)
        counts = counts_at_thresholds(proba.ravel(), hits, cell_weights)
        check_both_classes(counts, None, "each class", func)
        return metric(counts)
    per_class = np.empty(k)
    names = matrix.classes.tolist()
    for column in range(k):
        counts = counts_at_thresholds(proba[:, column], codes == column, weights)
        _check_column(counts, names[column], column, func, needs_negatives)
        per_class[column] = metric(counts)
    if average is None:
        return dict(zip(names, per_class.tolist(), strict=True))
    if average == "weighted":
        support = np.bincount(codes, weights=weights, minlength=k)
        return float(np.average(per_class, weights=support))
    return float(np.mean(per_class))


def _check_column(counts: Counts, cls: object, column: int, func: str, negatives: bool) -> None:
    """Name the class when its column lacks positives (or negatives)."""
    if counts.tps.shape[0] and counts.tps[-1] > 0 and (not negatives or counts.fps[-1] > 0):
        return
    missing = "no sample" if counts.tps.shape[0] == 0 or counts.tps[-1] <= 0 else "every sample"
    raise SingleClassError(
        f"{func}: class {safe_repr(cls)} (column {column} of scores) has {missing} of "
        "non-zero weight in labels, so its one-vs-rest score is undefined; pass classes= "
        "naming only the classes that occur, or use average='micro'"
    )


def ovo_auc(
    scores: object, labels: object, classes: object, average: str | None, func: str
) -> float:
    """Hand and Till's one-vs-one ROC AUC: the mean over pairs of the two directed AUCs.

    Args:
        scores: The caller's probability matrix.
        labels: True class labels.
        classes: None or the class of each column.
        average: ``"macro"`` or ``"weighted"`` (pairs weighted by their share of samples).
        func: The public function's name, for messages.

    Returns:
        The averaged AUC.

    Example:
        >>> ovo_auc([[0.8, 0.2], [0.3, 0.7]], [0, 1], None, "macro", "roc_auc_score")
        1.0
    """
    matrix = matrix_input(scores, labels, classes, None, func)
    proba, codes = matrix.proba, matrix.codes
    present = np.unique(codes)
    if present.shape[0] < 2:
        raise SingleClassError(
            f"{func}: one-vs-one needs at least two classes in labels, got "
            f"{format_list(matrix.classes[present].tolist())}"
        )
    pairs = list(combinations(present.tolist(), 2))
    pair_scores = np.empty(len(pairs))
    prevalence = np.empty(len(pairs))
    for index, (a, b) in enumerate(pairs):
        a_mask, b_mask = codes == a, codes == b
        both = a_mask | b_mask
        prevalence[index] = np.average(both)
        a_auc = roc_auc(counts_at_thresholds(proba[both, a], a_mask[both], None), None)
        b_auc = roc_auc(counts_at_thresholds(proba[both, b], b_mask[both], None), None)
        pair_scores[index] = (a_auc + b_auc) / 2
    return float(np.average(pair_scores, weights=prevalence if average == "weighted" else None))
