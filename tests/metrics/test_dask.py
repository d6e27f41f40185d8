"""The accumulators' update on dask collections, counted on a real 2-process LocalCluster."""

from __future__ import annotations

import pickle
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from ml_infra.metrics import (
    ConfusionMatrix,
    InvalidInputTypeError,
    InvalidShapeError,
    LengthMismatchError,
    MetricsError,
    MissingLabelsError,
    ScoreHistogram,
)

distributed = pytest.importorskip("distributed")
da = pytest.importorskip("dask.array")
dd = pytest.importorskip("dask.dataframe")
pd = pytest.importorskip("pandas")


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    """One LocalCluster (2 worker processes, 1 thread each) for the whole module."""
    with (
        distributed.LocalCluster(
            n_workers=2,
            processes=True,
            threads_per_worker=1,
            dashboard_address=":0",  # any free port: other clusters may run beside
            silence_logs=50,
        ) as cluster,
        distributed.Client(cluster) as dask_client,
    ):
        yield dask_client


def _data(n: int, k: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, k, n)
    predictions = np.where(rng.random(n) < 0.7, labels, rng.integers(0, k, n))
    return predictions, labels


@pytest.mark.usefixtures("client")
class TestOnTheCluster:
    def test_workers_are_two_processes(self, client: Any) -> None:
        """The fixture is a real cluster: two worker processes, neither this one."""
        pids = set(client.run(lambda: __import__("os").getpid()).values())
        assert len(pids) == 2
        assert __import__("os").getpid() not in pids

    def test_partitions_are_counted_on_the_workers(self, client: Any) -> None:
        """Every partition is counted, and the states merged, by tasks on both workers."""
        predictions, labels = _data(2_000, 3, 0)
        with distributed.get_task_stream(client) as stream:
            ConfusionMatrix().update(da.from_array(predictions, 125), da.from_array(labels, 125))
        counted = [t for t in stream.data if "count_partition" in t["key"]]
        merged = [t for t in stream.data if "merge_states" in t["key"]]
        assert len(counted) == 16
        assert len(merged) == 3  # 16 states, 8 per merge task, then the root
        workers = set(client.scheduler_info()["workers"])
        assert {t["worker"] for t in counted} <= workers

    @pytest.mark.parametrize(("pred_chunks", "true_chunks"), [(250, 250), (70, 130), (999, 7)])
    def test_arrays_equal_in_memory(self, pred_chunks: int, true_chunks: int) -> None:
        """Dask arrays, chunked alike or not, give the in-memory counts exactly."""
        predictions, labels = _data(1_000, 5, 1)
        expected = ConfusionMatrix().update(predictions, labels)
        got = ConfusionMatrix().update(
            da.from_array(predictions, pred_chunks), da.from_array(labels, true_chunks)
        )
        assert got == expected
        assert got.f1_score(average="macro") == expected.f1_score(average="macro")

    @pytest.mark.parametrize(("pred_parts", "true_parts"), [(4, 4), (7, 3)])
    def test_series_equal_in_memory(self, pred_parts: int, true_parts: int) -> None:
        """Dask Series of strings, partitioned alike or not, give the in-memory counts."""
        predictions, labels = _data(1_000, 4, 2)
        names = np.array(["cat", "dog", "bird", "fish"])
        expected = ConfusionMatrix().update(names[predictions], names[labels])
        got = ConfusionMatrix().update(
            dd.from_pandas(pd.Series(names[predictions]), npartitions=pred_parts),
            dd.from_pandas(pd.Series(names[labels]), npartitions=true_parts),
        )
        assert got == expected

    def test_series_beside_array(self) -> None:
        """A dask Series and a dask array are matched by position."""
        predictions, labels = _data(500, 3, 3)
        got = ConfusionMatrix().update(
            dd.from_pandas(pd.Series(predictions), npartitions=3), da.from_array(labels, 90)
        )
        assert got == ConfusionMatrix().update(predictions, labels)

    def test_unknown_chunk_sizes(self) -> None:
        """A dask array of unknown chunk sizes (after boolean indexing) is counted right."""
        predictions, labels = _data(600, 3, 4)
        keep = np.arange(600) % 3 != 0
        pred = da.from_array(predictions, 100)[da.from_array(keep, 100)]
        true = da.from_array(labels[keep], 150)
        assert np.isnan(pred.shape[0])
        assert ConfusionMatrix().update(pred, true) == ConfusionMatrix().update(
            predictions[keep], labels[keep]
        )

    def test_weighted(self) -> None:
        """Dask weights: weighted counts equal the in-memory ones to 1e-12 (float sums)."""
        predictions, labels = _data(1_200, 3, 9)
        weights = np.random.default_rng(9).random(1_200)
        expected = ConfusionMatrix().update(predictions, labels, sample_weight=weights)
        got = ConfusionMatrix().update(
            da.from_array(predictions, 200),
            da.from_array(labels, 300),
            sample_weight=da.from_array(weights, 500),
        )
        assert np.array_equal(got.classes, expected.classes)
        assert np.allclose(got.counts, expected.counts, rtol=0, atol=1e-12)
        assert got.f1_score(average="macro") == pytest.approx(
            expected.f1_score(average="macro"), abs=1e-12
        )

    def test_adds_to_the_existing_state(self) -> None:
        """A dask batch is added to what was counted before, like any batch."""
        predictions, labels = _data(400, 3, 5)
        cm = ConfusionMatrix().update(predictions[:100], labels[:100])
        cm.update(da.from_array(predictions[100:], 64), da.from_array(labels[100:], 64))
        assert cm == ConfusionMatrix().update(predictions, labels)

    def test_result_pickles(self) -> None:
        """The state merged from the workers pickles and round-trips."""
        predictions, labels = _data(300, 3, 6)
        cm = ConfusionMatrix().update(da.from_array(predictions, 50), da.from_array(labels, 50))
        assert pickle.loads(pickle.dumps(cm)) == cm

    def test_empty_arrays(self) -> None:
        """Empty dask arrays add nothing."""
        cm = ConfusionMatrix().update(
            da.from_array(np.array([], dtype=int), 5), da.from_array(np.array([], dtype=int), 5)
        )
        assert cm == ConfusionMatrix()


