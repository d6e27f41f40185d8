"""The built wheels and sdists hold exactly what users should get."""

from __future__ import annotations

import subprocess
import sys
import tarfile
import zipfile
from email.parser import Parser

import pytest
from packaging.requirements import Requirement

pytestmark = pytest.mark.packaging


class TestWheel:
    def test_file_name(self, built, sub, version):
        """The wheel is a pure-Python py3 wheel named after the distribution and its version."""
        b = built[sub]
        assert b.wheel.name == f"{b.dist.normalized}-{version}-py3-none-any.whl"
        assert b.sdist.name == f"{b.dist.normalized}-{version}.tar.gz"

    def test_holds_only_its_subpackage(self, built, sub, version):
        """Every file is under ml_infra/<sub>/ or the dist-info; no ml_infra/__init__.py."""
        b = built[sub]
        names = zipfile.ZipFile(b.wheel).namelist()
        dist_info = f"{b.dist.normalized}-{version}.dist-info/"
        strays = [n for n in names if not n.startswith((f"ml_infra/{sub}/", dist_info))]
        assert strays == []
        assert "ml_infra/__init__.py" not in names
        assert f"ml_infra/{sub}/__init__.py" in names
        assert f"ml_infra/{sub}/py.typed" in names
        assert f"{dist_info}licenses/LICENSE" in names
        assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]

    def test_metadata(self, built, sub):
        """METADATA carries the PEP 621 fields users and PyPI rely on."""
        b = built[sub]
        with zipfile.ZipFile(b.wheel) as zf:
            meta_name = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
            meta = Parser().parsestr(zf.read(meta_name).decode())
        assert meta["Name"] == b.dist.name
        assert meta["Requires-Python"] == ">=3.11"
        assert meta["License-Expression"] == "MIT"
        assert meta["License-File"] == "LICENSE"
        assert meta["Description-Content-Type"] == "text/markdown"
        assert meta["Summary"]
        assert "Typing :: Typed" in meta.get_all("Classifier")
        assert any(url.startswith("Changelog, ") for url in meta.get_all("Project-URL"))
        requires = {str(Requirement(r)) for r in meta.get_all("Requires-Dist") or []}
        assert requires == {str(Requirement(r)) for r in b.dist.dependencies}

    def test_wheels_share_no_file(self, built):
        """No two wheels install the same path, so install order can never matter."""
        seen: dict[str, str] = {}
        for sub, b in built.items():
            for name in zipfile.ZipFile(b.wheel).namelist():
                assert name not in seen, f"{name} is in both {seen.get(name)} and {sub}"
                seen[name] = sub


class TestSdist:
    def test_contents(self, built, sub):
        """The sdist holds the metadata, docs, license and only its own subpackage."""
        b = built[sub]
        with tarfile.open(b.sdist) as tf:
            names = {n.split("/", 1)[1] for n in tf.getnames() if "/" in n}
        for required in ("pyproject.toml", "README.md", "CHANGELOG.md", "LICENSE", "PKG-INFO"):
            assert required in names
        assert f"src/ml_infra/{sub}/__init__.py" in names
        assert "src/ml_infra/__init__.py" not in names
        assert all(
            n.startswith(f"src/ml_infra/{sub}") or "/" not in n
            for n in names
            if n.startswith("src")
        )


def test_twine_check_strict(built):
    """twine check --strict accepts every artifact (README renders on PyPI)."""
    files = [str(p) for b in built.values() for p in (b.wheel, b.sdist)]
    proc = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *files],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count("PASSED") == len(files)
