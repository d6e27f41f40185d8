"""Running subprocesses and reporting progress and errors: the console of every tool.

Standard library only: ``tools/dev.py`` imports this module before ``.venv`` exists.
Every tool's errors derive from ``ToolError``, so one ``guarded`` turns any of
them into one error line and exit code 1.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

# Tools installed in the project environment are run as ``python -m <tool>`` with
# the interpreter running this code, so the pinned versions are always the ones used.
PYTHON = sys.executable


class ToolError(Exception):
    """A tool step refused or failed; the message says what and how to fix it."""


def say(message: str) -> None:
    """Print a progress line (flushed, so it shows while long steps run)."""
    print(f"==> {message}", flush=True)


def say_error(message: str) -> None:
    """Print an error line to stderr."""
    print(f"!! {message}", file=sys.stderr, flush=True)


def attempt(
    cmd: Sequence[str | os.PathLike[str]],
    *,
    cwd: Path,
    env: Mapping[str, str] | None = None,
    capture: bool = True,
) -> subprocess.CompletedProcess[str]:
    """Run ``cmd`` in ``cwd`` whatever its exit code (for commands whose failure is an answer)."""
    return subprocess.run(
        [os.fspath(c) for c in cmd],
        cwd=cwd,
        env=dict(env) if env is not None else None,
        capture_output=capture,
        text=True,
        check=False,
    )


def run(
    cmd: Sequence[str | os.PathLike[str]],
    *,
    what: str,
    cwd: Path,
    env: Mapping[str, str] | None = None,
    capture: bool = True,
) -> str:
    """Run ``cmd`` in ``cwd`` and return its stdout (output streams through unless ``capture``).

    Raises ``ToolError`` naming ``what`` (and the tail of its output) on failure.
    """
    result = attempt(cmd, cwd=cwd, env=env, capture=capture)
    if result.returncode != 0:
        detail = ""
        if capture:
            tail = (result.stdout + result.stderr).strip().splitlines()[-25:]
            detail = "\n" + "\n".join(f"   | {line}" for line in tail) if tail else ""
        raise ToolError(f"{what} failed (exit code {result.returncode}){detail}")
    return result.stdout if capture else ""


def guarded(body: Callable[[], int], *, interrupted: str = "interrupted") -> int:
    """Run a command's ``body``: a ``ToolError`` is one error line and exit 1, Ctrl-C is 130."""
    try:
        return body()
    except ToolError as exc:
        say_error(str(exc))
        return 1
    except KeyboardInterrupt:
        say_error(interrupted)
        return 130


def find_python(version: str) -> Path:
    """The interpreter for ``--python X.Y``: ``pythonX.Y`` on PATH, or pyenv's versions."""
    parts = version.split(".")
    if len(parts) != 2 or not all(p.isascii() and p.isdigit() for p in parts):
        raise ToolError(f"--python wants a version like 3.12, got {version!r}")
    candidates: list[Path] = []
    found = shutil.which(f"python{version}")
    if found:
        candidates.append(Path(found))
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    candidates += sorted(pyenv_root.glob(f"versions/{version}.*/bin/python{version}"), reverse=True)
    for candidate in candidates:
        out = attempt(
            [candidate, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"], cwd=Path.cwd()
        )
        if out.returncode == 0 and out.stdout.strip() == version:
            return candidate
    raise ToolError(
        f"no Python {version} found (looked for python{version} on PATH and in "
        f"{pyenv_root}/versions); install it, e.g. pyenv install {version}"
    )
