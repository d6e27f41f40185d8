"""The release CLI in a temporary clone: status, refusals, changed, check-fragments, notes."""

from __future__ import annotations

from pathlib import Path

from tests.tools._support import Runner, git

METRICS = "ml-infra-metrics"
PRE = "ml-infra-preprocessing"


def fragment(repo: Path, dist: str, name: str, text: str = "A change to `ml_infra.x`.\n") -> Path:
    path = repo / "packages" / dist / "changelog.d" / name
    path.write_text(text)
    return path


def commit_all(repo: Path, message: str = "change") -> None:
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "-m", message)


def touch_source(repo: Path, dist: str) -> None:
    about = next((repo / "packages" / dist / "src").glob("ml_infra/*/__about__.py"))
    about.write_text(about.read_text() + "# touched\n")


class TestStatus:
    def test_first_release_is_release_tag(self, repo: Path, release: Runner) -> None:
        """Before any tag, status tells a first release apart: `release tag`, not a bump."""
        fragment(repo, METRICS, "5.feature.md")
        commit_all(repo)
        result = release("status")
        assert result.returncode == 0, result.stderr
        rows = {line.split()[0]: line for line in result.stdout.splitlines()[1:]}
        assert set(rows) == {"ml-infra-decorators", "ml-infra-logging", METRICS, PRE}
        assert rows[METRICS].endswith("release tag -> 0.1.0 (first release)")
        assert "(none)" in rows[PRE]

    def test_table_lists_every_distribution_with_pending_bump(
        self, repo: Path, release: Runner
    ) -> None:
        """After the first release: the implied bump, and when a dependent's range needs widening."""
        fragment(repo, METRICS, "4.feature.md")
        fragment(repo, PRE, "3.feature.md")
        commit_all(repo)
        for dist in (PRE, METRICS):
            assert release("tag", dist, "--no-verify").returncode == 0
        fragment(repo, METRICS, "5.feature.md")
        fragment(repo, PRE, "6.feature.md")
        commit_all(repo)
        result = release("status")
        assert result.returncode == 0, result.stderr
        lines = result.stdout.splitlines()
        assert lines[0].split()[:2] == ["distribution", "version"]
        rows = {line.split()[0]: line for line in lines[1:]}
        assert "feature:1" in rows[METRICS]
        assert rows[METRICS].endswith("minor -> 0.2.0")
        assert rows[PRE].endswith("minor -> 0.2.0 (needs --widen-dependents)")
        assert "ml-infra-preprocessing-v0.1.0" in rows[PRE]


