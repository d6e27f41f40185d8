"""Tests of ``OutlierClipper(method="sketch")``: mergeable percentiles within a tracked bound.

The exact clipper is covered by test_scalers.py; QuantileSketch itself by test_sketch.py.
"""

from __future__ import annotations

import json
import math
import pickle

import numpy as np
import pandas as pd
import pytest
from ml_infra.preprocessing import (
    EmptyDataError,
    OutlierClipper,
    ParameterError,
    QuantileSketch,
    StateError,
    clip_outliers,
    from_json,
)


def columns(n: int, seed: int) -> np.ndarray:
    """Four columns in the orders that hurt sketches: random, sorted, reversed, duplicates."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(n)
    return np.column_stack([x, np.sort(x), np.sort(x)[::-1], rng.integers(0, 5, n).astype(float)])


def assert_bounds_within(clipper: OutlierClipper, x: np.ndarray) -> None:
    """Each fitted bound lies within max_rank_error_ positions of the exact percentile."""
    errors = clipper.max_rank_error_
    n = x.shape[0]
    for p, fitted in (
        (clipper.lower_percentile, clipper.lower_),
        (clipper.upper_percentile, clipper.upper_),
    ):
        t = p / 100 * (n - 1)
        for j in range(x.shape[1]):
            exact = np.sort(x[:, j])
            e = int(errors[j])
            assert (
                exact[max(0, math.floor(t) - e)] <= fitted[j] <= exact[min(n - 1, math.ceil(t) + e)]
            )


class TestAgreement:
    @pytest.mark.parametrize(
        "data",
        [
            [1.0, 2.0, 3.0, 4.0, 100.0],
            np.random.default_rng(0).standard_normal((300, 3)),
        ],
    )
    def test_exact_below_k(self, data):
        """Below sketch_k values per column the sketch clipper equals the exact one bit for bit."""
        sketch = OutlierClipper(method="sketch").fit_transform(data)
        exact = OutlierClipper().fit_transform(data)
        np.testing.assert_array_equal(sketch, exact)
        if isinstance(data, list):
            assert sketch == clip_outliers(data)

    def test_partial_fit_batches_stay_within_the_bound(self):
        """100 partial_fit batches of adversarial columns: bounds within their rank error."""
        x = columns(100_000, 1)
        clipper = OutlierClipper(1, 99, method="sketch", sketch_k=256)
        for batch in np.array_split(x, 100):
            clipper.partial_fit(batch)
        assert clipper.n_samples_seen_ == 100_000
        errors = clipper.max_rank_error_
        assert (errors > 0).all()
        assert (errors <= 100_000 / 256 * (math.floor(math.log2(100_000 / 256)) + 1)).all()
        assert_bounds_within(clipper, x)

    def test_sum_of_parts_stays_within_the_bound(self):
        """sum() of clippers fitted on parts is within its bound of the union; parts unchanged."""
        x = columns(30_000, 2)
        parts = [OutlierClipper(method="sketch", sketch_k=64).fit(p) for p in np.array_split(x, 7)]
        before = [p.to_json() for p in parts]
        total = sum(parts)
        assert [p.to_json() for p in parts] == before
        assert total.n_samples_seen_ == 30_000
        assert_bounds_within(total, x)
        np.testing.assert_array_equal(total.transform(x), np.clip(x, total.lower_, total.upper_))

    def test_dataframe_columns_and_nan_omit(self):
        """DataFrame columns by name; NaN is left out of the sketches and kept in the output."""
        df = pd.DataFrame({"a": [1.0, np.nan, 3.0, 50.0], "b": [0.0, 1.0, 2.0, 3.0]})
        clipper = OutlierClipper(0, 50, method="sketch", nan_policy="omit").fit(df)
        assert clipper.n_samples_seen_.tolist() == [3, 4]
        out = clipper.transform(df)
        assert out["a"][0] == 1.0
        assert math.isnan(out["a"][1])
        assert out["a"][3] == 3.0  # the median of [1, 3, 50]

    def test_memory_is_bounded(self):
        """After 100 batches each column's sketch keeps at most k * (log2(n/k) + 2) values."""
        x = columns(50_000, 3)
        clipper = OutlierClipper(method="sketch", sketch_k=128)
        for batch in np.array_split(x, 100):
            clipper.partial_fit(batch)
        sizes = [s.size for s in clipper._state.sketches]
        assert max(sizes) <= 128 * (math.floor(math.log2(50_000 / 128)) + 2)

    @pytest.mark.parametrize("method", ["linear", "sketch"])
    def test_all_nan_column_with_omit(self, method):
        """A column with nothing but NaN is an EmptyDataError naming it, without a NumPy warning."""
        x = np.array([[np.nan, 1.0], [np.nan, 2.0]])
        with pytest.raises(EmptyDataError, match=r"every value is missing .* column 0"):
            OutlierClipper(method=method, nan_policy="omit").fit(x)


