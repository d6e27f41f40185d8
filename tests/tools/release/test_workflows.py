"""The GitHub workflows: schema-valid, zizmor-clean, pinned, least privilege."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[3]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
BIN = Path(sys.executable).parent
USES = re.compile(r"uses:\s*(?P<action>[\w.-]+/[\w./-]+)@(?P<ref>\S+)(?P<comment>.*)$")


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = YAML(typ="safe").load(path.read_text())
    return data


def test_both_workflows_exist() -> None:
    """ci.yml and release.yml are present."""
    assert {p.name for p in WORKFLOWS} >= {"ci.yml", "release.yml"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
class TestEveryWorkflow:
    def test_matches_the_github_workflow_schema(self, path: Path) -> None:
        """check-jsonschema's vendored GitHub workflow schema accepts the file (offline)."""
        cmd = [BIN / "check-jsonschema", "--builtin-schema", "vendor.github-workflows", path]
        result = subprocess.run(cmd, capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr

    def test_zizmor_reports_nothing(self, path: Path) -> None:
        """zizmor --offline (pedantic persona) has zero findings."""
        cmd = [BIN / "zizmor", "--offline", "--persona=pedantic", "--no-progress", path]
        result = subprocess.run(cmd, capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "No findings to report" in result.stdout + result.stderr

    def test_top_level_permissions_are_empty(self, path: Path) -> None:
        """permissions: {} at the top; each job asks for what it needs."""
        assert load(path)["permissions"] == {}

    def test_actions_are_pinned_by_full_sha_with_version_comment(self, path: Path) -> None:
        """Every uses: is a 40-hex commit with a # vX.Y.Z comment."""
        uses = [m for line in path.read_text().splitlines() if (m := USES.search(line))]
        assert uses
        for match in uses:
            assert re.fullmatch(r"[0-9a-f]{40}", match["ref"]), match.group(0)
            assert re.fullmatch(r"\s*# v\d+\.\d+\.\d+", match["comment"]), match.group(0)

    def test_checkouts_do_not_persist_credentials(self, path: Path) -> None:
        """actions/checkout always runs with persist-credentials: false."""
        for job in load(path)["jobs"].values():
            for step in job.get("steps", []):
                if str(step.get("uses", "")).startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False

    def test_no_expression_is_expanded_inside_a_script(self, path: Path) -> None:
        """run: scripts get values through env:, never ${{ }} inline (template injection)."""
        for job in load(path)["jobs"].values():
            for step in job.get("steps", []):
                assert "${{" not in step.get("run", ""), step


class TestRelease:
    def test_triggered_by_distribution_tags_only(self) -> None:
        """release.yml runs on pushed ml-infra-*-v* tags."""
        on = load(ROOT / ".github/workflows/release.yml")["on"]
        assert on == {"push": {"tags": ["ml-infra-*-v*"]}}

    def test_only_publish_has_id_token_and_only_release_writes(self) -> None:
        """id-token: write only in publish (environment pypi); contents: write only for the release."""
        jobs = load(ROOT / ".github/workflows/release.yml")["jobs"]
        with_token = [
            n for n, j in jobs.items() if j.get("permissions", {}).get("id-token") == "write"
        ]
        writers = [
            n for n, j in jobs.items() if j.get("permissions", {}).get("contents") == "write"
        ]
        assert with_token == ["publish"]
        assert writers == ["github-release"]
        assert jobs["publish"]["environment"] == "pypi"

    def test_build_runs_from_tag_with_the_tag_in_env(self) -> None:
        """The build job passes the tag through env: to `release from-tag`."""
        build = load(ROOT / ".github/workflows/release.yml")["jobs"]["build"]
        step = next(s for s in build["steps"] if "from-tag" in s.get("run", ""))
        assert step["env"]["TAG"] == "${{ github.ref_name }}"
        assert 'python3 tools/dev.py release from-tag "$TAG"' in step["run"]

    def test_publish_uses_trusted_publishing_with_attestations(self) -> None:
        """pypa/gh-action-pypi-publish with attestations, no password input."""
        publish = load(ROOT / ".github/workflows/release.yml")["jobs"]["publish"]
        step = next(s for s in publish["steps"] if "gh-action-pypi-publish" in s.get("uses", ""))
        assert step["with"] == {"attestations": True}


class TestCi:
    def test_matrix_covers_supported_pythons_and_uses_dev_py(self) -> None:
        """Tests run on 3.11-3.14 with python3 tools/dev.py test, fed by the changed job."""
        jobs = load(ROOT / ".github/workflows/ci.yml")["jobs"]
        assert jobs["tests"]["strategy"]["matrix"]["python"] == ["3.11", "3.12", "3.13", "3.14"]
        assert jobs["tests"]["needs"] == "changed"
        assert any("python3 tools/dev.py test" in s.get("run", "") for s in jobs["tests"]["steps"])
        assert any("release changed --since" in s.get("run", "") for s in jobs["changed"]["steps"])

    def test_fragment_check_runs_on_pull_requests(self) -> None:
        """The fragments job runs check-fragments against the PR base."""
        job = load(ROOT / ".github/workflows/ci.yml")["jobs"]["fragments"]
        assert job["if"] == "github.event_name == 'pull_request'"
        assert any("release check-fragments --since" in s.get("run", "") for s in job["steps"])
