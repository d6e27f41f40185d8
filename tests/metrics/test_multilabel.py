"""Multilabel indicator input: scikit-learn's values for every average, and clear errors."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ml_infra.metrics import (
    InvalidInputTypeError,
    InvalidParameterError,
    InvalidShapeError,
    LengthMismatchError,
    accuracy,
    classification_report,
    f1_score,
    fbeta_score,
    multilabel_confusion_matrix,
    precision,
    recall,
)
from sklearn import metrics as skm

Indicators = st.SearchStrategy[tuple[list[list[int]], list[list[int]]]]
ZERO_DIVISIONS = [0.0, 1.0, math.nan]
FUNCS: dict[str, tuple[Any, Any]] = {
    "precision": (precision, skm.precision_score),
    "recall": (recall, skm.recall_score),
    "f1": (f1_score, skm.f1_score),
    "f2": (
        lambda *a, **k: fbeta_score(*a, beta=2, **k),
        lambda *a, **k: skm.fbeta_score(*a, beta=2, **k),
    ),
}


def draw_weights(data: st.DataObject, n: int) -> list[float] | None:
    """No weights, or n non-negative weights with at least one positive."""
    if data.draw(st.booleans()):
        return None
    weights = data.draw(st.lists(st.floats(0, 5), min_size=n, max_size=n))
    weights[0] += 1.0
    return weights


class TestAgainstSklearn:
    @settings(max_examples=80)
    @given(
        st.data(),
        st.sampled_from(["micro", "macro", "weighted", "samples", None]),
        st.sampled_from(ZERO_DIVISIONS),
    )
    def test_scores_match(
        self,
        same: Any,
        sklearn: Any,
        indicator_pairs: Indicators,
        data: st.DataObject,
        average: str | None,
        zero_division: float,
    ) -> None:
        """Precision, recall, F1, F-beta equal sklearn's for every average, weights and classes."""
        predictions, labels = data.draw(indicator_pairs)
        weights = draw_weights(data, len(labels))
        k = len(labels[0])
        chosen = data.draw(
            st.none() | st.lists(st.integers(0, k - 1), min_size=1, max_size=k, unique=True)
        )
        for name, (ours_func, theirs_func) in FUNCS.items():
            kwargs = {"average": average, "zero_division": zero_division, "sample_weight": weights}
            ours = ours_func(predictions, labels, classes=chosen, **kwargs)
            theirs = sklearn(theirs_func, predictions, labels, labels=chosen, **kwargs)
            if average is None:
                assert list(ours) == (chosen or list(range(k)))
                assert all(same(o, t) for o, t in zip(ours.values(), theirs, strict=True)), name
            else:
                assert same(ours, theirs), (name, ours, theirs)

    @settings(max_examples=60)
    @given(st.data())
    def test_accuracy_matrix_and_report_match(
        self, same: Any, sklearn: Any, indicator_pairs: Indicators, data: st.DataObject
    ) -> None:
        """Subset accuracy, the per-label 2x2 tables and the report equal sklearn's."""
        predictions, labels = data.draw(indicator_pairs)
        weights = draw_weights(data, len(labels))
        assert same(
            accuracy(predictions, labels, sample_weight=weights),
            sklearn(skm.accuracy_score, predictions, labels, sample_weight=weights),
        )
        classes, tables = multilabel_confusion_matrix(predictions, labels, sample_weight=weights)
        expected = sklearn(
            skm.multilabel_confusion_matrix, predictions, labels, sample_weight=weights
        )
        assert classes.tolist() == list(range(len(labels[0])))
        np.testing.assert_allclose(tables, expected, rtol=1e-12, atol=1e-12)
        ours = classification_report(predictions, labels, sample_weight=weights).to_dict()
        theirs = sklearn(
            skm.classification_report, predictions, labels, sample_weight=weights, output_dict=True
        )
        assert list(ours) == list(theirs)
        for key, row in theirs.items():
            assert all(same(ours[key][h], v) for h, v in row.items()), key

    def test_zero_weight_sample_in_samples_average(self, sklearn: Any) -> None:
        """A sample of weight zero scores zero_division in average='samples', as in sklearn."""
        pred, true = [[0, 0], [0, 0]], [[0, 0], [0, 1]]
        for zero_division in (0.0, 1.0):
            kwargs = {"average": "samples", "zero_division": zero_division}
            ours = recall(pred, true, sample_weight=[1.0, 0.0], **kwargs)
            theirs = sklearn(skm.recall_score, pred, true, sample_weight=[1.0, 0.0], **kwargs)
            assert ours == theirs
        nan = recall(pred, true, average="samples", zero_division=math.nan, sample_weight=[1, 0])
        assert math.isnan(nan)

    def test_report_text(self) -> None:
        """str(report) of indicators is sklearn's table, micro and samples avg included."""
        pred, true = [[1, 0, 1], [0, 1, 0], [1, 1, 0]], [[1, 0, 0], [0, 1, 1], [1, 0, 0]]
        report = classification_report(pred, true, names=["a", "b", "c"])
        assert report.accuracy is None
        assert str(report) == skm.classification_report(
            np.array(true), np.array(pred), target_names=["a", "b", "c"], zero_division=0.0
        )

    def test_multiclass_multilabel_confusion_matrix(self) -> None:
        """1-D labels give one one-vs-rest table per class, as sklearn's."""
        pred, true = ["a", "b", "b", "c"], ["a", "a", "b", "c"]
        classes, tables = multilabel_confusion_matrix(pred, true, classes=["c", "a", "z"])
        assert classes.tolist() == ["c", "a", "z"]
        expected = skm.multilabel_confusion_matrix(true, pred, labels=["c", "a", "z"])
        assert tables.tolist() == expected.tolist()

    def test_arrays_and_bools(self) -> None:
        """Bool and int ndarrays and tuples of rows give the list-of-lists values."""
        pred, true = [[1, 0], [1, 1]], [[1, 0], [0, 1]]
        expected = f1_score(pred, true, average="macro")
        assert f1_score(np.array(pred, dtype=bool), np.array(true), average="macro") == expected
        assert f1_score(tuple(map(tuple, pred)), true, average="macro") == expected


