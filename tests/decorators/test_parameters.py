"""Bad decorator arguments fail at decoration time with clear, typed errors."""

from __future__ import annotations

import asyncio
import math
import numbers
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from ml_infra.decorators import (
    DecoratorsError,
    InvalidArgumentError,
    InvalidArgumentTypeError,
    retry,
    retry_on_condition,
    set_testing,
    timer,
    timer_with_units,
)


def _noop() -> None:
    return None


class TestRetryArguments:
    @pytest.mark.parametrize("value", [0, -1, -100])
    def test_max_attempts_below_one(self, value):
        """max_attempts < 1 is a ValueError naming the argument and value."""
        with pytest.raises(
            InvalidArgumentError,
            match=rf"retry: max_attempts must be an integer >= 1, got {value}",
        ):
            retry(max_attempts=value)

    @pytest.mark.parametrize("value", [True, False, 2.0, "3", None])
    def test_max_attempts_not_int(self, value):
        """A bool, float, str or None max_attempts is a TypeError."""
        with pytest.raises(InvalidArgumentTypeError, match="max_attempts must be an integer"):
            retry(max_attempts=value)

    def test_max_attempts_any_integral(self, fake_time):
        """A numpy integer is an integer: accepted and stored as a plain int."""
        numpy = pytest.importorskip("numpy")
        calls: list[int] = []

        @retry(max_attempts=numpy.int64(2), delay=numpy.float32(0.0))
        def fail() -> None:
            calls.append(1)
            raise OSError("down")

        with pytest.raises(OSError, match="down") as info:
            fail()
        assert calls == [1, 1]
        assert "max_attempts=2 reached" in info.value.__notes__[0]

    @pytest.mark.parametrize("value", [-0.1, -5, math.nan, math.inf])
    def test_delay_negative_nan_or_infinite(self, value):
        """delay must be finite and >= 0."""
        with pytest.raises(
            InvalidArgumentError, match=r"retry: delay must be a finite number >= 0"
        ):
            retry(delay=value)

    @pytest.mark.parametrize("value", ["1", None, True, [1]])
    def test_delay_not_a_number(self, value):
        """A non-numeric delay is a TypeError."""
        with pytest.raises(InvalidArgumentTypeError, match="delay must be a real number"):
            retry(delay=value)

    @pytest.mark.parametrize("value", [0.99, 0, -2, math.nan])
    def test_backoff_below_one(self, value):
        """backoff < 1 (shrinking waits) or NaN is refused."""
        with pytest.raises(InvalidArgumentError, match="backoff must be a finite number >= 1"):
            retry(backoff=value)

    @pytest.mark.parametrize("value", [-1.0, math.nan])
    def test_max_delay_invalid(self, value):
        """max_delay must be >= 0."""
        with pytest.raises(InvalidArgumentError, match="max_delay"):
            retry(max_delay=value)

    @pytest.mark.parametrize("value", [-0.01, 1.01, math.nan])
    def test_jitter_outside_unit_interval(self, value):
        """jitter must lie in [0, 1]."""
        with pytest.raises(
            InvalidArgumentError, match="jitter must be a finite number >= 0 and <= 1"
        ):
            retry(jitter=value)

    @pytest.mark.parametrize("value", [0, -1.0, math.inf])
    def test_timeout_not_positive(self, value):
        """timeout must be a positive finite number."""
        with pytest.raises(InvalidArgumentError, match="timeout must be a finite number > 0"):
            retry(timeout=value)

    @pytest.mark.parametrize("value", ["ValueError", ValueError("x"), int, (ValueError, 3), None])
    def test_exceptions_not_exception_classes(self, value):
        """Every entry of exceptions must be an exception class."""
        with pytest.raises(InvalidArgumentTypeError, match="exceptions must be exception classes"):
            retry(exceptions=value)

    def test_exceptions_empty(self):
        """An empty tuple would never retry: refused."""
        with pytest.raises(InvalidArgumentError, match="at least one exception class"):
            retry(exceptions=())

    @pytest.mark.parametrize(
        "kind", [KeyboardInterrupt, SystemExit, GeneratorExit, asyncio.CancelledError]
    )
    def test_never_retried_classes_refused(self, kind):
        """Naming a never-retried class in exceptions is an error at decoration time."""
        with pytest.raises(InvalidArgumentError, match=f"may not include {kind.__qualname__}"):
            retry(exceptions=(OSError, kind))

    def test_subclass_of_never_retried_refused(self):
        """Subclasses of the never-retried classes are refused too."""

        class Shutdown(SystemExit):
            pass

        with pytest.raises(InvalidArgumentError, match="Shutdown"):
            retry(exceptions=Shutdown)

    def test_exceptions_accepts_list_and_single_class(self):
        """A single class or a list of classes is accepted."""
        retry(exceptions=OSError)
        retry(exceptions=[OSError, ValueError])

    def test_on_retry_not_callable(self):
        """on_retry must be callable."""
        with pytest.raises(InvalidArgumentTypeError, match="on_retry must be callable"):
            retry(on_retry="log")

    def test_errors_are_package_errors(self):
        """Both kinds subclass DecoratorsError and the builtin."""
        for call in (lambda: retry(max_attempts=0), lambda: retry(max_attempts="x")):
            with pytest.raises(DecoratorsError) as info:
                call()
            assert isinstance(info.value, ValueError | TypeError)


