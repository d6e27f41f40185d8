"""Tests of ``QuantileSketch``: its error bound, memory, merging and state (issue 10)."""

from __future__ import annotations

import json
import math
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ml_infra.preprocessing import (
    EmptyDataError,
    InfiniteValueError,
    MissingValueError,
    ParameterError,
    QuantileSketch,
    StateError,
)

QS = np.linspace(0.0, 1.0, 41)


def orders(n: int, seed: int) -> dict[str, np.ndarray]:
    """Seeded data in the orders that hurt sketches most."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(n)
    return {
        "random": x,
        "sorted": np.sort(x),
        "reversed": np.sort(x)[::-1].copy(),
        "duplicates": rng.integers(0, 7, n).astype(float),
        "heavy tail": rng.standard_cauchy(n),
        "sawtooth": np.tile(np.arange(257.0), n // 257 + 1)[:n],
    }


def bound(n: int, k: int) -> float:
    """The documented worst case: n/k * (floor(log2(n/k)) + 1), 0 below k values."""
    return 0 if n < k else n / k * (math.floor(math.log2(n / k)) + 1)


def assert_within(sketch: QuantileSketch, data: np.ndarray, qs: np.ndarray = QS) -> int:
    """Each estimate lies within max_rank_error positions of the exact sorted data.

    Returns the largest rank error actually seen (in positions).
    """
    exact = np.sort(data)
    n, e = exact.size, sketch.max_rank_error
    assert e <= bound(n, sketch.k)
    estimates = sketch.quantiles(qs)
    t = qs * (n - 1)
    low = exact[np.clip(np.floor(t).astype(int) - e, 0, n - 1)]
    high = exact[np.clip(np.ceil(t).astype(int) + e, 0, n - 1)]
    assert np.all(low <= estimates), (qs[low > estimates], e)
    assert np.all(estimates <= high), (qs[estimates > high], e)
    # The rank actually reached: how far the estimate's sorted position is from the target.
    below = np.searchsorted(exact, estimates, side="left")
    upto = np.searchsorted(exact, estimates, side="right") - 1
    seen = np.maximum(below - np.ceil(t), np.floor(t) - upto).clip(min=0)
    return int(seen.max())


class TestErrorBound:
    @pytest.mark.parametrize("order", list(orders(10, 0)))
    @pytest.mark.parametrize("batch", [1_000, 100_000])
    def test_bound_holds_for_adversarial_orders(self, order, batch):
        """In every order and batching, estimates stay within the tracked bound."""
        data = orders(100_000, 1)[order]
        sketch = QuantileSketch(k=256)
        for start in range(0, data.size, batch):
            sketch.update(data[start : start + batch])
        assert sketch.n == data.size
        assert sketch.max_rank_error > 0
        assert_within(sketch, data)

    @settings(max_examples=40, deadline=None)
    @given(
        values=st.lists(st.integers(-50, 50), min_size=1, max_size=600),
        k=st.sampled_from([8, 16, 32]),
        chunk=st.integers(1, 90),
    )
    def test_bound_holds_for_any_small_stream(self, values, k, chunk):
        """Hypothesis: any stream of (duplicate-heavy) values, any chunking, within bound."""
        data = np.asarray(values, dtype=float)
        sketch = QuantileSketch(k=k)
        for start in range(0, data.size, chunk):
            sketch.update(data[start : start + chunk])
        assert_within(sketch, data)

    def test_exact_below_k(self):
        """Fewer than k values: no error, and the quantiles are numpy's linear ones."""
        data = np.random.default_rng(2).standard_normal(500)
        sketch = QuantileSketch(k=512).update(data)
        assert sketch.max_rank_error == 0
        np.testing.assert_array_equal(sketch.quantiles(QS), np.quantile(data, QS))

    def test_ends_are_exact(self):
        """Quantiles 0 and 1 are the exact minimum and maximum, whatever was dropped."""
        data = orders(50_000, 3)["heavy tail"]
        sketch = QuantileSketch(k=16).update(data)
        assert sketch.quantiles([0, 1]).tolist() == [data.min(), data.max()]

    @pytest.mark.parametrize("n", [2048, 200_000, 1_000_003])
    def test_one_batch_costs_less_than_two_n_over_k(self, n):
        """One update of n values compacts each level once: the bound is below 2n/k."""
        data = orders(n, 4)["random"]
        sketch = QuantileSketch().update(data)
        assert sketch.max_rank_error < 2 * n / sketch.k
        assert_within(sketch, data, np.linspace(0.01, 0.99, 99))


class TestMemory:
    @pytest.mark.parametrize("n", [10_000, 100_000, 1_000_000])
    def test_kept_values_are_bounded(self, n):
        """At most k * (floor(log2(n/k)) + 2) values are kept, in any order."""
        k = 128
        for data in (np.arange(float(n)), np.arange(float(n))[::-1].copy()):
            sketch = QuantileSketch(k=k)
            for start in range(0, n, 10_000):
                sketch.update(data[start : start + 10_000])
            assert sketch.size <= k * (math.floor(math.log2(n / k)) + 2)


