"""Exceptions raised by ``ml_infra.metrics``.

Every error subclasses :class:`MetricsError`, so ``except MetricsError`` catches
all of them; each concrete error also subclasses the matching builtin
(``ValueError`` or ``TypeError``), so ``except ValueError`` keeps working.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "ContinuousLabelsError",
    "EmptyInputError",
    "InvalidInputTypeError",
    "InvalidParameterError",
    "InvalidShapeError",
    "LengthMismatchError",
    "MetricsError",
    "MissingLabelsError",
    "MixedLabelTypesError",
    "UnknownClassError",
]

_SHOWN = 10


def format_list(values: list[Any]) -> str:
    """Render values for a message as a Python list of their reprs, eliding after ten.

    Args:
        values: Positions, classes, ...

    Returns:
        E.g. ``['cat', 'dog']`` or ``[0, 1, ... (25 in all)]``.

    Example:
        >>> format_list(list(range(12)))
        '[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, ... (12 in all)]'
    """
    text = ", ".join(repr(v) for v in values[:_SHOWN])
    if len(values) > _SHOWN:
        text += f", ... ({len(values)} in all)"
    return f"[{text}]"


class MetricsError(Exception):
    """Base class of every error ``ml_infra.metrics`` raises.

    Concrete errors also subclass the matching builtin (``ValueError``,
    ``TypeError``), so ``except ValueError`` keeps working.
    """


class InvalidInputTypeError(MetricsError, TypeError):
    """``predictions`` or ``labels`` is not a sequence of labels (None, a scalar, a dict...)."""


class InvalidShapeError(MetricsError, ValueError):
    """``predictions`` or ``labels`` is not one-dimensional."""


class LengthMismatchError(MetricsError, ValueError):
    """``predictions`` and ``labels`` hold different numbers of samples."""


class EmptyInputError(MetricsError, ValueError):
    """A score that needs at least one sample was asked of empty input."""


class MissingLabelsError(MetricsError, ValueError):
    """``predictions`` or ``labels`` holds None or NaN; the message gives the positions."""


class MixedLabelTypesError(MetricsError, TypeError):
    """Labels mix strings and numbers (within one array, or between the two)."""


class ContinuousLabelsError(MetricsError, ValueError):
    """Labels are continuous floats (such as 0.7 or inf), not class labels."""


class InvalidParameterError(MetricsError, ValueError):
    """An option (``average``, ``zero_division``, ``normalize``, ``classes``...) is not valid."""


class UnknownClassError(MetricsError, ValueError):
    """``positive_class`` occurs in neither ``predictions`` nor ``labels``."""
