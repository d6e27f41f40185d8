"""The fitted scalers: ``StandardScaler`` and ``MinMaxScaler`` (``OutlierClipper``: ``_clipper``).

Each is a thin front over the engine in ``_fitted``: its parameters, the
partial state it keeps, and the plan that state gives.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any, Literal

import numpy as np
from ml_infra.preprocessing._errors import (
    ConstantDataError,
    EmptyDataError,
    StateError,
)
from ml_infra.preprocessing._fitted import Fitted, S
from ml_infra.preprocessing._layout import Layout
from ml_infra.preprocessing._nonfinite import NanPolicy
from ml_infra.preprocessing._parameters import check_option, count_parameter
from ml_infra.preprocessing._plan import Plan, Problem
from ml_infra.preprocessing._scaling import feature_range_parameter
from ml_infra.preprocessing._statistics import Extremes, Moments, Vector, check_ordered
from ml_infra.preprocessing._tables import Matrix
from ml_infra.preprocessing._text import number_text

__all__ = ["MinMaxScaler", "StandardScaler"]

Constant = Literal["error", "unit"]
_CONSTANT: tuple[Constant, ...] = ("error", "unit")
_NOISE = 64 * float(np.finfo(np.float64).eps)


def _constant_problem(layout: Layout, constant: Any, what: str) -> Problem:
    names = [layout.label(k) for k in np.flatnonzero(constant).tolist()]
    shown = ", ".join(names[:10]) + (f", ... ({len(names)} in all)" if len(names) > 10 else "")
    return Problem(
        ConstantDataError,
        f"{len(names)} fitted {'column is' if len(names) == 1 else 'columns are'} constant "
        f"({what}), got {shown}; drop them, or pass constant='unit' to map them as scikit-learn does",
    )


class _Scaler(Fitted[S]):
    """A fitted object with an exact inverse."""

    constant: Constant

    def inverse_transform(self, data: object) -> Any:
        """Map transformed values back to the original scale; the result has ``data``'s kind.

        Args:
            data: Transformed data with the fitted columns.

        Returns:
            The values on the original scale (to rounding).

        Raises:
            NotFittedError: nothing was fitted yet.

        Example:
            >>> from ml_infra.preprocessing import MinMaxScaler
            >>> MinMaxScaler().fit([2.0, 4.0]).inverse_transform([0.5])
            [3.0]
        """
        return self._apply(data, "inverse_transform", Plan.inverse)


class StandardScaler(_Scaler[Moments]):
    """Centre each column on its mean and divide by its standard deviation, fitted once.

    ``transform`` applies the fitted ``mean_`` and ``scale_`` to any later data
    (test, serving), so the same statistics reach every split. With the
    defaults, ``StandardScaler().fit_transform(x)`` equals ``standardize(x)``
    (sample standard deviation, ``ddof=1``); ``ddof=0`` gives scikit-learn's.

    Args:
        ddof: Delta degrees of freedom: the variance divides by ``n - ddof``.
        constant: ``"error"`` (default) refuses constant columns; ``"unit"``
            gives them scale 1 (they transform to 0), as scikit-learn does.
        columns: The DataFrame columns (or array positions) to scale; the
            others pass through untouched. ``None``: all of them.
        nan_policy: ``"raise"`` rejects NaN; ``"omit"`` ignores it when
            fitting and keeps it in the output.

    Example:
        >>> scaler = StandardScaler().fit([1.0, 2.0, 3.0])
        >>> scaler.transform([4.0])
        [2.0]
    """

    _state_type = Moments
    _statistic_names = ("mean", "m2")

    def __init__(
        self,
        ddof: int = 1,
        *,
        constant: Constant = "error",
        columns: Sequence[Hashable] | None = None,
        nan_policy: NanPolicy = "raise",
    ) -> None:
        self.ddof = count_parameter(ddof, "ddof", "StandardScaler")
        self.constant = check_option(constant, _CONSTANT, "constant", "StandardScaler")
        super().__init__(columns, nan_policy)

    def _params(self) -> dict[str, Any]:
        return {
            "ddof": self.ddof,
            "constant": self.constant,
            "columns": None if self.columns is None else list(self.columns),
            "nan_policy": self.nan_policy,
        }

    def _summarise(self, x: Matrix, *, omit: bool) -> Moments:
        state = Moments.of(x, omit=omit)
        if state.settled:
            return state
        with np.errstate(invalid="ignore", divide="ignore"):
            spread = np.sqrt(state.m2 / np.maximum(state.n, 1))
        suspects = np.flatnonzero((spread <= _NOISE * np.abs(state.mean)) & (state.m2 > 0))
        for k in suspects.tolist():  # rounding noise around identical values: confirm exactly
            column = x[:, k]
            low, high = (
                (np.nanmin(column), np.nanmax(column)) if omit else (column.min(), column.max())
            )
            if low == high:
                state.m2[k], state.mean[k] = 0.0, low
        return state

    def _merge_states(self, a: Moments, b: Moments) -> Moments:
        return a.merge(b)

    def _finite_parts(self, state: Moments) -> tuple[Vector, ...]:
        return () if state.settled else (state.mean, state.m2)

    def _check_state(self, state: Moments, func: str) -> None:
        if (state.m2 < 0).any():
            raise StateError(
                f"{func}: statistics.m2 must not be negative, got {number_text(state.m2.min())}"
            )

    def _variance(self, state: Moments) -> Vector:
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(state.n > self.ddof, state.m2 / np.maximum(state.n - self.ddof, 1), 0.0)

    def _make_plan(self, state: Moments, layout: Layout) -> Plan:
        spread = np.sqrt(self._variance(state))
        constant = spread == 0.0  # M2 == 0, or a variance below float64's range (no scale)
        scale = np.where(constant, 1.0, spread)
        problem = None
        few = state.n <= self.ddof
        if few.any():
            k = int(np.flatnonzero(few)[0])
            problem = Problem(
                EmptyDataError,
                f"needs more than ddof={self.ddof} values per column, got {int(state.n[k])} in "
                f"{layout.label(k)}"
                + (" (one value has no sample standard deviation)" if state.n[k] == 1 else "")
                + "; fit on more rows, or pass ddof=0",
            )
        elif constant.any() and self.constant == "error":
            problem = _constant_problem(
                layout, constant, "zero standard deviation, or one too small for float64"
            )
        return Plan(state.mean, scale, problem=problem)

    @property
    def mean_(self) -> Vector:
        """The mean of each fitted column."""
        return self._fitted_state("mean_").mean.copy()

    @property
    def var_(self) -> Vector:
        """The variance of each fitted column (divided by ``n - ddof``)."""
        return self._variance(self._fitted_state("var_"))

    @property
    def scale_(self) -> Vector:
        """What each column is divided by: its standard deviation (1 for a constant column)."""
        self._fitted_state("scale_")
        return self._planned().divisor.copy()  # type: ignore[union-attr]


class MinMaxScaler(_Scaler[Extremes]):
    """Map each column's fitted ``[min, max]`` linearly onto ``feature_range``.

    With the defaults, ``MinMaxScaler().fit_transform(x)`` equals
    ``normalize(x)``; on 2-D data it equals scikit-learn's ``MinMaxScaler``.
    Later data outside the fitted range maps outside ``feature_range``.

    Args:
        feature_range: The ``(min, max)`` the fitted range maps onto.
        constant: ``"error"`` (default) refuses constant columns; ``"unit"``
            maps them to ``feature_range[0]``, as scikit-learn does.
        columns: The DataFrame columns (or array positions) to scale; the
            others pass through untouched. ``None``: all of them.
        nan_policy: ``"raise"`` rejects NaN; ``"omit"`` ignores it when
            fitting and keeps it in the output.

    Example:
        >>> MinMaxScaler().fit([0.0, 10.0]).transform([5.0, 20.0])
        [0.5, 2.0]
    """

    _state_type = Extremes
    _statistic_names = ("min", "max")

    def __init__(
        self,
        feature_range: tuple[float, float] = (0.0, 1.0),
        *,
        constant: Constant = "error",
        columns: Sequence[Hashable] | None = None,
        nan_policy: NanPolicy = "raise",
    ) -> None:
        self.feature_range = feature_range_parameter(feature_range, "MinMaxScaler")
        self.constant = check_option(constant, _CONSTANT, "constant", "MinMaxScaler")
        super().__init__(columns, nan_policy)

    def _params(self) -> dict[str, Any]:
        return {
            "feature_range": list(self.feature_range),
            "constant": self.constant,
            "columns": None if self.columns is None else list(self.columns),
            "nan_policy": self.nan_policy,
        }

    def _blank(self) -> MinMaxScaler:
        params = self._params()
        params["feature_range"] = tuple(params["feature_range"])
        return MinMaxScaler(**params)

    def _summarise(self, x: Matrix, *, omit: bool) -> Extremes:
        return Extremes.of(x, omit=omit)

    def _merge_states(self, a: Extremes, b: Extremes) -> Extremes:
        return a.merge(b)

    def _finite_parts(self, state: Extremes) -> tuple[Vector, ...]:
        with np.errstate(over="ignore", invalid="ignore"):
            return state.low, state.high, state.high - state.low

    def _check_state(self, state: Extremes, func: str) -> None:
        check_ordered(state.low, state.high, ("min", "max"), func)

    def _make_plan(self, state: Extremes, layout: Layout) -> Plan:
        span = state.high - state.low
        constant = span == 0.0
        problem = None
        if constant.any() and self.constant == "error":
            problem = _constant_problem(layout, constant, "min equals max")
        low, high = self.feature_range
        affine = (low, high) != (0.0, 1.0)
        return Plan(
            state.low,
            np.where(constant, 1.0, span),
            mul=high - low if affine else None,
            add=low if affine else None,
            problem=problem,
        )

    @property
    def data_min_(self) -> Vector:
        """The minimum of each fitted column."""
        return self._fitted_state("data_min_").low.copy()

    @property
    def data_max_(self) -> Vector:
        """The maximum of each fitted column."""
        return self._fitted_state("data_max_").high.copy()

    @property
    def data_range_(self) -> Vector:
        """``data_max_ - data_min_`` per fitted column."""
        state = self._fitted_state("data_range_")
        return state.high - state.low

    @property
    def scale_(self) -> Vector:
        """scikit-learn's per-column factor: ``(max - min of feature_range) / range`` (range 1 if constant)."""
        self._fitted_state("scale_")
        low, high = self.feature_range
        return (high - low) / self._planned().divisor  # type: ignore[union-attr]

    @property
    def min_(self) -> Vector:
        """scikit-learn's per-column offset: ``feature_range[0] - data_min_ * scale_``."""
        return self.feature_range[0] - self.data_min_ * self.scale_
