"""Unit tests of fragments, bumps and dependency ranges (tools/release/_versions.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

from tools.release._bump import widened
from tools.release._dists import Distribution, dependents, parse_tag
from tools.release._errors import ReleaseError
from tools.release._versions import (
    bumped,
    fragments,
    implied_bump,
    resolve_bump,
)


def make_dist(
    tmp_path: Path, name: str, version: str = "0.1.0", requires: tuple[str, ...] = ()
) -> Distribution:
    folder = tmp_path / name
    about = folder / "src" / "ml_infra" / name.removeprefix("ml-infra-") / "__about__.py"
    about.parent.mkdir(parents=True)
    about.write_text(f'"""Version."""\n\n__version__ = "{version}"\n')
    (folder / "changelog.d").mkdir()
    (folder / "changelog.d" / ".gitkeep").touch()
    return Distribution(
        name, folder, about.parent.name, about, tuple(Requirement(r) for r in requires)
    )


def add_fragments(dist: Distribution, *names: str) -> None:
    for name in names:
        (dist.fragments_dir / name).write_text("A change.\n")


class TestBumped:
    @pytest.mark.parametrize(
        ("current", "kind", "expected"),
        [
            ("0.1.0", "major", "1.0.0"),
            ("0.1.0", "minor", "0.2.0"),
            ("0.1.0", "patch", "0.1.1"),
            ("1.4.2", "major", "2.0.0"),
            ("1.4.2", "minor", "1.5.0"),
            ("1.4", "patch", "1.4.1"),
        ],
    )
    def test_semantic_bumps(self, current: str, kind: str, expected: str) -> None:
        """major/minor/patch reset the lower components."""
        assert bumped(Version(current), kind) == Version(expected)

    @pytest.mark.parametrize("current", ["1.0.0rc1", "1.0.0.post1", "1.0.0+local", "1.0.0.0"])
    def test_non_final_versions_are_refused(self, current: str) -> None:
        """Pre/post/local versions must be edited by hand, not guessed."""
        with pytest.raises(ReleaseError, match=r"final X\.Y\.Z"):
            bumped(Version(current), "patch")

    def test_unknown_kind_is_refused(self) -> None:
        """An unknown bump kind names the valid ones."""
        with pytest.raises(ReleaseError, match="major, minor, patch"):
            bumped(Version("1.0.0"), "huge")


class TestFragments:
    def test_types_and_ids_are_parsed(self, tmp_path: Path) -> None:
        """<id>.<type>.md, counters and orphan (+) fragments are recognised; .gitkeep ignored."""
        dist = make_dist(tmp_path, "ml-infra-x")
        add_fragments(dist, "3.feature.md", "4.bugfix.2.md", "+tidy.misc.md")
        found = {(f.id, f.type) for f in fragments(dist)}
        assert found == {("3", "feature"), ("4", "bugfix"), ("+tidy", "misc")}

    @pytest.mark.parametrize("bad", ["3.feat.md", "3.feature.txt", "notes.md"])
    def test_invalid_fragment_names_are_refused(self, tmp_path: Path, bad: str) -> None:
        """A misnamed file is an error naming it and the valid types, not silently dropped."""
        dist = make_dist(tmp_path, "ml-infra-x")
        add_fragments(dist, bad)
        with pytest.raises(ReleaseError, match=r"not valid news fragments: .*breaking, feature"):
            fragments(dist)

    @pytest.mark.parametrize(
        ("names", "version", "expected"),
        [
            (["1.breaking.md", "2.bugfix.md"], "1.2.3", "major"),
            (["1.breaking.md"], "0.3.0", "minor"),
            (["1.feature.md", "2.bugfix.md"], "1.2.3", "minor"),
            (["1.deprecation.md"], "1.2.3", "minor"),
            (["1.bugfix.md", "2.doc.md"], "1.2.3", "patch"),
            (["1.security.md"], "1.2.3", "patch"),
            (["1.doc.md", "2.misc.md"], "1.2.3", None),
        ],
    )
    def test_implied_bump(
        self, tmp_path: Path, names: list[str], version: str, expected: str | None
    ) -> None:
        """The strongest fragment type decides; breaking is minor while 0.x; doc/misc imply nothing."""
        dist = make_dist(tmp_path, "ml-infra-x", version)
        add_fragments(dist, *names)
        assert implied_bump(fragments(dist), Version(version)) == expected


class TestResolveBump:
    def test_no_fragments_is_refused(self, tmp_path: Path) -> None:
        """Without pending fragments there is nothing to release."""
        dist = make_dist(tmp_path, "ml-infra-x")
        with pytest.raises(ReleaseError, match="no pending news fragments"):
            resolve_bump(dist, "patch")

    def test_auto_with_only_doc_is_refused(self, tmp_path: Path) -> None:
        """auto refuses doc/misc-only releases but says how to release anyway."""
        dist = make_dist(tmp_path, "ml-infra-x")
        add_fragments(dist, "1.doc.md")
        with pytest.raises(ReleaseError, match="imply no release; choose major, minor or patch"):
            resolve_bump(dist, "auto")
        assert resolve_bump(dist, "patch")[0] == Version("0.1.1")

    def test_auto_uses_the_implied_kind(self, tmp_path: Path) -> None:
        """auto with a feature fragment bumps the minor version."""
        dist = make_dist(tmp_path, "ml-infra-x", "1.2.3")
        add_fragments(dist, "9.feature.md")
        assert resolve_bump(dist, "auto")[0] == Version("1.3.0")


class TestDependents:
    def setup_dists(self, tmp_path: Path) -> dict[str, Distribution]:
        pre = make_dist(tmp_path, "ml-infra-preprocessing")
        met = make_dist(
            tmp_path,
            "ml-infra-metrics",
            requires=("ml-infra-preprocessing>=0.1.0,<0.2", "numpy>=1.26"),
        )
        log = make_dist(tmp_path, "ml-infra-logging")
        return {d.name: d for d in (pre, met, log)}

    def test_range_that_admits_passes(self, tmp_path: Path) -> None:
        """A patch release of preprocessing stays inside metrics' range."""
        dists = self.setup_dists(tmp_path)
        assert widened(dists, dists["ml-infra-preprocessing"], Version("0.1.1")) == ()

    def test_range_that_excludes_is_refused_and_named(self, tmp_path: Path) -> None:
        """A minor release of preprocessing breaks metrics' <0.2: widening keeps the floor, raises the cap."""
        dists = self.setup_dists(tmp_path)
        ((dependent, req, raised),) = widened(
            dists, dists["ml-infra-preprocessing"], Version("0.2.0")
        )
        assert dependent.name == "ml-infra-metrics"
        assert str(req) == "ml-infra-preprocessing<0.2,>=0.1.0"
        assert raised == "ml-infra-preprocessing>=0.1.0,<0.3"

    def test_dependents_are_transitive_and_only_in_repo(self, tmp_path: Path) -> None:
        """preprocessing pulls in metrics; logging stays alone; numpy is not a distribution."""
        dists = self.setup_dists(tmp_path)
        assert dependents(dists, {"ml-infra-preprocessing"}) == {
            "ml-infra-preprocessing",
            "ml-infra-metrics",
        }
        assert dependents(dists, {"ml-infra-logging"}) == {"ml-infra-logging"}


class TestParseTag:
    def test_valid_tag(self, tmp_path: Path) -> None:
        """<dist>-v<version> splits at the last -v."""
        dists = {"ml-infra-metrics": make_dist(tmp_path, "ml-infra-metrics")}
        dist, version = parse_tag(dists, "ml-infra-metrics-v0.2.0")
        assert (dist.name, version) == ("ml-infra-metrics", Version("0.2.0"))

    @pytest.mark.parametrize(
        ("tag", "message"),
        [
            ("ml-infra-nope-v0.1.0", "unknown distribution 'ml-infra-nope'"),
            ("ml-infra-metrics-vbanana", "not a valid version"),
            ("ml-infra-metrics-0.1.0", "not of the form"),
            ("ml-infra-metrics-v0.02.0", "normalized, as 0.2.0"),
        ],
    )
    def test_bad_tags_are_refused(self, tmp_path: Path, tag: str, message: str) -> None:
        """Unknown distributions, invalid or unnormalized versions get clear errors."""
        dists = {"ml-infra-metrics": make_dist(tmp_path, "ml-infra-metrics")}
        with pytest.raises(ReleaseError, match=message):
            parse_tag(dists, tag)
