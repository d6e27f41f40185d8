"""Release tooling for the ml-infra monorepo: ``python3 tools/dev.py release <command>``.

Commands (see tools/release/README.md):

    status                                   versions, tags, pending fragments, implied bumps
    bump <dist> {major,minor,patch,auto}     version + changelog + commit + annotated tag
    tag <dist>                               release the current version as is (first release)
    build <dist>... | --all                  reproducible sdist + wheel into dist/, checked
    from-tag <tag>                           what the release workflow runs
    publish <dist> --repository-url URL      resumable upload with twine
    changed --since <ref>                    changed distributions plus in-repo dependents
    check-fragments --since <ref>            CI: source changes need a news fragment
    notes <tag>                              that version's changelog section (release body)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from collections import Counter
from pathlib import Path

from packaging.version import Version

from tools._console import guarded, say
from tools.release import _dists, _git, _versions
from tools.release._build import build, check
from tools.release._changelog import build_changelog, section
from tools.release._errors import ReleaseError
from tools.release._publish import default_index_url, publish

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


def cmd_status(root: Path, _args: argparse.Namespace) -> int:
    """Print one row per distribution."""
    header = ("distribution", "version", "last tag", "commits since", "fragments", "next")
    rows = [header]
    dists = _dists.load(root)
    for dist in dists.values():
        version = dist.version()
        tag = last_tag(root, dist)
        commits = _git.count_commits(root, tag, dist.path)
        frags = _versions.fragments(dist)
        counts = sorted(Counter(f.type for f in frags).items())
        kinds = ", ".join(f"{t}:{n}" for t, n in counts) or "-"
        implied = _versions.implied_bump(frags, version)
        nxt = "-"
        if implied:
            new = _versions.bumped(version, implied)
            nxt = f"{implied} -> {new}"
            try:
                _versions.check_dependents_admit(dists, dist, new)
            except ReleaseError:
                nxt += " (blocked by a dependent's range)"
        rows.append((dist.name, str(version), tag or "(none)", str(commits), kinds, nxt))
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    return 0


def last_tag(root: Path, dist: _dists.Distribution) -> str | None:
    """The highest ``<dist>-v<version>`` tag reachable from HEAD."""
    best: tuple[Version, str] | None = None
    for tag in _git.tags_matching(root, f"{dist.name}-v*"):
        try:
            version = Version(tag.removeprefix(f"{dist.name}-v"))
        except ValueError:
            continue
        if best is None or version > best[0]:
            best = (version, tag)
    return best[1] if best else None


def cmd_bump(root: Path, args: argparse.Namespace) -> int:
    """Bump, build the changelog, commit and tag (``tag`` releases the version as is)."""
    dists = _dists.load(root)
    dist = _dists.get(dists, args.dist)
    dirty = _git.dirty_paths(root)
    if dirty:
        shown = "\n".join(f"   {line}" for line in dirty[:10])
        raise ReleaseError(f"refusing to release from a dirty tree; commit or remove:\n{shown}")
    if args.kind is None:  # `tag`: the current version, never released yet
        new, frags = dist.version(), _versions.fragments(dist)
        if not frags:
            raise ReleaseError(f"{dist.name} has no pending news fragments: nothing to release")
    else:
        new, frags = _versions.resolve_bump(dist, args.kind)
    tag = dist.tag(new)
    if _git.tag_exists(root, tag):
        raise ReleaseError(f"tag {tag} already exists: {dist.name} {new} is released")
    _versions.check_dependents_admit(dists, dist, new)
    _git.check_identity(root)
    say(f"{dist.name}: {dist.version()} -> {new} ({len(frags)} fragment(s))")
    try:
        dist.set_version(new)
        build_changelog(root, dist, new)
        changed = (dist.version_file.relative_to(root), dist.changelog.relative_to(root))
        _git.git(root, "add", *map(str, changed))
        _git.git(root, "commit", "--quiet", "-m", f"Release {dist.name} {new}")
    except BaseException:
        # Nothing half-done: the version, the changelog and the fragments go back.
        _git.restore(root, dist.path)
        raise
    _git.git(root, "tag", "--annotate", tag, "-m", f"{dist.name} {new}")
    say(f"committed and tagged {tag}; push with: git push origin HEAD {tag}")
    return 0


def cmd_build(root: Path, args: argparse.Namespace) -> int:
    """Build and check the named distributions (or all) into dist/."""
    dists = _dists.load(root)
    if args.all == bool(args.dists):
        raise ReleaseError("build: name distributions or pass --all (not both)")
    chosen = list(dists.values()) if args.all else [_dists.get(dists, n) for n in args.dists]
    for dist in chosen:
        build(root, dist, root / "dist")
    return 0


def cmd_from_tag(root: Path, args: argparse.Namespace) -> int:
    """Validate the tag against the source, then build only that distribution into dist/."""
    dist, version = _dists.parse_tag(_dists.load(root), args.tag)
    source = dist.version()
    if source != version:
        raise ReleaseError(
            f"tag {args.tag} says {version} but {dist.version_file.relative_to(root)} says "
            f"{source}: tag the release commit made by `release bump`"
        )
    if _git.tag_exists(root, args.tag):
        tagged = _git.resolve(root, args.tag)
        if tagged != _git.resolve(root, "HEAD"):
            raise ReleaseError(f"HEAD is not the commit tagged {args.tag}; check it out first")
    dirty = [d for d in _git.dirty_paths(root) if f"packages/{dist.name}/" in d]
    if dirty:
        raise ReleaseError(
            f"uncommitted changes in packages/{dist.name}: a release builds a commit"
        )
    outdir = root / "dist"
    if outdir.exists():
        for old in outdir.iterdir():
            if old.is_dir() and not old.is_symlink():
                shutil.rmtree(old)
            else:
                old.unlink()
    files = build(root, dist, outdir)
    say(f"ready to publish: {', '.join(f.name for f in files)}")
    return 0


def cmd_publish(root: Path, args: argparse.Namespace) -> int:
    """Publish a distribution's files from dist/, building them when absent."""
    dist = _dists.get(_dists.load(root), args.dist)
    outdir = root / "dist"
    files = [outdir / name for name in dist.artifact_names()]
    if all(f.exists() for f in files):
        check(root, dist, files)
    else:
        files = build(root, dist, outdir)
    index = args.index_url or default_index_url(args.repository_url)
    uploaded = publish(root, dist, files, args.repository_url, index)
    say(
        f"{dist.name} {dist.version()}: {len(uploaded)} uploaded, {len(files) - len(uploaded)} already there"
    )
    return 0


