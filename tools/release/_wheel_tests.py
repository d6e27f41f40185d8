"""Testing what users install: a distribution's wheel in a fresh venv, then its tests.

Two resolutions of the dependencies:

* ``current`` (``release test-wheel``): the in-repo dependencies built from the
  same commit, third-party ones resolved as pip would for a user, and the test
  tools at the pins of the root ``test`` and ``compare`` groups;
* ``lowest`` (``release floors``, ``dev.py test --lowest``): every dependency at
  the lowest version its metadata admits. A third-party floor ``numpy>=1.26`` is
  installed as ``numpy==1.26.*`` (the newest patch of the floor series; a floor
  with three components is installed exactly), an in-repo floor
  ``ml-infra-preprocessing>=0.1.0`` is that version built from its release tag
  (from the working tree while no such tag exists yet), and the test tools come
  from the ``test-lowest`` group, whose pins work with those floors.

The tests of ``tests/<sub>/`` then run with the venv's interpreter from the
repository root, so ``ml_infra`` is imported from the installed wheel only.
"""

from __future__ import annotations

import os
import sys
import tempfile
import tomllib
import venv
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from tools._console import ToolError, attempt, find_python, run, say
from tools.release import _git
from tools.release._build import build
from tools.release._dists import Distribution, load
from tools.release._errors import ReleaseError
from tools.release._publish import sha256
from tools.release._versions import floor

Resolution = Literal["current", "lowest"]
GROUPS: dict[Resolution, tuple[str, ...]] = {
    "current": ("test", "compare", "lint"),
    "lowest": ("test-lowest",),
}


@dataclass(frozen=True)
class Sibling:
    """An in-repo dependency as installed for a trial: which version, built from where."""

    name: str
    version: Version
    source: str  # the tag it was built from, or "working tree"


@dataclass(frozen=True)
class Trial:
    """The outcome of one wheel trial."""

    dist: str
    resolution: Resolution
    siblings: tuple[Sibling, ...]
    third_party: tuple[str, ...]
    passed: bool
    output: str


def group_pins(root: Path, names: tuple[str, ...]) -> list[str]:
    """The requirements of the root pyproject's dependency groups ``names`` (includes followed)."""
    groups = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))[
        "dependency-groups"
    ]

    def resolve(name: str) -> list[str]:
        if name not in groups:
            raise ReleaseError(f"pyproject.toml has no dependency group {name!r}")
        out: list[str] = []
        for item in groups[name]:
            out += resolve(item["include-group"]) if isinstance(item, dict) else [str(item)]
        return out

    return [pin for name in names for pin in resolve(name)]


def closure(dists: dict[str, Distribution], dist: Distribution) -> list[Distribution]:
    """``dist`` and its in-repo dependencies, transitively, dependencies first."""
    order: list[Distribution] = []

    def visit(d: Distribution) -> None:
        for other in dists.values():
            if other not in order and d.depends_on(other) is not None:
                visit(other)
        if d not in order:
            order.append(d)

    visit(dist)
    return order


def lowest_pin(req: Requirement) -> str:
    """``numpy>=1.26`` -> ``numpy==1.26.*``; ``x>=1.2.3`` -> ``x==1.2.3``."""
    low = floor(req)
    marker = f"; {req.marker}" if req.marker else ""
    if len(low.release) <= 2:
        return f"{req.name}=={low}.*{marker}"
    return f"{req.name}=={low}{marker}"


def _wheel_of(root: Path, dist: Distribution, outdir: Path) -> Path:
    """Build ``dist`` from the tree at ``root``; return its wheel."""
    return build(root, dist, outdir)[1]


def _own_wheel(root: Path, dist: Distribution, resolution: Resolution, outdir: Path) -> Path:
    """The wheel under test; for ``current``, ``dist/``'s wheel (the file that gets published).

    A wheel in ``dist/`` must be the one this commit builds (builds are
    reproducible): a stale or foreign file is refused rather than tested.
    """
    fresh = _wheel_of(root, dist, outdir)
    published = root / "dist" / fresh.name
    if resolution != "current" or not published.is_file():
        return fresh
    if sha256(published) != sha256(fresh):
        raise ReleaseError(
            f"dist/{fresh.name} is not what this commit builds: rebuild it "
            "(release build / from-tag) before testing or publishing it"
        )
    say(f"{dist.name}: testing dist/{fresh.name}, byte-identical to a fresh build")
    return published


def sibling_wheel(
    root: Path, name: str, version: Version | None, outdir: Path
) -> tuple[Path, Sibling]:
    """The wheel of in-repo distribution ``name``: ``version`` from its tag, else the tree."""
    dist = load(root)[name]
    tag = dist.tag(version) if version is not None else None
    if tag is None or not _git.tag_exists(root, tag):
        return _wheel_of(root, dist, outdir), Sibling(name, dist.version(), "working tree")
    with _git.worktree(root, tag) as tree:
        wheel = _wheel_of(tree, load(tree)[name], outdir)
    return wheel, Sibling(name, version or dist.version(), tag)


