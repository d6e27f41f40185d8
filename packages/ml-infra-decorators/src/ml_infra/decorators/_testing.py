"""The testing switch: retried code runs without waiting in users' test suites."""

from __future__ import annotations

import threading
from types import TracebackType

from ml_infra.decorators._errors import InvalidArgumentTypeError
from ml_infra.decorators._parameters import validate_max_attempts
from ml_infra.decorators._text import describe

__all__ = ["TestingMode", "is_testing", "set_testing", "testing_attempt_cap"]

_lock = threading.Lock()
# (enabled, attempt cap); replaced as a whole so readers never see half an update.
_state: tuple[bool, int | None] = (False, None)


class TestingMode:
    """What :func:`set_testing` returns: the previous state, restorable with ``with``.

    Calling :func:`set_testing` switches the mode at once; using its result as
    a context manager additionally restores the previous mode on exit.

    Example:
        >>> with set_testing(True):
        ...     is_testing()
        True
        >>> is_testing()
        False
    """

    __test__ = False  # not a pytest test class, despite the name
    __slots__ = ("_previous",)

    def __init__(self, previous: tuple[bool, int | None]) -> None:
        self._previous = previous

    def __enter__(self) -> TestingMode:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        global _state
        with _lock:
            _state = self._previous


def set_testing(testing: bool, *, max_attempts: int | None = None) -> TestingMode:
    """Turn the retry decorators' waiting off (or back on) for the whole process.

    In testing mode ``retry`` and ``retry_on_condition`` never sleep: each
    wait is skipped, yet counted toward ``timeout`` as if it had happened, so
    retried code makes exactly the attempts it would make in production, only
    instantly. Log records and ``on_retry`` still report the planned delay.
    ``max_attempts`` optionally caps every decorator's attempts (``1`` turns
    retrying off entirely; a decorator with fewer attempts keeps its own).

    Args:
        testing: ``True`` to switch testing mode on, ``False`` to switch it off.
        max_attempts: Cap on attempts while testing (``None``: no cap).

    Returns:
        A context manager that restores the previous mode on exit.

    Raises:
        InvalidArgumentTypeError: ``testing`` is not a bool or ``max_attempts`` not an int.
        InvalidArgumentError: ``max_attempts`` is below 1.

    Example:
        >>> from ml_infra.decorators import retry
        >>> calls = []
        >>> @retry(max_attempts=3, delay=60.0)
        ... def flaky() -> str:
        ...     calls.append(1)
        ...     if len(calls) < 3:
        ...         raise ConnectionError("try again")
        ...     return "ok"
        >>> with set_testing(True):  # no 3-minute wait
        ...     flaky()
        'ok'
    """
    global _state
    if not isinstance(testing, bool):
        raise InvalidArgumentTypeError(
            f"set_testing: testing must be True or False, got {describe(testing)}"
        )
    cap = None if max_attempts is None else validate_max_attempts("set_testing", max_attempts)
    with _lock:
        previous = _state
        _state = (testing, cap if testing else None)
    return TestingMode(previous)


def is_testing() -> bool:
    """Whether testing mode is on (see :func:`set_testing`).

    Returns:
        ``True`` while retry waits are skipped.

    Example:
        >>> is_testing()
        False
    """
    return _state[0]


def testing_attempt_cap() -> tuple[bool, int | None]:
    """The current mode and attempt cap, read in one step.

    Returns:
        ``(testing, max_attempts cap or None)``.

    Example:
        >>> testing_attempt_cap()
        (False, None)
    """
    return _state
