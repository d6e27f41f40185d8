"""Where the decorators' records go: a logger, with structured fields, and OpenTelemetry.

Records go through one method of :class:`~ml_infra.decorators._types.SupportsLog`:
``log(level, msg, *args, extra=fields, stacklevel=n)``. The default target,
the ``ml_infra.decorators`` stdlib logger, is looked up when a first record is
made, so importing the package never imports :mod:`logging`. OpenTelemetry is
used only when the application has already imported ``opentelemetry.trace``
(this package never imports it) and the current span is recording.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # typing is not imported at run time (import cost)
if TYPE_CHECKING:
    from collections.abc import Mapping

    from ml_infra.decorators._types import SupportsLog

__all__ = [
    "LOGGER_NAME",
    "add_span_event",
    "caller_stacklevel",
    "emit",
    "operation_of",
    "package_logger",
    "type_name",
]

#: The stdlib logger retries are reported on unless ``logger=`` is given.
LOGGER_NAME = "ml_infra.decorators"


def package_logger() -> SupportsLog:
    """The ``ml_infra.decorators`` logger, importing :mod:`logging` on first use.

    Returns:
        ``logging.getLogger("ml_infra.decorators")``.

    Example:
        >>> package_logger().name
        'ml_infra.decorators'
    """
    import logging

    return logging.getLogger(LOGGER_NAME)


def emit(
    logger: SupportsLog, level: int, msg: str, args: tuple[object, ...], fields: dict[str, object]
) -> None:
    """Log ``msg % args`` with ``fields``, located at the caller of the decorated function.

    A plain ``logging.LoggerAdapter`` (one that does not override ``process``)
    replaces a call's ``extra`` with its own before Python 3.13: its logger is
    called instead, with the adapter's ``extra`` and ``fields`` merged (as
    ``merge_extra=True`` does), so neither is lost.

    Args:
        logger: Where the record goes.
        level: The numeric level.
        msg: The ``%``-template.
        args: Its values.
        fields: The structured fields (record attributes, or JSON ``context``).

    Example:
        >>> import logging
        >>> emit(logging.getLogger("doc.emit"), logging.DEBUG, "%s", ("x",), {"attempt": 1})
    """
    logging = sys.modules.get("logging")  # a LoggerAdapter implies logging is loaded
    if (
        logging is not None
        and isinstance(logger, logging.LoggerAdapter)
        and type(logger).process is logging.LoggerAdapter.process
    ):
        fields = {**(logger.extra or {}), **fields}
        logger = logger.logger
    logger.log(level, msg, *args, extra=fields, stacklevel=caller_stacklevel())


def caller_stacklevel() -> int:
    """The ``stacklevel`` that names the first frame outside this package.

    Call it in the frame that calls ``logger.log(..., stacklevel=...)``: the
    record is then located at the code that called the decorated function,
    however many of our wrappers (``@timer`` over ``@retry``) sit between.
    Runs only when a record is made, never on a silent success path.

    Returns:
        1 for the calling frame itself, plus one per frame of this package above it.

    Example:
        >>> # a doctest runs with this module's globals, so its frame counts as ours:
        >>> caller_stacklevel()  # 2 names the doctest runner's frame
        2
    """
    frame = sys._getframe(1)
    level = 1
    while frame.f_back is not None and _ours(frame.f_globals.get("__name__")):
        frame = frame.f_back
        level += 1
    return level


def _ours(module: object) -> bool:
    return isinstance(module, str) and (
        module == LOGGER_NAME or module.startswith(f"{LOGGER_NAME}.")
    )


def operation_of(func: object) -> str:
    """The ``operation`` field of records about ``func``: its ``__qualname__``.

    Args:
        func: The decorated callable.

    Returns:
        ``func.__qualname__`` (or ``__name__``, or its type's qualname for
        objects without one, such as a ``functools.partial``).

    Example:
        >>> operation_of(str.upper), operation_of(len)
        ('str.upper', 'len')
    """
    name = getattr(func, "__qualname__", None) or getattr(func, "__name__", None)
    return name if isinstance(name, str) else type(func).__qualname__


def type_name(exc: BaseException) -> str:
    """The exception's class as a field value: ``OSError``, ``requests.exceptions.HTTPError``.

    Builtins go by their bare name; other classes by ``module.qualname``.

    Args:
        exc: Any exception.

    Returns:
        The class name.

    Example:
        >>> type_name(TimeoutError()), type_name(UnicodeError())
        ('TimeoutError', 'UnicodeError')
    """
    cls = type(exc)
    module = cls.__module__
    return cls.__qualname__ if module == "builtins" else f"{module}.{cls.__qualname__}"


def add_span_event(name: str, fields: Mapping[str, object]) -> None:
    """Add ``name`` with ``fields`` as attributes to the current recording span, if any.

    Does nothing unless the application has imported ``opentelemetry.trace``
    (looked up in ``sys.modules``; never imported here) and the current span
    is recording. Fields whose value is ``None`` are left out (OpenTelemetry
    attributes cannot be null).

    Args:
        name: The event name (``"retry"``, ``"retry.gave_up"``).
        fields: The record's fields: strings, ints, floats or ``None``.

    Example:
        >>> add_span_event("retry", {"attempt": 1})  # no span: nothing happens
    """
    trace = sys.modules.get("opentelemetry.trace")
    if trace is None:
        return
    span = trace.get_current_span()
    if span.is_recording():
        span.add_event(name, {key: value for key, value in fields.items() if value is not None})
