"""ConfusionMatrix: a mergeable accumulator of confusion counts, and its scores.

The state and the rules of merging (``a + b``, ``sum``, ``merge`` in place,
declared classes) are :class:`~ml_infra.metrics._count_state.CountState`'s;
this module adds counting batches (``update``, also of dask collections) and
every score of the state: the same reductions as the one-shot functions, so
the values equal theirs on all the data seen.
"""

from __future__ import annotations

from typing import Any, overload

import numpy as np
from ml_infra.metrics._confusion import ConfusionMatrixResult, normalized
from ml_infra.metrics._count_state import CountState
from ml_infra.metrics._counting import tally
from ml_infra.metrics._dask import accumulate, is_dask
from ml_infra.metrics._errors import InvalidParameterError
from ml_infra.metrics._intervals import ConfidenceInterval, check_level, wilson
from ml_infra.metrics._labels import LabelsLike, as_pair
from ml_infra.metrics._parameters import (
    Normalize,
    check_average,
    check_beta,
    check_normalize,
    check_option,
    check_positive_class,
    check_zero_division,
)
from ml_infra.metrics._report import ClassificationReport, build_report, check_digits, check_names
from ml_infra.metrics._scores import Average, Averaged, Metric, one_vs_rest, score_from_counts
from ml_infra.metrics._weights import as_weights

__all__ = ["ConfusionMatrix"]

_INTERVAL_METRICS = ("accuracy", "precision", "recall")


