"""Index queries and refusals of `release publish` (tools/release/_publish.py, _simple_index.py).

A scripted HTTP server on loopback plays the index; the refusals that come before
any build run in a temporary clone and never build or upload.
"""

from __future__ import annotations

import hashlib
import http.server
import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.tools._support import git
from tools.release import _dists, _simple_index
from tools.release._errors import ReleaseError
from tools.release._publish import refuse_stale, release_files
from tools.release._simple_index import (
    JSON_TYPE,
    checked_index_url,
    default_index_url,
    index_hashes,
    root_problem,
)

WHEEL = b"not really a wheel"
JSON_ROOT = (JSON_TYPE, b'{"meta": {"api-version": "1.0"}, "projects": []}')


@dataclass
class Server:
    """A loopback HTTP server answering from ``pages``; records (host, path, Authorization).

    A path in ``redirects`` answers 303 to its target; every other path 404s. Any
    method but GET (an upload) is recorded with the method in front of the path.
    """

    port: int
    pages: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)
    seen: list[tuple[str, str, str | None]] = field(default_factory=list)

    @property
    def url(self) -> str:
        """The server root."""
        return f"http://127.0.0.1:{self.port}/"

    def paths(self) -> list[str]:
        """The paths asked for, in order."""
        return [path for _, path, _ in self.seen]


@pytest.fixture
def server() -> Iterator[Server]:
    """Serve ``Server.pages`` on 127.0.0.1 (reachable as localhost too) for one test."""
    state = Server(port=0)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            host = self.headers["Host"].rsplit(":", 1)[0]
            state.seen.append((host, self.path, self.headers.get("Authorization")))
            if self.path in state.redirects:
                self.send_response(303)
                self.send_header("Location", state.redirects[self.path])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            content_type, body = state.pages.get(self.path, ("text/plain", b""))
            self.send_response(200 if self.path in state.pages else 404)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            state.seen.append(("", f"POST {self.path}", self.headers.get("Authorization")))
            self.send_response(500)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            """Keep the test output quiet."""

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def html_page(*links: str) -> tuple[str, bytes]:
    """A PEP 503 project page linking ``links`` (the text is the file name)."""
    names = [href.split("#")[0].rsplit("/", 1)[-1] for href in links]
    anchors = "".join(f'<a href="{h}">{n}</a>' for h, n in zip(links, names, strict=True))
    return "text/html", f"<html><body>{anchors}</body></html>".encode()


def html_root(*projects: str, pad: int = 0) -> tuple[str, bytes]:
    """A PEP 503 root: one anchor per project (named as given) to its normalized page."""
    anchors = "".join(f'<a href="/simple/{p.lower()}/">{p}</a>' for p in projects)
    return "text/html", f"<html><body>{' ' * pad}{anchors}</body></html>".encode()


