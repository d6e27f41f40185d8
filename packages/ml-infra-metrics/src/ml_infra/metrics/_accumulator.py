"""ConfusionMatrix: a mergeable accumulator of confusion counts.

The state is the sorted classes seen so far and an ``int64`` count table. Two
states merge by aligning their classes (a sorted union) and adding counts, so
merging is exact, associative and commutative: batches, threads or processes
(multiprocessing, Dask, Spark) give the same counts, hence the same scores, as
one pass over all the data.
"""

from __future__ import annotations

from typing import Any, overload

import numpy as np
import numpy.typing as npt
from ml_infra.metrics._classification import score_from_counts
from ml_infra.metrics._confusion import (
    ConfusionMatrixResult,
    Normalize,
    check_normalize,
    normalized,
)
from ml_infra.metrics._counting import align, tally
from ml_infra.metrics._dask import accumulate, is_dask
from ml_infra.metrics._errors import InvalidInputTypeError, MixedLabelTypesError
from ml_infra.metrics._parameters import check_average, check_zero_division
from ml_infra.metrics._report import ClassificationReport, build_report
from ml_infra.metrics._scores import Average, Averaged, Metric
from ml_infra.metrics._validation import LabelsLike, as_pair, unify_integers

__all__ = ["ConfusionMatrix"]


class ConfusionMatrix:
    """Accumulate confusion counts batch by batch; merge partial states exactly.

    Feed it with :meth:`update` (predictions first, labels second, like every
    function here), or build partial states on separate workers, send them
    back (instances pickle) and :meth:`merge` them. Classes may differ between
    partial states: merging aligns them. Every score method equals the
    matching one-shot function on all the data seen.

    Example:
        >>> cm = ConfusionMatrix()
        >>> cm.update([1, 0, 1], [1, 0, 0]).update([1, 1], [1, 1])
        ConfusionMatrix(classes=[0, 1], n_samples=5)
        >>> other = ConfusionMatrix().update([2], [2])
        >>> cm.merge(other).f1_score(average="macro")
        0.8412698412698413
    """

    __slots__ = ("_classes", "_counts")

    def __init__(self) -> None:
        self._classes: npt.NDArray[Any] = np.empty(0, dtype=np.int64)
        self._counts: npt.NDArray[np.int64] = np.zeros((0, 0), dtype=np.int64)

    @property
    def classes(self) -> npt.NDArray[Any]:
        """The sorted classes seen so far (as a label or a prediction); a copy."""
        return self._classes.copy()

    @property
    def counts(self) -> npt.NDArray[np.int64]:
        """The ``int64`` counts, rows = true class, columns = predicted class; a copy."""
        return self._counts.copy()

    @property
    def n_samples(self) -> int:
        """How many (prediction, label) pairs were counted."""
        return int(self._counts.sum())

    def __repr__(self) -> str:
        return f"ConfusionMatrix(classes={self._classes.tolist()!r}, n_samples={self.n_samples})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ConfusionMatrix):
            return NotImplemented
        return (
            self._classes.shape == other._classes.shape
            and bool(np.all(self._classes == other._classes))
            and bool(np.array_equal(self._counts, other._counts))
        )

    __hash__ = None  # type: ignore[assignment]  # mutable: not hashable

    def _add(self, classes: npt.NDArray[Any], counts: npt.NDArray[np.int64], func: str) -> None:
        """Fold ``(classes, counts)`` into the state, checking the label types agree."""
        if classes.shape[0] == 0:
            return
        if self._classes.shape[0] == 0:
            self._classes, self._counts = classes, counts.copy()
            return
        if (classes.dtype.kind == "U") != (self._classes.dtype.kind == "U"):
            seen = "strings" if self._classes.dtype.kind == "U" else "numbers"
            raise MixedLabelTypesError(
                f"{func}: cannot combine string classes with numeric classes "
                f"(the classes seen so far are {seen})"
            )
        own, new = unify_integers(
            (self._classes, classes), "the classes seen so far and the new ones", func
        )
        self._classes, self._counts = align(own, self._counts, new, counts)

    def update(self, predictions: LabelsLike, labels: LabelsLike) -> ConfusionMatrix:
        """Count one batch.

        With dask installed, ``predictions`` and ``labels`` may be dask arrays
        or dask Series: each partition pair is counted on the workers, the
        partial states are merged there, and the result is added here (see the
        README's "Dask" section; partitions are matched by position).

        Args:
            predictions: Predicted labels of the batch.
            labels: True labels of the batch, same length and label type.

        Returns:
            ``self``, so calls chain.

        Raises:
            MetricsError: A subclass naming the bad argument; the state is unchanged.

        Example:
            >>> ConfusionMatrix().update(["a", "b"], ["a", "a"]).counts.tolist()
            [[1, 1], [0, 0]]
        """
        func = "ConfusionMatrix.update"
        if is_dask(predictions) or is_dask(labels):
            state = accumulate(
                ConfusionMatrix, {"predictions": predictions, "labels": labels}, func
            )
            self._add(state._classes, state._counts, func)
            return self
        pred, true = as_pair(predictions, labels, func)
        classes, counts = tally(pred, true)
        self._add(classes, counts, func)
        return self

    def merge(self, other: ConfusionMatrix) -> ConfusionMatrix:
        """Add another accumulator's counts into this one (classes are aligned).

        Args:
            other: A partial state, e.g. computed on another process.

        Returns:
            ``self``, so calls chain.

        Raises:
            InvalidInputTypeError: ``other`` is not a ConfusionMatrix.
            MixedLabelTypesError: One holds string classes, the other numbers.

        Example:
            >>> a = ConfusionMatrix().update([0], [0])
            >>> a.merge(ConfusionMatrix().update([1], [0])).counts.tolist()
            [[1, 1], [0, 0]]
        """
        if not isinstance(other, ConfusionMatrix):
            raise InvalidInputTypeError(
                f"ConfusionMatrix.merge: other must be a ConfusionMatrix, got {type(other).__name__}"
            )
        self._add(other._classes, other._counts, "ConfusionMatrix.merge")
        return self

    def accuracy(self) -> float:
        """Fraction of correct predictions so far (0.0 before any sample).

        Returns:
            The accuracy, as :func:`ml_infra.metrics.accuracy` on all data seen.

        Example:
            >>> ConfusionMatrix().update([1, 0, 1, 1, 0], [1, 0, 1, 0, 0]).accuracy()
            0.8
        """
        total = self.n_samples
        return int(np.trace(self._counts)) / total if total else 0.0

    def _score(
        self, metric: Metric, positive_class: object, average: object, zero_division: object
    ) -> float | dict[Any, float]:
        func = f"ConfusionMatrix.{metric}"
        return score_from_counts(
            metric,
            self._classes,
            self._counts,
            positive_class,
            check_average(average, func),
            check_zero_division(zero_division, func),
            func,
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

    def classification_report(self, *, zero_division: float = 0.0) -> ClassificationReport:
        """Per-class scores and averages so far, as :func:`ml_infra.metrics.classification_report`.

        Args:
            zero_division: 0.0, 1.0 or NaN.

        Returns:
            The report (``str(report)`` renders it as text).

        Example:
            >>> ConfusionMatrix().update([0, 1], [0, 1]).classification_report().accuracy
            1.0
        """
        func = "ConfusionMatrix.classification_report"
        return build_report(
            self._classes, self._counts, check_zero_division(zero_division, func), func
        )
