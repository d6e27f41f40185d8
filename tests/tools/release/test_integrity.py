"""Issue 11 reproduced in a temporary clone: every way a second release broke users, refused.

Each test makes the maintainer's mistake the issue describes and checks that the
release tool refuses it with a clear message, leaving tree, tags and HEAD as before.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tools._support import Runner, git, needs_oldest_python
from tools.release._dists import load

METRICS = "ml-infra-metrics"
PRE = "ml-infra-preprocessing"
PRE_INIT = Path("packages/ml-infra-preprocessing/src/ml_infra/preprocessing/__init__.py")


def write(repo: Path, rel: str | Path, text: str) -> None:
    path = repo / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def commit_all(repo: Path, message: str = "change") -> None:
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "-m", message)


def first_release(repo: Path, release: Runner, *dists: str) -> None:
    """Tag 0.1.0 of ``dists`` as the documented first release does."""
    for dist in dists:
        write(repo, f"packages/{dist}/changelog.d/1.feature.md", f"First release of `{dist}`.\n")
    commit_all(repo, "fragments for the first release")
    for dist in dists:
        result = release("tag", dist, "--no-verify")
        assert result.returncode == 0, result.stderr


def add_public_function(repo: Path, name: str) -> None:
    """Add ``name`` to preprocessing's public API, lint-clean (defined before ``__all__``)."""
    init = repo / PRE_INIT
    new_function = f'\ndef {name}() -> int:\n    """New."""\n    return 1\n\n\n'
    text = init.read_text().replace(
        '    "validate_range",\n', f'    "validate_range",\n    "{name}",\n'
    )
    init.write_text(text.replace("__all__ = [", new_function + "__all__ = [", 1))


def state(repo: Path) -> tuple[str, str, str]:
    """HEAD, the tags and the porcelain status: what a refusal must leave as it was."""
    return (
        git(repo, "rev-parse", "HEAD"),
        git(repo, "tag", "--list"),
        git(repo, "status", "--porcelain"),
    )