def _scored(n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, n)
    scores = np.clip(labels * 0.3 + rng.random(n) * 0.7, 0.0, 1.0).round(3)
    return scores, labels, rng.random(n)


@pytest.mark.usefixtures("client")
class TestScoreHistogram:
    @pytest.mark.parametrize("bins", [None, 64])
    def test_equals_in_memory(self, bins: int | None) -> None:
        """Dask scores and labels, chunked differently, give the in-memory histogram.

        Counts and the ranking scores are exact; the float loss sums are added
        in another order, so they agree to 1e-12 (as any merge of partial states).
        """
        scores, labels, _ = _scored(2_000, 7)
        expected = ScoreHistogram(bins, range=None if bins is None else (0.0, 1.0))
        expected.update(scores, labels)
        got = ScoreHistogram(bins, range=None if bins is None else (0.0, 1.0))
        got.update(da.from_array(scores, 300), da.from_array(labels, 450))
        assert got.total_weight == expected.total_weight
        assert got.roc_auc() == expected.roc_auc()
        assert got.average_precision() == expected.average_precision()
        for a, b in zip(got.roc_curve(), expected.roc_curve(), strict=True):
            assert np.array_equal(a, b)
        assert got.log_loss() == pytest.approx(expected.log_loss(), abs=1e-12)

    def test_weighted_series(self) -> None:
        """Dask Series with dask weights: the same counts; float loss sums to 1e-12."""
        scores, labels, weights = _scored(1_500, 8)
        expected = ScoreHistogram(positive_class=1).update(scores, labels, sample_weight=weights)
        got = ScoreHistogram(positive_class=1).update(
            dd.from_pandas(pd.Series(scores), npartitions=4),
            dd.from_pandas(pd.Series(labels), npartitions=4),
            sample_weight=dd.from_pandas(pd.Series(weights), npartitions=4),
        )
        assert got.roc_auc() == expected.roc_auc()
        assert got.average_precision() == expected.average_precision()
        assert got.log_loss() == pytest.approx(expected.log_loss(), abs=1e-12)
        assert got.brier_score() == pytest.approx(expected.brier_score(), abs=1e-12)

    def test_error_leaves_state_unchanged(self) -> None:
        """A NaN score in one partition raises our error; the histogram is unchanged."""
        hist = ScoreHistogram().update([0.2, 0.8], [0, 1])
        scores = np.array([0.1, 0.2, np.nan, 0.4])
        with pytest.raises(MetricsError, match=r"^ScoreHistogram\.update: "):
            hist.update(da.from_array(scores, 2), da.from_array(np.array([0, 1, 1, 0]), 2))
        assert hist == ScoreHistogram().update([0.2, 0.8], [0, 1])


