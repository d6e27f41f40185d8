"""The decorated object: what kind it is, what cannot be wrapped, and methods.

``inspect`` is not imported (it would double the package's import time):
code flags tell generator and coroutine functions apart, and
``inspect.iscoroutinefunction`` is asked only when :mod:`inspect` is already
loaded (only then can a function have been marked with
``inspect.markcoroutinefunction``).
"""

from __future__ import annotations

import sys
from functools import partial
from types import FunctionType, MethodType

from ml_infra.decorators._errors import InvalidArgumentTypeError
from ml_infra.decorators._text import describe, safe_repr

TYPE_CHECKING = False  # typing is not imported at run time (import cost)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from ml_infra.decorators._types import Decorator

__all__ = ["is_async_callable", "through_method_descriptors", "validate_target"]

# co_flags bits (CPython's CO_GENERATOR, CO_COROUTINE, CO_ASYNC_GENERATOR).
_CO_GENERATOR, _CO_COROUTINE, _CO_ASYNC_GENERATOR = 0x20, 0x80, 0x200


def validate_target(where: str, func: object) -> None:
    """Refuse objects a call-wrapping decorator cannot handle correctly.

    Args:
        where: The decorator, for the message.
        func: The object being decorated.

    Raises:
        InvalidArgumentTypeError: ``func`` is not callable, is a class (it would
            be replaced by a function), or is a generator function or async
            generator function (calling it only creates the generator: the work
            happens later, outside the decorator).

    Example:
        >>> validate_target("retry", len)
    """
    if not callable(func):
        raise InvalidArgumentTypeError(
            f"{where}: can only decorate functions, got {describe(func)}"
        )
    if isinstance(func, type):
        raise InvalidArgumentTypeError(
            f"{where}: can only decorate functions, got the class {_name_of(func)}: the class would be"
            " replaced by a function (breaking isinstance and subclassing); decorate its"
            " __init__ or a factory function instead"
        )
    flags = _code_flags(func)
    if flags & (_CO_GENERATOR | _CO_ASYNC_GENERATOR):
        kind = "an async generator" if flags & _CO_ASYNC_GENERATOR else "a generator"
        raise InvalidArgumentTypeError(
            f"{where}: cannot decorate {kind} function ({_name_of(func)}): calling it only creates"
            " the generator and the work runs later, outside the decorator; decorate a function"
            " that consumes it instead"
        )


def is_async_callable(func: Callable[..., object]) -> bool:
    """Whether calling ``func`` returns a coroutine to await.

    Args:
        func: A callable (function, partial, or object with ``async def __call__``).

    Returns:
        ``True`` for coroutine functions.

    Example:
        >>> async def fetch() -> None: ...
        >>> is_async_callable(fetch)
        True
    """
    call = getattr(func, "__call__", None)  # noqa: B004 - an async __call__ is what we look for
    if _code_flags(func) & _CO_COROUTINE or _code_flags(call) & _CO_COROUTINE:
        return True
    # inspect.markcoroutinefunction (3.12+) needs inspect: asked only when it is loaded.
    inspect = sys.modules.get("inspect")
    return inspect is not None and (
        inspect.iscoroutinefunction(func) or inspect.iscoroutinefunction(call)
    )


def _code_flags(func: object) -> int:
    """The code flags of a Python function behind ``func`` (0 for anything else).

    Looks through bound methods and ``functools.partial`` the way
    ``inspect.iscoroutinefunction`` does, without importing :mod:`inspect`.
    """
    while True:
        if isinstance(func, MethodType):
            func = func.__func__
        elif isinstance(func, partial):
            func = func.func
        else:
            break
    return func.__code__.co_flags if isinstance(func, FunctionType) else 0


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

    return apply


def _name_of(func: object) -> str:
    return getattr(func, "__qualname__", None) or safe_repr(func)
