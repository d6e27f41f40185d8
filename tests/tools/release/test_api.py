"""The public API diff (tools/release/_api.py) on throwaway repositories and on ours."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from packaging.version import Version

from tests.tools._support import git
from tools.release import _dists
from tools.release._api import ApiChange, ApiDiff, api_diff, render
from tools.release._errors import ReleaseError

ROOT = Path(__file__).resolve().parents[3]
DIST = "ml-infra-demo"
TAG = f"{DIST}-v0.1.0"
PKG = f"packages/{DIST}/src/ml_infra/demo"

PYPROJECT = f"""\
[build-system]
requires = ["hatchling>=1.27"]
build-backend = "hatchling.build"

[project]
name = "{DIST}"
dynamic = ["version"]
requires-python = ">=3.11"
dependencies = []

[tool.hatch.version]
path = "src/ml_infra/demo/__about__.py"

[tool.hatch.build.targets.wheel]
only-include = ["src/ml_infra/demo"]
sources = ["src"]
"""

ABOUT = '"""Version of ml-infra-demo."""\n\n__version__ = "0.1.0"\n'

INIT = '''\
"""A demo distribution."""

from ml_infra.demo.__about__ import __version__
from ml_infra.demo._core import (
    DemoError,
    DemoValueError,
    Scaler,
    clip_outliers,
    ensure_1d,
    normalize,
)

__all__ = [
    "DemoError",
    "DemoValueError",
    "Scaler",
    "__version__",
    "clip_outliers",
    "ensure_1d",
    "normalize",
]
'''

CORE = '''\
"""The implementation behind the public names."""

from __future__ import annotations


class DemoError(Exception):
    """Base error of the demo."""


class DemoValueError(DemoError, ValueError):
    """A value the demo refuses."""


def _as_list(values: list[float]) -> list[float]:
    return list(values)


def ensure_1d(values: list[float]) -> list[float]:
    """The values as a flat list."""
    return _as_list(values)


def clip_outliers(values: list[float], factor: float = 1.5) -> list[float]:
    """The values clipped to ``factor`` times the range."""
    return _as_list(values)


def normalize(values: list[float], lower: float = 0.0, upper: float = 1.0) -> list[float]:
    """The values scaled to ``[lower, upper]``."""
    return _as_list(values)


class Scaler:
    """A fitted scaler."""

    state_version: int = 1

    def __init__(self, center: float) -> None:
        self.center = center

    def transform(self, values: list[float]) -> list[float]:
        """The values, centred."""
        return [v - self.center for v in values]
'''


class Demo:
    """A throwaway repository holding one distribution, tagged at ``TAG``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir()
        git(root, "init", "--quiet", "--initial-branch=main")
        self.write(f"packages/{DIST}/pyproject.toml", PYPROJECT)
        self.write(f"{PKG}/__about__.py", ABOUT)
        self.write(f"{PKG}/__init__.py", INIT)
        self.write(f"{PKG}/_core.py", CORE)
        self.commit("demo 0.1.0")
        git(root, "tag", TAG)

    @property
    def dist(self) -> _dists.Distribution:
        return _dists.get(_dists.load(self.root), DIST)

    def write(self, rel: str, text: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)

    def edit(self, rel: str, old: str, new: str) -> None:
        path = self.root / rel
        text = path.read_text()
        assert old in text, f"{old!r} not in {rel}"
        path.write_text(text.replace(old, new, 1))

    def edit_core(self, old: str, new: str) -> None:
        self.edit(f"{PKG}/_core.py", old, new)

    def commit(self, message: str = "change") -> None:
        git(self.root, "add", "--all")
        git(self.root, "commit", "--quiet", "-m", message)

    def diff(self, against: str = TAG, head: str | None = None) -> ApiDiff:
        return api_diff(self.root, self.dist, against, head=head)


@pytest.fixture
def demo(tmp_path: Path) -> Demo:
    return Demo(tmp_path / "repo")


def pairs(diff: ApiDiff) -> list[tuple[str, str, str]]:
    return [(c.kind, c.path, c.text) for c in diff.changes]


def breaking(path: str, text: str) -> tuple[str, str, str]:
    return ("breaking", f"ml_infra.demo.{path}", text)


def added(path: str, text: str) -> tuple[str, str, str]:
    return ("added", f"ml_infra.demo.{path}", text)


