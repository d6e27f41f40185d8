"""Release commits: ``release bump`` and ``release tag``, checked before anything is committed.

A release commit changes the version string, ``CHANGELOG.md`` (consuming the news
fragments) and, with ``--widen-dependents``, the in-repo ranges that would exclude
the new version. Before it is committed: the public API diff against the last tag
must allow the bump, lint must pass, the distribution's tests (and those of any
widened dependent) must pass on the tree as it will be tagged, and its wheel must
pass its tests against the lowest versions its metadata admits (floor siblings
built from their release tags). Any refusal or failure puts every file back.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

from tools._console import PYTHON, run, say, say_error
from tools.release import _git, _versions
from tools.release._api import api_diff
from tools.release._changelog import build_changelog, has_section
from tools.release._dists import Distribution, load
from tools.release._errors import ReleaseError
from tools.release._wheel_tests import Trial, oldest_python, trial


@dataclass(frozen=True)
class Plan:
    """What a release commit will do."""

    dist: Distribution
    version: Version
    fragments: int
    widen: tuple[tuple[Distribution, Requirement, str], ...]  # dependent, old req, new req
    verify: bool
    tag: bool


def refuse_dirty(root: Path) -> None:
    """Releases are made from a clean tree: nothing uncommitted ends up in a tag."""
    dirty = _git.dirty_paths(root)
    if dirty:
        shown = "\n".join(f"   {line}" for line in dirty[:10])
        raise ReleaseError(f"refusing to release from a dirty tree; commit or remove:\n{shown}")


def refuse_released(root: Path, dist: Distribution, new: Version) -> None:
    """A released version is never tagged again."""
    if _git.tag_exists(root, dist.tag(new)):
        raise ReleaseError(f"tag {dist.tag(new)} already exists: {dist.name} {new} is released")


def refuse_changes_after_release_commit(root: Path, dist: Distribution, new: Version) -> None:
    """``tag`` of a merged release commit: nothing of ``dist`` may have changed since it.

    Otherwise the tag would publish changes that its changelog section does not list.
    """
    rel = str(dist.changelog.relative_to(root))
    release_commit = _git.git(root, "log", "-1", "--format=%H", "--", rel)
    later = _git.count_commits(root, release_commit, dist.path)
    if later:
        raise ReleaseError(
            f"packages/{dist.name} changed in {later} commit(s) after the release commit "
            f"{release_commit[:12]} of {dist.name} {new}; its changelog does not list them. Tag "
            f"the release commit itself (git checkout {release_commit[:12]}, then release tag "
            f"{dist.name}), or release them as the next version (release bump {dist.name} auto)"
        )


def check_api(root: Path, dist: Distribution, new: Version) -> None:
    """Refuse ``new`` when the public API diff since the last tag needs a bigger bump."""
    last = _git.last_tag(root, dist.name)
    if last is None:
        return  # a first release has nothing to break
    # The bump is counted from the last release, not from the source version: a merged
    # release commit (`tag`) already carries the new version.
    current = Version(last.removeprefix(f"{dist.name}-v"))
    diff = api_diff(root, dist, last)
    required = diff.required_bump(current)
    if required is None or new >= _versions.bumped(current, required):
        return
    lines = [f"   {c.path}: {c.text}" for c in (diff.breaking or diff.added)]
    what, fragment = ("breaking changes", "breaking") if diff.breaking else ("additions", "feature")
    raise ReleaseError(
        f"{dist.name} {new} is too small a bump: the public API since {last} has {what} "
        f"that need a {required} release ({_versions.bumped(current, required)}):\n"
        + "\n".join(lines)
        + f"\n   (add a news fragment changelog.d/<issue>.{fragment}.md and bump again)"
    )


def widened(
    dists: dict[str, Distribution], dist: Distribution, new: Version
) -> tuple[tuple[Distribution, Requirement, str], ...]:
    """For each dependent whose range excludes ``new``: (dependent, its req, the raised req)."""
    upper = f"0.{new.minor + 1}" if new.major == 0 else f"{new.major + 1}"
    out = []
    for other in dists.values():
        req = other.depends_on(dist)
        if req is not None and not req.specifier.contains(new, prereleases=True):
            raised = f"{req.name}>={_versions.floor(req)},<{upper}"
            out.append((other, req, raised))
    return tuple(out)


def plan_bump(
    root: Path,
    dists: dict[str, Distribution],
    dist: Distribution,
    kind: str | None,
    *,
    widen: bool,
    verify: bool,
    tag: bool,
) -> Plan:
    """Every refusal that needs no change to the tree, in order; the plan otherwise."""
    refuse_dirty(root)
    frags = _versions.fragments(dist)
    if kind is None:  # `tag`: the current version, never tagged yet
        new = dist.version()
        refuse_released(root, dist, new)
        if has_section(dist, new):  # a release commit merged through a pull request
            refuse_changes_after_release_commit(root, dist, new)
            frags = []
        elif not frags:
            raise ReleaseError(f"{dist.name} has no pending news fragments: nothing to release")
    else:
        new, frags = _versions.resolve_bump(dist, kind)
        refuse_released(root, dist, new)
    check_api(root, dist, new)
    widen_plan = widened(dists, dist, new)
    if widen_plan and not widen:
        problems = "; ".join(
            f"{d.name} requires {r} ({d.path / 'pyproject.toml'})" for d, r, _ in widen_plan
        )
        raise ReleaseError(
            f"{dist.name} {new} would not satisfy in-repo dependents: {problems}. "
            "Pass --widen-dependents to raise those ranges in this release commit (with a "
            "news fragment in each dependent), then release each dependent "
            "(release bump <dependent> auto; raise its floor first if it needs the new code)."
        )
    _git.check_identity(root)
    if verify:
        oldest_python(dist)  # a missing interpreter is refused now, before anything is written
    return Plan(dist, new, len(frags), widen_plan, verify, tag)


def execute(root: Path, plan: Plan) -> str:
    """Write, verify, commit and (unless ``--no-tag``) tag; put everything back on failure."""
    dist, new = plan.dist, plan.version
    touched = [dist.path, *(d.path for d, _, _ in plan.widen)]
    if dist.version() == new and not plan.fragments:
        say(
            f"{dist.name} {new}: tagging the merged release commit {_git.resolve(root, 'HEAD')[:12]}"
        )
    else:
        say(f"{dist.name}: {dist.version()} -> {new} ({plan.fragments} fragment(s))")
    committed = False
    try:
        if dist.version() != new:
            dist.set_version(new)
        if plan.fragments:
            build_changelog(root, dist, new)
        for dependent, req, raised in plan.widen:
            raise_range(root, dependent, req, raised, dist, new)
        if plan.verify:
            verify(root, [dist, *(d for d, _, _ in plan.widen)])
        else:
            say_error("--no-verify: lint, tests and floors were NOT checked (rehearsals only)")
        _git.git(root, "add", "--all", "--", *(str(p.relative_to(root)) for p in touched))
        if _git.git(root, "diff", "--cached", "--name-only"):
            _git.git(root, "commit", "--quiet", "-m", f"Release {dist.name} {new}")
            committed = True
    except BaseException:
        # Nothing half-done: versions, changelogs, fragments and ranges go back.
        for path in touched:
            _git.restore(root, path)
        raise
    tag = dist.tag(new)
    if not plan.tag:
        say(
            f"committed the release of {dist.name} {new} (no tag): merge it, then run "
            f"`release tag {dist.name}` on the merged commit"
        )
        return tag
    _git.git(root, "tag", "--annotate", tag, "-m", f"{dist.name} {new}")
    if committed:
        say(f"committed and tagged {tag}; push with: git push origin HEAD {tag}")
    else:
        say(f"tagged {tag}; push with: git push origin {tag}")
    return tag


def raise_range(
    root: Path,
    dependent: Distribution,
    req: Requirement,
    raised: str,
    dist: Distribution,
    new: Version,
) -> None:
    """Rewrite ``dependent``'s requirement on ``dist`` to ``raised`` and add a news fragment."""
    pyproject = dependent.path / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    pattern = re.compile(r'"(?P<req>[^"\n]+)"')

    def swap(match: re.Match[str]) -> str:
        try:
            found = Requirement(match["req"])
        except ValueError:
            return match[0]
        return f'"{raised}"' if found == req else match[0]

    new_text = pattern.sub(swap, text)
    if new_text == text:
        raise ReleaseError(f"could not find {req} in {pyproject.relative_to(root)}")
    pyproject.write_text(new_text, encoding="utf-8")
    slug = f"{dist.sub}-{new}".replace(".", "-")
    fragment = dependent.fragments_dir / f"+widen-{slug}.bugfix.md"
    fragment.parent.mkdir(exist_ok=True)
    fragment.write_text(
        f"Allow `{dist.name}` {new}: the upper bound of the requirement on it was raised "
        f"to admit it.\n",
        encoding="utf-8",
    )
    say(f"{dependent.name}: {req} -> {raised} (news fragment {fragment.name})")


