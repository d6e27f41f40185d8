"""`release publish` against a real devpi-server: the devpi layout, and a release is never rewritten.

devpi's indexes are volatile by default: an upload of a file name the index already
holds replaces it. These tests show that publishing finds devpi's simple API
(``/<user>/<index>/+simple/``) without ``--index-url``, that what it uploads
installs from there, and that publishing the same version again from a dirty tree,
from another commit or with stale files in ``dist/`` is refused while the index
keeps serving the original bytes.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import venv
from pathlib import Path

import pytest

from tests.tools._support import Runner, git
from tests.tools.release._devpi import DevpiServer
from tools.demo._install import guarded_install
from tools.release import _dists
from tools.release._errors import ReleaseError
from tools.release._publish import release_files

pytestmark = pytest.mark.release

DIST = "ml-infra-preprocessing"
TAG = f"{DIST}-v0.1.0"
FILES = ["ml_infra_preprocessing-0.1.0-py3-none-any.whl", "ml_infra_preprocessing-0.1.0.tar.gz"]
ANCHOR = re.compile(r'<a [^>]*href="([^"]+)"[^>]*>([^<]+)</a>')


def digests(folder: Path) -> dict[str, str]:
    """File name -> sha256 of the files in ``folder``."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def served(index_url: str) -> dict[str, str]:
    """File name -> sha256 of the bytes devpi serves for DIST (downloaded, not as advertised)."""
    page = f"{index_url}+simple/{DIST}/"
    try:
        with urllib.request.urlopen(page) as response:
            html = response.read().decode()
    except urllib.error.HTTPError as exc:
        exc.close()
        if exc.code == 404:
            return {}
        raise
    out = {}
    for href, name in ANCHOR.findall(html):
        with urllib.request.urlopen(urllib.parse.urljoin(page, href)) as response:
            out[name] = hashlib.sha256(response.read()).hexdigest()
    return out


def tag_head(repo: Path) -> None:
    """Make HEAD the release commit of DIST 0.1.0 (what `release tag` leaves behind)."""
    git(repo, "tag", "--annotate", "--force", TAG, "-m", TAG)


def publish(
    release: Runner, devpi: DevpiServer, index_url: str
) -> subprocess.CompletedProcess[str]:
    """`release publish DIST --repository-url <devpi index>`: no --index-url, no opt-outs."""
    return release("publish", DIST, "--repository-url", index_url, env=devpi.credentials())


