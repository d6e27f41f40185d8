"""Warnings of ``ml_infra.metrics``: scikit-learn's category, with scikit-learn's texts.

Only :mod:`ml_infra.metrics.compat` warns (the native functions take an
explicit ``zero_division`` and never warn). The texts are scikit-learn 1.9's,
word for word, so code and tests that match on them keep working after
porting.
"""

from __future__ import annotations

import warnings
from collections.abc import Collection
from typing import Any, Final

import numpy as np
import numpy.typing as npt
from ml_infra.metrics._labels import is_number
from ml_infra.metrics._text import safe_repr

__all__ = [
    "UndefinedMetricWarning",
    "warn_no_positive",
    "warn_pos_label_ignored",
    "warn_single_class",
    "warn_single_label",
    "warn_undefined",
]

# The divisions scikit-learn makes, in its order, with the word it names the
# denominator by.
_MODIFIERS: Final = (
    ("precision", "predicted"),
    ("recall", "true"),
    ("f-score", "true nor predicted"),
)


class UndefinedMetricWarning(UserWarning):
    """A score divided by zero and was set by ``zero_division="warn"`` (0.0).

    Raised by :mod:`ml_infra.metrics.compat` only, under the name and with the
    text scikit-learn uses (``sklearn.exceptions.UndefinedMetricWarning``), so
    ``warnings.filterwarnings("ignore", category=...)`` ports by changing the import.

    Example:
        >>> issubclass(UndefinedMetricWarning, UserWarning)
        True
    """


def warn_undefined(
    warn_for: Collection[str],
    predicted: npt.NDArray[Any],
    actual: npt.NDArray[Any],
    beta: float,
    average: str | None,
    stacklevel: int,
) -> None:
    """Warn as scikit-learn's ``_prf_divide`` does for each undefined ratio.

    Args:
        warn_for: The scores to warn about (``"precision"``, ``"recall"``, ``"f-score"``).
        predicted: Per-class (or micro-summed, one entry) numbers of predictions.
        actual: Per-class numbers of true labels, same shape.
        beta: The F-beta weight (F is recall for inf and precision for 0,
            which then never warn for "f-score", as in scikit-learn).
        average: The ``average`` option ("samples" swaps "sample" and "label").
        stacklevel: Frames between this function and the user's call, plus one.

    Example:
        >>> import warnings
        >>> with warnings.catch_warnings(record=True) as seen:
        ...     warnings.simplefilter("always")
        ...     warn_undefined(("precision",), np.array([0]), np.array([1]), 1.0, "binary", 1)
        >>> str(seen[0].message)[:48]
        'Precision is ill-defined and being set to 0.0 du'
    """
    f_defined = beta not in (0.0, float("inf"))
    for metric, modifier in _MODIFIERS:
        if metric not in warn_for or (metric == "f-score" and not f_defined):
            continue
        if metric == "precision":
            undefined = predicted == 0
        elif metric == "recall":
            undefined = actual == 0
        else:
            undefined = (beta * beta) * actual + predicted == 0
        if np.any(undefined):
            warnings.warn(
                _text(f"{metric.capitalize()} is", modifier, average, predicted.shape[0]),
                UndefinedMetricWarning,
                stacklevel=stacklevel + 1,
            )


def _text(start: str, modifier: str, average: str | None, size: int) -> str:
    """scikit-learn's ``_warn_prf`` message."""
    axis0, axis1 = ("label", "sample") if average == "samples" else ("sample", "label")
    where = "due to" if size == 1 else f"in {axis1}s with"
    return (
        f"{start} ill-defined and being set to 0.0 {where} no {modifier} {axis0}s. "
        "Use `zero_division` parameter to control this behavior."
    )


def warn_pos_label_ignored(pos_label: object, average: object, stacklevel: int) -> None:
    """scikit-learn's warning for a ``pos_label`` other than 1 with a non-binary average.

    Args:
        pos_label: The caller's ``pos_label`` (warned about unless None or 1).
        average: The caller's ``average`` (not "binary").
        stacklevel: Frames between this function and the user's call, plus one.

    Example:
        >>> warn_pos_label_ignored(1, "macro", 1)  # 1 is the default: no warning
    """
    if pos_label is None or (is_number(pos_label) and pos_label == 1):
        return
    warnings.warn(
        f"Note that pos_label (set to {safe_repr(pos_label)}) is ignored when average != 'binary' "
        f"(got {average!r}). You may use labels=[pos_label] to specify a single positive "
        "class.",
        UserWarning,
        stacklevel=stacklevel + 1,
    )


def warn_single_label(stacklevel: int) -> None:
    """scikit-learn's warning for a 1 x 1 confusion matrix.

    Args:
        stacklevel: Frames between this function and the user's call, plus one.

    Example:
        >>> import warnings
        >>> with warnings.catch_warnings(record=True) as seen:
        ...     warnings.simplefilter("always")
        ...     warn_single_label(1)
        >>> seen[0].category.__name__
        'UserWarning'
    """
    warnings.warn(
        "A single label was found in 'y_true' and 'y_pred'. For the confusion matrix to "
        "have the correct shape, use the 'labels' parameter to pass all known labels.",
        UserWarning,
        stacklevel=stacklevel + 1,
    )


def warn_single_class(stacklevel: int) -> None:
    """scikit-learn's warning for a binary ROC AUC on one class (the score is then NaN).

    Args:
        stacklevel: Frames between this function and the user's call, plus one.

    Example:
        >>> import warnings
        >>> with warnings.catch_warnings(record=True) as seen:
        ...     warnings.simplefilter("always")
        ...     warn_single_class(1)
        >>> str(seen[0].message)[:34]
        'Only one class is present in y_tru'
    """
    warnings.warn(
        "Only one class is present in y_true. ROC AUC score is not defined in that case.",
        UndefinedMetricWarning,
        stacklevel=stacklevel + 1,
    )


def warn_no_positive(stacklevel: int) -> None:
    """scikit-learn's warning for an average precision without positive samples (0.0).

    Args:
        stacklevel: Frames between this function and the user's call, plus one.

    Example:
        >>> import warnings
        >>> with warnings.catch_warnings(record=True) as seen:
        ...     warnings.simplefilter("always")
        ...     warn_no_positive(1)
        >>> seen[0].category.__name__
        'UserWarning'
    """
    warnings.warn(
        "No positive class found in y_true, recall is set to one for all thresholds.",
        UserWarning,
        stacklevel=stacklevel + 1,
    )
