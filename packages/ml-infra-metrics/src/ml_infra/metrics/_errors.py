"""Exceptions raised by ``ml_infra.metrics``.

Every error subclasses :class:`MetricsError`, so ``except MetricsError`` catches
all of them; each concrete error also subclasses the matching builtin
(``ValueError`` or ``TypeError``), so ``except ValueError`` keeps working.
"""

from __future__ import annotations

__all__ = [
    "ContinuousLabelsError",
    "EmptyInputError",
    "InvalidInputTypeError",
    "InvalidParameterError",
    "InvalidScoresError",
    "InvalidShapeError",
    "InvalidWeightsError",
    "LengthMismatchError",
    "MetricsError",
    "MissingLabelsError",
    "MixedLabelTypesError",
    "SingleClassError",
    "UnknownClassError",
]


class MetricsError(Exception):
    """Base class of every error ``ml_infra.metrics`` raises.

    Concrete errors also subclass the matching builtin (``ValueError``,
    ``TypeError``), so ``except ValueError`` keeps working.
    """


class InvalidInputTypeError(MetricsError, TypeError):
    """``predictions`` or ``labels`` is not a sequence of labels (None, a scalar, a dict...)."""


class InvalidShapeError(MetricsError, ValueError):
    """An input has the wrong shape: 2-D beside 1-D, ragged or one-column indicator rows."""


class InvalidScoresError(MetricsError, ValueError):
    """Scores are NaN or infinite, probabilities lie outside [0, 1], or rows do not sum to one."""


class SingleClassError(MetricsError, ValueError):
    """A score needs both classes (or every declared class) in ``labels`` but one is missing."""


class InvalidWeightsError(MetricsError, ValueError):
    """``sample_weight`` holds NaN, infinite or negative weights, or only zeros."""


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
    """A class is unknown: ``positive_class`` absent from the data, or outside declared classes."""