def first_release(
    repo: Path, release: Runner, devpi: DevpiServer, name: str
) -> tuple[str, dict[str, str]]:
    """Tag, publish to a new volatile index ``name``; returns its URL and the served sha256s."""
    index_url = devpi.new_index(name)
    tag_head(repo)
    result = publish(release, devpi, index_url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 uploaded, 0 already there" in result.stdout
    original = served(index_url)
    assert sorted(original) == FILES
    assert original == digests(repo / "dist")
    return index_url, original


def test_publishes_to_the_devpi_layout_and_installs(
    repo: Path, release: Runner, devpi: DevpiServer, tmp_path: Path
) -> None:
    """Without --index-url the devpi index's +simple/ is found; pip installs what was published."""
    index_url, original = first_release(repo, release, devpi, "install")
    again = publish(release, devpi, index_url)
    assert again.returncode == 0, again.stderr
    assert f"simple index of {index_url}: {index_url}+simple/" in again.stdout
    assert "0 uploaded, 2 already there" in again.stdout

    target = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(target)
    python = target / "bin" / "python"
    (tmp_path / "reports").mkdir()
    installed = guarded_install(
        python, f"{DIST}==0.1.0", f"{index_url}+simple/", tmp_path / "reports", third_party=False
    )
    assert [(i.name, i.version) for i in installed] == [(DIST, "0.1.0")]
    assert installed[0].url.startswith(index_url)
    wheel = next(p for p in target.glob("lib/python*/site-packages/*.dist-info"))
    assert wheel.name == "ml_infra_preprocessing-0.1.0.dist-info"
    assert served(index_url) == original


def test_dirty_tree_is_refused_and_the_release_kept(
    repo: Path, release: Runner, devpi: DevpiServer
) -> None:
    """A changed or an untracked file stops a second publish before it builds; devpi keeps the bytes."""
    index_url, original = first_release(repo, release, devpi, "dirty")
    readme = repo / "packages" / DIST / "README.md"
    readme.write_text(readme.read_text() + "\nAn uncommitted edit.\n")
    result = publish(release, devpi, index_url)
    assert result.returncode == 1
    assert "from a dirty tree" in result.stderr
    assert f"packages/{DIST}/README.md" in result.stderr
    assert "building" not in result.stdout
    git(repo, "checkout", "--", f"packages/{DIST}/README.md")
    (repo / "notes.txt").write_text("untracked\n")
    result = publish(release, devpi, index_url)
    assert result.returncode == 1
    assert "?? notes.txt" in result.stderr
    assert served(index_url) == original


def test_changed_build_of_the_same_version_is_refused(
    repo: Path, release: Runner, devpi: DevpiServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another commit with the same version builds other bytes: refused before upload, tagged or not."""
    index_url, original = first_release(repo, release, devpi, "changed")
    readme = repo / "packages" / DIST / "README.md"
    readme.write_text(readme.read_text() + "\nA later, committed edit.\n")
    git(repo, "commit", "--quiet", "-am", "edit README after the release")

    untagged = publish(release, devpi, index_url)
    assert untagged.returncode == 1
    assert (
        f"HEAD {git(repo, 'rev-parse', 'HEAD')[:12]} is not the commit of the release tag {TAG}"
        in untagged.stderr
    )

    tag_head(repo)  # even a moved tag does not make the index take other bytes
    stale = publish(release, devpi, index_url)
    assert stale.returncode == 1
    assert "differ from a fresh build of HEAD" in stale.stderr  # dist/ holds the first build
    shutil.rmtree(repo / "dist")
    moved = publish(release, devpi, index_url)
    assert moved.returncode == 1
    assert "already holds different files named" in moved.stderr
    assert not (repo / "dist").exists()

    for name, value in devpi.credentials().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    git(repo, "tag", "--delete", TAG)
    dist = _dists.get(_dists.load(repo), DIST)
    with pytest.raises(ReleaseError, match="already holds different files named"):
        release_files(repo, dist, repository_url=index_url, index_url=None, allow_untagged=True)
    assert served(index_url) == original

    # The hazard is real: devpi itself takes the other bytes when twine is run alone.
    assert release("build", DIST).returncode == 0
    wheel = repo / "dist" / FILES[0]
    cmd = [sys.executable, "-m", "twine", "upload", "--non-interactive"]
    cmd += ["--repository-url", index_url, str(wheel)]
    subprocess.run(cmd, check=True, capture_output=True, env={**os.environ, **devpi.credentials()})
    assert served(index_url)[FILES[0]] == digests(repo / "dist")[FILES[0]] != original[FILES[0]]


def test_an_index_url_that_is_not_the_repositorys_is_refused(
    repo: Path, release: Runner, devpi: DevpiServer
) -> None:
    """--index-url pointing at devpi's index page or at another index: refused, release kept.

    Both answer as an index root, but neither lists this repository's files, so every
    file would look new and the volatile index would take other bytes of a release.
    """
    index_url, original = first_release(repo, release, devpi, "target")
    other = devpi.new_index("other")
    readme = repo / "packages" / DIST / "README.md"
    readme.write_text(readme.read_text() + "\nA later, committed edit.\n")
    git(repo, "commit", "--quiet", "-am", "edit README after the release")
    tag_head(repo)
    shutil.rmtree(repo / "dist")
    for wrong in (index_url, f"{other}+simple/"):
        result = release(
            "publish",
            DIST,
            "--repository-url",
            index_url,
            "--index-url",
            wrong,
            env=devpi.credentials(),
        )
        assert result.returncode == 1, result.stdout
        assert f"is not the simple index of {index_url}" in result.stderr
        assert f"Pass --index-url {index_url}+simple/" in result.stderr
        assert "uploading" not in result.stdout
    assert served(index_url) == original


def test_stale_files_in_dist_are_refused(
    repo: Path, devpi: DevpiServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file in dist/ that HEAD does not build is refused and left alone; nothing is uploaded."""
    index_url = devpi.new_index("stale")
    for name, value in devpi.credentials().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    (repo / "dist").mkdir()
    stale = repo / "dist" / FILES[0]
    stale.write_bytes(b"built from some other tree")
    dist = _dists.get(_dists.load(repo), DIST)
    with pytest.raises(ReleaseError, match=rf"{FILES[0]} in .* differ from a fresh build of HEAD"):
        release_files(repo, dist, repository_url=index_url, index_url=None, allow_untagged=True)
    assert stale.read_bytes() == b"built from some other tree"
    assert served(index_url) == {}
