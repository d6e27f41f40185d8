"""The error hierarchy of ml_infra.decorators (layout, version and examples: tests/packaging)."""

from __future__ import annotations


def test_errors_subclass_builtins():
    """Each concrete error subclasses the package base and a builtin."""
    from ml_infra.decorators import (
        DecoratorsError,
        InvalidArgumentError,
        InvalidArgumentTypeError,
        UnknownTimerError,
    )

    assert issubclass(InvalidArgumentError, ValueError)
    assert issubclass(InvalidArgumentTypeError, TypeError)
    assert issubclass(UnknownTimerError, KeyError)
    for error in (InvalidArgumentError, InvalidArgumentTypeError, UnknownTimerError):
        assert issubclass(error, DecoratorsError)
