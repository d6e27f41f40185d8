"""The fuzz budget: a modest default, ``ML_INFRA_FUZZ_EXAMPLES=N`` for long runs.

The profile inherits the one the root conftest loaded (no deadlines; derandomized
in CI), and sets only the number of examples per test. Tests opt in with
``@fuzz_settings()`` from ``tests.fuzz.strategies``, so the budget never leaks
into the other suites' hypothesis tests.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

from tests.fuzz.strategies import PROFILE

ENV_VAR = "ML_INFRA_FUZZ_EXAMPLES"
DEFAULT_EXAMPLES = 60


def _examples() -> int:
    text = os.environ.get(ENV_VAR, "").strip()
    if not text:
        return DEFAULT_EXAMPLES
    if not text.isascii() or not text.isdigit() or int(text) < 1:
        raise pytest.UsageError(f"{ENV_VAR} must be a positive integer, got {text!r}")
    return int(text)


settings.register_profile(
    PROFILE,
    max_examples=_examples(),
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)
