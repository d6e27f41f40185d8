"""Run code in a fresh interpreter: what a user's process imports, free of the test session's imports."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterable

__all__ = ["imported_by"]


def imported_by(code: str, libraries: Iterable[str]) -> list[str]:
    """Run ``code`` in a new Python process; return which of ``libraries`` it imported.

    Args:
        code: Python source to run (it must not print).
        libraries: Top-level module names to look for in ``sys.modules`` afterwards.

    Returns:
        The sorted names of the libraries that ended up imported (any submodule counts).
    """
    wanted = sorted(set(libraries))
    probe = (
        f"{code}\nimport json, sys\n"
        f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set({wanted!r}))))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    found: list[str] = json.loads(out.stdout)
    return found
