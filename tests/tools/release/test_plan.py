"""Releasing several tags in one go (tools/release/_plan.py): order, floors, immutable files."""

from __future__ import annotations

import hashlib
import http.server
import json
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.tools._support import git
from tools.release._errors import ReleaseError
from tools.release._plan import check_not_rewritten, plan, wait_for_floors

LOGGING = "ml-infra-logging-v0.1.0"
PRE = "ml-infra-preprocessing-v0.1.0"
METRICS = "ml-infra-metrics-v0.1.0"
REPORTS = "ml-infra-reports-v0.1.0"
PRE_WHEEL = "ml_infra_preprocessing-0.1.0-py3-none-any.whl"
FAST = {"timeout": 5.0, "interval": 0.01}
JSON_TYPE = "application/vnd.pypi.simple.v1+json"  # PEP 691


def write_dist(repo: Path, name: str, deps: list[str], version: str = "0.1.0") -> None:
    """Write the metadata the release tooling reads: pyproject.toml and __about__.py."""
    sub = name.removeprefix("ml-infra-")
    about = repo / "packages" / name / "src" / "ml_infra" / sub / "__about__.py"
    about.parent.mkdir(parents=True, exist_ok=True)
    about.write_text(f'__version__ = "{version}"\n')
    (repo / "packages" / name / "pyproject.toml").write_text(
        f'[project]\nname = "{name}"\ndynamic = ["version"]\ndependencies = {json.dumps(deps)}\n'
        f'\n[tool.hatch.version]\npath = "src/ml_infra/{sub}/__about__.py"\n'
    )


def commit(repo: Path, *tags: str) -> None:
    """Commit everything and put annotated ``tags`` on that commit."""
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "-m", "change")
    for tag in tags:
        git(repo, "tag", "-a", "-m", tag, tag)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """Four distributions at 0.1.0, all tagged: reports -> metrics -> preprocessing; logging."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "--quiet", "--initial-branch=main")
    write_dist(root, "ml-infra-logging", [])
    write_dist(root, "ml-infra-preprocessing", ["numpy>=1.26"])
    write_dist(root, "ml-infra-metrics", ["ml-infra-preprocessing>=0.1.0,<0.2", "numpy>=1.26"])
    write_dist(root, "ml-infra-reports", ["ml-infra-metrics>=0.1.0"])
    commit(root, LOGGING, PRE, METRICS, REPORTS)
    return root


Answer = Callable[[int], tuple[int, bytes]]


@dataclass
class Index:
    """A scripted simple index: ``answers[path](n)`` gives the n-th answer (from 0) for a path."""

    url: str = ""
    answers: dict[str, Answer] = field(default_factory=dict)
    hits: Counter[str] = field(default_factory=Counter)


@pytest.fixture
def index() -> Iterator[Index]:
    """Serve ``Index.answers`` (PEP 691 JSON) on 127.0.0.1 for one test; 404 for other paths.

    The root ``/simple/`` answers as an empty PEP 691 index unless a test scripts it.
    """
    root_page = json.dumps({"meta": {"api-version": "1.0"}, "projects": []}).encode()
    state = Index(answers={"/simple/": lambda _n: (200, root_page)})

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            answer = state.answers.get(self.path)
            status, body = answer(state.hits[self.path]) if answer else (404, b"")
            state.hits[self.path] += 1
            self.send_response(status)
            self.send_header("Content-Type", JSON_TYPE)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Keep the test output quiet."""

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}/simple/"
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def listing(files: dict[str, bytes]) -> tuple[int, bytes]:
    """A PEP 691 project page listing ``files`` (name -> content) with their sha256."""
    entries = [
        {"filename": name, "url": name, "hashes": {"sha256": hashlib.sha256(data).hexdigest()}}
        for name, data in files.items()
    ]
    return 200, json.dumps({"files": entries}).encode()


