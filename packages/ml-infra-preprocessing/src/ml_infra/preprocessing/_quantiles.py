"""The partial state of ``OutlierClipper(method="sketch")``: one QuantileSketch per column.

Exact percentiles need all the data at once; a :class:`QuantileSketch` per
column keeps a bounded summary that merges, so the sketch-backed clipper
takes ``partial_fit``, ``a + b`` and Dask partitions like the scalers. The
clip bounds are the sketches' quantiles, recomputed (deterministically)
after every merge and when a document is read, so a loaded clipper clips
bit for bit like the one saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from ml_infra.preprocessing._errors import ParameterError, StateError
from ml_infra.preprocessing._sketch import QuantileSketch
from ml_infra.preprocessing._state import check_counts, check_floats, mapping
from ml_infra.preprocessing._statistics import Counts, Extremes, Vector
from ml_infra.preprocessing._tables import Matrix
from ml_infra.preprocessing._text import describe, safe_repr

__all__ = ["STATISTICS", "Sketched", "sketch_parameter"]

#: The fields of the document's ``statistics`` for the sketch-backed clipper.
STATISTICS = ("n", "lower", "upper", "sketches")


def sketch_parameter(sketch_k: object, method: str, func: str) -> int | None:
    """The sketches' ``k`` for ``method="sketch"`` (default 2048), ``None`` for exact methods.

    Example:
        >>> sketch_parameter(None, "sketch", "OutlierClipper"), sketch_parameter(None, "linear", "f")
        (2048, None)
    """
    if method != "sketch":
        if sketch_k is not None:
            raise ParameterError(
                f"{func}: sketch_k applies to method='sketch' only, got {describe(sketch_k)} "
                f"with method={safe_repr(method)}"
            )
        return None
    return QuantileSketch(2048 if sketch_k is None else sketch_k).k  # type: ignore[arg-type]


def _bounds(sketches: tuple[QuantileSketch, ...], q: tuple[float, float]) -> tuple[Vector, Vector]:
    pairs = [s.quantiles(q) if s.n else np.zeros(2) for s in sketches]
    both = np.array(pairs, dtype=np.float64).reshape(-1, 2)
    return both[:, 0].copy(), both[:, 1].copy()


@dataclass(frozen=True, slots=True)
class Sketched:
    """Per column: how many values, the clip bounds, and the sketch they come from.

    ``n``, ``low`` and ``high`` are what the exact clipper's :class:`Extremes`
    holds, so the fitted engine treats both alike.
    """

    n: Counts
    low: Vector
    high: Vector
    sketches: tuple[QuantileSketch, ...]

    @classmethod
    def of(cls, x: Matrix, *, omit: bool, k: int, q: tuple[float, float]) -> Sketched:
        """Sketch each column of a batch; with ``omit``, NaN values are left out.

        NaN or infinity (without ``omit``) shows in ``low``/``high`` at once, as in
        :class:`Extremes`, and no sketch is built: the engine explains it.

        Example:
            >>> state = Sketched.of(np.arange(10.0).reshape(-1, 1), omit=False, k=16, q=(0.0, 0.5))
            >>> state.low.tolist(), state.high.tolist()
            ([0.0], [4.5])
        """
        extremes = Extremes.of(x, omit=omit)
        if not (np.isfinite(extremes.low).all() and np.isfinite(extremes.high).all()):
            return cls(extremes.n, extremes.low, extremes.high, ())
        sketches = []
        for j in range(x.shape[1]):
            column = x[:, j]
            sketch = QuantileSketch(k)
            sketch._add(column[~np.isnan(column)] if omit else np.ascontiguousarray(column))
            sketches.append(sketch)
        low, high = _bounds(tuple(sketches), q)
        return cls(extremes.n, low, high, tuple(sketches))

    def parts(self) -> tuple[Counts, Vector, Vector]:
        """``(n, low, high)``."""
        return self.n, self.low, self.high

    def merge(self, other: Sketched, q: tuple[float, float]) -> Sketched:
        """The state of both batches together (neither changes)."""
        sketches = tuple(a + b for a, b in zip(self.sketches, other.sketches, strict=True))
        low, high = _bounds(sketches, q)
        return Sketched(self.n + other.n, low, high, sketches)

    def statistics(self) -> dict[str, Any]:
        """The document's ``statistics``: counts, bounds (to read) and the sketches."""
        return {
            "n": self.n.tolist(),
            "lower": self.low.tolist(),
            "upper": self.high.tolist(),
            "sketches": [s._state() for s in self.sketches],
        }

    @classmethod
    def read(
        cls, statistics: object, width: int, k: int, q: tuple[float, float], func: str
    ) -> Sketched:
        """Check a document's ``statistics`` completely and rebuild the state.

        Raises:
            StateError: a field is missing, mistyped or inconsistent: a sketch
                of another ``k`` or count, bounds that are not the sketches'.
        """
        stats = mapping(statistics, "statistics", STATISTICS, func)
        n = np.array(check_counts(stats["n"], "statistics.n", width, func, minimum=1), np.int64)
        lower = check_floats(stats["lower"], "statistics.lower", width, func)
        upper = check_floats(stats["upper"], "statistics.upper", width, func)
        documents = stats["sketches"]
        if type(documents) is not list or len(documents) != width:
            raise StateError(f"{func}: statistics.sketches must be a list of {width} sketches")
        sketches = []
        for j, document in enumerate(documents):
            sketch = QuantileSketch._from_state(document, f"{func}: statistics.sketches[{j}]")
            if sketch.k != k or sketch.n != n[j]:
                raise StateError(
                    f"{func}: statistics.sketches[{j}] must have k={k} and n={int(n[j])}, "
                    f"got k={sketch.k} and n={sketch.n}"
                )
            sketches.append(sketch)
        low, high = _bounds(tuple(sketches), q)
        if not (np.array_equal(low, lower) and np.array_equal(high, upper)):
            raise StateError(
                f"{func}: statistics.lower and statistics.upper must be the sketches' quantiles"
            )
        return cls(n, low, high, tuple(sketches))
