"""A real devpi-server on loopback for the publishing tests (``tests.tools.release._devpi``).

The server runs in its own process group from a temporary server directory, with
no PyPI mirror and no network access (``--offline-mode``); ``stop`` (and leaving
the ``with`` block, whatever happens) terminates the group, then kills it. On
Linux the server also gets SIGTERM when the process that started it dies. The
user and its indexes are made through devpi's HTTP API (no devpi-client).
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import TracebackType

from tools.demo._index import _die_with_parent, _signal_group, free_port


class DevpiServer:
    """devpi-server on 127.0.0.1 with one user who owns the indexes the tests create."""

    def __init__(self, workdir: Path, *, user: str = "rehearsal") -> None:
        self.workdir = workdir
        self.user = user
        self.password = secrets.token_urlsafe(24)
        self.port = 0
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The server root."""
        return f"http://127.0.0.1:{self.port}/"

    def credentials(self) -> dict[str, str]:
        """The variables twine (and ``release publish``) read for the user's uploads."""
        return {"TWINE_USERNAME": self.user, "TWINE_PASSWORD": self.password}

    def _script(self, name: str) -> str:
        return str(Path(sys.executable).with_name(name))

    def __enter__(self) -> DevpiServer:
        serverdir = self.workdir / "server"
        subprocess.run(
            [self._script("devpi-init"), "--serverdir", str(serverdir), "--no-root-pypi"],
            check=True,
            capture_output=True,
        )
        try:
            for _attempt in range(3):
                if self._start(serverdir):
                    self._call("PUT", self.user, {"password": self.password, "email": "t@x.org"})
                    return self
            raise RuntimeError(f"devpi-server did not start; log:\n{self.log_tail()}")
        except BaseException:
            self.stop()
            raise

    def _start(self, serverdir: Path) -> bool:
        self.port = free_port()
        cmd = [self._script("devpi-server"), "--serverdir", str(serverdir), "--offline-mode"]
        cmd += ["--host", "127.0.0.1", "--port", str(self.port)]
        with (self.workdir / "devpi.log").open("ab") as log:
            parent = os.getpid()
            self._proc = subprocess.Popen(
                cmd,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=(lambda: _die_with_parent(parent)) if sys.platform == "linux" else None,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                self._proc = None
                return False  # e.g. the port was taken in between: try another
            try:
                with urllib.request.urlopen(self.url + "+api", timeout=2):
                    return True
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"devpi-server did not answer within 60 s; log:\n{self.log_tail()}")

    def _call(self, method: str, path: str, payload: dict[str, object]) -> None:
        """A devpi API call as the user (basic auth, as twine sends it)."""
        request = urllib.request.Request(
            self.url + path,
            data=json.dumps(payload).encode(),
            method=method,
            headers={"Content-Type": "application/json", "Accept": "application/json"},
        )
        token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status in {200, 201}, response.read()

    def new_index(self, name: str, *, volatile: bool = True) -> str:
        """Create ``<user>/<name>`` (no bases: nothing but what the tests upload); returns its URL.

        ``volatile`` is devpi's default: the index lets an upload replace a file of the
        same name, which is why ``release publish`` must refuse that itself.
        """
        self._call("PUT", f"{self.user}/{name}", {"bases": [], "volatile": volatile})
        return f"{self.url}{self.user}/{name}/"

    def log_tail(self, lines: int = 30) -> str:
        """The end of the server's log (for error messages)."""
        log = self.workdir / "devpi.log"
        text = log.read_text(errors="replace") if log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        """Stop the server's process group: terminate, wait, kill if needed."""
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        _signal_group(proc, kill=False)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            _signal_group(proc, kill=True)
            proc.wait()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