class TestState:
    def test_json_round_trip_is_bit_identical(self):
        """to_json -> from_json (class and module) clips bit for bit, and keeps merging."""
        x = columns(5000, 4)
        clipper = OutlierClipper(2, 98, method="sketch", sketch_k=64).fit(x)
        text = clipper.to_json()
        for loaded in (OutlierClipper.from_json(text), from_json(text)):
            np.testing.assert_array_equal(loaded.transform(x), clipper.transform(x))
            more = columns(900, 5)
            assert (
                loaded + OutlierClipper(2, 98, method="sketch", sketch_k=64).fit(more)
            ).to_json() == (
                clipper + OutlierClipper(2, 98, method="sketch", sketch_k=64).fit(more)
            ).to_json()

    def test_pickle(self):
        """A sketch clipper pickles to one that clips and merges the same."""
        x = columns(3000, 6)
        clipper = OutlierClipper(method="sketch", sketch_k=32).fit(x)
        copy = pickle.loads(pickle.dumps(clipper))
        assert copy.to_json() == clipper.to_json()

    @pytest.mark.parametrize(
        ("change", "message"),
        [
            (
                lambda s: s["lower"].__setitem__(0, s["lower"][0] + 1e-9),
                "must be the sketches' quantiles",
            ),
            (lambda s: s["sketches"][0].update(k=64), r"sketches\[0\] must have k=32"),
            (lambda s: s.pop("sketches"), "statistics must have the fields"),
            (lambda s: s.update(sketches={}), "must be a list of 4 sketches"),
            (
                lambda s: s["sketches"][1].update(kind="X"),
                r"statistics\.sketches\[1\]: not a QuantileSketch",
            ),
            (
                lambda s: s["sketches"][2]["levels"].append([0.0]),
                r"sketches\[2\]: not a QuantileSketch",
            ),
        ],
    )
    def test_hostile_documents(self, change, message):
        """Tampered sketches or bounds are a StateError, never a half-built clipper."""
        document = json.loads(
            OutlierClipper(method="sketch", sketch_k=32).fit(columns(2000, 7)).to_json()
        )
        change(document["statistics"])
        with pytest.raises(StateError, match=message):
            from_json(json.dumps(document))


class TestParameters:
    def test_sketch_k_needs_method_sketch(self):
        """sketch_k with an exact method is an error, not silently ignored."""
        with pytest.raises(
            ParameterError, match="sketch_k applies to method='sketch' only, got int 64"
        ):
            OutlierClipper(sketch_k=64)

    @pytest.mark.parametrize("k", [7, 2, -8, 2.5])
    def test_bad_sketch_k(self, k):
        """sketch_k follows QuantileSketch's k rules."""
        with pytest.raises(ParameterError):
            OutlierClipper(method="sketch", sketch_k=k)

    def test_repr_and_defaults(self):
        """The repr shows the sketch parameters; the default k is QuantileSketch's."""
        assert repr(OutlierClipper(method="sketch", sketch_k=64)) == (
            "OutlierClipper(method='sketch', sketch_k=64)"
        )
        assert OutlierClipper(method="sketch").sketch_k == QuantileSketch().k

    def test_max_rank_error_only_for_sketches(self):
        """Exact clippers have no rank error to report."""
        with pytest.raises(AttributeError, match="only method='sketch'"):
            _ = OutlierClipper().fit([1.0, 2.0]).max_rank_error_

    def test_sketch_and_exact_do_not_merge(self):
        """A sketch clipper and an exact one have different parameters: no merge."""
        with pytest.raises(StateError, match="the parameters differ"):
            OutlierClipper(method="sketch").fit([1.0, 2.0]) + OutlierClipper().fit([1.0, 2.0])
