"""Release tooling for the ml-infra monorepo: ``python3 tools/dev.py release <command>``.

This module parses the command line and dispatches; the work lives in the private
modules (see tools/release/README.md for the flow and every command).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from tools._console import guarded, say
from tools.release import _bump, _dists, _git, _plan, _versions
from tools.release._api import api_diff, render
from tools.release._build import build, build_from_tag
from tools.release._changelog import section
from tools.release._errors import ReleaseError
from tools.release._fragments import check_fragments
from tools.release._publish import release_files
from tools.release._wheel_tests import Resolution, trial

Command = Callable[[Path, argparse.Namespace], int]


def cmd_status(root: Path, _args: argparse.Namespace) -> int:
    """One row per distribution: version, last tag, fragments, API bump, next release."""
    header = ("distribution", "version", "last tag", "commits", "fragments", "api", "next")
    rows = [header]
    dists = _dists.load(root)
    for dist in dists.values():
        version = dist.version()
        tag = _git.last_tag(root, dist.name)
        frags = _versions.fragments(dist)
        kinds = ", ".join(f"{t}:{n}" for t, n in sorted(Counter(f.type for f in frags).items()))
        rows.append(
            (
                dist.name,
                str(version),
                tag or "(none)",
                str(_git.count_commits(root, tag, dist.path)),
                kinds or "-",
                *_bump.next_release(root, dists, dist, tag, frags),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    return 0


def cmd_api(root: Path, args: argparse.Namespace) -> int:
    """Print the public API changes of a distribution since a ref (default: its last tag)."""
    dist = _dists.get(_dists.load(root), args.dist)
    against = args.against or _git.last_tag(root, dist.name)
    if against is None:
        raise ReleaseError(f"{dist.name} has no release tag yet: pass --against <ref>")
    print(render(api_diff(root, dist, against)))
    return 0


def cmd_bump(root: Path, args: argparse.Namespace) -> int:
    """Version + changelog (+ widened ranges), checked, committed and tagged."""
    dists = _dists.load(root)
    dist = _dists.get(dists, args.dist)
    plan = _bump.plan_bump(
        root,
        dists,
        dist,
        args.kind,
        widen=args.widen_dependents,
        verify=not args.no_verify,
        tag=not args.no_tag,
    )
    _bump.execute(root, plan)
    return 0


def cmd_trial(resolution: Resolution) -> Command:
    """``floors`` / ``test-wheel``: each named distribution's wheel tested in a fresh venv."""

    def run(root: Path, args: argparse.Namespace) -> int:
        dists = _dists.load(root)
        if args.all == bool(args.dists):
            raise ReleaseError("name distributions or pass --all (not both)")
        chosen = list(dists.values()) if args.all else [_dists.get(dists, n) for n in args.dists]
        failed = []
        for dist in chosen:
            result = trial(root, dist, resolution)
            print(result.output.splitlines()[-1] if result.output else "(no output)")
            if not result.passed:
                print(result.output)
                failed.append(dist.name)
        if failed:
            raise ReleaseError(
                f"tests failed against the installed wheel ({resolution}): {', '.join(failed)}"
            )
        say(f"{len(chosen)} distribution(s) passed against their installed wheels ({resolution})")
        return 0

    return run


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
    files = build_from_tag(root, args.tag)
    say(f"ready to publish: {', '.join(f.name for f in files)}")
    return 0


def cmd_publish(root: Path, args: argparse.Namespace) -> int:
    """Publish a distribution's release files (refuses dirty trees and untagged commits)."""
    dist = _dists.get(_dists.load(root), args.dist)
    release_files(
        root,
        dist,
        repository_url=args.repository_url,
        index_url=args.index_url,
        allow_untagged=args.allow_untagged,
    )
    return 0


def cmd_plan(root: Path, args: argparse.Namespace) -> int:
    """Print the tags dependencies first; optionally write ``tags=<JSON>`` for GitHub."""
    if args.github_output and not os.environ.get("GITHUB_OUTPUT"):
        raise ReleaseError("--github-output needs the GITHUB_OUTPUT environment variable")
    ordered = _plan.plan(root, args.tags)
    for tag in ordered:
        print(tag)
    if args.github_output:
        _github_output({"tags": json.dumps(ordered)})
    return 0


def cmd_wait_for_floors(root: Path, args: argparse.Namespace) -> int:
    """Wait until the tag's in-repo floor siblings are on the index."""
    _plan.wait_for_floors(root, args.tag, args.index_url, timeout=args.timeout, interval=15.0)
    return 0


def cmd_verify_index(root: Path, args: argparse.Namespace) -> int:
    """Refuse any file of dist/ that the index holds under the same name with other bytes."""
    files = (
        sorted(p for p in (root / "dist").iterdir() if p.is_file())
        if (root / "dist").is_dir()
        else []
    )
    for name in _plan.check_not_rewritten(root, args.dist, files, args.index_url):
        say(f"{name}: already on the index with the same sha256 (will be skipped)")
    say(f"{len(files)} file(s) of dist/ are new or identical on {args.index_url}")
    return 0


