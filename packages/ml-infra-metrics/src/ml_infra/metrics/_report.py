"""classification_report: per-class scores and averages as data, rendered on demand."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from ml_infra.metrics._counting import class_counts
from ml_infra.metrics._errors import EmptyInputError, InvalidParameterError
from ml_infra.metrics._labels import LabelsLike, as_labels
from ml_infra.metrics._multilabel import Targets, as_targets, sample_scores
from ml_infra.metrics._parameters import check_zero_division
from ml_infra.metrics._scores import ClassCounts, average_scores, binary_score, class_scores
from ml_infra.metrics._text import format_list, safe_repr
from ml_infra.metrics._weights import Weights, as_weights

__all__ = [
    "ClassScores",
    "ClassificationReport",
    "build_report",
    "classification_report",
    "report_from_counts",
]

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
        support: Number of true labels of the class (all true labels for
            averages); a float sum of weights with ``sample_weight``.

    Example:
        >>> ClassScores(1.0, 0.5, 0.6666666666666666, 2).support
        2
    """

    precision: float
    recall: float
    f1_score: float
    support: int | float

    def to_dict(self) -> dict[str, float]:
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

    def _cells(self) -> tuple[float, float, float, int | float]:
        return self.precision, self.recall, self.f1_score, self.support


@dataclass(frozen=True, slots=True)
class ClassificationReport:
    """Per-class scores, accuracy and macro/weighted averages.

    ``str(report)`` renders scikit-learn's text layout; :meth:`to_dict` gives
    scikit-learn's ``output_dict=True`` layout.

    Attributes:
        per_class: ``{class: ClassScores}`` in sorted class order (or the order
            of ``classes``); keys are the classes, whatever the display names.
        accuracy: Fraction of correct predictions (the micro average); None when
            the report shows a ``micro avg`` row instead (multilabel input, or
            ``classes`` leaving out a class that occurs), as scikit-learn.
        macro_avg: Unweighted means of the per-class scores (support: all true labels).
        weighted_avg: Support-weighted means of the per-class scores.
        micro_avg: Scores of the pooled counts when they are not the accuracy, else None.
        samples_avg: Multilabel only: the mean over samples of each row's scores.
        names: Display names of the classes for the text and dict forms
            (scikit-learn's ``target_names``); None shows ``str(class)``.
        digits: Decimal places of ``str(report)``.

    Example:
        >>> report = classification_report([0, 1, 1], [0, 1, 0])
        >>> report.per_class[1].precision, report.accuracy
        (0.5, 0.6666666666666666)
    """

    per_class: dict[Any, ClassScores]
    accuracy: float | None
    macro_avg: ClassScores
    weighted_avg: ClassScores
    micro_avg: ClassScores | None = None
    samples_avg: ClassScores | None = None
    names: tuple[str, ...] | None = None
    digits: int = 2

    def _rows(self) -> list[tuple[str, ClassScores]]:
        """The class rows under their display names."""
        names = self.names or tuple(str(c) for c in self.per_class)
        return list(zip(names, self.per_class.values(), strict=True))

    def _averages(self) -> list[tuple[str, ClassScores]]:
        """The average rows, in scikit-learn's order and under its headings."""
        rows = [] if self.micro_avg is None else [("micro avg", self.micro_avg)]
        rows += [("macro avg", self.macro_avg), ("weighted avg", self.weighted_avg)]
        if self.samples_avg is not None:
            rows.append(("samples avg", self.samples_avg))
        return rows

    def to_dict(self) -> dict[str, Any]:
        """Return scikit-learn's ``classification_report(..., output_dict=True)`` layout.

        Returns:
            ``{name: {...}, "accuracy": float, "macro avg": {...}, "weighted avg": {...}}``
            (``"micro avg"`` instead of ``"accuracy"``, and ``"samples avg"``, where
            scikit-learn has them).

        Example:
            >>> sorted(classification_report(["a"], ["a"]).to_dict())
            ['a', 'accuracy', 'macro avg', 'weighted avg']
        """
        result: dict[str, Any] = {name: s.to_dict() for name, s in self._rows()}
        if self.accuracy is not None:
            result["accuracy"] = self.accuracy
        for heading, scores in self._averages():
            result[heading] = scores.to_dict()
        return result

    def to_text(self, digits: int | None = None) -> str:
        """Render the report as scikit-learn's text table.

        Args:
            digits: Decimal places of the scores, an int from 1 to 32 (a score is a
                float64: more places would show only its binary expansion);
                None uses the report's ``digits``.

        Returns:
            The table, one row per class, then accuracy and the averages.

        Raises:
            InvalidParameterError: ``digits`` is not an int from 1 to 32.

        Example:
            >>> print(classification_report([1, 1], [1, 0]).to_text().splitlines()[0].split())
            ['precision', 'recall', 'f1-score', 'support']
        """
        places = check_digits(
            self.digits if digits is None else digits, "ClassificationReport.to_text"
        )
        rows = self._rows()
        width = max([*(len(name) for name, _ in rows), len("weighted avg"), places])
        head = "{:>{width}s} " + " {:>9}" * len(_HEADERS)
        row = "{:>{width}s} " + " {:>9.{digits}f}" * 3 + " {:>9}\n"
        text = head.format("", *_HEADERS, width=width) + "\n\n"
        for name, s in rows:
            text += row.format(name, *s._cells(), width=width, digits=places)
        text += "\n"
        if self.accuracy is not None:
            accuracy_row = "{:>{width}s} " + " {:>9.{digits}}" * 2 + " {:>9.{digits}f}" + " {:>9}\n"
            text += accuracy_row.format(
                "accuracy",
                "",
                "",
                self.accuracy,
                self.macro_avg.support,
                width=width,
                digits=places,
            )
        for heading, s in self._averages():
            text += row.format(heading, *s._cells(), width=width, digits=places)
        return text

    def __str__(self) -> str:
        return self.to_text()


