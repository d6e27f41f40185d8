"""The loopback package index (tools/demo/_index.py) and the demo's cleanup: no process left behind."""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tools.demo._index import LocalIndex

pytestmark = [
    pytest.mark.release,
    pytest.mark.skipif(
        not hasattr(os, "pidfd_open"), reason="waits on a pidfd (Linux): no polling loop"
    ),
]

ROOT = Path(__file__).resolve().parents[3]
# An owner process that starts the index, reports the server's pid, then waits to be killed.
OWNER = """\
import sys, time
from pathlib import Path
from tools.demo._index import LocalIndex
if sys.argv[3] == "demo-handlers":
    from tools.demo.__main__ import exit_cleanly_on_signals
    exit_cleanly_on_signals()
with LocalIndex(Path(sys.argv[2])) as index:
    print("SERVER-PID", index.pid, flush=True)
    time.sleep(600)
"""


def wait_gone(pid: int, timeout: float = 30.0) -> bool:
    """Whether process ``pid`` ends (exits or becomes a zombie) within ``timeout`` seconds."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        readable, _, _ = select.select([fd], [], [], timeout)
        return bool(readable)
    finally:
        os.close(fd)


def reap(owner: subprocess.Popen[str], server: int) -> None:
    """Whatever a test saw, leave no process behind."""
    owner.kill()
    owner.communicate()
    with contextlib.suppress(ProcessLookupError):
        os.kill(server, signal.SIGKILL)


def start_owner(tmp_path: Path, mode: str) -> tuple[subprocess.Popen[str], int]:
    """Run OWNER; return it and the server's pid once the index is up."""
    owner = subprocess.Popen(
        [sys.executable, "-c", OWNER, "-", str(tmp_path), mode],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert owner.stdout is not None
    seen = []
    for line in owner.stdout:
        seen.append(line)
        if line.startswith("SERVER-PID "):
            return owner, int(line.split()[1])
    owner.wait()
    pytest.fail("the owner never reported the server:\n" + "".join(seen))


class TestLocalIndex:
    def test_exit_stops_the_server(self, tmp_path: Path) -> None:
        """Leaving the with block stops the server process."""
        with LocalIndex(tmp_path) as index:
            pid = index.pid
            assert pid is not None
        assert index.pid is None
        assert wait_gone(pid, timeout=0)

    def test_server_dies_with_a_killed_owner(self, tmp_path: Path) -> None:
        """SIGKILL skips every finally; the server still goes (Linux parent-death signal)."""
        if sys.platform != "linux":
            pytest.skip("the parent-death signal is Linux only")
        owner, server = start_owner(tmp_path, "plain")
        try:
            owner.kill()
            owner.wait()
            assert wait_gone(server), f"pypiserver {server} outlived its owner"
        finally:
            reap(owner, server)


class TestDemoSignals:
    @pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP], ids=["TERM", "HUP"])
    def test_termination_signals_run_the_cleanup(self, tmp_path: Path, sig: signal.Signals) -> None:
        """SIGTERM or SIGHUP (closed terminal) mid-demo unwinds: the index is stopped, exit 128+n."""
        owner, server = start_owner(tmp_path, "demo-handlers")
        try:
            owner.send_signal(sig)
            out, _ = owner.communicate(timeout=30)
            assert owner.returncode == 128 + sig
            assert f"package index stopped (pid {server})" in out
            assert wait_gone(server)
        finally:
            reap(owner, server)
