"""Shared test configuration."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# The machine is shared and noisy: no per-example deadlines. In CI, examples are
# derandomized so a red build is reproducible from the log alone.
settings.register_profile("default", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "ci",
    parent=settings.get_profile("default"),
    derandomize=True,
    print_blob=True,
)
settings.load_profile("ci" if os.environ.get("CI") else "default")
