"""The release rehearsal behind ``python3 tools/dev.py demo``.

Builds the four distributions, publishes them with ``release publish`` to a real
package index on loopback (pypiserver, a free port, uploads behind a throwaway
credential), creates a fresh virtualenv, installs ``ml-infra-metrics~=0.1`` from
that index with the ``ml-infra-*`` names resolved only there (the
dependency-confusion guard of tools/demo/_install.py), shows that only metrics
and preprocessing (plus numpy) were installed, runs the metrics README's examples
that need nothing else there, prints a summary table, and always shuts the index down.
"""

from __future__ import annotations

import os
import re
import signal
import sys
import tempfile
import venv
from pathlib import Path
from types import FrameType

from tools._console import PYTHON, ToolError, guarded, run, say
from tools.demo._index import LocalIndex
from tools.demo._install import Installed, guarded_install
from tools.release import _dists
from tools.release._publish import index_hashes, sha256

ROOT = Path(__file__).resolve().parents[2]

REQUIREMENT = "ml-infra-metrics~=0.1"
EXPECTED = {"ml-infra-metrics", "ml-infra-preprocessing"}
# Used only while packages/ml-infra-metrics/README.md has no ```python quick start.
FALLBACK_EXAMPLE = """\
from ml_infra.metrics import accuracy, f1_score

y_true = [0, 1, 1, 0, 1]
y_pred = [0, 1, 0, 0, 1]
print("accuracy:", accuracy(y_true, y_pred))
print("f1_score:", f1_score(y_true, y_pred))
"""
PYTHON_BLOCK = re.compile(r"^```python[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
IMPORTED = re.compile(r"^\s*(?:from|import)\s+([A-Za-z_]\w*)", re.MULTILINE)
# What `pip install ml-infra-metrics~=0.1` brings, besides the standard library.
INSTALLED_MODULES = {"ml_infra", "numpy"}


def needs_only_installed(block: str) -> bool:
    """Whether a README block imports nothing beyond metrics' own install and the stdlib.

    The README also shows the optional integrations (pandas, torch, dask, ...),
    which a user of the bare requirement does not have.

    Example:
        >>> needs_only_installed("import math\nfrom ml_infra.metrics import f1_score")
        True
        >>> needs_only_installed("import dask.array as da")
        False
    """
    allowed = INSTALLED_MODULES | set(sys.stdlib_module_names)
    return all(name in allowed for name in IMPORTED.findall(block))


def release(*args: str, env: dict[str, str] | None = None) -> None:
    """Run the release CLI as a maintainer would (output streams through)."""
    cmd = [PYTHON, "-P", "-m", "tools.release", *args]
    env = {**(os.environ if env is None else env), "PYTHONPATH": str(ROOT)}
    run(cmd, what=f"release {' '.join(args)}", cwd=ROOT, env=env, capture=False)


def usage_example() -> tuple[str, str]:
    """The metrics README's python blocks that need only what was installed, or the fallback."""
    readme = ROOT / "packages" / "ml-infra-metrics" / "README.md"
    blocks = [
        block
        for block in PYTHON_BLOCK.findall(readme.read_text(encoding="utf-8"))
        if needs_only_installed(block)
    ]
    if blocks:
        return "\n".join(blocks), "packages/ml-infra-metrics/README.md"
    return FALLBACK_EXAMPLE, "tools/demo fallback example"


def rehearse(work: Path) -> None:
    """Everything between starting and stopping the index."""
    dists = _dists.load(ROOT)
    say("step 1/5: build and check the four distributions")
    release("build", "--all")
    with LocalIndex(work / "index") as index:
        say("step 2/5: publish each distribution with `release publish`")
        env = {
            **os.environ,
            **index.credentials(),
            "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
        }
        for name in dists:
            release("publish", name, "--repository-url", index.url, "--allow-untagged", env=env)
        published = {n: index_hashes(index.simple_url, n) for n in dists}

        say(f"step 3/5: fresh virtualenv, install {REQUIREMENT!r}")
        target = work / "venv"
        venv.EnvBuilder(with_pip=True, clear=True).create(target)
        python = target / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
        (work / "reports").mkdir()
        installed = guarded_install(python, REQUIREMENT, index.simple_url, work / "reports")
    # The index is down from here on: nothing below may need it.
    say("step 4/5: what got installed, and from where")
    internal = show_installed(installed)
    if internal != EXPECTED:
        raise ToolError(
            f"expected exactly {sorted(EXPECTED)} from the index, got {sorted(internal)}"
        )

    code, source = usage_example()
    say(f"step 5/5: run the usage example ({source}) in the new environment")
    (work / "run").mkdir()
    script = work / "run" / "example.py"
    script.write_text(code, encoding="utf-8")
    run([python, script], what=f"the usage example ({source})", cwd=script.parent, capture=False)
    summary(dists, published, {i.name: i for i in installed})


def show_installed(installed: list[Installed]) -> set[str]:
    """Print each installed distribution with its source; return the ml-infra ones."""
    for item in installed:
        print(f"    {item.name:<24} {item.version:<10} from {item.url}")
    return {i.name for i in installed if i.name.startswith("ml-infra-")}


def summary(
    dists: dict[str, _dists.Distribution],
    published: dict[str, dict[str, str]],
    installed: dict[str, Installed],
) -> None:
    """The summary table: distribution, version, wheel size, sha256 prefix, on index, installed."""
    rows = [("distribution", "version", "wheel size", "sha256", "on index", "installed")]
    for name, dist in dists.items():
        wheel = ROOT / "dist" / dist.artifact_names()[1]
        digest = sha256(wheel)
        on_index = "yes" if published[name].get(wheel.name) == digest else "NO"
        rows.append(
            (
                name,
                str(dist.version()),
                f"{wheel.stat().st_size / 1024:.1f} KiB",
                digest[:12],
                on_index,
                "yes" if name in installed else "no",
            )
        )
    third = sorted(set(installed) - set(dists))
    rows += [(n, installed[n].version, "-", "-", "(third party)", "yes") for n in third]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    print()
    for i, row in enumerate(rows):
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))


def _terminate(signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # unwinds through the finally/with blocks


def exit_cleanly_on_signals() -> None:
    """Turn SIGTERM and SIGHUP (a closed terminal) into SystemExit, so cleanup runs.

    Their default action kills the process on the spot: the index and the temporary
    directory would be left behind. (Ctrl-C already raises KeyboardInterrupt.)
    """
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):  # no SIGHUP on Windows
            signal.signal(getattr(signal, name), _terminate)


def rehearse_in_a_temporary_directory() -> int:
    """The rehearsal, with its temporary directory removed whatever happens."""
    with tempfile.TemporaryDirectory(prefix="ml-infra-demo-") as tmp:
        rehearse(Path(tmp))
    say("release rehearsal passed")
    return 0


def main() -> int:
    """Run the rehearsal; clean up whatever happens."""
    exit_cleanly_on_signals()
    return guarded(
        rehearse_in_a_temporary_directory, interrupted="interrupted (the index was shut down)"
    )


if __name__ == "__main__":
    sys.exit(main())
