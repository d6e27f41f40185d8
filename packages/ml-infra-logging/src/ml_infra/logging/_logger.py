"""``StructuredLogger``, ``log_ml_event`` and the ``MLEvent`` names."""

from __future__ import annotations

import enum
import logging
from collections.abc import Mapping
from types import MappingProxyType, TracebackType

from ml_infra.logging._errors import LoggingTypeError, LoggingValueError
from ml_infra.logging._levels import resolve_level
from ml_infra.logging._record import EXTRA_RESERVED, FIELDS_ATTR, RESERVED_KEYS, STANDARD_ATTRS
from ml_infra.logging._text import exception_text, safe_repr

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (import time)
if TYPE_CHECKING:  # typing costs import time: annotations only
    from typing import TypeAlias

__all__ = ["ExcInfo", "MLEvent", "StructuredLogger", "log_ml_event"]

ExcInfo: TypeAlias = (
    bool
    | BaseException
    | tuple[type[BaseException], BaseException, TracebackType | None]
    | tuple[None, None, None]
    | None
)
"""What ``exc_info=`` accepts, as in :mod:`logging`."""

_LINE_ONLY = RESERVED_KEYS - STANDARD_ATTRS  # the line's keys that are no record attribute

# Frames between logging's stacklevel=1 and the caller of a public method:
# _emit and the method itself.
_OWN_FRAMES = 2


class MLEvent(enum.StrEnum):
    """Conventional event types for :func:`log_ml_event` (plain strings work too).

    Example:
        >>> MLEvent.EPOCH_END == "epoch_end"
        True
    """

    TRAINING_STARTED = "training_started"
    TRAINING_FINISHED = "training_finished"
    TRAINING_FAILED = "training_failed"
    EPOCH_END = "epoch_end"
    EVALUATION = "evaluation"
    PREDICTION_BATCH = "prediction_batch"
    MODEL_SAVED = "model_saved"
    MODEL_LOADED = "model_loaded"


