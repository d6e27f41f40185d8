"""scikit-learn's rules where they differ from the native API, for :mod:`ml_infra.metrics.compat`.

Three rules: ``zero_division="warn"`` (0.0 plus a warning), the options
scikit-learn accepts for ``average``, and its *binary target* rule: with
``average="binary"`` the data must hold at most two classes (else ValueError),
and a ``pos_label`` absent from data of two classes is an error while absent
from single-class data it scores the ``zero_division`` value. Each check
costs O(1) beyond what the native path computes, but the binary rule: for 0/1
(and bool) labels one max per array proves that at most two classes occur;
other labels need one comparison per class and array.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from ml_infra.metrics._errors import InvalidParameterError, UnknownClassError
from ml_infra.metrics._parameters import check_option, check_zero_division, matches
from ml_infra.metrics._text import format_list, safe_repr

__all__ = [
    "SK_AVERAGES",
    "binary_masks",
    "check_sk_average",
    "check_sk_zero_division",
    "consistent_pos_label",
    "label_classes",
]

#: The averages scikit-learn accepts ("samples": multilabel input only).
SK_AVERAGES = ("binary", "micro", "macro", "weighted", "samples", None)
_OTHER_AVERAGES = "[None, 'micro', 'macro', 'weighted']"


def check_sk_average(average: object, func: str) -> Any:
    """Return ``average`` if scikit-learn accepts it, else raise.

    Args:
        average: The caller's ``average``.
        func: The public function's name, for messages.

    Returns:
        The validated option ("samples" is checked against the targets later).

    Raises:
        InvalidParameterError: Not one of scikit-learn's options.

    Example:
        >>> check_sk_average("macro", "f1_score")
        'macro'
    """
    return check_option(average, SK_AVERAGES, "average", func)


def check_sk_zero_division(zero_division: object, func: str) -> tuple[float, bool]:
    """Return the value of undefined ratios and whether to warn about them.

    Args:
        zero_division: ``"warn"`` (0.0, and warn), 0.0, 1.0 or NaN.
        func: The public function's name, for messages.

    Returns:
        ``(value, warn)``.

    Raises:
        InvalidParameterError: Any other value.

    Example:
        >>> check_sk_zero_division("warn", "recall_score")
        (0.0, True)
    """
    if isinstance(zero_division, str) and str.__str__(zero_division) == "warn":
        return 0.0, True
    return check_zero_division(zero_division, func), False


def binary_masks(
    predictions: npt.NDArray[Any], labels: npt.NDArray[Any], pos_label: object, func: str
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Where ``pos_label`` is predicted and true, once the data is known to be binary.

    Args:
        predictions: Validated, non-empty predictions.
        labels: Validated labels of the same length.
        pos_label: The caller's ``pos_label``.
        func: The public function's name, for messages.

    Returns:
        Two new boolean masks (callers may overwrite them); both all False when
        ``pos_label`` is absent from single-class data.

    Raises:
        InvalidParameterError: More than two classes occur (scikit-learn's
            "Target is multiclass but average='binary'").
        UnknownClassError: Two classes occur and ``pos_label`` is neither.

    Example:
        >>> [m.tolist() for m in binary_masks(np.array([0, 0]), np.array([0, 0]), 1, "f")]
        [[False, False], [False, False]]
    """
    predicted, actual = matches(predictions, pos_label), matches(labels, pos_label)
    if (predicted.any() or actual.any()) and _zeros_and_ones(predictions, labels):
        return predicted, actual
    others: list[Any] = []
    for other in (*_others(predictions, predicted, func), *_others(labels, actual, func)):
        if not any(other == seen for seen in others):
            others.append(other)
    positive = bool(predicted.any() or actual.any())
    if len(others) + positive > 2:
        raise _multiclass(func)
    if len(others) == 2:
        classes = np.union1d(np.array(others[:1]), np.array(others[1:])).tolist()
        raise UnknownClassError(
            f"{func}: pos_label={safe_repr(pos_label)} is not a valid label, got the classes "
            f"{format_list(classes)}; pass one of them as pos_label"
        )
    return predicted, actual


def _zeros_and_ones(predictions: npt.NDArray[Any], labels: npt.NDArray[Any]) -> bool:
    """Whether both arrays hold only 0 and 1 (or bools): then at most two classes occur.

    One max per integer array over its bits read as unsigned (a negative
    integer reads as huge), writing no mask: the cheapest pass numpy has over
    the values. Other labels (``{-1, 1}``, strings, floats) return False and
    take the exact check.
    """
    for values in (predictions, labels):
        kind = values.dtype.kind
        if kind == "b":
            continue
        if kind not in "iu" or values.view(f"u{values.itemsize}").max() > 1:
            return False
    return True


def _others(values: npt.NDArray[Any], positive: npt.NDArray[np.bool_], func: str) -> list[Any]:
    """The (at most two) classes of ``values`` besides the positive one; raise if more."""
    found: list[Any] = []
    known = positive
    while True:
        first = int(np.argmin(known))
        if known[first]:  # every value is known
            return found
        if len(found) == 2:
            raise _multiclass(func)
        found.append(values[first])
        known = known | (values == values[first])


def _multiclass(func: str) -> InvalidParameterError:
    return InvalidParameterError(
        f"{func}: average='binary' needs binary targets, got multiclass targets (more than "
        f"two classes); choose another average setting, one of {_OTHER_AVERAGES}"
    )


def label_classes(labels: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """The sorted classes of validated labels; numbers with at most two classes cost no sort.

    Args:
        labels: Validated labels.

    Returns:
        The distinct classes, sorted.

    Example:
        >>> label_classes(np.array([1, 0, 1])).tolist()
        [0, 1]
    """
    if labels.shape[0] and labels.dtype.kind in "biuf":
        lo, hi = labels.min(), labels.max()
        if lo == hi:
            return labels[:1]
        ends = np.array([lo, hi], dtype=labels.dtype)
        if np.count_nonzero(labels == lo) + np.count_nonzero(labels == hi) == labels.shape[0]:
            return ends
    return np.unique(labels)


def consistent_pos_label(
    pos_label: object, classes: npt.NDArray[Any], func: str, *, numeric_fallback: bool
) -> object:
    """scikit-learn's ``pos_label=None``: 1 for labels in {0, 1} or {-1, 1}, else an error.

    Args:
        pos_label: The caller's ``pos_label`` (returned unless None).
        classes: The sorted classes of ``y_true`` (:func:`label_classes`).
        func: The public function's name, for messages.
        numeric_fallback: Numeric labels outside those sets take their greatest
            class instead of raising (``brier_score_loss``).

    Returns:
        The positive class.

    Raises:
        InvalidParameterError: ``pos_label`` is None and the classes are not
            {0, 1}, {-1, 1} or one of their members.

    Example:
        >>> consistent_pos_label(None, np.array([-1, 1]), "roc_curve", numeric_fallback=False)
        1
    """
    if pos_label is not None:
        return pos_label
    numeric = classes.dtype.kind in "biuf"
    allowed = ([0, 1], [-1, 1], [0], [-1], [1])
    if numeric and classes.shape[0] <= 2 and classes.tolist() in allowed:
        return 1
    if numeric and numeric_fallback:
        return classes[-1].item()
    raise InvalidParameterError(
        f"{func}: pos_label is not specified and y_true takes values in "
        f"{format_list(classes.tolist())}; make y_true take values in {{0, 1}} or {{-1, 1}}, "
        "or pass pos_label"
    )