class TestMerge:
    def test_merge_is_within_bound_of_the_union(self):
        """A sum of sketches of parts is within its bound of the union's quantiles."""
        parts = list(orders(40_000, 5).values())
        sketches = [QuantileSketch(k=64).update(p) for p in parts]
        total = sum(sketches)
        union = np.concatenate(parts)
        assert total.n == union.size
        assert total.max_rank_error >= sum(s.max_rank_error for s in sketches)
        assert_within(total, union)

    def test_add_leaves_operands_unchanged(self):
        """a + b is new; merge changes only the left operand, and says so by returning it."""
        a = QuantileSketch(k=8).update(np.arange(20.0))
        b = QuantileSketch(k=8).update(np.arange(20.0, 50.0))
        a_state, b_state = a.to_json(), b.to_json()
        c = a + b
        assert (a.to_json(), b.to_json()) == (a_state, b_state)
        assert a.merge(b) is a
        assert a == c
        assert a.merge(a).n == 100

    def test_merge_refuses_other_k_and_types(self):
        """Merging sketches of different k, or something else, is a clear error."""
        with pytest.raises(StateError, match="same k, got 8 and 16"):
            QuantileSketch(k=8).merge(QuantileSketch(k=16))
        with pytest.raises(StateError, match="must be a QuantileSketch, got list"):
            QuantileSketch(k=8).merge([1.0])  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            QuantileSketch(k=8) + 1  # type: ignore[operator]


class TestState:
    def test_json_round_trip_is_exact_and_continues_identically(self):
        """from_json(to_json()) equals the sketch, and both evolve the same way."""
        rng = np.random.default_rng(6)
        sketch = QuantileSketch(k=32).update(rng.standard_normal(5000) / 3)
        copy = QuantileSketch.from_json(sketch.to_json())
        assert copy == sketch
        more = rng.standard_normal(777)
        assert copy.update(more) == sketch.update(more)
        np.testing.assert_array_equal(copy.quantiles(QS), sketch.quantiles(QS))

    def test_pickle_round_trip(self):
        """A sketch pickles to an equal one."""
        sketch = QuantileSketch(k=16).update(np.arange(1000.0))
        assert pickle.loads(pickle.dumps(sketch)) == sketch

    @pytest.mark.parametrize(
        ("change", "message"),
        [
            (lambda d: d.update(kind="StandardScaler"), "kind must be 'QuantileSketch'"),
            (lambda d: d.update(version=2), "version 2 is newer than this library reads"),
            (lambda d: d.pop("levels"), r"got missing \['levels'\] and unexpected \[\]"),
            (lambda d: d.update(extra=1), r"""got missing \[\] and unexpected \["'extra'"\]"""),
            (lambda d: d.update(k=7), "k must be an even number"),
            (lambda d: d.update(n=d["n"] + 1), "the levels stand for"),
            (lambda d: d.update(n=True), "n must be a non-negative integer, got bool True"),
            (lambda d: d["levels"][0].append("x"), "level 0 must hold only numbers"),
            (lambda d: d.update(parity=[2] * len(d["parity"])), "parity must hold"),
            (lambda d: d.update(min=5.0), "min and max must be finite and enclose"),
            (lambda d: d.update(max=10**400), "min and max must be finite and enclose"),
            (lambda d: d["levels"][0].append(10**400), "level 0 holds a value that is not finite"),
            (lambda d: d.update(levels=[[]] * 70, parity=[0] * 70), "level 62 must be a list"),
        ],
    )
    def test_hostile_documents_are_refused(self, change, message):
        """Unknown kinds, newer versions, missing, mistyped or inconsistent fields fail clearly."""
        document = json.loads(QuantileSketch(k=8).update(np.arange(21.0)).to_json())
        change(document)
        with pytest.raises(StateError, match=message):
            QuantileSketch.from_json(json.dumps(document))

    @pytest.mark.parametrize("text", ["", "[]", "{", "null", '"x"'])
    def test_non_documents_are_refused(self, text):
        """Text that is not a JSON object is a StateError, never a json error."""
        with pytest.raises(StateError, match=r"^QuantileSketch\.from_json: "):
            QuantileSketch.from_json(text)


class TestInputs:
    def test_missing_and_infinite_values(self):
        """NaN is refused unless omitted; infinity is always refused."""
        with pytest.raises(MissingValueError, match="at positions \\[1\\]"):
            QuantileSketch(k=8).update([1.0, math.nan])
        assert QuantileSketch(k=8).update([1.0, math.nan], nan_policy="omit").n == 1
        with pytest.raises(InfiniteValueError):
            QuantileSketch(k=8).update([1.0, math.inf])

    def test_empty_sketch_has_no_quantiles(self):
        """Asking an empty sketch is an EmptyDataError."""
        with pytest.raises(EmptyDataError, match="has seen no values"):
            QuantileSketch().quantile(0.5)

    @pytest.mark.parametrize("k", [6, 7, 0, 2**25])
    def test_bad_k(self, k):
        """k must be even and within [8, 2**24]."""
        with pytest.raises(ParameterError, match="k must be an even number"):
            QuantileSketch(k=k)

    @pytest.mark.parametrize("q", [-0.1, 1.5, math.nan])
    def test_bad_quantiles(self, q):
        """Quantiles outside [0, 1] (or NaN) are refused."""
        with pytest.raises(ParameterError, match=r"must be in \[0, 1\]"):
            QuantileSketch(k=8).update([1.0]).quantile(q)