def verify(root: Path, dists: list[Distribution]) -> None:
    """Lint, each distribution's tests on the tree as it will be tagged, and its floors."""
    src = [str(p) for p in sorted(root.glob("packages/*/src"))]
    # The tree's own code first on the path, ahead of whatever .venv has installed.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), *src])}
    run([PYTHON, "-m", "ruff", "check", "--quiet", "."], what="ruff check", cwd=root)
    run(
        [PYTHON, "-m", "ruff", "format", "--check", "--quiet", "."],
        what="ruff format --check",
        cwd=root,
    )
    packages = [arg for dist in dists for arg in ("-p", f"ml_infra.{dist.sub}")]
    run([PYTHON, "-m", "mypy", *packages], what="mypy --strict", cwd=root, env=env)
    for dist in dists:
        cmd = [PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"tests/{dist.sub}"]
        run(cmd, what=f"tests/{dist.sub} ({dist.name})", cwd=root, env=env)
        say(f"{dist.name}: tests passed on the release tree")
    check_floors(root, dists[0])


def check_floors(root: Path, dist: Distribution) -> None:
    """The wheel's tests against its lowest dependencies; name the sibling to release first."""
    result = trial(root, dist, "lowest")
    if result.passed:
        say(f"{dist.name}: tests passed against its floors ({_describe(result)})")
        return
    tail = "\n".join(f"   | {line}" for line in result.output.splitlines()[-15:])
    stale = [s for s in result.siblings if s.source != "working tree"]
    if stale and trial(root, dist, "lowest", siblings_from_tree=True).passed:
        names = ", ".join(f"{s.name} {s.version} (built from {s.source})" for s in stale)
        sibling = load(root)[stale[0].name]
        nxt = sibling.version()
        where = f"packages/{dist.name}/pyproject.toml"
        # Released already and above the floor: raise the floor. Otherwise the code the
        # dependent needs is on the working tree only: the sibling is released first.
        if nxt != stale[0].version and _git.tag_exists(root, sibling.tag(nxt)):
            todo = (
                f"{sibling.name} {nxt} is released: raise the floor in {where} to "
                f"{sibling.name}>={nxt} and bump {dist.name} again"
            )
        else:
            todo = (
                f"Release {sibling.name} first (python3 tools/dev.py release bump "
                f"{sibling.name} auto), then raise the floor in {where} to "
                f"{sibling.name}>=<that version> and bump {dist.name} again"
            )
        raise ReleaseError(
            f"{dist.name} needs code that {names} lacks: its tests fail against that floor "
            f"and pass against the working tree's {sibling.name} {nxt}. {todo}.\n{tail}"
        )
    raise ReleaseError(
        f"{dist.name}: its tests fail against the lowest versions its metadata admits "
        f"({_describe(result)}); fix the code or raise those floors.\n{tail}"
    )


