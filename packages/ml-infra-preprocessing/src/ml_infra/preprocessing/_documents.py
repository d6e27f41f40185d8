"""Fitted objects from their JSON documents: the kind's checks, then the object, whole.

The classes register themselves (``_state.KINDS``) as they are defined, so
this module needs none of them imported.
"""

from __future__ import annotations

from typing import Any

from ml_infra.preprocessing._errors import PreprocessingError, StateError
from ml_infra.preprocessing._layout import Layout
from ml_infra.preprocessing._state import (
    KINDS,
    Document,
    read_document,
)
from ml_infra.preprocessing._text import safe_repr

__all__ = ["build", "from_json"]


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
