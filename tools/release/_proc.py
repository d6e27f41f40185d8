"""Running subprocesses with errors that say which step failed."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from _errors import ReleaseError

# Tools installed in the project environment are run as ``python -m <tool>`` with
# the interpreter running this code, so the pinned versions are always the ones used.
PYTHON = sys.executable


def say(message: str) -> None:
    """Print a progress line (flushed, so it shows while long steps run)."""
    print(f"==> {message}", flush=True)


def run(
    cmd: Sequence[str | os.PathLike[str]],
    *,
    what: str,
    cwd: Path,
    env: Mapping[str, str] | None = None,
    capture: bool = True,
) -> str:
    """Run ``cmd`` in ``cwd`` and return its stdout.

    Raises ``ReleaseError`` naming ``what`` (and the tail of its output) on failure.
    """
    result = subprocess.run(
        [os.fspath(c) for c in cmd],
        cwd=cwd,
        env=dict(env) if env is not None else None,
        capture_output=capture,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        detail = ""
        if capture:
            tail = (result.stdout + result.stderr).strip().splitlines()[-25:]
            detail = "\n" + "\n".join(f"   | {line}" for line in tail) if tail else ""
        raise ReleaseError(f"{what} failed (exit code {result.returncode}){detail}")
    return result.stdout if capture else ""
