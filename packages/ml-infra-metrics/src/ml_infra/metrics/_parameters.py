"""Option checks: ``average``, ``beta``, ``classes``, ``normalize``, ``zero_division``, ``positive_class``.

The ``check_*`` functions take the caller's argument and the public
function's name, and return the validated value or raise
:class:`InvalidParameterError` / :class:`UnknownClassError` naming both.
None of them runs the caller's code: option strings are compared as plain
``str``, numbers go through the one converter :func:`as_float` (every failure
becomes :class:`InvalidParameterError`), a ``positive_class`` is turned into
an exact key of the labels' dtype (:func:`label_key`) before any comparison,
and messages show values through :func:`~ml_infra.metrics._text.safe_repr`.
"""

from __future__ import annotations

import math
import numbers
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt
from ml_infra.metrics._errors import (
    InvalidParameterError,
    MixedLabelTypesError,
    UnknownClassError,
)
from ml_infra.metrics._labels import LabelsLike, as_labels, is_number, unify_integers
from ml_infra.metrics._scores import AVERAGES, Average
from ml_infra.metrics._text import format_list, safe_repr

__all__ = [
    "NORMALIZE",
    "Normalize",
    "as_float",
    "check_average",
    "check_beta",
    "check_classes",
    "check_normalize",
    "check_option",
    "check_positive_class",
    "check_zero_division",
    "class_index",
    "label_key",
    "matches",
    "positive_masks",
]

_ZERO_DIVISION = "0.0, 1.0 or nan"
Normalize = Literal["true", "pred", "all"] | None
NORMALIZE: Final = ("true", "pred", "all", None)


def check_option(value: object, allowed: tuple[str | None, ...], name: str, func: str) -> Any:
    """Return ``value`` as a plain ``str`` (or None) if it is one of ``allowed``, else raise.

    A ``str`` subclass (such as an enum member) is compared by its text, so
    its own ``__eq__`` or ``__hash__`` never runs; anything else (arrays,
    objects with a hostile ``__eq__``) is refused without being compared.

    Args:
        value: The caller's argument.
        allowed: The accepted strings, and None if it is accepted.
        name: The argument's name, for messages.
        func: The public function's name, for messages.

    Returns:
        The validated option.

    Raises:
        InvalidParameterError: ``value`` is not one of ``allowed``.

    Example:
        >>> check_option("all", ("true", "pred", "all", None), "normalize", "confusion_matrix")
        'all'
    """
    if value is None:
        if None in allowed:
            return None
    elif isinstance(value, str):
        text = str.__str__(value)
        if text in allowed:
            return text
    choices = [repr(option) for option in allowed]
    raise InvalidParameterError(
        f"{func}: {name} must be one of {', '.join(choices[:-1])} or {choices[-1]}, "
        f"got {safe_repr(value)}"
    )


def check_average(average: object, func: str) -> Average:
    """Return ``average`` if it is one of the supported options, else raise.

    Args:
        average: The caller's ``average`` argument.
        func: The public function's name, for messages.

    Returns:
        The validated option.

    Raises:
        InvalidParameterError: Not one of "binary", "micro", "macro", "weighted",
            "samples", None.

    Example:
        >>> check_average("macro", "f1_score")
        'macro'
    """
    checked: Average = check_option(average, AVERAGES, "average", func)
    return checked


def check_normalize(normalize: object, func: str) -> Normalize:
    """Return ``normalize`` if it is None, "true", "pred" or "all", else raise.

    Args:
        normalize: The caller's ``normalize`` argument.
        func: The public function's name, for messages.

    Returns:
        The validated option.

    Raises:
        InvalidParameterError: Any other value.

    Example:
        >>> check_normalize("true", "confusion_matrix")
        'true'
    """
    checked: Normalize = check_option(normalize, NORMALIZE, "normalize", func)
    return checked


def check_beta(beta: object, func: str) -> float:
    """Return ``beta`` as a float if it is a real number >= 0 (inf included), else raise.

    Args:
        beta: The caller's ``beta`` (F-beta's weight of recall).
        func: The public function's name, for messages.

    Returns:
        The validated beta (0 makes F-beta the precision, inf the recall).

    Raises:
        InvalidParameterError: Not a real number, negative or NaN.

    Example:
        >>> check_beta(2, "fbeta_score")
        2.0
    """
    expected = "a real number >= 0 (0 gives precision, inf gives recall)"
    value = as_float(beta, "beta", expected, func)
    if not value >= 0.0:  # also refuses NaN
        raise _invalid(beta, "beta", expected, func)
    return value