class TestBumpRefusals:
    def test_dirty_tree_is_refused(self, repo: Path, release: Runner) -> None:
        """bump refuses while the tree has uncommitted changes and names them."""
        fragment(repo, PRE, "5.bugfix.md")
        result = release("bump", PRE, "auto", "--no-verify")
        assert result.returncode == 1
        assert "dirty tree" in result.stderr
        assert "5.bugfix.md" in result.stderr
        assert git(repo, "tag", "--list") == ""

    def test_no_fragments_is_refused(self, repo: Path, release: Runner) -> None:
        """bump refuses a distribution with no pending fragments."""
        result = release("bump", PRE, "patch", "--no-verify")
        assert result.returncode == 1
        assert "no pending news fragments" in result.stderr

    def test_unknown_distribution_is_refused(self, release: Runner) -> None:
        """An unknown name lists the known distributions."""
        result = release("bump", "ml-infra-nope", "patch", "--no-verify")
        assert result.returncode == 1
        assert "unknown distribution 'ml-infra-nope'" in result.stderr
        assert METRICS in result.stderr

    def test_range_of_dependent_is_refused_and_named(self, repo: Path, release: Runner) -> None:
        """A preprocessing minor release would leave metrics' <0.2: refused, the range named."""
        fragment(repo, PRE, "5.feature.md")
        commit_all(repo)
        head = git(repo, "rev-parse", "HEAD")
        result = release("bump", PRE, "auto", "--no-verify")
        assert result.returncode == 1
        assert "ml-infra-metrics requires ml-infra-preprocessing<0.2,>=0.1.0" in result.stderr
        assert git(repo, "rev-parse", "HEAD") == head
        assert git(repo, "status", "--porcelain") == ""

    def test_unknown_git_identity_is_refused_before_any_change(
        self, repo: Path, release: Runner
    ) -> None:
        """Without a git identity bump refuses up front, saying how to set one; nothing changes."""
        fragment(repo, PRE, "5.bugfix.md")
        commit_all(repo)
        head = git(repo, "rev-parse", "HEAD")
        no_identity: dict[str, str | None] = dict.fromkeys(
            ["GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"]
        )
        # useConfigOnly: git may not guess user@hostname either (CI runners can).
        no_identity |= {"EMAIL": None, "GIT_CONFIG_COUNT": "1"}
        no_identity |= {"GIT_CONFIG_KEY_0": "user.useConfigOnly", "GIT_CONFIG_VALUE_0": "true"}
        result = release("bump", PRE, "auto", "--no-verify", env=no_identity)
        assert result.returncode == 1
        assert "git does not know who is releasing" in result.stderr
        assert "git config user.email" in result.stderr
        assert git(repo, "rev-parse", "HEAD") == head
        assert git(repo, "status", "--porcelain") == ""
        assert git(repo, "tag", "--list") == ""

    def test_failed_commit_puts_everything_back(self, repo: Path, release: Runner) -> None:
        """When the release commit fails (a hook refuses it), version, changelog and fragments are restored."""
        fragment(repo, PRE, "5.bugfix.md")
        commit_all(repo)
        head = git(repo, "rev-parse", "HEAD")
        hook = repo / ".git" / "hooks" / "pre-commit"
        hook.write_text("#!/bin/sh\necho 'hook says no' >&2\nexit 1\n")
        hook.chmod(0o755)
        result = release("bump", PRE, "auto", "--no-verify")
        assert result.returncode == 1
        assert "git commit" in result.stderr
        assert "hook says no" in result.stderr
        assert git(repo, "rev-parse", "HEAD") == head
        assert git(repo, "status", "--porcelain") == ""
        assert (repo / "packages" / PRE / "changelog.d" / "5.bugfix.md").exists()
        assert git(repo, "tag", "--list") == ""

    def test_bad_kind_is_a_usage_error(self, release: Runner) -> None:
        """An unknown bump kind exits 2 with argparse's message."""
        result = release("bump", PRE, "huge", "--no-verify")
        assert result.returncode == 2
        assert "invalid choice" in result.stderr


class TestBump:
    def test_bump_sets_version_builds_changelog_commits_and_tags(
        self, repo: Path, release: Runner
    ) -> None:
        """bump auto: version single source, CHANGELOG built, fragments consumed, annotated tag."""
        fragment(
            repo, METRICS, "12.bugfix.md", "Fixed `ml_infra.metrics.f1_score` on empty input.\n"
        )
        commit_all(repo)
        result = release("bump", METRICS, "auto", "--no-verify")
        assert result.returncode == 0, result.stderr
        about = next((repo / "packages" / METRICS / "src").glob("ml_infra/*/__about__.py"))
        assert '__version__ = "0.1.1"' in about.read_text()
        changelog = (repo / "packages" / METRICS / "CHANGELOG.md").read_text()
        assert "## [0.1.1]" in changelog
        assert "Fixed `ml_infra.metrics.f1_score` on empty input." in changelog
        assert not (repo / "packages" / METRICS / "changelog.d" / "12.bugfix.md").exists()
        assert git(repo, "cat-file", "-t", "ml-infra-metrics-v0.1.1") == "tag"
        assert git(repo, "log", "-1", "--format=%s") == "Release ml-infra-metrics 0.1.1"
        assert git(repo, "status", "--porcelain") == ""
        notes = release("notes", "ml-infra-metrics-v0.1.1")
        assert notes.returncode == 0, notes.stderr
        assert "### Fixed" in notes.stdout
        assert "f1_score" in notes.stdout
        assert "0.1.0" not in notes.stdout
        status = release("status")
        assert "ml-infra-metrics-v0.1.1" in status.stdout

    def test_tag_releases_the_current_version_once(self, repo: Path, release: Runner) -> None:
        """`tag` records the never-released current version (a first release), then refuses a repeat."""
        fragment(repo, "ml-infra-logging", "2.feature.md")
        commit_all(repo)
        assert release("tag", "ml-infra-logging", "--no-verify").returncode == 0
        assert git(repo, "cat-file", "-t", "ml-infra-logging-v0.1.0") == "tag"
        fragment(repo, "ml-infra-logging", "3.feature.md")
        commit_all(repo)
        again = release("tag", "ml-infra-logging", "--no-verify")
        assert again.returncode == 1
        assert "already exists" in again.stderr

    def test_notes_for_a_missing_version_is_refused(self, release: Runner) -> None:
        """notes names the version it could not find."""
        result = release("notes", "ml-infra-metrics-v9.9.9")
        assert result.returncode == 1
        assert "no section for version 9.9.9" in result.stderr