class StructuredLogger:
    """A logger whose calls take structured fields as keyword arguments.

    It wraps ``logging.getLogger(name)``: handlers, levels and filters set up
    the usual way receive its records, and :class:`JsonFormatter` writes the
    bound and per-call fields under ``context``. Fields travel as one dict on
    the record, so any name works, including ``message``, ``msg``, ``args`` or
    ``name`` (stdlib ``extra=`` raises ``KeyError`` for those). Only
    ``exc_info``, ``stack_info``, ``stacklevel`` and ``extra`` are taken by
    the methods themselves; ``extra=`` (a mapping, the stdlib habit) merges
    into the fields. ``module``, ``function`` and ``line`` name your code.

    Args:
        name: The ``logging`` logger name (e.g. ``__name__``).
        **context: Fields bound to every record of this logger.

    Raises:
        LoggingTypeError: ``name`` is not a str.

    Example:
        >>> log = StructuredLogger("doc.train", run_id="r-7")
        >>> epoch_log = log.bind(epoch=3)
        >>> dict(epoch_log.context), dict(log.context)
        ({'run_id': 'r-7', 'epoch': 3}, {'run_id': 'r-7'})
        >>> epoch_log.info("epoch done", loss=0.12, message="fields may use any name")
    """

    __slots__ = ("_context", "_logger")

    def __init__(self, name: str, /, **context: object) -> None:
        if not isinstance(name, str):
            raise LoggingTypeError(
                f"StructuredLogger: name must be a str, got {type(name).__name__}"
            )
        # A plain str: a subclass with a raising hash would break logging's registry.
        self._logger = logging.getLogger(str.__str__(name))
        self._context: dict[str, object] = context

    @classmethod
    def _derive(cls, logger: logging.Logger, context: dict[str, object]) -> StructuredLogger:
        new = cls.__new__(cls)
        new._logger = logger
        new._context = context
        return new

    def __repr__(self) -> str:
        return f"StructuredLogger({self._logger.name!r}, fields={sorted(self._context)!r})"

    @property
    def name(self) -> str:
        """The wrapped logger's name."""
        return self._logger.name

    @property
    def logger(self) -> logging.Logger:
        """The wrapped :class:`logging.Logger`."""
        return self._logger

    @property
    def context(self) -> Mapping[str, object]:
        """The bound fields (a read-only view)."""
        return MappingProxyType(self._context)

    def bind(self, **fields: object) -> StructuredLogger:
        """Return a new logger with ``fields`` added to the bound context.

        This logger is left untouched; a field given again replaces the old value.

        Args:
            **fields: Fields to bind.

        Returns:
            The new logger (same underlying ``logging.Logger``).

        Example:
            >>> StructuredLogger("doc.bind", a=1).bind(b=2).context
            mappingproxy({'a': 1, 'b': 2})
        """
        return self._derive(self._logger, {**self._context, **fields})

    def unbind(self, *names: str) -> StructuredLogger:
        """Return a new logger without the named bound fields (missing names are ignored).

        Args:
            *names: Field names to drop.

        Returns:
            The new logger.

        Example:
            >>> StructuredLogger("doc.unbind", a=1, b=2).unbind("a").context
            mappingproxy({'b': 2})
        """
        drop = set(names)
        return self._derive(
            self._logger, {key: value for key, value in self._context.items() if key not in drop}
        )

    def is_enabled_for(self, level: int | str) -> bool:
        """Tell whether a record at ``level`` would be processed.

        Args:
            level: A numeric level such as ``logging.DEBUG``, or a level name.

        Returns:
            ``logging.Logger.isEnabledFor(level)``.

        Raises:
            LoggingTypeError: ``level`` is neither an int nor a str.
            ConfigurationError: ``level`` names no level or is negative.

        Example:
            >>> StructuredLogger("doc.enabled").is_enabled_for("critical")
            True
        """
        return self._logger.isEnabledFor(
            resolve_level(level, "StructuredLogger.is_enabled_for: level")
        )

    def _emit(
        self,
        level: int,
        msg: object,
        args: tuple[object, ...],
        exc_info: ExcInfo,
        stack_info: bool,
        stacklevel: int,
        extra: Mapping[str, object] | None,
        fields: dict[str, object],
        method: str,
    ) -> None:
        if type(stacklevel) is not int:
            _check_stacklevel(stacklevel, f"StructuredLogger.{method}")
        flags: tuple[object, object] = (stack_info, exc_info)  # as given, whatever the hints
        if type(flags[0]) is not bool:
            stack_info = _truth(flags[0], "stack_info", f"StructuredLogger.{method}")
        if flags[1] is not None and not isinstance(flags[1], bool | BaseException | tuple):
            exc_info = _truth(flags[1], "exc_info", f"StructuredLogger.{method}")
        if extra is not None:
            fields = _merge_extra(extra, fields, f"StructuredLogger.{method}")
        context = (
            {**self._context, **fields} if self._context and fields else fields or self._context
        )
        # Logger._log (what Logger.log calls once the level passed): the level
        # was checked by our caller, and logging's own frames are skipped by
        # stacklevel counting.
        self._logger._log(
            level,
            msg,
            args,
            exc_info=exc_info,
            extra={FIELDS_ATTR: context},
            stack_info=stack_info,
            stacklevel=stacklevel + _OWN_FRAMES,
        )

    def log(
        self,
        level: int | str,
        msg: object,
        /,
        *args: object,
        exc_info: ExcInfo = None,
        stack_info: bool = False,
        stacklevel: int = 1,
        extra: Mapping[str, object] | None = None,
        **fields: object,
    ) -> None:
        """Log ``msg`` (``%``-formatted with ``args``) at ``level`` with ``fields``.

        Args:
            level: A numeric level or a level name (any case).
            msg: The message (``%``-style template when ``args`` are given).
            *args: Values for the template, formatted only if the record is emitted.
            exc_info: Exception information, as in :mod:`logging`.
            stack_info: Add the current stack to the record.
            stacklevel: 1 names your call site; raise it to name your caller.
            extra: Fields as a mapping, the stdlib habit: merged with
                ``fields`` (not nested under an ``extra`` field).
            **fields: Structured fields for this record only.

        Raises:
            LoggingTypeError: ``level`` is neither an int nor a str (a float,
                NaN included), ``stacklevel`` is not an int, ``extra`` is not
                a mapping with str keys, or a field is given both in ``extra``
                and as a keyword.
            LoggingValueError: An ``extra`` key is reserved: a ``LogRecord``
                attribute (``message``, ``levelname``...) or a top-level key
                of the line (:data:`RESERVED_KEYS`), as ``logging`` refuses it.
            ConfigurationError: ``level`` names no level or is negative.

        Example:
            >>> import logging
            >>> StructuredLogger("doc.log").log(logging.INFO, "%d rows", 3, table="t")
            >>> StructuredLogger("doc.log").log("warning", "disk almost full")
            >>> StructuredLogger("doc.log").info("saved", extra={"path": "m.pt"}, step=3)
        """
        numeric = resolve_level(level, "StructuredLogger.log: level")
        if self._logger.isEnabledFor(numeric):
            self._emit(numeric, msg, args, exc_info, stack_info, stacklevel, extra, fields, "log")

    def debug(
        self,
        msg: object,
        /,
        *args: object,
        exc_info: ExcInfo = None,
        stack_info: bool = False,
        stacklevel: int = 1,
        extra: Mapping[str, object] | None = None,
        **fields: object,
    ) -> None:
        """Log at DEBUG; arguments as for :meth:`log`."""
        if self._logger.isEnabledFor(logging.DEBUG):
            self._emit(
                logging.DEBUG, msg, args, exc_info, stack_info, stacklevel, extra, fields, "debug"
            )

    def info(
        self,
        msg: object,
        /,
        *args: object,
        exc_info: ExcInfo = None,
        stack_info: bool = False,
        stacklevel: int = 1,
        extra: Mapping[str, object] | None = None,
        **fields: object,
    ) -> None:
        """Log at INFO; arguments as for :meth:`log`."""
        if self._logger.isEnabledFor(logging.INFO):
            self._emit(
                logging.INFO, msg, args, exc_info, stack_info, stacklevel, extra, fields, "info"
            )

    def warning(
        self,
        msg: object,
        /,
        *args: object,
        exc_info: ExcInfo = None,
        stack_info: bool = False,
        stacklevel: int = 1,
        extra: Mapping[str, object] | None = None,
        **fields: object,
    ) -> None:
        """Log at WARNING; arguments as for :meth:`log`."""
        if self._logger.isEnabledFor(logging.WARNING):
            self._emit(
                logging.WARNING,
                msg,
                args,
                exc_info,
                stack_info,
                stacklevel,
                extra,
                fields,
                "warning",
            )

    def error(
        self,
        msg: object,
        /,
        *args: object,
        exc_info: ExcInfo = None,
        stack_info: bool = False,
        stacklevel: int = 1,
        extra: Mapping[str, object] | None = None,
        **fields: object,
    ) -> None:
        """Log at ERROR; arguments as for :meth:`log`."""
        if self._logger.isEnabledFor(logging.ERROR):
            self._emit(
                logging.ERROR, msg, args, exc_info, stack_info, stacklevel, extra, fields, "error"
            )

    def exception(
        self,
        msg: object,
        /,
        *args: object,
        exc_info: ExcInfo = True,
        stack_info: bool = False,
        stacklevel: int = 1,
        extra: Mapping[str, object] | None = None,
        **fields: object,
    ) -> None:
        """Log at ERROR with the exception being handled; call it from an ``except`` block."""
        if self._logger.isEnabledFor(logging.ERROR):
            self._emit(
                logging.ERROR,
                msg,
                args,
                exc_info,
                stack_info,
                stacklevel,
                extra,
                fields,
                "exception",
            )

    def critical(
        self,
        msg: object,
        /,
        *args: object,
        exc_info: ExcInfo = None,
        stack_info: bool = False,
        stacklevel: int = 1,
        extra: Mapping[str, object] | None = None,
        **fields: object,
    ) -> None:
        """Log at CRITICAL; arguments as for :meth:`log`."""
        if self._logger.isEnabledFor(logging.CRITICAL):
            self._emit(
                logging.CRITICAL,
                msg,
                args,
                exc_info,
                stack_info,
                stacklevel,
                extra,
                fields,
                "critical",
            )


