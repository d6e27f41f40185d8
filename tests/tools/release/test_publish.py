"""Index queries of `release publish` (tools/release/_publish.py) against a scripted local server."""

from __future__ import annotations

import hashlib
import http.server
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from tools.release._errors import ReleaseError
from tools.release._publish import JSON_TYPE, index_hashes

WHEEL = b"not really a wheel"


@dataclass
class Server:
    """A loopback HTTP server answering from ``pages``; records (host, path, Authorization)."""

    port: int
    pages: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    seen: list[tuple[str, str, str | None]] = field(default_factory=list)


@pytest.fixture
def server() -> Iterator[Server]:
    """Serve ``Server.pages`` on 127.0.0.1 (reachable as localhost too) for one test."""
    state = Server(port=0)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            host = self.headers["Host"].rsplit(":", 1)[0]
            state.seen.append((host, self.path, self.headers.get("Authorization")))
            content_type, body = state.pages.get(self.path, ("text/plain", b""))
            self.send_response(200 if self.path in state.pages else 404)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

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
