"""Publishing with twine: only a clean, tagged commit, resumable, never rewriting a release.

``release_files`` refuses, before anything is built or uploaded, a dirty work tree,
a HEAD that is not the distribution's release tag (unless a rehearsal allows it),
and an index whose simple API does not answer (tools/release/_simple_index.py).
It then builds HEAD afresh (the builds are reproducible) and refuses files in
``dist/`` that differ from that build. ``publish`` asks the index which files it
already holds and with which sha256: identical files are skipped, files that
differ are refused before anything is uploaded, the rest go up with twine, and the
index is asked again to confirm every file is there with the right hash.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path

from tools._console import PYTHON, run, say
from tools.release import _git
from tools.release._build import build
from tools.release._dists import Distribution
from tools.release._errors import ReleaseError
from tools.release._simple_index import index_for_upload, index_hashes, validate_url

# index_hashes and validate_url live in _simple_index; they are re-exported for the
# callers that publish (the demo, the release plan).
__all__ = ["index_hashes", "publish", "release_files", "sha256", "validate_url"]


def sha256(path: Path) -> str:
    """The hex sha256 of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def release_files(
    root: Path,
    dist: Distribution,
    *,
    repository_url: str,
    index_url: str | None,
    allow_untagged: bool,
) -> list[str]:
    """Publish ``dist`` as built from HEAD: what ``release publish`` does.

    Every refusal comes before the first upload, and leaves the index and ``dist/``
    as they were. The files are built from HEAD into a temporary folder, uploaded
    from there, and placed in ``dist/`` once the index serves them.

    Args:
        root: The repository root.
        dist: The distribution to publish (its source version).
        repository_url: The upload endpoint.
        index_url: The root of the simple index serving that repository; None
            derives it (see ``default_index_url``).
        allow_untagged: Publish a HEAD that is not the release tag (rehearsals only).

    Returns:
        The names of the files uploaded (those the index already held are skipped).

    Raises:
        ReleaseError: A refusal or a failed step; the message says what to do.
    """
    validate_url(repository_url, what="repository URL")
    if index_url is not None:
        validate_url(index_url, what="index URL")
    head = check_releasable(root, dist, allow_untagged=allow_untagged)
    version = dist.version()
    index = index_for_upload(repository_url, index_url)
    outdir = root / "dist"
    with tempfile.TemporaryDirectory(prefix="ml-infra-publish-") as tmp:
        files = build(root, dist, Path(tmp))
        refuse_stale(outdir, files, head)
        uploaded = publish(root, dist, files, repository_url, index)
        outdir.mkdir(exist_ok=True)
        for built in files:
            shutil.copy2(built, outdir / built.name)
    say(
        f"{dist.name} {version}: {len(uploaded)} uploaded, {len(files) - len(uploaded)} already there"
    )
    return uploaded


def check_releasable(root: Path, dist: Distribution, *, allow_untagged: bool) -> str:
    """Refuse a dirty work tree and a HEAD that is not the release tag; returns HEAD's commit.

    A dirty tree (untracked files included) would build bytes no commit records. The
    release tag ``<dist>-v<version>`` of the source version must point at HEAD, unless
    ``allow_untagged`` (rehearsals on a throwaway index).
    """
    dirty = _git.dirty_paths(root)
    if dirty:
        shown = "\n".join(f"   {line}" for line in dirty[:10])
        more = f"\n   ... and {len(dirty) - 10} more" if len(dirty) > 10 else ""
        raise ReleaseError(
            f"refusing to publish {dist.name} from a dirty tree (a release is built from a "
            f"commit); commit or remove:\n{shown}{more}"
        )
    head = _git.resolve(root, "HEAD")
    tag = dist.tag(dist.version())
    tagged = _git.resolve(root, tag) if _git.tag_exists(root, tag) else None
    if tagged == head:
        return head
    if allow_untagged:
        say(f"--allow-untagged: publishing HEAD {head[:12]}, which is not {tag} (rehearsal only)")
        return head
    if tagged is None:
        raise ReleaseError(
            f"refusing to publish {dist.name} {dist.version()}: there is no release tag {tag} "
            f"(release with `release tag {dist.name}` or `release bump`, then publish the tag)"
        )
    raise ReleaseError(
        f"refusing to publish {dist.name}: HEAD {head[:12]} is not the commit of the release "
        f"tag {tag} ({tagged[:12]}); run git checkout {tag} first"
    )


def refuse_stale(outdir: Path, files: list[Path], head: str) -> None:
    """Refuse files in ``outdir`` named like ``files`` but with other bytes.

    The build is reproducible, so a differing file was not built from ``head``
    (another commit, or a dirty tree): it is left alone, for a human to look at.
    """
    stale = [
        f.name
        for f in files
        if (outdir / f.name).is_file() and sha256(outdir / f.name) != sha256(f)
    ]
    if stale:
        raise ReleaseError(
            f"{', '.join(stale)} in {outdir} differ from a fresh build of HEAD {head[:12]}: "
            "they were not built from this commit; delete them (or rebuild with "
            "`release build`) and publish again"
        )


def publish(
    root: Path, dist: Distribution, files: list[Path], repository_url: str, index_url: str
) -> list[str]:
    """Upload the ``files`` the index lacks; returns the names uploaded.

    ``index_url`` must be a simple index root that answered (a project page's 404
    then means "nothing there yet"). Credentials come only from
    TWINE_USERNAME/TWINE_PASSWORD or keyring (twine's own lookup, non-interactive);
    they are never taken as arguments.
    """
    validate_url(repository_url, what="repository URL")
    local = {f.name: sha256(f) for f in files}
    remote = index_hashes(index_url, dist.name, credentials_for=repository_url)
    differing = sorted(n for n in local if n in remote and remote[n] != local[n])
    if differing:
        raise ReleaseError(
            f"refusing to publish {dist.name}: the index already holds different files named "
            f"{', '.join(differing)} (a released version is immutable: bump the version instead)"
        )
    present = sorted(n for n in local if n in remote)
    for name in present:
        say(f"{name}: already on the index with the same sha256, skipped")
    missing = [f for f in files if f.name not in remote]
    if missing:
        say(f"uploading {', '.join(f.name for f in missing)} to {repository_url}")
        cmd = [PYTHON, "-m", "twine", "upload", "--non-interactive", "--disable-progress-bar"]
        cmd += ["--repository-url", repository_url, *map(str, missing)]
        run(cmd, what=f"twine upload ({dist.name})", cwd=root)
    after = index_hashes(index_url, dist.name, credentials_for=repository_url)
    wrong = sorted(n for n in local if after.get(n) != local[n])
    if wrong:
        raise ReleaseError(f"after upload, the index does not serve {', '.join(wrong)} as built")
    return [f.name for f in missing]
