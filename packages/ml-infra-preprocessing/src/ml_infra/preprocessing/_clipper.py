"""The fitted ``OutlierClipper``: exact percentiles, or sketched ones that merge.

A thin front over the engine in ``_fitted``, like the scalers. Its state is
:class:`Extremes` (per-column bounds, from ``numpy.percentile``) or, with
``method="sketch"``, :class:`Sketched` (the bounds and the per-column
:class:`QuantileSketch` they come from); both hold ``n``, ``low`` and
``high``, so the plan (``numpy.clip``) is the same.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
from ml_infra.preprocessing._clipping import percentile_parameters
from ml_infra.preprocessing._errors import ParameterError, StateError
from ml_infra.preprocessing._fitted import Fitted
from ml_infra.preprocessing._layout import Layout
from ml_infra.preprocessing._nonfinite import NanPolicy
from ml_infra.preprocessing._parameters import is_text
from ml_infra.preprocessing._plan import Plan
from ml_infra.preprocessing._quantiles import Sketched, sketch_parameter
from ml_infra.preprocessing._statistics import Extremes, Vector, check_ordered
from ml_infra.preprocessing._tables import Matrix
from ml_infra.preprocessing._text import describe, safe_repr

__all__ = ["OutlierClipper"]

_USE_SKETCH = (
    "fit on all of the data at once, or pass method='sketch' for mergeable percentiles "
    "estimated in bounded memory (partial_fit, a + b, Dask)"
)


class OutlierClipper(Fitted[Extremes | Sketched]):
    """Clip each column to percentiles fitted once.

    With the defaults, ``OutlierClipper().fit_transform(x)`` equals
    ``clip_outliers(x)``. Exact percentiles need all the data at once, so
    ``partial_fit``, ``+`` and Dask are refused for them; ``method="sketch"``
    estimates the percentiles with one :class:`QuantileSketch` per column
    instead: bounded memory, mergeable, and within ``max_rank_error_`` ranks
    of the exact ones (exact, and equal to ``method="linear"``, while a column
    has fewer than ``sketch_k`` values).

    Args:
        lower_percentile: Lower percentile, in ``[0, 100]``.
        upper_percentile: Upper percentile, in ``[lower_percentile, 100]``.
        method: A :func:`numpy.percentile` method (``"linear"``, ``"nearest"``,
            ...), or ``"sketch"``.
        columns: The DataFrame columns (or array positions) to clip; the
            others pass through untouched. ``None``: all of them.
        nan_policy: ``"raise"`` rejects NaN; ``"omit"`` ignores it when
            fitting and keeps it in the output.
        sketch_k: The sketches' ``k`` for ``method="sketch"`` (default 2048):
            error and memory trade off in proportion to it.

    Example:
        >>> OutlierClipper(0, 75).fit([1, 2, 3, 4, 100]).transform([0, 50])
        [1.0, 4.0]
        >>> parts = [OutlierClipper(0, 75, method="sketch").fit(p) for p in ([1, 2], [3, 4, 100])]
        >>> sum(parts).transform([0, 50])
        [1.0, 4.0]
    """

    _state_type = Extremes
    _statistic_names = ("lower", "upper")

    def __init__(
        self,
        lower_percentile: float = 5,
        upper_percentile: float = 95,
        method: str = "linear",
        *,
        columns: Sequence[Hashable] | None = None,
        nan_policy: NanPolicy = "raise",
        sketch_k: int | None = None,
    ) -> None:
        low, high = percentile_parameters(lower_percentile, upper_percentile, "OutlierClipper")
        self.lower_percentile, self.upper_percentile = low, high
        self._q = (low / 100.0, high / 100.0)
        if not is_text(method):
            raise ParameterError(f"OutlierClipper: method must be a string, got {describe(method)}")
        self.method = str.__str__(method)
        self.sketch_k = sketch_parameter(sketch_k, self.method, "OutlierClipper")
        if self.method != "sketch":
            try:
                np.percentile([0.0, 1.0], 50, method=self.method)  # type: ignore[call-overload]
            except (ValueError, TypeError) as exc:
                raise ParameterError(
                    "OutlierClipper: method must be a numpy.percentile method or 'sketch', "
                    f"got {safe_repr(self.method)}"
                ) from exc
        super().__init__(columns, nan_policy)

    def _params(self) -> dict[str, Any]:
        return {
            "lower_percentile": self.lower_percentile,
            "upper_percentile": self.upper_percentile,
            "method": self.method,
            "columns": None if self.columns is None else list(self.columns),
            "nan_policy": self.nan_policy,
            "sketch_k": self.sketch_k,
        }

    def _summarise(self, x: Matrix, *, omit: bool) -> Extremes | Sketched:
        if self.sketch_k is not None:
            return Sketched.of(x, omit=omit, k=self.sketch_k, q=self._q)
        q = [self.lower_percentile, self.upper_percentile]
        if not omit:
            with np.errstate(invalid="ignore"):
                bounds = np.percentile(x, q, axis=0, method=self.method)  # type: ignore[call-overload]
            return Extremes(np.full(x.shape[1], x.shape[0], np.int64), bounds[0], bounds[1])
        n = (~np.isnan(x)).sum(axis=0).astype(np.int64)
        bounds = np.zeros((2, x.shape[1]))  # an all-NaN column: no bounds, the engine says why
        if n.any():
            bounds[:, n > 0] = np.nanpercentile(x[:, n > 0], q, axis=0, method=self.method)  # type: ignore[call-overload]
        return Extremes(n, bounds[0], bounds[1])

    def _merge_states(self, a: Extremes | Sketched, b: Extremes | Sketched) -> Sketched:
        if isinstance(a, Sketched) and isinstance(b, Sketched):
            return a.merge(b, self._q)
        raise StateError(
            f"OutlierClipper: exact percentiles cannot be merged from partial states; {_USE_SKETCH}"
        )

    def partial_fit(self, data: object) -> OutlierClipper:
        """Add a batch (``method="sketch"`` only: exact percentiles need all the data at once)."""
        self._mergeable_blank("OutlierClipper.partial_fit")
        return super().partial_fit(data)  # type: ignore[no-any-return]

    def _mergeable_blank(self, func: str) -> OutlierClipper:
        if self.sketch_k is None:
            raise StateError(
                f"{func}: exact percentiles need all the data at once, so they cannot be fitted "
                f"batch by batch or partition by partition; {_USE_SKETCH}"
            )
        return self._blank()  # type: ignore[no-any-return]

    def _statistics(self, state: Extremes | Sketched) -> dict[str, Any]:
        if isinstance(state, Sketched):
            return state.statistics()
        return super()._statistics(state)

    def _read_statistics(self, statistics: object, width: int, func: str) -> Extremes | Sketched:
        if self.sketch_k is not None:
            return Sketched.read(statistics, width, self.sketch_k, self._q, func)
        return super()._read_statistics(statistics, width, func)

    def _finite_parts(self, state: Extremes | Sketched) -> tuple[Vector, ...]:
        return state.low, state.high

    def _check_state(self, state: Extremes | Sketched, func: str) -> None:
        check_ordered(state.low, state.high, ("lower", "upper"), func)

    def _make_plan(self, state: Extremes | Sketched, layout: Layout) -> Plan:
        return Plan(state.low, state.high, clip=True)

    @property
    def lower_(self) -> Vector:
        """The fitted lower bound of each column."""
        return self._fitted_state("lower_").low.copy()

    @property
    def upper_(self) -> Vector:
        """The fitted upper bound of each column."""
        return self._fitted_state("upper_").high.copy()

    @property
    def max_rank_error_(self) -> Any:
        """``method="sketch"``: each column's worst-case rank error of its bounds (an int array).

        The fitted lower (upper) bound lies between the exact sorted values of
        the column at ``floor(p*(n-1)) - e`` and ``ceil(p*(n-1)) + e`` for
        ``p = lower_percentile / 100`` (``upper_percentile / 100``).
        """
        state = self._fitted_state("max_rank_error_")
        if not isinstance(state, Sketched):
            raise AttributeError("OutlierClipper.max_rank_error_: only method='sketch' estimates")
        return np.array([s.max_rank_error for s in state.sketches], dtype=np.int64)