class TestPlan:
    def test_dependencies_come_first(self, repo: Path) -> None:
        """preprocessing is moved before metrics; otherwise the earliest given comes first."""
        assert plan(repo, [METRICS, LOGGING, PRE]) == [LOGGING, PRE, METRICS]

    def test_unrelated_tags_keep_the_given_order(self, repo: Path) -> None:
        """Tags that do not depend on each other stay in the order given."""
        assert plan(repo, [PRE, LOGGING]) == [PRE, LOGGING]
        assert plan(repo, [LOGGING, PRE]) == [LOGGING, PRE]

    def test_a_dependency_through_an_untagged_distribution_counts(self, repo: Path) -> None:
        """reports needs metrics, which needs preprocessing: preprocessing goes first."""
        assert plan(repo, [REPORTS, PRE]) == [PRE, REPORTS]

    def test_requirements_are_read_at_the_tag(self, repo: Path) -> None:
        """The tagged commit's requirements decide, not a later main that dropped them."""
        write_dist(repo, "ml-infra-metrics", ["numpy>=1.26"])
        commit(repo)
        assert plan(repo, [METRICS, PRE]) == [PRE, METRICS]

    def test_every_problem_is_reported_together(self, repo: Path) -> None:
        """Malformed, unknown, missing and repeated tags are all named in one refusal."""
        tags = ["nonsense", "ml-infra-nope-v0.1.0", "ml-infra-logging-v0.9.0", METRICS, METRICS]
        with pytest.raises(ReleaseError) as caught:
            plan(repo, tags)
        message = str(caught.value)
        assert "'nonsense' is not of the form <distribution>-v<version>" in message
        assert "unknown distribution 'ml-infra-nope'" in message
        assert "tag ml-infra-logging-v0.9.0 does not exist" in message
        assert f"tag {METRICS} is given twice" in message

    def test_two_versions_of_one_distribution_are_refused(self, repo: Path) -> None:
        """One run releases one version of a distribution."""
        write_dist(repo, "ml-infra-logging", [], version="0.1.1")
        commit(repo, "ml-infra-logging-v0.1.1")
        with pytest.raises(ReleaseError, match="both release ml-infra-logging: one version per"):
            plan(repo, [LOGGING, "ml-infra-logging-v0.1.1"])

    def test_a_tag_on_a_commit_with_another_version_is_refused(self, repo: Path) -> None:
        """A tag naming 0.2.0 on a commit whose __about__.py says 0.1.0 is refused up front."""
        git(repo, "tag", "ml-infra-logging-v0.2.0")
        with pytest.raises(
            ReleaseError, match=r"has ml-infra-logging version 0\.1\.0, not 0\.2\.0"
        ):
            plan(repo, ["ml-infra-logging-v0.2.0"])

    def test_no_tags_is_refused(self, repo: Path) -> None:
        """An empty list is a usage error, not an empty plan."""
        with pytest.raises(ReleaseError, match="no tags to release"):
            plan(repo, [])

    def test_a_cycle_is_refused(self, repo: Path) -> None:
        """Distributions that require each other cannot be ordered: both tags are named."""
        write_dist(repo, "ml-infra-preprocessing", ["ml-infra-metrics>=0.1.0"], version="0.1.1")
        commit(repo, "ml-infra-preprocessing-v0.1.1")
        with pytest.raises(
            ReleaseError, match=r"cannot order .*-v0\.1\.1, .*-v0\.1\.0: their dist"
        ):
            plan(repo, ["ml-infra-preprocessing-v0.1.1", METRICS])


class TestWaitForFloors:
    def test_returns_at_once_when_the_floor_wheel_is_listed(self, repo: Path, index: Index) -> None:
        """metrics requires preprocessing>=0.1.0: a listed 0.1.0 wheel ends the wait at once."""
        index.answers["/simple/ml-infra-preprocessing/"] = lambda _: listing({PRE_WHEEL: b"w"})
        wait_for_floors(repo, METRICS, index.url, **FAST)
        assert index.hits == {"/simple/": 1, "/simple/ml-infra-preprocessing/": 1}

    def test_polls_until_the_floor_wheel_appears(self, repo: Path, index: Index) -> None:
        """The index lists the wheel from the fourth query on: the wait returns then."""
        index.answers["/simple/ml-infra-preprocessing/"] = lambda n: (
            listing({PRE_WHEEL: b"w"}) if n >= 3 else (404, b"")
        )
        wait_for_floors(repo, METRICS, index.url, **FAST)
        assert index.hits["/simple/ml-infra-preprocessing/"] == 4

    def test_failed_queries_are_retried(self, repo: Path, index: Index) -> None:
        """An HTTP 500 from the index is retried like an absent file, not a failure."""
        index.answers["/simple/ml-infra-preprocessing/"] = lambda n: (
            listing({PRE_WHEEL: b"w"}) if n >= 1 else (500, b"")
        )
        wait_for_floors(repo, METRICS, index.url, **FAST)
        assert index.hits["/simple/ml-infra-preprocessing/"] == 2

    def test_times_out_naming_the_sibling_and_version(self, repo: Path, index: Index) -> None:
        """Another version's wheel and the floor's sdist do not count; the error says what to publish."""
        files = {
            "ml_infra_preprocessing-0.1.1-py3-none-any.whl": b"w",
            "ml_infra_preprocessing-0.1.0.tar.gz": b"s",
        }
        index.answers["/simple/ml-infra-preprocessing/"] = lambda _: listing(files)
        with pytest.raises(ReleaseError) as caught:
            wait_for_floors(repo, METRICS, index.url, timeout=0.1, interval=0.01)
        message = str(caught.value)
        assert f"{METRICS} needs ml-infra-preprocessing 0.1.0" in message
        assert "publish ml-infra-preprocessing-v0.1.0 first" in message
        assert index.hits["/simple/ml-infra-preprocessing/"] >= 2

    def test_the_timeout_names_the_last_index_error(self, repo: Path, index: Index) -> None:
        """When the index kept failing, the refusal says so (not only "no wheel")."""
        index.answers["/simple/ml-infra-preprocessing/"] = lambda _: (500, b"")
        with pytest.raises(ReleaseError, match=r"last index error: .*HTTP 500"):
            wait_for_floors(repo, METRICS, index.url, timeout=0.05, interval=0.01)

    def test_only_direct_in_repo_requirements_are_waited_for(
        self, repo: Path, index: Index
    ) -> None:
        """reports waits for metrics 0.1.0 only; numpy and preprocessing are not its floors."""
        wheel = "ml_infra_metrics-0.1.0-py3-none-any.whl"
        index.answers["/simple/ml-infra-metrics/"] = lambda _: listing({wheel: b"w"})
        wait_for_floors(repo, REPORTS, index.url, **FAST)
        assert index.hits == {"/simple/": 1, "/simple/ml-infra-metrics/": 1}

    def test_wrong_index_root_fails_at_once(self, repo: Path, index: Index) -> None:
        """An index root that is not a simple index is a configuration error, not a 30-minute wait."""
        index.answers["/simple/"] = lambda _n: (404, b"")
        with pytest.raises(ReleaseError, match="does not answer as a simple index"):
            wait_for_floors(repo, REPORTS, index.url, timeout=3600, interval=60)
        assert index.hits == {"/simple/": 1}

    def test_no_in_repo_requirement_means_no_query(self, repo: Path, index: Index) -> None:
        """logging requires no sibling: nothing to wait for, the index is not asked."""
        wait_for_floors(repo, LOGGING, index.url, **FAST)
        assert not index.hits

    def test_head_must_be_the_tag(self, repo: Path, index: Index) -> None:
        """The requirements are read from the work tree, so it must be the tagged commit."""
        (repo / "later.txt").write_text("after the release\n")
        commit(repo)
        with pytest.raises(ReleaseError, match=f"HEAD is not {METRICS}: check out the tag"):
            wait_for_floors(repo, METRICS, index.url, **FAST)

    def test_plain_http_off_loopback_is_refused_before_any_query(self, repo: Path) -> None:
        """A misconfigured index URL fails at once instead of after the timeout."""
        with pytest.raises(ReleaseError, match="plain http is allowed on loopback only"):
            wait_for_floors(repo, METRICS, "http://example.org/simple/", **FAST)


