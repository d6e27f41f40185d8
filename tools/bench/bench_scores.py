"""ml_infra.metrics score metrics (ROC AUC, log loss) against sklearn.metrics on identical inputs.

sklearn takes (y_true, y_score); ours takes (scores, labels): each side is
called in its own order on the same arrays.
"""

from __future__ import annotations

import numpy as np
from ml_infra.metrics import ScoreHistogram, log_loss, roc_auc_score
from sklearn import metrics as skm

from tools.bench.harness import Case, Goal


def _binary_scores(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Float64 scores of a fair classifier (positives score higher on average), 0/1 labels."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, n)
    scores = np.clip(rng.normal(0.4 + 0.2 * labels, 0.2), 0.0, 1.0)
    return scores, labels


def cases() -> list[Case]:
    s6, l6 = _binary_scores(1_000_000, 0)
    s3, l3 = _binary_scores(1_000, 1)
    w6 = np.random.default_rng(2).random(1_000_000)
    return [
        Case(
            "metrics: roc_auc_score, 1e6 scores",
            lambda: roc_auc_score(s6, l6),
            lambda: skm.roc_auc_score(l6, s6),
            "sklearn.metrics.roc_auc_score",
            Goal.faster(2),
            repeat=5,
        ),
        Case(
            "metrics: roc_auc_score, 1e3 scores",
            lambda: roc_auc_score(s3, l3),
            lambda: skm.roc_auc_score(l3, s3),
            "sklearn.metrics.roc_auc_score",
            Goal.faster(20),
        ),
        Case(
            "metrics: weighted roc_auc_score, 1e6 scores",
            lambda: roc_auc_score(s6, l6, sample_weight=w6),
            lambda: skm.roc_auc_score(l6, s6, sample_weight=w6),
            "sklearn.metrics.roc_auc_score",
            Goal.faster(1.5),
            repeat=3,
        ),
        Case(
            "metrics: ScoreHistogram() update + roc_auc, 1e6 scores",
            lambda: ScoreHistogram().update(s6, l6).roc_auc(),
            lambda: skm.roc_auc_score(l6, s6),
            "sklearn.metrics.roc_auc_score",
            Goal.faster(1),
            repeat=3,
        ),
        Case(
            "metrics: ScoreHistogram(1000) update + roc_auc, 1e6 scores",
            lambda: ScoreHistogram(1000).update(s6, l6).roc_auc(),
            lambda: skm.roc_auc_score(l6, s6),
            "sklearn.metrics.roc_auc_score",
            Goal.faster(5),
            repeat=3,
        ),
        Case(
            "metrics: log_loss, 1e6 scores",
            lambda: log_loss(s6, l6),
            lambda: skm.log_loss(l6, s6),
            "sklearn.metrics.log_loss",
            Goal.faster(5),
            repeat=5,
        ),
    ]
