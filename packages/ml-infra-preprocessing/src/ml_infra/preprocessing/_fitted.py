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

import math
from collections.abc import Callable, Hashable
from typing import Any, ClassVar, Generic, TypeVar

import numpy as np
from ml_infra.preprocessing._errors import (
    InfiniteValueError,
    NotFittedError,
    PreprocessingError,
    StateError,
)
from ml_infra.preprocessing._layout import Layout, Read, columns_parameter, describe_layout
from ml_infra.preprocessing._numeric import NanPolicy, check_nan_policy
from ml_infra.preprocessing._plan import Plan
from ml_infra.preprocessing._state import (
    check_counts,
    check_floats,
    json_names,
    mapping,
    read_document,
    write_document,
)
from ml_infra.preprocessing._statistics import (
    Summary,
    Vector,
    blocks,
    empty_error,
    explain_nonfinite,
)
from ml_infra.preprocessing._tables import Frame, Matrix, frame_values, read_frame, rebuild
from ml_infra.preprocessing._text import describe, safe_repr

__all__ = ["KINDS", "Fitted", "S", "from_json"]

S = TypeVar("S", bound=Summary)
_SMALL = 1 << 16  # below this many values, one plain NumPy expression is fastest


#: The public fitted classes by name: the ``kind`` of their JSON documents.
KINDS: dict[str, type[Fitted[Any]]] = {}


class Fitted(Generic[S]):
    """Shared base: subclasses define their parameters, state and plan."""

    #: The state's class and the JSON names of its two per-column arrays (after ``n``).
    _state_type: ClassVar[Callable[..., Any]]
    _statistic_names: ClassVar[tuple[str, str]]

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
        self._set(read.layout, state, plan)
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
            and data.shape[1] == self._width
        ):  # the serving path: one allocation, one finiteness check
            out = np.empty_like(data)
            plan.forward(data, out) if data.size < _SMALL else _blockwise(plan.forward, data, out)
            if not math.isfinite(np.add.reduce(out, axis=None)):
                func = f"{type(self).__name__}.transform"
                frame = read_frame(data, func)
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
        read = self._read(data, func, self._layout)
        x = read.values
        out = np.empty_like(x, dtype=np.float64)

        def work(a: Matrix, b: Matrix) -> None:
            step(plan, a, b)

        work(x, out) if x.size < _SMALL else _blockwise(work, x, out)
        if x.size and not math.isfinite(np.add.reduce(out, axis=None)):
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
        """Install a fitted state (its plan made here unless given); returns the object."""
        self._layout, self._state = layout, state
        self._plan = self._make_plan(state, layout) if plan is None else plan
        # The serving path's one check: every column, in fitted order, is transformed.
        every = layout.fitted == tuple(range(layout.count))
        self._width = layout.count if every else -1
        return self

    # -- JSON -------------------------------------------------------------------
    def to_json(self) -> str:
        """The fitted object as a versioned JSON document; floats are written exactly.

        :func:`ml_infra.preprocessing.from_json` (or ``from_json`` of the
        class) rebuilds an object whose ``transform`` is bit-identical.
        """
        func = f"{type(self).__name__}.to_json"
        state = self._fitted_state("to_json")
        n, first, second = state.parts()
        layout = self._layout
        assert layout is not None
        params = self._params()
        if self.columns is not None:
            params["columns"] = json_names(self.columns, func)
        a, b = self._statistic_names
        statistics = {"n": n.tolist(), a: first.tolist(), b: second.tolist()}
        return write_document(type(self).__name__, params, layout.to_document(func), statistics)

    @classmethod
    def from_json(cls, text: str | bytes) -> Any:
        """Rebuild a fitted object of this class from :meth:`to_json`'s document.

        Raises:
            StateError: the document is invalid, of another kind, or newer.
        """
        func = f"{cls.__name__}.from_json"
        return _build(read_document(text, func), func, cls)

    def _check_state(self, state: S, func: str) -> None:
        """Refuse statistics that no data can give (a negative variance, min > max)."""
        raise NotImplementedError

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


def _blockwise(step: Callable[[Matrix, Matrix], None], x: Matrix, out: Matrix) -> None:
    """``step`` over cache-sized row blocks (in threads for large data)."""
    blocks(x, lambda rows: step(x[rows], out[rows]))


def _build(document: Any, func: str, expected: type[Fitted[Any]] | None) -> Any:
    """A fitted object from a checked document; nothing is built until all of it passed."""
    cls = KINDS.get(document.kind)
    if cls is None:
        raise StateError(
            f"{func}: unknown kind {safe_repr(document.kind)}; this version reads {sorted(KINDS)}"
        )
    if expected is not None and cls is not expected:
        raise StateError(
            f"{func}: the document is a {cls.__name__}, not a {expected.__name__}; "
            "ml_infra.preprocessing.from_json loads any kind"
        )
    params = document.params
    try:
        blank = cls(**params)
    except PreprocessingError as exc:
        raise StateError(f"{func}: the params are invalid: {exc}") from None
    except TypeError:
        raise StateError(
            f"{func}: params must be the arguments of {cls.__name__}, got {sorted(params)}"
        ) from None
    layout = Layout.from_document(document.columns, func)
    if layout.fitted != layout.picks(blank.columns):
        raise StateError(
            f"{func}: columns.fitted must match the columns= parameter and the column names, "
            f"got {list(layout.fitted)}"
        )
    a, b = cls._statistic_names
    stats = mapping(document.statistics, "statistics", ("n", a, b), func)
    width = len(layout.fitted)
    n = np.array(check_counts(stats["n"], "statistics.n", width, func, minimum=1), dtype=np.int64)
    state = cls._state_type(
        n,
        check_floats(stats[a], f"statistics.{a}", width, func),
        check_floats(stats[b], f"statistics.{b}", width, func),
    )
    blank._check_state(state, func)
    return blank._set(layout, state)


def _chosen(columns: tuple[Hashable, ...] | None, layout: Layout) -> tuple[int, ...] | None:
    """The positions ``columns=`` picks in ``layout``, or ``None`` when it names no column there."""
    if columns is None:
        return tuple(range(layout.count))
    labels = layout.names if layout.names is not None else range(layout.count)
    where = {name: i for i, name in enumerate(labels)}
    if not all(type(c) in (str, int) and c in where for c in columns):
        return None
    return tuple(where[c] for c in columns)


def from_json(text: str | bytes) -> Any:
    """Rebuild any fitted object from its JSON document (dispatching on ``kind``).

    Args:
        text: What ``to_json()`` returned.

    Returns:
        A fitted ``StandardScaler``, ``MinMaxScaler`` or ``OutlierClipper``
        whose ``transform`` is bit-identical to the original's.

    Raises:
        StateError: the text is not a valid document (unknown kind, newer
            version, missing or mistyped fields, NaN, wrong lengths...).

    Example:
        >>> from ml_infra.preprocessing import StandardScaler, from_json
        >>> text = StandardScaler().fit([1.0, 2.0, 3.0]).to_json()
        >>> from_json(text).transform([4.0])
        [2.0]
    """
    return _build(read_document(text, "from_json"), "from_json", None)
