"""Exceptions raised by ``ml_infra.preprocessing``.

Every error subclasses :class:`PreprocessingError` and the matching builtin
(``ValueError`` or ``TypeError``), so both ``except PreprocessingError`` and
``except ValueError`` work. Errors about particular values carry their
``positions`` (0-based, sorted) and ``count``.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any

from ml_infra.preprocessing._text import safe_repr

__all__ = [
    "ConstantDataError",
    "DataShapeError",
    "DataTypeError",
    "EmptyDataError",
    "InfiniteValueError",
    "MissingValueError",
    "NotFittedError",
    "OutOfRangeError",
    "ParameterError",
    "PreprocessingError",
    "StateError",
]

#: How many positions, labels or columns a message shows before eliding the rest.
SHOWN = 10


def _bracketed(items: Iterable[Any], render: Callable[[Any], str]) -> str:
    shown = list(items)
    text = ", ".join(render(item) for item in shown[:SHOWN])
    if len(shown) > SHOWN:
        text += f", ... ({len(shown)} in all)"
    return f"[{text}]"


def format_positions(positions: Iterable[int]) -> str:
    """Render positions for a message: ``[1, 4, 7]``, eliding after ten.

    Args:
        positions: Sorted 0-based positions.

    Returns:
        The positions as a bracketed list, e.g. ``[0, 3, ... (25 in all)]``.

    Example:
        >>> format_positions([1, 4])
        '[1, 4]'
    """
    return _bracketed(positions, str)


def format_labels(names: Iterable[Hashable]) -> str:
    """Render column names or row labels for a message: ``['a', 1]``, eliding after ten.

    Args:
        names: Column or row labels, or positions.

    Returns:
        The names shown with the safe describer, in brackets.

    Example:
        >>> format_labels(["a", 1])
        "['a', 1]"
    """
    return _bracketed(names, safe_repr)


class PreprocessingError(Exception):
    """Base class of every error ``ml_infra.preprocessing`` raises.

    Concrete errors also subclass the matching builtin (``ValueError``,
    ``TypeError``), so ``except ValueError`` keeps working.
    """


class _PositionalError(PreprocessingError):
    """An error about particular values, with their positions."""

    def __init__(self, message: str, positions: Iterable[int] = ()) -> None:
        super().__init__(message)
        self.positions: tuple[int, ...] = tuple(positions)

    @property
    def count(self) -> int:
        """How many values are at fault."""
        return len(self.positions)


class DataTypeError(_PositionalError, TypeError):
    """The data is not a 1-D sequence of real numbers.

    Raised for ``None``, scalars, strings, dicts, sets and other non-sequences
    passed as data, for boolean data, and for elements that are not real
    numbers (``positions`` then lists where they are).

    Example:
        >>> from ml_infra.preprocessing import normalize
        >>> try:
        ...     normalize([1.0, "2", 3.0])
        ... except TypeError as exc:  # or DataTypeError, PreprocessingError
        ...     exc.positions
        (1,)
    """


class DataShapeError(PreprocessingError, ValueError):
    """The data has the wrong shape: not 1-D for a function, or other columns than were fitted."""


class EmptyDataError(PreprocessingError, ValueError):
    """The data has no values, and the operation needs some."""


class ConstantDataError(PreprocessingError, ValueError):
    """All values are identical (zero range or zero standard deviation)."""


class MissingValueError(_PositionalError, ValueError):
    """The data holds missing values (``None``, NaN, pandas ``NA``/``NaT``).

    ``positions`` lists where they are.
    """


class InfiniteValueError(_PositionalError, ValueError):
    """The data holds positive or negative infinity; ``positions`` lists where."""


class OutOfRangeError(_PositionalError, ValueError):
    """Values fall outside the allowed range (raised by ``validate_range``).

    ``positions`` lists the offending values' positions; ``min_value`` and
    ``max_value`` are the bounds that were checked. For a table,
    ``positions`` are the rows with an offending value and ``columns`` maps
    each offending column to its rows (index labels for a pandas DataFrame,
    positions otherwise); for 1-D data ``columns`` is ``None``.
    """

    def __init__(
        self,
        message: str,
        positions: Iterable[int] = (),
        *,
        min_value: float | None = None,
        max_value: float | None = None,
        columns: Mapping[Hashable, tuple[Hashable, ...]] | None = None,
    ) -> None:
        super().__init__(message, positions)
        self.min_value = min_value
        self.max_value = max_value
        self.columns = columns


class ParameterError(PreprocessingError, ValueError):
    """An argument other than the data is invalid (percentiles, bounds, ...)."""


class NotFittedError(PreprocessingError, ValueError, AttributeError):
    """A fitted object was used before ``fit`` (as scikit-learn's, also an ``AttributeError``).

    Example:
        >>> from ml_infra.preprocessing import StandardScaler
        >>> try:
        ...     StandardScaler().transform([1.0])
        ... except AttributeError as exc:  # or NotFittedError, ValueError
        ...     print(exc)
        StandardScaler.transform: this StandardScaler is not fitted yet; call fit first
    """


class StateError(PreprocessingError, ValueError):
    """A saved state cannot be used: an invalid JSON document, or states that do not merge."""
