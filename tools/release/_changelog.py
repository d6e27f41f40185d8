"""Changelogs: building them with towncrier and reading one version's section back."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from packaging.version import InvalidVersion, Version

from tools._console import PYTHON, run
from tools.release._dists import Distribution
from tools.release._errors import ReleaseError

HEADING_RE = re.compile(r"^## \[?(?P<version>[0-9][^\]\s]*)\]?")


def build_changelog(root: Path, dist: Distribution, version: Version) -> None:
    """Render ``dist``'s fragments into its CHANGELOG.md as ``version``, consuming them.

    towncrier stages the changelog and the removal of the fragments with git.
    """
    today = dt.datetime.now(dt.UTC).date().isoformat()
    cmd = [PYTHON, "-m", "towncrier", "build", "--yes", "--config", "towncrier.toml"]
    cmd += ["--dir", str(dist.path.relative_to(root)), "--name", dist.name]
    cmd += ["--version", str(version), "--date", today]
    run(cmd, what=f"towncrier build for {dist.name} {version}", cwd=root)


def section(changelog: str, version: Version) -> str:
    """The body of ``version``'s section in a towncrier-built CHANGELOG.md."""
    lines = changelog.splitlines()
    start = None
    for i, line in enumerate(lines):
        match = HEADING_RE.match(line)
        if match is None:
            continue
        if start is not None:
            return "\n".join(lines[start:i]).strip() + "\n"
        try:
            found = Version(match["version"])
        except InvalidVersion:
            continue
        if found == version:
            start = i + 1
    if start is None:
        raise ReleaseError(f"no section for version {version} in the changelog")
    return "\n".join(lines[start:]).strip() + "\n"


def has_section(dist: Distribution, version: Version) -> bool:
    """Whether ``dist``'s CHANGELOG.md already has a section for ``version`` (a release commit)."""
    if not dist.changelog.exists():
        return False
    try:
        section(dist.changelog.read_text(encoding="utf-8"), version)
    except ReleaseError:
        return False
    return True