class TestCleanReleaseCommits:
    def test_version_write_changes_only_the_version(self, tmp_path: Path) -> None:
        """Writing a version keeps quotes, spacing, comments and the final newline."""
        about = tmp_path / "packages/ml-infra-x/src/ml_infra/x/__about__.py"
        text = '"""Version."""\n\n__version__ = \'0.1.0\'  # single source\n'
        write(tmp_path, about.relative_to(tmp_path), text)
        write(
            tmp_path,
            "packages/ml-infra-x/pyproject.toml",
            '[project]\nname = "ml-infra-x"\n'
            '[tool.hatch.version]\npath = "src/ml_infra/x/__about__.py"\n',
        )
        dist = load(tmp_path)["ml-infra-x"]
        from packaging.version import Version

        dist.set_version(Version("0.2.0"))
        assert about.read_text() == text.replace("0.1.0", "0.2.0")
        assert dist.version() == Version("0.2.0")

    def test_release_commit_touches_version_changelog_and_fragments_only(
        self, repo: Path, release: Runner
    ) -> None:
        """The release commit's diff of __about__.py is the one version line, newline kept."""
        first_release(repo, release, PRE)
        write(repo, f"packages/{PRE}/changelog.d/7.bugfix.md", "Fixed a thing.\n")
        commit_all(repo)
        assert release("bump", PRE, "patch", "--no-verify").returncode == 0
        diff = git(repo, "show", "--format=", "--unified=0", "HEAD", "--", "*__about__.py")
        changed = [
            line
            for line in diff.splitlines()
            if line[:1] in "+-" and line[:3] not in {"+++", "---"}
        ]
        assert changed == ['-__version__ = "0.1.0"', '+__version__ = "0.1.1"']
        assert "No newline at end of file" not in diff
        files = git(repo, "show", "--format=", "--name-only", "HEAD").splitlines()
        assert sorted(files) == sorted(
            [
                f"packages/{PRE}/CHANGELOG.md",
                f"packages/{PRE}/changelog.d/7.bugfix.md",
                f"packages/{PRE}/src/ml_infra/preprocessing/__about__.py",
            ]
        )

    def test_check_fragments_accepts_a_release_commit(self, repo: Path, release: Runner) -> None:
        """A release commit sent as a pull request passes check-fragments (alone or after its change)."""
        first_release(repo, release, PRE)
        before_fix = git(repo, "rev-parse", "HEAD")
        write(repo, PRE_INIT, (repo / PRE_INIT).read_text() + "# a fix\n")
        write(repo, f"packages/{PRE}/changelog.d/7.bugfix.md", "Fixed a thing.\n")
        commit_all(repo, "fix")
        before_release = git(repo, "rev-parse", "HEAD")
        assert release("bump", PRE, "patch", "--no-verify", "--no-tag").returncode == 0
        alone = release("check-fragments", "--since", before_release)
        assert alone.returncode == 0, alone.stderr
        with_change = release("check-fragments", "--since", before_fix)
        assert with_change.returncode == 0, with_change.stderr

    def test_no_tag_then_tag_the_merged_release_commit(self, repo: Path, release: Runner) -> None:
        """bump --no-tag makes the commit for a pull request; `tag` then tags it as is."""
        first_release(repo, release, PRE)
        write(repo, f"packages/{PRE}/changelog.d/7.bugfix.md", "Fixed a thing.\n")
        commit_all(repo)
        assert release("bump", PRE, "patch", "--no-verify", "--no-tag").returncode == 0
        release_commit = git(repo, "rev-parse", "HEAD")
        assert f"{PRE}-v0.1.1" not in git(repo, "tag", "--list")
        status = release("status")
        assert "release tag -> 0.1.1 (release commit merged)" in status.stdout
        tagged = release("tag", PRE, "--no-verify")
        assert tagged.returncode == 0, tagged.stderr
        assert "tagging the merged release commit" in tagged.stdout
        assert f"push with: git push origin {PRE}-v0.1.1" in tagged.stdout
        assert git(repo, "rev-parse", "HEAD") == release_commit  # no second commit
        assert git(repo, "rev-list", "-n", "1", f"{PRE}-v0.1.1") == release_commit

    def test_tag_refuses_changes_made_after_the_release_commit(
        self, repo: Path, release: Runner
    ) -> None:
        """A fix merged after the release commit would ship unlisted: `tag` refuses, naming the commit."""
        first_release(repo, release, PRE)
        write(repo, f"packages/{PRE}/changelog.d/7.bugfix.md", "Fixed a thing.\n")
        commit_all(repo)
        assert release("bump", PRE, "patch", "--no-verify", "--no-tag").returncode == 0
        release_commit = git(repo, "rev-parse", "HEAD")
        write(repo, PRE_INIT, (repo / PRE_INIT).read_text() + "# a later fix\n")
        write(repo, f"packages/{PRE}/changelog.d/35.bugfix.md", "A later fix.\n")
        commit_all(repo, "later fix")
        before = state(repo)
        refused = release("tag", PRE, "--no-verify")
        assert refused.returncode == 1
        assert (
            f"changed in 1 commit(s) after the release commit {release_commit[:12]}"
            in refused.stderr
        )
        assert state(repo) == before
        git(repo, "checkout", "--quiet", release_commit)
        assert release("tag", PRE, "--no-verify").returncode == 0
        assert git(repo, "rev-list", "-n", "1", f"{PRE}-v0.1.1") == release_commit


class TestApiDecidesTheBump:
    def test_tag_of_a_merged_minor_release_counts_from_the_last_tag(
        self, repo: Path, release: Runner
    ) -> None:
        """An addition released through a pull request: `tag` accepts the merged 0.2.0 commit."""
        first_release(repo, release, PRE, METRICS)
        add_public_function(repo, "zz_new")
        write(repo, f"packages/{PRE}/changelog.d/9.feature.md", "Added `zz_new`.\n")
        commit_all(repo)
        made = release("bump", PRE, "auto", "--no-verify", "--no-tag", "--widen-dependents")
        assert made.returncode == 0, made.stderr
        tagged = release("tag", PRE, "--no-verify")
        assert tagged.returncode == 0, tagged.stderr
        assert f"{PRE}-v0.2.0" in git(repo, "tag", "--list")

    def test_an_addition_needs_a_feature_fragment(self, repo: Path, release: Runner) -> None:
        """A new public name with a bugfix fragment: refused as too small, pointing at a feature fragment."""
        first_release(repo, release, PRE)
        add_public_function(repo, "zz_new")
        write(repo, f"packages/{PRE}/changelog.d/9.bugfix.md", "Added `zz_new`.\n")
        commit_all(repo)
        refused = release("bump", PRE, "auto", "--no-verify")
        assert refused.returncode == 1
        assert "has additions that need a minor release (0.2.0)" in refused.stderr
        assert "<issue>.feature.md" in refused.stderr

    @pytest.mark.parametrize(
        ("edit", "named"),
        [
            (lambda t: t.replace('    "ensure_1d",\n', ""), "ensure_1d"),
            (
                lambda t: t.replace('"clip_outliers"', '"clip_extremes"').replace(
                    "import clip_outliers", "import clip_outliers as clip_extremes"
                ),
                "clip_outliers",
            ),
        ],
        ids=["removed-from-all", "renamed"],
    )
    def test_breaking_patch_is_refused(
        self, repo: Path, release: Runner, edit: object, named: str
    ) -> None:
        """Removing or renaming a public name with a bugfix fragment: bump auto refuses, naming it."""
        first_release(repo, release, PRE)
        init = repo / PRE_INIT
        assert callable(edit)
        init.write_text(edit(init.read_text()))
        write(repo, f"packages/{PRE}/changelog.d/8.bugfix.md", "Tidied the API.\n")
        commit_all(repo)
        before = state(repo)
        result = release("bump", PRE, "auto", "--no-verify")
        assert result.returncode == 1
        assert "too small a bump" in result.stderr
        assert named in result.stderr
        assert "minor" in result.stderr  # breaking while 0.x -> minor
        assert state(repo) == before

    def test_check_fragments_fails_a_break_without_breaking_fragment(
        self, repo: Path, release: Runner
    ) -> None:
        """A pull request that removes a public name needs a breaking fragment."""
        base = git(repo, "rev-parse", "HEAD")
        init = repo / PRE_INIT
        init.write_text(init.read_text().replace('    "ensure_1d",\n', ""))
        write(repo, f"packages/{PRE}/changelog.d/8.bugfix.md", "Tidied the API.\n")
        commit_all(repo)
        result = release("check-fragments", "--since", base)
        assert result.returncode == 1
        assert "breaks its public API" in result.stderr
        assert "ensure_1d" in result.stderr
        (repo / f"packages/{PRE}/changelog.d/8.bugfix.md").rename(
            repo / f"packages/{PRE}/changelog.d/8.breaking.md"
        )
        commit_all(repo)
        assert release("check-fragments", "--since", base).returncode == 0


