"""A throwaway package index on loopback: pypiserver behind an htpasswd credential.

Used by ``tools/demo.py`` and the release tests. The server runs in its own process
group, so a Ctrl-C in the terminal reaches only us, and ``__exit__`` always stops it
(terminate, then kill): no process is left behind.
"""

from __future__ import annotations

import secrets
import socket
import subprocess
import time
import urllib.error
import urllib.request
import warnings
from pathlib import Path
from types import TracebackType

from _errors import ReleaseError
from _proc import PYTHON, say


def free_port() -> int:
    """A port that was free on 127.0.0.1 a moment ago (the server start retries on a race)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LocalIndex:
    """pypiserver on 127.0.0.1: anyone may read, uploads need the throwaway credential."""

    def __init__(self, workdir: Path, *, username: str = "release-rehearsal") -> None:
        self.workdir = workdir
        self.packages = workdir / "packages"
        self.username = username
        self.password = secrets.token_urlsafe(24)
        self.port = 0
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The upload endpoint (``--repository-url``)."""
        return f"http://127.0.0.1:{self.port}/"

    @property
    def simple_url(self) -> str:
        """The PEP 503 simple index (``pip --index-url``)."""
        return f"{self.url}simple/"

    def credentials(self) -> dict[str, str]:
        """Environment variables twine reads; the credential never appears on a command line."""
        return {"TWINE_USERNAME": self.username, "TWINE_PASSWORD": self.password}

    def __enter__(self) -> LocalIndex:
        with warnings.catch_warnings():
            # passlib 1.7.4 imports the stdlib `crypt` module, deprecated since 3.11.
            warnings.simplefilter("ignore", DeprecationWarning)
            from passlib.apache import HtpasswdFile  # type: ignore[import-untyped]

        self.packages.mkdir(parents=True, exist_ok=True)
        # sha256_crypt: salted, and implemented in pure Python by passlib on every version.
        htpasswd = HtpasswdFile(
            str(self.workdir / "htpasswd"), new=True, default_scheme="sha256_crypt"
        )
        htpasswd.set_password(self.username, self.password)
        htpasswd.save()
        try:
            for _attempt in range(3):
                if self._start():
                    return self
            raise ReleaseError(f"pypiserver did not start; log:\n{self.log_tail()}")
        except BaseException:
            self.stop()
            raise

    def _start(self) -> bool:
        self.port = free_port()
        log = (self.workdir / "pypiserver.log").open("ab")
        cmd = [PYTHON, "-m", "pypiserver", "run", "--host", "127.0.0.1", "--port", str(self.port)]
        cmd += ["--authenticate", "update", "--passwords", str(self.workdir / "htpasswd")]
        # No fallback: a name missing here is missing, never redirected to PyPI.
        cmd += ["--disable-fallback", "--hash-algo", "sha256", str(self.packages)]
        self._proc = subprocess.Popen(
            cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                self._proc = None
                return False  # e.g. the port was taken in between: try another
            try:
                with urllib.request.urlopen(self.simple_url, timeout=2):  # noqa: S310 - loopback
                    say(f"package index up at {self.url} (pid {self._proc.pid})")
                    return True
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        self.stop()
        raise ReleaseError(f"pypiserver did not answer within 30 s; log:\n{self.log_tail()}")

    def log_tail(self, lines: int = 20) -> str:
        """The end of the server's log (for error messages)."""
        log = self.workdir / "pypiserver.log"
        text = log.read_text(errors="replace") if log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        """Stop the server: terminate, wait, kill if needed."""
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        say(f"package index stopped (pid {proc.pid})")

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
