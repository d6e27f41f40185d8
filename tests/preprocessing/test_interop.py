"""Tensors, polars and Arrow columns and protocol objects in, the same kind out.

Every function gives a kind the values it gives the same data as an ndarray,
in the input's kind (tensor, polars Series with its name, Arrow array, ndarray
for a bare array-like), with nulls kept as nulls; refused cases raise the
package's errors. torch, polars and pyarrow are skipped per test when absent
(the floors run) and run everywhere else.
"""

from __future__ import annotations

import array
import math
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from ml_infra.preprocessing import (
    DataShapeError,
    DataTypeError,
    MinMaxScaler,
    MissingValueError,
    OutOfRangeError,
    QuantileSketch,
    StandardScaler,
    allow_host_copy,
    as_numpy,
    check_data_types,
    check_missing_values,
    clip_outliers,
    ensure_1d,
    normalize,
    standardize,
    validate_range,
)
from ml_infra.preprocessing._inputs import Column1D

from tests.array_likes import (
    ArrayLike,
    DLPackOnly,
    FakeCudaArray,
    arrow_array,
    chunked_array,
    polars_series,
)

VALUES = [3.0, 1.0, 4.0, 1.5, 9.0, 2.0, 6.0]
WITH_NULLS = [3.0, None, 4.0, 1.5, None, 2.0, 6.0]
NULLS = [1, 4]
TRANSFORMS: dict[str, Callable[..., Any]] = {
    "normalize": normalize,
    "standardize": standardize,
    "clip_outliers": lambda data, **kw: clip_outliers(data, 10, 90, **kw),
}


def torch_kind(values: list[Any], dtype: str = "float64") -> Any:
    torch = pytest.importorskip("torch")
    return torch.tensor([math.nan if v is None else v for v in values], dtype=getattr(torch, dtype))


def nan_for_none(values: list[Any]) -> list[float]:
    return [math.nan if v is None else v for v in values]


#: Every kind, built from a list of floats (None: a null, or NaN where there are no nulls).
KINDS: dict[str, Callable[[list[Any]], Any]] = {
    "tensor": torch_kind,
    "polars": polars_series,
    "arrow": arrow_array,
    "chunked_arrow": chunked_array,
    "array.array": lambda v: array.array("d", nan_for_none(v)),
    "memoryview": lambda v: memoryview(array.array("d", nan_for_none(v))),
    "__array__": lambda v: ArrayLike(nan_for_none(v)),
    "dlpack": lambda v: DLPackOnly(nan_for_none(v)),
}
NULLABLE = {"polars", "arrow", "chunked_arrow"}


def kind_of(result: Any) -> str:
    """The kind of a result, by its type's module and name."""
    module = type(result).__module__.partition(".")[0]
    if module == "torch":
        return "tensor"
    if module == "polars":
        return "polars"
    if module == "pyarrow":
        return "chunked_arrow" if type(result).__name__ == "ChunkedArray" else "arrow"
    return "ndarray" if isinstance(result, np.ndarray) else type(result).__name__


def values_of(result: Any) -> list[float]:
    """A result as floats, NaN for NaN and for nulls."""
    kind = kind_of(result)
    if kind in NULLABLE:
        items = result.to_list() if kind == "polars" else result.to_pylist()
        return [math.nan if v is None else v for v in items]
    return [float(v) for v in np.asarray(result).tolist()]


def nulls_of(result: Any) -> list[int]:
    """Positions of the nulls of a polars/Arrow result."""
    items = result.to_list() if kind_of(result) == "polars" else result.to_pylist()
    return [i for i, v in enumerate(items) if v is None]


def same(a: list[float], b: list[float]) -> bool:
    return all((math.isnan(x) and math.isnan(y)) or x == y for x, y in zip(a, b, strict=True))


