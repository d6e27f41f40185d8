"""``StructuredLogger``: structured fields as keyword arguments, bound context."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from types import MappingProxyType, TracebackType

from ml_infra.logging._errors import LoggingTypeError
from ml_infra.logging._levels import resolve_level
from ml_infra.logging._parameters import check_stacklevel, merge_extra, truth
from ml_infra.logging._record import FIELDS_ATTR

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (import time)
if TYPE_CHECKING:  # typing costs import time: annotations only
    from typing import TypeAlias

__all__ = ["ExcInfo", "StructuredLogger"]

ExcInfo: TypeAlias = (
    bool
    | BaseException
    | tuple[type[BaseException], BaseException, TracebackType | None]
    | tuple[None, None, None]
    | None
)
"""What ``exc_info=`` accepts, as in :mod:`logging`."""

# Frames between logging's stacklevel=1 and the caller of a public method:
# _emit and the method itself.
_OWN_FRAMES = 2


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
            check_stacklevel(stacklevel, f"StructuredLogger.{method}")
        flags: tuple[object, object] = (stack_info, exc_info)  # as given, whatever the hints
        if type(flags[0]) is not bool:
            stack_info = truth(flags[0], "stack_info", f"StructuredLogger.{method}")
        if flags[1] is not None and not isinstance(flags[1], bool | BaseException | tuple):
            exc_info = truth(flags[1], "exc_info", f"StructuredLogger.{method}")
        if extra is not None:
            fields = merge_extra(extra, fields, f"StructuredLogger.{method}")
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
