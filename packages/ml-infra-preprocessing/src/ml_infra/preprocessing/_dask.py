"""Dask collections: fitted partition by partition on the workers, transformed lazily.

dask is never imported here: a dask collection can only exist if the caller
imported dask, so the type's module tells (then ``sys.modules`` has it).

Fitting: every partition (a block of rows of a dask array, a partition of a
dask DataFrame) is fitted on a worker with ``partial_fit`` of an unfitted
copy of the object, the fitted copies (small: the partial states) come back,
and ``sum`` merges them with the classes' own ``+``: Chan's update for the
moments, exact min/max, sketch merges for the sketch-backed clipper. So a
fit on a cluster equals the in-memory fit (to rounding, in the order of the
partitions). Transforming maps the fitted object over the partitions
(``map_blocks``/``map_partitions``): the result is a lazy collection.
"""

from __future__ import annotations

import sys
from functools import reduce
from operator import add
from typing import Any, Literal

import numpy as np
from ml_infra.preprocessing._errors import DataShapeError, EmptyDataError

__all__ = ["DaskKind", "dask_kind", "fit_partitions", "map_partitions"]

DaskKind = Literal["array", "frame"]


def dask_kind(data: object) -> DaskKind | None:
    """``"array"`` for a dask array, ``"frame"`` for a dask DataFrame or Series, else ``None``.

    Example:
        >>> dask_kind(np.zeros(2)) is None
        True
    """
    module = getattr(type(data), "__module__", None)
    if not isinstance(module, str) or not module.startswith("dask."):
        return None
    da = sys.modules.get("dask.array")
    if da is not None and isinstance(data, da.Array):
        return "array"
    dd = sys.modules.get("dask.dataframe")
    if dd is not None and isinstance(data, dd.DataFrame | dd.Series):
        return "frame"
    return None


def _whole_rows(data: Any, func: str) -> Any:
    """A dask array whose blocks hold whole rows (one chunk across the columns)."""
    if data.ndim > 2:
        raise DataShapeError(
            f"{func}: data must be 1-D or 2-D, got a dask array of shape {data.shape}"
        )
    if data.ndim == 2 and data.numblocks[1] > 1:
        return data.rechunk({1: -1})
    return data


def _fit_part(blank: Any, part: Any) -> Any:
    """Runs on a worker: the partial state of one partition (``None`` when it is empty)."""
    if len(part) == 0:
        return None
    return blank.partial_fit(part)


def fit_partitions(blank: Any, data: Any, kind: DaskKind, func: str) -> Any:
    """Fit ``blank`` (an unfitted object) on every partition of ``data`` and merge the results.

    Args:
        blank: An unfitted copy of the object being fitted.
        data: A dask array or DataFrame.
        kind: What :func:`dask_kind` said ``data`` is.
        func: The public method's name, for messages.

    Returns:
        A fitted object: the sum of the partitions' fitted copies.

    Raises:
        EmptyDataError: the collection has no rows.
        DataShapeError: a dask array has more than two dimensions.
    """
    dask = sys.modules["dask"]
    if kind == "array":
        parts = _whole_rows(data, func).to_delayed().ravel().tolist()
    else:
        parts = list(data.to_delayed())
    fit_part = dask.delayed(_fit_part, pure=True)
    fitted = [f for f in dask.compute(*[fit_part(blank, p) for p in parts]) if f is not None]
    if not fitted:
        raise EmptyDataError(f"{func}: the dask collection has no rows to fit on")
    return reduce(add, fitted)


def map_partitions(method: Any, data: Any, kind: DaskKind, func: str) -> Any:
    """Apply a fitted object's ``transform`` (or inverse) lazily to every partition.

    The columns are checked now, on an empty piece of the same shape (or the
    DataFrame's ``_meta``), so a wrong table fails at once, not at compute time.

    Args:
        method: The bound method to apply (``fitted.transform``).
        data: A dask array or DataFrame.
        kind: What :func:`dask_kind` said ``data`` is.
        func: The public method's name, for messages.

    Returns:
        A lazy dask collection of the same kind.
    """
    if kind == "array":
        data = _whole_rows(data, func)
        method(np.empty((0, *data.shape[1:]), dtype=np.float64))  # checks columns, fitted
        return data.map_blocks(method, dtype=np.float64)
    meta = method(data._meta)
    return data.map_partitions(method, meta=meta)