class TestTransforms:
    @pytest.mark.parametrize("func", TRANSFORMS)
    @pytest.mark.parametrize("kind", KINDS)
    def test_same_values_in_the_input_kind(self, kind, func):
        """Each transform gives a kind the ndarray path's values, in the input's kind."""
        result = TRANSFORMS[func](KINDS[kind](VALUES))
        expected = TRANSFORMS[func](np.array(VALUES)).tolist()
        wanted = kind if kind in {"tensor", *NULLABLE} else "ndarray"
        assert kind_of(result) == wanted
        assert values_of(result) == expected

    @pytest.mark.parametrize("func", TRANSFORMS)
    @pytest.mark.parametrize("kind", KINDS)
    def test_missing_values_are_refused_by_default(self, kind, func):
        """Nulls and NaN are missing values: the error names their positions."""
        with pytest.raises(MissingValueError, match=r"2 missing values .* at positions \[1, 4\]"):
            TRANSFORMS[func](KINDS[kind](WITH_NULLS))

    @pytest.mark.parametrize("func", TRANSFORMS)
    @pytest.mark.parametrize("kind", KINDS)
    def test_omit_keeps_missing_values_missing(self, kind, func):
        """With nan_policy='omit' nulls stay nulls (NaN for kinds without nulls)."""
        result = TRANSFORMS[func](KINDS[kind](WITH_NULLS), nan_policy="omit")
        expected = TRANSFORMS[func](np.array(nan_for_none(WITH_NULLS)), nan_policy="omit")
        assert same(values_of(result), expected.tolist())
        if kind in NULLABLE:
            assert nulls_of(result) == NULLS

    def test_nan_and_null_stay_apart(self):
        """In Arrow and polars, a NaN stays NaN and a null stays null."""
        pa = pytest.importorskip("pyarrow")
        pl = pytest.importorskip("polars")
        values = [1.0, None, math.nan, 3.0]
        for data in (pa.array(values), pl.Series("x", values, nan_to_null=False)):
            result = normalize(data, nan_policy="omit")
            assert nulls_of(result) == [1]
            assert math.isnan(values_of(result)[2])

    def test_integer_nulls_keep_exact_values(self):
        """Integer Arrow/polars columns with nulls are read exactly (not through float)."""
        pa = pytest.importorskip("pyarrow")
        pl = pytest.importorskip("polars")
        big = [2**60, None, 2**60 + 1]
        for data in (pa.array(big), pl.Series("x", big)):
            assert ensure_1d(data).tolist() == big
            with pytest.raises(OutOfRangeError, match=r"2 of 3 values .* at positions \[1, 2\]"):
                validate_range(data, max_value=2**60)


class TestTensors:
    @pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
    def test_float_dtype_is_kept(self, dtype):
        """A float tensor gives a tensor of its dtype, on the CPU, without grad."""
        torch = pytest.importorskip("torch")
        data = torch_kind(VALUES, dtype).requires_grad_()
        result = normalize(data)
        assert result.dtype == getattr(torch, dtype)
        assert result.device.type == "cpu"
        assert not result.requires_grad

    def test_integer_tensor_gives_float64(self):
        """An integer tensor gives float64, as an integer ndarray does."""
        torch = pytest.importorskip("torch")
        assert standardize(torch.tensor([1, 2, 3])).dtype == torch.float64

    def test_input_is_read_in_place(self):
        """ensure_1d shares the tensor's memory (no copy), also when it requires grad."""
        torch = pytest.importorskip("torch")
        data = torch.arange(5.0, requires_grad=True)
        assert np.shares_memory(ensure_1d(data), data.detach().numpy())

    def test_input_is_not_modified(self):
        """An integer or float tensor is left as it was."""
        torch = pytest.importorskip("torch")
        data = torch.tensor([4.0, 1.0, 2.0])
        standardize(data)
        clip_outliers(data, 0, 50)
        assert data.tolist() == [4.0, 1.0, 2.0]

    def test_no_input_sized_copy(self):
        """normalize on a tensor allocates the result only, like the ndarray path."""
        torch = pytest.importorskip("torch")
        data = torch.from_numpy(np.random.default_rng(0).normal(size=500_000))
        normalize(data[:10])  # warm up
        peaks = []
        for source in (data, data.numpy()):
            tracemalloc.start()
            try:
                normalize(source)
                peaks.append(tracemalloc.get_traced_memory()[1])
            finally:
                tracemalloc.stop()
        nbytes = data.numpy().nbytes
        assert peaks[0] <= 1.1 * nbytes + 64_000  # the result, no copy of the input
        assert peaks[0] <= peaks[1] + 64_000

    def test_bool_tensor_is_not_numbers(self):
        """A bool tensor is refused where numbers are needed."""
        torch = pytest.importorskip("torch")
        with pytest.raises(DataTypeError, match="got booleans"):
            normalize(torch.tensor([True, False]))

    def test_two_dimensional_tensor_is_refused(self):
        """A 2-D tensor is refused, naming its shape."""
        torch = pytest.importorskip("torch")
        with pytest.raises(DataShapeError, match=r"data must be 1-D, got a 2-D Tensor of shape"):
            standardize(torch.zeros(2, 3))

    def test_bfloat16_is_refused_with_the_fix(self):
        """bfloat16 (which NumPy cannot hold) is refused, saying how to convert."""
        torch = pytest.importorskip("torch")
        with pytest.raises(DataTypeError, match=r"torch\.bfloat16.*data\.float\(\)"):
            normalize(torch.tensor([1.0, 2.0], dtype=torch.bfloat16))

    def test_result_goes_back_to_the_copied_tensors_device(self):
        """A tensor copied to the host (allow_host_copy) gives its result on its device."""
        torch = pytest.importorskip("torch")
        column = Column1D(np.zeros(2), "tensor", library=torch, device=torch.device("meta"))
        assert column.wrap(np.array([0.0, 1.0])).device.type == "meta"