class RaisingFloat(numbers.Real):
    """A registered real number whose conversion to float raises."""

    def __float__(self) -> float:
        raise RuntimeError("no float for you")

    def __repr__(self) -> str:
        return "RaisingFloat()"

    __abs__ = __add__ = __ceil__ = __eq__ = __floor__ = __floordiv__ = __le__ = __lt__ = __mod__ = (
        __mul__
    ) = __neg__ = __pos__ = __pow__ = __radd__ = __rfloordiv__ = __rmod__ = __rmul__ = __round__ = (
        __rpow__
    ) = __rtruediv__ = __truediv__ = __trunc__ = lambda *a: NotImplemented
    __hash__ = object.__hash__


@numbers.Integral.register
class RaisingIndex:
    """A (virtual) integer whose __index__ raises."""

    def __index__(self) -> int:
        raise RuntimeError("no index for you")

    def __repr__(self) -> str:
        return "RaisingIndex()"


class IntRaisingComparisons(int):
    """An int subclass whose own comparisons raise."""

    def __lt__(self, other: object) -> bool:
        raise RuntimeError("no comparing")

    __le__ = __gt__ = __ge__ = __lt__


class RaisingIteration(list):  # type: ignore[type-arg]
    """A list subclass whose iteration raises."""

    def __iter__(self) -> Any:
        raise RuntimeError("no iterating")


NUMBERS: dict[str, Callable[[object], Any]] = {
    "retry-delay": lambda value: retry(delay=value),
    "retry-backoff": lambda value: retry(backoff=value),
    "retry-max_delay": lambda value: retry(max_delay=value),
    "retry-jitter": lambda value: retry(jitter=value),
    "retry-timeout": lambda value: retry(timeout=value),
    "retry_on_condition-delay": lambda value: retry_on_condition(bool, delay=value),
    "retry_on_condition-backoff": lambda value: retry_on_condition(bool, backoff=value),
    "retry_on_condition-timeout": lambda value: retry_on_condition(bool, timeout=value),
}


class TestNumberConverter:
    @pytest.mark.parametrize("call", NUMBERS.values(), ids=NUMBERS.keys())
    @pytest.mark.parametrize(
        "value",
        [10**400, -(10**400), Fraction(10**400), Fraction(-(10**400), 3)],
        ids=["int", "negative-int", "fraction", "negative-fraction"],
    )
    def test_beyond_float_range(self, call: Callable[[object], Any], value: object) -> None:
        """A number a float cannot hold is the package's ValueError naming the bounds."""
        with pytest.raises(
            InvalidArgumentError, match=r"must be a finite number .* got .*\(\d+ characters\)$"
        ):
            call(value)

    @pytest.mark.parametrize("call", NUMBERS.values(), ids=NUMBERS.keys())
    @pytest.mark.parametrize(
        ("value", "detail"),
        [
            (RaisingFloat(), r"got RaisingFloat RaisingFloat\(\) \(RuntimeError converting it\)"),
            (np.timedelta64(1, "s"), "got timedelta64"),
            (np.timedelta64("NaT"), "got timedelta64"),
            (Decimal("1"), "got Decimal"),
        ],
        ids=["raising-__float__", "timedelta", "timedelta-NaT", "decimal"],
    )
    def test_not_convertible(
        self, call: Callable[[object], Any], value: object, detail: str
    ) -> None:
        """A real number whose __float__ raises, a duration or a Decimal is the package's TypeError."""
        with pytest.raises(InvalidArgumentTypeError, match=rf"must be a real number, {detail}"):
            call(value)

    @pytest.mark.parametrize(
        "call",
        [lambda v: retry(max_attempts=v), lambda v: set_testing(True, max_attempts=v)],
        ids=["retry", "set_testing"],
    )
    @pytest.mark.parametrize(
        "value",
        [RaisingIndex(), np.timedelta64(3, "D")],
        ids=["raising-__index__", "timedelta"],
    )
    def test_max_attempts_not_convertible(
        self, call: Callable[[object], Any], value: object
    ) -> None:
        """An integer whose __index__ raises, or a duration, is the package's TypeError."""
        with pytest.raises(
            InvalidArgumentTypeError, match=r"max_attempts must be an integer >= 1, got"
        ):
            call(value)

    def test_int_subclasses_count_by_value(self, fake_time: Any) -> None:
        """An int subclass is its integer value: its own comparisons never run."""
        calls: list[int] = []

        @retry(max_attempts=IntRaisingComparisons(2), delay=0)
        def fail() -> None:
            calls.append(1)
            raise OSError("down")

        with pytest.raises(OSError, match="down"):
            fail()
        assert calls == [1, 1]

    @pytest.mark.parametrize(
        ("value", "expected"),
        [(Fraction(1, 4), 0.25), (np.float16(0.5), 0.5), (np.longdouble("0.125"), 0.125)],
        ids=["fraction", "float16", "longdouble"],
    )
    def test_other_real_numbers_convert(
        self, fake_time: Any, value: object, expected: float
    ) -> None:
        """Any real number a float can hold is accepted as the float nearest to it."""
        events: list[Any] = []

        @retry(max_attempts=2, delay=value, on_retry=events.append)
        def fail() -> None:
            raise OSError("down")

        with pytest.raises(OSError, match="down"):
            fail()
        assert events[0].next_delay == expected

    def test_exceptions_whose_iteration_raises(self) -> None:
        """A list subclass of exceptions whose iteration raises is the package's TypeError."""
        with pytest.raises(InvalidArgumentTypeError, match=r"RuntimeError iterating it"):
            retry(exceptions=RaisingIteration([OSError]))


