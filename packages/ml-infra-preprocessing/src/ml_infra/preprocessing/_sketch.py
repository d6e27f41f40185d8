"""A deterministic, mergeable quantile sketch with a rank-error bound it tracks itself.

The sketch is a stack of compactors (Munro-Paterson, Manku-Rajagopalan-Lindsay,
the deterministic core of KLL). Level ``h`` holds values that stand for
``2**h`` data values each. When a level holds ``k`` or more values it is
*compacted*: sorted, and every other value (alternately the odd or the even
ones, so errors tend to cancel) moves up a level with twice the weight, the
rest are dropped; an odd one out (the largest) stays. The weights always
add up to ``n``, the number of values seen.

Why the bound holds. Take any ``x``. Among the ``2m`` values of one
compaction at level ``h``, say ``c`` are ``<= x``; afterwards the kept ones
stand for ``2**h * 2 * ceil(c/2)`` or ``2**h * 2 * floor(c/2)`` values ``<= x``,
which differs from ``2**h * c`` by at most ``2**h`` (zero when ``c`` is
even). So the estimated count of values ``<= x`` (and ``< x``) is off by at
most the sum of ``2**h`` over all compactions, which the sketch adds up
exactly as it goes: :attr:`QuantileSketch.max_rank_error`. Each compaction
at level ``h`` consumes at least ``k`` values of weight ``2**h``, and the
weight reaching any level is at most ``n``, so level ``h`` compacts at most
``n / (k * 2**h)`` times and adds at most ``n / k``. Level ``h`` is only
reached once ``n >= k * 2**h``, so with ``L = floor(log2(n / k)) + 1``
levels compacted::

    max_rank_error <= L * n / k        (and 0 while n < k: the sketch is exact)

Merging adds the parts' bounds and its own compactions, and the same count
holds for any tree of merges (each value is compacted at most once per
level), so the bound is the same for ``a + b`` as for one long stream.

Memory: every level holds fewer than ``k`` values between calls, so at most
``k * (L + 1)`` float64 values are kept: ``k * 21`` for a billion values at
the default ``k``, whatever their order. This is not constant in ``n``:
no deterministic comparison-based sketch can be (Cormode and Vesely, PODS
2020, prove ``Omega(log(eps n) / eps)`` values are needed), and the
randomized ones that are (KLL) only bound the error with a probability.

A query sorts the kept values once and reads the weighted positions: the
value returned for position ``p`` of the sorted data lies between the exact
values at positions ``p - max_rank_error`` and ``p + max_rank_error``.
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
from ml_infra.preprocessing._errors import EmptyDataError, ParameterError, StateError
from ml_infra.preprocessing._nonfinite import NanPolicy, check_nan_policy, nonfinite_error
from ml_infra.preprocessing._numeric import (
    FloatArray,
    as_float_array,
)
from ml_infra.preprocessing._parameters import count_parameter
from ml_infra.preprocessing._sketch_query import estimate
from ml_infra.preprocessing._sketch_state import (
    SketchState,
    k_problem,
    read_document,
    read_state,
    write_state,
)
from ml_infra.preprocessing._text import describe, safe_repr, type_name

__all__ = ["QuantileSketch"]


class QuantileSketch:
    """Quantiles of a stream in bounded memory, mergeable, with a guaranteed error.

    Feed values with :meth:`update` (any number of batches, any order), combine
    sketches of parts with ``a + b`` (or :meth:`merge`, in place), and read
    :meth:`quantile`. Deterministic: the same values in the same batches give
    the same sketch, and :attr:`max_rank_error` is a worst-case bound that
    holds for every input order (sorted, reversed, duplicates, adversarial).

    Guarantee: the value returned for quantile ``q`` lies between the exact
    sorted data at positions ``floor(q*(n-1)) - max_rank_error`` and
    ``ceil(q*(n-1)) + max_rank_error``; ``max_rank_error <= n/k *
    (floor(log2(n/k)) + 1)``, and is 0 while fewer than ``k`` values were seen,
    when :meth:`quantile` equals ``numpy.quantile`` (method ``"linear"``).
    Quantiles 0 and 1 are always the exact minimum and maximum.

    Args:
        k: Values kept per level (even, at least 8). The error bound shrinks
            and the memory grows in proportion to ``k``.

    Example:
        >>> import numpy as np
        >>> a = QuantileSketch(k=64).update(np.arange(1000.0))
        >>> b = QuantileSketch(k=64).update(np.arange(1000.0, 2000.0))
        >>> both = a + b
        >>> both.n, both.max_rank_error <= both.n / 64 * 5
        (2000, True)
        >>> abs(both.quantile(0.5) - 999.5) <= both.max_rank_error
        True
    """

    __slots__ = ("_error", "_k", "_levels", "_max", "_min", "_n", "_parity")

    def __init__(self, k: int = 2048) -> None:
        k = count_parameter(k, "k", "QuantileSketch")
        problem = k_problem(k)
        if problem:
            raise ParameterError(f"QuantileSketch: {problem}")
        self._k = k
        self._n = 0
        self._error = 0
        self._min = math.inf
        self._max = -math.inf
        self._levels: list[FloatArray] = []
        self._parity: list[int] = []

    # ------------------------------------------------------------ reading
    @property
    def k(self) -> int:
        """Values kept per level."""
        return self._k

    @property
    def n(self) -> int:
        """How many values the sketch has seen."""
        return self._n

    @property
    def max_rank_error(self) -> int:
        """The worst-case error of any rank (count of values ``<= x``) the sketch gives."""
        return self._error

    @property
    def size(self) -> int:
        """How many float64 values the sketch keeps (its memory, about ``8 * size`` bytes)."""
        return sum(level.size for level in self._levels)

    def __repr__(self) -> str:
        return (
            f"QuantileSketch(k={self._k}, n={self._n}, size={self.size}, "
            f"max_rank_error={self._error})"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, QuantileSketch):
            return NotImplemented
        return self._state() == other._state()

    __hash__ = None  # type: ignore[assignment]

    # ------------------------------------------------------------ building
    def update(self, data: Any, *, nan_policy: NanPolicy = "raise") -> QuantileSketch:
        """Add the values of ``data`` (in place) and return the sketch.

        Args:
            data: A 1-D array-like of real numbers: list, tuple, NumPy array, pandas
            or polars Series, Arrow array, CPU tensor, or any ``__array__``/DLPack object.
            nan_policy: ``"raise"`` (default) rejects NaN/``None``; ``"omit"``
                skips them.

        Returns:
            The sketch itself.

        Raises:
            MissingValueError: ``data`` holds NaN/``None`` (and ``nan_policy="raise"``).
            InfiniteValueError: ``data`` holds infinity.
            DataTypeError: ``data`` is not a 1-D sequence of real numbers.

        Example:
            >>> QuantileSketch(k=8).update([3, 1, 2]).quantile(0.5)
            2.0
        """
        nan_policy = check_nan_policy(nan_policy, "QuantileSketch.update")
        x = as_float_array(data, "QuantileSketch.update").values
        if x.size and not (math.isfinite(x.min()) and math.isfinite(x.max())):
            error = nonfinite_error(x, "QuantileSketch.update", nan_ok=nan_policy == "omit")
            if error is not None:
                raise error
            x = x[~np.isnan(x)]
        self._add(np.asarray(x, dtype=np.float64))
        return self

    def _add(self, x: FloatArray) -> None:
        """Add finite float64 values (the fitted classes call this once per column)."""
        if not x.size:
            return
        self._n += x.size
        self._min = min(self._min, float(x.min()))
        self._max = max(self._max, float(x.max()))
        self._push(0, [x])
        self._compact()

    def _push(self, level: int, parts: list[FloatArray]) -> None:
        while len(self._levels) <= level:
            self._levels.append(np.empty(0))
            self._parity.append(0)
        self._levels[level] = np.concatenate([self._levels[level], *parts])

    def _compact(self) -> None:
        """Compact every level holding ``k`` or more values, bottom up."""
        h = 0
        while h < len(self._levels):
            values = self._levels[h]
            if values.size >= self._k:
                # Above level 0 a level is a few sorted runs (compacted outputs), which
                # a stable sort (timsort) merges in linear time; level 0 is raw data.
                values = np.sort(values, kind="quicksort" if h == 0 else "stable")
                even = values.size - values.size % 2
                offset = self._parity[h]
                self._parity[h] ^= 1
                self._levels[h] = values[even:]  # the odd one out (the largest) stays
                self._push(h + 1, [values[offset:even:2]])
                self._error += 1 << h
            h += 1

    def merge(self, other: QuantileSketch) -> QuantileSketch:
        """Add everything ``other`` has seen to this sketch, in place, and return it.

        Args:
            other: A sketch with the same ``k``; it is not changed.

        Returns:
            This sketch.

        Raises:
            StateError: ``other`` is not a :class:`QuantileSketch`, or has another ``k``.

        Example:
            >>> a = QuantileSketch(k=8).update([1.0, 2.0])
            >>> a.merge(QuantileSketch(k=8).update([3.0])).n
            3
        """
        if not isinstance(other, QuantileSketch):
            raise StateError(
                f"QuantileSketch.merge: other must be a QuantileSketch, got {type_name(other)}"
            )
        if other._k != self._k:
            raise StateError(
                f"QuantileSketch.merge: both sketches must have the same k, got {self._k} "
                f"and {other._k}"
            )
        if other is self:
            other = other.copy()
        self._n += other._n
        self._error += other._error
        self._min = min(self._min, other._min)
        self._max = max(self._max, other._max)
        for h, values in enumerate(other._levels):
            self._push(h, [values])
        self._compact()
        return self

    def copy(self) -> QuantileSketch:
        """Return an independent copy."""
        new = QuantileSketch.__new__(QuantileSketch)
        k, n, error, low, high, levels, parity = self._state_values()
        new._set(k, n, error, low, high, [level.copy() for level in levels], list(parity))
        return new

    def __add__(self, other: object) -> QuantileSketch:
        if not isinstance(other, QuantileSketch):
            return NotImplemented
        return self.copy().merge(other)

    def __radd__(self, other: object) -> QuantileSketch:
        if isinstance(other, int) and other == 0:  # sum(sketches) starts from 0
            return self.copy()
        return NotImplemented

    # ------------------------------------------------------------ queries
    def quantile(self, q: float) -> float:
        """Estimate one quantile (``q`` in ``[0, 1]``), within the documented bound.

        Args:
            q: The quantile, e.g. ``0.95``.

        Returns:
            The estimate, a float.

        Raises:
            EmptyDataError: the sketch has seen no values.
            ParameterError: ``q`` is not a number in ``[0, 1]``.

        Example:
            >>> QuantileSketch(k=8).update([1.0, 2.0, 3.0, 4.0]).quantile(0.5)
            2.5
        """
        return float(self.quantiles([q])[0])

    def quantiles(self, qs: Any) -> FloatArray:
        """Estimate several quantiles at once (one sort of the kept values).

        Args:
            qs: Quantiles in ``[0, 1]`` (a sequence or array).

        Returns:
            A float64 array of estimates, one per quantile.

        Raises:
            EmptyDataError: the sketch has seen no values.
            ParameterError: a quantile is not a number in ``[0, 1]``.

        Example:
            >>> QuantileSketch(k=8).update([1.0, 2.0, 3.0]).quantiles([0, 1]).tolist()
            [1.0, 3.0]
        """
        func = "QuantileSketch.quantiles"
        try:
            q = np.asarray(qs, dtype=np.float64).reshape(-1)
        except Exception as exc:  # strings, objects whose __float__ raises
            raise ParameterError(
                f"{func}: quantiles must be real numbers, got {describe(qs)}"
            ) from exc
        if not bool(((q >= 0.0) & (q <= 1.0)).all()):
            raise ParameterError(f"{func}: quantiles must be in [0, 1], got {safe_repr(qs)}")
        if not self._n:
            raise EmptyDataError(f"{func}: the sketch has seen no values; update it first")
        return estimate(self._levels, self._n, (self._min, self._max), q)

    # ------------------------------------------------------------ state
    def _state_values(self) -> SketchState:
        return self._k, self._n, self._error, self._min, self._max, self._levels, self._parity

    def _set(
        self,
        k: int,
        n: int,
        error: int,
        low: float,
        high: float,
        levels: list[FloatArray],
        parity: list[int],
    ) -> None:
        self._k, self._n, self._error, self._min, self._max = k, n, error, low, high
        self._levels, self._parity = levels, parity

    def _state(self) -> dict[str, Any]:
        """The JSON-ready state: floats as Python floats, written exactly by ``json``."""
        return write_state(self._state_values())

    def __getstate__(self) -> dict[str, Any]:
        return self._state()

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._set(*read_state(state, "QuantileSketch.__setstate__"))

    @classmethod
    def _from_state(cls, state: object, func: str) -> QuantileSketch:
        """A sketch from a checked state (a parsed document), naming ``func`` in errors."""
        sketch = cls.__new__(cls)
        sketch._set(*read_state(state, func))
        return sketch

    def to_json(self) -> str:
        """Return the sketch as a versioned JSON document; floats round-trip bit for bit.

        Example:
            >>> s = QuantileSketch(k=8).update([0.1, 0.2])
            >>> QuantileSketch.from_json(s.to_json()) == s
            True
        """
        return json.dumps(self._state(), allow_nan=False)

    @classmethod
    def from_json(cls, text: str | bytes) -> QuantileSketch:
        """Rebuild a sketch from :meth:`to_json`, checking every field.

        Args:
            text: The JSON document.

        Returns:
            The sketch, equal to the one written.

        Raises:
            StateError: the text is not such a document (unknown kind, newer
                version, missing or mistyped fields, inconsistent counts).

        Example:
            >>> QuantileSketch.from_json(QuantileSketch(k=8).to_json()).n
            0
        """
        func = "QuantileSketch.from_json"
        sketch = cls.__new__(cls)
        sketch._set(*read_document(text, func))
        return sketch
