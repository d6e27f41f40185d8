"""The engine of the fitted objects: fit, transform, merge, once for all of them.

A fitted object holds three things, all immutable and replaced together:

* a :class:`Layout`: the columns it was fitted on (names for DataFrames,
  the count for arrays) and which of them it scales;
* a *partial state* (``_statistics.Moments`` or ``Extremes``): the mergeable
  summary of every batch seen;
* a :class:`Plan`, specialised at fit time from the state: the arrays the
  per-call path applies, and the problem (constant column, too few rows)
  that stops it, if any.

For distributed fitting (Dask and the like): fit an unfitted copy
(:meth:`Fitted._blank`) with ``partial_fit`` on each partition (that never
raises for a constant partition), ship the pickled objects, and ``sum`` them.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Hashable
from typing import Any, ClassVar

import numpy as np
from ml_infra.preprocessing._blocks import every
from ml_infra.preprocessing._dask import dask_kind, fit_partitions, map_partitions
from ml_infra.preprocessing._documents import Documented, S
from ml_infra.preprocessing._errors import (
    InfiniteValueError,
    NotFittedError,
    StateError,
)
from ml_infra.preprocessing._layout import Layout, Read, columns_parameter, describe_layout
from ml_infra.preprocessing._nonfinite import NanPolicy, check_nan_policy, explain_nonfinite
from ml_infra.preprocessing._plan import SMALL, Plan, run
from ml_infra.preprocessing._state import KINDS
from ml_infra.preprocessing._statistics import (
    Vector,
    empty_error,
)
from ml_infra.preprocessing._tables import Matrix, Table, read_input, rebuild, table_values
from ml_infra.preprocessing._text import describe, safe_repr

__all__ = ["Fitted", "S"]


class Fitted(Documented[S]):
    """Shared base: subclasses define their parameters, state and plan (JSON: ``Documented``)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not cls.__name__.startswith("_"):
            KINDS[cls.__name__] = cls

    _version: ClassVar[int] = 1
    _layout: Layout | None
    _state: S | None
    _plan: Plan | None

    def __init__(self, columns: object = None, nan_policy: object = "raise") -> None:
        name = type(self).__name__
        self.nan_policy: NanPolicy = check_nan_policy(nan_policy, name)
        self.columns: tuple[Hashable, ...] | None = columns_parameter(columns, name)
        self._layout, self._state, self._plan = None, None, None
        self._width = -1

    # -- what subclasses define -------------------------------------------------
    def _summarise(self, x: Matrix, *, omit: bool) -> S:
        raise NotImplementedError

    def _merge_states(self, a: S, b: S) -> S:
        raise NotImplementedError

    def _counts(self, state: S) -> Any:
        return state.n

    def _make_plan(self, state: S, layout: Layout) -> Plan:
        raise NotImplementedError

    def _params(self) -> dict[str, Any]:
        raise NotImplementedError

    # -- fitting ----------------------------------------------------------------
    def _read(self, data: object, func: str, layout: Layout | None) -> Read:
        frame = read_input(data, func)
        if layout is None:
            layout = Layout.choose(frame, self.columns, func)
            positions = layout.fitted
        else:
            positions = layout.match(frame, func)
        return Read(frame, layout, positions, table_values(frame, positions, func))

    def _state_of(self, frame: Table, positions: tuple[int, ...], x: Matrix, func: str) -> S:
        omit = self.nan_policy == "omit"
        if x.shape[0] == 0:
            raise empty_error(func, frame, positions, np.zeros(0, dtype=np.int64))
        state = self._summarise_checked(frame, positions, x, func, omit=False)
        if state is None:  # NaN allowed, and present
            state = self._summarise_checked(frame, positions, x, func, omit=True)
        counts = self._counts(state)  # type: ignore[arg-type]
        if omit and not (counts > 0).all():
            raise empty_error(func, frame, positions, counts)
        return state  # type: ignore[return-value]

    def _summarise_checked(
        self, frame: Table, positions: tuple[int, ...], x: Matrix, func: str, *, omit: bool
    ) -> S | None:
        state = self._summarise(x, omit=omit)
        if not all(every(np.isfinite(v)) for v in self._finite_parts(state)):
            if not omit:
                explain_nonfinite(x, frame, positions, func, nan_ok=self.nan_policy == "omit")
                if np.isnan(x).any():
                    return None
            raise InfiniteValueError(
                f"{func}: the statistics of the data overflow float64 (values too large, "
                f"up to {describe(float(np.nanmax(np.abs(x))))}); rescale the data first"
            )
        return state

    def _finite_parts(self, state: S) -> tuple[Vector, ...]:
        raise NotImplementedError

    def fit(self, data: object) -> Any:
        """Fit the statistics on ``data``, replacing any earlier fit.

        Args:
            data: 1-D data, a 2-D ndarray, or a pandas/polars DataFrame.

        Returns:
            The object itself, fitted.

        Raises:
            PreprocessingError: the data is empty, not numeric, holds NaN
                (``nan_policy="raise"``) or infinity, has a constant column
                (``constant="error"``), or too few rows for ``ddof``; the
                object is then left as it was.

        Example:
            >>> from ml_infra.preprocessing import StandardScaler
            >>> StandardScaler().fit(np.array([[1.0, 10.0], [3.0, 30.0]])).mean_.tolist()
            [2.0, 20.0]
        """
        func = f"{type(self).__name__}.fit"
        kind = dask_kind(data)
        if kind is None:
            self._fit(data, func)
            return self
        fitted = fit_partitions(self._mergeable_blank(func), data, kind, func)
        plan = self._make_plan(fitted._state, fitted._layout)
        if plan.problem is not None:
            plan.problem.raise_for(func)
        return self._set(fitted._layout, fitted._state, plan)

    def _mergeable_blank(self, func: str) -> Any:
        """An unfitted copy to fit partitions with (subclasses refuse when states cannot merge)."""
        return self._blank()

    def _fit(self, data: object, func: str) -> Read:
        read = self._read(data, func, None)
        state = self._state_of(read.frame, read.positions, read.values, func)
        plan = self._make_plan(state, read.layout)
        if plan.problem is not None:
            plan.problem.raise_for(func)
        self._set(read.layout, state, plan)
        return read

    def partial_fit(self, data: object) -> Any:
        """Add a batch to the statistics; the first batch fits the columns.

        A batch may have a constant column or a single row: the problem is
        reported by ``transform`` while it lasts, not here.

        Args:
            data: A batch with the fitted columns (any kind ``fit`` takes).

        Returns:
            The object itself.

        Raises:
            PreprocessingError: as ``fit`` for the batch's values, or
                ``DataShapeError`` when its columns differ from the fitted ones.

        Example:
            >>> from ml_infra.preprocessing import MinMaxScaler
            >>> scaler = MinMaxScaler().partial_fit([1.0, 3.0]).partial_fit([5.0])
            >>> scaler.transform([3.0])
            [0.5]
        """
        func = f"{type(self).__name__}.partial_fit"
        kind = dask_kind(data)
        if kind is not None:
            fitted = fit_partitions(self._mergeable_blank(func), data, kind, func)
            if self._state is not None:
                fitted = self + fitted
            return self._set(fitted._layout, fitted._state)
        read = self._read(data, func, self._layout)
        state = self._state_of(read.frame, read.positions, read.values, func)
        if self._state is not None:
            state = self._merge_states(self._state, state)
        return self._set(read.layout, state)

    def _planned(self) -> Plan | None:
        """The fitted state's plan, made on first use after ``partial_fit`` or a merge."""
        state, plan = self._state, self._plan
        if plan is None and state is not None:
            plan = self._make_plan(state, self._layout)  # type: ignore[arg-type]
            if self._state is state:  # kept unless a partial_fit replaced the state meanwhile
                self._plan = plan
        return plan

    def _ready(self, func: str) -> Plan:
        plan = self._planned()
        if plan is None:
            name = type(self).__name__
            raise NotFittedError(f"{func}: this {name} is not fitted yet; call fit first")
        if plan.problem is not None:
            plan.problem.raise_for(func)
        return plan

    # -- transforming -----------------------------------------------------------
    def transform(self, data: object) -> Any:
        """Apply the fitted statistics to ``data``; the result has ``data``'s kind.

        Args:
            data: Data with the fitted columns: DataFrame columns by name, in
                any order; an array with the fitted column count; 1-D data
                for an object fitted on one column. One row is fine.

        Returns:
            A float64 result of the input's kind; other columns pass through.

        Raises:
            NotFittedError: nothing was fitted yet.
            DataShapeError: the columns differ from the fitted ones (named).
            PreprocessingError: NaN (``nan_policy="raise"``) or infinity in
                ``data``, or a fitted state that cannot transform yet.

        Example:
            >>> from ml_infra.preprocessing import StandardScaler
            >>> StandardScaler().fit([1.0, 2.0, 3.0]).transform([2.0, 5.0])
            [0.0, 3.0]
        """
        plan = self._plan
        if (
            plan is not None
            and plan.problem is None
            and type(data) is np.ndarray
            and data.dtype == np.float64
            and data.ndim == 2
            and data.shape[1] == self._width
        ):  # the serving path: one allocation, one finiteness check
            out = np.empty_like(data)
            if data.size < SMALL:  # one row: no call through run (a tenth of a microsecond)
                plan.forward(data, out)
            else:
                run(plan.forward, data, out)
            if not math.isfinite(np.add.reduce(out, axis=None)):
                func = f"{type(self).__name__}.transform"
                frame = read_input(data, func)
                explain_nonfinite(
                    data,
                    frame,
                    tuple(range(frame.n_columns)),
                    func,
                    nan_ok=self.nan_policy == "omit",
                )
            return out
        return self._apply(data, "transform", Plan.forward)

    def _apply(
        self, data: object, method: str, step: Callable[[Plan, Matrix, Matrix], None]
    ) -> Any:
        func = f"{type(self).__name__}.{method}"
        plan = self._ready(func)
        kind = dask_kind(data)
        if kind is not None:  # lazy: the fitted object is mapped over the partitions
            return map_partitions(getattr(self, method), data, kind, func)
        read = self._read(data, func, self._layout)
        x = read.values
        out = np.empty_like(x, dtype=np.float64)
        run(functools.partial(step, plan), x, out)
        if x.size and not math.isfinite(np.add.reduce(out, axis=None)):
            explain_nonfinite(x, read.frame, read.positions, func, nan_ok=self.nan_policy == "omit")
        return rebuild(read.frame, read.positions, out)

    def fit_transform(self, data: object) -> Any:
        """Fit on ``data`` and return it transformed, reading it once.

        Args:
            data: As for ``fit``.

        Returns:
            ``fit(data).transform(data)``.

        Raises:
            PreprocessingError: as ``fit``.

        Example:
            >>> from ml_infra.preprocessing import MinMaxScaler
            >>> MinMaxScaler().fit_transform((0, 5, 10))
            (0.0, 0.5, 1.0)
        """
        if dask_kind(data) is not None:  # fitted on the workers now, transformed lazily
            return self.fit(data).transform(data)
        func = f"{type(self).__name__}.fit_transform"
        read = self._fit(data, func)
        plan, x = self._plan, read.values
        assert plan is not None
        out = np.empty_like(x, dtype=np.float64)
        run(plan.forward, x, out)
        return rebuild(read.frame, read.positions, out)

    # -- merging ----------------------------------------------------------------
    def __add__(self, other: object) -> Any:
        """A new object fitted on the data of both (``sum(parts)`` works too); neither changes.

        Raises:
            StateError: other class, parameters or columns.
            NotFittedError: either object is not fitted.
        """
        if not isinstance(other, Fitted):
            return NotImplemented
        name = type(self).__name__
        if type(other) is not type(self):
            raise StateError(f"{name}.__add__: cannot merge a {type(other).__name__} into a {name}")
        if self._params() != other._params():
            raise StateError(
                f"{name}.__add__: the parameters differ, got {self._params()} and {other._params()}"
            )
        if self._state is None or other._state is None:
            raise NotFittedError(f"{name}.__add__: both objects must be fitted to merge them")
        if self._layout != other._layout:
            raise StateError(
                f"{name}.__add__: the objects were fitted on different columns, got "
                f"{describe_layout(self._layout)} and {describe_layout(other._layout)}"
            )
        state = self._merge_states(self._state, other._state)
        return self._blank()._set(self._layout, state)

    def __radd__(self, other: object) -> Any:
        if (
            isinstance(other, int) and not isinstance(other, bool) and other == 0
        ):  # sum() starts at 0
            if self._state is None:
                raise NotFittedError(
                    f"{type(self).__name__}.__add__: both objects must be fitted to merge them"
                )
            return self._blank()._set(self._layout, self._state)
        return NotImplemented

    def _blank(self) -> Any:
        """An unfitted object with the same parameters."""
        return type(self)(**self._params())

    def _set(self, layout: Layout, state: S, plan: Plan | None = None) -> Any:
        """Install a fitted state (its plan, unless given, is made on first use); returns the object.

        ``partial_fit`` over many batches thus makes one plan, not one per batch.
        """
        self._layout, self._state, self._plan = layout, state, plan
        # The serving path's one check: every column, in fitted order, is transformed.
        in_order = layout.fitted == tuple(range(layout.count))
        self._width = layout.count if in_order else -1
        return self

    # -- attributes -------------------------------------------------------------
    def _fitted_state(self, attribute: str) -> S:
        if self._state is None:
            name = type(self).__name__
            raise NotFittedError(
                f"{name}.{attribute}: this {name} is not fitted yet; call fit first"
            )
        return self._state

    @property
    def n_features_in_(self) -> int:
        """How many columns the fitted data had."""
        self._fitted_state("n_features_in_")
        return self._layout.count  # type: ignore[union-attr]

    @property
    def feature_names_in_(self) -> np.ndarray[Any, np.dtype[Any]]:
        """The fitted DataFrame's column names (an ``AttributeError`` when fitted on arrays)."""
        self._fitted_state("feature_names_in_")
        names = self._layout.names  # type: ignore[union-attr]
        if names is None:
            raise AttributeError(f"{type(self).__name__} was fitted on data without column names")
        return np.array(names, dtype=object)

    @property
    def n_samples_seen_(self) -> Any:
        """Values seen per fitted column: an int, or an array when NaN made them differ."""
        counts = self._counts(self._fitted_state("n_samples_seen_"))
        return int(counts[0]) if (counts == counts[0]).all() else counts.copy()

    def __repr__(self) -> str:
        defaults = type(self)()._params()
        shown = []
        for key, value in self._params().items():
            if defaults[key] != value:
                attribute = getattr(self, key)  # as it was passed: a tuple stays a tuple
                attribute = list(attribute) if key == "columns" else attribute
                shown.append(f"{key}={safe_repr(attribute, 60)}")
        return f"{type(self).__name__}({', '.join(shown)})"
