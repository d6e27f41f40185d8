"""Option checks: ``average``, ``zero_division`` and ``positive_class``.

The ``check_*`` functions take the caller's argument and the public
function's name, and return the validated value or raise
:class:`InvalidParameterError` / :class:`UnknownClassError` naming both.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np
import numpy.typing as npt
from ml_infra.metrics._errors import InvalidParameterError, UnknownClassError, format_list
from ml_infra.metrics._scores import AVERAGES, Average

__all__ = [
    "check_average",
    "check_positive_class",
    "check_zero_division",
    "label_fits",
    "unknown_class",
]


def check_average(average: object, func: str) -> Average:
    """Return ``average`` if it is one of the supported options, else raise.

    Args:
        average: The caller's ``average`` argument.
        func: The public function's name, for messages.

    Returns:
        The validated option.

    Raises:
        InvalidParameterError: Not one of "binary", "micro", "macro", "weighted", None.

    Example:
        >>> check_average("macro", "f1_score")
        'macro'
    """
    if average is None or (isinstance(average, str) and average in AVERAGES):
        return average  # type: ignore[return-value]
    raise InvalidParameterError(
        f"{func}: average must be one of 'binary', 'micro', 'macro', 'weighted' or None, "
        f"got {average!r}"
    )


def check_zero_division(zero_division: object, func: str) -> float:
    """Return ``zero_division`` as a float if it is 0, 1 or NaN, else raise.

    Args:
        zero_division: The caller's ``zero_division`` argument.
        func: The public function's name, for messages.

    Returns:
        0.0, 1.0 or NaN.

    Raises:
        InvalidParameterError: Any other value (including ``"warn"`` and booleans).

    Example:
        >>> check_zero_division(1, "recall")
        1.0
    """
    is_bool = isinstance(zero_division, bool | np.bool_)
    if not is_bool and isinstance(zero_division, numbers.Real):
        value = float(zero_division)
        if value in (0.0, 1.0) or math.isnan(value):
            return value
    raise InvalidParameterError(
        f"{func}: zero_division must be 0.0, 1.0 or nan, got {zero_division!r}"
    )


def label_fits(value: object, kind: str) -> bool:
    """Tell whether ``value`` can be a label of an array of dtype kind ``kind``."""
    if kind == "U":
        return isinstance(value, str)
    return isinstance(value, numbers.Real | np.bool_)


def check_positive_class(positive_class: object, classes: npt.NDArray[Any], func: str) -> int:
    """Return the index of ``positive_class`` in ``classes``, or raise if it is absent.

    Args:
        positive_class: The caller's ``positive_class``.
        classes: Sorted classes present in predictions or labels.
        func: The public function's name, for messages.

    Returns:
        The position of ``positive_class`` in ``classes``.

    Raises:
        UnknownClassError: ``positive_class`` is not among ``classes``.

    Example:
        >>> check_positive_class("dog", np.array(["cat", "dog"]), "precision")
        1
    """
    if classes.shape[0] and label_fits(positive_class, classes.dtype.kind):
        hits = np.flatnonzero(classes == positive_class)
        if hits.shape[0]:
            return int(hits[0])
    raise unknown_class(positive_class, classes, func)


def unknown_class(
    positive_class: object, classes: npt.NDArray[Any], func: str
) -> UnknownClassError:
    """Build the error for a ``positive_class`` that occurs in neither array.

    Args:
        positive_class: The caller's ``positive_class``.
        classes: Sorted classes present in predictions or labels.
        func: The public function's name, for messages.

    Returns:
        The error to raise.

    Example:
        >>> str(unknown_class("Dog", np.array(["dog"]), "recall"))[:36]
        "recall: positive_class='Dog' occurs "
    """
    return UnknownClassError(
        f"{func}: positive_class={positive_class!r} occurs in neither predictions nor labels; "
        f"the classes that occur are {format_list(classes.tolist())}. Pass one of them as "
        "positive_class (or use average='macro', ...)"
    )
