"""Reproducible builds (sdist, then the wheel from it) and the checks every artifact passes."""

from __future__ import annotations

import email.parser
import os
import shutil
import tarfile
import tempfile
import zipfile
from pathlib import Path

from tools._console import PYTHON, run, say
from tools.release._dists import Distribution, load, parse_tag
from tools.release._errors import ReleaseError
from tools.release._git import dirty_paths, head_commit_time, resolve, tag_exists


def build(root: Path, dist: Distribution, outdir: Path) -> list[Path]:
    """Build ``dist`` into ``outdir`` and check the result; returns [sdist, wheel].

    SOURCE_DATE_EPOCH is HEAD's commit time, and the build uses the pinned hatchling
    of the project environment (no isolation, no download), so building the same
    commit twice yields byte-identical files. Older files of the same distribution
    in ``outdir`` are replaced.
    """
    names = dist.artifact_names()
    env = {**os.environ, "SOURCE_DATE_EPOCH": head_commit_time(root)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    say(f"building {dist.name} {dist.version()} (SOURCE_DATE_EPOCH={env['SOURCE_DATE_EPOCH']})")
    with tempfile.TemporaryDirectory(prefix="ml-infra-build-") as tmp:
        # No --sdist/--wheel flags: build makes the sdist, then the wheel *from the
        # sdist*, which proves the sdist is complete.
        cmd = [PYTHON, "-m", "build", "--no-isolation", "--outdir", tmp, str(dist.path)]
        run(cmd, what=f"python -m build {dist.name}", cwd=root, env=env)
        produced = sorted(p.name for p in Path(tmp).iterdir())
        if produced != sorted(names):
            raise ReleaseError(
                f"{dist.name}: build produced {produced}, expected exactly {sorted(names)}"
            )
        outdir.mkdir(parents=True, exist_ok=True)
        for old in outdir.glob(f"{dist.file_stem}-*"):
            old.unlink()
        for name in names:
            shutil.move(Path(tmp) / name, outdir / name)
    files = [outdir / name for name in names]
    check(root, dist, files)
    return files


def check(root: Path, dist: Distribution, files: list[Path]) -> None:
    """Check built files: names, wheel and sdist contents, metadata, ``twine check --strict``."""
    sdist_name, wheel_name = dist.artifact_names()
    if sorted(f.name for f in files) != sorted([sdist_name, wheel_name]):
        raise ReleaseError(f"{dist.name}: expected {sdist_name} and {wheel_name}, got {files}")
    by_name = {f.name: f for f in files}
    check_wheel(dist, by_name[wheel_name])
    check_sdist(dist, by_name[sdist_name])
    run(
        [PYTHON, "-m", "twine", "check", "--strict", *map(str, files)],
        what=f"twine check --strict ({dist.name})",
        cwd=root,
    )
    say(f"checked {sdist_name} and {wheel_name}")


def check_wheel(dist: Distribution, wheel: Path) -> None:
    """The wheel holds only ``ml_infra/<sub>/`` and its dist-info, with py.typed."""
    version = str(dist.version())
    pkg = f"ml_infra/{dist.sub}/"
    info = f"{dist.file_stem}-{version}.dist-info/"
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        metadata = zf.read(info + "METADATA").decode() if info + "METADATA" in names else ""
    problems = [n for n in names if not n.startswith((pkg, info))]
    problems += [
        f"missing {need}"
        for need in (pkg + "__init__.py", pkg + "py.typed", info + "METADATA", info + "RECORD")
        if need not in names
    ]
    if "ml_infra/__init__.py" in names:
        problems.append("ml_infra/__init__.py would break the namespace for every user")
    meta = email.parser.Parser().parsestr(metadata)
    if (meta["Name"], meta["Version"]) != (dist.name, version):
        problems.append(f"metadata says {meta['Name']} {meta['Version']}")
    if problems:
        raise ReleaseError(f"{wheel.name}: unexpected contents: {'; '.join(problems)}")


def check_sdist(dist: Distribution, sdist: Path) -> None:
    """The sdist has one top folder, the package with py.typed, and no namespace __init__."""
    top = f"{dist.file_stem}-{dist.version()}/"
    with tarfile.open(sdist) as tf:
        names = [m.name + ("/" if m.isdir() else "") for m in tf.getmembers()]
    problems = [n for n in names if not n.startswith(top)]
    needed = ("PKG-INFO", "pyproject.toml", f"src/ml_infra/{dist.sub}/py.typed")
    problems += [f"missing {need}" for need in needed if top + need not in names]
    if top + "src/ml_infra/__init__.py" in names:
        problems.append("src/ml_infra/__init__.py would break the namespace for every user")
    if problems:
        raise ReleaseError(f"{sdist.name}: unexpected contents: {'; '.join(problems)}")


def clean_outdir(outdir: Path) -> None:
    """Empty ``outdir`` (files, links and folders), so only what is built next is there."""
    if not outdir.exists():
        return
    for old in outdir.iterdir():
        if old.is_dir() and not old.is_symlink():
            shutil.rmtree(old)
        else:
            old.unlink()


def build_from_tag(root: Path, tag: str) -> list[Path]:
    """What the release workflow builds: only the tagged distribution, into an emptied dist/.

    Refuses an unknown distribution, a source version other than the tag's, a HEAD
    that is not the tagged commit, and uncommitted changes to the distribution.
    """
    dist, version = parse_tag(load(root), tag)
    source = dist.version()
    if source != version:
        raise ReleaseError(
            f"tag {tag} says {version} but {dist.version_file.relative_to(root)} says "
            f"{source}: tag the release commit made by `release bump`"
        )
    if not tag_exists(root, tag):
        raise ReleaseError(f"there is no tag {tag}: release builds start from a tag")
    if resolve(root, tag) != resolve(root, "HEAD"):
        raise ReleaseError(f"HEAD is not the commit tagged {tag}; check it out first")
    if any(f"packages/{dist.name}/" in d for d in dirty_paths(root)):
        raise ReleaseError(
            f"uncommitted changes in packages/{dist.name}: a release builds a commit"
        )
    clean_outdir(root / "dist")
    return build(root, dist, root / "dist")