class TestFromTagRefusals:
    def test_version_mismatch_is_refused(self, release: Runner) -> None:
        """A tag whose version differs from the source is refused before building."""
        result = release("from-tag", "ml-infra-metrics-v9.9.9")
        assert result.returncode == 1
        assert "says 9.9.9" in result.stderr
        assert "says 0.1.0" in result.stderr

    def test_unknown_distribution_is_refused(self, release: Runner) -> None:
        """A tag naming no distribution is refused."""
        result = release("from-tag", "ml-infra-nope-v0.1.0")
        assert result.returncode == 1
        assert "unknown distribution 'ml-infra-nope'" in result.stderr

    def test_dist_is_emptied_folders_included(self, repo: Path, release: Runner) -> None:
        """from-tag leaves exactly the tagged distribution's two files in dist/, whatever was there."""
        (repo / "dist" / "old" / "nested").mkdir(parents=True)
        (repo / "dist" / "old" / "nested" / "x.whl").write_text("stale")
        (repo / "dist" / "ml_infra_metrics-0.0.9.tar.gz").write_text("stale")
        git(repo, "tag", "--annotate", "ml-infra-logging-v0.1.0", "-m", "release")
        result = release("from-tag", "ml-infra-logging-v0.1.0")
        assert result.returncode == 0, result.stderr
        assert sorted(p.name for p in (repo / "dist").iterdir()) == [
            "ml_infra_logging-0.1.0-py3-none-any.whl",
            "ml_infra_logging-0.1.0.tar.gz",
        ]

    def test_missing_tag_is_refused(self, release: Runner) -> None:
        """A release build starts from a tag: naming one that does not exist is refused."""
        result = release("from-tag", "ml-infra-logging-v0.1.0")
        assert result.returncode == 1
        assert "there is no tag ml-infra-logging-v0.1.0" in result.stderr

    def test_malformed_tag_is_refused(self, release: Runner) -> None:
        """A tag without -v<version> is refused."""
        result = release("from-tag", "v0.1.0")
        assert result.returncode == 1
        assert "not of the form" in result.stderr


