"""Score inputs: scores, probability matrices and binary targets in, checked arrays out.

Scores are real numbers (ints or floats; not bools, strings or objects), finite
(NaN and infinity are errors, as scikit-learn's ``assert_all_finite`` makes
them); probabilities also lie in [0, 1], and the rows of a probability matrix
sum to one (within ``numpy.allclose``'s tolerance, the one scikit-learn's
``roc_auc_score`` applies). Cost: float arrays pass with one min/max pair
(which also reveals NaN and infinity), a matrix adds one row sum.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt
from ml_infra.metrics._errors import (
    InvalidInputTypeError,
    InvalidParameterError,
    InvalidScoresError,
    InvalidShapeError,
    LengthMismatchError,
)
from ml_infra.metrics._labels import as_labels, is_number
from ml_infra.metrics._parameters import matches
from ml_infra.metrics._text import format_list, safe_repr
from ml_infra.preprocessing import DataShapeError, PreprocessingError, as_numpy, ensure_1d

__all__ = [
    "FloatArray",
    "as_matrix",
    "as_scores",
    "as_targets",
    "check_flag",
    "is_matrix",
    "validated_labels",
]

#: Validated scores: float16, float32 or float64 (ints become float64).
FloatArray = npt.NDArray[np.floating[Any]]

_FLOATS = (np.float16, np.float32, np.float64)
# numpy.allclose(1, row_sums): |1 - s| <= atol + rtol * |s|.
_ATOL, _RTOL = 1e-8, 1e-5


def is_matrix(data: object) -> bool:
    """Tell whether ``data`` is two-dimensional (a probability matrix), in O(1).

    Args:
        data: The caller's ``scores``.

    Returns:
        True for a 2-D array, DataFrame or tensor, or a list whose first item is a
        sequence; False for anything else (including objects whose ``shape``
        or items raise).

    Example:
        >>> is_matrix([[0.2, 0.8]]), is_matrix([0.2, 0.8])
        (True, False)
    """
    if isinstance(data, np.ndarray):
        return data.ndim == 2
    try:  # the caller's own attributes and items may raise: then it is no matrix
        shape = getattr(data, "shape", None)
        if isinstance(shape, tuple):
            return len(shape) == 2
        if isinstance(data, list | tuple) and len(data):
            return isinstance(data[0], list | tuple | np.ndarray)
    except Exception:
        return False  # the 1-D gate reports what is wrong with it
    return False


def as_scores(data: object, func: str, *, probabilities: bool = False) -> FloatArray:
    """Return ``scores`` as a finite 1-D float array, or raise.

    Args:
        data: A list, tuple, 1-D ndarray or pandas Series of real numbers.
        func: The public function's name, for messages.
        probabilities: Also require every value to lie in [0, 1].

    Returns:
        The scores; float16/32/64 arrays keep their dtype, integers become
        float64 (possibly ``data`` itself: never write to it).

    Raises:
        InvalidInputTypeError: Not a sequence of real numbers (bools, strings...).
        InvalidShapeError: Not one-dimensional.
        InvalidScoresError: NaN, infinite, or (probabilities) outside [0, 1].

    Example:
        >>> as_scores([1, 0.5], "roc_auc_score").tolist()
        [1.0, 0.5]
    """
    try:
        raw = ensure_1d(data, name="scores", func=func)
    except DataShapeError as exc:
        raise InvalidShapeError(str(exc)) from exc
    except PreprocessingError as exc:
        raise InvalidInputTypeError(str(exc)) from exc
    scores = _as_floats(raw, data, func)
    _check_values(scores, func, probabilities)
    return scores


def as_matrix(data: object, func: str) -> FloatArray:
    """Return an ``(n_samples, n_classes)`` probability matrix, or raise.

    Args:
        data: A 2-D ndarray, a list of rows, a DataFrame or a tensor.
        func: The public function's name, for messages.

    Returns:
        The matrix (possibly ``data`` itself: never write to it).

    Raises:
        InvalidInputTypeError: Not a table of real numbers.
        InvalidShapeError: Ragged, not 2-D, or fewer than two columns.
        InvalidScoresError: NaN, infinite, outside [0, 1], or rows not summing to one.

    Example:
        >>> as_matrix([[0.25, 0.75]], "log_loss").tolist()
        [[0.25, 0.75]]
    """
    if isinstance(data, np.ndarray):
        raw = data
    elif not isinstance(data, list | tuple):
        try:  # a tensor (also one that requires grad), any array-like, by their protocols
            raw = as_numpy(data, name="scores", func=func)
        except PreprocessingError as exc:
            raise InvalidInputTypeError(str(exc)) from exc
    else:
        try:
            raw = np.asarray(data)
        except Exception as exc:  # ragged lists, a failing __array__
            raise InvalidShapeError(
                f"{func}: scores must be a 1-D array of scores or a 2-D "
                f"(n_samples, n_classes) table, got a ragged {type(data).__name__}"
            ) from exc
    if raw.ndim != 2 or raw.shape[1] < 2:
        raise InvalidShapeError(
            f"{func}: a probability matrix must have shape (n_samples, n_classes) with at "
            f"least two columns, got shape {raw.shape}"
        )
    matrix = _as_floats(raw, data, func)
    _check_values(matrix, func, probabilities=True)
    if matrix.shape[0]:
        sums = matrix.sum(axis=1, dtype=np.float64)
        off = np.abs(1.0 - sums) > _ATOL + _RTOL * np.abs(sums)
        if off.any():
            rows = np.flatnonzero(off).tolist()
            raise InvalidScoresError(
                f"{func}: each row of probabilities must sum to one, got {len(rows)} row(s) "
                f"that do not at rows {format_list(rows)}, e.g. row {rows[0]} sums to "
                f"{safe_repr(float(sums[rows[0]]))}; pass predict_proba output, or "
                "normalise the rows"
            )
    return matrix


def _as_floats(raw: npt.NDArray[Any], data: object, func: str) -> FloatArray:
    """Keep float16/32/64, make ints float64; refuse bools, strings, objects that are not numbers."""
    if isinstance(data, np.ma.MaskedArray) and np.ma.is_masked(data):
        where = np.argwhere(np.ma.getmaskarray(data)).tolist()
        raise InvalidScoresError(
            f"{func}: scores holds {len(where)} masked value(s) at positions {_places(where)}"
        )
    kind = raw.dtype.kind
    if kind == "f":
        if raw.dtype.type in _FLOATS:
            return raw
        with np.errstate(over="ignore"):  # long doubles beyond float64 become inf: refused next
            return raw.astype(np.float64)
    if kind in "iu":
        return raw.astype(np.float64)
    if kind == "b":
        raise InvalidInputTypeError(
            f"{func}: scores must be real-valued scores or probabilities, got booleans; "
            "pass the classifier's scores (predict_proba or decision_function), or cast "
            "the bools to float if they really are scores"
        )
    if kind == "O":
        flat = raw.ravel().tolist()
        odd = [
            i
            for i, v in enumerate(flat)
            if not is_number(v) or isinstance(v, bool | np.bool_) or v != v
        ]
        if not odd:
            try:
                with np.errstate(over="ignore"):  # as for long doubles above
                    return np.array(flat, dtype=np.float64).reshape(raw.shape)
            except OverflowError:  # an int beyond the float range
                odd = [i for i, v in enumerate(flat) if isinstance(v, int) and abs(v) > 2**1023]
        first = flat[odd[0]]
        spots: list[list[int]] = np.array(np.unravel_index(odd, raw.shape)).T.tolist()
        places = _places(spots)
        if first is None or (is_number(first) and first != first):
            raise InvalidScoresError(
                f"{func}: scores holds {len(odd)} missing value(s) (None or NaN) at "
                f"positions {places}"
            )
        raise InvalidInputTypeError(
            f"{func}: scores must hold real numbers, got {type(first).__name__} "
            f"{safe_repr(first)} at position {_places(spots[:1])[1:-1]} "
            f"({len(odd)} such value(s) at positions {places})"
        )
    raise InvalidInputTypeError(
        f"{func}: scores must hold real numbers (ints or floats), got an array of dtype {raw.dtype}"
    )


def _places(where: list[list[int]]) -> str:
    """Positions for a message: ints for 1-D data, (row, column) pairs for a matrix."""
    return format_list([w[0] if len(w) == 1 else tuple(w) for w in where])


def _check_values(scores: FloatArray, func: str, probabilities: bool) -> None:
    """Raise on NaN or infinity (and, for probabilities, values outside [0, 1])."""
    if scores.size == 0:
        return
    lo, hi = float(scores.min()), float(scores.max())
    if math.isnan(lo) or math.isnan(hi):
        raise _bad(scores, np.isnan(scores), "NaN (missing)", func)
    if math.isinf(lo) or math.isinf(hi):
        raise _bad(scores, np.isinf(scores), "infinite", func)
    if probabilities and (lo < 0.0 or hi > 1.0):
        raise _bad(
            scores,
            (scores < 0) | (scores > 1),
            "out-of-range",
            func,
            "; probabilities lie in [0, 1]",
        )


def _bad(
    scores: FloatArray, where: npt.NDArray[np.bool_], what: str, func: str, fix: str = ""
) -> InvalidScoresError:
    places = np.argwhere(where)
    first = scores[tuple(places[0])].item()
    return InvalidScoresError(
        f"{func}: scores holds {places.shape[0]} {what} value(s) at positions "
        f"{_places(places.tolist())}, e.g. {safe_repr(first)}{fix}"
    )


def validated_labels(labels: object, n: int, func: str) -> npt.NDArray[Any]:
    """Return ``labels`` as label array of length ``n`` (one per row of scores), or raise.

    Args:
        labels: True class labels (ints, bools or strings).
        n: The number of scores.
        func: The public function's name, for messages.

    Returns:
        The labels, as the package's label converter gives them.

    Raises:
        MetricsError: A subclass naming the problem (see :func:`as_labels`).
        LengthMismatchError: Not one label per score.

    Example:
        >>> validated_labels(["a", "b"], 2, "log_loss").tolist()
        ['a', 'b']
    """
    true = as_labels(labels, "labels", func)
    if true.shape[0] != n:
        raise LengthMismatchError(
            f"{func}: scores and labels must have the same length, got {n} scores and "
            f"{true.shape[0]} labels"
        )
    return true


def as_targets(labels: object, positive_class: object, n: int, func: str) -> npt.NDArray[np.bool_]:
    """Return which of ``n`` labels equal ``positive_class`` (one-vs-rest), or raise.

    Args:
        labels: True class labels.
        positive_class: The class the scores are for.
        n: The number of scores.
        func: The public function's name, for messages.

    Returns:
        A boolean array: True for a positive sample.

    Example:
        >>> as_targets(["dog", "cat"], "dog", 2, "roc_curve").tolist()
        [True, False]
    """
    return matches(validated_labels(labels, n, func), positive_class)


def check_flag(value: object, name: str, func: str) -> bool:
    """Return a bool option (``True``/``False``, numpy bools too), or raise.

    Args:
        value: The caller's argument.
        name: The argument's name, for messages.
        func: The public function's name, for messages.

    Returns:
        The flag.

    Raises:
        InvalidParameterError: Anything else (0 and 1 included).

    Example:
        >>> check_flag(np.True_, "normalize", "log_loss")
        True
    """
    if isinstance(value, bool | np.bool_):
        return bool(value)
    raise InvalidParameterError(f"{func}: {name} must be True or False, got {safe_repr(value)}")
