"""Benchmarks of ml_infra.preprocessing against the bare NumPy expressions and scikit-learn.

Data is created lazily in each case's ``setup`` so listing or filtering cases
costs nothing.
"""

from __future__ import annotations

import os
import random
import statistics
from collections.abc import Callable

import numpy as np
from ml_infra.preprocessing import normalize, standardize
from sklearn.preprocessing import StandardScaler, minmax_scale, scale

from tools.bench.harness import Case, Goal

BIG = 10_000_000
LIST = 1_000_000
_data: dict[str, object] = {}


def _array_setup() -> None:
    if "x" not in _data:
        _data["x"] = np.random.default_rng(0).normal(10.0, 3.0, BIG)


def _list_setup() -> None:
    if "lst" not in _data:
        rnd = random.Random(0)
        _data["lst"] = [rnd.random() * 100 for _ in range(LIST)]


def _x() -> np.ndarray:
    return _data["x"]  # type: ignore[return-value]


def _lst() -> list[float]:
    return _data["lst"]  # type: ignore[return-value]


def seed_normalize(data: list[float]) -> list[float]:
    """The seed's pure-Python implementation (ml-infra-utils)."""
    if not data:
        raise ValueError("Cannot normalize empty data")
    min_val = min(data)
    max_val = max(data)
    if min_val == max_val:
        raise ValueError("All values are identical, cannot normalize")
    range_val = max_val - min_val
    return [(x - min_val) / range_val for x in data]


def numpy_normalize(x: np.ndarray) -> np.ndarray:
    out: np.ndarray = (x - x.min()) / (x.max() - x.min())
    return out


def single_thread(func: Callable[[np.ndarray], object], x: np.ndarray) -> object:
    """Call ``func`` with ml_infra's threading turned off (ML_INFRA_NUM_THREADS=1)."""
    saved = os.environ.get("ML_INFRA_NUM_THREADS")
    os.environ["ML_INFRA_NUM_THREADS"] = "1"
    try:
        return func(x)
    finally:
        if saved is None:
            del os.environ["ML_INFRA_NUM_THREADS"]
        else:
            os.environ["ML_INFRA_NUM_THREADS"] = saved


def numpy_standardize(x: np.ndarray) -> np.ndarray:
    out: np.ndarray = (x - x.mean()) / x.std(ddof=1)
    return out


def seed_check() -> None:
    """Sanity: ours agrees with the anchors before timing them."""
    x = np.random.default_rng(1).normal(size=1000)
    assert np.allclose(normalize(x), numpy_normalize(x), rtol=0, atol=1e-12)
    assert np.allclose(standardize(x), numpy_standardize(x), rtol=0, atol=1e-12)
    lst = x.tolist()
    assert np.allclose(normalize(lst), seed_normalize(lst), rtol=0, atol=1e-12)
    sd = statistics.stdev(lst)
    assert abs(sd - float(np.std(x, ddof=1))) < 1e-12


def cases() -> list[Case]:
    seed_check()
    array_cases = [
        (
            "normalize 1e7 float64 vs numpy",
            lambda: normalize(_x()),
            lambda: numpy_normalize(_x()),
            "(x-min)/(max-min)",
            Goal.at_most(1.3),
        ),
        (
            # Validation overhead alone: the same work on one thread as numpy's.
            "normalize 1e7 float64, one thread, vs numpy",
            lambda: single_thread(normalize, _x()),
            lambda: numpy_normalize(_x()),
            "(x-min)/(max-min)",
            Goal.at_most(1.3),
        ),
        (
            "normalize 1e7 float64 vs sklearn",
            lambda: normalize(_x()),
            lambda: minmax_scale(_x()),
            "sklearn minmax_scale",
            Goal.faster(1.5),
        ),
        (
            "standardize 1e7 float64 vs numpy",
            lambda: standardize(_x()),
            lambda: numpy_standardize(_x()),
            "(x-mean)/std(ddof=1)",
            Goal.at_most(1.3),
        ),
        (
            "standardize 1e7 float64 vs sklearn scale",
            lambda: standardize(_x(), ddof=0),
            lambda: scale(_x()),
            "sklearn scale",
            Goal.faster(1.5),
        ),
        (
            "standardize 1e7 float64 vs StandardScaler",
            lambda: standardize(_x(), ddof=0),
            lambda: StandardScaler().fit_transform(_x().reshape(-1, 1)),
            "StandardScaler.fit_transform",
            Goal.faster(1.5),
        ),
    ]
    result = [
        Case(
            name=f"preprocessing: {name}",
            ours=ours,
            anchor=anchor,
            anchor_name=anchor_name,
            goal=goal,
            setup=_array_setup,
            repeat=7,
        )
        for name, ours, anchor, anchor_name, goal in array_cases
    ]
    result += [
        Case(
            name="preprocessing: normalize 1e6 list vs seed",
            ours=lambda: normalize(_lst()),
            anchor=lambda: seed_normalize(_lst()),
            anchor_name="seed pure Python",
            goal=Goal.faster(1.25),
            setup=_list_setup,
            repeat=9,
        ),
        Case(
            name="preprocessing: normalize 1e6 list vs conversion floor",
            ours=lambda: normalize(_lst()),
            anchor=lambda: np.asarray(_lst(), dtype=np.float64).tolist(),
            anchor_name="list->array->list",
            goal=Goal.at_most(1.25),
            setup=_list_setup,
            repeat=9,
        ),
    ]
    return result
