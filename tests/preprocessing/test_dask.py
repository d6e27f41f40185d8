"""Tests of fitting on, and transforming, Dask collections on a real cluster (issue 10).

One ``LocalCluster`` with two worker processes serves the whole module.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

distributed = pytest.importorskip("distributed")
da = pytest.importorskip("dask.array")
dd = pytest.importorskip("dask.dataframe")
key_split = pytest.importorskip("dask.utils").key_split

from ml_infra.preprocessing import (  # noqa: E402
    DataShapeError,
    MinMaxScaler,
    NotFittedError,
    OutlierClipper,
    StandardScaler,
    StateError,
)

from tests.fresh_process import imported_by  # noqa: E402

TOL = {"rtol": 1e-12, "atol": 1e-12}


@pytest.fixture(scope="module")
def client():
    """A real dask.distributed cluster: 2 worker processes, one thread each."""
    with (
        distributed.LocalCluster(
            n_workers=2,
            processes=True,
            threads_per_worker=1,
            dashboard_address=":0",  # any free port: other clusters may hold 8787
            silence_logs=50,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def table(n: int = 20_000, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "a": rng.standard_normal(n) * 1e3 + 5e6,
            "b": rng.exponential(2.0, n),
            "c": rng.integers(-50, 50, n).astype(float),
        }
    )


def fit_tasks(client, fit) -> set[str]:
    """Run ``fit`` and return the worker addresses that ran partition fits."""
    with distributed.get_task_stream(client) as stream:
        fit()
    return {t["worker"] for t in stream.data if key_split(t["key"]) == "fit_part"}


class TestScalers:
    @pytest.mark.parametrize("ddof", [0, 1])
    def test_standard_scaler_on_a_dask_array(self, client, ddof):
        """Blocks (split across rows and columns) fitted on the workers equal the in-memory fit."""
        x = table().to_numpy()
        dx = da.from_array(x, chunks=(3000, 2))
        scaler = StandardScaler(ddof=ddof)
        workers = fit_tasks(client, lambda: scaler.fit(dx))
        assert workers  # the partitions were fitted on the cluster
        expected = StandardScaler(ddof=ddof).fit(x)
        np.testing.assert_allclose(scaler.mean_, expected.mean_, **TOL)
        np.testing.assert_allclose(scaler.scale_, expected.scale_, **TOL)
        assert scaler.n_samples_seen_ == x.shape[0]
        lazy = scaler.transform(dx)
        assert isinstance(lazy, da.Array)
        np.testing.assert_allclose(lazy.compute(), expected.transform(x), **TOL)
        back = scaler.inverse_transform(lazy)
        assert isinstance(back, da.Array)
        np.testing.assert_allclose(back.compute(), x, rtol=1e-12)

    def test_min_max_scaler_on_a_dask_dataframe(self, client):
        """Partitions of a dask DataFrame fit like the pandas frame; transform stays lazy."""
        df = table(seed=1)
        ddf = dd.from_pandas(df, npartitions=5)
        scaler = MinMaxScaler(feature_range=(-1, 1)).fit(ddf)
        expected = MinMaxScaler(feature_range=(-1, 1)).fit(df)
        np.testing.assert_array_equal(scaler.data_min_, expected.data_min_)
        np.testing.assert_array_equal(scaler.data_max_, expected.data_max_)
        assert list(scaler.feature_names_in_) == ["a", "b", "c"]
        lazy = scaler.transform(ddf)
        assert isinstance(lazy, dd.DataFrame)
        result = lazy.compute()
        pd.testing.assert_frame_equal(result, expected.transform(df), rtol=1e-12, atol=1e-12)

    def test_columns_and_dask_series(self, client):
        """columns= picks DataFrame columns; a dask Series is one column."""
        df = table(seed=2)
        ddf = dd.from_pandas(df, npartitions=3)
        scaler = StandardScaler(columns=["b"]).fit(ddf)
        np.testing.assert_allclose(scaler.mean_, [df["b"].mean()], **TOL)
        out = scaler.transform(ddf).compute()
        pd.testing.assert_series_equal(out["a"], df["a"])  # passed through
        series = StandardScaler().fit(ddf["c"])
        np.testing.assert_allclose(series.mean_, [df["c"].mean()], **TOL)
        assert isinstance(series.transform(ddf["c"]), dd.Series)

    def test_fit_transform_and_partial_fit(self, client):
        """fit_transform fits now and returns a lazy result; partial_fit adds partitions."""
        df = table(seed=3)
        first, second = dd.from_pandas(df[:7000], npartitions=2), dd.from_pandas(df[7000:], 3)
        lazy = StandardScaler().fit_transform(first)
        assert isinstance(lazy, dd.DataFrame)
        scaler = StandardScaler().partial_fit(first).partial_fit(second)
        np.testing.assert_allclose(scaler.mean_, StandardScaler().fit(df).mean_, **TOL)

    def test_empty_partitions_are_skipped(self, client):
        """Partitions left empty by a filter add nothing; an empty collection is an error."""
        df = table(seed=4)
        ddf = dd.from_pandas(df, npartitions=4)
        kept = ddf.map_partitions(lambda p: p[p.index < 6000])  # later partitions are empty
        scaler = MinMaxScaler().fit(kept)
        np.testing.assert_array_equal(scaler.data_max_, MinMaxScaler().fit(df[:6000]).data_max_)
        with pytest.raises(ValueError, match="has no rows to fit on"):
            MinMaxScaler().fit(ddf.map_partitions(lambda p: p[p.index < 0]))


class TestSketchClipper:
    def test_equals_the_in_memory_fit(self, client):
        """Below sketch_k values per column the partition sketches merge to the exact percentiles."""
        df = table(1500, seed=5)
        ddf = dd.from_pandas(df, npartitions=4)
        clipper = OutlierClipper(2, 98, method="sketch").fit(ddf)
        expected = OutlierClipper(2, 98, method="sketch").fit(df)
        np.testing.assert_allclose(clipper.lower_, expected.lower_, **TOL)
        np.testing.assert_allclose(clipper.upper_, expected.upper_, **TOL)
        np.testing.assert_array_equal(clipper.upper_, OutlierClipper(2, 98).fit(df).upper_)
        pd.testing.assert_frame_equal(clipper.transform(ddf).compute(), expected.transform(df))

    def test_large_data_merges_like_parts_in_memory(self, client):
        """Beyond sketch_k: bit-identical to summing in-memory fits of the same partitions."""
        x = table(40_000, seed=6).to_numpy()
        dx = da.from_array(x, chunks=(5000, 3))
        clipper = OutlierClipper(1, 99, method="sketch", sketch_k=256).fit(dx)
        parts = [
            OutlierClipper(1, 99, method="sketch", sketch_k=256).fit(x[i : i + 5000])
            for i in range(0, 40_000, 5000)
        ]
        assert clipper.to_json() == sum(parts).to_json()
        errors = clipper.max_rank_error_
        t = 0.99 * (40_000 - 1)
        exact = np.sort(x, axis=0)
        for j in range(3):
            low = exact[int(np.floor(t)) - errors[j], j]
            high = exact[min(39_999, int(np.ceil(t)) + errors[j]), j]
            assert low <= clipper.upper_[j] <= high

    def test_exact_percentiles_refuse_dask(self, client):
        """An exact OutlierClipper cannot fit partitions: the error points to method='sketch'."""
        ddf = dd.from_pandas(table(100), npartitions=2)
        with pytest.raises(
            StateError, match=r"^OutlierClipper\.fit: exact percentiles .* method='sketch'"
        ):
            OutlierClipper().fit(ddf)


class TestErrors:
    def test_wrong_columns_fail_at_once(self, client):
        """A dask table with other columns than fitted fails when transform is called."""
        scaler = StandardScaler().fit(table(100))
        other = dd.from_pandas(table(100).rename(columns={"a": "z"}), npartitions=2)
        with pytest.raises(DataShapeError, match="missing columns \\['a'\\]"):
            scaler.transform(other)
        with pytest.raises(DataShapeError):
            StandardScaler().fit(table(100).to_numpy()).transform(da.zeros((10, 2), chunks=5))

    def test_not_fitted(self, client):
        """Transforming a dask collection before fitting is a NotFittedError."""
        with pytest.raises(NotFittedError):
            StandardScaler().transform(da.zeros((4, 2), chunks=2))

    def test_dask_is_never_imported_otherwise(self):
        """Fitting and transforming in-memory data imports no dask module."""
        code = (
            "import numpy as np\n"
            "from ml_infra.preprocessing import StandardScaler, OutlierClipper\n"
            "x = np.random.default_rng(0).standard_normal((50, 2))\n"
            "StandardScaler().fit_transform(x); OutlierClipper(method='sketch').fit(x).transform(x)\n"
        )
        assert imported_by(code, ["dask", "distributed"]) == []
