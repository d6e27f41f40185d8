"""``retry`` and ``retry_on_condition``: their arguments, checked once, become a policy.

Everything is validated and precomputed when the decorator is made; the call
wrappers (``_wrappers``) add one ``try`` to the success path, and everything
after a first failure happens in ``_attempts``.
"""

from __future__ import annotations

from ml_infra.decorators import _attempts
from ml_infra.decorators._attempts import RetryPolicy
from ml_infra.decorators._events import operation_of
from ml_infra.decorators._parameters import (
    validate_callable,
    validate_exceptions,
    validate_logger,
    validate_max_attempts,
    validate_number,
)
from ml_infra.decorators._targets import (
    is_async_callable,
    through_method_descriptors,
    validate_target,
)
from ml_infra.decorators._wrappers import (
    async_on_condition,
    async_on_exception,
    sync_on_condition,
    sync_on_exception,
)

TYPE_CHECKING = False  # typing is not imported at run time (import cost)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, overload

    from ml_infra.decorators._snapshots import RetryEvent
    from ml_infra.decorators._types import C, Decorator, P, SupportsLog, T

__all__ = ["retry", "retry_on_condition"]

ExceptionTypes = type[BaseException] | tuple[type[BaseException], ...]


def _policy(
    where: str,
    max_attempts: object,
    delay: object,
    backoff: object,
    max_delay: object,
    jitter: object,
    timeout: object,
    on_retry: Callable[[RetryEvent], object] | None,
    wait_hint: Callable[[Any], object] | None,
    logger: SupportsLog | None,
) -> RetryPolicy:
    """Validate the shared arguments (function names filled in when applied)."""
    if on_retry is not None:
        validate_callable(where, "on_retry", on_retry)
    if wait_hint is not None:
        validate_callable(where, "wait_hint", wait_hint)
    if logger is not None:
        validate_logger(where, logger)
    return RetryPolicy(
        where=where,
        function="",
        operation="",
        max_attempts=validate_max_attempts(where, max_attempts),
        delay=validate_number(where, "delay", delay, minimum=0.0),
        backoff=validate_number(where, "backoff", backoff, minimum=1.0),
        max_delay=_attempts.LONGEST_WAIT
        if max_delay is None
        else min(
            validate_number(where, "max_delay", max_delay, minimum=0.0), _attempts.LONGEST_WAIT
        ),
        jitter=validate_number(where, "jitter", jitter, minimum=0.0, maximum=1.0),
        timeout=None
        if timeout is None
        else validate_number(where, "timeout", timeout, minimum=0.0, exclusive_minimum=True),
        on_retry=on_retry,
        wait_hint=wait_hint,
        logger=logger,
    )


def _bind(policy: RetryPolicy, func: Callable[..., Any]) -> RetryPolicy:
    validate_target(policy.where, func)
    qualname = operation_of(func)
    module = getattr(func, "__module__", None)
    name = f"{module}.{qualname}" if module else qualname
    return policy.bound(name, qualname)


if TYPE_CHECKING:

    @overload
    def retry(func: staticmethod[P, T], /) -> staticmethod[P, T]: ...

    @overload
    def retry(func: classmethod[C, P, T], /) -> classmethod[C, P, T]: ...

    @overload
    def retry(func: Callable[P, T], /) -> Callable[P, T]: ...

    @overload
    def retry(
        max_attempts: int = 3,
        delay: float = 1.0,
        backoff: float = 2.0,
        exceptions: ExceptionTypes = (Exception,),
        *,
        max_delay: float | None = None,
        jitter: float = 0.0,
        timeout: float | None = None,
        on_retry: Callable[[RetryEvent], object] | None = None,
        wait_hint: Callable[[BaseException], float | None] | None = None,
        logger: SupportsLog | None = None,
    ) -> Decorator: ...


