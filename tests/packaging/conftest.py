"""Fixtures that build the four distributions once and make throwaway venvs."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import tomllib
import venv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ROOT / "packages"


@dataclass(frozen=True)
class Dist:
    """One distribution of the monorepo, read from its pyproject.toml."""

    name: str  # ml-infra-metrics
    sub: str  # metrics
    path: Path
    dependencies: tuple[str, ...]

    @property
    def module(self) -> str:
        return f"ml_infra.{self.sub}"

    @property
    def normalized(self) -> str:
        return self.name.replace("-", "_")


def _discover() -> list[Dist]:
    dists = []
    for pyproject in sorted(PACKAGES.glob("*/pyproject.toml")):
        project = tomllib.loads(pyproject.read_text())["project"]
        sub = project["name"].removeprefix("ml-infra-")
        dists.append(Dist(project["name"], sub, pyproject.parent, tuple(project["dependencies"])))
    return dists


DISTS = _discover()
BY_SUB = {d.sub: d for d in DISTS}


@dataclass(frozen=True)
class Built:
    """The built artifacts of one distribution."""

    dist: Dist
    wheel: Path
    sdist: Path


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Built]:
    """Build sdist and wheel (wheel from the sdist) of every distribution once."""
    out = tmp_path_factory.mktemp("dist")
    result: dict[str, Built] = {}
    for dist in DISTS:
        subprocess.run(
            [sys.executable, "-m", "build", "--no-isolation", "--outdir", out, dist.path],
            check=True,
            capture_output=True,
        )
        (wheel,) = out.glob(f"{dist.normalized}-*.whl")
        (sdist,) = out.glob(f"{dist.normalized}-*.tar.gz")
        result[dist.sub] = Built(dist, wheel, sdist)
    return result


@pytest.fixture(scope="session")
def wheelhouse(built: dict[str, Built]) -> Path:
    """The folder holding every built file (a --find-links target)."""
    return next(iter(built.values())).wheel.parent


class Env:
    """A fresh virtual environment without pip, driven by this interpreter's pip."""

    def __init__(self, path: Path, wheelhouse: Path) -> None:
        self.path = path
        self.wheelhouse = wheelhouse
        venv.EnvBuilder(with_pip=False, clear=True).create(path)
        self.python = path / "bin" / "python"

    def pip(self, *args: str, offline: bool = True) -> None:
        """Run pip against this environment; offline means only the wheelhouse."""
        index = ["--no-index"] if offline else []
        cmd = [
            sys.executable,
            "-m",
            "pip",
            "--disable-pip-version-check",
            "--python",
            str(self.python),
            *args,
        ]
        if args and args[0] == "install":
            cmd += [*index, "--find-links", str(self.wheelhouse)]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        assert proc.returncode == 0, f"pip {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}"

    def install(self, *subs: str, offline: bool = True) -> None:
        self.pip("install", *(BY_SUB[s].name for s in subs), offline=offline)

    def uninstall(self, *subs: str) -> None:
        self.pip("uninstall", "--yes", *(BY_SUB[s].name for s in subs))

    def importable(self, sub: str) -> bool:
        """Whether ``ml_infra.<sub>`` imports in an isolated interpreter."""
        code = f"import ml_infra.{sub} as m; assert m.__version__"
        proc = subprocess.run(
            [self.python, "-I", "-c", code],
            capture_output=True,
            text=True,
            check=False,
            cwd=self.path,
            env=_clean_env(),
        )
        if proc.returncode != 0 and "ModuleNotFoundError" not in proc.stderr:
            raise AssertionError(f"importing ml_infra.{sub} crashed:\n{proc.stderr}")
        return proc.returncode == 0

    def installed(self) -> set[str]:
        """Names of all distributions installed in the environment."""
        code = "import importlib.metadata as m; print('\\n'.join(d.metadata['Name'] for d in m.distributions()))"
        proc = subprocess.run(
            [self.python, "-I", "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env=_clean_env(),
        )
        return {line.strip().lower() for line in proc.stdout.splitlines() if line.strip()}


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "COV_CORE"))}


@pytest.fixture
def make_env(tmp_path: Path, wheelhouse: Path) -> Callable[[], Env]:
    """Factory for fresh environments in this test's temporary folder."""
    counter = iter(range(100))

    def factory() -> Env:
        return Env(tmp_path / f"venv{next(counter)}", wheelhouse)

    return factory


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Any test taking ``sub`` runs once per distribution (``metrics``, ...)."""
    if "sub" in metafunc.fixturenames:
        metafunc.parametrize("sub", [d.sub for d in DISTS])


@pytest.fixture
def dist(sub: str) -> Dist:
    """The distribution a ``sub``-parametrized test is about."""
    return BY_SUB[sub]


def source_version(dist: Dist) -> str:
    """The version in the single source, ``src/ml_infra/<sub>/__about__.py``."""
    about = (dist.path / "src" / "ml_infra" / dist.sub / "__about__.py").read_text()
    namespace: dict[str, object] = {}
    exec(compile(about, "__about__.py", "exec"), namespace)
    return str(namespace["__version__"])


@pytest.fixture
def version(dist: Dist) -> str:
    """The source version of the distribution under test."""
    return source_version(dist)


@pytest.fixture
def isolated_globals(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Run example code without leaking logging setup, env vars or cwd changes.

    Examples call ``configure()``, add handlers and set environment variables,
    as users would; the suite after them must not see any of it.
    """
    monkeypatch.chdir(tmp_path)
    for name in [n for n in os.environ if n.startswith("ML_INFRA_")]:
        monkeypatch.delenv(name)
    saved_env = dict(os.environ)
    manager = logging.Logger.manager
    existing = dict(manager.loggerDict)
    saved = {
        name: (logger.handlers[:], logger.level, logger.propagate, logger.disabled)
        for name, logger in [("", logging.root), *existing.items()]
        if isinstance(logger, logging.Logger)
    }
    try:
        yield
    finally:
        for name, logger in list(manager.loggerDict.items()):
            if name not in existing and isinstance(logger, logging.Logger):
                logger.handlers.clear()
                logger.setLevel(logging.NOTSET)
                logger.propagate = True
        for name, (handlers, level, propagate, disabled) in saved.items():
            logger = logging.root if name == "" else logging.getLogger(name)
            logger.handlers[:] = handlers
            logger.setLevel(level)
            logger.propagate, logger.disabled = propagate, disabled
        os.environ.clear()
        os.environ.update(saved_env)
