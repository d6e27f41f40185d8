"""tools/dev.py and the benchmark harness behave as the README promises."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import pytest
from packaging.requirements import Requirement

from tools import dev as dev_module
from tools.bench import harness as harness_module

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def dev() -> ModuleType:
    return dev_module


@pytest.fixture(scope="module")
def harness() -> ModuleType:
    return harness_module


class TestDependencyGroups:
    def test_every_tool_is_pinned_exactly(self, dev):
        """The dev group resolves includes and every entry is an exact == pin."""
        groups = tomllib.loads((ROOT / "pyproject.toml").read_text())["dependency-groups"]
        pins = dev.dependency_group("dev", groups)
        names = {Requirement(p).name for p in pins}
        assert {
            "hatch",
            "pytest",
            "pytest-cov",
            "hypothesis",
            "towncrier",
            "twine",
            "ruff",
        } <= names
        assert {
            "mypy",
            "build",
            "scikit-learn",
            "tenacity",
            "python-json-logger",
            "pandas",
        } <= names
        for pin in pins:
            (spec,) = Requirement(pin).specifier
            assert spec.operator == "==", pin

    def test_unknown_entry_is_refused(self, dev):
        """An entry that is neither a string nor an include is an error, not ignored."""
        with pytest.raises(dev.DevError, match="unsupported dependency-group entry"):
            dev.dependency_group("g", {"g": [{"bogus": 1}]})

    def test_fingerprint_tracks_package_metadata(self, dev, monkeypatch, tmp_path):
        """Editing or adding a distribution's pyproject.toml forces a reinstall."""
        (tmp_path / "tools").mkdir()
        (tmp_path / "tools" / "dev.py").write_text("# dev")
        (tmp_path / "pyproject.toml").write_text("[project]\nname = 'root'\n")
        pkg = tmp_path / "packages" / "ml-infra-a"
        pkg.mkdir(parents=True)
        (pkg / "pyproject.toml").write_text("[project]\nname = 'ml-infra-a'\n")
        monkeypatch.setattr(dev, "ROOT", tmp_path)
        monkeypatch.setattr(dev, "PACKAGES_DIR", tmp_path / "packages")
        first = dev.install_fingerprint()
        assert dev.install_fingerprint() == first
        (pkg / "pyproject.toml").write_text(
            "[project]\nname = 'ml-infra-a'\ndependencies = ['x']\n"
        )
        second = dev.install_fingerprint()
        assert second != first
        (tmp_path / "packages" / "ml-infra-b").mkdir()
        (tmp_path / "packages" / "ml-infra-b" / "pyproject.toml").write_text("")
        assert dev.install_fingerprint() != second


class TestCommandLine:
    def test_unknown_command_exits_2_with_usage(self):
        """A typo gets the usage text and exit code 2, not a traceback."""
        proc = subprocess.run(
            [sys.executable, ROOT / "tools" / "dev.py", "tset"], capture_output=True, text=True
        )
        assert proc.returncode == 2
        assert "unknown command 'tset'" in proc.stderr
        assert "test" in proc.stderr

    def test_mypy_targets_cover_every_distribution(self, dev):
        """mypy checks each ml_infra.<sub> package by name (namespace-aware)."""
        targets = dev.mypy_targets()
        assert targets[1::2] == [
            "ml_infra.decorators",
            "ml_infra.logging",
            "ml_infra.metrics",
            "ml_infra.preprocessing",
            "tools",
        ]


class TestHarness:
    def test_goals(self, harness):
        """at_most bounds the time ratio; faster(n) requires ratio <= 1/n."""
        assert harness.Goal.at_most(1.3).met(1.29)
        assert not harness.Goal.at_most(1.3).met(1.31)
        assert harness.Goal.faster(50).met(1 / 51)
        assert not harness.Goal.faster(50).met(1 / 49)

    def test_measure_subtracts_baseline(self, harness):
        """Overhead cases compare time added on top of the bare call."""
        calls = {"n": 0}

        def bare() -> None:
            calls["n"] += 1

        case = harness.Case(
            name="x",
            ours=bare,
            anchor=lambda: sum(range(200)),
            anchor_name="sum",
            goal=harness.Goal.at_most(1.0),
            baseline=bare,
            repeat=3,
            number=200,
        )
        result = harness.measure(case)
        assert calls["n"] >= 2 * 3 * 200
        assert result.ours < result.anchor
        assert result.ok


class TestOtherInterpreters:
    def test_malformed_version_is_refused(self, dev):
        """--python wants X.Y; anything else is a clear error, not a search."""
        with pytest.raises(dev.ToolError, match=r"--python wants a version like 3\.12"):
            dev.find_python("three")

    def test_missing_interpreter_is_named(self, dev, monkeypatch, tmp_path):
        """A version that is not installed names where it was looked for."""
        monkeypatch.setenv("PYENV_ROOT", str(tmp_path))
        with pytest.raises(dev.ToolError, match=r"no Python 3\.99 found"):
            dev.find_python("3.99")

    def test_pyenv_versions_are_found(self, dev):
        """An installed pyenv interpreter is found and really is that version."""
        version = f"{sys.version_info.major}.{sys.version_info.minor}"
        found = dev.find_python(version)
        out = subprocess.run(
            [found, "-c", "import sys; print(sys.version_info[:2])"],
            capture_output=True,
            text=True,
            check=True,
        )
        assert out.stdout.strip() == str(sys.version_info[:2])

    def test_python_without_version_is_refused(self, dev):
        """`test --python` with nothing after it is a usage error, not a crash."""
        with pytest.raises(dev.DevError, match="--python needs a version"):
            dev.cmd_test(["--python"])

    def test_each_interpreter_gets_its_own_venv(self, dev):
        """--python X.Y uses .venv-X.Y beside .venv; the lint/type/test steps are the same."""
        env = dev.Env(Path(sys.executable), dev.ROOT / ".venv-3.12")
        steps = [what for what, _ in dev.check_steps(env, [])]
        assert steps == ["ruff check", "ruff format --check", "mypy --strict", "pytest"]
        assert env.python.parent.parent == dev.ROOT / ".venv-3.12"