class ConfusionMatrix(CountState):
    """Accumulate confusion counts batch by batch; merge partial states exactly.

    Feed it with :meth:`update` (predictions first, labels second, like every
    function here), or build partial states on separate workers, send them
    back (instances pickle) and add them: ``a + b`` and ``sum(parts)`` give a
    new state, :meth:`merge` adds in place. Classes may differ between partial
    states: merging aligns them. Every score method equals the matching
    one-shot function on all the data seen (with ``classes=`` the declared
    classes, when declared).

    Args:
        classes: Optional classes to declare up front (any order; kept sorted).
            They are reported even before they occur, and labels or
            predictions outside them are refused (:class:`UnknownClassError`)
            rather than silently counted or dropped.

    Example:
        >>> cm = ConfusionMatrix()
        >>> cm.update([1, 0, 1], [1, 0, 0]).update([1, 1], [1, 1])
        ConfusionMatrix(classes=[0, 1], n_samples=5)
        >>> total = cm + ConfusionMatrix().update([2], [2])  # a new state; cm is unchanged
        >>> total.f1_score(average="macro"), cm.n_samples
        (0.8412698412698413, 5)
    """

    __slots__ = ()

    def update(
        self,
        predictions: LabelsLike,
        labels: LabelsLike,
        *,
        sample_weight: LabelsLike | None = None,
    ) -> ConfusionMatrix:
        """Count one batch.

        With dask installed, ``predictions``, ``labels`` (and ``sample_weight``)
        may be dask arrays or dask Series: each partition is counted on the workers, the
        partial states are merged there, and the result is added here (see the
        README's "Dask" section; partitions are matched by position).

        Args:
            predictions: Predicted labels of the batch.
            labels: True labels of the batch, same length and label type.
            sample_weight: Non-negative weights, one per sample (all zeros are
                allowed in a batch); the first weighted batch turns the counts
                into float64 sums of weights.

        Returns:
            ``self``, so calls chain.

        Raises:
            MetricsError: A subclass naming the bad argument; the state is unchanged.

        Example:
            >>> ConfusionMatrix().update(["a", "b"], ["a", "a"]).counts.tolist()
            [[1, 1], [0, 0]]
            >>> ConfusionMatrix().update([1, 0], [1, 1], sample_weight=[0.5, 2]).counts.tolist()
            [[0.0, 0.0], [2.0, 0.5]]
        """
        func = "ConfusionMatrix.update"
        if is_dask(predictions) or is_dask(labels) or is_dask(sample_weight):
            arguments = {
                "predictions": predictions,
                "labels": labels,
                "sample_weight": sample_weight,
            }
            state = accumulate(ConfusionMatrix, arguments, func)
            self._add(state._classes, state._counts, state._squares, state._n_samples, func)
            return self
        pred, true = as_pair(predictions, labels, func)
        weights = as_weights(sample_weight, true.shape[0], func, all_zero_allowed=True)
        classes, counts = tally(pred, true, weights)
        squares = None if weights is None else tally(pred, true, weights * weights)[1]
        self._add(classes, counts, squares, int(true.shape[0]), func)
        return self

    def accuracy(self) -> float:
        """Fraction (weighted, with weights) of correct predictions so far (0.0 before any sample).

        Returns:
            The accuracy, as :func:`ml_infra.metrics.accuracy` on all data seen.

        Example:
            >>> ConfusionMatrix().update([1, 0, 1, 1, 0], [1, 0, 1, 0, 0]).accuracy()
            0.8
        """
        total = self._counts.sum().item()
        return np.trace(self._counts).item() / total if total else 0.0

    def _score(
        self,
        metric: Metric,
        positive_class: object,
        average: object,
        zero_division: object,
        beta: object = 1.0,
    ) -> float | dict[Any, float]:
        func = f"ConfusionMatrix.{metric}"
        checked_average = check_average(average, func)
        checked_zero_division = check_zero_division(zero_division, func)
        checked_beta = check_beta(beta, func) if metric == "fbeta_score" else 1.0
        if checked_average == "samples":
            raise InvalidParameterError(
                f"{func}: average='samples' needs multilabel indicators, which a "
                "ConfusionMatrix does not hold; pass 'micro', 'macro', 'weighted' or None"
            )
        self._checked_counts(func)
        positive = -1
        if checked_average == "binary":
            positive = check_positive_class(positive_class, self._classes, func)
        stats = one_vs_rest(self._classes, self._counts)
        return score_from_counts(
            metric, stats, checked_average, checked_zero_division, checked_beta, positive
        )

    @overload
    def precision(
        self, positive_class: object = ..., *, average: Averaged = ..., zero_division: float = ...
    ) -> float: ...
    @overload
    def precision(
        self, positive_class: object = ..., *, average: None, zero_division: float = ...
    ) -> dict[Any, float]: ...
    def precision(
        self, positive_class: object = 1, *, average: Average = "binary", zero_division: float = 0.0
    ) -> float | dict[Any, float]:
        """Precision over all data seen; arguments as :func:`ml_infra.metrics.precision`.

        Args:
            positive_class: The class scored when ``average="binary"``.
            average: "binary", "micro", "macro", "weighted" or None.
            zero_division: 0.0, 1.0 or NaN.

        Returns:
            The precision, or ``{class: precision}`` when ``average`` is None.

        Example:
            >>> ConfusionMatrix().update([1, 1, 0], [1, 0, 0]).precision()
            0.5
        """
        return self._score("precision", positive_class, average, zero_division)

    @overload
    def recall(
        self, positive_class: object = ..., *, average: Averaged = ..., zero_division: float = ...
    ) -> float: ...
    @overload
    def recall(
        self, positive_class: object = ..., *, average: None, zero_division: float = ...
    ) -> dict[Any, float]: ...
    def recall(
        self, positive_class: object = 1, *, average: Average = "binary", zero_division: float = 0.0
    ) -> float | dict[Any, float]:
        """Recall over all data seen; arguments as :func:`ml_infra.metrics.recall`.

        Args:
            positive_class: The class scored when ``average="binary"``.
            average: "binary", "micro", "macro", "weighted" or None.
            zero_division: 0.0, 1.0 or NaN.

        Returns:
            The recall, or ``{class: recall}`` when ``average`` is None.

        Example:
            >>> ConfusionMatrix().update([1, 0, 0], [1, 1, 0]).recall()
            0.5
        """
        return self._score("recall", positive_class, average, zero_division)

    @overload
    def f1_score(
        self, positive_class: object = ..., *, average: Averaged = ..., zero_division: float = ...
    ) -> float: ...
    @overload
    def f1_score(
        self, positive_class: object = ..., *, average: None, zero_division: float = ...
    ) -> dict[Any, float]: ...
    def f1_score(
        self, positive_class: object = 1, *, average: Average = "binary", zero_division: float = 0.0
    ) -> float | dict[Any, float]:
        """F1 over all data seen; arguments as :func:`ml_infra.metrics.f1_score`.

        Args:
            positive_class: The class scored when ``average="binary"``.
            average: "binary", "micro", "macro", "weighted" or None.
            zero_division: 0.0, 1.0 or NaN.

        Returns:
            The F1 score, or ``{class: f1}`` when ``average`` is None.

        Example:
            >>> ConfusionMatrix().update([1, 1, 0], [1, 0, 0]).f1_score()
            0.6666666666666666
        """
        return self._score("f1_score", positive_class, average, zero_division)

    def fbeta_score(
        self,
        positive_class: object = 1,
        *,
        beta: float,
        average: Average = "binary",
        zero_division: float = 0.0,
    ) -> float | dict[Any, float]:
        """F-beta over all data seen; arguments as :func:`ml_infra.metrics.fbeta_score`.

        Args:
            positive_class: The class scored when ``average="binary"``.
            beta: Weight of recall, a real number >= 0 (inf allowed).
            average: "binary", "micro", "macro", "weighted" or None.
            zero_division: 0.0, 1.0 or NaN.

        Returns:
            The F-beta score, or ``{class: score}`` when ``average`` is None.

        Example:
            >>> ConfusionMatrix().update([1, 1, 0, 0], [1, 0, 1, 1]).fbeta_score(beta=2)
            0.35714285714285715
        """
        return self._score("fbeta_score", positive_class, average, zero_division, beta)

    def confidence_interval(
        self,
        metric: str,
        positive_class: object = 1,
        *,
        average: Average = "binary",
        level: float = 0.95,
    ) -> ConfidenceInterval | dict[Any, ConfidenceInterval]:
        """Wilson score interval of the accuracy, or of a class's precision or recall.

        Precision of class ``c`` is a proportion of the samples predicted ``c``,
        recall one of the samples truly ``c``, accuracy one of all samples; the
        interval is Wilson's for that proportion (as statsmodels'
        ``proportion_confint(..., method="wilson")``). With weighted counts the
        proportion is the weighted one and the sample size is Kish's effective
        size ``(sum w)**2 / sum w**2`` of those samples (equal weights give the
        plain count back; uneven weights widen the interval). A class with no
        sample in the denominator gets the whole ``[0, 1]``.

        Args:
            metric: ``"accuracy"``, ``"precision"`` or ``"recall"``.
            positive_class: The class, for precision and recall with
                ``average="binary"``; ignored for accuracy.
            average: ``"binary"`` (one class) or None (``{class: interval}``
                for every class); ignored for accuracy.
            level: The confidence level, strictly between 0 and 1.

        Returns:
            ``(low, high)`` as a :class:`ConfidenceInterval`, or a dict of them.

        Raises:
            MetricsError: A subclass naming the bad argument.

        Example:
            >>> cm = ConfusionMatrix().update([1] * 8 + [0] * 2, [1] * 10)
            >>> low, high = cm.confidence_interval("recall")
            >>> round(low, 3), round(high, 3)
            (0.49, 0.943)
        """
        func = "ConfusionMatrix.confidence_interval"
        checked_metric = check_option(metric, _INTERVAL_METRICS, "metric", func)
        checked_level = check_level(level, func)
        checked_average = check_option(average, ("binary", None), "average", func)
        self._checked_counts(func)
        counts, squares = self._counts, self._squared()
        if checked_metric == "accuracy":
            total = counts.sum().item()
            n_eff = total * total / squares.sum().item()
            return wilson(np.trace(counts).item(), total, n_eff, checked_level)
        axis = 0 if checked_metric == "precision" else 1  # columns: predicted; rows: true
        totals, square_sums = counts.sum(axis=axis), squares.sum(axis=axis)
        hits = np.diagonal(counts)

        def interval(i: int) -> ConfidenceInterval:
            total = totals[i].item()
            n_eff = total * total / square_sums[i].item() if total else 0.0
            return wilson(hits[i].item(), total, n_eff, checked_level)

        if checked_average is None:
            return {c: interval(i) for i, c in enumerate(self._classes.tolist())}
        return interval(check_positive_class(positive_class, self._classes, func))

    def confusion_matrix(self, *, normalize: Normalize = None) -> ConfusionMatrixResult:
        """The classes and matrix so far, as :func:`ml_infra.metrics.confusion_matrix`.

        Args:
            normalize: None, "true", "pred" or "all".

        Returns:
            ``(classes, matrix)``; copies, safe to modify.

        Example:
            >>> ConfusionMatrix().update([0, 1], [1, 1]).confusion_matrix().matrix.tolist()
            [[0, 0], [1, 1]]
        """
        checked = check_normalize(normalize, "ConfusionMatrix.confusion_matrix")
        return ConfusionMatrixResult(self.classes, normalized(self.counts, checked))

    def classification_report(
        self, *, zero_division: float = 0.0, names: LabelsLike | None = None, digits: int = 2
    ) -> ClassificationReport:
        """Per-class scores and averages so far, as :func:`ml_infra.metrics.classification_report`.

        Args:
            zero_division: 0.0, 1.0 or NaN.
            names: Display names, one string per class (in sorted class order).
            digits: Decimal places of ``str(report)``, an int from 1 to 32.

        Returns:
            The report (``str(report)`` renders it as text).

        Example:
            >>> ConfusionMatrix().update([0, 1], [0, 1]).classification_report().accuracy
            1.0
        """
        func = "ConfusionMatrix.classification_report"
        checked = check_zero_division(zero_division, func)
        places = check_digits(digits, func)
        display = check_names(names, self._classes.shape[0], func)
        self._checked_counts(func)
        stats = one_vs_rest(self._classes, self._counts)
        return build_report(stats, checked, micro_is_accuracy=True, names=display, digits=places)