def retry(
    max_attempts: int | Callable[..., Any] | classmethod[Any, ..., Any] = 3,
    delay: float = 1.0,
    backoff: float = 2.0,
    exceptions: ExceptionTypes = (Exception,),
    *,
    max_delay: float | None = None,
    jitter: float = 0.0,
    timeout: float | None = None,
    on_retry: Callable[[RetryEvent], object] | None = None,
    wait_hint: Callable[[BaseException], float | None] | None = None,
    logger: SupportsLog | None = None,
) -> Any:
    """Call the function again when it raises one of ``exceptions``.

    Attempt ``k`` (1-based) that fails is followed by a wait of
    ``min(delay * backoff ** (k - 1), max_delay)`` seconds, shortened by up to
    ``jitter`` of itself at random (``jitter=0.5``: a uniform draw from
    ``[0.5 * wait, wait]``; ``jitter=1.0`` is "full jitter"; the default ``0``
    keeps the schedule exact). ``time.sleep`` waits between sync attempts,
    ``asyncio.sleep`` between ``async def`` attempts.

    Retrying stops after ``max_attempts`` attempts, or earlier when the next
    wait would end at or past ``timeout`` seconds after the call began (a
    running attempt is never interrupted). The *original* exception of the
    last attempt then propagates with its traceback and a PEP 678 note listing
    every attempt; there is no wrapper exception. An exception outside
    ``exceptions`` propagates at once (with the note if retries happened).
    ``KeyboardInterrupt``, ``SystemExit``, ``GeneratorExit`` and
    ``asyncio.CancelledError`` are never retried: naming them (or a subclass)
    in ``exceptions`` is an error, and a broad ``BaseException`` still lets
    them through at once (an exception group holding one is not retried
    either).

    ``wait_hint`` lets the failure steer the wait (a server's ``Retry-After``):
    ``wait_hint(exc)`` returns seconds or ``None``; seconds replace the
    computed (and jittered) wait, still capped by ``max_delay`` and given up on
    when they would pass ``timeout``. A hint that raises, or returns anything
    but ``None`` or a finite number >= 0, is logged at WARNING and the computed
    wait is used: a broken header never turns into a different error.

    Each retry and the give-up are WARNING records on ``logger`` (default: the
    stdlib ``ml_infra.decorators`` logger) with the structured fields
    ``operation`` (the function's ``__qualname__``), ``attempt``,
    ``max_attempts``, ``delay_s`` (``None`` when giving up) and
    ``exception_type``; never the call's arguments. When the application has
    imported OpenTelemetry and the current span is recording, each also adds
    a span event (``"retry"``, ``"retry.gave_up"``) with the same attributes.
    Each retry is passed to ``on_retry`` as a :class:`RetryEvent`; an
    exception raised by ``on_retry`` propagates (no further attempt) with the
    failure that triggered it as its ``__context__``. ``@retry`` without
    parentheses uses the defaults; it may be stacked above ``@staticmethod``
    or ``@classmethod``. Under :func:`set_testing` no wait happens.

    Args:
        max_attempts: Total attempts, including the first (``int`` >= 1).
        delay: Seconds to wait after the first failure (>= 0).
        backoff: Factor applied to the wait after each failure (>= 1).
        exceptions: Exception class or tuple of classes that trigger a retry.
        max_delay: Upper bound of any single wait in seconds (``None``: no bound).
        jitter: Fraction in ``[0, 1]`` by which each wait may be randomly shortened.
        timeout: Total seconds across all attempts and waits (``None``: no deadline).
        on_retry: Called with a :class:`RetryEvent` before each wait.
        wait_hint: Called with each retried exception; seconds to wait instead of
            the computed delay, or ``None`` to keep it.
        logger: Where retry and give-up records go: a ``logging.Logger``, an
            ``ml_infra.logging.StructuredLogger`` or any :class:`SupportsLog`
            (``None``: the ``ml_infra.decorators`` logger).

    Returns:
        A decorator that keeps the function's signature (or, used bare as
        ``@retry``, the decorated function).

    Raises:
        InvalidArgumentError: An argument has an invalid value (``max_attempts < 1``,
            negative or NaN ``delay``, ``backoff < 1``, a never-retried exception class).
        InvalidArgumentTypeError: An argument has the wrong type (a non-callable
            ``on_retry`` or ``wait_hint``, a ``logger`` without a ``log`` method), or the
            decorated object is a generator function, a class or not callable.

    Example:
        >>> from ml_infra.decorators import set_testing
        >>> attempts = []
        >>> @retry(max_attempts=3, delay=0.5, exceptions=ConnectionError)
        ... def fetch() -> str:
        ...     attempts.append(1)
        ...     if len(attempts) < 3:
        ...         raise ConnectionError("server busy")
        ...     return "data"
        >>> with set_testing(True):
        ...     fetch()
        'data'
        >>> len(attempts)
        3
    """
    target: Any = None
    if callable(max_attempts) or isinstance(max_attempts, classmethod):
        target, max_attempts = max_attempts, 3
    policy = _policy(
        "retry",
        max_attempts,
        delay,
        backoff,
        max_delay,
        jitter,
        timeout,
        on_retry,
        wait_hint,
        logger,
    )
    retried = validate_exceptions("retry", exceptions)

    def decorate(func: Callable[P, T], /) -> Callable[P, T]:
        bound = _bind(policy, func)
        if is_async_callable(func):
            return async_on_exception(func, bound, retried)
        return sync_on_exception(func, bound, retried)

    wrap = through_method_descriptors(decorate)
    return wrap if target is None else wrap(target)


