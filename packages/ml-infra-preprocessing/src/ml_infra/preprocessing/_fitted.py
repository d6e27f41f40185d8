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

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, NamedTuple, TypeVar

import numpy as np
from ml_infra.preprocessing._errors import (
    DataShapeError,
    InfiniteValueError,
    NotFittedError,
    ParameterError,
    PreprocessingError,
    StateError,
)
from ml_infra.preprocessing._numeric import NanPolicy, check_nan_policy
from ml_infra.preprocessing._statistics import Vector, blocks, empty_error, explain_nonfinite
from ml_infra.preprocessing._tables import Frame, Matrix, frame_values, read_frame, rebuild
from ml_infra.preprocessing._text import describe, safe_repr

__all__ = ["Fitted", "Layout", "Plan", "Problem", "S"]

S = TypeVar("S")
_SMALL = 1 << 16  # below this many values, one plain NumPy expression is fastest


def _names_text(names: list[Any]) -> str:
    return (
        "["
        + ", ".join(safe_repr(n) for n in names[:10])
        + (", ..." if len(names) > 10 else "")
        + "]"
    )


@dataclass(frozen=True, slots=True)
class Layout:
    """The columns an object was fitted on, and the ones it transforms.

    Attributes:
        names: The DataFrame's column labels, or ``None`` for arrays and 1-D data.
        count: How many columns the fitted data had (``n_features_in_``).
        fitted: The positions (among ``count``) of the transformed columns.
        one_d: Fitted on 1-D data.
    """

    names: tuple[Hashable, ...] | None
    count: int
    fitted: tuple[int, ...]
    one_d: bool

    @classmethod
    def choose(cls, frame: Frame, columns: tuple[Hashable, ...] | None, func: str) -> Layout:
        """The layout of a first fit on ``frame``, with the ``columns=`` choice."""
        if frame.names is not None and len(set(frame.names)) != len(frame.names):
            seen: set[Hashable] = set()
            twice = [n for n in frame.names if n in seen or seen.add(n)]  # type: ignore[func-returns-value]
            raise DataShapeError(
                f"{func}: column names must be unique, got {_names_text(twice)} twice"
            )
        if columns is None:
            fitted = tuple(range(frame.n_columns))
        elif frame.names is not None:
            where = {name: i for i, name in enumerate(frame.names)}
            missing = [c for c in columns if c not in where]
            if missing:
                raise DataShapeError(
                    f"{func}: columns= names columns the data does not have, got {_names_text(missing)}; "
                    f"the data has {_names_text(list(frame.names))}"
                )
            fitted = tuple(where[c] for c in columns)
        else:
            bad = [c for c in columns if type(c) is not int or not 0 <= c < frame.n_columns]
            if bad or frame.kind == "1d":
                raise DataShapeError(
                    f"{func}: columns= must name DataFrame columns, or be positions in "
                    f"[0, {frame.n_columns}) for an array, got {_names_text(list(bad or columns))}"
                )
            fitted = tuple(columns)  # type: ignore[arg-type]
        return cls(frame.names, frame.n_columns, fitted, frame.kind == "1d")

    def match(self, frame: Frame, func: str) -> tuple[int, ...]:
        """Where the fitted columns are in ``frame``; a clear error when they differ."""
        if frame.names is None or self.names is None:
            if frame.n_columns != self.count:
                what = (
                    "1-D data is one column"
                    if frame.kind == "1d"
                    else f"data has {frame.n_columns} columns"
                )
                raise DataShapeError(
                    f"{func}: {what}, but this object was fitted on {self.count} columns"
                    + (
                        "; pass a 2-D array (x.reshape(1, -1) for one row)"
                        if frame.kind == "1d"
                        else ""
                    )
                )
            return self.fitted
        if frame.names == self.names:
            return self.fitted
        where = {name: i for i, name in enumerate(frame.names)}
        fitted = set(self.names)
        missing = [n for n in self.names if n not in where]
        unexpected = [n for n in frame.names if n not in fitted]
        if missing or unexpected or len(where) != len(frame.names):
            raise DataShapeError(
                f"{func}: the columns differ from the fitted ones, got missing columns "
                f"{_names_text(missing)} and unexpected columns {_names_text(unexpected)}"
            )
        return tuple(where[self.names[p]] for p in self.fitted)

    def label(self, k: int) -> str:
        """Name fitted column ``k`` in a message."""
        position = self.fitted[k]
        if self.names is None:
            return f"column {position}"
        return f"column {safe_repr(self.names[position])}"


