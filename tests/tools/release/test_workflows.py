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


RELEASE = ROOT / ".github" / "workflows" / "release.yml"
CI = ROOT / ".github" / "workflows" / "ci.yml"
PER_TAG = ("build", "publish", "github-release")


def step_at(job: dict[str, Any], found: str) -> int:
    """The index of the first step whose uses: or run: contains ``found``."""
    for i, step in enumerate(job["steps"]):
        if found in step.get("uses", "") or found in step.get("run", ""):
            return i
    raise AssertionError(f"no step with {found!r}")


class TestRelease:
    def test_triggered_by_tags_and_by_a_dispatch_with_a_list_of_tags(self) -> None:
        """Pushed ml-infra-*-v* tags, or a manual run with a required `tags` string input."""
        on = load(RELEASE)["on"]
        assert on["push"] == {"tags": ["ml-infra-*-v*"]}
        assert set(on) == {"push", "workflow_dispatch"}
        tags = on["workflow_dispatch"]["inputs"]["tags"]
        assert tags["required"] is True
        assert tags["type"] == "string"

    def test_plan_orders_the_tags_and_feeds_the_matrix(self) -> None:
        """The plan job runs `release plan ... --github-output` on the pushed tag or the input."""
        plan = load(RELEASE)["jobs"]["plan"]
        step = plan["steps"][step_at(plan, "release plan")]
        assert "--github-output" in step["run"]
        assert step["env"]["TAGS"] == (
            "${{ github.event_name == 'push' && github.ref_name || inputs.tags }}"
        )
        assert plan["outputs"]["tags"] == f"${{{{ steps.{step['id']}.outputs.tags }}}}"

    def test_ci_passed_gate_reads_the_check_runs_of_each_tagged_commit(self) -> None:
        """ci-passed (checks: read) asks the API for the "CI passed" check run; builds need it."""
        jobs = load(RELEASE)["jobs"]
        gate = jobs["ci-passed"]
        assert gate["needs"] == "plan"
        assert gate["permissions"] == {"contents": "read", "checks": "read"}
        script = gate["steps"][step_at(gate, "check-runs")]["run"]
        assert 'gh api --method GET "repos/$GH_REPO/commits/$sha/check-runs"' in script
        assert 'check_name="CI passed"' in script
        assert "exit 1" in script
        assert "ci-passed" in jobs["build"]["needs"]

    def test_the_gate_asks_for_the_name_of_the_ci_ok_job(self) -> None:
        """The check run the gate requires is the one ci.yml's ci-ok job produces."""
        name = load(CI)["jobs"]["ci-ok"]["name"]
        assert name == "CI passed"
        assert f'check_name="{name}"' in RELEASE.read_text()

    @pytest.mark.parametrize("name", PER_TAG)
    def test_per_tag_jobs_are_a_matrix_over_the_plan(self, name: str) -> None:
        """build, publish and github-release run once per planned tag; one failure stops no other."""
        job = load(RELEASE)["jobs"][name]
        assert job["strategy"]["fail-fast"] is False
        assert job["strategy"]["matrix"] == {"tag": "${{ fromJSON(needs.plan.outputs.tags) }}"}
        assert "plan" in job["needs"]

    def test_artifact_names_are_unique_per_tag(self) -> None:
        """Every uploaded artifact carries the tag in its name (v4 artifacts cannot be shared)."""
        jobs = load(RELEASE)["jobs"]
        steps = [s for job in jobs.values() for s in job["steps"]]
        names = [
            s["with"]["name"]
            for s in steps
            if str(s.get("uses", "")).startswith(("actions/upload-artifact@", "actions/download"))
        ]
        assert names
        assert all(n.endswith("-${{ matrix.tag }}") for n in names), names

    def test_build_checks_out_the_tag_and_tests_the_installed_wheel(self) -> None:
        """The build leg checks out the tag, runs from-tag, then test-wheel, with the tag in env:."""
        build = load(RELEASE)["jobs"]["build"]
        checkout = build["steps"][step_at(build, "actions/checkout@")]
        assert checkout["with"]["ref"] == "refs/tags/${{ matrix.tag }}"
        step = build["steps"][step_at(build, "from-tag")]
        assert step["env"]["TAG"] == "${{ matrix.tag }}"
        script = step["run"]
        assert 'python3 tools/dev.py release from-tag "$TAG"' in script
        assert 'python3 tools/dev.py release test-wheel "${TAG%-v*}"' in script
        assert script.index("from-tag") < script.index("test-wheel")
        assert step_at(build, "from-tag") < step_at(build, "actions/upload-artifact@")

    def test_publish_waits_for_floors_and_checks_the_index_before_uploading(self) -> None:
        """Checkout of the tag, wait-for-floors, the downloaded files checked, then the upload."""
        publish = load(RELEASE)["jobs"]["publish"]
        checkout = publish["steps"][step_at(publish, "actions/checkout@")]
        assert checkout["with"]["ref"] == "refs/tags/${{ matrix.tag }}"
        order = [
            step_at(publish, "actions/checkout@"),
            step_at(publish, "actions/setup-python@"),
            step_at(publish, "release wait-for-floors"),
            step_at(publish, "actions/download-artifact@"),
            step_at(publish, "release verify-index"),
            step_at(publish, "pypa/gh-action-pypi-publish@"),
        ]
        assert order == sorted(order)
        wait = publish["steps"][order[2]]["run"]
        assert wait == (
            'python3 tools/dev.py release wait-for-floors "$TAG" --index-url https://pypi.org/simple/'
        )
        assert publish["needs"] == ["plan", "build"]

    def test_publish_uses_trusted_publishing_with_attestations_and_skips_existing(self) -> None:
        """pypa/gh-action-pypi-publish with attestations and skip-existing, no password input."""
        publish = load(RELEASE)["jobs"]["publish"]
        step = publish["steps"][step_at(publish, "pypa/gh-action-pypi-publish@")]
        assert step["with"] == {"attestations": True, "skip-existing": True}

    def test_only_publish_has_id_token_and_only_release_writes(self) -> None:
        """id-token: write only in publish (environment pypi); contents: write only for the release."""
        jobs = load(RELEASE)["jobs"]
        with_token = [
            n for n, j in jobs.items() if j.get("permissions", {}).get("id-token") == "write"
        ]
        writers = [
            n for n, j in jobs.items() if j.get("permissions", {}).get("contents") == "write"
        ]
        assert with_token == ["publish"]
        assert writers == ["github-release"]
        assert jobs["publish"]["environment"] == "pypi"

    def test_a_rerun_edits_an_existing_github_release(self) -> None:
        """gh release create only when the release is absent; otherwise edit and re-upload."""
        job = load(RELEASE)["jobs"]["github-release"]
        script = job["steps"][step_at(job, "gh release")]["run"]
        assert 'if gh release view "$TAG"' in script
        assert 'gh release edit "$TAG"' in script
        assert "--clobber" in script
        assert job["needs"] == ["plan", "publish"]


