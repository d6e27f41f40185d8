"""Releasing several tags in one go: dependency order, floor siblings, immutable files.

The release workflow turns its tags into a matrix with ``plan`` (validated, ordered
dependencies first). Each tag's publish job then calls ``wait_for_floors`` so that
it uploads only once the lowest version of every in-repo requirement is on the
index (a user resolving the new release can always find what it needs), and
``check_not_rewritten`` before the upload, so that a rerun after a partial upload
only completes it and never replaces a released file.
"""

from __future__ import annotations

import time
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import Version

from tools._console import attempt, say
from tools.release._dists import VERSION_RE, Distribution, get, load, parse_tag
from tools.release._errors import ReleaseError
from tools.release._git import resolve, tag_exists
from tools.release._publish import index_hashes, sha256, validate_url
from tools.release._simple_index import checked_index_url
from tools.release._versions import floor

DEFAULT_TIMEOUT = 1800.0
DEFAULT_INTERVAL = 30.0


@dataclass(frozen=True)
class _Tagged:
    """A validated tag, with its distribution's requirements as the tagged commit declares them."""

    tag: str
    dist: Distribution
    requirements: tuple[Requirement, ...]


def _show(root: Path, tag: str, path: Path) -> str:
    """The text of ``path`` (a file of the work tree) in the commit ``tag`` points to."""
    rel = path.relative_to(root).as_posix()
    result = attempt(["git", "show", f"refs/tags/{tag}:{rel}"], cwd=root)
    if result.returncode != 0:
        raise ReleaseError(f"tag {tag}: its commit has no {rel}")
    return result.stdout


def _read_tag(root: Path, dists: dict[str, Distribution], tag: str) -> _Tagged:
    """Parse and check one tag: it exists, and its commit holds the version it names."""
    dist, version = parse_tag(dists, tag)
    if not tag_exists(root, tag):
        raise ReleaseError(f"tag {tag} does not exist (push it first, or git fetch --tags)")
    match = VERSION_RE.search(_show(root, tag, dist.version_file))
    found = match["version"] if match else "no __version__"
    if found != str(version):
        raise ReleaseError(f"tag {tag}: its commit has {dist.name} version {found}, not {version}")
    try:
        project = tomllib.loads(_show(root, tag, dist.path / "pyproject.toml"))["project"]
        requirements = tuple(Requirement(r) for r in project.get("dependencies", []))
    except (tomllib.TOMLDecodeError, KeyError, InvalidRequirement) as exc:
        raise ReleaseError(f"tag {tag}: unexpected project metadata ({exc})") from exc
    return _Tagged(tag, dist, requirements)


def _in_repo(dists: dict[str, Distribution], requirements: Sequence[Requirement]) -> set[str]:
    """The names of the in-repo distributions among ``requirements``."""
    by_canonical = {canonicalize_name(name): name for name in dists}
    return {
        by_canonical[canonicalize_name(r.name)]
        for r in requirements
        if canonicalize_name(r.name) in by_canonical
    }


def plan(root: Path, tags: Sequence[str]) -> list[str]:
    """Validate ``tags`` and order them dependencies first.

    Every tag must be ``<dist>-v<version>`` of a known distribution, exist, and
    point to a commit whose source holds that version; duplicates and two tags
    of one distribution are refused. All problems are reported together. A tag
    comes after the tags of every distribution it requires, directly or through
    untagged ones (the requirements as each tagged commit declares them); among
    the tags whose dependencies are placed, the earliest given comes first.

    Args:
        root: The repository root.
        tags: The release tags, in any order.

    Returns:
        The tags, dependencies first.

    Raises:
        ReleaseError: A tag is invalid, repeated or unknown, or the tagged
            distributions require each other in a cycle.
    """
    if not tags:
        raise ReleaseError("no tags to release: give at least one <dist>-v<version> tag")
    dists = load(root)
    problems: list[str] = []
    tagged: dict[str, _Tagged] = {}  # by distribution name, in the order given
    for tag in tags:
        try:
            item = _read_tag(root, dists, tag)
        except ReleaseError as exc:
            problems.append(str(exc))
            continue
        other = tagged.get(item.dist.name)
        if other is not None and other.tag == tag:
            problems.append(f"tag {tag} is given twice")
        elif other is not None:
            problems.append(
                f"tags {other.tag} and {tag} both release {item.dist.name}: one version per run"
            )
        else:
            tagged[item.dist.name] = item
    if problems:
        raise ReleaseError("cannot plan the release: " + "; ".join(dict.fromkeys(problems)))

    edges = {name: _in_repo(dists, dist.requirements) for name, dist in dists.items()}
    edges.update({name: _in_repo(dists, item.requirements) for name, item in tagged.items()})
    before: dict[str, set[str]] = {}
    for name in tagged:
        reached: set[str] = set()
        todo = list(edges[name])
        while todo:
            dep = todo.pop()
            if dep not in reached:
                reached.add(dep)
                todo.extend(edges[dep])
        before[name] = reached & set(tagged)

    ordered: list[str] = []
    waiting = list(tagged)
    while waiting:
        ready = next((n for n in waiting if before[n] <= set(ordered)), None)
        if ready is None:
            cycle = ", ".join(tagged[n].tag for n in waiting)
            raise ReleaseError(f"cannot order {cycle}: their distributions require each other")
        ordered.append(ready)
        waiting.remove(ready)
    return [tagged[name].tag for name in ordered]