class TestCredentials:
    def test_credential_goes_only_to_the_repository_origin(
        self, server: Server, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The project page on the repository's host gets the credential; a file on another host does not."""
        monkeypatch.setenv("TWINE_USERNAME", "uploader")
        monkeypatch.setenv("TWINE_PASSWORD", "s3cret")
        elsewhere = f"http://localhost:{server.port}/files/x-1.0-py3-none-any.whl"
        server.pages["/simple/x/"] = html_page(elsewhere)
        server.pages["/files/x-1.0-py3-none-any.whl"] = ("application/octet-stream", WHEEL)
        repository = f"http://127.0.0.1:{server.port}/"
        got = index_hashes(f"{repository}simple/", "x", credentials_for=repository)
        assert got == {"x-1.0-py3-none-any.whl": hashlib.sha256(WHEEL).hexdigest()}
        auth = {(host, path): header for host, path, header in server.seen}
        assert auth[("127.0.0.1", "/simple/x/")] is not None
        assert auth[("localhost", "/files/x-1.0-py3-none-any.whl")] is None

    def test_no_repository_no_credential(
        self, server: Server, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A plain query (the demo's table) sends no credential at all."""
        monkeypatch.setenv("TWINE_USERNAME", "uploader")
        monkeypatch.setenv("TWINE_PASSWORD", "s3cret")
        server.pages["/simple/x/"] = html_page("/files/x-1.0.tar.gz#sha256=" + "ab" * 32)
        assert index_hashes(f"http://127.0.0.1:{server.port}/simple/", "x") == {
            "x-1.0.tar.gz": "ab" * 32
        }
        assert [header for _, _, header in server.seen] == [None]


class TestAnswers:
    def test_pep_691_json_is_read(self, server: Server) -> None:
        """A JSON answer gives file names and their sha256 without downloading anything."""
        files = [
            {"filename": "x-1.0.tar.gz", "url": "x-1.0.tar.gz", "hashes": {"sha256": "cd" * 32}}
        ]
        server.pages["/simple/x/"] = (JSON_TYPE, json.dumps({"files": files}).encode())
        got = index_hashes(f"http://127.0.0.1:{server.port}/simple/", "X")
        assert got == {"x-1.0.tar.gz": "cd" * 32}
        assert [path for _, path, _ in server.seen] == ["/simple/x/"]

    @pytest.mark.parametrize(
        "body", [b"{not json", b'{"files": 3}', b'{"files": [{"url": "u"}]}', b"[]"]
    )
    def test_malformed_json_is_a_clear_error(self, server: Server, body: bytes) -> None:
        """A broken PEP 691 answer is a ReleaseError naming the page, not a KeyError or TypeError."""
        server.pages["/simple/x/"] = (JSON_TYPE, body)
        with pytest.raises(ReleaseError, match=r"simple/x/ is not a valid PEP 691 JSON answer"):
            index_hashes(f"http://127.0.0.1:{server.port}/simple/", "x")

    def test_missing_project_is_empty(self, server: Server) -> None:
        """A 404 means the index holds nothing of the project yet."""
        assert index_hashes(f"http://127.0.0.1:{server.port}/simple/", "x") == {}


class TestIndexRoot:
    def test_json_root_answers(self, server: Server) -> None:
        """A PEP 691 JSON root is a simple index."""
        server.pages["/simple/"] = JSON_ROOT
        assert root_problem(f"{server.url}simple/") is None

    def test_html_root_whose_links_name_projects_answers(self, server: Server) -> None:
        """A PEP 503 root, one anchor per project linking to that project's page, is an index."""
        server.pages["/simple/"] = html_root("ml-infra-metrics", "Foo_Bar")
        assert root_problem(f"{server.url}simple/") is None

    def test_html_root_linking_elsewhere_is_not_a_root(self, server: Server) -> None:
        """An anchor whose text is not the project it links to betrays a page that is no index."""
        server.pages["/simple/"] = ("text/html", b'<a href="/simple/numpy/">scipy</a>')
        assert root_problem(f"{server.url}simple/") == (
            "an HTML page that is not a simple index (its link 'scipy' -> '/simple/numpy/')"
        )

    def test_long_html_root_is_judged_by_whole_anchors(self, server: Server) -> None:
        """A root longer than what is read (PyPI-sized) is judged by the anchors read whole."""
        cut = _simple_index.ROOT_PREFIX_BYTES
        projects = [f"project-{i}" for i in range(20_000)]
        _, body = html_root(*projects)
        text = body.rfind(b'">project-', 0, cut) + 2  # an anchor text that starts before the cut
        server.pages["/simple/"] = html_root(*projects, pad=cut - text - 3)
        assert server.pages["/simple/"][1][:cut].endswith(b'">pro')  # the cut splits that text
        assert root_problem(f"{server.url}simple/") is None

    def test_welcome_page_is_not_a_root(self, server: Server) -> None:
        """pypiserver's welcome page (200, HTML) is not the index: its links do not name projects."""
        body = b'<html><body>All packages <a href="/packages/">here</a>, or the <a href="/simple/">simple</a> index.</body></html>'
        server.pages["/"] = ("text/html", body)
        with pytest.raises(
            ReleaseError, match=r"not a simple index \(its link 'here' -> '/packages/'\)"
        ):
            checked_index_url(server.url, credentials_for=None)

    @pytest.mark.parametrize(
        ("setup", "problem"),
        [
            ("missing", "HTTP 404 Not Found"),
            ("redirect", "HTTP 303 See Other to https://elsewhere.example.org/simple/"),
            ("json", "HTTP 200 with application/json, not a simple index"),
        ],
    )
    def test_other_answers_are_a_configuration_error(
        self, server: Server, setup: str, problem: str
    ) -> None:
        """A root that 404s, redirects or answers something else is refused, naming the answer."""
        if setup == "redirect":
            server.redirects["/simple/"] = "https://elsewhere.example.org/simple/"
        elif setup == "json":
            server.pages["/simple/"] = ("application/json", b"{}")
        with pytest.raises(ReleaseError) as info:
            checked_index_url(f"{server.url}simple", credentials_for=None)
        message = str(info.value)
        assert (
            f"index URL {server.url}simple/ does not answer as a simple index ({problem})"
            in message
        )
        assert "--index-url" in message
        assert "nothing was uploaded" in message

    def test_project_404_after_a_good_root_is_nothing_yet(self, server: Server) -> None:
        """Once the root answered, a project page that 404s means no files yet."""
        server.pages["/simple/"] = JSON_ROOT
        root = checked_index_url(f"{server.url}simple/", credentials_for=None)
        assert index_hashes(root, "ml-infra-metrics") == {}
        assert server.paths() == ["/simple/", "/simple/ml-infra-metrics/"]


class TestDerivation:
    def test_devpi_layout_is_recognised(self, server: Server) -> None:
        """devpi: /<user>/<index>/ uploads are served by /<user>/<index>/+simple/, asked first."""
        server.pages["/alice/dev/+simple/"] = JSON_ROOT
        got = default_index_url(f"{server.url}alice/dev/")
        assert got == f"{server.url}alice/dev/+simple/"
        assert server.paths() == ["/alice/dev/+simple/"]

    def test_pypiserver_layout_is_recognised(self, server: Server) -> None:
        """pypiserver: /+simple/ is not a root there (it redirects), so /simple/ is the one."""
        server.redirects["/+simple/"] = "/simple/%2Bsimple/"
        server.pages["/simple/"] = html_root()
        assert default_index_url(server.url) == f"{server.url}simple/"
        assert server.paths() == ["/+simple/", "/simple/"]

    def test_nothing_answering_names_every_try(self, server: Server) -> None:
        """When no candidate answers, the refusal lists what was tried and asks for --index-url."""
        with pytest.raises(ReleaseError) as info:
            default_index_url(f"{server.url}alice/dev")
        message = str(info.value)
        assert f"{server.url}alice/dev/+simple/ (HTTP 404 Not Found)" in message
        assert f"{server.url}alice/dev/simple/ (HTTP 404 Not Found)" in message
        assert "Pass the root of the index's simple API as --index-url" in message

    def test_known_indexes_are_mapped_not_guessed(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """upload.pypi.org is served by pypi.org/simple/ (asked, not guessed from the URL)."""
        asked: list[str] = []

        def answers(url: str, *, credentials_for: str | None = None) -> None:
            asked.append(url)

        monkeypatch.setattr(_simple_index, "root_problem", answers)
        got = default_index_url("https://upload.pypi.org/legacy/")
        assert got == asked[0] == "https://pypi.org/simple/"
        assert len(asked) == 1

    def test_probe_carries_the_credential_to_the_repository_origin(
        self, server: Server, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A private index protecting reads: the probe of the root is authenticated."""
        monkeypatch.setenv("TWINE_USERNAME", "uploader")
        monkeypatch.setenv("TWINE_PASSWORD", "s3cret")
        server.pages["/alice/dev/+simple/"] = JSON_ROOT
        default_index_url(f"{server.url}alice/dev/")
        assert server.seen[0][2] is not None


def refusal(
    repo: Path, repository_url: str, *, index_url: str | None = None, allow_untagged: bool = True
) -> str:
    """Publish ml-infra-preprocessing of the clone ``repo``; the ReleaseError's message."""
    dist = _dists.get(_dists.load(repo), "ml-infra-preprocessing")
    with pytest.raises(ReleaseError) as info:
        release_files(
            repo,
            dist,
            repository_url=repository_url,
            index_url=index_url,
            allow_untagged=allow_untagged,
        )
    return str(info.value)


class TestRefusalsBeforeBuilding:
    def test_root_404_refused_before_building_or_uploading(
        self, repo: Path, server: Server
    ) -> None:
        """A repository URL whose simple index cannot be found stops publish with no build, no upload."""
        assert "found no simple index" in refusal(repo, server.url)
        assert server.paths() == ["/+simple/", "/simple/"]
        assert not (repo / "dist").exists()

    def test_explicit_index_url_must_answer(self, repo: Path, server: Server) -> None:
        """--index-url is checked like a derived one: a 404 root is refused before building."""
        message = refusal(repo, server.url, index_url=f"{server.url}alice/dev/simple/")
        assert "does not answer as a simple index" in message
        assert server.paths() == ["/alice/dev/simple/"]
        assert not (repo / "dist").exists()

    def test_dirty_tree_is_refused_untracked_files_included(
        self, repo: Path, server: Server
    ) -> None:
        """An untracked file makes the tree dirty: refused before the index is even asked."""
        (repo / "scratch.txt").write_text("not committed\n")
        assert re.search(r"from a dirty tree[^\n]*\n\s+\?\? scratch.txt", refusal(repo, server.url))
        assert server.seen == []

    def test_untagged_head_is_refused(self, repo: Path, server: Server) -> None:
        """Without the release tag, publish names the tag and how to make it."""
        message = refusal(repo, server.url, allow_untagged=False)
        assert "there is no release tag ml-infra-preprocessing-v0.1.0" in message
        assert "release tag ml-infra-preprocessing" in message
        assert server.seen == []

    def test_tag_on_another_commit_is_refused(self, repo: Path, server: Server) -> None:
        """A release tag that is not HEAD: publish says to check the tag out."""
        git(repo, "tag", "--annotate", "ml-infra-preprocessing-v0.1.0", "-m", "x", "HEAD~1")
        message = refusal(repo, server.url, allow_untagged=False)
        assert "git checkout ml-infra-preprocessing-v0.1.0 first" in message
        assert server.seen == []

    def test_url_problems_come_first(self, repo: Path) -> None:
        """A plain-http repository off loopback is refused before the tree is even looked at."""
        (repo / "scratch.txt").write_text("not committed\n")
        message = refusal(repo, "http://example.org/legacy/", allow_untagged=False)
        assert "plain http is allowed on loopback only" in message


def folders(tmp_path: Path, dist_tar: bytes) -> tuple[Path, list[Path]]:
    """dist/ holding an sdist with ``dist_tar``, and a fresh build (sdist b"same", a wheel)."""
    fresh, dist = tmp_path / "fresh", tmp_path / "dist"
    fresh.mkdir()
    dist.mkdir()
    (fresh / "x-1.0.tar.gz").write_bytes(b"same")
    (fresh / "x-1.0-py3-none-any.whl").write_bytes(b"wheel")
    (dist / "x-1.0.tar.gz").write_bytes(dist_tar)
    return dist, sorted(fresh.iterdir())


class TestStaleFiles:
    def test_differing_file_in_dist_is_refused_and_kept(self, tmp_path: Path) -> None:
        """A file in dist/ with other bytes than HEAD's build is named, and left as it was."""
        dist, fresh = folders(tmp_path, b"old")
        with pytest.raises(
            ReleaseError, match=r"x-1.0.tar.gz in .* differ from a fresh build of HEAD 0123456789ab"
        ):
            refuse_stale(dist, fresh, "0123456789abcdef")
        assert (dist / "x-1.0.tar.gz").read_bytes() == b"old"

    def test_identical_or_absent_files_pass(self, tmp_path: Path) -> None:
        """Files identical to the fresh build (or none at all) are no reason to refuse."""
        dist, fresh = folders(tmp_path, b"same")
        refuse_stale(dist, fresh, "0123456789abcdef")
        refuse_stale(tmp_path / "missing", fresh, "0123456789abcdef")


class TestMalformedUrls:
    @pytest.mark.parametrize(
        "url", ["http://[::1/", "http://localhost:99999/", "ftp://example.org/", "https:///x"]
    )
    def test_malformed_url_is_a_clear_error(self, url: str) -> None:
        """A URL that urllib cannot take apart is a ReleaseError naming it, not a traceback."""
        from tools.release._simple_index import validate_url

        with pytest.raises(ReleaseError, match="repository URL"):
            validate_url(url, what="repository URL")