class TestCheckNotRewritten:
    @pytest.fixture
    def files(self, tmp_path: Path) -> list[Path]:
        """metrics 0.1.0's sdist and wheel, as the build job uploads them."""
        sdist = tmp_path / "dist" / "ml_infra_metrics-0.1.0.tar.gz"
        wheel = sdist.with_name("ml_infra_metrics-0.1.0-py3-none-any.whl")
        sdist.parent.mkdir()
        sdist.write_bytes(b"sdist")
        wheel.write_bytes(b"wheel")
        return [sdist, wheel]

    def test_files_already_there_with_the_same_bytes_are_named(
        self, repo: Path, index: Index, files: list[Path]
    ) -> None:
        """After a partial upload, the file already there is reported and nothing is refused."""
        on_index = {files[0].name: b"sdist"}
        index.answers["/simple/ml-infra-metrics/"] = lambda _: listing(on_index)
        got = check_not_rewritten(repo, "ml-infra-metrics", files, index.url)
        assert got == [files[0].name]

    def test_nothing_on_the_index_passes(self, repo: Path, index: Index, files: list[Path]) -> None:
        """A first upload: the project page is absent (404), nothing to compare."""
        assert check_not_rewritten(repo, "ml-infra-metrics", files, index.url) == []

    def test_a_name_with_other_bytes_is_refused(
        self, repo: Path, index: Index, files: list[Path]
    ) -> None:
        """A released file is immutable: different bytes under its name are refused, by name."""
        on_index = {files[0].name: b"sdist", files[1].name: b"other wheel"}
        index.answers["/simple/ml-infra-metrics/"] = lambda _: listing(on_index)
        with pytest.raises(ReleaseError, match=r"different files named ml_infra_metrics-0.1.0-py3"):
            check_not_rewritten(repo, "ml-infra-metrics", files, index.url)

    def test_files_of_another_distribution_are_refused(
        self, repo: Path, index: Index, files: list[Path]
    ) -> None:
        """dist/ must hold only this distribution's files; the index is not even asked."""
        stray = files[0].with_name(PRE_WHEEL)
        stray.write_bytes(b"w")
        with pytest.raises(ReleaseError, match=f"{PRE_WHEEL} are not its files"):
            check_not_rewritten(repo, "ml-infra-metrics", [*files, stray], index.url)
        assert not index.hits

    def test_no_files_is_refused(self, repo: Path, index: Index) -> None:
        """An empty dist/ is an error, not a silent pass."""
        with pytest.raises(ReleaseError, match="no files of ml-infra-metrics"):
            check_not_rewritten(repo, "ml-infra-metrics", [], index.url)
