"""The distributions of the monorepo: names, versions (single source) and in-repo edges."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from tools.release._errors import ReleaseError

# Only the quoted version is replaced: "[ \t]*$" (not "\s*$") keeps the line end and
# the file's final newline, so a release commit changes the version and nothing else.
VERSION_RE = re.compile(
    r"""^(?P<head>__version__[ \t]*=[ \t]*)(?P<quote>["'])(?P<version>[^"'\n]+)(?P=quote)""",
    re.MULTILINE,
)


@dataclass(frozen=True)
class Distribution:
    """One releasable distribution, ``packages/<name>/``."""

    name: str
    path: Path
    sub: str
    version_file: Path
    requirements: tuple[Requirement, ...]
    requires_python: str = ""

    @property
    def file_stem(self) -> str:
        """The name as it appears in wheel and sdist file names (``ml_infra_metrics``)."""
        return canonicalize_name(self.name).replace("-", "_")

    @property
    def changelog(self) -> Path:
        """The distribution's ``CHANGELOG.md``."""
        return self.path / "CHANGELOG.md"

    @property
    def fragments_dir(self) -> Path:
        """Where the distribution's news fragments live."""
        return self.path / "changelog.d"

    def version(self) -> Version:
        """The version in the single source (``__about__.py``), read fresh each time."""
        text = self.version_file.read_text(encoding="utf-8")
        match = VERSION_RE.search(text)
        if match is None:
            raise ReleaseError(f"no __version__ = '...' line in {self.version_file}")
        try:
            return Version(match["version"])
        except InvalidVersion as exc:
            raise ReleaseError(f"invalid version in {self.version_file}: {exc}") from exc

    def set_version(self, version: Version) -> None:
        """Rewrite the single source to ``version``."""
        text = self.version_file.read_text(encoding="utf-8")
        new = VERSION_RE.sub(
            lambda m: f"{m['head']}{m['quote']}{version}{m['quote']}", text, count=1
        )
        self.version_file.write_text(new, encoding="utf-8")

    def tag(self, version: Version) -> str:
        """The release tag of ``version``: ``<dist>-v<version>``."""
        return f"{self.name}-v{version}"

    def artifact_names(self, version: Version | None = None) -> tuple[str, str]:
        """The expected sdist and wheel file names for ``version`` (default: current)."""
        v = version or self.version()
        return f"{self.file_stem}-{v}.tar.gz", f"{self.file_stem}-{v}-py3-none-any.whl"

    def depends_on(self, other: Distribution) -> Requirement | None:
        """This distribution's requirement on ``other``, if any."""
        for req in self.requirements:
            if canonicalize_name(req.name) == canonicalize_name(other.name):
                return req
        return None


def load(root: Path) -> dict[str, Distribution]:
    """All distributions under ``root/packages``, keyed by name, sorted."""
    found: dict[str, Distribution] = {}
    for pyproject in sorted((root / "packages").glob("*/pyproject.toml")):
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ReleaseError(f"{pyproject}: not valid TOML ({exc})") from None
        folder = pyproject.parent
        try:
            name = data["project"]["name"]
            version_path = data["tool"]["hatch"]["version"]["path"]
            reqs = tuple(Requirement(r) for r in data["project"].get("dependencies", []))
        except (KeyError, InvalidRequirement) as exc:
            raise ReleaseError(f"{pyproject}: unexpected project metadata ({exc})") from exc
        if name != folder.name:
            raise ReleaseError(f"{pyproject}: project name {name!r} differs from its folder")
        version_file = folder / version_path
        found[name] = Distribution(
            name,
            folder,
            version_file.parent.name,
            version_file,
            reqs,
            str(data["project"].get("requires-python", "")),
        )
    if not found:
        raise ReleaseError(f"no distributions found under {root / 'packages'}")
    return found


def get(dists: dict[str, Distribution], name: str) -> Distribution:
    """The distribution called ``name``; a clear error listing the known ones otherwise."""
    try:
        return dists[name]
    except KeyError:
        known = ", ".join(dists)
        raise ReleaseError(f"unknown distribution {name!r} (known: {known})") from None


def dependents(dists: dict[str, Distribution], names: set[str]) -> set[str]:
    """``names`` plus every in-repo distribution depending on them, transitively."""
    result = set(names)
    grew = True
    while grew:
        grew = False
        for dist in dists.values():
            if dist.name in result:
                continue
            if any(dist.depends_on(dists[n]) is not None for n in result if n in dists):
                result.add(dist.name)
                grew = True
    return result


def parse_tag(dists: dict[str, Distribution], tag: str) -> tuple[Distribution, Version]:
    """Split ``<dist>-v<version>``; refuse unknown distributions and invalid versions."""
    name, sep, raw = tag.rpartition("-v")
    if not sep or not name or not raw:
        raise ReleaseError(f"tag {tag!r} is not of the form <distribution>-v<version>")
    dist = get(dists, name)
    try:
        version = Version(raw)
    except InvalidVersion:
        raise ReleaseError(f"tag {tag!r}: {raw!r} is not a valid version") from None
    if str(version) != raw:
        raise ReleaseError(f"tag {tag!r}: write the version normalized, as {version}")
    return dist, version


# Files outside packages/ that every distribution's tests depend on: a change there
# means "everything changed" for CI.
SHARED = (
    "pyproject.toml",
    "towncrier.toml",
    "tools/",
    "tests/conftest.py",
    "tests/packaging/",
    "tests/tools/",
    ".ci/",
    ".github/",
)


def changed(dists: dict[str, Distribution], paths: list[str]) -> list[str]:
    """Distributions whose files are among ``paths``, plus their in-repo dependents."""
    by_sub = {d.sub: d.name for d in dists.values()}
    hit: set[str] = set()
    for path in paths:
        parts = path.split("/")
        if path.startswith(SHARED):
            return sorted(dists)
        if parts[0] == "packages" and len(parts) > 2 and parts[1] in dists:
            hit.add(parts[1])
        elif parts[0] == "tests" and len(parts) > 2 and parts[1] in by_sub:
            hit.add(by_sub[parts[1]])
    return sorted(dependents(dists, hit))
