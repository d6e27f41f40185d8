"""Hand-written array protocol objects for the interop tests of metrics and preprocessing.

Each speaks exactly one protocol, so a test shows the gate asks the object,
not a list of known types.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

__all__ = [
    "ArrayLike",
    "DLPackOnly",
    "FakeCudaArray",
    "arrow_array",
    "chunked_array",
    "polars_series",
]


class ArrayLike:
    """Only the bare ``__array__`` protocol (no sequence methods, no DLPack)."""

    def __init__(self, values: list[Any], dtype: Any = None) -> None:
        self._values = np.asarray(values, dtype=dtype)

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return self._values if dtype is None else self._values.astype(dtype)


class DLPackOnly:
    """Only ``__dlpack__``/``__dlpack_device__`` (no ``__array__``), in CPU memory."""

    def __init__(self, values: list[Any], dtype: Any = None) -> None:
        self._values = np.asarray(values, dtype=dtype)

    def __dlpack__(self, stream: Any = None) -> Any:
        return self._values.__dlpack__()

    def __dlpack_device__(self) -> tuple[int, int]:
        return (1, 0)


class FakeCudaArray(DLPackOnly):
    """Claims CUDA memory (DLPack device type 2, id 0) like a GPU tensor; ``.cpu()`` copies.

    ``moved`` counts the copies to the host.
    """

    def __init__(self, values: list[Any], dtype: Any = None) -> None:
        super().__init__(values, dtype)
        self.moved = 0

    def __dlpack_device__(self) -> tuple[int, int]:
        return (2, 0)

    def cpu(self) -> DLPackOnly:
        self.moved += 1
        return DLPackOnly(self._values.tolist(), self._values.dtype)


def polars_series(values: list[Any], name: str = "x") -> Any:
    """A polars Series (None: null); skips the test without polars."""
    pl = pytest.importorskip("polars")
    return pl.Series(name, values)


def arrow_array(values: list[Any]) -> Any:
    """A pyarrow Array (None: null); skips the test without pyarrow."""
    pa = pytest.importorskip("pyarrow")
    return pa.array(values)


def chunked_array(values: list[Any]) -> Any:
    """A pyarrow ChunkedArray of two chunks; skips the test without pyarrow."""
    pa = pytest.importorskip("pyarrow")
    whole = pa.array(values)  # one type for both chunks
    half = len(values) // 2
    return pa.chunked_array([whole[:half], whole[half:]])