def check_classes(classes: LabelsLike, like: npt.NDArray[Any], func: str) -> npt.NDArray[Any]:
    """Validate a ``classes=`` list: labels, distinct, at least one, the labels' type.

    Args:
        classes: The caller's ``classes``.
        like: The validated labels (or the classes seen so far) they must match in type.
        func: The public function's name, for messages.

    Returns:
        The classes as a label array, integers in the same exact type as ``like``
        when they mix signed and unsigned.

    Raises:
        InvalidParameterError: Empty or not distinct.
        MixedLabelTypesError: Strings against numbers.
        MetricsError: Any error of label validation, naming ``classes``.

    Example:
        >>> check_classes(["dog", "cat"], np.array(["cat"]), "recall").tolist()
        ['dog', 'cat']
    """
    checked = as_labels(classes, "classes", func)
    if checked.shape[0] == 0:
        raise InvalidParameterError(f"{func}: classes must name at least one class, got none")
    if like.shape[0] and (checked.dtype.kind == "U") != (like.dtype.kind == "U"):
        raise MixedLabelTypesError(
            f"{func}: classes and labels must use the same label type (strings or numbers), "
            f"got classes {format_list(checked.tolist())}"
        )
    checked = unify_integers((checked, like), "classes and labels", func)[0]
    if np.unique(checked).shape[0] != checked.shape[0]:
        raise InvalidParameterError(
            f"{func}: classes must be distinct, got {format_list(checked.tolist())}"
        )
    return checked


def class_index(sorted_classes: npt.NDArray[Any], wanted: npt.NDArray[Any]) -> npt.NDArray[np.intp]:
    """Position of each wanted class in ``sorted_classes``, -1 where it is absent.

    Args:
        sorted_classes: Sorted distinct classes (those present in the data).
        wanted: Validated classes (see :func:`check_classes`).

    Returns:
        One index per wanted class.

    Example:
        >>> class_index(np.array([0, 2]), np.array([2, 1])).tolist()
        [1, -1]
    """
    if sorted_classes.shape[0] == 0:
        return np.full(wanted.shape[0], -1, dtype=np.intp)
    own, other = unify_integers((sorted_classes, wanted), "classes", "class_index")
    position = np.searchsorted(own, other)
    np.minimum(position, own.shape[0] - 1, out=position)
    found = own[position] == other
    return np.where(found, position, -1).astype(np.intp)


def as_float(value: object, name: str, expected: str, func: str) -> float:
    """Convert a real-number option to ``float``; every failure is InvalidParameterError.

    Accepts any :class:`numbers.Real` but bools and ``numpy.timedelta64``
    (numpy registers durations as integers). An int too large for a float,
    or a ``__float__`` that raises, is reported like any other bad value.

    Args:
        value: The caller's argument.
        name: The argument's name, for messages.
        expected: What the argument must be, for messages ("0.0, 1.0 or nan").
        func: The public function's name, for messages.

    Returns:
        The value as a float.

    Raises:
        InvalidParameterError: ``value`` is not a real number a float can hold.

    Example:
        >>> as_float(1, "zero_division", "0.0, 1.0 or nan", "recall")
        1.0
    """
    if not isinstance(value, bool | np.bool_ | np.timedelta64) and isinstance(value, numbers.Real):
        try:
            return float(value)
        except Exception as exc:  # overflow, or the caller's own __float__ failing
            raise _invalid(value, name, expected, func) from exc
    raise _invalid(value, name, expected, func)


def _invalid(value: object, name: str, expected: str, func: str) -> InvalidParameterError:
    return InvalidParameterError(f"{func}: {name} must be {expected}, got {safe_repr(value)}")


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
    value = as_float(zero_division, "zero_division", _ZERO_DIVISION, func)
    if value in (0.0, 1.0) or math.isnan(value):
        return value
    raise _invalid(zero_division, "zero_division", _ZERO_DIVISION, func)