class TestChecks:
    @pytest.mark.parametrize("kind", KINDS)
    def test_check_missing_values(self, kind):
        """Nulls and NaN are reported by position; a complete column reports none."""
        assert check_missing_values(KINDS[kind](WITH_NULLS)) == NULLS
        assert check_missing_values(KINDS[kind](VALUES)) == []

    @pytest.mark.parametrize("kind", KINDS)
    def test_validate_range_returns_the_input(self, kind):
        """Within range, the very input object comes back."""
        data = KINDS[kind](VALUES)
        assert validate_range(data, 0, 10) is data

    @pytest.mark.parametrize("kind", KINDS)
    def test_validate_range_reports_missing_and_outside(self, kind):
        """Values outside the range and missing ones fail, by position."""
        with pytest.raises(OutOfRangeError, match=r"3 of 7 .* at positions \[1, 4, 6\]"):
            validate_range(KINDS[kind](WITH_NULLS), 0, 5)

    @pytest.mark.parametrize("kind", KINDS)
    def test_check_data_types(self, kind):
        """Floats are real numbers; nulls (None) and NaN are not."""
        assert check_data_types(KINDS[kind](VALUES)).ok
        assert check_data_types(KINDS[kind](WITH_NULLS)).positions == tuple(NULLS)

    def test_nulls_count_as_none(self):
        """A null in an Arrow column is reported as NoneType, not as a number."""
        report = check_data_types(arrow_array([1, None, 3]))
        assert dict(report.counts) == {"int": 2, "NoneType": 1}

    @pytest.mark.parametrize("kind", ["polars", "arrow", "chunked_arrow"])
    def test_string_columns_are_not_numbers(self, kind):
        """A string column is refused by the transforms and reported by the checks."""
        data = KINDS[kind](["a", None])
        with pytest.raises(DataTypeError, match="real numbers"):
            normalize(data)
        assert check_missing_values(data) == [1]


class TestProtocols:
    def test_bare_array_like_gives_an_ndarray(self):
        """An object with only __array__ gives an ndarray (documented)."""
        assert isinstance(normalize(ArrayLike([1.0, 3.0])), np.ndarray)

    def test_object_array_like_is_checked_per_element(self):
        """An array-like of mixed objects is refused at the odd positions."""
        with pytest.raises(DataTypeError, match=r"at positions \[1\]"):
            normalize(ArrayLike([1.0, "x", 2.0], dtype=object))

    def test_int_memoryview_and_array(self):
        """Integer buffers (array.array('i'), a memoryview of it) are numbers."""
        data = array.array("i", [1, 2, 3])
        assert normalize(data).tolist() == normalize(memoryview(data)).tolist() == [0, 0.5, 1]

    def test_two_dimensional_memoryview_is_refused(self):
        """A 2-D buffer is refused as not 1-D."""
        data = memoryview(array.array("d", [1, 2, 3, 4])).cast("B").cast("d", (2, 2))
        with pytest.raises(DataShapeError, match="2-D"):
            normalize(data)

    def test_bytes_are_still_refused(self):
        """bytes and bytearray (buffers, but text-like) stay refused as not a sequence."""
        for data in (b"ab", bytearray(b"ab")):
            with pytest.raises(DataTypeError, match="must be a 1-D array-like"):
                normalize(data)

    def test_polars_frame_is_refused_by_the_transforms(self):
        """A polars DataFrame is 2-D for the 1-D transforms."""
        pl = pytest.importorskip("polars")
        with pytest.raises(DataShapeError, match=r"2-D DataFrame of shape \(2, 2\)"):
            normalize(pl.DataFrame({"a": [1.0, 2.0], "b": [3.0, 4.0]}))


