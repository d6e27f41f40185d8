"""The public face of ml_infra.decorators: exports, version, docstring examples."""

from __future__ import annotations

import doctest
import importlib
import importlib.metadata
import pkgutil

import ml_infra.decorators
import pytest

MODULES = sorted(
    f"ml_infra.decorators.{info.name}"
    for info in pkgutil.iter_modules(ml_infra.decorators.__path__)
)


def test_all_is_sorted_and_complete():
    """__all__ is sorted, names only existing objects, and keeps __version__."""
    exported = ml_infra.decorators.__all__
    assert exported == sorted(exported)
    assert "__version__" in exported
    for name in exported:
        assert hasattr(ml_infra.decorators, name), name


def test_version_matches_metadata():
    """__version__ is what the installed distribution reports."""
    assert ml_infra.decorators.__version__ == importlib.metadata.version("ml-infra-decorators")


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


@pytest.mark.parametrize("name", ["ml_infra.decorators", *MODULES])
def test_docstring_examples_run(name, capsys):
    """Every docstring example in the package runs and shows what it claims."""
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, capsys.readouterr().out
