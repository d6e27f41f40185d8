"""sample_weight: exact agreement with scikit-learn, and clear errors for bad weights."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ml_infra.metrics import (
    ConfusionMatrix,
    InvalidInputTypeError,
    InvalidShapeError,
    InvalidWeightsError,
    LengthMismatchError,
    MetricsError,
    accuracy,
    classification_report,
    confusion_matrix,
    f1_score,
    fbeta_score,
    precision,
    recall,
)
from sklearn import metrics as skm

Weighted = st.SearchStrategy[tuple[list[Any], list[Any], list[float]]]
ZERO_DIVISIONS = [0.0, 1.0, math.nan]
OURS: dict[str, Any] = {
    "precision": precision,
    "recall": recall,
    "f1_score": f1_score,
    "fbeta_score": lambda *a, **k: fbeta_score(*a, beta=0.5, **k),
}
THEIRS: dict[str, Any] = {
    "precision": skm.precision_score,
    "recall": skm.recall_score,
    "f1_score": skm.f1_score,
    "fbeta_score": lambda *a, **k: skm.fbeta_score(*a, beta=0.5, **k),
}


class TestAgainstSklearn:
    @settings(max_examples=60)
    @given(
        st.data(),
        st.sampled_from(["micro", "macro", "weighted"]),
        st.sampled_from(ZERO_DIVISIONS),
    )
    def test_averaged_scores_match(
        self,
        same: Any,
        sklearn: Any,
        weighted_pairs: Weighted,
        data: st.DataObject,
        average: str,
        zero_division: float,
    ) -> None:
        """Weighted micro/macro/weighted precision, recall, F1 and F-beta equal sklearn's."""
        predictions, labels, weights = data.draw(weighted_pairs)
        for metric, func in OURS.items():
            ours = func(
                predictions,
                labels,
                average=average,
                zero_division=zero_division,
                sample_weight=weights,
            )
            theirs = sklearn(
                THEIRS[metric],
                predictions,
                labels,
                average=average,
                zero_division=zero_division,
                sample_weight=weights,
            )
            assert same(ours, theirs), (metric, ours, theirs)

    @settings(max_examples=60)
    @given(st.data(), st.sampled_from(ZERO_DIVISIONS))
    def test_binary_and_per_class_match(
        self,
        same: Any,
        sklearn: Any,
        weighted_pairs: Weighted,
        data: st.DataObject,
        zero_division: float,
    ) -> None:
        """Weighted one-vs-rest and per-class scores equal sklearn's with labels=[class]."""
        predictions, labels, weights = data.draw(weighted_pairs)
        positive = data.draw(st.sampled_from(sorted(set(predictions) | set(labels))))
        for metric, func in OURS.items():
            kwargs: dict[str, Any] = {"zero_division": zero_division, "sample_weight": weights}
            theirs = sklearn(
                THEIRS[metric], predictions, labels, labels=[positive], average=None, **kwargs
            )
            assert same(func(predictions, labels, positive, **kwargs), theirs[0])
            per_class = func(predictions, labels, average=None, **kwargs)
            all_theirs = sklearn(THEIRS[metric], predictions, labels, average=None, **kwargs)
            assert all(same(o, t) for o, t in zip(per_class.values(), all_theirs, strict=True))

    @settings(max_examples=60)
    @given(st.data())
    def test_accuracy_confusion_matrix_and_report_match(
        self, same: Any, sklearn: Any, weighted_pairs: Weighted, data: st.DataObject
    ) -> None:
        """Weighted accuracy, confusion matrix (float64) and report equal sklearn's."""
        predictions, labels, weights = data.draw(weighted_pairs)
        assert same(
            accuracy(predictions, labels, sample_weight=weights),
            sklearn(skm.accuracy_score, predictions, labels, sample_weight=weights),
        )
        _, matrix = confusion_matrix(predictions, labels, sample_weight=weights)
        assert matrix.dtype == np.float64
        expected = sklearn(skm.confusion_matrix, predictions, labels, sample_weight=weights)
        np.testing.assert_allclose(matrix, expected, rtol=1e-12, atol=1e-12)
        ours = classification_report(predictions, labels, sample_weight=weights).to_dict()
        theirs = sklearn(
            skm.classification_report, predictions, labels, sample_weight=weights, output_dict=True
        )
        # Row by row (a float class 0.0 beside int labels is named "0.0" here, "0" there).
        assert len(ours) == len(theirs)
        for ours_row, (key, row) in zip(ours.values(), theirs.items(), strict=True):
            if key == "accuracy":
                assert same(ours_row, row)
            else:
                assert all(same(ours_row[name], value) for name, value in row.items()), key

    @settings(max_examples=40)
    @given(st.data())
    def test_accumulator_matches_one_shot(
        self, same: Any, weighted_pairs: Weighted, data: st.DataObject
    ) -> None:
        """Weighted batches in a ConfusionMatrix give the one-shot weighted scores."""
        predictions, labels, weights = data.draw(weighted_pairs)
        cut = data.draw(st.integers(0, len(labels)))
        cm = ConfusionMatrix()
        cm.update(predictions[:cut], labels[:cut], sample_weight=weights[:cut])
        cm.update(predictions[cut:], labels[cut:], sample_weight=weights[cut:])
        assert cm.n_samples == len(labels)
        for average in ("micro", "macro", "weighted"):
            for metric in ("precision", "recall", "f1_score"):
                ours = getattr(cm, metric)(average=average)
                one_shot = OURS[metric](predictions, labels, average=average, sample_weight=weights)
                assert same(ours, one_shot), (metric, average)
        assert same(cm.accuracy(), accuracy(predictions, labels, sample_weight=weights))


