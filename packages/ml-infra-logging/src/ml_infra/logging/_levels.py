"""Level names and numbers, as ``logging`` knows them."""

from __future__ import annotations

import logging

from ml_infra.logging._errors import ConfigurationError, LoggingTypeError
from ml_infra.logging._text import safe_repr

__all__ = ["resolve_level"]


def resolve_level(value: object, where: str) -> int:
    """Turn a level given as a number, a name (any case) or a digit string into an int.

    Args:
        value: ``logging.INFO``, ``"info"``, ``"WARNING"``, ``"10"``...
        where: Who asks, for the error message (e.g. ``"configure: level"``).

    Returns:
        The numeric level.

    Raises:
        LoggingTypeError: ``value`` is neither an int nor a str.
        ConfigurationError: ``value`` names no level or is negative.

    Example:
        >>> resolve_level("debug", "configure: level"), resolve_level(30, "x")
        (10, 30)
    """
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise LoggingTypeError(
            f"{where} must be an int or a level name, got {type(value).__name__}"
        )
    if isinstance(value, str):
        text = value.strip()
        if text.isascii() and text.isdigit():  # not "²" or other digits int() refuses
            return int(text)
        names = logging.getLevelNamesMapping()
        level = names.get(text.upper())
        if level is None:
            known = ", ".join(name for name, _ in sorted(names.items(), key=lambda item: item[1]))
            raise ConfigurationError(
                f"{where}: {value!r} is not a logging level; use one of {known}"
            )
        return level
    if value < 0:
        raise ConfigurationError(f"{where} must be >= 0, got {safe_repr(value)}")
    return value