def cmd_changed(root: Path, args: argparse.Namespace) -> int:
    """Print changed distributions, one a line; optionally write GitHub step outputs."""
    dists = _dists.load(root)
    names = _dists.changed(dists, _git.changed_files(root, args.since))
    for name in names:
        print(name)
    if args.github_output:
        everything = names == sorted(dists)
        paths = [] if everything else [f"tests/{dists[n].sub}" for n in names] + ["tests/packaging"]
        _github_output(
            {
                "distributions": json.dumps(names),
                "any": "true" if names else "false",
                "test-paths": " ".join(paths),
            }
        )
    return 0


def _github_output(values: dict[str, str]) -> None:
    out = os.environ.get("GITHUB_OUTPUT")
    if not out:
        raise ReleaseError("--github-output needs the GITHUB_OUTPUT environment variable")
    with open(out, "a", encoding="utf-8") as fh:
        fh.writelines(f"{key}={value}\n" for key, value in values.items())


def cmd_check_fragments(root: Path, args: argparse.Namespace) -> int:
    """Source changes need fragments; API breaks need a ``breaking`` one; release commits pass."""
    check_fragments(root, args.since)
    return 0


def cmd_notes(root: Path, args: argparse.Namespace) -> int:
    """Print the changelog section of the tagged version (the GitHub release body)."""
    dist, version = _dists.parse_tag(_dists.load(root), args.tag)
    text = section(dist.changelog.read_text(encoding="utf-8"), version)
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise ReleaseError(f"notes: cannot write {args.output} ({exc.strerror})") from None
    else:
        sys.stdout.write(text)
    return 0


def _selection(p: argparse.ArgumentParser) -> None:
    p.add_argument("dists", nargs="*")
    p.add_argument("--all", action="store_true")


def _release_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("dist")
    p.add_argument(
        "--no-tag",
        action="store_true",
        help="commit only (for a pull request to a protected main); tag the merged commit "
        "with `release tag <dist>`",
    )
    p.add_argument(
        "--widen-dependents",
        action="store_true",
        help="raise in-repo ranges that would exclude the new version (with a news fragment)",
    )
    p.add_argument(
        "--no-verify",
        action="store_true",
        help="skip lint, tests and floors (rehearsals only: a release should never need it)",
    )


def parser() -> argparse.ArgumentParser:
    """The argument parser (exact command syntax relied on by CI and docs)."""
    p = argparse.ArgumentParser(prog="release", description="ml-infra release tooling")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("status", help="versions, tags, fragments, required bumps").set_defaults(
        fn=cmd_status
    )
    a = sub.add_parser("api", help="public API changes since the last tag (griffe)")
    a.add_argument("dist")
    a.add_argument("--against", help="git ref to compare with (default: the last tag)")
    a.set_defaults(fn=cmd_api)
    b = sub.add_parser("bump", help="bump, changelog, checks, commit, tag")
    _release_flags(b)
    b.add_argument("kind", choices=["major", "minor", "patch", "auto"])
    b.set_defaults(fn=cmd_bump)
    t = sub.add_parser(
        "tag", help="release the current version (first release, or a merged release commit)"
    )
    _release_flags(t)
    t.set_defaults(fn=cmd_bump, kind=None)
    fl = sub.add_parser("floors", help="each wheel against its lowest admitted dependencies")
    _selection(fl)
    fl.set_defaults(fn=cmd_trial("lowest"))
    tw = sub.add_parser("test-wheel", help="each wheel in a fresh venv, then its tests")
    _selection(tw)
    tw.set_defaults(fn=cmd_trial("current"))
    bd = sub.add_parser("build", help="build and check into dist/")
    _selection(bd)
    bd.set_defaults(fn=cmd_build)
    ft = sub.add_parser("from-tag", help="validate a release tag and build only that distribution")
    ft.add_argument("tag")
    ft.set_defaults(fn=cmd_from_tag)
    pb = sub.add_parser("publish", help="upload a release with twine, resumable, never rewriting")
    pb.add_argument("dist")
    pb.add_argument("--repository-url", required=True, help="upload endpoint")
    pb.add_argument("--index-url", help="simple index to verify against (default: derived)")
    pb.add_argument(
        "--allow-untagged",
        action="store_true",
        help="rehearsal only: publish a HEAD that is not the release tag",
    )
    pb.set_defaults(fn=cmd_publish)
    pl = sub.add_parser("plan", help="order release tags dependencies first")
    pl.add_argument("tags", nargs="+")
    pl.add_argument("--github-output", action="store_true", help="also write $GITHUB_OUTPUT")
    pl.set_defaults(fn=cmd_plan)
    wf = sub.add_parser("wait-for-floors", help="wait until a tag's floor siblings are published")
    wf.add_argument("tag")
    wf.add_argument("--index-url", required=True)
    wf.add_argument("--timeout", type=float, default=1800.0)
    wf.set_defaults(fn=cmd_wait_for_floors)
    vi = sub.add_parser("verify-index", help="refuse files the index holds with other bytes")
    vi.add_argument("dist")
    vi.add_argument("--index-url", required=True)
    vi.set_defaults(fn=cmd_verify_index)
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
