"""The public face: error hierarchy and import weight (layout, version and examples: tests/packaging)."""

from __future__ import annotations


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
