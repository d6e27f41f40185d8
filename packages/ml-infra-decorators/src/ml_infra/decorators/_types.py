"""Typing helpers shared by the decorators."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ParamSpec, Protocol, TypeVar, cast, overload

__all__ = ["C", "Decorator", "P", "SupportsLog", "T", "through_method_descriptors"]

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


def through_method_descriptors(decorate: Callable[[Callable[..., Any]], Any]) -> Decorator:
    """Let ``decorate`` also wrap the function inside a static or class method.

    ``@retry`` stacked above ``@staticmethod`` receives a ``staticmethod``
    object: wrapping it as a plain function would turn it into an instance
    method (``self`` passed as the first argument). The function inside is
    decorated instead and re-wrapped in the same kind of descriptor.

    Args:
        decorate: Decorates a plain callable.

    Returns:
        ``decorate``, also accepting ``staticmethod`` and ``classmethod`` objects.

    Example:
        >>> twice = through_method_descriptors(lambda f: lambda *a: 2 * f(*a))
        >>> class Box:
        ...     @twice
        ...     @staticmethod
        ...     def one() -> int:
        ...         return 1
        >>> Box().one()
        2
    """

    def apply(func: Any, /) -> Any:
        if isinstance(func, staticmethod):
            return staticmethod(decorate(func.__func__))
        if isinstance(func, classmethod):
            return classmethod(decorate(func.__func__))
        return decorate(func)

    return cast("Decorator", apply)