class TestDecoratedObject:
    @pytest.mark.parametrize(
        "decorator",
        [retry(), retry_on_condition(bool), timer(logger=None), timer_with_units("ms")],
        ids=["retry", "retry_on_condition", "timer", "timer_with_units"],
    )
    def test_generator_function_refused(self, decorator):
        """Generator functions cannot be retried or timed: only creation would be covered."""

        def numbers():
            yield 1

        with pytest.raises(InvalidArgumentTypeError, match="cannot decorate a generator function"):
            decorator(numbers)

    @pytest.mark.parametrize(
        "decorator",
        [retry(), retry_on_condition(bool), timer(logger=None)],
        ids=["retry", "condition", "timer"],
    )
    def test_async_generator_function_refused(self, decorator):
        """Async generator functions are refused too."""

        async def stream():
            yield 1

        with pytest.raises(InvalidArgumentTypeError, match="an async generator function"):
            decorator(stream)

    @pytest.mark.parametrize("decorator", [retry(), timer(logger=None)], ids=["retry", "timer"])
    def test_non_callable_refused(self, decorator):
        """Decorating something that is not callable is a TypeError."""
        with pytest.raises(
            InvalidArgumentTypeError, match=r": can only decorate functions, got int 42"
        ):
            decorator(42)

    @pytest.mark.parametrize(
        "decorator",
        [retry(), retry_on_condition(bool), timer(logger=None)],
        ids=["retry", "condition", "timer"],
    )
    def test_class_refused(self, decorator):
        """A class would be replaced by a function (breaking isinstance): refused."""

        class Client:
            pass

        with pytest.raises(InvalidArgumentTypeError, match=r"got the class .*Client.*__init__"):
            decorator(Client)

    def test_bare_retry_refuses_class(self):
        """Bare @retry on a class is refused too, not taken as max_attempts."""
        with pytest.raises(InvalidArgumentTypeError, match=r"^retry: can only decorate functions"):
            retry(ValueError)

    def test_condition_not_callable(self):
        """retry_on_condition needs a callable condition."""
        with pytest.raises(
            InvalidArgumentTypeError, match=r"retry_on_condition: condition must be callable"
        ):
            retry_on_condition(None)

    def test_condition_validates_shared_arguments(self):
        """retry_on_condition checks max_attempts, delay and backoff like retry."""
        with pytest.raises(InvalidArgumentError, match=r"retry_on_condition: backoff"):
            retry_on_condition(bool, backoff=0.5)


class TestTimerArguments:
    @pytest.mark.parametrize("unit", ["minutes", "MS", "", "sec"])
    def test_unknown_unit(self, unit):
        """An unknown unit names the accepted ones."""
        with pytest.raises(
            InvalidArgumentError, match=r"unknown unit .*use one of 's', 'ms', 'us', 'ns'"
        ):
            timer_with_units(unit)

    def test_unit_not_a_string(self):
        """A non-string unit is a TypeError."""
        with pytest.raises(InvalidArgumentTypeError, match="unit must be a string"):
            timer_with_units(1000)  # type: ignore[arg-type]

    @pytest.mark.parametrize("logger", ["stdout", 3, object()])
    def test_logger_of_wrong_type(self, logger):
        """logger must be a callable, a logging.Logger or None."""
        with pytest.raises(InvalidArgumentTypeError, match="logger must be a callable"):
            timer(logger=logger)

    @pytest.mark.parametrize("name", ["", 3])
    def test_name_invalid(self, name):
        """name must be a non-empty string."""
        with pytest.raises(InvalidArgumentTypeError, match="name must be a non-empty string"):
            timer_with_units("s", name=name)
