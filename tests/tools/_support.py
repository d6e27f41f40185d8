"""Helpers shared by the tests of tools/ (``tests.tools._support``)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tools._console import ToolError, find_python

# Commits and tags in the clones must not depend on the developer's git config.
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Release Test",
    "GIT_AUTHOR_EMAIL": "release-test@example.org",
    "GIT_COMMITTER_NAME": "Release Test",
    "GIT_COMMITTER_EMAIL": "release-test@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
}

Runner = Callable[..., subprocess.CompletedProcess[str]]


def git(repo: Path, *args: str) -> str:
    """Run git in ``repo`` with the test identity; return stdout."""
    env = {**os.environ, **GIT_ENV}
    out = subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


def _has_python(version: str) -> bool:
    try:
        find_python(version)
    except ToolError:
        return False
    return True


# Floor trials run on the oldest Python the distributions admit (3.11): where a CI
# job has only a newer one, they are left to the job that has it (`lowest`).
needs_oldest_python = pytest.mark.skipif(
    not _has_python("3.11"), reason="floor trials need Python 3.11 (the oldest we claim)"
)
