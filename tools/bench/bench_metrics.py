"""ml_infra.metrics against sklearn.metrics on identical inputs.

sklearn takes (y_true, y_pred); ours takes (predictions, labels): each side is
called in its own order on the same two arrays.
"""

from __future__ import annotations

import warnings

import numpy as np
from ml_infra.metrics import ConfusionMatrix, f1_score
from sklearn import metrics as skm

from tools.bench.harness import Case, Goal


def _binary(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, n)
    predictions = np.where(rng.random(n) < 0.8, labels, 1 - labels)
    return predictions, labels


def _multiclass(n: int, k: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, k, n)
    predictions = np.where(rng.random(n) < 0.7, labels, rng.integers(0, k, n))
    return predictions, labels


def cases() -> list[Case]:
    warnings.simplefilter("ignore")  # sklearn's UndefinedMetricWarning is not timed
    p6, l6 = _binary(1_000_000, 0)
    p3, l3 = _binary(1_000, 1)
    pm, lm = _multiclass(1_000_000, 10, 2)
    ps = np.array([f"class-{i}" for i in range(10)])[pm]
    ls = np.array([f"class-{i}" for i in range(10)])[lm]
    ps3, ls3 = ps[:1000], ls[:1000]
    return [
        Case(
            "metrics: binary f1, 1e6 int labels",
            lambda: f1_score(p6, l6),
            lambda: skm.f1_score(l6, p6),
            "sklearn.metrics.f1_score",
            Goal.faster(50),
            repeat=5,
        ),
        Case(
            "metrics: binary f1, 1e3 int labels",
            lambda: f1_score(p3, l3),
            lambda: skm.f1_score(l3, p3),
            "sklearn.metrics.f1_score",
            Goal.faster(100),
        ),
        Case(
            "metrics: macro f1, 10 classes, 1e6 int labels",
            lambda: f1_score(pm, lm, average="macro"),
            lambda: skm.f1_score(lm, pm, average="macro"),
            "sklearn.metrics.f1_score",
            Goal.faster(20),
            repeat=5,
        ),
        Case(
            "metrics: macro f1, 10 classes, 1e3 str labels",
            lambda: f1_score(ps3, ls3, average="macro"),
            lambda: skm.f1_score(ls3, ps3, average="macro"),
            "sklearn.metrics.f1_score",
            Goal.faster(10),
        ),
        Case(
            "metrics: confusion matrix, 10 classes, 1e6 str labels",
            lambda: ConfusionMatrix().update(ps, ls).counts,
            lambda: skm.confusion_matrix(ls, ps),
            "sklearn.metrics.confusion_matrix",
            Goal.faster(2),
            repeat=3,
        ),
    ]
