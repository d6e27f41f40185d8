"""Thin, explicit wrappers around the git commands the release tooling needs."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from pathlib import Path

from packaging.version import InvalidVersion, Version

from tools._console import attempt, run
from tools.release._errors import ReleaseError


def git(root: Path, *args: str, what: str | None = None) -> str:
    """Run ``git <args>`` in ``root`` and return its stdout (stripped of the final newline)."""
    return run(["git", *args], what=what or f"git {' '.join(args)}", cwd=root).rstrip("\n")


def toplevel(start: Path) -> Path:
    """The root of the git work tree that contains ``start``."""
    result = attempt(["git", "rev-parse", "--show-toplevel"], cwd=start)
    if result.returncode != 0:
        raise ReleaseError(f"{start} is not inside a git work tree (run from the repository)")
    return Path(result.stdout.strip())


def dirty_paths(root: Path) -> list[str]:
    """Tracked changes and untracked files (ignored files excluded), as porcelain lines."""
    out = git(root, "status", "--porcelain", "--untracked-files=all")
    return [line for line in out.splitlines() if line.strip()]


def check_identity(root: Path) -> None:
    """Refuse early, before anything changes, when git cannot name a commit's author or tagger."""
    for var in ("GIT_AUTHOR_IDENT", "GIT_COMMITTER_IDENT"):
        if attempt(["git", "var", var], cwd=root).returncode != 0:
            raise ReleaseError(
                "git does not know who is releasing (it cannot make the release commit and "
                'tag): run git config user.name "Your Name" and git config user.email '
                '"you@example.org" (or set GIT_AUTHOR_*/GIT_COMMITTER_* variables) first'
            )


def restore(root: Path, path: Path) -> None:
    """Put ``path`` back as HEAD has it (index and work tree; files HEAD lacks are removed)."""
    rel = str(path.relative_to(root))
    git(root, "reset", "--quiet", "HEAD", "--", rel)
    git(root, "checkout", "--quiet", "HEAD", "--", rel)
    git(root, "clean", "--force", "--quiet", "-d", "--", rel)


def resolve(root: Path, ref: str) -> str:
    """The commit ``ref`` points to; a clear error for an unknown ref."""
    result = attempt(["git", "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], cwd=root)
    if result.returncode != 0:
        raise ReleaseError(f"unknown git ref {ref!r} (fetch it first, e.g. git fetch origin)")
    return result.stdout.strip()


def tag_exists(root: Path, tag: str) -> bool:
    """Whether the tag exists locally."""
    result = attempt(["git", "rev-parse", "--verify", "--quiet", f"refs/tags/{tag}"], cwd=root)
    return result.returncode == 0


def head_commit_time(root: Path) -> str:
    """Committer time of HEAD in seconds since the epoch (for SOURCE_DATE_EPOCH)."""
    return git(root, "log", "-1", "--format=%ct", "HEAD")


def tags_matching(root: Path, pattern: str) -> list[str]:
    """Tags matching the glob ``pattern`` that are reachable from HEAD."""
    out = git(root, "tag", "--list", pattern, "--merged", "HEAD")
    return [t for t in out.splitlines() if t]


def count_commits(root: Path, since: str | None, path: Path) -> int:
    """Commits touching ``path`` since ``since`` (all history when ``since`` is None)."""
    span = f"{since}..HEAD" if since else "HEAD"
    return int(git(root, "rev-list", "--count", span, "--", str(path.relative_to(root))))


def changed_files(root: Path, since: str, *, added_only: bool = False) -> list[str]:
    """Files changed since the merge base of ``since`` and HEAD, working tree included.

    Untracked (not ignored) files count as added, so a fragment written but not yet
    committed is seen locally just as it is in CI.
    """
    base = git(root, "merge-base", resolve(root, since), "HEAD")
    # -z: names verbatim, never in the quoted "na\303\257ve.md" form.
    args = ["diff", "--name-only", "--no-renames", "-z"]
    if added_only:
        args.append("--diff-filter=A")
    tracked = git(root, *args, base).split("\0")
    untracked = git(root, "ls-files", "-z", "--others", "--exclude-standard").split("\0")
    return sorted({f for f in [*tracked, *untracked] if f})


@contextlib.contextmanager
def worktree(root: Path, ref: str) -> Iterator[Path]:
    """A temporary detached work tree of ``ref``, removed afterwards whatever happens."""
    commit = resolve(root, ref)
    with tempfile.TemporaryDirectory(prefix="ml-infra-worktree-") as tmp:
        path = Path(tmp) / "tree"
        git(root, "worktree", "add", "--quiet", "--detach", str(path), commit)
        try:
            yield path
        finally:
            git(root, "worktree", "remove", "--force", str(path))


def last_tag(root: Path, dist_name: str) -> str | None:
    """The highest ``<dist>-v<version>`` tag reachable from HEAD (None before a first release)."""
    best: tuple[Version, str] | None = None
    for tag in tags_matching(root, f"{dist_name}-v*"):
        try:
            version = Version(tag.removeprefix(f"{dist_name}-v"))
        except InvalidVersion:
            continue
        if best is None or version > best[0]:
            best = (version, tag)
    return best[1] if best else None


def commits_in(root: Path, since: str) -> list[str]:
    """The commits between the merge base of ``since`` and HEAD, oldest first."""
    base = merge_base(root, since)
    return git(root, "rev-list", "--reverse", f"{base}..HEAD").split()


def files_of(root: Path, commit: str) -> tuple[str, list[str]]:
    """A commit's subject and the files it changed."""
    out = git(root, "show", "--format=%s", "--name-only", "--no-renames", "-z", commit)
    subject, _, names = out.partition("\n")
    return subject, [n for n in names.strip("\n").split("\0") if n]


def merge_base(root: Path, since: str) -> str:
    """The merge base of ``since`` and HEAD."""
    return git(root, "merge-base", resolve(root, since), "HEAD")


def added_files(root: Path, commit: str) -> list[str]:
    """Files a commit added."""
    out = git(
        root, "show", "--format=", "--name-only", "--no-renames", "--diff-filter=A", "-z", commit
    )
    return [n for n in out.strip("\n").split("\0") if n]


def uncommitted_files(root: Path, *, added_only: bool = False) -> list[str]:
    """Files changed in the index or work tree against HEAD, and untracked ones."""
    args = ["diff", "HEAD", "--name-only", "--no-renames", "-z"]
    if added_only:
        args.append("--diff-filter=A")
    tracked = git(root, *args).split("\0")
    untracked = git(root, "ls-files", "-z", "--others", "--exclude-standard").split("\0")
    return sorted({f.strip("\n") for f in [*tracked, *untracked] if f.strip("\n")})


def exists_at(root: Path, ref: str, path: Path) -> bool:
    """Whether ``path`` (under ``root``) exists in commit ``ref``."""
    spec = f"{ref}:{path.relative_to(root).as_posix()}"
    return attempt(["git", "cat-file", "-e", spec], cwd=root).returncode == 0
