"""A throwaway package index on loopback: pypiserver behind an htpasswd credential.

Used by the demo (``tools/demo``) and the release tests. The server runs in its own process
group, so a Ctrl-C in the terminal reaches only us, and ``__exit__`` always stops it
(terminate the group, then kill): no process is left behind. On Linux the server is
also told to exit when the process that started it dies, even by SIGKILL, which no
``finally`` can cover.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import warnings
from pathlib import Path
from types import TracebackType
from typing import Any

from tools._console import PYTHON, ToolError, say

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _die_with_parent(parent: int) -> None:
    """In the child before exec (Linux): SIGTERM when the thread that started us ends."""
    libc: Any = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os.kill(os.getpid(), signal.SIGTERM)


def free_port() -> int:
    """A port that was free on 127.0.0.1 a moment ago (the server start retries on a race)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LocalIndex:
    """pypiserver on 127.0.0.1: anyone may read, uploads need the throwaway credential.

    Start it from the thread that outlives its use (the main thread): on Linux the
    parent-death signal fires when the starting thread ends.
    """

    def __init__(self, workdir: Path, *, username: str = "release-rehearsal") -> None:
        self.workdir = workdir
        self.packages = workdir / "packages"
        self.username = username
        self.password = secrets.token_urlsafe(24)
        self.port = 0
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int | None:
        """The server's process id while it runs."""
        return None if self._proc is None else self._proc.pid

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
            raise ToolError(f"pypiserver did not start; log:\n{self.log_tail()}")
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
        parent = os.getpid()
        self._proc = subprocess.Popen(
            cmd,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=(lambda: _die_with_parent(parent)) if sys.platform == "linux" else None,
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
        raise ToolError(f"pypiserver did not answer within 30 s; log:\n{self.log_tail()}")

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
        _signal_group(proc, kill=False)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            _signal_group(proc, kill=True)
            proc.wait()
        say(f"package index stopped (pid {proc.pid})")

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _signal_group(proc: subprocess.Popen[bytes], *, kill: bool) -> None:
    """SIGTERM (or SIGKILL) the server's whole process group (it leads its own session)."""
    if not hasattr(os, "killpg"):  # Windows: no process groups, no SIGKILL
        proc.kill() if kill else proc.terminate()
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL if kill else signal.SIGTERM)
