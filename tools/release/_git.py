"""Thin, explicit wrappers around the git commands the release tooling needs."""

from __future__ import annotations

from pathlib import Path

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
