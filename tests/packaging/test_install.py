"""Real installs of the built wheels into fresh virtual environments."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.packaging

ALL = ("decorators", "logging", "metrics", "preprocessing")


def _assert_importable(env, expected: set[str]) -> None:
    got = {sub for sub in ALL if env.importable(sub)}
    assert got == expected


class TestNamespace:
    @pytest.mark.parametrize("order", [("logging", "decorators"), ("decorators", "logging")])
    def test_dependency_free_pair_in_either_order(self, make_env, order):
        """Two distributions installed one after the other, offline, compose ml_infra."""
        env = make_env()
        first, second = order
        env.install(first)
        _assert_importable(env, {first})
        env.install(second)
        _assert_importable(env, {first, second})

    @pytest.mark.parametrize("free", ["decorators", "logging"])
    def test_no_runtime_dependencies(self, make_env, free):
        """decorators and logging install from the wheelhouse alone and bring nothing else."""
        env = make_env()
        env.install(free)  # --no-index: any runtime dependency would fail here
        assert env.installed() == {f"ml-infra-{free}"}

    def test_metrics_alone_brings_only_preprocessing_and_numpy(self, make_env):
        """Installing metrics pulls its one in-repo dependency and numpy, nothing else of ours."""
        env = make_env()
        env.install("metrics", offline=False)
        assert {n for n in env.installed() if n.startswith("ml-infra-")} == {
            "ml-infra-metrics",
            "ml-infra-preprocessing",
        }
        assert "numpy" in env.installed()
        _assert_importable(env, {"metrics", "preprocessing"})
        env.install("logging")
        _assert_importable(env, {"metrics", "preprocessing", "logging"})

    def test_all_four_then_uninstall_one_at_a_time(self, make_env):
        """Uninstalling one distribution leaves the others importable, in any state."""
        env = make_env()
        env.install("logging", "preprocessing", "decorators", "metrics", offline=False)
        _assert_importable(env, set(ALL))
        remaining = set(ALL)
        for sub in ("decorators", "metrics", "logging"):
            env.uninstall(sub)
            remaining.discard(sub)
            _assert_importable(env, remaining)
        assert {n for n in env.installed() if n.startswith("ml-infra-")} == {
            "ml-infra-preprocessing"
        }
