"""The public face: exports, version, docstring examples."""

from __future__ import annotations

import doctest
import importlib
import importlib.metadata
import logging

import ml_infra.logging
import pytest

MODULES = [
    "ml_infra.logging",
    "ml_infra.logging._clock",
    "ml_infra.logging._coercion",
    "ml_infra.logging._config",
    "ml_infra.logging._errors",
    "ml_infra.logging._formatter",
    "ml_infra.logging._levels",
    "ml_infra.logging._logger",
    "ml_infra.logging._redaction",
    "ml_infra.logging._sanitize",
]


def test_version_matches_installed_metadata() -> None:
    """__version__ is the distribution's version."""
    assert ml_infra.logging.__version__ == importlib.metadata.version("ml-infra-logging")


def test_all_is_sorted_and_importable() -> None:
    """__all__ is sorted (ruff's order) and every name exists."""
    names = ml_infra.logging.__all__
    assert names == sorted(names, key=lambda n: (not n.isupper(), not n[:1].isupper(), n))
    for name in names:
        assert hasattr(ml_infra.logging, name)


def test_errors_subclass_the_base_and_builtins() -> None:
    """Concrete errors are LoggingErrors and the matching builtins."""
    from ml_infra.logging import (
        ConfigurationError,
        LoggingError,
        LoggingTypeError,
        LoggingValueError,
    )

    assert issubclass(LoggingTypeError, LoggingError)
    assert issubclass(LoggingTypeError, TypeError)
    assert issubclass(LoggingValueError, ValueError)
    assert issubclass(ConfigurationError, LoggingValueError)


def test_no_heavy_imports() -> None:
    """The package does not import numpy or pandas itself (checked in a fresh interpreter)."""
    import subprocess
    import sys

    code = "import sys, ml_infra.logging; print('numpy' in sys.modules, 'pandas' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "False"]


@pytest.mark.parametrize("module", MODULES)
def test_docstring_examples(module: str) -> None:
    """The examples in docstrings run and print what they show."""
    root = logging.getLogger()
    before = list(root.handlers)
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert root.handlers == before
