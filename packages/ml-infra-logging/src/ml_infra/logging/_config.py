"""``configure()``: JSON logs in one call, with defaults from the environment."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterable

from ml_infra.logging._errors import ConfigurationError, LoggingTypeError
from ml_infra.logging._formatter import JsonFormatter
from ml_infra.logging._levels import resolve_level
from ml_infra.logging._text import safe_repr

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (import time)
if TYPE_CHECKING:  # typing costs import time: annotations only
    import re
    from typing import Literal, TextIO

    _StreamHandler = logging.StreamHandler[TextIO]

else:
    _StreamHandler = logging.StreamHandler

__all__ = [
    "ENV_ENVIRONMENT",
    "ENV_LEVEL",
    "ENV_REDACT_VALUES",
    "ENV_SERVICE",
    "ENV_STREAM",
    "ENV_VERSION",
    "configure",
]

ENV_LEVEL = "ML_INFRA_LOG_LEVEL"
ENV_STREAM = "ML_INFRA_LOG_STREAM"
ENV_SERVICE = "ML_INFRA_LOG_SERVICE"
ENV_ENVIRONMENT = "ML_INFRA_LOG_ENVIRONMENT"
ENV_VERSION = "ML_INFRA_LOG_VERSION"
ENV_REDACT_VALUES = "ML_INFRA_LOG_REDACT_VALUES"

_FLAGS = {"1": True, "true": True, "yes": True, "on": True}
_FLAGS.update({"0": False, "false": False, "no": False, "off": False})

_STREAMS = ("stderr", "stdout")


class _ConfiguredHandler(_StreamHandler):
    """The handler ``configure()`` installs; a later call replaces it."""


def _env(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or None


def _named_stream(value: str, where: str) -> TextIO:
    """``sys.stdout`` or ``sys.stderr`` for their names (any case, spaces around ignored)."""
    choice = value.strip().lower()
    if choice not in _STREAMS:
        raise ConfigurationError(f"{where} must be 'stderr' or 'stdout', got {safe_repr(value)}")
    return sys.stdout if choice == "stdout" else sys.stderr


def _stream(stream: object) -> TextIO:
    """The stream ``configure`` was given (an object or a name), else the environment's."""
    if stream is None:
        value = _env(ENV_STREAM)
        if value is None:
            return sys.stderr
        return _named_stream(value, f"configure: environment variable {ENV_STREAM}")
    if isinstance(stream, str):
        return _named_stream(stream, "configure: stream")
    if not callable(getattr(stream, "write", None)):
        raise LoggingTypeError(
            "configure: stream must have a write() method or be 'stderr' or 'stdout', "
            f"got {type(stream).__name__}"
        )
    return stream  # type: ignore[return-value]  # duck-typed: anything with write()


def _redact_values(given: bool | None) -> bool:
    if given is not None:
        if not isinstance(given, bool):
            raise LoggingTypeError(
                f"configure: redact_values must be a bool or None, got {type(given).__name__}"
            )
        return given
    value = _env(ENV_REDACT_VALUES)
    if value is None:
        return True
    flag = _FLAGS.get(value.lower())
    if flag is None:
        raise ConfigurationError(
            f"configure: environment variable {ENV_REDACT_VALUES} must be one of "
            f"{', '.join(_FLAGS)}, got {safe_repr(value)}"
        )
    return flag


def _level(level: int | str | None) -> int:
    if level is not None:
        return resolve_level(level, "configure: level")
    value = _env(ENV_LEVEL)
    if value is None:
        return logging.INFO
    return resolve_level(value, f"configure: environment variable {ENV_LEVEL}")