class TestPublicNames:
    def test_name_removed_from_all_is_breaking(self, demo: Demo) -> None:
        """Dropping ensure_1d from __all__ (and the import) is one breaking change."""
        demo.edit(f"{PKG}/__init__.py", '    "ensure_1d",\n', "")
        demo.edit(f"{PKG}/__init__.py", "    ensure_1d,\n", "")
        assert pairs(demo.diff()) == [breaking("ensure_1d", "removed from the public API")]

    def test_name_still_importable_but_not_in_all_is_breaking(self, demo: Demo) -> None:
        """__all__ is the contract: a name left importable but unlisted still counts as removed."""
        demo.edit(f"{PKG}/__init__.py", '    "ensure_1d",\n', "")
        demo.edit_core("def ensure_1d(values: list[float])", "def ensure_1d(values: list[int])")
        demo.edit_core("return _as_list(values)\n", "return values\n")
        assert pairs(demo.diff()) == [breaking("ensure_1d", "removed from the public API")]

    def test_renamed_function_is_a_removal_and_an_addition(self, demo: Demo) -> None:
        """Renaming clip_outliers to clip breaks the old name and adds the new one."""
        for rel in (f"{PKG}/__init__.py", f"{PKG}/__init__.py", f"{PKG}/_core.py"):
            demo.edit(rel, "clip_outliers", "clip")
        assert pairs(demo.diff()) == [
            breaking("clip_outliers", "removed from the public API"),
            added("clip", "new public name"),
        ]

    def test_new_name_in_all_is_an_addition(self, demo: Demo) -> None:
        """A new function re-exported from a new private module is added."""
        demo.write(
            f"{PKG}/_fitting.py", "def fit_scaler(values: list[float]) -> float:\n    return 0.0\n"
        )
        demo.edit(
            f"{PKG}/__init__.py",
            "\n__all__",
            "from ml_infra.demo._fitting import fit_scaler\n\n__all__",
        )
        demo.edit(
            f"{PKG}/__init__.py", '    "ensure_1d",\n', '    "ensure_1d",\n    "fit_scaler",\n'
        )
        assert pairs(demo.diff()) == [added("fit_scaler", "new public name")]

    def test_version_change_is_not_an_api_change(self, demo: Demo) -> None:
        """A new __version__ (every release has one) changes nothing."""
        demo.write(f"{PKG}/__about__.py", ABOUT.replace("0.1.0", "0.2.0"))
        diff = demo.diff()
        assert diff.changes == ()
        assert diff.version == Version("0.2.0")


class TestSignatures:
    def test_removed_parameter_is_breaking(self, demo: Demo) -> None:
        """Dropping clip_outliers' factor breaks callers that pass it."""
        demo.edit_core(", factor: float = 1.5)", ")")
        assert pairs(demo.diff()) == [breaking("clip_outliers", "parameter 'factor' removed")]

    def test_renamed_parameter_is_breaking(self, demo: Demo) -> None:
        """Renaming a parameter breaks keyword callers; the new name shows as an addition."""
        demo.edit_core("factor: float = 1.5", "k: float = 1.5")
        assert pairs(demo.diff()) == [
            breaking("clip_outliers", "parameter 'factor' removed"),
            added("clip_outliers", "new optional parameter 'k'"),
        ]

    def test_new_required_parameter_is_breaking(self, demo: Demo) -> None:
        """A new parameter without default breaks every existing call."""
        demo.edit_core("factor: float = 1.5)", "factor: float = 1.5, *, axis: int)")
        assert pairs(demo.diff()) == [breaking("clip_outliers", "new required parameter 'axis'")]

    def test_new_optional_parameter_is_an_addition(self, demo: Demo) -> None:
        """A new parameter with a default is a minor change."""
        demo.edit_core("factor: float = 1.5)", "factor: float = 1.5, *, inplace: bool = False)")
        diff = demo.diff()
        assert pairs(diff) == [added("clip_outliers", "new optional parameter 'inplace'")]
        assert diff.required_bump(Version("1.2.0")) == "minor"

    def test_reordered_parameters_are_breaking(self, demo: Demo) -> None:
        """Swapping positional parameters breaks positional callers."""
        demo.edit_core(
            "lower: float = 0.0, upper: float = 1.0", "upper: float = 1.0, lower: float = 0.0"
        )
        assert pairs(demo.diff()) == [
            breaking("normalize", "parameter 'lower' moved from position 1 to 2 (+1)"),
            breaking("normalize", "parameter 'upper' moved from position 2 to 1 (-1)"),
        ]

    def test_parameter_made_keyword_only_is_breaking(self, demo: Demo) -> None:
        """A positional-or-keyword parameter that becomes keyword-only breaks positional calls."""
        demo.edit_core("(values: list[float], factor", "(values: list[float], *, factor")
        assert pairs(demo.diff()) == [
            breaking(
                "clip_outliers",
                "parameter 'factor' changed kind: positional or keyword -> keyword-only",
            )
        ]

    def test_parameter_made_required_is_breaking(self, demo: Demo) -> None:
        """Removing a default makes existing calls fail."""
        demo.edit_core("factor: float = 1.5", "factor: float")
        assert pairs(demo.diff()) == [
            breaking("clip_outliers", "parameter 'factor' is now required")
        ]

    def test_changed_default_is_breaking(self, demo: Demo) -> None:
        """A new default silently changes results for callers relying on it (as in scikit-learn)."""
        demo.edit_core("factor: float = 1.5", "factor: float = 3.0")
        assert pairs(demo.diff()) == [
            breaking("clip_outliers", "default of parameter 'factor' changed: 1.5 -> 3.0")
        ]

    def test_body_and_annotation_only_changes_are_not_reported(self, demo: Demo) -> None:
        """A new implementation or docstring with the same signature is no API change."""
        demo.edit_core(
            '"""The values as a flat list."""\n    return _as_list(values)', "return [*values]"
        )
        assert demo.diff().changes == ()