def _merge_extra(
    extra: Mapping[str, object], fields: dict[str, object], where: str
) -> dict[str, object]:
    """The call's fields with stdlib-style ``extra=`` fields merged in, checked first.

    Like :mod:`logging`, names the record or the line already uses (``message``,
    ``levelname``, ``timestamp``...) are refused rather than silently lost or
    shadowed; as keyword fields those names are fine (they stay in ``context``).
    """
    if not isinstance(extra, Mapping):
        raise LoggingTypeError(
            f"{where}: extra must be a mapping or None, got {type(extra).__name__}"
        )
    try:
        given = dict(extra)
    except Exception as exc:  # a hostile mapping: its own error must not escape
        raise LoggingTypeError(
            f"{where}: extra could not be read as a mapping, got {type(extra).__name__} "
            f"raising {exception_text(exc)}"
        ) from None
    for key in given:
        if type(key) is not str:
            raise LoggingTypeError(f"{where}: extra keys must be str, got {type(key).__name__}")
    clash = given.keys() & EXTRA_RESERVED
    if clash:
        key = min(clash)
        kind = "a key of the JSON line" if key in _LINE_ONLY else "a LogRecord attribute"
        raise LoggingValueError(
            f"{where}: extra key {safe_repr(key)} is reserved ({kind}), "
            f"got extra with keys {safe_repr(sorted(given))}; pass it as a keyword field "
            f"({key}=...), which lands in context"
        )
    twice = given.keys() & fields.keys()
    if twice:
        raise LoggingTypeError(
            f"{where}: field {safe_repr(min(twice))} given twice, in extra and as a keyword field"
        )
    given.update(fields)
    return given


