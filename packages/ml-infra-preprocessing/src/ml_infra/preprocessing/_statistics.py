"""Column statistics of the fitted objects: computed once per batch, merged exactly.

:class:`Moments` (count, mean, sum of squared deviations) and
:class:`Extremes` (count, min, max) are the *partial states*: ``of(values)``
summarises one 2-D float64 batch, ``merge`` combines two summaries into the
summary of the union (min/max exactly; mean and variance with the pairwise
update of Chan, Golub and LeVeque, 1979). Splitting data into batches and
merging gives the statistics of the whole to rounding error, whatever the
split.

Batches are reduced in cache-sized blocks of rows (``_blocks``), each block
read from memory once: its offsets from a reference (the mean of the first
rows) are summed and squared with two BLAS products, and a block whose sums
could cancel is redone with the corrected two-pass algorithm
(:func:`_block_moments`). The blocks are combined in block order on the
calling thread: ``fit`` and each ``partial_fit`` batch do the same work per
value, so streaming a table costs about what fitting it at once does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt
from ml_infra.preprocessing._blocks import (
    BLOCK,
    Vector,
    column_reduce,
    every,
    joined,
    ones_vector,
    row_slices,
    shift,
    tiled,
    work_buffer,
)
from ml_infra.preprocessing._errors import (
    EmptyDataError,
    StateError,
)
from ml_infra.preprocessing._tables import Matrix, Table
from ml_infra.preprocessing._text import number_text

__all__ = [
    "Counts",
    "Extremes",
    "Moments",
    "Summary",
    "Vector",
    "check_ordered",
    "empty_error",
]

Counts = npt.NDArray[np.int64]

_REFERENCE_ROWS = 64  # rows whose mean is the origin of the block offsets
_CONDITION = 16.0  # sum(d**2) / M2 above this: the fast moments could lose 4+ bits, redo
_LARGEST = float(np.finfo(np.float64).max)
# sum(d**2) below k * 2**-1015: some squares may be subnormal, their rounding is no
# longer relative (identical values off the reference by a few ulps would keep M2 > 0)
_SMALLEST = 2.0**-1015


def _counts(width: int, count: int) -> Counts:
    """``count`` for each of ``width`` columns."""
    n = np.empty(width, dtype=np.int64)
    n[...] = count
    return n


def _block_moments(
    part: Matrix, reference: Vector, line: Vector | None, ones: Vector
) -> tuple[int, Vector, Vector, bool]:
    """Rows, mean offset from ``reference``, M2, and whether the fast path held, for one block.

    The fast path reads the block from memory once (``part - reference`` into
    the thread's work buffer) and sums columns with two BLAS products:
    ``M2 = sum(d**2) - sum(d)**2 / k``. That subtraction loses precision only
    when the block's mean is far from the reference against its spread. It
    holds when ``sum(d**2)`` is finite, at least ``k * 2**-1015`` (no subnormal
    squares to round) and at most :data:`_CONDITION` times ``M2``; then every
    statistic is finite and no column of the block holds identical values
    (their ``M2`` would be 0 or rounding noise). Otherwise (NaN, infinity,
    overflow, identical or subnormal-spaced values, cancellation) the block is
    redone with the corrected two-pass algorithm.
    """
    k, width = part.shape
    d = shift(part, reference, work_buffer(k, width), line)
    sums = ones[:k] @ d
    offset = sums / k
    squares = ones[:k] @ np.square(d, out=d)
    m2 = squares - sums * offset
    if every((m2 * _CONDITION >= squares) & (squares <= _LARGEST) & (squares >= k * _SMALLEST)):
        return k, offset, m2, True
    d = shift(part, reference, d, line)  # corrected two-pass: the deviations' own mean removed too
    offset = column_reduce(np.add, d) / k
    shift(d, offset, d)
    c = column_reduce(np.add, d)
    return k, offset + c / k, column_reduce(np.add, np.square(d, out=d)) - c * c / k, False


def _chan(
    n_a: Counts, mean_a: Vector, m2_a: Vector, n_b: Counts, mean_b: Vector, m2_b: Vector
) -> tuple[Counts, Vector, Vector]:
    """The pairwise update: count, mean and M2 of the union of two summaries."""
    n = n_a + n_b
    if every(n_a * n_b):  # the usual case: no empty column on either side
        share = n_b / n
        delta = mean_b - mean_a
        return n, mean_a + delta * share, m2_a + m2_b + delta * delta * n_a * share
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(n > 0, n_b / np.maximum(n, 1), 0.0)
        delta = mean_b - mean_a
        mean = np.where(n_b == 0, mean_a, np.where(n_a == 0, mean_b, mean_a + delta * share))
        m2 = m2_a + m2_b + np.where((n_a > 0) & (n_b > 0), delta * delta * n_a * share, 0.0)
    return n, mean, m2


class Summary(Protocol):
    """A partial state: per-column counts and two per-column statistics."""

    @property
    def n(self) -> Counts:
        """How many values each column summarises."""
        ...

    def parts(self) -> tuple[Counts, Vector, Vector]:
        """The count and the two statistics, in their JSON order."""
        ...


@dataclass(frozen=True, slots=True, eq=False)
class Moments:
    """Per column: how many values, their mean, and the sum of squared deviations (M2)."""

    n: Counts
    mean: Vector
    m2: Vector
    #: Made by the fast path of :meth:`of` alone: every statistic is finite and no
    #: column is rounding noise around identical values. A hint for the batch's
    #: checks, not state: it is not pickled (a copy, or a merge, says False).
    settled: bool = False

    def __getstate__(self) -> tuple[Counts, Vector, Vector]:
        return self.n, self.mean, self.m2

    def __setstate__(self, state: tuple[Counts, Vector, Vector]) -> None:
        # Also reads the pickles of 0.1, which held exactly these three fields.
        for name, value in zip(("n", "mean", "m2"), state, strict=False):
            object.__setattr__(self, name, value)
        object.__setattr__(self, "settled", False)

    @classmethod
    def of(cls, x: Matrix, *, omit: bool) -> Moments:
        """Summarise a batch, block by block on the calling thread (see :func:`_block_moments`).

        With ``omit``, NaN values are left out. Non-finite results (NaN,
        infinity, overflow) are for the caller to explain.

        Example:
            >>> Moments.of(np.array([[1.0], [2.0], [3.0]]), omit=False).m2.tolist()
            [2.0]
        """
        if omit:
            present = ~np.isnan(x)
            n = present.sum(axis=0).astype(np.int64)
            with np.errstate(invalid="ignore", divide="ignore"):
                mean = np.nansum(x, axis=0) / n
                d = x - mean
                c = np.nansum(d, axis=0)
                m2 = np.nansum(np.square(d, out=d), axis=0) - c * c / n
                mean = mean + c / n
            return cls(n, np.where(n > 0, mean, 0.0), np.where(n > 0, np.maximum(m2, 0.0), 0.0))
        count, width = x.shape
        with np.errstate(over="ignore", invalid="ignore"):
            # Offsets from a reference (the mean of the first rows) stay small, so
            # the blocks' means and their spread keep full precision even when the
            # mean is large against the spread.
            head = x[:_REFERENCE_ROWS]
            reference = column_reduce(np.add, head) / head.shape[0]

            line = tiled(reference, width) if count >= joined(width) else None
            if count * width <= BLOCK:  # one block: a batch of partial_fit, usually
                _, offset, m2, settled = _block_moments(x, reference, line, ones_vector(count))
            else:
                slices = row_slices(x)
                ones = ones_vector(slices[0].stop - slices[0].start)
                parts = [_block_moments(x[rows], reference, line, ones) for rows in slices]
                settled = all(fast for _, _, _, fast in parts)
                # The blocks combined at once (the parallel form of Chan's update):
                # M2 = the blocks' M2 summed + sum of n_b * (mean_b - mean)^2.
                sizes = np.array([k for k, _, _, _ in parts], dtype=np.float64)[:, None]
                offsets = np.stack([m for _, m, _, _ in parts])
                offset = column_reduce(np.add, sizes * offsets) / count
                spread = offsets - offset
                m2 = column_reduce(np.add, np.stack([q for _, _, q, _ in parts])) + column_reduce(
                    np.add, sizes * spread * spread
                )
                settled = settled and bool(every(m2 <= _LARGEST))  # the sum may overflow
        if settled:  # finite, and M2 >= 0 (each term is)
            return cls(_counts(width, count), reference + offset, m2, settled=True)
        return cls(_counts(width, count), reference + offset, np.maximum(m2, 0.0))

    def parts(self) -> tuple[Counts, Vector, Vector]:
        """``(n, mean, m2)``."""
        return self.n, self.mean, self.m2

    def merge(self, other: Moments) -> Moments:
        """The summary of both batches together (neither changes)."""
        return Moments(*_chan(self.n, self.mean, self.m2, other.n, other.mean, other.m2))


@dataclass(frozen=True, slots=True, eq=False)
class Extremes:
    """Per column: how many values, their minimum and maximum."""

    n: Counts
    low: Vector
    high: Vector

    @classmethod
    def of(cls, x: Matrix, *, omit: bool) -> Extremes:
        """Summarise a batch; with ``omit``, NaN values are left out.

        Example:
            >>> Extremes.of(np.array([[1.0], [3.0]]), omit=False).high.tolist()
            [3.0]
        """
        if omit:
            n = (~np.isnan(x)).sum(axis=0).astype(np.int64)
            with np.errstate(invalid="ignore"):
                filled = np.where(np.isnan(x), np.inf, x)
                low = filled.min(axis=0)
                high = np.where(np.isnan(x), -np.inf, x).max(axis=0)
            return cls(n, np.where(n > 0, low, 0.0), np.where(n > 0, high, 0.0))
        parts = [
            (column_reduce(np.minimum, x[rows]), column_reduce(np.maximum, x[rows]))
            for rows in row_slices(x)
        ]
        # np.minimum/np.maximum propagate NaN, so a NaN anywhere shows in the result.
        low = np.minimum.reduce([lo for lo, _ in parts])
        high = np.maximum.reduce([hi for _, hi in parts])
        return cls(_counts(x.shape[1], x.shape[0]), low, high)

    def parts(self) -> tuple[Counts, Vector, Vector]:
        """``(n, low, high)``."""
        return self.n, self.low, self.high

    def merge(self, other: Extremes) -> Extremes:
        """The summary of both batches together (exact; neither changes)."""
        n = self.n + other.n
        low = np.where(
            other.n == 0,
            self.low,
            np.where(self.n == 0, other.low, np.minimum(self.low, other.low)),
        )
        high = np.where(
            other.n == 0,
            self.high,
            np.where(self.n == 0, other.high, np.maximum(self.high, other.high)),
        )
        return Extremes(n, low, high)


def empty_error(func: str, frame: Table, positions: tuple[int, ...], n: Counts) -> EmptyDataError:
    """The error for a fit with no values (no rows, or a column that is all NaN)."""
    if frame.kind == "1d" or not n.size or not (n > 0).any():
        return EmptyDataError(
            f"{func}: data has no values to fit, got {int(n.min()) if n.size else 0} rows"
        )
    empty = [frame.label(positions[k]) for k in np.flatnonzero(n == 0).tolist()]
    return EmptyDataError(
        f"{func}: every value is missing (NaN) in {', '.join(empty)}; nothing to fit"
    )


def check_ordered(low: Vector, high: Vector, names: tuple[str, str], func: str) -> None:
    """Refuse a document whose lower statistic exceeds its upper one somewhere.

    Example:
        >>> check_ordered(np.zeros(1), np.ones(1), ("min", "max"), "f")
    """
    bad = np.flatnonzero(low > high)
    if bad.size:
        k = int(bad[0])
        raise StateError(
            f"{func}: statistics.{names[0]} must not exceed statistics.{names[1]}, got "
            f"{number_text(low[k])} > {number_text(high[k])} at fitted column {k}"
        )