@dataclass(frozen=True)
class _Floor:
    """The lowest version of an in-repo sibling that a requirement admits."""

    sibling: str
    version: Version
    requirement: Requirement

    def on(self, filenames: Sequence[str]) -> bool:
        """Whether ``filenames`` (an index's listing of the sibling) hold a wheel of this version."""
        for filename in filenames:
            try:
                name, version, _, _ = parse_wheel_filename(filename)
            except InvalidWheelFilename:
                continue
            if name == canonicalize_name(self.sibling) and version == self.version:
                return True
        return False


def _missing(index_url: str, floors: Sequence[_Floor]) -> tuple[list[_Floor], str | None]:
    """The floors the index lacks, and the last query error (queries that fail count as lacking)."""
    missing: list[_Floor] = []
    error: str | None = None
    for item in floors:
        try:
            present = item.on(list(index_hashes(index_url, item.sibling)))
        except ReleaseError as exc:
            present, error = False, str(exc)
        if not present:
            missing.append(item)
    return missing, error


def wait_for_floors(
    root: Path,
    tag: str,
    index_url: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    interval: float = DEFAULT_INTERVAL,
) -> None:
    """Return once every in-repo requirement of ``tag``'s distribution has its floor on the index.

    The requirements are read from the work tree, which must be the tagged
    commit. The floor of ``ml-infra-preprocessing>=0.1.0,<0.2`` is 0.1.0: it is
    there when the index's simple page for the sibling lists a wheel of that
    version. Failed index queries are retried until the timeout, and named then.

    Args:
        root: The repository root, checked out at ``tag``.
        tag: The release tag about to be published.
        index_url: The simple index the release goes to (``https://pypi.org/simple/``).
        timeout: Seconds to wait at most.
        interval: Seconds between two queries.

    Raises:
        ReleaseError: HEAD is not ``tag``, a requirement has no floor, or a floor
            is still missing after ``timeout`` seconds (naming sibling and version).
    """
    if timeout < 0 or interval <= 0:
        raise ReleaseError(f"wait for floors: timeout ({timeout}) >= 0 and interval > 0 needed")
    validate_url(index_url, what="index URL")
    dists = load(root)
    dist, _ = parse_tag(dists, tag)
    if resolve(root, f"refs/tags/{tag}") != resolve(root, "HEAD"):
        raise ReleaseError(f"HEAD is not {tag}: check out the tag before waiting for its floors")
    floors = [
        _Floor(dists[name].name, floor(req), req)
        for req in dist.requirements
        for name in _in_repo(dists, [req])
    ]
    if floors:  # a wrong index root fails now, not after the whole timeout
        checked_index_url(index_url, credentials_for=None)
    deadline = time.monotonic() + timeout
    while True:
        missing, error = _missing(index_url, floors)
        if not missing:
            found = (
                ", ".join(f"{f.sibling} {f.version}" for f in floors) or "no in-repo requirement"
            )
            say(f"{tag}: floors on {index_url}: {found}")
            return
        wanted = ", ".join(f"{f.sibling} {f.version} (floor of {f.requirement})" for f in missing)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            publish = ", ".join(dists[f.sibling].tag(f.version) for f in missing)
            last = f" (last index error: {error})" if error else ""
            raise ReleaseError(
                f"{tag} needs {wanted}, which has no wheel on {index_url} after {timeout:g} s: "
                f"publish {publish} first, or raise the floor in a new release{last}"
            )
        say(f"{tag}: waiting for {wanted} on {index_url} (next query in {interval:g} s)")
        time.sleep(min(interval, remaining))


def _belongs(dist: Distribution, filename: str) -> bool:
    """Whether ``filename`` is a wheel or sdist of ``dist``."""
    try:
        if filename.endswith(".whl"):
            name = parse_wheel_filename(filename)[0]
        else:
            name = parse_sdist_filename(filename)[0]
    except (InvalidWheelFilename, InvalidSdistFilename):
        return False
    return name == canonicalize_name(dist.name)


def check_not_rewritten(
    root: Path, dist_name: str, files: Sequence[Path], index_url: str
) -> list[str]:
    """Refuse ``files`` that the index already holds under the same name with other bytes.

    Run before an upload that skips existing files (PyPI's publish action with
    ``skip-existing``): identical files are then skipped, so a rerun completes a
    partial upload, and a released file is never replaced or silently kept
    beside different bytes.

    Args:
        root: The repository root.
        dist_name: The distribution the files belong to.
        files: The sdist and wheel about to be uploaded (all of ``dist/``).
        index_url: The simple index the upload goes to.

    Returns:
        The names of the files already on the index with the same sha256.

    Raises:
        ReleaseError: No files, a file of another distribution, or a name the
            index holds with another sha256.
    """
    dist = get(load(root), dist_name)
    if not files:
        raise ReleaseError(f"no files of {dist.name} to check against {index_url}")
    foreign = sorted(f.name for f in files if not _belongs(dist, f.name))
    if foreign:
        raise ReleaseError(
            f"refusing to publish {dist.name}: {', '.join(foreign)} are not its files "
            "(upload one distribution's sdist and wheel at a time)"
        )
    remote = index_hashes(checked_index_url(index_url, credentials_for=None), dist.name)
    local = {f.name: sha256(f) for f in files}
    differing = sorted(n for n, digest in local.items() if remote.get(n, digest) != digest)
    if differing:
        raise ReleaseError(
            f"refusing to publish {dist.name}: {index_url} already holds different files named "
            f"{', '.join(differing)} (a released version is immutable: bump the version instead)"
        )
    return sorted(n for n in local if n in remote)