class TestCi:
    def test_matrix_covers_supported_pythons_and_uses_dev_py(self) -> None:
        """Tests run on 3.11-3.14 with python3 tools/dev.py test, fed by the changed job."""
        jobs = load(CI)["jobs"]
        assert jobs["tests"]["strategy"]["matrix"]["python"] == ["3.11", "3.12", "3.13", "3.14"]
        assert jobs["tests"]["needs"] == "changed"
        assert any("python3 tools/dev.py test" in s.get("run", "") for s in jobs["tests"]["steps"])
        assert any("release changed --since" in s.get("run", "") for s in jobs["changed"]["steps"])

    def test_fragment_check_runs_on_pull_requests(self) -> None:
        """The fragments job runs check-fragments against the PR base."""
        job = load(CI)["jobs"]["fragments"]
        assert job["if"] == "github.event_name == 'pull_request'"
        assert any("release check-fragments --since" in s.get("run", "") for s in job["steps"])

    def test_wheels_and_lowest_are_needed_by_ci_ok(self) -> None:
        """ci-ok waits for the installed-wheel tests and the lowest-dependency tests."""
        jobs = load(CI)["jobs"]
        assert {"changed", "tests", "fragments", "build", "wheels", "lowest"} <= set(
            jobs["ci-ok"]["needs"]
        )

    def test_wheels_tests_each_built_wheel(self) -> None:
        """wheels downloads the build job's dist/ and runs release test-wheel per distribution."""
        job = load(CI)["jobs"]["wheels"]
        assert job["needs"] == "build"
        assert step_at(job, "actions/download-artifact@") < step_at(job, "release test-wheel")
        assert 'release test-wheel "$dist"' in job["steps"][step_at(job, "test-wheel")]["run"]

    def test_lowest_runs_on_the_oldest_python_with_tags(self) -> None:
        """test --lowest on Python 3.11 (numpy 1.26 wheels), full history for the floor tags."""
        job = load(CI)["jobs"]["lowest"]
        python = job["steps"][step_at(job, "actions/setup-python@")]
        assert python["with"]["python-version"] == "3.11"
        assert job["steps"][step_at(job, "actions/checkout@")]["with"]["fetch-depth"] == 0
        assert job["steps"][step_at(job, "test --lowest")]["run"] == (
            "python3 tools/dev.py test --lowest"
        )

    def test_runs_on_main_are_never_cancelled(self) -> None:
        """Only pull requests cancel superseded runs: every commit of main gets its "CI passed"."""
        concurrency = load(CI)["concurrency"]
        assert concurrency["cancel-in-progress"] == "${{ github.event_name == 'pull_request' }}"
        assert "github.sha" in concurrency["group"]
