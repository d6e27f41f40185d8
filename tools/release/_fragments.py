"""``check-fragments``: what a pull request must record in its news fragments.

Rules, per distribution, for the commits since the merge base with ``--since``
(the working tree included):

* a change to ``packages/<dist>/src`` adds a fragment to that distribution's
  ``changelog.d/`` (in any commit of the range: a fragment added and then
  consumed by a release commit of the same pull request counts);
* a change that breaks the public API (the griffe diff against the merge base)
  adds a ``breaking`` fragment;
* a release commit (``Release <dist> <version>``, touching only version files,
  changelogs, fragments and in-repo ranges) needs nothing: it records the
  fragments that were already there.
"""

from __future__ import annotations

import re
from pathlib import Path

from tools._console import say
from tools.release import _dists, _git
from tools.release._api import api_diff
from tools.release._errors import ReleaseError
from tools.release._versions import FRAGMENT_RE, fragments

RELEASE_SUBJECT = re.compile(r"^Release (?P<dist>ml-infra-[a-z0-9-]+) (?P<version>\S+)$")


def is_release_commit(root: Path, dists: dict[str, _dists.Distribution], commit: str) -> bool:
    """Whether ``commit`` is a release commit made by ``release bump``/``tag``."""
    subject, files = _git.files_of(root, commit)
    match = RELEASE_SUBJECT.match(subject)
    if match is None or match["dist"] not in dists:
        return False
    allowed = set()
    for dist in dists.values():
        rel = dist.path.relative_to(root).as_posix()
        allowed |= {
            dist.version_file.relative_to(root).as_posix(),
            f"{rel}/CHANGELOG.md",
            f"{rel}/pyproject.toml",
        }
    return all(f in allowed or "/changelog.d/" in f for f in files)


def source_changes(root: Path, since: str, dists: dict[str, _dists.Distribution]) -> set[str]:
    """Files changed since ``since`` by anything but release commits (working tree included)."""
    changed: set[str] = set()
    for commit in _git.commits_in(root, since):
        if not is_release_commit(root, dists, commit):
            changed.update(_git.files_of(root, commit)[1])
    changed.update(_git.uncommitted_files(root))
    return changed


def added_fragments(root: Path, since: str) -> set[str]:
    """Fragment files added by any commit of the range, or untracked in the working tree."""
    added: set[str] = set()
    for commit in _git.commits_in(root, since):
        added.update(_git.added_files(root, commit))
    added.update(_git.uncommitted_files(root, added_only=True))
    return {p for p in added if "/changelog.d/" in p and FRAGMENT_RE.match(p.rsplit("/", 1)[1])}


def check_fragments(root: Path, since: str) -> None:
    """Raise naming every distribution that misses a fragment or a ``breaking`` fragment."""
    dists = _dists.load(root)
    changed = source_changes(root, since, dists)
    added = added_fragments(root, since)
    base = _git.merge_base(root, since)
    missing: list[str] = []
    breaks: list[str] = []
    for dist in dists.values():
        fragments(dist)  # refuses misnamed fragments
        prefix = f"packages/{dist.name}/"
        if not any(p.startswith(prefix + "src/") for p in changed):
            continue
        mine = sorted(p for p in added if p.startswith(prefix + "changelog.d/"))
        if not mine:
            missing.append(dist.name)
            continue
        say(f"{dist.name}: source changed, fragment(s): {', '.join(mine)}")
        if not _git.exists_at(root, base, dist.version_file):
            continue  # a new distribution: nothing released to break
        diff = api_diff(root, dist, base)
        if diff.breaking and not any(".breaking." in p for p in mine):
            shown = "\n".join(f"   {c.path}: {c.text}" for c in diff.breaking)
            breaks.append(
                f"{dist.name} breaks its public API without a breaking fragment:\n{shown}"
            )
    problems = []
    if missing:
        problems.append(
            "source changed without a news fragment in: "
            + ", ".join(f"packages/{n}/changelog.d/" for n in missing)
            + " (add <issue>.<type>.md; use type misc for changes users do not see)"
        )
    problems += [
        b + "\n   (add changelog.d/<issue>.breaking.md, or keep the API compatible)" for b in breaks
    ]
    if problems:
        raise ReleaseError("\n".join(problems))
    say("news fragments: ok")