def configure(
    level: int | str | None = None,
    stream: TextIO | Literal["stderr", "stdout"] | None = None,
    *,
    logger: str | None = None,
    service: str | None = None,
    environment: str | None = None,
    version: str | None = None,
    formatter: logging.Formatter | None = None,
    redact_values: bool | None = None,
    redact_patterns: Iterable[str | re.Pattern[str]] | None = None,
    force: bool = False,
) -> logging.Handler:
    """Send JSON logs to a stream in one call, like ``logging.basicConfig``.

    Installs a ``StreamHandler`` with a :class:`JsonFormatter` on the root
    logger (or ``logger``) and sets its level. Calling it again replaces the
    handler it installed before instead of adding a second one; other handlers
    stay unless ``force=True``. Arguments left as None come from the
    environment: ``ML_INFRA_LOG_LEVEL`` (a name such as ``debug`` or a
    number; default INFO), ``ML_INFRA_LOG_STREAM`` (``stderr``, the default,
    or ``stdout``), ``ML_INFRA_LOG_SERVICE``, ``ML_INFRA_LOG_ENVIRONMENT`` and
    ``ML_INFRA_LOG_VERSION`` (the formatter's static fields), and
    ``ML_INFRA_LOG_REDACT_VALUES`` (``1``/``true``/``yes``/``on``, the
    default, or ``0``/``false``/``no``/``off``).

    Args:
        level: Level for the logger: a number or a name (any case).
        stream: Where lines go: anything with ``write``, or ``"stderr"`` /
            ``"stdout"`` (like ``ML_INFRA_LOG_STREAM``, any case); default
            from the environment, else ``sys.stderr``.
        logger: Name of the logger to configure; the root logger when None.
        service: Static ``service`` field.
        environment: Static ``environment`` field.
        version: Static ``version`` field.
        formatter: Use this formatter instead of a new :class:`JsonFormatter`
            (then do not pass service/environment/version/redact_values/
            redact_patterns).
        redact_values: Mask secrets in values by their shape (see
            :class:`JsonFormatter`); default from the environment, else True.
        redact_patterns: More value patterns for the formatter (str or compiled).
        force: Remove and close every existing handler of the logger first.

    Returns:
        The installed handler.

    Raises:
        ConfigurationError: A level, pattern or environment variable is
            invalid, or ``formatter`` is combined with formatter options.
        LoggingTypeError: An argument has the wrong type.

    Example:
        >>> import io, json, logging
        >>> out = io.StringIO()
        >>> handler = configure("info", out, logger="doc.configure", service="api")
        >>> logging.getLogger("doc.configure").info("ready", extra={"port": 8080})
        >>> line = json.loads(out.getvalue())
        >>> line["service"], line["context"]
        ('api', {'port': 8080})
        >>> logging.getLogger("doc.configure").removeHandler(handler)
    """
    if logger is not None and not isinstance(logger, str):
        raise LoggingTypeError(
            f"configure: logger must be a str or None, got {type(logger).__name__}"
        )
    target_stream = _stream(stream)
    if formatter is not None and not isinstance(formatter, logging.Formatter):
        raise LoggingTypeError(
            f"configure: formatter must be a logging.Formatter, got {type(formatter).__name__}"
        )
    if formatter is not None and any(
        given is not None
        for given in (service, environment, version, redact_values, redact_patterns)
    ):
        raise ConfigurationError(
            "configure: pass service/environment/version/redact_values/redact_patterns "
            "to the formatter, not alongside it"
        )
    numeric = _level(level)
    if formatter is None:
        formatter = JsonFormatter(
            service=service if service is not None else _env(ENV_SERVICE),
            environment=environment if environment is not None else _env(ENV_ENVIRONMENT),
            version=version if version is not None else _env(ENV_VERSION),
            redact_values=_redact_values(redact_values),
            redact_patterns=() if redact_patterns is None else redact_patterns,
        )
    # A plain str: a subclass with a raising hash would break logging's registry.
    target = logging.getLogger(None if logger is None else str.__str__(logger))
    for old in list(target.handlers):
        if force or isinstance(old, _ConfiguredHandler):
            target.removeHandler(old)
            old.close()
    handler = _ConfiguredHandler(target_stream)
    handler.setFormatter(formatter)
    target.addHandler(handler)
    target.setLevel(numeric)
    return handler
