"""Exact comparison of data with range bounds: no rounding on either side.

A bound is an exact value (int, float or Fraction). It is turned once into
the data's own dtype with directed rounding, so the comparison then runs in
NumPy at full speed and still gives the exact answer: for a float dtype, ``x
>= b`` holds exactly when ``x >= ceil(b)``, where ``ceil(b)`` is the
smallest value of the dtype not below ``b`` (and likewise for the other
three comparisons); for an integer dtype, when ``x >= ⌈b⌉``. ``object``
arrays (Fractions, Decimals, ints beyond 64 bits) are compared value by
value in Python, whose comparisons of ints, floats and fractions are exact.
"""

from __future__ import annotations

import math
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from ml_infra.preprocessing._inputs import Items
from ml_infra.preprocessing._numeric import unconvertible_error
from ml_infra.preprocessing._scalars import Exact, exact_value

__all__ = ["Inclusive", "exact_objects", "within"]

Inclusive = Literal["both", "neither", "left", "right"]
Mask = npt.NDArray[np.bool_]


def _float_floor_ceil(
    bound: Exact, dtype: np.dtype[Any]
) -> tuple[np.floating[Any], np.floating[Any]]:
    """The largest value of ``dtype`` not above ``bound``, and the smallest not below it.

    Beyond the dtype's finite range these are its largest finite value and
    infinity (or their negatives).
    """
    kind = dtype.type
    try:
        guess = float(bound)  # correctly rounded: within one step of bound
    except OverflowError:
        guess = math.inf if bound > 0 else -math.inf
    if dtype.itemsize == 8:  # float64 holds guess as it is
        low = kind(guess)
        if float(low) == bound:  # the common case: the bound is a value of the dtype
            return low, low
    down, up = kind(-np.inf), kind(np.inf)
    with np.errstate(over="ignore"):  # stepping past the largest value gives infinity
        low = kind(guess)  # a narrower dtype rounds once more: still within a step or two
        while float(low) > bound:
            low = np.nextafter(low, down)
        while float(np.nextafter(low, up)) <= bound:
            low = np.nextafter(low, up)
        high = low if float(low) == bound else np.nextafter(low, up)
    return low, high


def _float_mask(
    x: npt.NDArray[Any], lo: Exact | None, hi: Exact | None, inclusive: Inclusive
) -> Mask:
    """``lo <= x <= hi`` (per ``inclusive``) for a float array; NaN is never within."""
    ok: Mask | None = None
    if lo is not None:
        floor, ceil = _float_floor_ceil(lo, x.dtype)
        ok = x >= ceil if inclusive in ("both", "left") else x > floor
    if hi is not None:
        floor, ceil = _float_floor_ceil(hi, x.dtype)
        upper = x <= floor if inclusive in ("both", "right") else x < ceil
        ok = upper if ok is None else np.logical_and(ok, upper, out=ok)
    return ~np.isnan(x) if ok is None else ok


def _int_mask(
    x: npt.NDArray[Any], lo: Exact | None, hi: Exact | None, inclusive: Inclusive
) -> Mask:
    """``lo <= x <= hi`` (per ``inclusive``) for an integer array, thresholds clamped to its dtype."""
    info = np.iinfo(x.dtype)
    ok = np.ones(x.shape, dtype=bool)
    if lo is not None:  # x >= first, the smallest integer allowed
        first = math.ceil(lo) if inclusive in ("both", "left") else math.floor(lo) + 1
        if first > info.max:
            ok[:] = False
        elif first > info.min:
            ok &= x >= x.dtype.type(first)
    if hi is not None:  # x <= last, the largest integer allowed
        last = math.floor(hi) if inclusive in ("both", "right") else math.ceil(hi) - 1
        if last < info.min:
            ok[:] = False
        elif last < info.max:
            ok &= x <= x.dtype.type(last)
    return ok


def _object_mask(
    x: npt.NDArray[Any],
    lo: Exact | None,
    hi: Exact | None,
    inclusive: Inclusive,
    missing: Mask | None,
    func: str,
) -> Mask:
    """``lo <= x <= hi`` value by value, for an object array of real numbers."""
    left = inclusive in ("both", "left")
    right = inclusive in ("both", "right")
    ok = np.zeros(x.shape, dtype=bool)
    gone = [False] * x.size if missing is None else missing.tolist()
    failed: list[int] = []
    first_error: Exception | None = None
    for i, (value, skip) in enumerate(zip(x.tolist(), gone, strict=True)):
        if skip:
            continue
        try:
            v = exact_value(value)
        except Exception as exc:  # a numbers.Real whose __float__ raises
            failed.append(i)
            first_error = exc if first_error is None else first_error
            continue
        ok[i] = (
            v == v  # not NaN
            and (lo is None or (v >= lo if left else v > lo))
            and (hi is None or (v <= hi if right else v < hi))
        )
    if failed:
        raise unconvertible_error(x, failed, first_error, func)
    return ok


def within(
    x: npt.NDArray[Any],
    lo: Exact | None,
    hi: Exact | None,
    inclusive: Inclusive,
    *,
    missing: Mask | None = None,
    func: str = "validate_range",
) -> Mask:
    """Tell, exactly, which values of ``x`` lie within the bounds.

    NaN is never within; neither are the entries marked in ``missing``
    (the caller removes those from float and integer results itself).

    Args:
        x: A 1-D float, integer or ``object`` array of real numbers.
        lo: The lower bound, or ``None`` for none.
        hi: The upper bound, or ``None`` for none.
        inclusive: Which bounds are allowed values.
        missing: The missing entries of an object array, skipped unread.
        func: The public function's name, for messages.

    Returns:
        A new boolean array, ``True`` where the value is within.

    Raises:
        DataTypeError: an object's exact value could not be read (a
            ``numbers.Real`` whose ``__float__`` raises).

    Example:
        >>> within(np.array([2**53]), None, 2**53 - 1, "both").tolist()
        [False]
    """
    kind = x.dtype.kind
    if kind == "f":
        return _float_mask(x, lo, hi, inclusive)
    if kind in "iu":
        return _int_mask(x, lo, hi, inclusive)
    return _object_mask(x, lo, hi, inclusive, missing, func)


def exact_objects(x: npt.NDArray[Any], items: Items) -> npt.NDArray[Any]:
    """Undo NumPy's rounding of big ints in a list that became a float array.

    ``numpy.asarray([0.5, 2**53 + 1])`` rounds the int to float64; only values
    of magnitude ``2**53`` (for float64) or more can have been rounded, so
    only those are looked at (usually none, after one pass over the array).

    Args:
        x: The float array NumPy made of ``items``.
        items: The list or tuple it was made of.

    Returns:
        ``x``, or an ``object`` array of ``items`` when an int was rounded.

    Example:
        >>> exact_objects(np.asarray([0.5, 2**53 + 1]), [0.5, 2**53 + 1]).dtype
        dtype('O')
    """
    limit = 2.0 ** (np.finfo(x.dtype).nmant + 1)  # from here on, not every int is a float
    if not x.size or -limit < np.fmin.reduce(x) <= np.fmax.reduce(x) < limit:
        return x  # the common case: two reductions, no temporary
    candidates: list[int] = np.flatnonzero(~(np.abs(x) < limit)).tolist()
    for i in candidates:
        value = items[i]
        if isinstance(value, int | np.integer) and int(value) != float(x[i]):
            return np.fromiter(items, dtype=object, count=len(items))
    return x
