"""Shared hypothesis strategies for the metrics tests (exposed as fixtures).

With ``--import-mode=importlib`` test modules cannot import each other, so the
label-set strategy lives here and tests draw from it with ``st.data()``.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import strategies as st


@st.composite
def _label_pairs(draw: st.DrawFn) -> tuple[list[Any], list[Any]]:
    """Equal-length (predictions, labels) of one label type, often with absent classes."""
    numeric = [
        st.integers(0, 3),
        st.integers(-2, 2),
        st.sampled_from([0, 7, 10**9, -(10**12)]),
        st.booleans(),
        st.sampled_from([0.0, 1.0, 2.0]),
    ]
    pools = [*numeric, st.sampled_from(["cat", "dog", "Dog", "bird"])]
    pool = draw(st.sampled_from(pools))
    # Sometimes the two arrays use different numeric types (int vs float vs bool).
    other = draw(st.sampled_from(numeric)) if pool in numeric and draw(st.booleans()) else pool
    n = draw(st.integers(1, 40))
    predictions = draw(st.lists(pool, min_size=n, max_size=n))
    labels = draw(st.lists(other, min_size=n, max_size=n))
    return predictions, labels


@pytest.fixture(scope="session")
def label_pairs() -> st.SearchStrategy[tuple[list[Any], list[Any]]]:
    """Strategy of random and edge-case (predictions, labels) pairs: ints, bools, strings, floats."""
    return _label_pairs()
