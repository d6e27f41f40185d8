"""Import cost of ml_infra.decorators and ml_infra.logging, as users install them.

Every CLI and worker imports these at start-up, so each row times a whole
process, ``python -I -c "import X"``, for ours and for the anchor, alternating
(ours, anchor, ours, ...: the harness interleaves the repeats) so that machine
noise hits both alike. The packages come from *wheels* (not the editable
install of the dev environment, whose import hooks cost time of their own)
installed with the anchors into one virtual environment, built once per
source state and cached in the temporary directory; pip compiles the
bytecode, as it does for users. The ratio includes interpreter start-up on
both sides, as a user's ``time python -c ...`` does.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import shutil
import subprocess
import sys
import tempfile
import venv
from collections.abc import Callable
from pathlib import Path

from tools.bench.harness import Case, Goal

ROOT = Path(__file__).resolve().parents[2]
DISTRIBUTIONS = ("ml-infra-decorators", "ml-infra-logging")
ANCHORS = ("tenacity", "python-json-logger")
PAIRS = 21  # whole-process runs per side


def _source_key() -> str:
    """A digest of what the wheels are built from, and of the interpreter and anchors."""
    digest = hashlib.sha256(sys.version.encode())
    for anchor in ANCHORS:
        digest.update(f"{anchor}=={importlib.metadata.version(anchor)}".encode())
    for name in DISTRIBUTIONS:
        package = ROOT / "packages" / name
        for path in sorted(package.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(package)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _run(cmd: list[str | Path], what: str) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"bench_imports: {what} failed:\n{done.stdout}\n{done.stderr}")


@functools.cache
def environment() -> Path:
    """The interpreter of a venv holding our wheels and the anchors (built once, cached).

    Returns:
        Path of the venv's ``python``.
    """
    home = Path(tempfile.gettempdir()) / f"ml-infra-bench-imports-{_source_key()}"
    python = home / "venv" / "bin" / "python"
    if (home / "ready").exists():
        return python
    shutil.rmtree(home, ignore_errors=True)
    wheels = home / "wheels"
    for name in DISTRIBUTIONS:
        build: list[str | Path] = [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            wheels,
        ]
        _run([*build, ROOT / "packages" / name], f"building the {name} wheel")
    venv.EnvBuilder(with_pip=False, clear=True).create(home / "venv")
    anchors = [f"{anchor}=={importlib.metadata.version(anchor)}" for anchor in ANCHORS]
    pip: list[str | Path] = [
        sys.executable,
        "-m",
        "pip",
        "--disable-pip-version-check",
        "--python",
        python,
    ]
    install: list[str | Path] = [
        "install",
        "--quiet",
        "--no-deps",
        *sorted(wheels.glob("*.whl")),
        *anchors,
    ]
    _run([*pip, *install], "installing the wheels and anchors")
    (home / "ready").write_text("ok\n")
    return python


def _importer(module: str) -> Callable[[], None]:
    """One whole process that imports ``module`` (and fails loudly if it cannot)."""

    def run() -> None:
        done = subprocess.run(
            [environment(), "-I", "-c", f"import {module}"], capture_output=True, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(f"bench_imports: import {module} failed: {done.stderr!r}")

    return run


def _warm() -> None:
    """Build the venv (if needed) and run each import once: first runs read cold files."""
    for module in ("ml_infra.decorators", "tenacity", "ml_infra.logging", "pythonjsonlogger.json"):
        _importer(module)()


def _row(ours: str, anchor: str, goal: Goal) -> Case:
    """``import <ours>`` against ``import <anchor>``, whole processes, alternating."""
    return Case(
        name=f"imports: import {ours} (wheel, whole process)",
        ours=_importer(ours),
        anchor=_importer(anchor),
        anchor_name=f"import {anchor}",
        goal=goal,
        repeat=PAIRS,
        number=1,
        setup=_warm,
    )


def cases() -> list[Case]:
    return [
        _row("ml_infra.decorators", "tenacity", Goal.at_most(0.5)),
        _row("ml_infra.logging", "pythonjsonlogger.json", Goal.at_most(0.8)),
    ]
