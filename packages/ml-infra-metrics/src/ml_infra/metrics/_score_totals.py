"""Per-score totals, the state of ScoreHistogram: one batch's, two merged, and the loss sums.

Totals are three aligned arrays: increasing distinct scores (or bin edges),
the weight of the positive samples at each, and of the negative ones. All
arithmetic is sums, so merging is exact up to the order of float additions.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from ml_infra.metrics._probabilistic import binary_brier_errors, clipped_log_losses

__all__ = ["Totals", "batch_totals", "loss_sums", "merge_totals"]

Floats = npt.NDArray[np.float64]
#: (scores, positive weight, negative weight), aligned, scores increasing.
Totals = tuple[Floats, Floats, Floats]


def _sums(where: npt.NDArray[np.intp], weights: Any, n: int) -> Floats:
    """Sum ``weights`` per index of ``where`` (``n`` totals, float64)."""
    return np.bincount(where, weights=weights, minlength=n).astype(np.float64, copy=False)


def batch_totals(
    where: npt.NDArray[np.intp],
    n: int,
    positive: npt.NDArray[np.bool_],
    weights: Floats | None,
) -> tuple[Floats, Floats]:
    """The positive and negative weight at each of ``n`` keys, given each sample's key.

    Args:
        where: The key (distinct score or bin) of each sample.
        n: The number of keys.
        positive: Which samples are positive.
        weights: Validated weights, or None (each sample weighs 1).

    Returns:
        ``(positives, negatives)``, float64 arrays of length ``n``.

    Example:
        >>> pos, neg = batch_totals(np.array([0, 1, 1]), 2, np.array([True, True, False]), None)
        >>> pos.tolist(), neg.tolist()
        ([1.0, 1.0], [0.0, 1.0])
    """
    if weights is None:
        return _sums(where, positive, n), _sums(where, ~positive, n)
    return (
        _sums(where, np.where(positive, weights, 0.0), n),
        _sums(where, np.where(positive, 0.0, weights), n),
    )


def merge_totals(ours: Totals, theirs: Totals) -> Totals:
    """Merge two sets of per-score totals: the union of the scores, totals added.

    Args:
        ours: Totals (scores increasing and distinct).
        theirs: Totals (scores increasing and distinct).

    Returns:
        New arrays; neither input changes.

    Example:
        >>> one = (np.array([0.2, 0.5]), np.array([1.0, 0.0]), np.array([0.0, 2.0]))
        >>> two = (np.array([0.5]), np.array([3.0]), np.array([0.0]))
        >>> [a.tolist() for a in merge_totals(one, two)]
        [[0.2, 0.5], [1.0, 3.0], [0.0, 2.0]]
    """
    scores, where = np.unique(np.concatenate((ours[0], theirs[0])), return_inverse=True)
    where = where.reshape(-1)
    n = scores.shape[0]
    return (
        scores,
        _sums(where, np.concatenate((ours[1], theirs[1])), n),
        _sums(where, np.concatenate((ours[2], theirs[2])), n),
    )


def loss_sums(
    proba: Floats, positive: npt.NDArray[np.bool_], weights: Floats | None
) -> tuple[float, float]:
    """Weighted sums of the per-sample log losses and Brier errors, as the one-shots compute them.

    Args:
        proba: Probabilities of the positive class (validated, in [0, 1]).
        positive: Which samples are positive.
        weights: Validated weights, or None.

    Returns:
        ``(sum of log losses, sum of two-column squared errors)``.

    Example:
        >>> [round(x, 4) for x in loss_sums(np.array([0.5, 0.0]), np.array([True, False]), None)]
        [0.6931, 0.5]
    """
    losses = clipped_log_losses(np.where(positive, proba, 1 - proba))
    errors = binary_brier_errors(proba, positive)
    if weights is None:
        return float(np.sum(losses)), float(np.sum(errors))
    return float(np.dot(losses, weights)), float(np.dot(errors, weights))
