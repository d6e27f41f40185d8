"""The public API of a distribution between two git refs, compared with griffe.

The public API of ``ml_infra.<sub>`` is the set of names in its ``__all__`` (most of
them re-exported from private modules such as ``_scaling.py``) and, for each name,
what griffe sees statically: function and method signatures, class attributes and
methods, class bases. Nothing is imported; griffe parses the sources. A ref's
sources come from ``git archive`` of ``packages/<dist>/src/ml_infra/<sub>`` alone
into a temporary directory, so other distributions' code is never needed and the
repository (refs, worktrees, index) is never touched.

griffe's ``find_breaking_changes`` decides what breaks a signature: removed,
renamed or reordered parameters, parameters made required or of another kind, new
required parameters, changed defaults (breaking: a user who relied on the old
default silently gets other results, which is why scikit-learn deprecates default
changes first), removed class members. This module adds what griffe leaves out:
names leaving or joining ``__all__``, additions (new optional parameters, new
public members of public classes), and base classes compared through the whole
inheritance chain (griffe only counts the direct bases, so ``X(ValueError)`` ->
``X(TypeError)`` would pass). ``__version__`` is never an API change.

A ref at which the distribution did not exist yet is an error, not an "everything
added" diff: a first release has nothing to be compatible with, so the caller
skips the check for it instead of asking for a diff that would require a bump.
"""

from __future__ import annotations

import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

import griffe
from packaging.version import Version

from tools._console import attempt
from tools.release._dists import Distribution
from tools.release._errors import ReleaseError
from tools.release._git import git, resolve

ChangeKind = Literal["breaking", "added"]

# Not API: the version string changes with every release.
_NOT_API = frozenset({"__version__"})
_K = griffe.BreakageKind
# griffe's breakages in our words (``str.format`` with old, new, kind and where).
_BREAKAGE_TEXTS = {
    _K.PARAMETER_REMOVED: "parameter {old.name!r} removed",
    _K.PARAMETER_ADDED_REQUIRED: "new required parameter {new.name!r}",
    _K.PARAMETER_CHANGED_REQUIRED: "parameter {old.name!r} is now required",
    _K.PARAMETER_MOVED: "parameter {old.name!r} moved {where}",
    _K.PARAMETER_CHANGED_KIND: "parameter {old.name!r} changed kind: {old.kind.value} -> {new.kind.value}",
    _K.PARAMETER_CHANGED_DEFAULT: "default of parameter {old.name!r} changed: {old.default} -> {new.default}",
    _K.OBJECT_REMOVED: "removed",
    _K.OBJECT_CHANGED_KIND: "changed from a {old.value} to a {new.value}",
    _K.RETURN_CHANGED_TYPE: "return annotation changed: {old} -> {new}",
}
# How a new member of a class is named in the report.
_MEMBER_KINDS = {
    griffe.Kind.FUNCTION: "method",
    griffe.Kind.ATTRIBUTE: "attribute",
    griffe.Kind.CLASS: "class",
}


@dataclass(frozen=True)
class ApiChange:
    """One change of the public API.

    Attributes:
        kind: ``"breaking"`` (users' code may stop working) or ``"added"``.
        path: The public dotted path, e.g. ``ml_infra.preprocessing.clip_outliers``.
        text: One line for humans, e.g. ``parameter 'factor' removed``.
    """

    kind: ChangeKind
    path: str
    text: str

    def __str__(self) -> str:
        return f"{self.kind:<10}{self.path}: {self.text}"


@dataclass(frozen=True)
class ApiDiff:
    """The public API changes of one distribution between a ref and a newer tree.

    Attributes:
        dist: The distribution's name.
        against: The git ref compared with (the older side).
        changes: Breaking changes first, then additions, each group sorted by path.
        head: The newer side's git ref, or None for the working tree.
        version: The distribution's version on the newer side (what a bump starts
            from), or None when it could not be read.
    """

    dist: str
    against: str
    changes: tuple[ApiChange, ...]
    head: str | None = None
    version: Version | None = None

    @property
    def breaking(self) -> tuple[ApiChange, ...]:
        """The changes that may break users' code."""
        return tuple(c for c in self.changes if c.kind == "breaking")

    @property
    def added(self) -> tuple[ApiChange, ...]:
        """The backwards-compatible additions."""
        return tuple(c for c in self.changes if c.kind == "added")

    def required_bump(self, current: Version) -> str | None:
        """The smallest bump from ``current`` that these changes allow.

        Args:
            current: The version the bump starts from.

        Returns:
            ``"major"`` for a breaking change (``"minor"`` while ``current.major``
            is 0), ``"minor"`` for additions only, None when the API is unchanged.
        """
        if self.breaking:
            return "minor" if current.major == 0 else "major"
        return "minor" if self.added else None


