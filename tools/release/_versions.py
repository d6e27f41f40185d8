"""News fragments, the bump they imply, and the in-repo dependency ranges a bump must keep."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import InvalidVersion, Version

from tools.release._dists import Distribution
from tools.release._errors import ReleaseError

# Fragment type -> the bump it implies (None: nothing to release on its own).
FRAGMENT_TYPES: dict[str, str | None] = {
    "breaking": "major",
    "feature": "minor",
    "deprecation": "minor",
    "bugfix": "patch",
    "security": "patch",
    "doc": None,
    "misc": None,
}
BUMP_KINDS = ("major", "minor", "patch")
# towncrier's fragment names: <id>.<type>.md, optionally <id>.<type>.<n>.md; an
# id starting with "+" is an orphan (no issue link).
FRAGMENT_RE = re.compile(r"^(?P<id>\+?[\w-]+)\.(?P<type>[a-z]+)(?:\.(?P<counter>\d+))?\.md$")
IGNORED = {".gitkeep", "README.md", "README.rst", "README"}


@dataclass(frozen=True)
class Fragment:
    """One news fragment file."""

    path: Path
    id: str
    type: str


def fragments(dist: Distribution) -> list[Fragment]:
    """The pending fragments of ``dist``; refuses files that are not valid fragments."""
    found: list[Fragment] = []
    bad: list[str] = []
    if not dist.fragments_dir.is_dir():
        return found
    for path in sorted(dist.fragments_dir.iterdir()):
        if path.name in IGNORED:
            continue
        match = FRAGMENT_RE.match(path.name)
        if path.is_file() and match and match["type"] in FRAGMENT_TYPES:
            found.append(Fragment(path, match["id"], match["type"]))
        else:
            bad.append(path.name)
    if bad:
        types = ", ".join(FRAGMENT_TYPES)
        raise ReleaseError(
            f"{dist.fragments_dir}: not valid news fragments: {', '.join(bad)} "
            f"(expected <issue>.<type>.md with type one of: {types})"
        )
    return found


def implied_bump(frags: list[Fragment], current: Version) -> str | None:
    """The bump the fragment types imply; breaking is minor while the version is 0.x."""
    kinds = {FRAGMENT_TYPES[f.type] for f in frags} - {None}
    for kind in BUMP_KINDS:
        if kind in kinds:
            return "minor" if kind == "major" and current.major == 0 else kind
    return None


def bumped(current: Version, kind: str) -> Version:
    """``current`` bumped by ``kind`` (major, minor or patch); final X.Y.Z versions only."""
    if kind not in BUMP_KINDS:
        raise ReleaseError(f"unknown bump {kind!r} (expected one of {', '.join(BUMP_KINDS)})")
    if current.is_prerelease or current.is_postrelease or current.local or len(current.release) > 3:
        raise ReleaseError(
            f"bump handles final X.Y.Z versions only, not {current}; edit __about__.py by hand"
        )
    major, minor, patch = (*current.release, 0, 0)[:3]
    if kind == "major":
        return Version(f"{major + 1}.0.0")
    if kind == "minor":
        return Version(f"{major}.{minor + 1}.0")
    return Version(f"{major}.{minor}.{patch + 1}")


def resolve_bump(dist: Distribution, kind: str) -> tuple[Version, list[Fragment]]:
    """The new version for ``bump <dist> <kind>``; refuses when there is nothing to release."""
    frags = fragments(dist)
    if not frags:
        raise ReleaseError(
            f"{dist.name} has no pending news fragments in {dist.fragments_dir}: "
            "nothing to release (add e.g. changelog.d/<issue>.bugfix.md first)"
        )
    current = dist.version()
    if kind == "auto":
        implied = implied_bump(frags, current)
        if implied is None:
            types = ", ".join(sorted({f.type for f in frags}))
            raise ReleaseError(
                f"{dist.name}: the pending fragments ({types}) imply no release; "
                "choose major, minor or patch explicitly to release anyway"
            )
        kind = implied
    return bumped(current, kind), frags


def floor(req: Requirement) -> Version:
    """The lowest version ``req`` admits: the bound of its ``>=``, ``==`` or ``~=`` clause.

    Example: ``floor(Requirement("ml-infra-preprocessing>=0.1.0,<0.2"))`` is ``0.1.0``.
    """
    try:
        bounds = [
            Version(spec.version.removesuffix(".*"))
            for spec in req.specifier
            if spec.operator in {">=", "==", "~=", "==="}
        ]
    except InvalidVersion:
        raise ReleaseError(f"{req}: its lower bound is not a version to test at") from None
    if not bounds:
        raise ReleaseError(
            f"{req} has no lower bound: declare one (>=X.Y) so that it can be tested"
        )
    lowest = max(bounds)
    if not req.specifier.contains(lowest, prereleases=True) and not any(
        s.operator == "==" and s.version.endswith(".*") for s in req.specifier
    ):
        raise ReleaseError(f"{req} does not admit its own lower bound {lowest}")
    return lowest
