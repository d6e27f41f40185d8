"""Benchmarks of the fitted objects of ml_infra.preprocessing against scikit-learn's.

Data is created lazily in each case's ``setup`` so listing or filtering cases
costs nothing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd  # type: ignore[import-untyped]
from ml_infra.preprocessing import MinMaxScaler, StandardScaler
from sklearn import preprocessing as sk

from tools.bench.harness import Case, Goal

ROWS, COLUMNS, BATCHES = 1_000_000, 20, 100
_data: dict[str, object] = {}


def _setup() -> None:
    if "x" in _data:
        return
    x = np.random.default_rng(0).normal(10.0, 3.0, (ROWS, COLUMNS))
    names = [f"f{i}" for i in range(COLUMNS)]
    frame = pd.DataFrame(x[:1000], columns=names)
    _data.update(
        x=x,
        batches=np.array_split(x, BATCHES),
        row=x[:1].copy(),
        frame_row=frame.iloc[[0]],
        ours=StandardScaler(ddof=0).fit(x[:1000]),
        theirs=sk.StandardScaler().fit(x[:1000]),
        ours_frame=StandardScaler(ddof=0).fit(frame),
        theirs_frame=sk.StandardScaler().fit(frame),
    )
    check()


def _get(key: str) -> object:
    return _data[key]


def check() -> None:
    """Sanity: ours agrees with the anchors before timing them."""
    x = np.random.default_rng(1).normal(size=(500, 4))
    np.testing.assert_allclose(
        StandardScaler(ddof=0).fit_transform(x), sk.StandardScaler().fit_transform(x), atol=1e-12
    )
    np.testing.assert_allclose(
        MinMaxScaler().fit_transform(x), sk.MinMaxScaler().fit_transform(x), atol=1e-12
    )


def x() -> np.ndarray:
    """The 1e6 x 20 array."""
    return _get("x")  # type: ignore[return-value]


def _partial_fit() -> object:
    scaler = StandardScaler()
    for batch in _get("batches"):  # type: ignore[attr-defined]
        scaler.partial_fit(batch)
    return scaler


def cases() -> list[Case]:
    rows = [
        (
            "StandardScaler.fit_transform 1e6 x 20 vs sklearn",
            lambda: StandardScaler(ddof=0).fit_transform(x()),
            lambda: sk.StandardScaler().fit_transform(x()),
            "sklearn StandardScaler.fit_transform",
            Goal.faster(1.5),
            5,
        ),
        (
            "MinMaxScaler.fit_transform 1e6 x 20 vs sklearn",
            lambda: MinMaxScaler().fit_transform(x()),
            lambda: sk.MinMaxScaler().fit_transform(x()),
            "sklearn MinMaxScaler.fit_transform",
            Goal.faster(1.5),
            5,
        ),
        (
            "StandardScaler.transform one 1 x 20 row vs sklearn",
            lambda: _get("ours").transform(_get("row")),  # type: ignore[attr-defined]
            lambda: _get("theirs").transform(_get("row")),  # type: ignore[attr-defined]
            "sklearn StandardScaler.transform",
            Goal.faster(20),
            9,
        ),
        (
            "StandardScaler.transform one DataFrame row vs sklearn",
            lambda: _get("ours_frame").transform(_get("frame_row")),  # type: ignore[attr-defined]
            lambda: _get("theirs_frame").transform(_get("frame_row")),  # type: ignore[attr-defined]
            "sklearn StandardScaler.transform",
            Goal.faster(5),
            9,
        ),
        (
            "StandardScaler.partial_fit 100 batches of 1e6 x 20 vs one fit",
            _partial_fit,
            lambda: StandardScaler().fit(x()),
            "StandardScaler.fit (ours, one call)",
            Goal.at_most(1.2),
            5,
        ),
    ]
    return [
        Case(
            name=f"scalers: {name}",
            ours=ours,
            anchor=anchor,
            anchor_name=anchor_name,
            goal=goal,
            setup=_setup,
            repeat=repeat,
        )
        for name, ours, anchor, anchor_name, goal, repeat in rows
    ]