def trial(
    root: Path,
    dist: Distribution,
    resolution: Resolution,
    *,
    siblings_from_tree: bool = False,
    pytest_args: tuple[str, ...] = (),
) -> Trial:
    """Build, install into a fresh venv and test ``dist`` with ``resolution``.

    ``siblings_from_tree`` builds the in-repo dependencies from the working tree even
    for ``lowest`` (the diagnosis of a failed floor: is it the sibling's floor?).
    """
    dists = load(root)
    chain = closure(dists, dist)
    with tempfile.TemporaryDirectory(prefix=f"ml-infra-{resolution}-") as tmp:
        work = Path(tmp)
        wheels = [_own_wheel(root, dist, resolution, work / "wheels")]
        siblings: list[Sibling] = []
        in_repo = {canonicalize_name(n) for n in dists}
        third_party = [
            req
            for member in chain
            for req in member.requirements
            if canonicalize_name(req.name) not in in_repo
        ]
        for member in chain[:-1]:
            at_floor = resolution == "lowest" and not siblings_from_tree
            wanted = _sibling_floor(chain, member) if at_floor else None
            wheel, sibling = sibling_wheel(root, member.name, wanted, work / "wheels")
            wheels.append(wheel)
            siblings.append(sibling)
        pins = [lowest_pin(r) if resolution == "lowest" else str(r) for r in _merge(third_party)]
        base = oldest_python(dist) if resolution == "lowest" else Path(sys.executable)
        python = _fresh_venv(base, work / "venv")
        cmd: list[str | Path] = [python, "-m", "pip", "install", "--quiet", "--progress-bar=off"]
        # Wheels only: a floor without a wheel for this Python is an error, not a compile.
        cmd += ["--disable-pip-version-check", "--only-binary=:all:"]
        cmd += [*wheels, *pins, *group_pins(root, GROUPS[resolution])]
        say(f"{dist.name}: installing its wheel with {resolution} dependencies into a fresh venv")
        run(cmd, what=f"pip install ({dist.name}, {resolution} dependencies)", cwd=work)
        _check_installed(python, work, [*siblings, Sibling(dist.name, dist.version(), "wheel")])
        env = {
            k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "COVERAGE_PROCESS_START"}
        }
        test: list[str | Path] = [python, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        test.append(f"tests/{dist.sub}")
        say(f"{dist.name}: running tests/{dist.sub} against the installed wheel")
        result = attempt([*test, *pytest_args], cwd=root, env=env)
    output = (result.stdout + result.stderr).strip()
    return Trial(
        dist.name, resolution, tuple(siblings), tuple(pins), result.returncode == 0, output
    )


def _sibling_floor(chain: list[Distribution], member: Distribution) -> Version:
    """The highest floor any distribution of ``chain`` declares on ``member``."""
    floors = [floor(req) for d in chain if (req := d.depends_on(member)) is not None]
    return max(floors)


def _merge(reqs: list[Requirement]) -> list[Requirement]:
    """One requirement per third-party name: the one with the highest floor."""
    best: dict[str, Requirement] = {}
    for req in reqs:
        key = canonicalize_name(req.name)
        if key not in best or floor(req) > floor(best[key]):
            best[key] = req
    return [best[k] for k in sorted(best)]


def oldest_python(dist: Distribution) -> Path:
    """The interpreter of the oldest Python ``dist`` admits (``requires-python >= 3.11``).

    The lowest dependencies are tested on the lowest Python: that is where users
    get them (numpy 1.26 has no wheels for Python 3.13 at all).
    """
    bounds = [
        Version(s.version)
        for s in SpecifierSet(dist.requires_python)
        if s.operator in {">=", "~=", "=="}
    ]
    if not bounds:
        raise ReleaseError(f"{dist.name} declares no requires-python floor (>=3.X) to test at")
    lowest = max(bounds)
    try:
        return find_python(f"{lowest.major}.{lowest.minor}")
    except ToolError as exc:
        raise ReleaseError(f"{dist.name}'s floors are tested on Python {lowest}: {exc}") from exc


def _fresh_venv(base: Path, path: Path) -> Path:
    if base == Path(sys.executable):
        venv.EnvBuilder(with_pip=True, clear=True).create(path)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        run(
            [base, "-m", "venv", "--clear", path],
            what=f"create a {base.name} venv",
            cwd=path.parent,
        )
    return path / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _check_installed(python: Path, cwd: Path, expected: list[Sibling]) -> None:
    """The venv holds exactly the expected ``ml-infra-*`` versions, and ``pip check`` agrees."""
    script = (
        "import importlib.metadata as m\n"
        "for d in m.distributions():\n"
        "    n = d.metadata['Name']\n"
        "    if n.startswith('ml-infra-'): print(n, d.version)\n"
    )
    found = dict(
        line.split()
        for line in run([python, "-c", script], what="list", cwd=cwd).split("\n")
        if line
    )
    want = {s.name: str(s.version) for s in expected}
    if found != want:
        raise ReleaseError(f"the trial venv holds {found}, expected {want}")
    run([python, "-m", "pip", "check"], what="pip check in the trial venv", cwd=cwd)
