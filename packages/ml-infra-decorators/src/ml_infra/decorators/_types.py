"""Types for annotations: ``Decorator``, ``SupportsLog``, ``TimerLogger``, type variables.

The rest of the package imports this module only for type checkers: it needs
:mod:`typing`, which would double the import time. Users who import these
names from ``ml_infra.decorators`` load it then (the package's ``__getattr__``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ParamSpec, Protocol, TypeVar, overload

__all__ = ["C", "Decorator", "P", "SupportsLog", "T", "TimerLogger"]

P = ParamSpec("P")
T = TypeVar("T")
C = TypeVar("C")


class Decorator(Protocol):
    """A decorator that keeps the decorated function's exact signature.

    It also accepts a ``staticmethod`` or ``classmethod`` object (when stacked
    above ``@staticmethod``/``@classmethod``) and returns the same kind.

    Example:
        >>> from ml_infra.decorators import retry
        >>> decorate: Decorator = retry(max_attempts=2)
        >>> decorate(len)("abc")
        3
    """

    @overload
    def __call__(self, func: staticmethod[P, T], /) -> staticmethod[P, T]: ...

    @overload
    def __call__(self, func: classmethod[C, P, T], /) -> classmethod[C, P, T]: ...

    @overload
    def __call__(self, func: Callable[P, T], /) -> Callable[P, T]: ...

    def __call__(self, func: Any, /) -> Any:
        """Wrap ``func``; type checkers see the same parameters and return type."""
        ...


class SupportsLog(Protocol):
    """A logger the decorators can send records with structured fields to.

    ``logging.Logger``, ``logging.LoggerAdapter`` and
    ``ml_infra.logging.StructuredLogger`` all qualify: the decorators call
    ``log(level, msg, *args, extra={...}, stacklevel=n)``, with the fields in
    ``extra`` (record attributes for a stdlib logger, JSON fields in
    ``context`` for a ``StructuredLogger``) and ``stacklevel`` chosen so that
    the record's location is the caller of the decorated function.
    ``ml_infra.decorators`` never imports ``ml_infra.logging``: any object
    with such a ``log`` method works.

    Example:
        >>> import logging
        >>> log: SupportsLog = logging.getLogger("doc.supports_log")
        >>> log.log(logging.DEBUG, "%s took %.1f s", "load", 0.5, extra={"elapsed_s": 0.5})
    """

    def log(
        self,
        level: int,
        msg: str,
        /,
        *args: object,
        extra: Mapping[str, object] | None = ...,
        stacklevel: int = ...,
    ) -> object:
        """Log ``msg % args`` at ``level`` with the fields in ``extra``."""
        ...


#: Where a timer's report goes: a ``print``-like callable taking the message, or a
#: logger (``logging.Logger``, ``ml_infra.logging.StructuredLogger``, any
#: :class:`SupportsLog`), which gets an INFO record with structured fields.
TimerLogger = Callable[[str], object] | SupportsLog

# Public classes carry their public module (this module is loaded after the
# package's __init__ loop ran).
Decorator.__module__ = SupportsLog.__module__ = "ml_infra.decorators"
