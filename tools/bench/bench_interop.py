"""Array-library inputs against the same data as ndarrays (issue 15: zero-copy where it can be).

torch is looked up only when the bench runs; without it there are no rows.
A CPU tensor is read in place through DLPack and a tensor result is built
from the result array without a copy, so a tensor should cost what the
ndarray costs, plus a constant.
"""

from __future__ import annotations

import importlib
from typing import Any

import numpy as np
from ml_infra.metrics import f1_score
from ml_infra.preprocessing import normalize

from tools.bench.harness import Case, Goal


def _torch() -> Any:
    try:
        return importlib.import_module("torch")
    except ImportError:
        return None


def cases() -> list[Case]:
    torch = _torch()
    if torch is None:
        return []
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 2, 1_000_000)
    predictions = np.where(rng.random(labels.size) < 0.8, labels, 1 - labels)
    pred_t, label_t = torch.from_numpy(predictions), torch.from_numpy(labels)
    x = rng.normal(size=10_000_000)
    x_t = torch.from_numpy(x.copy())  # its own memory, as a model's output would have
    return [
        Case(
            "interop: f1_score, two 1e6 int64 CPU tensors",
            lambda: f1_score(pred_t, label_t),
            lambda: f1_score(predictions, labels),
            "f1_score on the same ndarrays",
            Goal.at_most(1.2),
            repeat=7,
        ),
        Case(
            "interop: normalize, 1e7 float64 CPU tensor",
            lambda: normalize(x_t),
            lambda: normalize(x),
            "normalize on the same ndarray",
            Goal.at_most(1.3),
            repeat=5,
        ),
    ]