class TestErrors:
    def test_mixed_kinds(self) -> None:
        """2-D indicators beside 1-D labels raise InvalidShapeError naming the 2-D one."""
        with pytest.raises(InvalidShapeError, match="labels must be 1-D"):
            f1_score([1, 0], [[1, 0], [0, 1]], average="micro")

    def test_non_binary_values(self) -> None:
        """Values other than 0 and 1 are refused, with their position."""
        with pytest.raises(InvalidInputTypeError, match=r"got 2 at row 1, column 0"):
            precision([[1, 0], [2, 0]], [[1, 0], [1, 0]], average="micro")
        with pytest.raises(InvalidInputTypeError, match="dtype <U1"):
            precision([["a", "b"]], [[1, 0]], average="micro")
        with pytest.raises(InvalidInputTypeError, match="nan"):
            accuracy(np.array([[0.0, np.nan]]), [[0, 1]])

    def test_shapes(self) -> None:
        """Ragged rows, one column, different widths or lengths are clear errors."""
        with pytest.raises(InvalidShapeError, match="rows of equal length"):
            accuracy([[1, 0], [1]], [[1, 0], [1, 0]])
        with pytest.raises(InvalidShapeError, match="at least 2 columns"):
            accuracy([[1], [0]], [[1], [0]])
        with pytest.raises(InvalidShapeError, match="same number of labels"):
            accuracy([[1, 0]], [[1, 0, 0]])
        with pytest.raises(LengthMismatchError, match="2 predictions and 1 labels"):
            accuracy([[1, 0], [0, 1]], [[1, 0]])

    def test_averages_and_classes(self) -> None:
        """binary is refused for indicators, samples for 1-D labels; classes are column indices."""
        with pytest.raises(InvalidParameterError, match="average='binary' scores one class"):
            f1_score([[1, 0]], [[1, 0]])
        with pytest.raises(InvalidParameterError, match="average='samples' averages"):
            f1_score([1, 0], [1, 1], average="samples")
        with pytest.raises(InvalidParameterError, match="column indices from 0 to 1"):
            f1_score([[1, 0]], [[1, 0]], average="macro", classes=[2])
