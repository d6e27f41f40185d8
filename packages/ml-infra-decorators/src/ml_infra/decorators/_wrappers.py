"""The call wrappers ``retry`` and ``retry_on_condition`` install, sync and async.

The success path is one ``try`` around the call (plus one clock read when a
``timeout`` is set); everything after a first failure is ``RetryRun``'s
(``_attempts``): the schedule, the records, the give-up note.
"""

from __future__ import annotations

import functools

from ml_infra.decorators import _attempts
from ml_infra.decorators._attempts import RetryPolicy, RetryRun
from ml_infra.decorators._parameters import is_never_retried

TYPE_CHECKING = False  # typing is not imported at run time (import cost)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from ml_infra.decorators._types import P, T

__all__ = ["async_on_condition", "async_on_exception", "sync_on_condition", "sync_on_exception"]


def sync_on_exception(
    func: Callable[P, T], policy: RetryPolicy, retried: tuple[type[BaseException], ...]
) -> Callable[P, T]:
    timed = policy.timeout is not None

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        started = _attempts.clock() if timed else None
        try:
            return func(*args, **kwargs)
        except retried as exc:
            if is_never_retried(exc):
                raise
            error = exc
        run = RetryRun(policy, started)
        while (seconds := run.failed(error)) is not None:
            run.wait(seconds)
            try:
                return func(*args, **kwargs)
            except BaseException as exc:
                if run.ends_with(exc, retried):
                    raise
                error = exc
        run.give_up(error)
        try:
            raise error
        finally:
            del error  # break the frame <-> traceback cycle

    return wrapper


def async_on_exception(
    func: Callable[P, Any], policy: RetryPolicy, retried: tuple[type[BaseException], ...]
) -> Callable[P, Any]:
    timed = policy.timeout is not None

    @functools.wraps(func)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> Any:
        started = _attempts.clock() if timed else None
        try:
            return await func(*args, **kwargs)
        except retried as exc:
            if is_never_retried(exc):
                raise
            error = exc
        run = RetryRun(policy, started)
        while (seconds := run.failed(error)) is not None:
            await run.wait_async(seconds)
            try:
                return await func(*args, **kwargs)
            except BaseException as exc:
                if run.ends_with(exc, retried):
                    raise
                error = exc
        run.give_up(error)
        try:
            raise error
        finally:
            del error  # break the frame <-> traceback cycle

    return wrapper


def sync_on_condition(
    func: Callable[P, T], policy: RetryPolicy, condition: Callable[[Any], object]
) -> Callable[P, T]:
    timed = policy.timeout is not None

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        started = _attempts.clock() if timed else None
        result = func(*args, **kwargs)
        if not condition(result):
            return result
        run = RetryRun(policy, started)
        while (seconds := run.failed(None, result)) is not None:
            run.wait(seconds)
            result = func(*args, **kwargs)
            if not condition(result):
                return result
        run.give_up(None)
        return result

    return wrapper


def async_on_condition(
    func: Callable[P, Any], policy: RetryPolicy, condition: Callable[[Any], object]
) -> Callable[P, Any]:
    timed = policy.timeout is not None

    @functools.wraps(func)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> Any:
        started = _attempts.clock() if timed else None
        result = await func(*args, **kwargs)
        if not condition(result):
            return result
        run = RetryRun(policy, started)
        while (seconds := run.failed(None, result)) is not None:
            await run.wait_async(seconds)
            result = await func(*args, **kwargs)
            if not condition(result):
                return result
        run.give_up(None)
        return result

    return wrapper
