"""Messages show the caller's objects through one safe describer: no repr can break them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from ml_infra.decorators import (
    DecoratorsError,
    InvalidArgumentError,
    InvalidArgumentTypeError,
    reset_timing_stats,
    retry,
    retry_on_condition,
    set_testing,
    timer,
    timer_with_units,
    timing_stats,
)
from ml_infra.decorators._text import describe, exception_summary, safe_repr


class Unprintable:
    """An object whose repr raises."""

    def __repr__(self) -> str:
        raise RuntimeError("no repr for you")


class UnprintableInt(int):
    """An integer whose repr raises."""

    def __repr__(self) -> str:
        raise RuntimeError("no repr for you")


class Hostile(str):
    """A str subclass whose own methods raise."""

    def __len__(self) -> int:
        raise RuntimeError("no len")

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("no comparing")

    def __hash__(self) -> int:
        raise RuntimeError("no hashing")

    def __format__(self, spec: str) -> str:
        raise RuntimeError("no format")


class LoudRepr:
    """An object whose repr is a hostile str subclass."""

    def __repr__(self) -> str:
        return Hostile("loud")


class NoAttributes:
    """An object whose attribute lookup raises something else than AttributeError."""

    def __getattr__(self, name: str) -> object:
        raise RuntimeError("no attributes")


PLACEHOLDER = "<unrepresentable Unprintable object: repr raised RuntimeError>"


class TestSafeRepr:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("ms", "'ms'"),
            (Unprintable(), PLACEHOLDER),
            (10**5000, "<unrepresentable int object: repr raised ValueError>"),
            (LoudRepr(), "loud"),
        ],
        ids=["str", "raising-repr", "int-beyond-str-limit", "str-subclass-repr"],
    )
    def test_describes_without_raising(self, value: object, expected: str) -> None:
        """safe_repr gives the repr, or a placeholder naming the type when repr fails."""
        assert safe_repr(value) == expected
        assert describe(value) == f"{type(value).__name__} {expected}"

    @pytest.mark.parametrize("value", ["x" * 1000, list(range(1000)), 10**400])
    def test_long_reprs_are_cut(self, value: object) -> None:
        """A long repr is cut to about a hundred characters and says how long it was."""
        text = safe_repr(value)
        assert len(text) < 130
        assert text.endswith(f"... ({len(repr(value))} characters)")

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            (Hostile("disk\nfull"), "OSError: disk full"),
            ("x" * 1000, "OSError: " + "x" * 288 + "..."),
        ],
        ids=["str-subclass-message", "long-message"],
    )
    def test_exception_summaries(self, text: str, expected: str) -> None:
        """exception_summary gives one short line, whatever the message's type."""
        assert exception_summary(OSError(text)) == expected


HOSTILE_CALLS: dict[str, Callable[[object], Any]] = {
    "retry-max_attempts": lambda obj: retry(max_attempts=obj),
    "retry-delay": lambda obj: retry(delay=obj),
    "retry-exceptions": lambda obj: retry(exceptions=obj),
    "retry-exceptions-entry": lambda obj: retry(exceptions=(OSError, obj)),
    "retry-on_retry": lambda obj: retry(on_retry=obj),
    "retry-decorating": lambda obj: retry()(obj),
    "retry_on_condition-condition": lambda obj: retry_on_condition(obj),
    "retry_on_condition-jitter": lambda obj: retry_on_condition(bool, jitter=obj),
    "timer-logger": lambda obj: timer(logger=obj),
    "timer-name": lambda obj: timer(name=obj),
    "timer_with_units-unit": lambda obj: timer_with_units(obj),
    "timing_stats": lambda obj: timing_stats(obj),
    "reset_timing_stats": lambda obj: reset_timing_stats(obj),
    "set_testing": lambda obj: set_testing(obj),
    "set_testing-max_attempts": lambda obj: set_testing(True, max_attempts=obj),
}


class TestMessagesSurviveHostileRepr:
    @pytest.mark.parametrize("call", HOSTILE_CALLS.values(), ids=HOSTILE_CALLS.keys())
    def test_package_error_with_placeholder(self, call: Callable[[object], Any]) -> None:
        """An object whose repr raises gets the package's TypeError, naming its type."""
        with pytest.raises(InvalidArgumentTypeError, match=r"got Unprintable <unrepresentable"):
            call(Unprintable())

    @pytest.mark.parametrize(
        ("call", "error"),
        [
            (lambda: retry(max_attempts=UnprintableInt(0)), InvalidArgumentError),
            (lambda: retry(max_attempts=-(10**5000)), InvalidArgumentError),
            (lambda: set_testing(True, max_attempts=UnprintableInt(-3)), InvalidArgumentError),
            (lambda: timing_stats(NoAttributes()), InvalidArgumentTypeError),
            (lambda: reset_timing_stats(NoAttributes()), InvalidArgumentTypeError),
        ],
        ids=[
            "int-below-one",
            "int-beyond-str-limit",
            "testing-cap-below-one",
            "timing_stats-getattr",
            "reset-getattr",
        ],
    )
    def test_other_hostile_values(self, call: Callable[[], Any], error: type[Exception]) -> None:
        """Integers with a raising repr, or lookups that raise, end in the package's error."""
        with pytest.raises(error) as info:
            call()
        assert isinstance(info.value, DecoratorsError)


class TestStringArguments:
    @pytest.mark.parametrize(
        "call",
        [
            lambda: timer_with_units(Hostile("ms"), logger=None),
            lambda: timer(logger=None, name=Hostile("job")),
            lambda: timer_with_units("s", logger=None, name=Hostile("job")),
        ],
        ids=["unit", "timer-name", "timer_with_units-name"],
    )
    def test_str_subclasses_count_by_their_text(self, call: Callable[[], Any]) -> None:
        """A str subclass is the string it spells; its own __eq__, __hash__, __len__ never run."""

        @call()
        def job() -> int:
            return 1

        assert job() == 1
        assert timing_stats(Hostile("job")).count == 1

    def test_unknown_hostile_unit(self) -> None:
        """An unknown unit spelled by a hostile str subclass is the package's ValueError."""
        with pytest.raises(InvalidArgumentError, match="unknown unit 'minutes'"):
            timer_with_units(Hostile("minutes"))
