"""Exceptions raised by ``ml_infra.decorators``.

Every error subclasses :class:`DecoratorsError` and the matching builtin
(``ValueError``, ``TypeError`` or ``KeyError``), so both
``except DecoratorsError`` and ``except ValueError`` work. All of them are
raised when a decorator is *applied* (or when statistics are looked up), never
from inside a decorated call: the decorated function's own exceptions always
propagate unchanged.
"""

from __future__ import annotations

__all__ = [
    "DecoratorsError",
    "InvalidArgumentError",
    "InvalidArgumentTypeError",
    "UnknownTimerError",
]


class DecoratorsError(Exception):
    """Base class of every error ``ml_infra.decorators`` raises.

    Concrete errors also subclass the matching builtin (``ValueError``,
    ``TypeError``), so ``except ValueError`` keeps working.
    """


class InvalidArgumentError(DecoratorsError, ValueError):
    """A decorator argument has the right type but an invalid value.

    Raised at decoration time for ``max_attempts < 1``, a negative or NaN
    ``delay``, ``backoff < 1``, ``jitter`` outside ``[0, 1]``, an unknown time
    unit, or a never-retried exception class (such as ``KeyboardInterrupt``)
    listed in ``exceptions``.

    Example:
        >>> from ml_infra.decorators import retry
        >>> try:
        ...     retry(max_attempts=0)
        ... except InvalidArgumentError as exc:
        ...     print(exc)
        retry: max_attempts must be an integer >= 1, got 0
    """


class InvalidArgumentTypeError(DecoratorsError, TypeError):
    """A decorator argument, or the decorated object, has the wrong type.

    Raised at decoration time for a non-integer ``max_attempts``, a
    non-exception entry in ``exceptions``, a non-callable ``condition`` or
    ``on_retry``, or a generator function or a class given to ``retry`` or
    ``timer``.
    """


class UnknownTimerError(DecoratorsError, KeyError):
    """No timed function has recorded statistics under the requested name."""

    def __str__(self) -> str:
        # KeyError.__str__ would wrap the message in quotes.
        return str(self.args[0]) if self.args else ""