class TestDevices:
    def test_accelerator_memory_is_refused_with_the_fix(self):
        """An array in GPU memory is refused, saying to call .cpu() or allow the copy."""
        with pytest.raises(DataTypeError) as info:
            normalize(FakeCudaArray([1.0, 2.0]))
        assert str(info.value) == (
            "normalize: data must be in CPU memory, got a FakeCudaArray on CUDA device 0; "
            "move it first with data.cpu(), or allow the copy with "
            "`with ml_infra.preprocessing.allow_host_copy():`"
        )

    def test_allow_host_copy(self):
        """Inside allow_host_copy() the array is copied to the host, and only there."""
        with allow_host_copy():
            assert normalize(FakeCudaArray([1.0, 3.0])).tolist() == [0.0, 1.0]
            assert check_missing_values(FakeCudaArray([1.0, math.nan])) == [1]
        with pytest.raises(DataTypeError, match="CPU memory"):
            normalize(FakeCudaArray([1.0, 3.0]))

    def test_host_copy_needs_a_way_to_copy(self):
        """An accelerator array without .cpu()/.get() is refused even inside the context."""

        class NoWayHome(FakeCudaArray):
            cpu = None  # type: ignore[assignment]

        with allow_host_copy(), pytest.raises(DataTypeError, match=r"no \.cpu\(\) or \.get\(\)"):
            normalize(NoWayHome([1.0, 3.0]))


class TestFittedOnOneColumn:
    @pytest.mark.parametrize("kind", KINDS)
    def test_fit_transform_gives_the_input_kind(self, kind):
        """A fitted scaler on 1-D data of a kind gives the ndarray values, in that kind."""
        result = StandardScaler().fit_transform(KINDS[kind](VALUES))
        expected = StandardScaler().fit_transform(np.array(VALUES)).tolist()
        assert kind_of(result) == (kind if kind in {"tensor", *NULLABLE} else "ndarray")
        assert values_of(result) == expected

    def test_nulls_stay_null_through_a_fitted_scaler(self):
        """With nan_policy='omit', an Arrow column's nulls are nulls in the output."""
        result = MinMaxScaler(nan_policy="omit").fit_transform(arrow_array(WITH_NULLS))
        assert nulls_of(result) == NULLS


class TestAsNumpy:
    def test_matrix_tensor_that_requires_grad_is_read_in_place(self):
        """as_numpy reads a 2-D tensor that requires grad without a copy."""
        torch = pytest.importorskip("torch")
        data = torch.ones(3, 2, requires_grad=True)
        arr = as_numpy(data)
        assert arr.shape == (3, 2)
        assert np.shares_memory(arr, data.detach().numpy())

    def test_lists_and_arrays(self):
        """Rows become a 2-D array; an ndarray comes back as is."""
        x = np.zeros((2, 2))
        assert as_numpy(x) is x
        assert as_numpy([[1, 2], [3, 4]]).tolist() == [[1, 2], [3, 4]]

    def test_ragged_rows_are_our_error(self):
        """Ragged rows are a DataTypeError naming the function and the argument."""
        with pytest.raises(DataTypeError, match=r"^log_loss: scores could not be read"):
            as_numpy([[1.0], [1.0, 2.0]], name="scores", func="log_loss")

    def test_accelerator_matrix_is_refused(self):
        """A matrix in GPU memory is refused unless inside allow_host_copy()."""
        with pytest.raises(DataTypeError, match="CPU memory"):
            as_numpy(FakeCudaArray([[1.0, 2.0]]))
        with allow_host_copy():
            assert as_numpy(FakeCudaArray([[1.0, 2.0]])).tolist() == [[1.0, 2.0]]


class TestGateAndSketch:
    @pytest.mark.parametrize("kind", KINDS)
    def test_ensure_1d_gives_the_values(self, kind):
        """ensure_1d gives every kind's values as a 1-D ndarray (NaN for float nulls)."""
        arr = ensure_1d(KINDS[kind](WITH_NULLS))
        assert isinstance(arr, np.ndarray)
        assert same(arr.tolist(), nan_for_none(WITH_NULLS))

    @pytest.mark.parametrize("kind", KINDS)
    def test_quantile_sketch_update(self, kind):
        """QuantileSketch.update takes every kind; nulls are missing values it can omit."""
        sketch = QuantileSketch().update(KINDS[kind](VALUES))
        assert sketch.quantile(0.5) == QuantileSketch().update(VALUES).quantile(0.5)
        with pytest.raises(MissingValueError, match=r"positions \[1, 4\]"):
            QuantileSketch().update(KINDS[kind](WITH_NULLS))
        assert QuantileSketch().update(KINDS[kind](WITH_NULLS), nan_policy="omit").n == 5
