"""confusion_matrix: sklearn's layout and values, with the classes alongside."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from ml_infra.metrics import (
    InvalidParameterError,
    MixedLabelTypesError,
    confusion_matrix,
)
from sklearn import metrics as skm
from sklearn.utils.multiclass import unique_labels

Pairs = st.SearchStrategy[tuple[list[Any], list[Any]]]


def sklearn_confusion(predictions: Any, truth: Any, **kwargs: Any) -> Any:
    """sklearn's confusion_matrix in its (y_true, y_pred) order, its single-class warning silenced."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return skm.confusion_matrix(truth, predictions, **kwargs)


class TestAgainstSklearn:
    @given(st.data(), st.sampled_from([None, "true", "pred", "all"]))
    def test_matrix_matches(self, label_pairs: Pairs, data: st.DataObject, normalize: Any) -> None:
        """Same classes (sorted, present in either array) and the same matrix as sklearn."""
        predictions, labels = data.draw(label_pairs)
        classes, matrix = confusion_matrix(predictions, labels, normalize=normalize)
        expected = sklearn_confusion(predictions, labels, normalize=normalize)
        assert classes.tolist() == unique_labels(labels, predictions).tolist()
        np.testing.assert_allclose(matrix, expected, rtol=0, atol=1e-12)
        if normalize is None:
            assert matrix.dtype == np.int64

    @given(st.data())
    def test_explicit_classes_match(self, label_pairs: Pairs, data: st.DataObject) -> None:
        """classes= picks and orders rows/columns; other samples are left out, as sklearn's labels=."""
        predictions, labels = data.draw(label_pairs)
        present = sorted(set(predictions) | set(labels))
        chosen = data.draw(st.lists(st.sampled_from(present), min_size=1, unique=True))
        if not set(chosen) & set(labels):
            with pytest.raises(InvalidParameterError, match="occurs in labels"):
                confusion_matrix(predictions, labels, classes=chosen)
            return
        classes, matrix = confusion_matrix(predictions, labels, classes=chosen)
        assert classes.tolist() == chosen
        np.testing.assert_array_equal(matrix, sklearn_confusion(predictions, labels, labels=chosen))


class TestBehaviour:
    def test_layout_rows_true_columns_predicted(self) -> None:
        """matrix[i, j] counts samples of true class i predicted as class j."""
        classes, matrix = confusion_matrix(predictions=["b", "b", "a"], labels=["a", "b", "a"])
        assert classes.tolist() == ["a", "b"]
        assert matrix.tolist() == [[1, 1], [0, 1]]

    def test_result_is_a_named_pair(self) -> None:
        """The result unpacks as (classes, matrix) and also has named fields."""
        result = confusion_matrix([0, 1], [0, 1])
        assert result.classes.tolist() == [0, 1]
        assert result.matrix.tolist() == [[1, 0], [0, 1]]

    def test_empty_input(self) -> None:
        """Empty input gives no classes and a 0x0 matrix."""
        classes, matrix = confusion_matrix([], [])
        assert classes.shape == (0,)
        assert matrix.shape == (0, 0)

    def test_empty_input_with_classes(self) -> None:
        """Empty input with classes= gives a zero matrix of that size."""
        assert confusion_matrix([], [], classes=["x", "y"]).matrix.tolist() == [[0, 0], [0, 0]]

    def test_normalize_zero_rows_stay_zero(self) -> None:
        """A class never true has a zero row under normalize='true' (no NaN)."""
        _, matrix = confusion_matrix([0, 1], [0, 0], normalize="true")
        assert matrix.tolist() == [[0.5, 0.5], [0.0, 0.0]]

    @pytest.mark.parametrize("normalize", ["rows", "", True])
    def test_bad_normalize(self, normalize: object) -> None:
        """An unknown normalize raises InvalidParameterError."""
        with pytest.raises(InvalidParameterError, match="normalize must be"):
            confusion_matrix([0], [0], normalize=normalize)  # type: ignore[arg-type]

    def test_uint64_classes_for_int64_labels(self) -> None:
        """classes= of uint64 against int64 labels matches exactly (2**62 vs 2**62 + 1)."""
        values = np.array([2**62 + 1, 5])
        classes = np.array([2**62, 2**62 + 1], dtype=np.uint64)
        result = confusion_matrix(values, values, classes=classes)
        assert result.classes.tolist() == [2**62, 2**62 + 1]
        assert result.matrix.tolist() == [[0, 0], [0, 1]]

    def test_bad_classes(self) -> None:
        """classes must be non-empty, distinct and of the labels' type."""
        with pytest.raises(InvalidParameterError, match="at least one"):
            confusion_matrix([0], [0], classes=[])
        with pytest.raises(InvalidParameterError, match="distinct"):
            confusion_matrix([0], [0], classes=[0, 0])
        with pytest.raises(MixedLabelTypesError, match="classes"):
            confusion_matrix([0], [0], classes=["0"])