class TestSemantics:
    def test_unit_weights_equal_unweighted(self) -> None:
        """Weights of 1 give the unweighted scores (the counts become float64)."""
        predictions, labels = [1, 0, 1, 1], [1, 1, 0, 1]
        assert f1_score(predictions, labels, sample_weight=[1, 1, 1, 1]) == f1_score(
            predictions, labels
        )
        _, matrix = confusion_matrix(predictions, labels, sample_weight=[1, 1, 1, 1])
        assert matrix.dtype == np.float64
        assert matrix.tolist() == [[0.0, 1.0], [1.0, 2.0]]

    def test_zero_weight_class_keeps_its_row(self) -> None:
        """A class whose samples all weigh zero is still a class (a zero row), as in sklearn."""
        classes, matrix = confusion_matrix([0, 1, 2], [0, 1, 2], sample_weight=[1, 1, 0])
        assert classes.tolist() == [0, 1, 2]
        assert matrix[2].tolist() == [0.0, 0.0, 0.0]
        cm = ConfusionMatrix().update([0, 1, 2], [0, 1, 2], sample_weight=[1, 1, 0])
        assert cm.classes.tolist() == [0, 1, 2]

    def test_weights_count_as_repeats(self) -> None:
        """An integer weight counts a sample that many times."""
        assert recall([1, 0], [1, 1], sample_weight=[3, 1]) == recall([1, 1, 1, 0], [1, 1, 1, 1])

    def test_containers(self) -> None:
        """Weights may be a list, tuple, ndarray (int or float) or pandas Series."""
        expected = precision([1, 1], [1, 0], sample_weight=[2.0, 1.0])
        for weights in ((2, 1), np.array([2, 1]), np.array([2.0, 1.0]), pd.Series([2.0, 1.0])):
            assert precision([1, 1], [1, 0], sample_weight=weights) == expected

    def test_accumulator_all_zero_batch_is_allowed(self) -> None:
        """An accumulator accepts a batch of zero weights; scoring only zeros is an error."""
        cm = ConfusionMatrix().update([1, 0], [1, 1], sample_weight=[0, 0])
        assert cm.n_samples == 2
        with pytest.raises(MetricsError, match="weight zero"):
            cm.f1_score()
        cm.update([1], [1], sample_weight=[2])
        assert cm.f1_score() == 1.0


class TestErrors:
    @pytest.mark.parametrize(
        ("weights", "error", "message"),
        [
            ([1.0, -0.5], InvalidWeightsError, r"1 negative weight\(s\) at positions \[1\]"),
            (
                [math.nan, 1.0],
                InvalidWeightsError,
                r"NaN \(missing\) weight\(s\) at positions \[0\]",
            ),
            ([1.0, math.inf], InvalidWeightsError, "infinite weight"),
            ([0, 0], InvalidWeightsError, "at least one positive weight, got 2 zeros"),
            ([1.0], LengthMismatchError, "got 1 weights for 2 samples"),
            ([True, False], InvalidInputTypeError, "dtype bool"),
            ([1.0, True], InvalidInputTypeError, "got bool True at position 1"),
            (np.array([True, False]), InvalidInputTypeError, "dtype bool"),
            (["1", "2"], InvalidInputTypeError, "dtype <U1"),
            ([1, "2"], InvalidInputTypeError, "got str '2' at position 1"),
            ([[1.0, 2.0]], InvalidShapeError, "sample_weight"),
            (3.0, InvalidInputTypeError, "sample_weight"),
            ([1 + 2j, 1], InvalidInputTypeError, "complex"),
        ],
    )
    @pytest.mark.parametrize(
        "call",
        [
            lambda w: f1_score([1, 0], [1, 1], sample_weight=w),
            lambda w: accuracy([1, 0], [1, 1], sample_weight=w),
            lambda w: confusion_matrix([1, 0], [1, 1], sample_weight=w),
            lambda w: classification_report([1, 0], [1, 1], sample_weight=w),
            lambda w: fbeta_score([1, 0], [1, 1], beta=2, sample_weight=w),
        ],
    )
    def test_bad_weights_are_named(self, call: Any, weights: Any, error: Any, message: str) -> None:
        """Every bad sample_weight raises its error, naming sample_weight and what is wrong."""
        with pytest.raises(error, match=message) as info:
            call(weights)
        assert "sample_weight" in str(info.value)
        assert isinstance(info.value, ValueError | TypeError)

    def test_update_leaves_state_unchanged_on_error(self) -> None:
        """A bad weight in update raises and leaves the accumulator as it was."""
        cm = ConfusionMatrix().update([1, 0], [1, 1])
        with pytest.raises(InvalidWeightsError, match=r"ConfusionMatrix\.update: sample_weight"):
            cm.update([1, 0], [1, 1], sample_weight=[1, -1])
        assert cm == ConfusionMatrix().update([1, 0], [1, 1])