def check_digits(digits: object, func: str) -> int:
    """Return ``digits`` if it is an int from 1 to 32, else raise InvalidParameterError.

    Args:
        digits: The caller's ``digits``.
        func: The public function's name, for messages.

    Returns:
        The validated number of decimal places.

    Example:
        >>> check_digits(4, "classification_report")
        4
    """
    if type(digits) is not int or not 1 <= digits <= _MOST_DIGITS:
        raise InvalidParameterError(
            f"{func}: digits must be an int from 1 to {_MOST_DIGITS}, got {safe_repr(digits)}"
        )
    return digits


def check_names(names: object, n_classes: int, func: str) -> tuple[str, ...] | None:
    """Validate display names: None, or one string per reported class.

    Args:
        names: The caller's ``names``.
        n_classes: The number of classes in the report.
        func: The public function's name, for messages.

    Returns:
        The names as a tuple of plain strings, or None.

    Raises:
        InvalidParameterError: Not one string per class.

    Example:
        >>> check_names(["no", "yes"], 2, "classification_report")
        ('no', 'yes')
    """
    if names is None:
        return None
    checked = as_labels(names, "names", func)
    if checked.dtype.kind != "U" or checked.shape[0] != n_classes:
        raise InvalidParameterError(
            f"{func}: names must give one string per class ({n_classes}), got "
            f"{format_list(checked.tolist())}; pass classes= to choose the classes named"
        )
    return tuple(str(name) for name in checked.tolist())


def build_report(
    stats: ClassCounts,
    zero_division: float,
    *,
    micro_is_accuracy: bool,
    samples_avg: ClassScores | None = None,
    names: tuple[str, ...] | None = None,
    digits: int = 2,
) -> ClassificationReport:
    """Compute the report from per-class counts (validated arguments in).

    Args:
        stats: Per-class counts (restricted to ``classes`` if given).
        zero_division: The value of undefined ratios.
        micro_is_accuracy: Whether the micro average is the accuracy (1-D
            labels, every class that occurs reported); else the report has a
            ``micro avg`` row, as scikit-learn's.
        samples_avg: The samples average (multilabel), or None.
        names: Display names, or None.
        digits: Decimal places of the text form.

    Returns:
        The report.

    Example:
        >>> from ml_infra.metrics._scores import one_vs_rest
        >>> stats = one_vs_rest(np.array([0]), np.array([[2]]))
        >>> build_report(stats, 0.0, micro_is_accuracy=True).accuracy
        1.0
    """
    tp, predicted, actual = stats.true_positives, stats.predicted, stats.actual
    scores = [
        class_scores(metric, tp, predicted, actual, zero_division)
        for metric in ("precision", "recall", "f1_score")
    ]
    per_class = {
        c: ClassScores(p, r, f, s)
        for c, p, r, f, s in zip(
            stats.classes.tolist(), *(x.tolist() for x in scores), actual.tolist(), strict=True
        )
    }
    total = actual.sum().item()

    def averaged(weights: Any) -> ClassScores:
        p, r, f = (average_scores(x, weights) for x in scores)
        return ClassScores(p, r, f, total)

    pooled = (tp.sum().item(), predicted.sum().item(), total)
    p, r, f = (binary_score(m, *pooled, zero_division) for m in ("precision", "recall", "f1_score"))
    micro = ClassScores(p, r, f, total)
    accuracy = micro.f1_score if micro_is_accuracy else None  # scikit-learn's accuracy row
    return ClassificationReport(
        per_class,
        accuracy,
        averaged(None),
        averaged(actual),
        None if micro_is_accuracy else micro,
        samples_avg,
        names,
        digits,
    )