def changed_dists(root: Path, since: str) -> list[str]:
    """Distributions with changes since ``since``, plus their in-repo dependents."""
    dists = _dists.load(root)
    by_sub = {d.sub: d.name for d in dists.values()}
    hit: set[str] = set()
    for path in _git.changed_files(root, since):
        parts = path.split("/")
        if path.startswith(SHARED):
            return sorted(dists)
        if parts[0] == "packages" and len(parts) > 2 and parts[1] in dists:
            hit.add(parts[1])
        elif parts[0] == "tests" and len(parts) > 2 and parts[1] in by_sub:
            hit.add(by_sub[parts[1]])
    return sorted(_dists.dependents(dists, hit))


def cmd_changed(root: Path, args: argparse.Namespace) -> int:
    """Print changed distributions, one a line; optionally write GitHub step outputs."""
    names = changed_dists(root, args.since)
    for name in names:
        print(name)
    if args.github_output:
        dists = _dists.load(root)
        everything = names == sorted(dists)
        paths = [] if everything else [f"tests/{dists[n].sub}" for n in names] + ["tests/packaging"]
        out = os.environ.get("GITHUB_OUTPUT")
        if not out:
            raise ReleaseError("--github-output needs the GITHUB_OUTPUT environment variable")
        with open(out, "a", encoding="utf-8") as fh:
            fh.write(f"distributions={json.dumps(names)}\n")
            fh.write(f"any={'true' if names else 'false'}\n")
            fh.write(f"test-paths={' '.join(paths)}\n")
    return 0