class Read(NamedTuple):
    """One input read for fitting or transforming: its record, layout, columns and values."""

    frame: Frame
    layout: Layout
    positions: tuple[int, ...]
    values: Matrix


def plan_positions(frame: Frame) -> tuple[int, ...]:
    """Every column of ``frame``, in order."""
    return tuple(range(frame.n_columns))


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a fitted state cannot transform yet (constant columns, too few values)."""

    error: type[PreprocessingError]
    text: str

    def raise_for(self, func: str) -> None:
        """Raise the error, naming ``func``."""
        raise self.error(f"{func}: {self.text}")


@dataclass(frozen=True, slots=True)
class Plan:
    """The per-call arrays, specialised at fit time.

    ``forward(x) = (x - shift) / divisor * mul + add`` (``mul``/``add`` only
    when not the identity) or, with ``clip``, ``clip(x, shift, divisor)``.
    """

    shift: Vector
    divisor: Vector
    mul: float | None = None
    add: float | None = None
    clip: bool = False
    problem: Problem | None = None

    def forward(self, x: Matrix, out: Matrix) -> None:
        """Write the transform of ``x`` into ``out`` (``out`` may be ``x``)."""
        if self.clip:
            np.clip(x, self.shift, self.divisor, out=out)
            return
        np.subtract(x, self.shift, out=out)
        out /= self.divisor
        mul, add = self.mul, self.add
        if mul is not None and add is not None:
            out *= mul
            out += add

    def inverse(self, z: Matrix, out: Matrix) -> None:
        """Write the inverse transform of ``z`` into ``out``."""
        mul, add = self.mul, self.add
        if mul is not None and add is not None:
            np.subtract(z, add, out=out)
            out /= mul
            out *= self.divisor
        else:
            np.multiply(z, self.divisor, out=out)
        out += self.shift


class Fitted(Generic[S]):
    """Shared base: subclasses define their parameters, state and plan."""

    _version: ClassVar[int] = 1
    _layout: Layout | None
    _state: S | None
    _plan: Plan | None

    def __init__(self, columns: object = None, nan_policy: object = "raise") -> None:
        name = type(self).__name__
        self.nan_policy: NanPolicy = check_nan_policy(nan_policy, name)
        self.columns: tuple[Hashable, ...] | None = _columns_parameter(columns, name)
        self._layout, self._state, self._plan = None, None, None

    # -- what subclasses define -------------------------------------------------
    def _summarise(self, x: Matrix, *, omit: bool) -> S:
        raise NotImplementedError

    def _merge_states(self, a: S, b: S) -> S:
        raise NotImplementedError

    def _counts(self, state: S) -> Any:
        raise NotImplementedError

    def _make_plan(self, state: S, layout: Layout) -> Plan:
        raise NotImplementedError

    def _params(self) -> dict[str, Any]:
        raise NotImplementedError

    # -- fitting ----------------------------------------------------------------
    def _read(self, data: object, func: str, layout: Layout | None) -> Read:
        frame = read_frame(data, func)
        if layout is None:
            layout = Layout.choose(frame, self.columns, func)
            positions = layout.fitted
        else:
            positions = layout.match(frame, func)
        return Read(frame, layout, positions, frame_values(frame, positions, func))

    def _state_of(self, frame: Frame, positions: tuple[int, ...], x: Matrix, func: str) -> S:
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
        self, frame: Frame, positions: tuple[int, ...], x: Matrix, func: str, *, omit: bool
    ) -> S | None:
        state = self._summarise(x, omit=omit)
        if not all(np.isfinite(v).all() for v in self._finite_parts(state)):
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
        """Fit on ``data``; see the class docstring. Returns the object itself."""
        self._fit(data, f"{type(self).__name__}.fit")
        return self

    def _fit(self, data: object, func: str) -> Read:
        read = self._read(data, func, None)
        state = self._state_of(read.frame, read.positions, read.values, func)
        plan = self._make_plan(state, read.layout)
        if plan.problem is not None:
            plan.problem.raise_for(func)
        self._layout, self._state, self._plan = read.layout, state, plan
        return read

    def partial_fit(self, data: object) -> Any:
        """Add a batch to the fitted statistics (fit it, when nothing was fitted). Returns self."""
        func = f"{type(self).__name__}.partial_fit"
        read = self._read(data, func, self._layout)
        state = self._state_of(read.frame, read.positions, read.values, func)
        if self._state is not None:
            state = self._merge_states(self._state, state)
        return self._set(read.layout, state)

    def _ready(self, func: str) -> Plan:
        plan = self._plan
        if plan is None:
            name = type(self).__name__
            raise NotFittedError(f"{func}: this {name} is not fitted yet; call fit first")
        if plan.problem is not None:
            plan.problem.raise_for(func)
        return plan

    # -- transforming -----------------------------------------------------------
    def transform(self, data: object) -> Any:
        """Transform ``data`` with the fitted statistics; the result has ``data``'s kind."""
        plan = self._plan
        if (
            plan is not None
            and plan.problem is None
            and type(data) is np.ndarray
            and data.dtype == np.float64
            and data.ndim == 2
            and data.shape[1] == plan.shift.shape[0] == self._layout.count  # type: ignore[union-attr]
        ):  # the serving path: one allocation, one finiteness check
            out = np.empty_like(data)
            plan.forward(data, out) if data.size < _SMALL else _blockwise(plan.forward, data, out)
            if not np.isfinite(np.add.reduce(out, axis=None)):
                func = f"{type(self).__name__}.transform"
                frame = read_frame(data, func)
                explain_nonfinite(
                    data, frame, plan_positions(frame), func, nan_ok=self.nan_policy == "omit"
                )
            return out
        return self._apply(data, "transform", Plan.forward)

    def _apply(
        self, data: object, method: str, step: Callable[[Plan, Matrix, Matrix], None]
    ) -> Any:
        func = f"{type(self).__name__}.{method}"
        plan = self._ready(func)
        read = self._read(data, func, self._layout)
        x = read.values
        out = np.empty_like(x, dtype=np.float64)

        def work(a: Matrix, b: Matrix) -> None:
            step(plan, a, b)

        work(x, out) if x.size < _SMALL else _blockwise(work, x, out)
        if x.size and not np.isfinite(np.add.reduce(out, axis=None)):
            explain_nonfinite(x, read.frame, read.positions, func, nan_ok=self.nan_policy == "omit")
        return rebuild(read.frame, read.positions, out)

    def fit_transform(self, data: object) -> Any:
        """Fit on ``data`` and return it transformed (as ``fit(data).transform(data)``, one read)."""
        func = f"{type(self).__name__}.fit_transform"
        read = self._fit(data, func)
        plan, x = self._plan, read.values
        assert plan is not None
        out = np.empty_like(x, dtype=np.float64)
        plan.forward(x, out) if x.size < _SMALL else _blockwise(plan.forward, x, out)
        return rebuild(read.frame, read.positions, out)

    # -- merging ----------------------------------------------------------------
    def __add__(self, other: object) -> Any:
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
                f"{_describe_layout(self._layout)} and {_describe_layout(other._layout)}"
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

    def _set(self, layout: Layout, state: S) -> Any:
        self._layout, self._state, self._plan = layout, state, self._make_plan(state, layout)
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
        defaults = self._blank_defaults()
        shown = [
            f"{k}={safe_repr(v, 60)}" for k, v in self._params().items() if defaults.get(k) != v
        ]
        return f"{type(self).__name__}({', '.join(shown)})"

    def _blank_defaults(self) -> dict[str, Any]:
        return type(self)()._params()


def _blockwise(step: Callable[[Matrix, Matrix], None], x: Matrix, out: Matrix) -> None:
    """``step`` over cache-sized row blocks (in threads for large data)."""
    blocks(x, lambda rows: step(x[rows], out[rows]))


def _describe_layout(layout: Layout | None) -> str:
    if layout is None:
        return "nothing"
    if layout.names is not None:
        return f"columns {_names_text([layout.names[p] for p in layout.fitted])}"
    return f"{len(layout.fitted)} of {layout.count} columns"


def _columns_parameter(columns: object, func: str) -> tuple[Hashable, ...] | None:
    if columns is None:
        return None
    if isinstance(columns, list | tuple) and columns:
        items = tuple(columns)
        try:
            if len(set(items)) == len(items):
                return items
        except TypeError:  # an unhashable name
            pass
    raise ParameterError(
        f"{func}: columns must be None or a non-empty list of distinct column names, got {describe(columns)}"
    )
