"""End-to-end release rehearsals in a temporary clone against a pypiserver on 127.0.0.1."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.tools._support import Runner, git
from tools.demo._index import LocalIndex
from tools.demo._install import guarded_install
from tools.release._publish import index_hashes

pytestmark = pytest.mark.release


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def publish(release: Runner, index: LocalIndex, dist: str) -> subprocess.CompletedProcess[str]:
    # A rehearsal on a throwaway index: HEAD need not be the release tag.
    return release(
        "publish", dist, "--repository-url", index.url, "--allow-untagged", env=index.credentials()
    )


def test_fragment_bump_tag_from_tag_publish_install(
    repo: Path, release: Runner, index: LocalIndex, tmp_path: Path
) -> None:
    """fragment -> bump -> tag -> from-tag -> publish -> pip install from the local index."""
    (repo / "packages/ml-infra-metrics/changelog.d/21.bugfix.md").write_text(
        "Fixed `ml_infra.metrics.accuracy`.\n"
    )
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "-m", "fix metrics")
    bump = release("bump", "ml-infra-metrics", "auto", "--no-verify")
    assert bump.returncode == 0, bump.stderr
    tag = "ml-infra-metrics-v0.1.1"
    assert git(repo, "describe", "--exact-match", "HEAD") == tag

    built = release("from-tag", tag)
    assert built.returncode == 0, built.stderr
    files = sorted(p.name for p in (repo / "dist").iterdir())
    assert files == ["ml_infra_metrics-0.1.1-py3-none-any.whl", "ml_infra_metrics-0.1.1.tar.gz"]

    first = publish(release, index, "ml-infra-metrics")
    assert first.returncode == 0, first.stderr
    assert "2 uploaded" in first.stdout
    # preprocessing's files are not in dist/ yet: publish builds them first.
    dep = publish(release, index, "ml-infra-preprocessing")
    assert dep.returncode == 0, dep.stderr
    again = publish(release, index, "ml-infra-metrics")
    assert again.returncode == 0, again.stderr
    assert "0 uploaded, 2 already there" in again.stdout

    target = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(target)
    python = target / "bin" / "python"
    (tmp_path / "reports").mkdir()
    installed = guarded_install(
        python, "ml-infra-metrics~=0.1.1", index.simple_url, tmp_path / "reports", third_party=False
    )
    got = {i.name: (i.version, i.url) for i in installed}
    assert set(got) == {"ml-infra-metrics", "ml-infra-preprocessing"}
    assert got["ml-infra-metrics"][0] == "0.1.1"
    assert all(url.startswith(index.url) for _, url in got.values())
    probe = "import importlib.metadata as m; print(m.version('ml-infra-metrics'))"
    out = subprocess.run([python, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0.1.1"


def test_differing_reupload_is_refused(repo: Path, release: Runner, index: LocalIndex) -> None:
    """Same version, different bytes: publish refuses and uploads nothing."""
    assert publish(release, index, "ml-infra-logging").returncode == 0
    before = index_hashes(index.simple_url, "ml-infra-logging")
    readme = repo / "packages/ml-infra-logging/README.md"
    readme.write_text(readme.read_text() + "\nA later edit.\n")
    git(repo, "commit", "--quiet", "-am", "edit README")
    assert release("build", "ml-infra-logging").returncode == 0
    result = publish(release, index, "ml-infra-logging")
    assert result.returncode == 1
    assert "already holds different files" in result.stderr
    assert "bump the version" in result.stderr
    assert index_hashes(index.simple_url, "ml-infra-logging") == before


def test_rerun_completes_a_partial_upload(repo: Path, release: Runner, index: LocalIndex) -> None:
    """After only the wheel got up, publishing again uploads the sdist and skips the wheel."""
    assert release("build", "ml-infra-decorators").returncode == 0
    wheel = next((repo / "dist").glob("ml_infra_decorators-*.whl"))
    cmd = [
        sys.executable,
        "-m",
        "twine",
        "upload",
        "--non-interactive",
        "--repository-url",
        index.url,
        str(wheel),
    ]
    subprocess.run(cmd, check=True, capture_output=True, env={**os.environ, **index.credentials()})
    assert set(index_hashes(index.simple_url, "ml-infra-decorators")) == {wheel.name}
    result = publish(release, index, "ml-infra-decorators")
    assert result.returncode == 0, result.stderr
    assert "already on the index with the same sha256, skipped" in result.stdout
    assert "1 uploaded, 1 already there" in result.stdout
    assert digests(repo / "dist") == index_hashes(index.simple_url, "ml-infra-decorators")


def test_publish_refuses_plain_http_off_loopback(release: Runner) -> None:
    """Credentials never go over plain http to another host."""
    result = release(
        "publish", "ml-infra-logging", "--repository-url", "http://example.org/legacy/"
    )
    assert result.returncode == 1
    assert "plain http is allowed on loopback only" in result.stderr


def test_same_commit_builds_byte_identical_files(repo: Path, release: Runner) -> None:
    """Building the same commit twice yields the same bytes (SOURCE_DATE_EPOCH, pinned backend)."""
    assert release("build", "--all").returncode == 0
    first = digests(repo / "dist")
    assert len(first) == 8
    (repo / "dist").rename(repo / "dist-first")
    assert release("build", "--all").returncode == 0
    assert digests(repo / "dist") == first