def retry_on_condition(
    condition: Callable[[Any], object],
    max_attempts: int = 3,
    delay: float = 1.0,
    backoff: float = 2.0,
    *,
    max_delay: float | None = None,
    jitter: float = 0.0,
    timeout: float | None = None,
    on_retry: Callable[[RetryEvent], object] | None = None,
    wait_hint: Callable[[Any], float | None] | None = None,
    logger: SupportsLog | None = None,
) -> Decorator:
    """Call the function again while ``condition(result)`` is true.

    Waits, deadline, jitter, ``wait_hint`` (called with the rejected result),
    logging, span events, ``on_retry`` and testing mode behave as in
    :func:`retry` (records name the result's type, never its value). For
    ``async def`` functions the condition sees the awaited result.

    After the last attempt (``max_attempts`` reached, or the next wait would
    pass ``timeout``) the last result is **returned** even though the
    condition still holds, and a WARNING saying so is logged; check the
    condition again if that matters. Exceptions raised by the function or by
    ``condition`` are not retried: they propagate unchanged (stack ``retry``
    on top to retry exceptions too).

    Args:
        condition: Called with each result; a true value means "try again".
        max_attempts: Total attempts, including the first (``int`` >= 1).
        delay: Seconds to wait after the first rejected result (>= 0).
        backoff: Factor applied to the wait after each rejection (>= 1).
        max_delay: Upper bound of any single wait in seconds (``None``: no bound).
        jitter: Fraction in ``[0, 1]`` by which each wait may be randomly shortened.
        timeout: Total seconds across all attempts and waits (``None``: no deadline).
        on_retry: Called with a :class:`RetryEvent` (``result`` set) before each wait.
        wait_hint: Called with each rejected result; seconds to wait instead of the
            computed delay, or ``None`` to keep it (as in :func:`retry`).
        logger: Where retry and give-up records go (as in :func:`retry`).

    Returns:
        A decorator that keeps the function's signature.

    Raises:
        InvalidArgumentError: An argument has an invalid value.
        InvalidArgumentTypeError: ``condition`` is not callable, an argument has
            the wrong type, or the decorated object is a generator function.

    Example:
        >>> from ml_infra.decorators import set_testing
        >>> statuses = iter(["pending", "pending", "done"])
        >>> @retry_on_condition(lambda status: status != "done", max_attempts=5)
        ... def job_status() -> str:
        ...     return next(statuses)
        >>> with set_testing(True):
        ...     job_status()
        'done'
    """
    where = "retry_on_condition"
    validate_callable(where, "condition", condition)
    policy = _policy(
        where, max_attempts, delay, backoff, max_delay, jitter, timeout, on_retry, wait_hint, logger
    )

    def decorate(func: Callable[P, T], /) -> Callable[P, T]:
        bound = _bind(policy, func)
        if is_async_callable(func):
            return async_on_condition(func, bound, condition)
        return sync_on_condition(func, bound, condition)

    return through_method_descriptors(decorate)
