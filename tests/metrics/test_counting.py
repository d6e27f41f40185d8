"""The counting core: dense and sort-based encodings agree on every label layout."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from ml_infra.metrics import confusion_matrix, f1_score
from sklearn import metrics as skm

INT_DTYPES = [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64]


def reference(predictions: np.ndarray, labels: np.ndarray) -> tuple[list[object], np.ndarray]:
    """Classes and counts computed the slow, obvious way."""
    classes = sorted(set(predictions.tolist()) | set(labels.tolist()))
    index = {c: i for i, c in enumerate(classes)}
    counts = np.zeros((len(classes), len(classes)), dtype=np.int64)
    for p, t in zip(predictions.tolist(), labels.tolist(), strict=True):
        counts[index[t], index[p]] += 1
    return classes, counts


class TestIntegerEncodings:
    @given(st.data(), st.sampled_from(INT_DTYPES))
    def test_every_integer_dtype_and_range(self, data: st.DataObject, dtype: type) -> None:
        """Any integer dtype, including extremes and negatives, counts like the reference."""
        info = np.iinfo(dtype)
        values = st.one_of(
            st.integers(max(info.min, -3), min(info.max, 3)),
            st.sampled_from([int(info.min), int(info.max)]),
        )
        n = data.draw(st.integers(1, 30))
        predictions = data.draw(hnp.arrays(dtype, n, elements=values))
        labels = data.draw(hnp.arrays(dtype, n, elements=values))
        classes, counts = confusion_matrix(predictions, labels)
        expected_classes, expected_counts = reference(predictions, labels)
        assert classes.tolist() == expected_classes
        np.testing.assert_array_equal(counts, expected_counts)

    def test_mixed_integer_dtypes(self) -> None:
        """int8 predictions against uint64 labels count correctly."""
        classes, counts = confusion_matrix(
            np.array([-1, 5], dtype=np.int8), np.array([5, 5], dtype=np.uint64)
        )
        assert classes.tolist() == [-1, 5]
        assert counts.tolist() == [[0, 0], [1, 1]]

    def test_small_uint64_values_use_the_dense_path(self) -> None:
        """uint64 labels within int64 range count like any integers."""
        values = np.array([3, 1, 1], dtype=np.uint64)
        classes, counts = confusion_matrix(values, values[::-1].copy())
        assert classes.dtype == np.uint64
        assert classes.tolist() == [1, 3]
        assert counts.tolist() == [[1, 1], [1, 0]]

    def test_int_against_float(self) -> None:
        """Int predictions against integer-valued float labels share float classes."""
        classes, counts = confusion_matrix([1, 2], [2.0, 2.0])
        assert classes.tolist() == [1.0, 2.0]
        assert counts.tolist() == [[0, 0], [1, 1]]

    def test_bool_against_int(self) -> None:
        """Bool predictions against 0/1 int labels compare as numbers."""
        assert f1_score(np.array([True, False]), np.array([1, 1])) == 2 / 3
        for predictions, labels in (([True, False], [1, 1]), ([1, 0], [True, True])):
            classes, counts = confusion_matrix(np.array(predictions), np.array(labels))
            assert classes.tolist() == [0, 1]
            assert counts.tolist() == [[0, 0], [1, 1]]

    def test_bools_take_the_other_integer_type(self) -> None:
        """Bools against uint64 (or int8) count in that type: 2**63 and 2**63 + 1 stay apart."""
        labels = np.array([2**63, 2**63 + 1, 1], dtype=np.uint64)
        classes, counts = confusion_matrix(np.array([True, False, True]), labels)
        assert classes.dtype == np.uint64
        assert classes.tolist() == [0, 1, 2**63, 2**63 + 1]
        assert counts.tolist() == [[0, 0, 0, 0], [0, 1, 0, 0], [0, 1, 0, 0], [1, 0, 0, 0]]
        small = confusion_matrix(np.array([3, 1], dtype=np.int8), np.array([True, True]))
        assert small.classes.dtype == np.int8

    def test_wide_sparse_range_uses_the_sorted_path(self) -> None:
        """Labels {0, 10**15} do not allocate a dense table and still count right."""
        classes, counts = confusion_matrix([0, 10**15], [10**15, 10**15])
        assert classes.tolist() == [0, 10**15]
        assert counts.tolist() == [[0, 0], [1, 1]]


class TestSortedEncoding:
    @pytest.mark.parametrize("late", [0, 4096, 9_999])
    def test_classes_missing_from_the_sample_are_found(self, late: int) -> None:
        """A class that first appears after the prefix sample is counted (strings, n > sample)."""
        rng = np.random.default_rng(late)
        labels = rng.choice(np.array(["a", "b", "c"]), 10_000)
        predictions = labels.astype("U8")
        predictions[late] = "zz-late"
        classes, counts = confusion_matrix(predictions, labels)
        expected = skm.confusion_matrix(labels, predictions)
        assert "zz-late" in classes.tolist()
        np.testing.assert_array_equal(counts, expected)

    def test_all_distinct_strings(self) -> None:
        """10k distinct strings (the sample guess misses almost all) still count exactly."""
        labels = np.array([f"s{i:05d}" for i in range(10_000)])
        predictions = labels[::-1].copy()
        classes, counts = confusion_matrix(predictions, labels)
        assert classes.shape == (10_000,)
        assert int(np.trace(counts)) == 0
        assert int(counts.sum()) == 10_000

    def test_float_labels(self) -> None:
        """Integer-valued float labels keep their float classes, like sklearn."""
        classes, counts = confusion_matrix([1.0, 2.0, 2.0], [2.0, 2.0, 1.0])
        assert classes.dtype.kind == "f"
        np.testing.assert_array_equal(
            counts, skm.confusion_matrix([2.0, 2.0, 1.0], [1.0, 2.0, 2.0])
        )
