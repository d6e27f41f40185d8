#!/usr/bin/env python3
"""The ml-infra developer entry point (standard library only).

    python3 tools/dev.py test [PYTEST ARGS...]   lint, type-check and test everything
    python3 tools/dev.py demo                    build, publish locally, install, run
    python3 tools/dev.py bench [--filter TEXT]   benchmarks as ratios against anchors
    python3 tools/dev.py release <command> ...   per-distribution release tooling

Every command first makes sure the project-local ``.venv`` exists and holds the
pinned tooling of the root ``pyproject.toml`` plus the four distributions
installed editable. The install is skipped when nothing it depends on changed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import time
import tomllib
import venv
from collections.abc import Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
STAMP = VENV / ".ml-infra-install-stamp"
PACKAGES_DIR = ROOT / "packages"
DEV_GROUP = "dev"
# The tools' console (progress, errors, subprocesses): standard library only.
sys.path.insert(0, str(ROOT / "tools" / "release"))

import _proc  # noqa: E402 - after the path setup above
from _errors import ReleaseError  # noqa: E402
from _proc import say, say_error  # noqa: E402


class DevError(ReleaseError):
    """A step failed; the message says which one."""


def venv_bin(name: str) -> Path:
    return VENV / ("Scripts" if os.name == "nt" else "bin") / name


def venv_python() -> Path:
    return venv_bin("python.exe" if os.name == "nt" else "python")


def run(
    cmd: Sequence[str | os.PathLike[str]], *, what: str, env: Mapping[str, str] | None = None
) -> None:
    """Run ``cmd`` in the root, output streaming through; a failure names ``what``."""
    started = time.perf_counter()
    _proc.run(cmd, what=what, cwd=ROOT, env=env, capture=False)
    say(f"{what}: ok ({time.perf_counter() - started:.1f}s)")


def package_dirs() -> list[Path]:
    return sorted(p for p in PACKAGES_DIR.iterdir() if (p / "pyproject.toml").is_file())


def dependency_group(name: str, groups: dict[str, list[object]]) -> list[str]:
    """Resolve a PEP 735 group, following ``{include-group = ...}`` entries."""
    resolved: list[str] = []
    for item in groups[name]:
        if isinstance(item, str):
            resolved.append(item)
        elif isinstance(item, dict) and "include-group" in item:
            resolved.extend(dependency_group(str(item["include-group"]), groups))
        else:
            raise DevError(f"unsupported dependency-group entry in pyproject.toml: {item!r}")
    return resolved


def install_fingerprint() -> str:
    """Everything the install depends on: interpreter, pins, package metadata."""
    digest = hashlib.sha256(sys.version.encode())
    tracked = [ROOT / "pyproject.toml", ROOT / "tools" / "dev.py"]
    tracked += [p / "pyproject.toml" for p in package_dirs()]
    for path in tracked:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def ensure_venv() -> Path:
    """Create or refresh ``.venv``; a no-op when the stamp matches."""
    fingerprint = install_fingerprint()
    python = venv_python()
    if python.exists() and STAMP.exists() and STAMP.read_text().strip() == fingerprint:
        say(f"environment up to date ({VENV.relative_to(ROOT)}), skipping install")
        return python
    if not python.exists() or not _same_interpreter(python):
        say(f"creating {VENV.relative_to(ROOT)} with {sys.executable} (stdlib venv)")
        venv.EnvBuilder(with_pip=True, clear=True, upgrade_deps=False).create(VENV)
    STAMP.unlink(missing_ok=True)
    groups = tomllib.loads((ROOT / "pyproject.toml").read_text())["dependency-groups"]
    pins = dependency_group(DEV_GROUP, groups)
    pip = [python, "-m", "pip", "--disable-pip-version-check", "install", "--progress-bar", "off"]
    say(f"installing {len(pins)} pinned tools (dependency group '{DEV_GROUP}')")
    run([*pip, *pins], what="install pinned tooling")
    editables: list[str | Path] = []
    for pkg in package_dirs():
        editables += ["-e", pkg]
    say(f"installing {len(editables) // 2} distributions editable")
    run(
        [*pip, "--no-deps", "--no-build-isolation", *editables],
        what="install distributions (editable)",
    )
    STAMP.write_text(fingerprint + "\n")
    return python


def _same_interpreter(python: Path) -> bool:
    out = _proc.attempt([python, "-c", "import sys; print(sys.version)"], cwd=ROOT)
    return out.returncode == 0 and out.stdout.strip() == sys.version.strip()


def cmd_test(pytest_args: list[str]) -> int:
    python = ensure_venv()
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    # The coverage floor (pyproject.toml) holds for the whole suite; a partial
    # run (CI's changed distributions, `-k metrics`) reports coverage only.
    coverage_gate = ["--cov-fail-under=0"] if pytest_args else []
    steps: list[tuple[str, list[str | Path]]] = [
        ("ruff check", [venv_bin("ruff"), "check", "."]),
        ("ruff format --check", [venv_bin("ruff"), "format", "--check", "--quiet", "."]),
        ("mypy --strict", [python, "-m", "mypy", *mypy_targets()]),
        (
            "pytest",
            [python, "-m", "pytest", "--cov", "--cov-report=term", *coverage_gate, *pytest_args],
        ),
    ]
    failed: list[str] = []
    for what, cmd in steps:
        say(f"running {what}")
        try:
            run(cmd, what=what, env=env)
        except ReleaseError as exc:
            say_error(str(exc))
            failed.append(what)
    if failed:
        say_error(f"FAILED: {', '.join(failed)}")
        return 1
    say("all checks passed")
    return 0


def mypy_targets() -> list[str]:
    """``-p ml_infra.<sub>`` for every distribution (namespace-aware)."""
    targets: list[str] = []
    for pkg in package_dirs():
        for sub in sorted((pkg / "src" / "ml_infra").iterdir()):
            if sub.is_dir() and (sub / "__init__.py").exists():
                targets += ["-p", f"ml_infra.{sub.name}"]
    return targets


def run_tool_script(script: str, args: list[str]) -> int:
    """Run ``tools/<script>`` with the project environment's interpreter."""
    python = ensure_venv()
    path = ROOT / "tools" / script
    if not path.exists():
        raise DevError(f"tools/{script} is missing")
    return _proc.attempt([python, path, *args], cwd=ROOT, capture=False).returncode


COMMANDS = {
    "test": "ruff, mypy --strict and pytest with coverage (extra arguments go to pytest)",
    "demo": "release rehearsal: build, publish to a local index, install ml-infra-metrics, run it",
    "bench": "benchmarks as ratios against anchors (extra arguments go to tools/bench/run.py)",
    "release": "release tooling: status, bump, build, from-tag, publish, changed",
    "venv": "only create or refresh .venv",
}
SCRIPTS = {"demo": "demo.py", "bench": "bench/run.py", "release": "release/cli.py"}


def usage() -> str:
    lines = ["usage: python3 tools/dev.py <command> [args...]", "", "commands:"]
    lines += [f"  {name:<8} {text}" for name, text in COMMANDS.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] in {"-h", "--help"}:
        print(usage())
        return 0 if argv else 2
    command, rest = argv[0], argv[1:]
    if command not in COMMANDS:
        say_error(f"unknown command {command!r}\n\n{usage()}")
        return 2
    if shutil.which("git") is None:
        say_error("git is required on PATH")
        return 2

    def body() -> int:
        if command == "test":
            return cmd_test(rest)
        if command == "venv":
            ensure_venv()
            return 0
        return run_tool_script(SCRIPTS[command], rest)

    return _proc.guarded(body)


if __name__ == "__main__":
    sys.exit(main())
