"""Label conversion: user input in, normalized 1-D label arrays out (or a clear error).

The *validate* step of every label-based function (multilabel indicators are
``_multilabel``'s, weights ``_weights``'s; both read their columns through
:func:`read_column`). The shared part (accepted containers and array
protocols, 1-D shape, missing-value positions) is ``ml_infra.preprocessing``'s;
its errors are converted here into this package's :class:`MetricsError`
subclasses so users catch one hierarchy.

Cost: integer, bool and string arrays pass with O(1) work (no pass over the
data); float arrays cost one min/max pair and one integrality pass; only object
arrays (lists mixing types, pandas nullable columns) are inspected per element.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any, TypeAlias, cast

import numpy as np
import numpy.typing as npt
from ml_infra.metrics._errors import (
    ContinuousLabelsError,
    InvalidInputTypeError,
    InvalidShapeError,
    LengthMismatchError,
    MissingLabelsError,
    MixedLabelTypesError,
)
from ml_infra.metrics._text import format_list, safe_repr
from ml_infra.preprocessing import (
    DataShapeError,
    PreprocessingError,
    check_missing_values,
    ensure_1d,
)

__all__ = [
    "INT64_MAX",
    "LabelsLike",
    "as_labels",
    "as_pair",
    "is_number",
    "length_mismatch",
    "read_column",
    "unify_integers",
]

#: What the public functions accept for predictions and labels: a list, a tuple,
#: a 1-D ndarray, a pandas or polars Series, an Arrow array, a CPU tensor, or
#: any 1-D object with ``__array__`` or ``__dlpack__`` (checked at run time).
LabelsLike: TypeAlias = Iterable[Any] | Any

#: The largest int64, the bound of exact integer label arithmetic (used by ``_counting`` too).
INT64_MAX = int(np.iinfo(np.int64).max)
_UINT64_MAX = int(np.iinfo(np.uint64).max)
_TWO_63 = 2**63
# The element types an object array may hold to become a numeric label array.
_NUMBER_TYPES = (int, float, np.integer, np.floating, np.bool_)
_NONE_OR_NAN = "missing value(s) (None or NaN)"


def as_labels(data: object, name: str, func: str) -> npt.NDArray[Any]:
    """Return ``data`` as a 1-D array of bool, int, integer-valued float or str labels.

    Args:
        data: A list, tuple, 1-D ndarray, pandas or polars Series, Arrow
            array, CPU tensor or other ``__array__``/DLPack object (its nulls
            are missing labels).
        name: ``"predictions"`` or ``"labels"``, for messages.
        func: The public function's name, for messages.

    Returns:
        A 1-D array whose dtype kind is one of ``b``, ``i``, ``u``, ``f``, ``U``
        (possibly ``data`` itself: never write to it).

    Raises:
        InvalidInputTypeError: Not a 1-D sequence, or values that are not labels.
        InvalidShapeError: Not one-dimensional.
        MissingLabelsError: None, NaN or masked values (the message says where).
        MixedLabelTypesError: Strings mixed with numbers.
        ContinuousLabelsError: Non-integer or infinite floats.

    Example:
        >>> as_labels([1, 0, 1], "labels", "accuracy").tolist()
        [1, 0, 1]
    """
    arr = read_column(data, name, func)
    if isinstance(data, np.ma.MaskedArray) and np.ma.is_masked(data):
        # ensure_1d hands back the data under the mask; the shared check sees the mask.
        where = _missing_positions(data)
        raise _missing_error(where, "masked or missing value(s)", name, func)
    kind = arr.dtype.kind
    if kind in "biuU":
        return arr
    if kind == "f":
        arr = _check_floats(arr, name, func)
        if isinstance(data, list | tuple) and arr.shape[0] and float(arr.max()) >= _TWO_63:
            # numpy turns [2**63 + 1, 5] into float64, merging neighbouring labels.
            return _from_objects(np.fromiter(data, dtype=object, count=len(data)), name, func)
        return arr
    if kind == "O":
        return _from_objects(arr, name, func)
    raise InvalidInputTypeError(
        f"{func}: {name} must hold class labels (ints, bools or strings), "
        f"got an array of dtype {arr.dtype}"
    )


def read_column(data: object, name: str, func: str) -> npt.NDArray[Any]:
    """Read one 1-D column through the shared gate, converting its errors to ours.

    Args:
        data: Any 1-D container or array protocol ``ml_infra.preprocessing`` reads.
        name: The argument's name, for messages.
        func: The public function's name, for messages.

    Returns:
        A 1-D ndarray (possibly ``data`` itself: never write to it).

    Raises:
        InvalidShapeError: Not one-dimensional.
        InvalidInputTypeError: Not a 1-D container at all.

    Example:
        >>> read_column((1, 2), "sample_weight", "accuracy").tolist()
        [1, 2]
    """
    try:
        return ensure_1d(data, name=name, func=func)
    except DataShapeError as exc:
        raise InvalidShapeError(str(exc)) from exc
    except PreprocessingError as exc:
        raise InvalidInputTypeError(str(exc)) from exc


def length_mismatch(n_predictions: int, n_labels: int, func: str) -> LengthMismatchError:
    """The error for predictions and labels of different lengths.

    Args:
        n_predictions: How many predictions.
        n_labels: How many labels.
        func: The public function's name, for messages.

    Returns:
        The error to raise.

    Example:
        >>> str(length_mismatch(2, 1, "f1_score"))
        'f1_score: predictions and labels must have the same length, got 2 predictions and 1 labels'
    """
    return LengthMismatchError(
        f"{func}: predictions and labels must have the same length, got "
        f"{n_predictions} predictions and {n_labels} labels"
    )


def _check_floats(arr: npt.NDArray[Any], name: str, func: str) -> npt.NDArray[Any]:
    """Accept integer-valued floats; reject NaN (missing), inf and fractions."""
    if arr.shape[0] == 0:
        return arr
    lo, hi = float(arr.min()), float(arr.max())
    if math.isnan(lo) or math.isnan(hi):
        raise _missing_error(_missing_positions(arr), _NONE_OR_NAN, name, func)
    if math.isinf(lo) or math.isinf(hi):
        where = np.flatnonzero(np.isinf(arr)).tolist()
        raise ContinuousLabelsError(
            f"{func}: {name} holds {len(where)} infinite value(s) at positions "
            f"{format_list(where)}; class labels must be ints, bools or strings"
        )
    fractional = np.trunc(arr) != arr
    if fractional.any():
        where = np.flatnonzero(fractional).tolist()
        raise ContinuousLabelsError(
            f"{func}: {name} holds continuous values ({safe_repr(arr[where[0]].item())} at position "
            f"{where[0]}; {len(where)} non-integer value(s) at positions {format_list(where)}); "
            "class labels must be ints, bools, strings or integer-valued floats"
        )
    return arr


def _missing_positions(data: object) -> list[int]:
    """The positions ``check_missing_values`` reports for 1-D data (past the 1-D gate)."""
    return cast("list[int]", check_missing_values(data))  # a table would give a dict


def _missing_error(where: list[int], what: str, name: str, func: str) -> MissingLabelsError:
    """Build the error naming how many values are missing (``what``) and where."""
    return MissingLabelsError(
        f"{func}: {name} holds {len(where)} {what} at positions {format_list(where)}"
    )


def is_number(value: object) -> bool:
    """Tell whether ``value`` is a number that can be a class label.

    Python and numpy ints, floats and bools: the real numbers numpy stores
    natively. Not ``Fraction`` or ``Decimal``, and not ``numpy.timedelta64``,
    which numpy makes a subclass of its integers although it is a duration.

    Args:
        value: One value of an object array (or a ``positive_class``).

    Returns:
        Whether it may be a numeric label.

    Example:
        >>> is_number(3), is_number(np.timedelta64(3, "D"))
        (True, False)
    """
    return isinstance(value, _NUMBER_TYPES) and not isinstance(value, np.timedelta64)


def _from_objects(arr: npt.NDArray[Any], name: str, func: str) -> npt.NDArray[Any]:
    """Turn an object array into a str or numeric array, or say what is wrong."""
    where = _missing_positions(arr)
    if where:
        raise _missing_error(where, _NONE_OR_NAN, name, func)
    values = arr.tolist()
    is_str = np.fromiter((isinstance(v, str) for v in values), dtype=bool, count=len(values))
    if is_str.all():
        return arr.astype(str)
    is_numeric = np.fromiter(map(is_number, values), dtype=bool, count=len(values))
    odd = np.flatnonzero(~(is_str | is_numeric)).tolist()
    if odd:
        raise InvalidInputTypeError(
            f"{func}: {name} must hold class labels (ints, bools or strings), got "
            f"{type(values[odd[0]]).__name__} {safe_repr(values[odd[0]])} at position {odd[0]} "
            f"({len(odd)} such value(s) at positions {format_list(odd)})"
        )
    if is_str.any():
        first_str = int(np.argmax(is_str))
        first_number = int(np.argmax(is_numeric))
        raise MixedLabelTypesError(
            f"{func}: {name} mixes strings and numbers ({safe_repr(values[first_str])} at "
            f"position {first_str}, {safe_repr(values[first_number])} at position "
            f"{first_number}); use one label type"
        )
    numeric = np.array(values)
    kind = numeric.dtype.kind
    if kind in "fO" and all(isinstance(v, int | np.integer) for v in values):
        return _exact_integers(values, name, func)
    if kind == "f":
        return _check_floats(numeric, name, func)
    if kind in "biu":
        return numeric
    # Floats beside ints beyond 64 bits: numpy keeps Python objects.
    raise _too_large(name, func)


def _too_large(name: str, func: str) -> InvalidInputTypeError:
    return InvalidInputTypeError(
        f"{func}: {name} holds integers too large for 64 bits; use smaller class labels"
    )


def _exact_integers(values: list[Any], name: str, func: str) -> npt.NDArray[Any]:
    """Store Python ints that numpy would turn into floats (or objects) as uint64, or raise."""
    lo, hi = int(min(values)), int(max(values))
    if lo >= 0 and hi <= _UINT64_MAX:
        return np.array(values, dtype=np.uint64)
    if lo < -_TWO_63 or hi > _UINT64_MAX:
        raise _too_large(name, func)
    raise InvalidInputTypeError(
        f"{func}: {name} holds both negative integers and integers of 2**63 or more; "
        "no 64-bit integer type holds both, so they cannot be compared exactly"
    )


def as_pair(
    predictions: object, labels: object, func: str
) -> tuple[npt.NDArray[Any], npt.NDArray[Any]]:
    """Validate both arrays and that they agree in length and label type.

    Args:
        predictions: Predicted labels.
        labels: True labels.
        func: The public function's name, for messages.

    Returns:
        ``(predictions, labels)`` as label arrays (see :func:`as_labels`).

    Raises:
        LengthMismatchError: Different lengths.
        MixedLabelTypesError: One holds strings and the other numbers.

    Example:
        >>> [a.tolist() for a in as_pair([1, 0], (1, 1), "f1_score")]
        [[1, 0], [1, 1]]
    """
    pred = as_labels(predictions, "predictions", func)
    true = as_labels(labels, "labels", func)
    if pred.shape[0] != true.shape[0]:
        raise length_mismatch(pred.shape[0], true.shape[0], func)
    if (pred.dtype.kind == "U") != (true.dtype.kind == "U") and pred.shape[0]:
        pred_type, true_type = (
            ("strings", "numbers") if pred.dtype.kind == "U" else ("numbers", "strings")
        )
        raise MixedLabelTypesError(
            f"{func}: predictions holds {pred_type} but labels holds {true_type}; "
            "both must use the same label type"
        )
    if pred.dtype.kind != true.dtype.kind:  # only "i" against "u" may need it
        pred, true = unify_integers((pred, true), "predictions and labels", func)
    return pred, true


def unify_integers(
    arrays: tuple[npt.NDArray[Any], ...], what: str, func: str
) -> tuple[npt.NDArray[Any], ...]:
    """Give integer arrays mixing uint64 with signed ints one exact 64-bit integer type.

    numpy's common type of ``uint64`` and a signed integer is ``float64``, which
    would merge distinct labels above 2**53 (``2**62`` and ``2**62 + 1``). Such a
    mix becomes ``int64`` when every unsigned value fits it, else ``uint64``
    when no value is negative. Anything else is returned unchanged, in O(1).

    Args:
        arrays: Validated label (or class) arrays.
        what: What the arrays are, for messages (``"predictions and labels"``).
        func: The public function's name, for messages.

    Returns:
        The arrays, cast to one integer type when needed.

    Raises:
        InvalidInputTypeError: They hold both negative integers and integers of
            2**63 or more, which no 64-bit integer type holds together.

    Example:
        >>> pair = (np.array([2**62 + 1], dtype=np.uint64), np.array([-1]))
        >>> [a.dtype.name for a in unify_integers(pair, "predictions and labels", "f")]
        ['int64', 'int64']
    """
    kinds = {a.dtype.kind for a in arrays}
    if not {"i", "u"} <= kinds <= {"b", "i", "u"} or np.result_type(*arrays).kind != "f":
        return arrays
    filled = [a for a in arrays if a.shape[0]]
    if all(int(a.max()) <= INT64_MAX for a in filled if a.dtype.kind == "u"):
        return tuple(a.astype(np.int64, copy=False) for a in arrays)
    if all(int(a.min()) >= 0 for a in filled if a.dtype.kind == "i"):
        return tuple(a.astype(np.uint64, copy=False) for a in arrays)
    raise InvalidInputTypeError(
        f"{func}: {what} hold both negative integers and integers of 2**63 or more; "
        "no 64-bit integer type holds both, so they cannot be compared exactly"
    )
