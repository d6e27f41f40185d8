"""Static invariants of the monorepo layout and each distribution's public face."""

from __future__ import annotations

import importlib
import importlib.metadata
import pickle
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]


def test_no_namespace_init_anywhere():
    """No distribution ships ml_infra/__init__.py: one stray file breaks the namespace."""
    assert list(ROOT.glob("packages/*/src/ml_infra/__init__.py")) == []


def test_each_package_has_its_files(dist):
    """Each distribution has the files the layout promises."""
    for rel in ("pyproject.toml", "README.md", "CHANGELOG.md", "LICENSE", "changelog.d"):
        assert (dist.path / rel).exists(), rel
    pkg = dist.path / "src" / "ml_infra" / dist.sub
    for rel in ("__init__.py", "__about__.py", "py.typed"):
        assert (pkg / rel).is_file(), rel
    assert [p.name for p in (dist.path / "src" / "ml_infra").iterdir()] == [dist.sub]


def _isort_key(name: str) -> tuple[int, str]:
    """Ruff's RUF022 order: CONSTANTS, then Classes, then everything else."""
    if name.isupper():
        return (0, name)
    return (1, name) if name[:1].isupper() else (2, name)


def test_public_api_is_sorted_and_resolves(dist):
    """__all__ is sorted (isort-style, as ruff enforces), names real objects, has __version__."""
    module = importlib.import_module(dist.module)
    assert module.__all__ == sorted(module.__all__, key=_isort_key)
    assert "__version__" in module.__all__
    for name in module.__all__:
        assert hasattr(module, name), name


def test_public_classes_carry_their_public_module(dist):
    """Tracebacks and reprs show ml_infra.<sub>.X, and X pickles by that name."""
    module = importlib.import_module(dist.module)
    classes = [getattr(module, n) for n in module.__all__ if isinstance(getattr(module, n), type)]
    assert classes
    for cls in classes:
        assert cls.__module__ == dist.module, cls
        assert pickle.loads(pickle.dumps(cls)) is cls
    assert not hasattr(module, "_obj")


def test_version_matches_installed_metadata(dist, version):
    """__version__, the single source, and the installed metadata agree."""
    module = importlib.import_module(dist.module)
    assert module.__version__ == version == importlib.metadata.version(dist.name)


def test_one_base_error_subclassing_exception(dist):
    """Every exported exception derives from the package's one base error."""
    module = importlib.import_module(dist.module)
    errors = [getattr(module, n) for n in module.__all__ if n.endswith(("Error", "Exception"))]
    bases = [e for e in errors if e.__bases__ == (Exception,)]
    assert len(bases) == 1, bases
    assert all(issubclass(e, bases[0]) for e in errors)


def test_internal_dependency_is_a_compatible_range():
    """metrics depends on preprocessing with a range that admits the current version."""
    project = tomllib.loads((ROOT / "packages/ml-infra-metrics/pyproject.toml").read_text())[
        "project"
    ]
    reqs = {Requirement(r).name: Requirement(r) for r in project["dependencies"]}
    spec = reqs["ml-infra-preprocessing"].specifier
    assert "==" not in str(spec), "exact pins between separately released packages break resolution"
    assert spec.contains(importlib.metadata.version("ml-infra-preprocessing"))
    assert set(reqs) == {"ml-infra-preprocessing", "numpy"}
