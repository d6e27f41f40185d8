"""Weighted ml_infra.metrics against sklearn.metrics on identical inputs and weights.

sklearn takes (y_true, y_pred); ours takes (predictions, labels): each side is
called in its own order on the same two arrays and the same ``sample_weight``.
"""

from __future__ import annotations

import warnings

import numpy as np
from ml_infra.metrics import ConfusionMatrix, f1_score
from sklearn import metrics as skm

from tools.bench.harness import Case, Goal


def _weighted_binary(n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, n)
    predictions = np.where(rng.random(n) < 0.8, labels, 1 - labels)
    return predictions, labels, rng.random(n) * 3.0


def _weighted_multiclass(n: int, k: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, k, n)
    predictions = np.where(rng.random(n) < 0.7, labels, rng.integers(0, k, n))
    return predictions, labels, rng.random(n) * 3.0


def cases() -> list[Case]:
    warnings.simplefilter("ignore")  # sklearn's UndefinedMetricWarning is not timed
    p6, l6, w6 = _weighted_binary(1_000_000, 10)
    p3, l3, w3 = _weighted_binary(1_000, 11)
    pm, lm, wm = _weighted_multiclass(1_000_000, 10, 12)
    return [
        Case(
            "metrics: weighted binary f1, 1e6 int labels",
            lambda: f1_score(p6, l6, sample_weight=w6),
            lambda: skm.f1_score(l6, p6, sample_weight=w6),
            "sklearn.metrics.f1_score",
            Goal.faster(20),
            repeat=5,
        ),
        Case(
            "metrics: weighted binary f1, 1e3 int labels",
            lambda: f1_score(p3, l3, sample_weight=w3),
            lambda: skm.f1_score(l3, p3, sample_weight=w3),
            "sklearn.metrics.f1_score",
            Goal.faster(20),
        ),
        Case(
            "metrics: weighted macro f1, 10 classes, 1e6 int labels",
            lambda: f1_score(pm, lm, average="macro", sample_weight=wm),
            lambda: skm.f1_score(lm, pm, average="macro", sample_weight=wm),
            "sklearn.metrics.f1_score",
            Goal.faster(10),
            repeat=5,
        ),
        Case(
            "metrics: weighted ConfusionMatrix.update, 10 classes, 1e6 int labels",
            lambda: ConfusionMatrix().update(pm, lm, sample_weight=wm).counts,
            lambda: skm.confusion_matrix(lm, pm, sample_weight=wm),
            "sklearn.metrics.confusion_matrix",
            Goal.faster(5),
            repeat=5,
        ),
    ]
