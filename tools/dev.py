#!/usr/bin/env python3
"""The ml-infra developer entry point (standard library only).

    python3 tools/dev.py test [--python X.Y] [PYTEST ARGS...]   lint, type-check, test
    python3 tools/dev.py test --lowest [DIST...]  each wheel against its lowest dependencies
    python3 tools/dev.py demo                     build, publish locally, install, run
    python3 tools/dev.py bench [--filter TEXT]    benchmarks as ratios against anchors
    python3 tools/dev.py release <command> ...    per-distribution release tooling

Every command first makes sure a project-local virtual environment exists and
holds the pinned tooling of the root ``pyproject.toml`` plus the four
distributions installed editable: ``.venv`` for the interpreter running this
script, ``.venv-X.Y`` for ``--python X.Y``. The install is skipped when nothing
it depends on changed.

This is the one entry point of ``tools/``: it puts the repository root on the
import path (here, and as ``PYTHONPATH`` for the tools it starts with
``python -P -m tools.<name>``), so every module imports ``tools.<...>`` by name.
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
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make ``tools`` importable
    sys.path.insert(0, str(ROOT))

from tools import _console  # noqa: E402 - after the path setup above
from tools._console import ToolError, find_python, say, say_error  # noqa: E402

PACKAGES_DIR = ROOT / "packages"
DEV_GROUP = "dev"
STAMP_NAME = ".ml-infra-install-stamp"


class DevError(ToolError):
    """A step failed; the message says which one."""


@dataclass(frozen=True)
class Env:
    """A project virtual environment and the interpreter it is made from."""

    base: Path  # the interpreter that creates it
    path: Path

    def bin(self, name: str) -> Path:
        return self.path / ("Scripts" if os.name == "nt" else "bin") / name

    @property
    def python(self) -> Path:
        return self.bin("python.exe" if os.name == "nt" else "python")

    @property
    def stamp(self) -> Path:
        return self.path / STAMP_NAME


def default_env() -> Env:
    """``.venv``, made from the interpreter running this script."""
    return Env(Path(sys.executable), ROOT / ".venv")


def run(
    cmd: Sequence[str | os.PathLike[str]], *, what: str, env: Mapping[str, str] | None = None
) -> None:
    """Run ``cmd`` in the root, output streaming through; a failure names ``what``."""
    started = time.perf_counter()
    _console.run(cmd, what=what, cwd=ROOT, env=env, capture=False)
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


def interpreter_version(python: Path) -> str:
    """``sys.version`` of ``python`` ('' when it does not run)."""
    out = _console.attempt([python, "-c", "import sys; print(sys.version)"], cwd=ROOT)
    return out.stdout.strip() if out.returncode == 0 else ""


def install_fingerprint(version: str = sys.version) -> str:
    """Everything the install depends on: interpreter, pins, package metadata."""
    digest = hashlib.sha256(version.strip().encode())
    tracked = [ROOT / "pyproject.toml", ROOT / "tools" / "dev.py"]
    tracked += [p / "pyproject.toml" for p in package_dirs()]
    # The editable installs' metadata carries the version: a release commit reinstalls.
    tracked += sorted(PACKAGES_DIR.glob("*/src/ml_infra/*/__about__.py"))
    for path in tracked:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def ensure_venv(env: Env | None = None) -> Path:
    """Create or refresh ``env`` (default ``.venv``); a no-op when the stamp matches."""
    env = env or default_env()
    base_version = interpreter_version(env.base)
    fingerprint = install_fingerprint(base_version)
    python = env.python
    rel = env.path.relative_to(ROOT)
    if python.exists() and env.stamp.exists() and env.stamp.read_text().strip() == fingerprint:
        say(f"environment up to date ({rel}), skipping install")
        return python
    if not python.exists() or interpreter_version(python) != base_version:
        say(f"creating {rel} with {env.base} (stdlib venv)")
        if env.base == Path(sys.executable):
            venv.EnvBuilder(with_pip=True, clear=True, upgrade_deps=False).create(env.path)
        else:
            run([env.base, "-m", "venv", "--clear", env.path], what=f"create {rel}")
    env.stamp.unlink(missing_ok=True)
    groups = tomllib.loads((ROOT / "pyproject.toml").read_text())["dependency-groups"]
    pins = dependency_group(DEV_GROUP, groups)
    pip: list[str | Path] = [python, "-m", "pip", "--disable-pip-version-check", "install"]
    pip += ["--quiet", "--progress-bar", "off"]
    say(f"installing {len(pins)} pinned tools (dependency group '{DEV_GROUP}') into {rel}")
    run([*pip, *pins], what="install pinned tooling")
    editables: list[str | Path] = []
    for pkg in package_dirs():
        editables += ["-e", pkg]
    say(f"installing {len(editables) // 2} distributions editable")
    run(
        [*pip, "--no-deps", "--no-build-isolation", *editables],
        what="install distributions (editable)",
    )
    env.stamp.write_text(fingerprint + "\n")
    return python


def tool_env() -> dict[str, str]:
    """The environment of every tool run: ``tools`` importable from the root."""
    return {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}


def check_steps(env: Env, pytest_args: list[str]) -> list[tuple[str, list[str | Path]]]:
    """ruff, ruff format, mypy --strict (packages and tools/), pytest with coverage."""
    # The coverage floor (pyproject.toml) holds for the whole suite; a partial
    # run (CI's changed distributions, `-k metrics`) reports coverage only.
    coverage_gate = ["--cov-fail-under=0"] if pytest_args else []
    python: str | Path = env.python
    ruff: str | Path = env.bin("ruff")
    return [
        ("ruff check", [ruff, "check", "."]),
        ("ruff format --check", [ruff, "format", "--check", "--quiet", "."]),
        ("mypy --strict", [python, "-m", "mypy", *mypy_targets()]),
        (
            "pytest",
            [python, "-m", "pytest", "--cov", "--cov-report=term", *coverage_gate, *pytest_args],
        ),
    ]


def cmd_test(args: list[str]) -> int:
    """``test [--python X.Y | --lowest] [ARGS...]``."""
    if args[:1] == ["--lowest"]:
        python = ensure_venv()
        cmd: list[str | Path] = [python, "-P", "-m", "tools.release", "floors"]
        cmd += args[1:] or ["--all"]
        return _console.attempt(cmd, cwd=ROOT, env=tool_env(), capture=False).returncode
    env = default_env()
    if args[:1] == ["--python"]:
        if len(args) < 2:
            raise DevError("--python needs a version, e.g. --python 3.12")
        version, args = args[1], args[2:]
        env = Env(find_python(version), ROOT / f".venv-{version}")
    ensure_venv(env)
    failed: list[str] = []
    for what, cmd in check_steps(env, args):
        say(f"running {what}")
        try:
            run(cmd, what=what, env=tool_env())
        except ToolError as exc:
            say_error(str(exc))
            failed.append(what)
    if failed:
        say_error(f"FAILED: {', '.join(failed)}")
        return 1
    say(f"all checks passed ({interpreter_version(env.python).split()[0]})")
    return 0


def mypy_targets() -> list[str]:
    """``-p ml_infra.<sub>`` for every distribution (namespace-aware), and ``-p tools``."""
    targets: list[str] = []
    for pkg in package_dirs():
        for sub in sorted((pkg / "src" / "ml_infra").iterdir()):
            if sub.is_dir() and (sub / "__init__.py").exists():
                targets += ["-p", f"ml_infra.{sub.name}"]
    return [*targets, "-p", "tools"]


def run_tool(module: str, args: list[str]) -> int:
    """Run ``python -m tools.<module>`` with the project environment's interpreter.

    It runs in the caller's working directory (the release CLI works on the git
    repository it is started in); ``-P`` keeps that directory off the import path,
    so the ``tools`` imported are always this checkout's.
    """
    python = ensure_venv()
    cmd: list[str | Path] = [python, "-P", "-m", f"tools.{module}", *args]
    return _console.attempt(cmd, cwd=Path.cwd(), env=tool_env(), capture=False).returncode


COMMANDS = {
    "test": "ruff, mypy --strict and pytest with coverage (extra arguments go to pytest); "
    "--python X.Y on another interpreter; --lowest: wheels against their lowest dependencies",
    "demo": "release rehearsal: build, publish to a local index, install ml-infra-metrics, run it",
    "bench": "benchmarks as ratios against anchors (extra arguments go to tools/bench)",
    "release": "release tooling: status, api, bump, tag, floors, build, from-tag, publish, ...",
    "venv": "only create or refresh .venv",
}


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
        return run_tool(command, rest)

    return _console.guarded(body)


if __name__ == "__main__":
    sys.exit(main())