class TestPrivateCode:
    def test_private_helper_changes_are_ignored(self, demo: Demo) -> None:
        """A private helper's new signature does not touch the public API."""
        demo.edit_core(
            "def _as_list(values: list[float])", "def _as_list(values: list[float], *, copy: bool)"
        )
        demo.edit_core("return _as_list(values)\n", "return _as_list(values, copy=True)\n")
        demo.write(f"{PKG}/_spare.py", "def unused(a: int) -> int:\n    return a\n")
        assert demo.diff().changes == ()

    def test_moving_an_object_between_private_modules_is_no_change(self, demo: Demo) -> None:
        """The public path is what counts, not the private module that defines it."""
        demo.edit_core(
            "class DemoValueError(DemoError, ValueError):",
            "from ml_infra.demo._errors import DemoValueError\n\n\nclass _Gone:",
        )
        demo.write(
            f"{PKG}/_errors.py",
            "from ml_infra.demo._core import DemoError\n\n\n"
            "class DemoValueError(DemoError, ValueError):\n    pass\n",
        )
        assert demo.diff().changes == ()

    def test_names_of_other_distributions_are_not_loaded(self, demo: Demo) -> None:
        """A name re-exported from a sibling distribution needs none of the sibling's code."""
        init = f"{PKG}/__init__.py"
        demo.edit(init, "\n__all__", "from ml_infra.other import helper\n\n__all__")
        demo.edit(init, '    "ensure_1d",\n', '    "ensure_1d",\n    "helper",\n')
        demo.commit()
        assert pairs(demo.diff()) == [added("helper", "new public name")]
        assert demo.diff(against="HEAD").changes == ()


class TestClasses:
    def test_removed_class_attribute_is_breaking(self, demo: Demo) -> None:
        """Users read Scaler.state_version: removing it breaks them."""
        demo.edit_core("    state_version: int = 1\n\n", "")
        assert pairs(demo.diff()) == [breaking("Scaler.state_version", "removed")]

    def test_removed_method_is_breaking(self, demo: Demo) -> None:
        """A public method that disappears is breaking."""
        demo.edit_core("    def transform(", "    def _transform(")
        assert pairs(demo.diff()) == [breaking("Scaler.transform", "removed")]

    def test_new_method_and_attribute_are_additions(self, demo: Demo) -> None:
        """New public members of a public class are minor; private ones are not reported."""
        demo.edit_core(
            "    state_version: int = 1\n",
            "    state_version: int = 1\n    unit: str = 'm'\n    _cache: int = 0\n\n"
            "    def fit(self) -> None:\n        pass\n",
        )
        assert pairs(demo.diff()) == [
            added("Scaler.fit", "new public method"),
            added("Scaler.unit", "new public attribute"),
        ]

    def test_constructor_signature_is_compared(self, demo: Demo) -> None:
        """__init__ is public: a new required constructor argument is breaking."""
        demo.edit_core("center: float) -> None", "center: float, scale: float) -> None")
        assert pairs(demo.diff()) == [breaking("Scaler.__init__", "new required parameter 'scale'")]

    def test_dataclass_fields_are_attributes_and_constructor_parameters(self, demo: Demo) -> None:
        """A new required dataclass field breaks construction; an optional one is an addition."""
        demo.write(
            f"{PKG}/_report.py",
            "from dataclasses import dataclass\n\n\n@dataclass(frozen=True)\n"
            "class Report:\n    n: int\n    label: str = ''\n",
        )
        demo.edit(
            f"{PKG}/__init__.py", "\n__all__", "from ml_infra.demo._report import Report\n\n__all__"
        )
        demo.edit(f"{PKG}/__init__.py", '    "Scaler",\n', '    "Report",\n    "Scaler",\n')
        demo.commit()
        demo.edit(f"{PKG}/_report.py", "    n: int\n", "    n: int\n    total: int\n")
        demo.edit(
            f"{PKG}/_report.py",
            "    label: str = ''\n",
            "    label: str = ''\n    unit: str = 'm'\n",
        )
        assert pairs(demo.diff(against="HEAD")) == [
            breaking("Report.__init__", "new required parameter 'total'"),
            breaking("Report.__init__", "parameter 'label' moved from position 2 to 3 (+1)"),
            added("Report.__init__", "new optional parameter 'unit'"),
            added("Report.total", "new public attribute"),
            added("Report.unit", "new public attribute"),
        ]