def api_diff(root: Path, dist: Distribution, against: str, *, head: str | None = None) -> ApiDiff:
    """Compare the public API of ``dist`` at ``against`` with ``head``.

    Args:
        root: The repository root.
        dist: The distribution (its path and ``sub`` are those of the working tree).
        against: The older git ref (tag, branch or commit).
        head: The newer git ref, or None for the working tree (uncommitted and
            untracked files included).

    Returns:
        The changes, breaking first.

    Raises:
        ReleaseError: A ref does not exist, the distribution did not exist at a ref,
            or its ``__init__.py`` cannot be read or defines no ``__all__``.
    """
    with _sources(root, dist, against) as old_src, _sources(root, dist, head) as new_src:
        old = _load(dist, old_src, against)
        new = _load(dist, new_src, head or "the working tree")
        changes = _compare(old, new)
        version = _version(dist, new_src)
    return ApiDiff(dist.name, against, changes, head, version)


def render(diff: ApiDiff) -> str:
    """The report ``release api`` prints: one line per change, then the required bump.

    Args:
        diff: The diff to show.

    Returns:
        Lines like ``breaking  ml_infra.preprocessing.ensure_1d: removed from the
        public API``, the last one naming the required bump.
    """
    lines = [str(change) for change in diff.changes]
    since = f"since {diff.against} ({diff.head or 'the working tree'})"
    if not diff.changes:
        lines.append(f"{diff.dist}: no public API changes {since}")
    elif diff.version is None:
        need = "major (minor while 0.x)" if diff.breaking else "minor"
        lines.append(f"{diff.dist}: required bump {since}: {need}")
    else:
        zero = diff.breaking and diff.version.major == 0
        need = f"{diff.required_bump(diff.version)}{' (breaking, while 0.x)' if zero else ''}"
        lines.append(f"{diff.dist}: required bump {since}: {need} from {diff.version}")
    return "\n".join(lines)


# ---------------------------------------------------------------- loading


@contextmanager
def _sources(root: Path, dist: Distribution, ref: str | None) -> Iterator[Path]:
    """The ``src`` directory of ``dist`` at ``ref`` (the working tree's for None)."""
    src = dist.path / "src"
    if ref is None:
        yield src
        return
    commit = resolve(root, ref)
    package = (src / "ml_infra" / dist.sub).resolve().relative_to(root.resolve()).as_posix()
    found = attempt(["git", "cat-file", "-e", f"{commit}:{package}/__init__.py"], cwd=root)
    if found.returncode != 0:
        raise ReleaseError(
            f"{dist.name} did not exist at {ref} (no {package}/__init__.py there): "
            "there is no API to compare with (a first release needs no API check)"
        )
    with tempfile.TemporaryDirectory(prefix="ml-infra-api-") as tmp:
        archive = Path(tmp) / "src.tar"
        git(root, "archive", "--format=tar", f"--output={archive}", commit, "--", package)
        with tarfile.open(archive) as tar:
            tar.extractall(tmp, filter="data")
        yield Path(tmp) / Path(package).parent.parent


def _load(dist: Distribution, src: Path, where: str) -> griffe.Module:
    """Load ``ml_infra.<sub>`` from ``src`` statically, aliases resolved within it."""
    name = f"ml_infra.{dist.sub}"
    try:
        with griffe.logger.disable():
            obj = griffe.load(
                name,
                search_paths=[src],
                try_relative_path=False,
                allow_inspection=False,  # never import (run) the code of a ref
                store_source=False,
                resolve_aliases=True,
                resolve_external=False,  # sibling distributions are not loaded
            )
    except (ImportError, griffe.GriffeError, SyntaxError) as exc:
        raise ReleaseError(f"cannot read the API of {name} at {where}: {exc}") from exc
    if not isinstance(obj, griffe.Module) or obj.exports is None:
        raise ReleaseError(
            f"{name} at {where} defines no __all__ in its __init__.py: list its public names"
        )
    for export in sorted(_exports(obj)):
        member = obj.members.get(export)
        # griffe skips a module it cannot parse: its names would vanish from the diff.
        broken = member is None or (
            isinstance(member, griffe.Alias)
            and member.target_path.startswith(f"{name}.")
            and _target(member) is None
        )
        if broken:
            raise ReleaseError(
                f"{name}.{export} at {where} is listed in __all__ but cannot be found "
                "(is it imported in __init__.py? does its module parse?)"
            )
    return obj


def _version(dist: Distribution, src: Path) -> Version | None:
    """The version in the single source under ``src``, None if it cannot be read."""
    try:
        about = src / dist.version_file.relative_to(dist.path / "src")
        return replace(dist, version_file=about).version()
    except (ValueError, OSError, ReleaseError):
        return None


# ---------------------------------------------------------------- comparing