class TestChanged:
    def test_change_to_preprocessing_lists_metrics_too(self, repo: Path, release: Runner) -> None:
        """A dependency's change lists its in-repo dependents."""
        base = git(repo, "rev-parse", "HEAD")
        touch_source(repo, PRE)
        commit_all(repo)
        result = release("changed", "--since", base)
        assert result.returncode == 0, result.stderr
        assert result.stdout.split() == [METRICS, PRE]

    def test_change_to_metrics_lists_only_metrics(self, repo: Path, release: Runner) -> None:
        """A leaf's change lists the leaf alone; uncommitted changes count."""
        base = git(repo, "rev-parse", "HEAD")
        touch_source(repo, METRICS)
        result = release("changed", "--since", base)
        assert result.stdout.split() == [METRICS]

    def test_tests_folder_maps_to_its_distribution(self, repo: Path, release: Runner) -> None:
        """tests/<sub>/ belongs to the distribution of <sub>."""
        base = git(repo, "rev-parse", "HEAD")
        (repo / "tests" / "logging").mkdir(exist_ok=True)
        (repo / "tests" / "logging" / "test_new.py").write_text('"""New."""\n')
        result = release("changed", "--since", base)
        assert result.stdout.split() == ["ml-infra-logging"]

    def test_rename_across_distributions_lists_both_sides(
        self, repo: Path, release: Runner
    ) -> None:
        """A file moved from logging to decorators changes both (renames are not collapsed)."""
        base = git(repo, "rev-parse", "HEAD")
        src = "packages/ml-infra-logging/README.md"
        git(repo, "mv", src, "packages/ml-infra-decorators/MOVED.md")
        commit_all(repo, "move a file")
        result = release("changed", "--since", base)
        assert result.returncode == 0, result.stderr
        assert result.stdout.split() == ["ml-infra-decorators", "ml-infra-logging"]

    def test_deleted_file_counts(self, repo: Path, release: Runner) -> None:
        """Deleting a file (committed, or only in the working tree) marks its distribution changed."""
        base = git(repo, "rev-parse", "HEAD")
        git(repo, "rm", "--quiet", "packages/ml-infra-decorators/README.md")
        commit_all(repo, "delete a file")
        (repo / "packages" / PRE / "README.md").unlink()
        result = release("changed", "--since", base)
        assert result.returncode == 0, result.stderr
        assert result.stdout.split() == ["ml-infra-decorators", METRICS, PRE]

    def test_unusual_file_names_are_seen(self, repo: Path, release: Runner) -> None:
        """Non-ASCII names and spaces (which git quotes by default) still map to their distribution."""
        base = git(repo, "rev-parse", "HEAD")
        (repo / "packages" / "ml-infra-logging" / "naïve.md").write_text("x\n")
        (repo / "packages" / "ml-infra-decorators" / "a b.md").write_text("y\n")
        commit_all(repo)
        result = release("changed", "--since", base)
        assert result.returncode == 0, result.stderr
        assert result.stdout.split() == ["ml-infra-decorators", "ml-infra-logging"]

    def test_shared_config_means_everything(self, repo: Path, release: Runner) -> None:
        """A change to the root pyproject.toml affects every distribution."""
        base = git(repo, "rev-parse", "HEAD")
        with (repo / "pyproject.toml").open("a") as fh:
            fh.write("\n# touched\n")
        result = release("changed", "--since", base)
        assert len(result.stdout.split()) == 4

    def test_nothing_changed_prints_nothing(self, repo: Path, release: Runner) -> None:
        """No change, no line; a README at the root is no distribution's."""
        base = git(repo, "rev-parse", "HEAD")
        (repo / "README.md").write_text("changed\n")
        result = release("changed", "--since", base)
        assert result.returncode == 0
        assert result.stdout == ""

    def test_github_output_feeds_the_matrix(
        self, repo: Path, release: Runner, tmp_path: Path
    ) -> None:
        """--github-output writes the JSON list, any=true and the test folders."""
        base = git(repo, "rev-parse", "HEAD")
        touch_source(repo, PRE)
        out = tmp_path / "github_output"
        result = release(
            "changed", "--since", base, "--github-output", env={"GITHUB_OUTPUT": str(out)}
        )
        assert result.returncode == 0, result.stderr
        lines = out.read_text().splitlines()
        assert 'distributions=["ml-infra-metrics", "ml-infra-preprocessing"]' in lines
        assert "any=true" in lines
        assert "test-paths=tests/metrics tests/preprocessing tests/packaging" in lines

    def test_unknown_ref_is_refused(self, release: Runner) -> None:
        """An unknown --since ref is a clear error."""
        result = release("changed", "--since", "no-such-ref")
        assert result.returncode == 1
        assert "unknown git ref 'no-such-ref'" in result.stderr


class TestCheckFragments:
    def test_source_change_without_fragment_fails(self, repo: Path, release: Runner) -> None:
        """A change to packages/<dist>/src with no new fragment fails and names the folder."""
        base = git(repo, "rev-parse", "HEAD")
        touch_source(repo, METRICS)
        commit_all(repo)
        result = release("check-fragments", "--since", base)
        assert result.returncode == 1
        assert "packages/ml-infra-metrics/changelog.d/" in result.stderr

    def test_source_change_with_fragment_passes(self, repo: Path, release: Runner) -> None:
        """The same change with a fragment in the same distribution passes."""
        base = git(repo, "rev-parse", "HEAD")
        touch_source(repo, METRICS)
        fragment(repo, METRICS, "8.bugfix.md")
        commit_all(repo)
        result = release("check-fragments", "--since", base)
        assert result.returncode == 0, result.stderr

    def test_fragment_in_another_distribution_does_not_count(
        self, repo: Path, release: Runner
    ) -> None:
        """A fragment must sit in the changed distribution's own changelog.d."""
        base = git(repo, "rev-parse", "HEAD")
        touch_source(repo, METRICS)
        fragment(repo, PRE, "8.bugfix.md")
        commit_all(repo)
        assert release("check-fragments", "--since", base).returncode == 1

    def test_misnamed_fragment_fails(self, repo: Path, release: Runner) -> None:
        """A fragment with an unknown type fails the check."""
        base = git(repo, "rev-parse", "HEAD")
        fragment(repo, METRICS, "8.feat.md")
        result = release("check-fragments", "--since", base)
        assert result.returncode == 1
        assert "8.feat.md" in result.stderr