def label_key(value: object, dtype: np.dtype[Any]) -> object:
    """Return ``value`` as a key that compares exactly with labels of ``dtype``.

    A string matches string labels; a number (the types accepted as labels)
    matches numeric labels of equal value: ``1.0`` and ``True`` match ``1``,
    but ``2**53 + 1`` never matches the float label ``2.0**53`` and a uint64
    label is never compared through float64. Comparing the key with an array
    of ``dtype`` runs none of the caller's code.

    Args:
        value: The caller's ``positive_class``.
        dtype: The dtype of validated labels (kind ``b``, ``i``, ``u``, ``f`` or ``U``).

    Returns:
        The key, or None when no label of ``dtype`` can equal ``value``.

    Example:
        >>> label_key(1.0, np.dtype(np.int64)), label_key(0.5, np.dtype(np.int64))
        (1, None)
    """
    kind = dtype.kind
    if kind == "U":
        if type(value) is str:
            return value
        return str.__str__(value) if isinstance(value, str) else None
    if type(value) is int and kind in "iu":
        return value  # numpy compares any Python int exactly with integer arrays
    if not is_number(value):
        return None
    try:
        if isinstance(value, float | np.floating):
            if not value.is_integer():
                return None
            whole = int(value)
        else:
            whole = int(value)  # type: ignore[call-overload]  # int, numpy integer or bool
        if kind == "b":
            return np.bool_(whole) if whole in (0, 1) else None
        if kind in "iu":
            return whole
        if dtype.type is np.float64:
            key = float(whole)  # OverflowError beyond the float range: no label matches
            return key if key == whole else None  # Python compares int and float exactly
        with np.errstate(over="ignore"):  # too large for float16: inf, refused below
            key = dtype.type(whole)
        return key if int(key) == whole else None  # exactly representable in dtype
    except Exception:  # overflow, or a number subclass failing: no label can match
        return None


def matches(labels: npt.NDArray[Any], value: object) -> npt.NDArray[np.bool_]:
    """Tell which labels equal ``value`` (see :func:`label_key`).

    Args:
        labels: Validated 1-D labels.
        value: The caller's ``positive_class``.

    Returns:
        A new boolean array, one entry per label.

    Example:
        >>> matches(np.array(["cat", "dog"]), "dog").tolist()
        [False, True]
    """
    key = label_key(value, labels.dtype)
    if key is None:
        return np.zeros(labels.shape[0], dtype=np.bool_)
    found: npt.NDArray[np.bool_] = labels == key
    return found


def check_positive_class(positive_class: object, classes: npt.NDArray[Any], func: str) -> int:
    """Return the index of ``positive_class`` in ``classes``, or raise if it is absent.

    With :func:`positive_masks` (the one-vs-rest fast path), the only check
    of ``positive_class``; both word the error the same way.

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
    hits = np.flatnonzero(matches(classes, positive_class))
    if hits.shape[0]:
        return int(hits[0])
    raise _unknown_class(positive_class, classes, func)


def _unknown_class(
    positive_class: object, classes: npt.NDArray[Any], func: str
) -> UnknownClassError:
    return UnknownClassError(
        f"{func}: positive_class={safe_repr(positive_class)} occurs in neither predictions "
        f"nor labels; the classes that occur are {format_list(classes.tolist())}. Pass one "
        "of them as positive_class (or use average='macro', ...)"
    )


def positive_masks(
    predictions: npt.NDArray[Any], labels: npt.NDArray[Any], positive_class: object, func: str
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Where ``positive_class`` is predicted and where it is true; raise if it is nowhere.

    Args:
        predictions: Validated predictions.
        labels: Validated labels.
        positive_class: The caller's ``positive_class``.
        func: The public function's name, for messages.

    Returns:
        Two new boolean arrays (callers may overwrite them).

    Raises:
        UnknownClassError: ``positive_class`` is in neither array (the classes
            are listed only then, at the cost of one sort).

    Example:
        >>> [m.tolist() for m in positive_masks(np.array([1, 0]), np.array([1, 1]), 1, "f")]
        [[True, False], [True, True]]
    """
    predicted, actual = matches(predictions, positive_class), matches(labels, positive_class)
    if predicted.any() or actual.any():
        return predicted, actual
    raise _unknown_class(positive_class, np.union1d(predictions, labels), func)