def _describe(result: Trial) -> str:
    parts = [f"{s.name} {s.version} from {s.source}" for s in result.siblings]
    return ", ".join([*parts, *result.third_party]) or "no dependencies"


def next_release(
    root: Path,
    dists: dict[str, Distribution],
    dist: Distribution,
    tag: str | None,
    frags: list[_versions.Fragment],
) -> tuple[str, str]:
    """The ``api`` and ``next`` cells of ``status``."""
    version = dist.version()
    if tag is None:
        needs = "" if frags else ", add a news fragment first"
        return "-", f"release tag -> {version} (first release{needs})"
    if tag != dist.tag(version) and has_section(dist, version):
        return "-", f"release tag -> {version} (release commit merged)"
    diff = api_diff(root, dist, tag)
    required = diff.required_bump(Version(tag.removeprefix(f"{dist.name}-v")))
    api = (
        "-"
        if required is None
        else f"{required} ({len(diff.breaking)} breaking, {len(diff.added)} added)"
    )
    implied = _versions.implied_bump(frags, version)
    kinds = [k for k in (implied, required) if k is not None]
    if not kinds:
        return api, "-"
    kind = next(k for k in _versions.BUMP_KINDS if k in kinds)  # the biggest needed
    new = _versions.bumped(version, kind)
    nxt = f"{kind} -> {new}"
    if required is not None and implied != kind:
        nxt += " (the API needs it: add a fragment)"
    if widened(dists, dist, new):
        nxt += " (needs --widen-dependents)"
    return api, nxt
