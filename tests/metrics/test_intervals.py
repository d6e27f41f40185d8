"""ConfusionMatrix.confidence_interval: Wilson intervals against scipy and statsmodels' formula."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ml_infra.metrics import (
    ConfidenceInterval,
    ConfusionMatrix,
    EmptyInputError,
    InvalidParameterError,
    UnknownClassError,
)

stats = pytest.importorskip("scipy.stats")  # installed with scikit-learn (compare group)
Pairs = st.SearchStrategy[tuple[list[Any], list[Any]]]


def scipy_wilson(k: int, n: int, level: float) -> tuple[float, float]:
    """scipy's Wilson interval (no continuity correction); the whole [0, 1] when n = 0."""
    if n == 0:
        return 0.0, 1.0
    ci = stats.binomtest(k, n).proportion_ci(confidence_level=level, method="wilson")
    return float(ci.low), float(ci.high)


def statsmodels_wilson(p: float, n: float, level: float) -> tuple[float, float]:
    """statsmodels.stats.proportion.proportion_confint(method="wilson"), written out."""
    crit = stats.norm.isf((1 - level) / 2.0)
    crit2 = crit**2
    denom = 1 + crit2 / n
    center = (p + crit2 / (2 * n)) / denom
    dist = crit * np.sqrt(p * (1.0 - p) / n + crit2 / (4.0 * n**2)) / denom
    return max(0.0, center - dist), min(1.0, center + dist)


def close(ours: tuple[float, float], theirs: tuple[float, float]) -> bool:
    """Both bounds equal to 1e-9 (scipy solves the same quadratic with other roundings)."""
    return all(abs(a - b) <= 1e-9 for a, b in zip(ours, theirs, strict=True))


class TestUnweighted:
    @settings(max_examples=60)
    @given(st.data(), st.sampled_from([0.5, 0.9, 0.95, 0.99]))
    def test_matches_scipy(self, label_pairs: Pairs, data: st.DataObject, level: float) -> None:
        """Accuracy, per-class precision and recall intervals equal scipy's Wilson intervals."""
        predictions, labels = data.draw(label_pairs)
        cm = ConfusionMatrix().update(predictions, labels)
        counts = cm.counts
        correct, n = int(np.trace(counts)), int(counts.sum())
        assert close(
            cm.confidence_interval("accuracy", level=level), scipy_wilson(correct, n, level)
        )
        for metric, axis in (("precision", 0), ("recall", 1)):
            per_class = cm.confidence_interval(metric, average=None, level=level)
            assert isinstance(per_class, dict)
            for i, c in enumerate(cm.classes.tolist()):
                expected = scipy_wilson(int(counts[i, i]), int(counts.sum(axis=axis)[i]), level)
                assert close(per_class[c], expected), (metric, c)
                assert cm.confidence_interval(metric, c, level=level) == per_class[c]

    def test_known_value(self) -> None:
        """8 of 10: the textbook Wilson 95% interval (0.4902, 0.9433), unpacking as (low, high)."""
        cm = ConfusionMatrix().update([1] * 8 + [0] * 2, [1] * 10)
        low, high = cm.confidence_interval("recall")
        assert (round(low, 4), round(high, 4)) == (0.4902, 0.9433)
        assert isinstance(cm.confidence_interval("recall"), ConfidenceInterval)

    def test_estimate_inside_and_extremes(self) -> None:
        """The interval holds the point estimate; 10 of 10 still has a lower bound below 1."""
        cm = ConfusionMatrix().update([1] * 10, [1] * 10)
        low, high = cm.confidence_interval("precision")
        assert low < 1.0
        assert high == 1.0
        assert low <= cm.precision() <= high

    def test_class_never_predicted_gives_whole_range(self) -> None:
        """A denominator of zero (class never predicted) gives [0, 1]."""
        cm = ConfusionMatrix().update([0, 0], [1, 0])
        assert cm.confidence_interval("precision", 1) == (0.0, 1.0)


class TestWeighted:
    @settings(max_examples=40)
    @given(st.data())
    def test_kish_effective_size(self, label_pairs: Pairs, data: st.DataObject) -> None:
        """Weighted: the weighted proportion with Kish's n = (sum w)^2 / sum w^2 (statsmodels' formula)."""
        predictions, labels = data.draw(label_pairs)
        weights = data.draw(
            st.lists(st.floats(0.1, 10.0), min_size=len(labels), max_size=len(labels))
        )
        cm = ConfusionMatrix().update(predictions, labels, sample_weight=weights)
        w = np.array(weights)
        correct = np.array([p == t for p, t in zip(predictions, labels, strict=True)])
        n_eff = w.sum() ** 2 / (w**2).sum()
        expected = statsmodels_wilson(w[correct].sum() / w.sum(), n_eff, 0.95)
        assert close(cm.confidence_interval("accuracy"), expected)
        positive = data.draw(st.sampled_from(cm.classes.tolist()))
        truly = np.array([t == positive for t in labels]) & np.array(
            [isinstance(t, str) == isinstance(positive, str) for t in labels]
        )
        if truly.any():
            hits = w[truly & correct].sum() / w[truly].sum()
            kish = w[truly].sum() ** 2 / (w[truly] ** 2).sum()
            assert close(
                cm.confidence_interval("recall", positive), statsmodels_wilson(hits, kish, 0.95)
            )

    def test_equal_weights_give_the_unweighted_interval(self) -> None:
        """Weights all equal to 3 leave the interval of the unweighted counts."""
        p, y = [1, 1, 0, 1, 0, 0], [1, 0, 0, 1, 1, 0]
        plain = ConfusionMatrix().update(p, y)
        weighted = ConfusionMatrix().update(p, y, sample_weight=[3.0] * 6)
        for metric in ("accuracy", "precision", "recall"):
            assert close(weighted.confidence_interval(metric), plain.confidence_interval(metric))

    def test_uneven_weights_widen(self) -> None:
        """Uneven weights shrink the effective size, so the interval widens."""
        p, y = [1, 1, 0, 1, 0, 0, 1, 1], [1, 0, 0, 1, 1, 0, 1, 1]
        even = ConfusionMatrix().update(p, y, sample_weight=[1.0] * 8)
        uneven = ConfusionMatrix().update(p, y, sample_weight=[1, 1, 1, 1, 1, 1, 1, 8])
        low_e, high_e = even.confidence_interval("accuracy")
        low_u, high_u = uneven.confidence_interval("accuracy")
        assert high_u - low_u > high_e - low_e


class TestErrors:
    @pytest.mark.parametrize("level", [0, 1, 1.5, -0.1, math.nan, "0.95", True])
    def test_bad_level(self, level: Any) -> None:
        """level must be strictly between 0 and 1."""
        cm = ConfusionMatrix().update([1], [1])
        with pytest.raises(InvalidParameterError, match="confidence_interval: level must be"):
            cm.confidence_interval("accuracy", level=level)

    def test_bad_metric_class_and_empty(self) -> None:
        """Unknown metrics and classes, and empty states, are clear errors."""
        cm = ConfusionMatrix().update([1, 0], [1, 1])
        with pytest.raises(InvalidParameterError, match="metric must be one of"):
            cm.confidence_interval("f1_score")
        with pytest.raises(UnknownClassError, match="positive_class=7"):
            cm.confidence_interval("recall", 7)
        with pytest.raises(EmptyInputError, match="no samples"):
            ConfusionMatrix().confidence_interval("accuracy")