class TestExceptionBases:
    def test_removed_base_is_breaking(self, demo: Demo) -> None:
        """except ValueError stops catching DemoValueError: breaking."""
        demo.edit_core("(DemoError, ValueError)", "(DemoError)")
        assert pairs(demo.diff()) == [
            breaking("DemoValueError", "no longer a subclass of ValueError")
        ]

    def test_replaced_base_is_breaking(self, demo: Demo) -> None:
        """Swapping a base for another is caught although the count of bases is the same."""
        demo.edit_core("(DemoError, ValueError)", "(DemoError, TypeError)")
        assert pairs(demo.diff()) == [
            breaking("DemoValueError", "no longer a subclass of ValueError"),
            added("DemoValueError", "now also a subclass of TypeError"),
        ]

    def test_base_removed_up_the_chain_is_breaking(self, demo: Demo) -> None:
        """DemoError losing a base changes what catches its subclasses too."""
        demo.edit_core("class DemoError(Exception):", "class DemoError(LookupError):")
        assert pairs(demo.diff()) == [
            breaking("DemoError", "no longer a subclass of Exception"),
            breaking("DemoValueError", "no longer a subclass of Exception"),
            added("DemoError", "now also a subclass of LookupError"),
            added("DemoValueError", "now also a subclass of LookupError"),
        ]

    def test_base_moved_into_a_private_intermediate_is_no_change(self, demo: Demo) -> None:
        """Inserting a private class between DemoValueError and ValueError keeps every base."""
        demo.edit_core(
            "class DemoValueError(DemoError, ValueError):",
            "class _Value(ValueError):\n    pass\n\n\nclass DemoValueError(DemoError, _Value):",
        )
        assert demo.diff().changes == ()


class TestRefs:
    def test_compares_two_refs(self, demo: Demo) -> None:
        """head= compares two commits; the working tree is not read."""
        demo.edit_core(", factor: float = 1.5)", ")")
        demo.commit()
        demo.edit(f"{PKG}/__init__.py", '    "ensure_1d",\n', "")
        diff = demo.diff(head="HEAD")
        assert pairs(diff) == [breaking("clip_outliers", "parameter 'factor' removed")]
        assert (diff.against, diff.head) == (TAG, "HEAD")

    def test_unknown_ref_is_refused(self, demo: Demo) -> None:
        """A ref git does not know is a clear error, not an empty diff."""
        with pytest.raises(ReleaseError, match=r"unknown git ref 'ml-infra-demo-v9\.9\.9'"):
            demo.diff(against="ml-infra-demo-v9.9.9")

    def test_ref_before_the_distribution_existed_is_refused(self, demo: Demo) -> None:
        """A distribution that did not exist at the ref has nothing to be compatible with."""
        demo.write("README.md", "first\n")
        demo.commit()
        git(demo.root, "checkout", "--quiet", "--orphan", "other")
        git(demo.root, "rm", "-r", "--quiet", "--cached", "packages")
        git(demo.root, "commit", "--quiet", "-m", "without the demo")
        git(demo.root, "tag", "before")
        git(demo.root, "checkout", "--quiet", "--force", "main")
        with pytest.raises(ReleaseError, match="ml-infra-demo did not exist at before"):
            demo.diff(against="before")

    def test_unparsable_module_is_refused(self, demo: Demo) -> None:
        """griffe skips a module with a syntax error; the diff refuses instead of losing its names."""
        demo.edit_core("def ensure_1d(values: list[float])", "def ensure_1d(values: list[float]")
        with pytest.raises(ReleaseError, match=r"ml_infra\.demo\.DemoError at the working tree"):
            demo.diff()

    def test_name_listed_but_not_imported_is_refused(self, demo: Demo) -> None:
        """A name in __all__ that the package never defines fails on import: refused."""
        demo.edit(f"{PKG}/__init__.py", "    ensure_1d,\n", "")
        with pytest.raises(
            ReleaseError, match=r"ensure_1d at the working tree is listed in __all__"
        ):
            demo.diff()

    def test_missing_all_is_refused(self, demo: Demo) -> None:
        """Without __all__ the public API is undefined: the tool says so."""
        demo.write(f"{PKG}/__init__.py", '"""A demo distribution."""\n')
        with pytest.raises(ReleaseError, match="defines no __all__"):
            demo.diff()


