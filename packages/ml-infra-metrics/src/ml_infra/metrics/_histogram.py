"""ScoreHistogram: a mergeable accumulator of binary scores, labels and weights.

The state is, per score, the weight of the positive and of the negative
samples, plus two running sums for the probabilistic losses:

* ``bins=None`` (exact): one entry per distinct score seen (memory grows with
  them); every ranking metric equals the one-shot function on all the data.
* ``bins=N``: ``N`` equal-width bins over ``range`` (default ``(0, 1)``); a
  score outside the range is an error. Memory is fixed. Samples sharing a bin
  are tied, so the ROC AUC may move by at most half the weighted share of
  positive-negative pairs that share a bin: :meth:`ScoreHistogram.auc_error_bound`.

``log_loss`` and ``brier_score`` come from the running sums (weighted sums of
each sample's loss, added batch by batch), so they are exact in both modes;
they need every score seen to be a probability.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import numpy as np
import numpy.typing as npt
from ml_infra.metrics._bins import bin_index, check_bins
from ml_infra.metrics._curves import (
    Counts,
    PrecisionRecallCurve,
    RocCurve,
    average_precision,
    check_both_classes,
    counts_from_totals,
    pr_curve,
    roc_auc,
    roc_curve_points,
)
from ml_infra.metrics._dask import accumulate, is_dask
from ml_infra.metrics._errors import (
    InvalidInputTypeError,
    InvalidParameterError,
    InvalidScoresError,
    UnknownClassError,
)
from ml_infra.metrics._labels import is_number
from ml_infra.metrics._parameters import matches
from ml_infra.metrics._score_inputs import as_scores, check_flag, validated_labels
from ml_infra.metrics._score_totals import batch_totals, loss_sums, merge_totals
from ml_infra.metrics._text import format_list, safe_repr
from ml_infra.metrics._weights import as_weights

__all__ = ["ScoreHistogram"]


class ScoreHistogram:
    """Accumulate binary scores batch by batch; merge partial states; score them.

    Feed it with :meth:`update` (scores first, labels second, like every
    function here). ``positive_class`` names the class the scores are for;
    every other label is negative. Instances pickle, so partial states can be
    built on workers and added: ``a + b`` is a new histogram, ``sum(parts)``
    works, and :meth:`merge` adds in place.

    Args:
        bins: None for the exact form (one entry per distinct score), or the
            number of equal-width bins (fixed memory).
        positive_class: The class the scores are for.
        range: Binned form only: the ``(low, high)`` interval the bins cover;
            default ``(0.0, 1.0)``, for probabilities. A score outside it is an
            error (widen the range, or use ``bins=None``).

    Example:
        >>> h = ScoreHistogram().update([0.1, 0.4], [0, 0]).update([0.35, 0.8], [1, 1])
        >>> h.roc_auc()
        0.75
        >>> binned = ScoreHistogram(bins=2).update([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])
        >>> binned.roc_auc(), binned.auc_error_bound()
        (0.75, 0.25)
    """

    __slots__ = (
        "_bins",
        "_brier_sum",
        "_loss_sum",
        "_negatives",
        "_non_probability",
        "_positive_class",
        "_positives",
        "_range",
        "_scores",
    )

    def __init__(
        self,
        bins: int | None = None,
        *,
        positive_class: object = 1,
        range: tuple[float, float] | None = None,  # numpy.histogram's name
    ) -> None:
        func = "ScoreHistogram"
        self._positive_class = positive_class
        self._bins, self._range = check_bins(bins, range, func)
        if self._bins is None or self._range is None:
            self._scores = np.empty(0, dtype=np.float64)
        else:
            low, high = self._range
            self._scores = np.linspace(low, high, self._bins + 1)[:-1]  # lower bin edges
        self._positives = np.zeros(self._scores.shape[0], dtype=np.float64)
        self._negatives = np.zeros(self._scores.shape[0], dtype=np.float64)
        self._loss_sum = 0.0  # weighted sum of per-sample log losses (probabilities only)
        self._brier_sum = 0.0  # weighted sum of per-sample two-column squared errors
        self._non_probability = False  # some score seen lies outside [0, 1]

    @property
    def bins(self) -> int | None:
        """The number of bins, or None for the exact form."""
        return self._bins

    @property
    def range(self) -> tuple[float, float] | None:
        """The interval the bins cover, or None for the exact form."""
        return self._range

    @property
    def positive_class(self) -> object:
        """The class the scores are for."""
        return self._positive_class

    @property
    def total_weight(self) -> float:
        """The total weight of the samples seen (their number, without weights)."""
        return float(self._positives.sum() + self._negatives.sum())

    def __repr__(self) -> str:
        form = "exact" if self._bins is None else f"bins={self._bins}, range={self._range}"
        return (
            f"ScoreHistogram({form}, positive_class={safe_repr(self._positive_class)}, "
            f"total_weight={self.total_weight:g})"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ScoreHistogram):
            return NotImplemented
        return (
            self._compatible(other)
            and np.array_equal(self._scores, other._scores)
            and np.array_equal(self._positives, other._positives)
            and np.array_equal(self._negatives, other._negatives)
            and (self._loss_sum, self._brier_sum, self._non_probability)
            == (other._loss_sum, other._brier_sum, other._non_probability)
        )

    __hash__ = None  # type: ignore[assignment]  # mutable: not hashable

    def update(self, scores: Any, labels: Any, sample_weight: Any = None) -> ScoreHistogram:
        """Add one batch.

        With dask installed, the arguments may be dask arrays or Series: each
        partition is counted on the workers into a histogram of this one's
        bins, and the merged result is added here (README, "Dask").

        Args:
            scores: Real-valued scores of the positive class (1-D).
            labels: True labels, one per score; ``positive_class`` against the rest.
            sample_weight: Optional non-negative weight per sample.

        Returns:
            ``self``, so calls chain.

        Raises:
            MetricsError: A subclass naming the problem (NaN scores, scores
                outside the bins' range, ...); the state is unchanged.

        Example:
            >>> ScoreHistogram().update([0.2, 0.2, 0.9], [0, 1, 1]).total_weight
            3.0
        """
        func = "ScoreHistogram.update"
        if is_dask(scores) or is_dask(labels) or is_dask(sample_weight):
            blank = partial(
                ScoreHistogram, self._bins, positive_class=self._positive_class, range=self._range
            )
            arguments = {"scores": scores, "labels": labels, "sample_weight": sample_weight}
            return self.merge(accumulate(blank, arguments, func))
        checked = as_scores(scores, func).astype(np.float64, copy=False)
        true = validated_labels(labels, checked.shape[0], func)
        weights = as_weights(sample_weight, checked.shape[0], func)
        positive = matches(true, self._positive_class)
        if checked.shape[0] == 0:
            return self
        if not positive.any() and np.unique(true).shape[0] > 1:
            raise UnknownClassError(
                f"{func}: positive_class={safe_repr(self._positive_class)} occurs nowhere in "
                f"labels; the classes in labels are {format_list(np.unique(true).tolist())}. "
                "Create the histogram with the class the scores are for as positive_class"
            )
        lo, hi = float(checked.min()), float(checked.max())
        if self._bins is None or self._range is None:
            keys, where = np.unique(checked, return_inverse=True)
        else:
            keys, where = self._scores, bin_index(checked, lo, hi, self._bins, self._range, func)
        pos, neg = batch_totals(where.reshape(-1), keys.shape[0], positive, weights)
        probabilities = lo >= 0.0 and hi <= 1.0
        loss_sum = brier_sum = 0.0
        if probabilities:
            loss_sum, brier_sum = loss_sums(checked, positive, weights)
        self._add(keys, pos, neg, loss_sum, brier_sum, not probabilities)
        return self

    def _add(
        self,
        keys: npt.NDArray[np.float64],
        positives: npt.NDArray[np.float64],
        negatives: npt.NDArray[np.float64],
        loss_sum: float,
        brier_sum: float,
        non_probability: bool,
    ) -> None:
        """Fold per-score totals (``keys`` increasing and distinct) into the state."""
        if self._bins is None:
            self._scores, self._positives, self._negatives = merge_totals(
                (self._scores, self._positives, self._negatives), (keys, positives, negatives)
            )
        else:
            self._positives = self._positives + positives
            self._negatives = self._negatives + negatives
        self._loss_sum += loss_sum
        self._brier_sum += brier_sum
        self._non_probability = self._non_probability or non_probability

    def _compatible(self, other: ScoreHistogram) -> bool:
        return (
            self._bins == other._bins
            and self._range == other._range
            and _same_class(self._positive_class, other._positive_class)
        )

    def merge(self, other: ScoreHistogram) -> ScoreHistogram:
        """Add another histogram's state into this one, in place (``a + b`` makes a new one).

        Args:
            other: A histogram with the same ``bins``, ``range`` and ``positive_class``.

        Returns:
            ``self``, so calls chain.

        Raises:
            InvalidInputTypeError: ``other`` is not a ScoreHistogram.
            InvalidParameterError: The two differ in bins, range or positive_class.

        Example:
            >>> a = ScoreHistogram().update([0.2], [0])
            >>> a.merge(ScoreHistogram().update([0.7], [1])).roc_auc()
            1.0
        """
        func = "ScoreHistogram.merge"
        if not isinstance(other, ScoreHistogram):
            raise InvalidInputTypeError(
                f"{func}: other must be a ScoreHistogram, got {type(other).__name__}"
            )
        if not self._compatible(other):
            raise InvalidParameterError(
                f"{func}: cannot merge histograms of different forms, got {self!r} and "
                f"{other!r}; both need the same bins, range and positive_class"
            )
        self._add(
            other._scores,
            other._positives,
            other._negatives,
            other._loss_sum,
            other._brier_sum,
            other._non_probability,
        )
        return self

    def copy(self) -> ScoreHistogram:
        """An independent copy of this histogram.

        Returns:
            A new histogram with the same state.

        Example:
            >>> ScoreHistogram(bins=4).copy().bins
            4
        """
        clone = ScoreHistogram.__new__(ScoreHistogram)
        for name in self.__slots__:
            value = getattr(self, name)
            setattr(clone, name, value.copy() if isinstance(value, np.ndarray) else value)
        return clone

    def __add__(self, other: object) -> ScoreHistogram:
        if not isinstance(other, ScoreHistogram):
            return NotImplemented
        return self.copy().merge(other)

    def __radd__(self, other: object) -> ScoreHistogram:
        if isinstance(other, int) and other == 0:  # sum(parts) starts from 0
            return self.copy()
        return NotImplemented

    def _counts(self, func: str, *, negatives: bool = True) -> Counts:
        counts = counts_from_totals(self._scores, self._positives, self._negatives)
        check_both_classes(counts, None, self._positive_class, func, negatives=negatives)
        return counts

    def roc_auc(self) -> float:
        """ROC AUC of all data seen (exact form: as :func:`roc_auc_score`).

        Returns:
            The area; in the binned form within :meth:`auc_error_bound` of the exact one.

        Raises:
            SingleClassError: Not both classes seen (with non-zero weight).

        Example:
            >>> ScoreHistogram().update([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]).roc_auc()
            0.75
        """
        return roc_auc(self._counts("ScoreHistogram.roc_auc"), None)

    def auc_error_bound(self) -> float:
        """How far :meth:`roc_auc` may be from the exact AUC of the same data.

        Samples in one bin count as tied (each positive-negative pair scores
        1/2), where their exact scores order them (1 or 0) or tie them (1/2),
        and pairs in different bins are ordered alike in both. So
        ``|AUC_binned - AUC_exact| <= sum_b P_b N_b / (2 P N)``, with ``P_b``,
        ``N_b`` the positive and negative weight in bin ``b``. The bound is
        attained when every such pair is ordered the same way. The exact form
        returns 0.0.

        Returns:
            The bound.

        Raises:
            SingleClassError: Not both classes seen.

        Example:
            >>> ScoreHistogram(bins=2).update([0.1, 0.2, 0.9], [0, 1, 1]).auc_error_bound()
            0.25
        """
        counts = self._counts("ScoreHistogram.auc_error_bound")
        if self._bins is None:
            return 0.0
        shared = float(np.dot(self._positives, self._negatives))
        return shared / (2.0 * float(counts.tps[-1]) * float(counts.fps[-1]))

    def average_precision(self) -> float:
        """Average precision of all data seen (exact form: as :func:`average_precision_score`).

        Returns:
            The average precision (binned form: thresholds at bin edges).

        Example:
            >>> ScoreHistogram().update([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]).average_precision()
            0.8333333333333333
        """
        return average_precision(self._counts("ScoreHistogram.average_precision", negatives=False))

    def roc_curve(self, *, drop_intermediate: bool = True) -> RocCurve:
        """ROC curve of all data seen (binned form: one threshold per non-empty bin's lower edge).

        Args:
            drop_intermediate: Drop the thresholds of collinear points.

        Returns:
            ``RocCurve(fpr, tpr, thresholds)``, as :func:`roc_curve`.

        Example:
            >>> ScoreHistogram().update([0.2, 0.7], [0, 1]).roc_curve().tpr.tolist()
            [0.0, 1.0, 1.0]
        """
        func = "ScoreHistogram.roc_curve"
        keep = check_flag(drop_intermediate, "drop_intermediate", func)
        return roc_curve_points(self._counts(func), keep)

    def precision_recall_curve(self, *, drop_intermediate: bool = False) -> PrecisionRecallCurve:
        """Precision-recall curve of all data seen, as :func:`precision_recall_curve`.

        Args:
            drop_intermediate: Drop thresholds where recall changes on neither side.

        Returns:
            ``PrecisionRecallCurve(precision, recall, thresholds)``.

        Example:
            >>> ScoreHistogram().update([0.2, 0.7], [0, 1]).precision_recall_curve().precision.tolist()
            [0.5, 1.0, 1.0]
        """
        func = "ScoreHistogram.precision_recall_curve"
        keep = check_flag(drop_intermediate, "drop_intermediate", func)
        return pr_curve(self._counts(func, negatives=False), keep)

    def _mean(self, total: float, func: str, *, both: bool) -> float:
        if self._non_probability:
            raise InvalidScoresError(
                f"{func}: needs probabilities, but some scores seen lie outside [0, 1]"
            )
        counts = counts_from_totals(self._scores, self._positives, self._negatives)
        check_both_classes(counts, None, self._positive_class, func, positives=both, negatives=both)
        return total / self.total_weight

    def log_loss(self) -> float:
        """Log loss of all data seen, as :func:`log_loss` (float64 eps), in either form.

        Returns:
            The mean log loss (exact: kept as a running weighted sum).

        Raises:
            InvalidScoresError: Some score seen lies outside [0, 1].
            SingleClassError: Not both classes seen.

        Example:
            >>> round(ScoreHistogram(bins=4).update([0.9, 0.2], [1, 0]).log_loss(), 4)
            0.1643
        """
        return self._mean(self._loss_sum, "ScoreHistogram.log_loss", both=True)

    def brier_score(self) -> float:
        """Brier score of all data seen, as :func:`brier_score_loss`, in either form.

        Returns:
            The mean of ``(p - y) ** 2`` (exact: kept as a running weighted sum).

        Raises:
            InvalidScoresError: Some score seen lies outside [0, 1].

        Example:
            >>> round(ScoreHistogram(bins=4).update([0.9, 0.2], [1, 0]).brier_score(), 4)
            0.025
        """
        return 0.5 * self._mean(self._brier_sum, "ScoreHistogram.brier_score", both=False)


def _same_class(a: object, b: object) -> bool:
    """Compare two positive classes without running the caller's code."""
    if isinstance(a, str) and isinstance(b, str):
        return str.__str__(a) == str.__str__(b)
    if is_number(a) and is_number(b):
        return bool(a == b)
    return a is b
