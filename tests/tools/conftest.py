"""Fixtures for the tests of tools/: temporary clones, a release CLI runner, a local index."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.tools._support import GIT_ENV, Runner, git
from tools.demo._index import LocalIndex

ROOT = Path(__file__).resolve().parents[2]


def _baseline(repo: Path) -> None:
    """Make a clone deterministic: versions 0.1.0, metrics on preprocessing>=0.1.0,<0.2, no
    fragments, changelogs without released sections (as before a first release)."""
    for about in repo.glob("packages/*/src/ml_infra/*/__about__.py"):
        text = re.sub(r'__version__ = "[^"]*"', '__version__ = "0.1.0"', about.read_text())
        about.write_text(text)
    pyproject = repo / "packages" / "ml-infra-metrics" / "pyproject.toml"
    text = re.sub(
        r'"ml-infra-preprocessing[^"]*"',
        '"ml-infra-preprocessing>=0.1.0,<0.2"',
        pyproject.read_text(),
    )
    pyproject.write_text(text)
    marker = "<!-- towncrier release notes start -->\n"
    for changelog in repo.glob("packages/*/CHANGELOG.md"):  # no released sections yet
        text = changelog.read_text()
        changelog.write_text(text[: text.index(marker) + len(marker)])
    for frag in repo.glob("packages/*/changelog.d/*"):
        if frag.name != ".gitkeep":
            frag.unlink()
    _trim_package_tests(repo)
    git(repo, "add", "--all")
    if git(repo, "status", "--porcelain"):
        git(repo, "commit", "--quiet", "-m", "test baseline")
    # Real release tags of the project (ml-infra-metrics-v0.1.1, ...) would collide
    # with the versions the tests release: the clones start with none.
    for tag in git(repo, "tag", "--list").split():
        git(repo, "tag", "--delete", tag)


#: The one test module per distribution that the clones keep (see ``_trim_package_tests``).
KEPT_TESTS = {
    "decorators": "test_stats.py",
    "logging": "test_clock.py",
    "metrics": "test_confusion.py",
    "preprocessing": "test_clipping.py",
}


def _trim_package_tests(repo: Path) -> None:
    """Keep one real test module per distribution in the clone.

    These tests check the release tooling, which runs a distribution's tests (in
    the working tree, then from its wheel at its floors) during ``bump``/``tag``/
    ``floors``; what those tests contain does not matter to them, so the clones
    run one small real module per distribution instead of the whole suites (a
    real release runs every test). The tests that need a failing or a new test
    write it into the clone themselves.
    """
    for sub, kept in KEPT_TESTS.items():
        for test in (repo / "tests" / sub).glob("test_*.py"):
            if test.name != kept:
                test.unlink()


@pytest.fixture(scope="session")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One clone of the committed repository, normalized by ``_baseline``."""
    repo = tmp_path_factory.mktemp("pristine") / "repo"
    subprocess.run(
        ["git", "clone", "--quiet", str(ROOT), str(repo)], check=True, env={**os.environ, **GIT_ENV}
    )
    # The release tooling under test is the working tree's; keep the clone's config current too.
    shutil.copy2(ROOT / "towncrier.toml", repo / "towncrier.toml")
    _baseline(repo)
    return repo


@pytest.fixture
def repo(pristine: Path, tmp_path: Path) -> Path:
    """A fresh temporary clone for one test (cheap: cloned from the pristine one)."""
    clone = tmp_path / "repo"
    subprocess.run(
        ["git", "clone", "--quiet", str(pristine), str(clone)],
        check=True,
        env={**os.environ, **GIT_ENV},
    )
    return clone


@pytest.fixture
def release(repo: Path) -> Runner:
    """Run ``python -m tools.release <args>`` (the working tree's tools) inside the clone."""

    def run(
        *args: str, env: dict[str, str | None] | None = None
    ) -> subprocess.CompletedProcess[str]:
        """``env`` adds variables; a value of None removes that variable."""
        merged = {**os.environ, **GIT_ENV, "PYTHONPATH": str(ROOT), **(env or {})}
        full_env = {k: v for k, v in merged.items() if v is not None}
        return subprocess.run(
            [sys.executable, "-P", "-m", "tools.release", *args],
            cwd=repo,
            env=full_env,
            capture_output=True,
            text=True,
            check=False,
        )

    return run


@pytest.fixture(scope="session")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalIndex]:
    """A pypiserver on 127.0.0.1 for the whole session, always stopped at the end."""
    with LocalIndex(tmp_path_factory.mktemp("index")) as idx:
        yield idx
