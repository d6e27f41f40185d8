"""Exceptions raised by ``ml_infra.logging``.

Logging calls themselves never raise for the values they are given: hostile
field values are sanitized, not rejected. These errors are for mistakes in
*setting up* logging (an unknown level name, a bad environment variable, a
formatter option of the wrong type) and for calling the API with the wrong kind
of argument, so they surface at start-up rather than as lost records.
"""

from __future__ import annotations

__all__ = ["ConfigurationError", "LoggingError", "LoggingTypeError", "LoggingValueError"]


class LoggingError(Exception):
    """Base class of every error ``ml_infra.logging`` raises.

    Concrete errors also subclass the matching builtin (``ValueError``,
    ``TypeError``), so ``except ValueError`` keeps working.
    """


class LoggingValueError(LoggingError, ValueError):
    """An argument has the right type but an invalid value (e.g. an empty event type)."""


class ConfigurationError(LoggingValueError):
    """A setting has an invalid value (an option or an environment variable).

    Example:
        >>> from ml_infra.logging import configure
        >>> try:
        ...     configure(level="LOUD")
        ... except ConfigurationError as exc:
        ...     print(exc)  # doctest: +ELLIPSIS
        configure: level: 'LOUD' is not a logging level; use one of ...
    """


class LoggingTypeError(LoggingError, TypeError):
    """An argument has the wrong type (e.g. a non-string logger name).

    Example:
        >>> from ml_infra.logging import StructuredLogger
        >>> try:
        ...     StructuredLogger(42)  # type: ignore[arg-type]
        ... except LoggingTypeError as exc:
        ...     print(exc)
        StructuredLogger: name must be a str, got int
    """
