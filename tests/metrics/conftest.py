"""Shared hypothesis strategies for the metrics tests (exposed as fixtures).

With ``--import-mode=importlib`` test modules cannot import each other, so the
label-set strategy lives here and tests draw from it with ``st.data()``.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
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


@st.composite
def _weighted_pairs(draw: st.DrawFn) -> tuple[list[Any], list[Any], list[float]]:
    """A label pair and one non-negative weight per sample (at least one positive)."""
    predictions, labels = draw(_label_pairs())
    n = len(labels)
    weight = st.one_of(
        st.floats(0.0, 10.0, allow_nan=False, allow_infinity=False),
        st.integers(0, 5).map(float),
    )
    weights = draw(st.lists(weight, min_size=n, max_size=n))
    if not any(weights):
        weights[draw(st.integers(0, n - 1))] = 1.0
    return predictions, labels, weights


@pytest.fixture(scope="session")
def weighted_pairs() -> st.SearchStrategy[tuple[list[Any], list[Any], list[float]]]:
    """Strategy of (predictions, labels, sample_weight) with non-negative, not all zero weights."""
    return _weighted_pairs()


@st.composite
def _indicator_pairs(draw: st.DrawFn) -> tuple[list[list[int]], list[list[int]]]:
    """Equal-shape 0/1 indicator rows (2 to 5 labels), often with empty rows and columns."""
    n = draw(st.integers(1, 25))
    k = draw(st.integers(2, 5))
    row = st.lists(st.integers(0, 1), min_size=k, max_size=k)
    predictions = draw(st.lists(row, min_size=n, max_size=n))
    labels = draw(st.lists(row, min_size=n, max_size=n))
    return predictions, labels


@pytest.fixture(scope="session")
def indicator_pairs() -> st.SearchStrategy[tuple[list[list[int]], list[list[int]]]]:
    """Strategy of multilabel (predictions, labels) as lists of 0/1 rows."""
    return _indicator_pairs()


def _same(ours: float, theirs: float) -> bool:
    """Equal to 1e-12 (relative beyond 1, for sums of weights), NaN equal to NaN."""
    if math.isnan(theirs):
        return math.isnan(ours)
    return abs(ours - theirs) <= 1e-12 * max(1.0, abs(theirs))


def _sklearn(func: Callable[..., Any], pred: Any, true: Any, **kwargs: Any) -> Any:
    """Call a scikit-learn metric in its (y_true, y_pred) order, warnings silenced."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return func(true, pred, **kwargs)


@pytest.fixture(scope="session")
def same() -> Callable[[float, float], bool]:
    """Compare one of our scores with scikit-learn's: 1e-12, NaN equal to NaN."""
    return _same


@pytest.fixture(scope="session")
def sklearn() -> Callable[..., Any]:
    """Call ``sklearn(func, predictions, labels, **kwargs)`` as ``func(labels, predictions, ...)``."""
    return _sklearn


@st.composite
def _probability_problems(
    draw: st.DrawFn, min_classes: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """(matrix, labels, weights): rows summing to one (cells 0 and 1, ties), every class present."""
    k = draw(st.integers(min_classes, min_classes + 2))
    n = draw(st.integers(k, 25))
    labels = np.array(
        draw(st.permutations(range(k)))
        + draw(st.lists(st.integers(0, k - 1), min_size=n - k, max_size=n - k))
    )
    raw = np.array(draw(st.lists(st.integers(0, 3), min_size=n * k, max_size=n * k)), float)
    proba = raw.reshape(n, k)
    proba[proba.sum(axis=1) == 0, 0] = 1.0
    proba /= proba.sum(axis=1, keepdims=True)
    weights = None
    if draw(st.booleans()):
        weights = np.array(draw(st.lists(st.sampled_from([0.5, 1.0, 3.0]), min_size=n, max_size=n)))
    return proba, labels, weights


@pytest.fixture(scope="session")
def probability_problems() -> Callable[[int], st.SearchStrategy[Any]]:
    """``probability_problems(min_classes)``: strategy of (probability matrix, labels, weights)."""
    return _probability_problems