class TestRequiredBump:
    @pytest.mark.parametrize(
        ("kinds", "current", "expected"),
        [
            ((), "0.1.0", None),
            ((), "1.2.0", None),
            (("added",), "0.1.0", "minor"),
            (("added",), "1.2.0", "minor"),
            (("breaking",), "0.1.0", "minor"),
            (("breaking", "added"), "0.9.3", "minor"),
            (("breaking",), "1.2.0", "major"),
            (("added", "breaking"), "2.0.0", "major"),
        ],
    )
    def test_bump_rules(self, kinds: tuple[str, ...], current: str, expected: str | None) -> None:
        """Breaking is major (minor while 0.x), additions are minor, nothing needs no bump."""
        changes = tuple(
            ApiChange("breaking" if k == "breaking" else "added", f"m.f{i}", "x")
            for i, k in enumerate(kinds)
        )
        assert ApiDiff(DIST, TAG, changes).required_bump(Version(current)) == expected

    def test_real_breaking_change_at_1_x_needs_major(self, demo: Demo) -> None:
        """The diff of a removed name asks for a major bump after 1.0 and minor before."""
        demo.edit(f"{PKG}/__init__.py", '    "normalize",\n', "")
        diff = demo.diff()
        assert [diff.required_bump(Version(v)) for v in ("0.4.0", "1.0.0")] == ["minor", "major"]


class TestRender:
    def test_one_line_per_change_breaking_first_then_the_bump(self, demo: Demo) -> None:
        """render lists breaking changes before additions and ends with the required bump."""
        demo.edit(f"{PKG}/__init__.py", '    "ensure_1d",\n', "")
        demo.edit_core("factor: float = 1.5)", "factor: float = 1.5, inplace: bool = False)")
        assert render(demo.diff()).splitlines() == [
            "breaking  ml_infra.demo.ensure_1d: removed from the public API",
            "added     ml_infra.demo.clip_outliers: new optional parameter 'inplace'",
            f"{DIST}: required bump since {TAG} (the working tree): minor (breaking, while 0.x) from 0.1.0",
        ]

    def test_unchanged_api_says_so(self, demo: Demo) -> None:
        """No changes: one line saying no bump is required by the API."""
        assert (
            render(demo.diff()) == f"{DIST}: no public API changes since {TAG} (the working tree)"
        )

    def test_without_version_the_rule_is_spelled_out(self) -> None:
        """A diff built without a version still says what a breaking change needs."""
        diff = ApiDiff(DIST, TAG, (ApiChange("breaking", "ml_infra.demo.f", "removed"),))
        assert render(diff).splitlines()[-1] == (
            f"{DIST}: required bump since {TAG} (the working tree): major (minor while 0.x)"
        )


class TestRealRepository:
    @pytest.mark.parametrize("name", sorted(_dists.load(ROOT)))
    def test_working_tree_against_head(self, name: str) -> None:
        """Each real distribution's working tree diffs against HEAD, fast, without crashing."""
        dist = _dists.get(_dists.load(ROOT), name)
        start = time.perf_counter()
        diff = api_diff(ROOT, dist, "HEAD")
        assert isinstance(diff, ApiDiff)
        assert diff.dist == name
        assert time.perf_counter() - start < 2.0
