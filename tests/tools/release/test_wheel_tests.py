"""Wheel trials (tools/release/_wheel_tests.py): lowest pins, closures, and real installs."""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.requirements import Requirement

from tests.tools._support import Runner, git, needs_oldest_python
from tools.release._dists import load
from tools.release._errors import ReleaseError
from tools.release._wheel_tests import _merge, closure, group_pins, lowest_pin, trial

ROOT = Path(__file__).resolve().parents[3]


class TestLowestPins:
    @pytest.mark.parametrize(
        ("req", "pin"),
        [
            ("numpy>=1.26", "numpy==1.26.*"),
            ("numpy>=1.26.4", "numpy==1.26.4"),
            ("numpy~=1.26", "numpy==1.26.*"),
            ("pandas>=2.2,<3", "pandas==2.2.*"),
            ('numpy>=2.0; python_version >= "3.13"', 'numpy==2.0.*; python_version >= "3.13"'),
        ],
    )
    def test_floor_series(self, req: str, pin: str) -> None:
        """A two-part floor installs its newest patch; a three-part floor installs exactly."""
        assert lowest_pin(Requirement(req)) == pin

    def test_no_lower_bound_is_refused(self) -> None:
        """A requirement without a floor cannot be tested at its floor: a clear error."""
        with pytest.raises(ReleaseError, match="has no lower bound"):
            lowest_pin(Requirement("numpy<3"))

    def test_merge_keeps_the_highest_floor(self) -> None:
        """Two distributions declaring numpy floors: the trial installs the higher one."""
        merged = _merge(
            [Requirement("numpy>=1.26"), Requirement("numpy>=2.0"), Requirement("a>=1")]
        )
        assert [str(r) for r in merged] == ["a>=1", "numpy>=2.0"]


class TestRepository:
    def test_closure_lists_dependencies_first(self) -> None:
        """metrics' trial installs preprocessing (its in-repo dependency) before itself."""
        dists = load(ROOT)
        names = [d.name for d in closure(dists, dists["ml-infra-metrics"])]
        assert names == ["ml-infra-preprocessing", "ml-infra-metrics"]
        assert [d.name for d in closure(dists, dists["ml-infra-logging"])] == ["ml-infra-logging"]

    def test_groups_of_both_resolutions_exist_and_are_pinned(self) -> None:
        """The test tools of both trials are exact pins of the root pyproject's groups."""
        for groups in (("test", "compare"), ("test-lowest",)):
            pins = group_pins(ROOT, groups)
            assert pins
            assert all(next(iter(Requirement(p).specifier)).operator == "==" for p in pins)

    def test_unknown_group_is_a_clear_error(self) -> None:
        """A missing group names itself instead of raising KeyError."""
        with pytest.raises(ReleaseError, match="no dependency group 'nope'"):
            group_pins(ROOT, ("nope",))


@pytest.mark.release
class TestTrials:
    @needs_oldest_python
    def test_lowest_trial_of_metrics_installs_floors_from_tags(
        self, repo: Path, release: Runner
    ) -> None:
        """metrics at its floors: preprocessing 0.1.0 built from its tag, numpy 1.26, tests pass."""
        for dist in ("ml-infra-preprocessing", "ml-infra-metrics"):
            (repo / "packages" / dist / "changelog.d" / "1.feature.md").write_text("First.\n")
        git(repo, "add", "--all")
        git(repo, "commit", "--quiet", "-m", "fragments")
        assert release("tag", "ml-infra-preprocessing", "--no-verify").returncode == 0
        result = trial(repo, load(repo)["ml-infra-metrics"], "lowest")
        assert result.passed, result.output[-3000:]
        (sibling,) = result.siblings
        assert (sibling.name, str(sibling.version)) == ("ml-infra-preprocessing", "0.1.0")
        assert sibling.source == "ml-infra-preprocessing-v0.1.0"
        assert result.third_party == ("numpy==1.26.*",)

    @needs_oldest_python
    def test_floors_command_fails_when_tests_fail(self, repo: Path, release: Runner) -> None:
        """`release floors` exits 1 naming the distribution whose installed wheel fails its tests."""
        (repo / "tests" / "logging" / "test_broken.py").write_text(
            '"""Broken."""\n\n\ndef test_broken() -> None:\n    """Fails."""\n    raise AssertionError\n'
        )
        result = release("floors", "ml-infra-logging")
        assert result.returncode == 1
        assert (
            "tests failed against the installed wheel (lowest): ml-infra-logging" in result.stderr
        )


class TestOldestPython:
    def test_lowest_trials_run_on_the_oldest_admitted_python(self) -> None:
        """requires-python >=3.11: the floor trial's interpreter is a Python 3.11."""
        import subprocess

        from tools.release._wheel_tests import oldest_python

        dist = load(ROOT)["ml-infra-metrics"]
        assert dist.requires_python == ">=3.11"
        try:
            python = oldest_python(dist)
        except ReleaseError:  # pragma: no cover - only where 3.11 is missing
            pytest.skip("no Python 3.11 here")
        out = subprocess.run(
            [python, "-c", "import sys; print(sys.version_info[:2])"],
            capture_output=True,
            text=True,
            check=True,
        )
        assert out.stdout.strip() == "(3, 11)"