def cmd_check_fragments(root: Path, args: argparse.Namespace) -> int:
    """Fail when a change to packages/<dist>/src adds no fragment to packages/<dist>/changelog.d."""
    dists = _dists.load(root)
    changed = _git.changed_files(root, args.since)
    added = set(_git.changed_files(root, args.since, added_only=True))
    missing = []
    for dist in dists.values():
        _versions.fragments(dist)  # refuses misnamed fragments
        prefix = f"packages/{dist.name}/"
        if not any(p.startswith(prefix + "src/") for p in changed):
            continue
        new = [
            p for p in added if p.startswith(prefix + "changelog.d/") and not p.endswith(".gitkeep")
        ]
        if new:
            say(f"{dist.name}: source changed, fragment(s): {', '.join(sorted(new))}")
        else:
            missing.append(dist.name)
    if missing:
        raise ReleaseError(
            "source changed without a news fragment in: "
            + ", ".join(f"packages/{n}/changelog.d/" for n in missing)
            + " (add <issue>.<type>.md; use type misc for changes users do not see)"
        )
    say("news fragments: ok")
    return 0


def cmd_notes(root: Path, args: argparse.Namespace) -> int:
    """Print the changelog section of the tagged version (the GitHub release body)."""
    dist, version = _dists.parse_tag(_dists.load(root), args.tag)
    text = section(dist.changelog.read_text(encoding="utf-8"), version)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def parser() -> argparse.ArgumentParser:
    """The argument parser (exact command syntax relied on by CI and docs)."""
    p = argparse.ArgumentParser(prog="release", description="ml-infra release tooling")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("status", help="versions, tags, fragments, implied bumps").set_defaults(
        fn=cmd_status
    )
    b = sub.add_parser("bump", help="bump, changelog, commit, tag")
    b.add_argument("dist")
    b.add_argument("kind", choices=["major", "minor", "patch", "auto"])
    b.set_defaults(fn=cmd_bump)
    t = sub.add_parser("tag", help="release the current version as is (first release)")
    t.add_argument("dist")
    t.set_defaults(fn=cmd_bump, kind=None)
    bd = sub.add_parser("build", help="build and check into dist/")
    bd.add_argument("dists", nargs="*")
    bd.add_argument("--all", action="store_true")
    bd.set_defaults(fn=cmd_build)
    ft = sub.add_parser("from-tag", help="validate a release tag and build only that distribution")
    ft.add_argument("tag")
    ft.set_defaults(fn=cmd_from_tag)
    pb = sub.add_parser("publish", help="upload with twine, resumable")
    pb.add_argument("dist")
    pb.add_argument("--repository-url", required=True, help="upload endpoint")
    pb.add_argument("--index-url", help="simple index to verify against (default: derived)")
    pb.set_defaults(fn=cmd_publish)
    ch = sub.add_parser("changed", help="changed distributions and their dependents")
    ch.add_argument("--since", required=True)
    ch.add_argument("--github-output", action="store_true", help="also write $GITHUB_OUTPUT")
    ch.set_defaults(fn=cmd_changed)
    cf = sub.add_parser("check-fragments", help="source changes need news fragments")
    cf.add_argument("--since", required=True)
    cf.set_defaults(fn=cmd_check_fragments)
    n = sub.add_parser("notes", help="the changelog section of a release tag")
    n.add_argument("tag")
    n.add_argument("--output", help="write to this file instead of stdout")
    n.set_defaults(fn=cmd_notes)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run one command; 0 on success, 1 on a refusal or failure, 2 on bad usage."""
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    return guarded(lambda: int(args.fn(_git.toplevel(Path.cwd()), args)))


if __name__ == "__main__":
    sys.exit(main())
