"""Installing from the internal index with a dependency-confusion guard.

pip's ``--extra-index-url`` merges indexes and takes the highest version it finds
anywhere, so a public package that squats an internal name (``ml-infra-*``) with a
higher version would win. pypiserver's fallback has the same hole: it redirects a
missing name to PyPI. So the internal names are resolved in isolation instead:

1. ``ml-infra-*`` requirements are installed with ``--no-deps`` from the internal
   index alone (pip configuration files and ``PIP_*`` variables switched off, the
   server's fallback disabled), following their ``ml-infra-*`` dependencies level by
   level until the closure is complete;
2. the third-party requirements they declare (numpy) are installed with the
   machine's usual pip configuration, and the guard checks that this step brought
   in no ``ml-infra-*`` name;
3. ``pip check`` confirms the result is consistent.

pip's ``--report`` records where every file came from; the result lists it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tools._console import ToolError, run, say


@dataclass(frozen=True)
class Installed:
    """One distribution pip installed, the URL it came from, and what it requires."""

    name: str
    version: str
    url: str
    requires: tuple[str, ...]


def _pip(
    python: Path, args: list[str], *, isolated: bool, report: Path, what: str
) -> list[Installed]:
    env = dict(os.environ)
    if isolated:
        env = {k: v for k, v in env.items() if not k.startswith("PIP_")}
        env["PIP_CONFIG_FILE"] = os.devnull  # ignore every pip.conf (global ones too)
    cmd = [
        str(python),
        "-m",
        "pip",
        "install",
        "--disable-pip-version-check",
        "--progress-bar",
        "off",
    ]
    cmd += ["--report", str(report), *args]
    run(cmd, what=what, cwd=report.parent, env=env)
    data = json.loads(report.read_text(encoding="utf-8"))
    return [
        Installed(
            item["metadata"]["name"],
            item["metadata"]["version"],
            item["download_info"]["url"],
            tuple(item["metadata"].get("requires_dist", [])),
        )
        for item in data.get("install", [])
    ]


def _split(requires: tuple[str, ...], prefix: str) -> tuple[list[Requirement], list[Requirement]]:
    internal: list[Requirement] = []
    external: list[Requirement] = []
    for raw in requires:
        req = Requirement(raw)
        if req.marker is not None and "extra" in str(req.marker):
            continue  # extras are not requested
        (internal if canonicalize_name(req.name).startswith(prefix) else external).append(req)
    return internal, external


def guarded_install(
    python: Path,
    requirement: str,
    index_url: str,
    workdir: Path,
    *,
    prefix: str = "ml-infra-",
    third_party: bool = True,
) -> list[Installed]:
    """Install ``requirement`` into the environment of ``python`` as described above."""
    installed: list[Installed] = []
    level = [Requirement(requirement)]
    external: list[Requirement] = []
    step = 0
    while level:
        step += 1
        names = " ".join(str(r) for r in level)
        say(f"internal only ({index_url}): {names}")
        args = ["--no-deps", "--index-url", index_url, *map(str, level)]
        got = _pip(
            python,
            args,
            isolated=True,
            report=workdir / f"internal-{step}.json",
            what=f"pip install {names} from the internal index",
        )
        installed += got
        seen = {canonicalize_name(i.name) for i in installed}
        level = []
        for item in got:
            inner, outer = _split(item.requires, prefix)
            level += [r for r in inner if canonicalize_name(r.name) not in seen]
            external += outer
    if third_party and external:
        wanted = sorted({str(r) for r in external})
        say(f"third-party dependencies (usual pip configuration): {' '.join(wanted)}")
        got = _pip(
            python,
            wanted,
            isolated=False,
            report=workdir / "third-party.json",
            what="pip install third-party dependencies",
        )
        leaked = [i.name for i in got if canonicalize_name(i.name).startswith(prefix)]
        if leaked:
            raise ToolError(f"dependency-confusion guard: {leaked} came from a public index")
        installed += got
        run([str(python), "-m", "pip", "check"], what="pip check", cwd=workdir)
    return installed
