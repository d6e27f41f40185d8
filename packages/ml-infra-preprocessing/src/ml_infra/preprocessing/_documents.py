"""The JSON side of the fitted objects: writing their documents, and rebuilding them whole.

:class:`Documented` gives every fitted class ``to_json`` and ``from_json``;
:func:`build` checks a document part by part and only then makes the object.
The classes register themselves (``_state.KINDS``) as they are defined, so
this module needs none of them imported.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, ClassVar, Generic, TypeVar

import numpy as np
from ml_infra.preprocessing._errors import PreprocessingError, StateError
from ml_infra.preprocessing._layout import Layout
from ml_infra.preprocessing._state import (
    KINDS,
    Document,
    check_counts,
    check_floats,
    json_names,
    mapping,
    read_document,
    write_document,
)
from ml_infra.preprocessing._statistics import Summary
from ml_infra.preprocessing._text import safe_repr

__all__ = ["Documented", "S", "build", "from_json"]

S = TypeVar("S", bound=Summary)


class Documented(Generic[S]):
    """``to_json``/``from_json`` for a fitted class (mixed into ``_fitted.Fitted``)."""

    #: The state's class and the JSON names of its two per-column arrays (after ``n``).
    _state_type: ClassVar[Callable[..., Any]]
    _statistic_names: ClassVar[tuple[str, str]]
    _layout: Layout | None
    columns: tuple[Hashable, ...] | None

    def _params(self) -> dict[str, Any]:
        raise NotImplementedError

    def _fitted_state(self, attribute: str) -> S:
        raise NotImplementedError

    def to_json(self) -> str:
        """The fitted object as a versioned JSON document, its floats written exactly.

        Returns:
            ``{"kind", "version", "params", "columns", "statistics"}`` as JSON
            text; :func:`ml_infra.preprocessing.from_json` rebuilds an object
            whose ``transform`` is bit-identical.

        Raises:
            NotFittedError: nothing was fitted yet.
            StateError: a column name JSON cannot carry (not ``str`` or ``int``).

        Example:
            >>> from ml_infra.preprocessing import MinMaxScaler
            >>> MinMaxScaler().fit([0.1, 0.7]).to_json()[:40]
            '{"kind": "MinMaxScaler", "version": 1, "'
        """
        func = f"{type(self).__name__}.to_json"
        state = self._fitted_state("to_json")
        layout = self._layout
        assert layout is not None
        params = self._params()
        if self.columns is not None:
            params["columns"] = json_names(self.columns, func)
        statistics = self._statistics(state)
        return write_document(type(self).__name__, params, layout.to_document(func), statistics)

    def _statistics(self, state: S) -> dict[str, Any]:
        """The document's ``statistics``: ``n`` and the state's two per-column arrays."""
        n, first, second = state.parts()
        a, b = self._statistic_names
        return {"n": n.tolist(), a: first.tolist(), b: second.tolist()}

    def _read_statistics(self, statistics: object, width: int, func: str) -> S:
        """The state from a document's ``statistics``, checked (the inverse of ``_statistics``)."""
        a, b = self._statistic_names
        stats = mapping(statistics, "statistics", ("n", a, b), func)
        n = np.array(check_counts(stats["n"], "statistics.n", width, func, minimum=1), np.int64)
        state: S = self._state_type(
            n,
            check_floats(stats[a], f"statistics.{a}", width, func),
            check_floats(stats[b], f"statistics.{b}", width, func),
        )
        self._check_state(state, func)
        return state

    @classmethod
    def from_json(cls, text: str | bytes) -> Any:
        """Rebuild a fitted object of this class from :meth:`to_json`'s document.

        Args:
            text: The JSON text.

        Returns:
            The fitted object.

        Raises:
            StateError: the document is invalid, newer, or of another kind.

        Example:
            >>> from ml_infra.preprocessing import StandardScaler
            >>> text = StandardScaler().fit([1.0, 3.0]).to_json()
            >>> StandardScaler.from_json(text).mean_.tolist()
            [2.0]
        """
        func = f"{cls.__name__}.from_json"
        return build(read_document(text, func), func, cls)

    def _check_state(self, state: S, func: str) -> None:
        """Refuse statistics that no data can give (a negative variance, min > max)."""
        raise NotImplementedError


def build(document: Document, func: str, expected: type[Any] | None) -> Any:
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
    state = blank._read_statistics(document.statistics, len(layout.fitted), func)
    return blank._set(layout, state)


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
    return build(read_document(text, "from_json"), "from_json", None)