def _compare(old: griffe.Module, new: griffe.Module) -> tuple[ApiChange, ...]:
    """All changes from ``old`` to ``new``, breaking first, each group sorted by path."""
    old_names, new_names = _exports(old), _exports(new)
    common = old_names & new_names
    public = {**_public_paths(old, old_names), **_public_paths(new, new_names)}
    found: set[ApiChange] = set()
    for name in old_names - new_names:
        found.add(ApiChange("breaking", f"{old.path}.{name}", "removed from the public API"))
    for name in new_names - old_names:
        found.add(ApiChange("added", f"{new.path}.{name}", "new public name"))
    with griffe.logger.disable():
        breakages = list(griffe.find_breaking_changes(old, new))
    for breakage in breakages:
        if breakage.kind is griffe.BreakageKind.CLASS_REMOVED_BASE:
            continue  # compared through the whole chain in _walk
        path = _public_path(breakage.obj.path, public)
        top = path.removeprefix(f"{new.path}.").partition(".")[0]
        if path.startswith(f"{new.path}.") and top in old_names - new_names:
            continue  # reported above as removed from the public API
        found.add(ApiChange("breaking", path, _describe(breakage)))
    seen: set[tuple[str, str]] = set()
    for name in common:
        found.update(
            _walk(old.members[name], new.members[name], f"{new.path}.{name}", public, seen)
        )
    order = {"breaking": 0, "added": 1}
    return tuple(sorted(found, key=lambda c: (order[c.kind], c.path, c.text)))


def _exports(module: griffe.Module) -> set[str]:
    """The names in the module's ``__all__``, ``__version__`` excluded."""
    names = {e if isinstance(e, str) else e.name for e in module.exports or ()}
    return names - _NOT_API


def _public_paths(module: griffe.Module, names: set[str]) -> dict[str, str]:
    """Canonical paths (``ml_infra.x._core.f``) of exported objects -> their public paths."""
    table: dict[str, str] = {}
    for name in names:
        public = f"{module.path}.{name}"
        table[public] = public
        member = module.members.get(name)
        if isinstance(member, griffe.Alias):
            table[member.target_path] = public
            target = _target(member)
            if target is not None:
                table[target.path] = public
    return table


def _public_path(path: str, public: dict[str, str]) -> str:
    """``path`` with its longest exported prefix replaced by the public path."""
    parts = path.split(".")
    for end in range(len(parts), 0, -1):
        prefix = ".".join(parts[:end])
        if prefix in public:
            return ".".join([public[prefix], *parts[end:]])
    return path


def _target(obj: griffe.Object | griffe.Alias) -> griffe.Object | None:
    """The object an alias finally points to (the object itself otherwise), if loaded."""
    if not isinstance(obj, griffe.Alias):
        return obj
    try:
        return obj.final_target
    except (griffe.AliasResolutionError, griffe.CyclicAliasError):
        return None  # e.g. re-exported from another distribution: not ours to compare


def _walk(
    old_obj: griffe.Object | griffe.Alias,
    new_obj: griffe.Object | griffe.Alias,
    path: str,
    public: dict[str, str],
    seen: set[tuple[str, str]],
) -> Iterator[ApiChange]:
    """Additions and base-class changes from ``old_obj`` to ``new_obj`` (at ``path``)."""
    old, new = _target(old_obj), _target(new_obj)
    if old is None or new is None or old.kind is not new.kind or (old.path, new.path) in seen:
        return  # a changed kind is griffe's to report
    seen.add((old.path, new.path))
    if isinstance(old, griffe.Function) and isinstance(new, griffe.Function):
        before = {p.name for p in old.parameters}
        for param in new.parameters:
            if param.name not in before and not param.required:
                yield ApiChange("added", path, f"new optional parameter {param.name!r}")
    elif isinstance(old, griffe.Class) and isinstance(new, griffe.Class):
        old_bases, new_bases = _ancestors(old, public), _ancestors(new, public)
        for base in sorted(old_bases - new_bases):
            yield ApiChange("breaking", path, f"no longer a subclass of {base}")
        for base in sorted(new_bases - old_bases):
            yield ApiChange("added", path, f"now also a subclass of {base}")
        before_members = old.all_members
        for name, member in new.all_members.items():
            if not member.is_public:
                continue
            if name in before_members:
                yield from _walk(before_members[name], member, f"{path}.{name}", public, seen)
            else:
                what = _MEMBER_KINDS.get(member.kind, "member")
                yield ApiChange("added", f"{path}.{name}", f"new public {what}")


def _ancestors(cls: griffe.Class, public: dict[str, str]) -> set[str]:
    """Every public base class up the chain, by public path (builtins by name: ``ValueError``).

    Private classes in the chain (``_core._Base``) are walked through but not listed:
    users cannot name them, so inserting or removing one changes nothing for them.
    """
    found: set[str] = set()
    todo, visited = [cls], {cls.path}
    while todo:
        current = todo.pop()
        for base in current.bases:
            path = _public_path(base if isinstance(base, str) else base.canonical_path, public)
            if not any(p.startswith("_") and not p.endswith("__") for p in path.split(".")):
                found.add(path)
        for resolved in current.resolved_bases:
            if isinstance(resolved, griffe.Class) and resolved.path not in visited:
                visited.add(resolved.path)
                todo.append(resolved)
    return found


def _describe(breakage: griffe.Breakage) -> str:
    """One line for a griffe breakage, without griffe's file locations and colours."""
    template = _BREAKAGE_TEXTS.get(breakage.kind, "{kind}: {old} -> {new}")
    return template.format(
        old=breakage.old_value,
        new=breakage.new_value,
        kind=breakage.kind.value,
        where=breakage.details.replace("position: from", "from position"),
    )
