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


def test_start_up_imports_only_what_a_call_needs() -> None:
    """Importing the package loads no module a first log call does not need (start-up time).

    dataclasses, datetime, decimal, uuid, pathlib and typing are looked up in
    sys.modules when a value of theirs is converted, never imported (checked in
    a fresh interpreter, beside what the interpreter had loaded already).
    """
    import json
    import subprocess
    import sys

    code = (
        "import sys; before = set(sys.modules); import ml_infra.logging; "
        "import json; print(json.dumps(sorted(set(sys.modules) - before)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    loaded = set(json.loads(result.stdout))
    deferred = {"dataclasses", "datetime", "decimal", "uuid", "pathlib", "typing", "inspect"}
    assert loaded & deferred == set()
    assert not any(name.startswith("opentelemetry") for name in loaded)


def test_deferred_types_still_convert_once_their_module_is_loaded() -> None:
    """A formatter built before datetime/decimal/uuid/pathlib/dataclasses were imported
    still converts their values (the lookup happens per value)."""
    import subprocess
    import sys

    code = """
import io, json, logging, sys
from ml_infra.logging import JsonFormatter
assert "decimal" not in sys.modules and "dataclasses" not in sys.modules
handler = logging.StreamHandler(out := io.StringIO())
handler.setFormatter(JsonFormatter())
log = logging.getLogger("late"); log.addHandler(handler); log.propagate = False
import dataclasses, datetime, decimal, pathlib, uuid
Row = dataclasses.make_dataclass("Row", ["password", "n"])
log.warning("m", extra={
    "when": datetime.date(2024, 1, 2), "d": decimal.Decimal("1.5"), "p": pathlib.PurePosixPath("/a"),
    "u": uuid.UUID(int=1), "row": Row("pw", 1), "dt": datetime.timedelta(seconds=2),
})
print(out.getvalue())
"""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    import json

    assert json.loads(result.stdout)["context"] == {
        "when": "2024-01-02",
        "d": "1.5",
        "p": "/a",
        "u": "00000000-0000-0000-0000-000000000001",
        "row": {"password": "[REDACTED]", "n": 1},
        "dt": 2.0,
    }
