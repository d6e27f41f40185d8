"""Typing helpers shared by the decorators."""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, Protocol, TypeVar

__all__ = ["Decorator", "P", "T"]

P = ParamSpec("P")
T = TypeVar("T")


class Decorator(Protocol):
    """A decorator that keeps the decorated function's exact signature.

    Example:
        >>> from ml_infra.decorators import retry
        >>> decorate: Decorator = retry(max_attempts=2)
        >>> decorate(len)("abc")
        3
    """

    def __call__(self, func: Callable[P, T], /) -> Callable[P, T]:
        """Wrap ``func``; type checkers see the same parameters and return type."""
        ...
