"""classification_report: per-class scores and averages as data, rendered on demand."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from ml_infra.metrics._counting import tally
from ml_infra.metrics._errors import EmptyInputError, InvalidParameterError
from ml_infra.metrics._parameters import check_zero_division
from ml_infra.metrics._scores import average_scores, class_scores, one_vs_rest
from ml_infra.metrics._text import safe_repr
from ml_infra.metrics._validation import LabelsLike, as_pair

__all__ = ["ClassScores", "ClassificationReport", "build_report", "classification_report"]

_HEADERS = ("precision", "recall", "f1-score", "support")
# to_text(digits) bound: every cell is about `digits` characters wide, so an unbounded
# value exhausts memory; 32 places show a float64 score's 17 significant digits down to 1e-15.
_MOST_DIGITS = 32


@dataclass(frozen=True, slots=True)
class ClassScores:
    """Precision, recall, F1 and support of one class (or of an average row).

    Attributes:
        precision: The precision.
        recall: The recall.
        f1_score: The F1 score.
        support: Number of true labels of the class (all samples for averages).

    Example:
        >>> ClassScores(1.0, 0.5, 0.6666666666666666, 2).support
        2
    """

    precision: float
    recall: float
    f1_score: float
    support: int

    def to_dict(self) -> dict[str, float | int]:
        """Return the scores under scikit-learn's keys.

        Returns:
            ``{"precision": ..., "recall": ..., "f1-score": ..., "support": ...}``.

        Example:
            >>> ClassScores(1.0, 1.0, 1.0, 3).to_dict()["f1-score"]
            1.0
        """
        return dict(
            zip(_HEADERS, (self.precision, self.recall, self.f1_score, self.support), strict=True)
        )


@dataclass(frozen=True, slots=True)
class ClassificationReport:
    """Per-class scores, accuracy and macro/weighted averages.

    ``str(report)`` renders scikit-learn's text layout; :meth:`to_dict` gives
    scikit-learn's ``output_dict=True`` layout.

    Attributes:
        per_class: ``{class: ClassScores}`` in sorted class order.
        accuracy: Fraction of correct predictions.
        macro_avg: Unweighted means of the per-class scores (support: all samples).
        weighted_avg: Support-weighted means of the per-class scores.

    Example:
        >>> report = classification_report([0, 1, 1], [0, 1, 0])
        >>> report.per_class[1].precision, report.accuracy
        (0.5, 0.6666666666666666)
    """

    per_class: dict[Any, ClassScores]
    accuracy: float
    macro_avg: ClassScores
    weighted_avg: ClassScores

    def to_dict(self) -> dict[str, Any]:
        """Return scikit-learn's ``classification_report(..., output_dict=True)`` layout.

        Returns:
            ``{str(class): {...}, "accuracy": float, "macro avg": {...}, "weighted avg": {...}}``.

        Example:
            >>> sorted(classification_report(["a"], ["a"]).to_dict())
            ['a', 'accuracy', 'macro avg', 'weighted avg']
        """
        result: dict[str, Any] = {str(c): s.to_dict() for c, s in self.per_class.items()}
        result["accuracy"] = self.accuracy
        result["macro avg"] = self.macro_avg.to_dict()
        result["weighted avg"] = self.weighted_avg.to_dict()
        return result

    def to_text(self, digits: int = 2) -> str:
        """Render the report as scikit-learn's text table.

        Args:
            digits: Decimal places of the scores, an int from 1 to 32 (a score is a
                float64: more places would show only its binary expansion).

        Returns:
            The table, one row per class, then accuracy and the averages.

        Raises:
            InvalidParameterError: ``digits`` is not an int from 1 to 32.

        Example:
            >>> print(classification_report([1, 1], [1, 0]).to_text().splitlines()[0].split())
            ['precision', 'recall', 'f1-score', 'support']
        """
        if type(digits) is not int or not 1 <= digits <= _MOST_DIGITS:
            raise InvalidParameterError(
                f"ClassificationReport.to_text: digits must be an int from 1 to {_MOST_DIGITS}, "
                f"got {safe_repr(digits)}"
            )
        names = [str(c) for c in self.per_class]
        width = max([*(len(n) for n in names), len("weighted avg"), digits])
        head = "{:>{width}s} " + " {:>9}" * len(_HEADERS)
        row = "{:>{width}s} " + " {:>9.{digits}f}" * 3 + " {:>9}\n"
        text = head.format("", *_HEADERS, width=width) + "\n\n"
        for name, s in zip(names, self.per_class.values(), strict=True):
            text += row.format(
                name, s.precision, s.recall, s.f1_score, s.support, width=width, digits=digits
            )
        text += "\n"
        accuracy_row = "{:>{width}s} " + " {:>9.{digits}}" * 2 + " {:>9.{digits}f}" + " {:>9}\n"
        text += accuracy_row.format(
            "accuracy", "", "", self.accuracy, self.macro_avg.support, width=width, digits=digits
        )
        for heading, s in (("macro avg", self.macro_avg), ("weighted avg", self.weighted_avg)):
            text += row.format(
                heading, s.precision, s.recall, s.f1_score, s.support, width=width, digits=digits
            )
        return text

    def __str__(self) -> str:
        return self.to_text()


def build_report(
    classes: npt.NDArray[Any], counts: npt.NDArray[np.int64], zero_division: float, func: str
) -> ClassificationReport:
    """Compute the report from confusion counts (validated arguments in).

    Args:
        classes: Sorted classes present in predictions or labels.
        counts: Confusion counts over ``classes``.
        zero_division: The value of undefined ratios.
        func: The public function's name, for messages.

    Returns:
        The report.

    Raises:
        EmptyInputError: No samples were counted.

    Example:
        >>> build_report(np.array([0]), np.array([[2]]), 0.0, "f").accuracy
        1.0
    """
    total = int(counts.sum())
    if total == 0:
        raise EmptyInputError(f"{func}: there are no samples to report on (the input is empty)")
    true_positives, predicted, actual = one_vs_rest(counts)
    scores = [
        class_scores(metric, true_positives, predicted, actual, zero_division)
        for metric in ("precision", "recall", "f1_score")
    ]
    per_class = {
        c: ClassScores(p, r, f, s)
        for c, p, r, f, s in zip(
            classes.tolist(), *(x.tolist() for x in scores), actual.tolist(), strict=True
        )
    }
    precision, recall, f1 = scores
    macro = ClassScores(
        average_scores(precision, None),
        average_scores(recall, None),
        average_scores(f1, None),
        total,
    )
    weighted = ClassScores(
        average_scores(precision, actual),
        average_scores(recall, actual),
        average_scores(f1, actual),
        total,
    )
    return ClassificationReport(per_class, int(np.trace(counts)) / total, macro, weighted)


def classification_report(
    predictions: LabelsLike, labels: LabelsLike, *, zero_division: float = 0.0
) -> ClassificationReport:
    """Per-class precision, recall, F1 and support, plus accuracy and averages.

    Note the argument order: **predictions first, labels second** (the reverse
    of scikit-learn's ``classification_report(y_true, y_pred)``). The result is
    data; ``print(report)`` shows scikit-learn's text table.

    Args:
        predictions: Predicted labels (list, tuple, 1-D ndarray or pandas Series).
        labels: True labels, same length and label type.
        zero_division: The score of undefined ratios: 0.0, 1.0 or NaN.

    Returns:
        A :class:`ClassificationReport`.

    Raises:
        MetricsError: A subclass naming the bad argument (see the package docs).

    Example:
        >>> report = classification_report(["cat", "dog"], ["cat", "cat"])
        >>> report.per_class["cat"].recall, report.macro_avg.precision
        (0.5, 0.5)
    """
    func = "classification_report"
    checked = check_zero_division(zero_division, func)
    pred, true = as_pair(predictions, labels, func)
    classes, counts = tally(pred, true)
    return build_report(classes, counts, checked, func)
