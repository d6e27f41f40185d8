"""NaN and infinity: the ``nan_policy`` option, and the errors that say where they are.

One message for each: :func:`nonfinite_error` names the positions in 1-D data,
:func:`explain_nonfinite` the column and rows (index labels for a pandas
DataFrame) of a table read by a fitted object.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from ml_infra.preprocessing._errors import (
    InfiniteValueError,
    MissingValueError,
    PreprocessingError,
    format_labels,
    format_positions,
)
from ml_infra.preprocessing._numeric import FloatArray
from ml_infra.preprocessing._parameters import check_option
from ml_infra.preprocessing._tables import Matrix, Table

__all__ = ["NanPolicy", "check_nan_policy", "explain_nonfinite", "nonfinite_error"]

NanPolicy = Literal["raise", "omit"]
_NAN_POLICIES: tuple[NanPolicy, ...] = ("raise", "omit")


def check_nan_policy(nan_policy: object, func: str) -> NanPolicy:
    """Return ``nan_policy`` if it is supported, else raise :class:`ParameterError`.

    Args:
        nan_policy: The argument.
        func: The public function's name, for the message.

    Returns:
        ``"raise"`` or ``"omit"``.

    Raises:
        ParameterError: ``nan_policy`` is neither ``"raise"`` nor ``"omit"``.

    Example:
        >>> check_nan_policy("omit", "normalize")
        'omit'
    """
    return check_option(nan_policy, _NAN_POLICIES, "nan_policy", func)


def nonfinite_error(x: FloatArray, func: str, *, nan_ok: bool = False) -> PreprocessingError | None:
    """Explain why a reduction over ``x`` came out NaN or infinite.

    Args:
        x: The float data.
        func: The public function's name, for the message.
        nan_ok: NaN is allowed (``nan_policy="omit"``); only infinity is an error.

    Returns:
        A :class:`MissingValueError` or :class:`InfiniteValueError` naming the
        positions, or ``None`` if every value is finite (the reduction overflowed).

    Example:
        >>> str(nonfinite_error(np.array([1.0, np.inf]), "normalize"))
        'normalize: data contains 1 infinite value at positions [1]'
    """
    for test, kind in ((np.isnan, "nan"), (np.isinf, "inf")):
        if kind == "nan" and nan_ok:
            continue
        rows: list[int] = np.flatnonzero(test(x)).tolist()
        if rows:
            return _error(kind, func, rows, f"at positions {format_positions(rows)}")
    return None


def _error(kind: str, func: str, rows: list[int], where: str) -> PreprocessingError:
    """The one message for NaN (``kind="nan"``) or infinity, with where they are."""
    noun = "value" if len(rows) == 1 else "values"
    if kind == "nan":
        return MissingValueError(
            f"{func}: data contains {len(rows)} missing {noun} (NaN or None) {where}; drop or "
            "impute them, or pass nan_policy='omit' to ignore them",
            rows,
        )
    return InfiniteValueError(f"{func}: data contains {len(rows)} infinite {noun} {where}", rows)


def explain_nonfinite(
    x: Matrix, frame: Table, positions: tuple[int, ...], func: str, *, nan_ok: bool
) -> None:
    """Raise the error for NaN (unless ``nan_ok``) or infinity in ``x``, naming columns and rows.

    Returns quietly when ``x`` holds only finite values and allowed NaN.

    Args:
        x: The values read from ``frame``.
        frame: The recorded input (for names and index labels).
        positions: The input column of each column of ``x``.
        func: The public method's name.
        nan_ok: NaN is allowed (``nan_policy="omit"``).

    Raises:
        MissingValueError: NaN in ``x`` and not ``nan_ok``.
        InfiniteValueError: infinity in ``x``.

    Example:
        >>> from ml_infra.preprocessing._tables import read_input
        >>> x = np.array([[1.0, np.inf]])
        >>> explain_nonfinite(x, read_input(x, "f"), (0, 1), "f", nan_ok=False)
        Traceback (most recent call last):
        ...
        ml_infra.preprocessing.InfiniteValueError: f: data contains 1 infinite value in column 1 at rows [0]
    """
    if frame.kind == "1d":
        error = nonfinite_error(x[:, 0], func, nan_ok=nan_ok)
        if error is not None:
            raise error
        return
    for test, kind in ((np.isnan, "nan"), (np.isinf, "inf")):
        if kind == "nan" and nan_ok:
            continue
        bad = test(x)
        columns = np.flatnonzero(bad.any(axis=0)).tolist()
        if not columns:
            continue
        rows: list[int] = np.flatnonzero(bad[:, columns[0]]).tolist()
        more = f" (and {len(columns) - 1} more columns)" if len(columns) > 1 else ""
        if frame.kind == "pandas":
            shown = f"index labels {format_labels(frame.rows(rows))}"
        else:
            shown = f"rows {format_positions(rows)}"
        raise _error(kind, func, rows, f"in {frame.label(positions[columns[0]])}{more} at {shown}")