def _samples_row(
    targets: Targets, columns: Any, weights: Weights, zero_division: float, total: float
) -> ClassScores:
    p, r, f = (
        sample_scores(m, targets, columns, weights, zero_division, 1.0)
        for m in ("precision", "recall", "f1_score")
    )
    return ClassScores(p, r, f, total)


def classification_report(
    predictions: LabelsLike,
    labels: LabelsLike,
    *,
    zero_division: float = 0.0,
    classes: LabelsLike | None = None,
    names: LabelsLike | None = None,
    digits: int = 2,
    sample_weight: LabelsLike | None = None,
) -> ClassificationReport:
    """Per-class precision, recall, F1 and support, plus accuracy and averages.

    Note the argument order: **predictions first, labels second** (the reverse
    of scikit-learn's ``classification_report(y_true, y_pred)``). The result is
    data; ``print(report)`` shows scikit-learn's text table.

    Args:
        predictions: Predicted labels (list, tuple, 1-D ndarray or pandas Series),
            or 2-D 0/1 multilabel indicator rows.
        labels: True labels, same length and kind.
        zero_division: The score of undefined ratios: 0.0, 1.0 or NaN.
        classes: The classes to report, in this order (scikit-learn's ``labels=``;
            absent classes get a row of ``zero_division`` and support 0).
        names: Display names, one string per reported class (scikit-learn's
            ``target_names``); rows and dict keys show them.
        digits: Decimal places of ``str(report)``, an int from 1 to 32.
        sample_weight: Non-negative weights, one per sample (None: all 1).

    Returns:
        A :class:`ClassificationReport`.

    Raises:
        MetricsError: A subclass naming the bad argument (see the package docs).

    Example:
        >>> report = classification_report(["cat", "dog"], ["cat", "cat"])
        >>> report.per_class["cat"].recall, report.macro_avg.precision
        (0.5, 0.5)
        >>> report = classification_report([1, 0], [1, 1], names=["no", "yes"], digits=3)
        >>> sorted(report.to_dict())[-1], str(report).split()[5]
        ('yes', '0.000')
    """
    func = "classification_report"
    checked = check_zero_division(zero_division, func)
    places = check_digits(digits, func)
    targets = as_targets(predictions, labels, func)
    weights = as_weights(sample_weight, targets.n_samples, func)
    if targets.n_samples == 0:
        raise EmptyInputError(f"{func}: there are no samples to report on (the input is empty)")
    stats = class_counts(targets, weights, classes, func)
    return report_from_counts(
        targets, weights, stats, classes is not None, checked, names, places, func
    )


def report_from_counts(
    targets: Targets,
    weights: Weights,
    stats: ClassCounts,
    picked: bool,
    zero_division: float,
    names: object,
    digits: int,
    func: str,
) -> ClassificationReport:
    """The *reduce* step of :func:`classification_report` (also ``compat``'s), counts in.

    Args:
        targets: Validated targets.
        weights: Validated sample weights, or None.
        stats: Their per-class counts (over ``classes=`` if given).
        picked: Whether ``classes=`` chose the classes.
        zero_division: The validated value of undefined ratios.
        names: The caller's display names (validated here), or None.
        digits: Validated decimal places.
        func: The public function's name, for messages.

    Returns:
        The report.

    Example:
        >>> from ml_infra.metrics._counting import class_counts
        >>> t = as_targets([0, 1], [0, 0], "f")
        >>> report_from_counts(t, None, class_counts(t, None, None, "f"), False, 0.0, None, 2, "f").accuracy
        0.5
    """
    display = check_names(names, stats.classes.shape[0], func)
    if targets.multilabel:
        total = stats.actual.sum().item()
        columns = stats.classes.astype(np.intp) if picked else None
        samples = _samples_row(targets, columns, weights, zero_division, total)
        return build_report(
            stats,
            zero_division,
            micro_is_accuracy=False,
            samples_avg=samples,
            names=display,
            digits=digits,
        )
    covers = not picked or _covers(stats.classes, targets)
    return build_report(
        stats, zero_division, micro_is_accuracy=covers, names=display, digits=digits
    )


def _covers(classes: Any, targets: Targets) -> bool:
    """Whether the chosen classes include every class that occurs (micro = accuracy)."""
    occurring = np.union1d(targets.predictions, targets.labels)
    return bool(np.isin(occurring, classes).all())