class TestDependentsFirst:
    def test_widen_dependents_raises_ranges_with_fragments(
        self, repo: Path, release: Runner
    ) -> None:
        """A preprocessing minor release with --widen-dependents raises metrics' range; metrics follows in one command."""
        first_release(repo, release, PRE, METRICS)
        write(repo, f"packages/{PRE}/changelog.d/9.feature.md", "Added a thing.\n")
        commit_all(repo)
        refused = release("bump", PRE, "auto", "--no-verify")
        assert refused.returncode == 1
        assert "--widen-dependents" in refused.stderr
        result = release("bump", PRE, "auto", "--no-verify", "--widen-dependents")
        assert result.returncode == 0, result.stderr
        pyproject = (repo / f"packages/{METRICS}/pyproject.toml").read_text()
        assert '"ml-infra-preprocessing>=0.1.0,<0.3"' in pyproject
        frags = list((repo / f"packages/{METRICS}/changelog.d").glob("*.md"))
        assert [f.name for f in frags] == ["+widen-preprocessing-0-2-0.bugfix.md"]
        assert git(repo, "status", "--porcelain") == ""
        follow_up = release("bump", METRICS, "auto", "--no-verify")
        assert follow_up.returncode == 0, follow_up.stderr
        assert f"{METRICS}-v0.1.1" in git(repo, "tag", "--list")

    @pytest.mark.release
    @needs_oldest_python
    def test_dependent_needing_unreleased_sibling_code_is_refused(
        self, repo: Path, release: Runner
    ) -> None:
        """metrics using a preprocessing function that exists only on main: bump refuses, naming the sibling."""
        first_release(repo, release, PRE, METRICS)
        add_public_function(repo, "zz_only_on_main")
        write(
            repo,
            "packages/ml-infra-metrics/src/ml_infra/metrics/_needs.py",
            '"""Uses code that exists only on main."""\n\n'
            "from ml_infra.preprocessing import zz_only_on_main\n\nVALUE = zz_only_on_main()\n",
        )
        write(
            repo,
            "tests/metrics/test_needs.py",
            '"""The new code path."""\n\nfrom ml_infra.metrics._needs import VALUE\n\n\n'
            'def test_value() -> None:\n    """It works with the sibling on main."""\n    assert VALUE == 1\n',
        )
        write(repo, f"packages/{PRE}/changelog.d/9.feature.md", "Added `zz_only_on_main`.\n")
        write(repo, f"packages/{METRICS}/changelog.d/9.bugfix.md", "Uses it.\n")
        commit_all(repo)
        before = state(repo)
        result = release("bump", METRICS, "patch")
        assert result.returncode == 1, result.stdout
        assert f"needs code that {PRE} 0.1.0 (built from {PRE}-v0.1.0) lacks" in result.stderr
        assert f"Release {PRE} first" in result.stderr
        assert state(repo) == before