def _truth(value: object, name: str, where: str) -> bool:
    """``bool(value)`` for a flag given as another type (as ``logging`` reads it).

    A value whose truth raises (pandas ``NA``, a numpy array) is refused with
    the package's error instead of letting that error escape from ``logging``.
    """
    try:
        return bool(value)
    except Exception as exc:  # its own error must not escape
        raise LoggingTypeError(
            f"{where}: {name} must be a bool, got {type(value).__name__} whose truth value "
            f"raises {exception_text(exc)}"
        ) from None


def _check_stacklevel(value: object, where: str) -> None:
    """Refuse a ``stacklevel`` that is not an int (``logging`` would raise a bare TypeError)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise LoggingTypeError(f"{where}: stacklevel must be an int, got {type(value).__name__}")


def log_ml_event(
    logger: StructuredLogger | logging.Logger,
    event_type: str,
    /,
    *,
    level: int | str = logging.INFO,
    stacklevel: int = 1,
    **data: object,
) -> None:
    """Log one ML event: its type is the message and, with ``data``, the fields.

    The record's ``context`` holds ``event_type`` first, then ``data``
    (metrics, parameters, ids...), after any fields bound to ``logger``.
    ``logger`` and ``event_type`` are positional-only, so ``data`` may hold
    fields named ``logger`` (e.g. ``logger="resnet"``); only ``level`` and
    ``stacklevel`` are taken by the function itself.
    The record names your call site as its ``module``/``function``/``line``
    (or, with ``stacklevel=2``, the caller of your helper that logs events).

    Args:
        logger: A :class:`StructuredLogger` or a plain :class:`logging.Logger`.
        event_type: What happened, e.g. ``"epoch_end"`` or :class:`MLEvent`.EPOCH_END.
        level: The record's level (number or name); INFO by default.
        stacklevel: 1 names your call site; raise it to name your caller.
        **data: The event's fields; values of any type are safe to pass.

    Raises:
        LoggingTypeError: ``logger``, ``event_type`` or ``stacklevel`` has the wrong
            type, or ``data`` holds another ``event_type``.
        LoggingValueError: ``event_type`` is empty.
        ConfigurationError: ``level`` names no logging level.

    Example:
        >>> log = StructuredLogger("doc.events", run_id="r-7")
        >>> log_ml_event(log, MLEvent.EPOCH_END, epoch=3, metrics={"loss": 0.12})
    """
    if not isinstance(logger, StructuredLogger | logging.Logger):
        raise LoggingTypeError(
            "log_ml_event: logger must be a StructuredLogger or a logging.Logger, "
            f"got {type(logger).__name__}"
        )
    _check_stacklevel(stacklevel, "log_ml_event")
    if not isinstance(event_type, str):
        raise LoggingTypeError(
            f"log_ml_event: event_type must be a str, got {type(event_type).__name__}"
        )
    if not event_type.strip():
        raise LoggingValueError("log_ml_event: event_type must not be empty")
    if "event_type" in data:
        raise LoggingTypeError("log_ml_event: event_type given twice, positionally and as a field")
    numeric = resolve_level(level, "log_ml_event: level")
    event = str(event_type)
    fields: dict[str, object] = {"event_type": event, **data}
    if isinstance(logger, StructuredLogger):
        if logger.is_enabled_for(numeric):
            logger._emit(numeric, event, (), None, False, stacklevel, None, fields, "log_ml_event")
    else:
        logger.log(numeric, event, extra={FIELDS_ATTR: fields}, stacklevel=stacklevel + 1)
