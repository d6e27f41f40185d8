"""Dask collections in the accumulators' ``update``: count each partition on the workers.

Dask is never imported unless the caller passes a dask object: :func:`is_dask`
looks only at the type's module. :func:`accumulate` then zips the partitions
of the collections (a dask array's blocks, a dask Series' partitions), builds
one partial accumulator per partition on the workers, merges the partial
states in a tree of ``merge`` calls (also on the workers) and computes the
result with the active scheduler (a ``dask.distributed`` client when one is
registered). The caller folds that one state into its own, so a failure on
any partition leaves the caller's accumulator unchanged.

Partitions are matched by position, as the in-memory functions match values:

* dask arrays (1-D): the other collections are rechunked to the first one's
  chunks; unknown chunk sizes are computed first;
* dask Series with equally many partitions: zipped partition by partition, and
  a partition pair of different lengths is a :class:`LengthMismatchError`
  naming the partition; with different partition counts (or a Series beside
  an array) each Series becomes an array with known lengths and is rechunked.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any, Protocol, Self, TypeVar

from ml_infra.metrics._errors import (
    InvalidInputTypeError,
    InvalidShapeError,
    LengthMismatchError,
)

__all__ = ["accumulate", "is_dask"]

# Partial states merged per task of the reduction tree.
_FAN_IN = 8


class Mergeable(Protocol):
    """What :func:`accumulate` needs of an accumulator."""

    def update(self, *args: Any, **kwargs: Any) -> Self: ...  # pragma: no cover

    def merge(self, other: Self) -> Self: ...  # pragma: no cover


S = TypeVar("S", bound=Mergeable)


def is_dask(value: object) -> bool:
    """Tell whether ``value`` is a dask object, without importing dask.

    Args:
        value: Any argument of ``update``.

    Returns:
        Whether its type is defined in a ``dask`` module.

    Example:
        >>> is_dask([1, 2])
        False
    """
    return type(value).__module__.partition(".")[0] == "dask"


def accumulate(factory: Callable[[], S], arguments: dict[str, object], func: str) -> S:
    """Count dask collections partition by partition on the workers; return the merged state.

    Args:
        factory: Builds an empty accumulator (a picklable class).
        arguments: ``update``'s keyword arguments, each a dask array or Series
            (None values are left out), the first one setting the partitioning.
        func: The public method's name, for messages.

    Returns:
        A new accumulator holding the counts of every partition.

    Raises:
        InvalidInputTypeError: A value is not a dask collection, or is a DataFrame.
        InvalidShapeError: A dask array is not one-dimensional.
        LengthMismatchError: The collections (or two matched partitions) differ in length.
        MetricsError: Whatever ``update`` raises on a partition.

    """
    from dask.delayed import delayed

    given = {name: value for name, value in arguments.items() if value is not None}
    names = tuple(given)
    for name, value in given.items():
        _check_collection(value, name, func)
    partitions = _partitions(list(given.values()), names, func)
    count = delayed(_count_partition, pure=True)
    states: list[Any] = [
        count(factory, names, index, func, *parts) for index, parts in enumerate(partitions)
    ]
    if not states:
        return factory()
    merge = delayed(_merge_states, pure=True)
    while len(states) > 1:
        states = [merge(*states[i : i + _FAN_IN]) for i in range(0, len(states), _FAN_IN)]
    merged: S = states[0].compute()
    return merged


def _check_collection(value: Any, name: str, func: str) -> None:
    """Refuse anything but a 1-D dask array or a dask Series."""
    if not is_dask(value):
        raise InvalidInputTypeError(
            f"{func}: {name} is a {type(value).__name__} beside a dask collection; "
            "pass every argument as a dask array or Series, or all of them in memory"
        )
    kind = _kind(value)
    if kind == "array":
        if value.ndim != 1:
            raise InvalidShapeError(
                f"{func}: {name} must be one-dimensional, got a dask array of shape {value.shape}"
            )
    elif kind != "series":
        raise InvalidInputTypeError(
            f"{func}: {name} must be a 1-D dask array or a dask Series, got a dask "
            f"{type(value).__name__}"
        )


def _kind(value: object) -> str:
    """``"array"``, ``"series"`` or the type's name, read from the type alone."""
    cls = type(value)
    if cls.__module__.startswith("dask.array"):
        return "array"
    if cls.__module__.startswith("dask.dataframe") and cls.__name__ == "Series":
        return "series"
    return cls.__name__


def _partitions(collections: list[Any], names: Sequence[str], func: str) -> list[tuple[Any, ...]]:
    """Matched partitions of the collections, as tuples of delayed blocks."""
    if all(_kind(c) == "series" for c in collections) and (
        len({c.npartitions for c in collections}) == 1
    ):
        return list(zip(*(c.to_delayed() for c in collections), strict=True))
    arrays = [_as_array(c) for c in collections]
    first = arrays[0]
    for name, array in zip(names[1:], arrays[1:], strict=True):
        if array.shape[0] != first.shape[0]:
            raise LengthMismatchError(
                f"{func}: {names[0]} and {name} must have the same length, got "
                f"{first.shape[0]} {names[0]} and {array.shape[0]} {name}"
            )
    aligned = [a if a.chunks == first.chunks else a.rechunk(first.chunks) for a in arrays]
    return list(zip(*(a.to_delayed().ravel().tolist() for a in aligned), strict=True))


def _as_array(collection: Any) -> Any:
    """A 1-D dask array with known chunk sizes (computing them if needed)."""
    if _kind(collection) == "series":
        with warnings.catch_warnings():
            # Strings (pandas' string dtype) become an object array: labels as before.
            warnings.filterwarnings("ignore", "Dask currently has limited support", UserWarning)
            return collection.to_dask_array(lengths=True)
    if any(size != size for size in collection.chunks[0]):  # NaN: unknown sizes
        return collection.compute_chunk_sizes()
    return collection


def _count_partition(
    factory: Callable[[], S], names: tuple[str, ...], index: int, func: str, *blocks: Any
) -> S:
    """Count one partition (on a worker); matched blocks must have one length."""
    lengths = [len(block) for block in blocks]
    for name, length in zip(names[1:], lengths[1:], strict=True):
        if length != lengths[0]:
            raise LengthMismatchError(
                f"{func}: partition {index} holds {lengths[0]} {names[0]} but {length} "
                f"{name}; repartition them alike (or pass dask arrays, which are rechunked)"
            )
    return factory().update(**dict(zip(names, blocks, strict=True)))


def _merge_states(first: S, *others: S) -> S:
    """Merge partial states into the first (on a worker)."""
    for other in others:
        first.merge(other)
    return first