@pytest.mark.usefixtures("client")
class TestErrors:
    def test_error_on_a_worker_leaves_state_unchanged(self) -> None:
        """A bad value in one partition raises our error and changes nothing."""
        cm = ConfusionMatrix().update([1, 0], [1, 1])
        predictions = np.array([1.0, 0.0, np.nan, 1.0])
        with pytest.raises(MissingLabelsError, match=r"^ConfusionMatrix\.update: predictions"):
            cm.update(da.from_array(predictions, 2), da.from_array(np.ones(4), 2))
        assert cm == ConfusionMatrix().update([1, 0], [1, 1])

    def test_length_mismatch(self) -> None:
        """Dask arrays of different lengths are refused before any work."""
        with pytest.raises(
            LengthMismatchError,
            match=r"^ConfusionMatrix\.update: predictions and labels must have the same "
            r"length, got 5 predictions and 4 labels$",
        ):
            ConfusionMatrix().update(da.ones(5, chunks=2), da.ones(4, chunks=2))

    def test_series_partitions_of_different_lengths(self) -> None:
        """Series zipped partition by partition must match in length; the error names it."""
        pred = dd.from_pandas(pd.Series([1, 0, 1, 1, 0, 1]), npartitions=2)
        true = dd.from_pandas(pd.Series([1, 0, 1, 1, 0]), npartitions=2)
        with pytest.raises(LengthMismatchError, match=r"partition \d holds \d predictions"):
            ConfusionMatrix().update(pred, true)

    def test_dask_beside_in_memory(self) -> None:
        """Mixing a dask collection with an in-memory list is a clear error."""
        with pytest.raises(
            InvalidInputTypeError, match=r"labels is a list beside a dask collection"
        ):
            ConfusionMatrix().update(da.ones(3, chunks=2), [1, 1, 1])

    def test_two_dimensional_array(self) -> None:
        """A 2-D dask array is refused with its shape."""
        with pytest.raises(InvalidShapeError, match=r"got a dask array of shape \(2, 2\)"):
            ConfusionMatrix().update(da.ones((2, 2)), da.ones((2, 2)))

    def test_dataframe(self) -> None:
        """A dask DataFrame is refused: pass one column."""
        frame = dd.from_pandas(pd.DataFrame({"a": [1, 0]}), npartitions=1)
        with pytest.raises(InvalidInputTypeError, match=r"got a dask DataFrame"):
            ConfusionMatrix().update(frame, frame)


class TestNoImport:
    def test_dask_is_not_imported_by_in_memory_use(self) -> None:
        """Using the accumulator on in-memory data never imports dask."""
        code = (
            "import sys; from ml_infra.metrics import ConfusionMatrix; "
            "ConfusionMatrix().update([1, 0], [1, 1]).f1_score(); "
            "assert not any(m == 'dask' or m.startswith('dask.') for m in sys.modules)"
        )
        subprocess.run([sys.executable, "-c", code], check=True)
