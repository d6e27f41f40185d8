"""accuracy, precision, recall and f1_score: seed examples and exact sklearn agreement."""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from ml_infra.metrics import (
    EmptyInputError,
    UnknownClassError,
    accuracy,
    f1_score,
    precision,
    recall,
)
from sklearn import metrics as skm

OURS = {"precision": precision, "recall": recall, "f1_score": f1_score}
THEIRS = {
    "precision": skm.precision_score,
    "recall": skm.recall_score,
    "f1_score": skm.f1_score,
}
ZERO_DIVISIONS = [0.0, 1.0, math.nan]
Pairs = st.SearchStrategy[tuple[list[Any], list[Any]]]


def same(ours: float, theirs: float) -> bool:
    """Equal to 1e-12, with NaN equal to NaN."""
    if math.isnan(theirs):
        return math.isnan(ours)
    return abs(ours - theirs) <= 1e-12


def sklearn_score(metric: str, predictions: Any, truth: Any, **kwargs: Any) -> Any:
    """scikit-learn's score with its (y_true, y_pred) order, warnings silenced."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return THEIRS[metric](truth, predictions, **kwargs)


class TestSeedExamples:
    def test_accuracy_seed_example(self) -> None:
        """The seed's example accuracy([1, 0, 1, 1, 0], [1, 0, 1, 0, 0]) is exactly 0.8."""
        assert accuracy([1, 0, 1, 1, 0], [1, 0, 1, 0, 0]) == 0.8

    def test_accuracy_of_empty_input_is_zero(self) -> None:
        """accuracy([], []) is 0.0, as in the seed (sklearn raises)."""
        assert accuracy([], []) == 0.0

    def test_perfect_predictions_score_one(self) -> None:
        """Identical predictions and labels give 1.0 for every score."""
        for func in (precision, recall, f1_score):
            assert func([1, 0, 1], [1, 0, 1]) == 1.0

    def test_keyword_calls_are_unambiguous(self) -> None:
        """predictions= and labels= name the arguments: swapping their order changes nothing."""
        a = precision(predictions=[1, 1, 0], labels=[1, 0, 0])
        b = precision(labels=[1, 0, 0], predictions=[1, 1, 0])
        assert a == b == 0.5

    def test_argument_order_is_predictions_then_labels(self) -> None:
        """precision divides by predicted positives: the first argument is the predictions."""
        assert precision([1, 1, 1, 1], [1, 0, 0, 0]) == 0.25
        assert recall([1, 1, 1, 1], [1, 0, 0, 0]) == 1.0

    def test_scores_are_python_floats(self) -> None:
        """Scores come back as plain Python floats, not numpy scalars."""
        assert type(f1_score(np.array([1, 0]), np.array([1, 1]))) is float
        assert type(accuracy(np.array([1, 0]), np.array([1, 1]))) is float


class TestAgainstSklearn:
    @given(
        st.data(),
        st.sampled_from(["micro", "macro", "weighted"]),
        st.sampled_from(ZERO_DIVISIONS),
    )
    def test_averaged_scores_match(
        self, label_pairs: Pairs, data: st.DataObject, average: str, zero_division: float
    ) -> None:
        """micro/macro/weighted scores equal sklearn's to 1e-12 for every zero_division."""
        predictions, labels = data.draw(label_pairs)
        for metric, func in OURS.items():
            ours = func(predictions, labels, average=average, zero_division=zero_division)  # type: ignore[call-overload]
            theirs = sklearn_score(
                metric, predictions, labels, average=average, zero_division=zero_division
            )
            assert same(ours, theirs), (metric, ours, theirs)

    @given(st.data(), st.sampled_from(ZERO_DIVISIONS))
    def test_per_class_scores_match(
        self, label_pairs: Pairs, data: st.DataObject, zero_division: float
    ) -> None:
        """average=None gives {class: score} over the sorted present classes, as sklearn's array."""
        predictions, labels = data.draw(label_pairs)
        classes = np.unique(np.concatenate([np.asarray(predictions), np.asarray(labels)])).tolist()
        for metric, func in OURS.items():
            ours = func(predictions, labels, average=None, zero_division=zero_division)
            theirs = sklearn_score(
                metric, predictions, labels, average=None, zero_division=zero_division
            )
            assert list(ours) == classes
            assert all(same(o, t) for o, t in zip(ours.values(), theirs, strict=True))

    @given(st.data(), st.sampled_from(ZERO_DIVISIONS))
    def test_binary_is_one_vs_rest(
        self, label_pairs: Pairs, data: st.DataObject, zero_division: float
    ) -> None:
        """average='binary' scores positive_class one-vs-rest: sklearn with labels=[positive_class]."""
        predictions, labels = data.draw(label_pairs)
        positive = data.draw(st.sampled_from(sorted(set(predictions) | set(labels))))
        for metric, func in OURS.items():
            ours = func(predictions, labels, positive, zero_division=zero_division)
            theirs = sklearn_score(
                metric,
                predictions,
                labels,
                labels=[positive],
                average=None,
                zero_division=zero_division,
            )[0]
            assert same(ours, theirs), (metric, positive, ours, theirs)

    @given(st.data())
    def test_accuracy_matches(self, label_pairs: Pairs, data: st.DataObject) -> None:
        """accuracy equals sklearn's accuracy_score."""
        predictions, labels = data.draw(label_pairs)
        assert same(accuracy(predictions, labels), skm.accuracy_score(labels, predictions))

    @given(st.data())
    def test_input_containers_agree(self, label_pairs: Pairs, data: st.DataObject) -> None:
        """Lists, tuples, ndarrays and pandas Series give identical scores."""
        predictions, labels = data.draw(label_pairs)
        expected = f1_score(predictions, labels, average="macro")
        for wrap in (tuple, np.asarray, pd.Series):
            assert f1_score(wrap(predictions), wrap(labels), average="macro") == expected

    def test_binary_matches_sklearn_on_binary_data(self) -> None:
        """On 0/1 data the default call equals sklearn's default binary scores."""
        rng = np.random.default_rng(7)
        labels, predictions = rng.integers(0, 2, 500), rng.integers(0, 2, 500)
        for metric, func in OURS.items():
            assert same(func(predictions, labels), sklearn_score(metric, predictions, labels))

    def test_large_multiclass_matches(self) -> None:
        """50 classes on 20k samples (dense integer path) match sklearn for every average."""
        rng = np.random.default_rng(3)
        labels, predictions = rng.integers(0, 50, 20_000), rng.integers(0, 50, 20_000)
        for average in ("micro", "macro", "weighted"):
            for metric, func in OURS.items():
                ours = func(predictions, labels, average=average)  # type: ignore[call-overload]
                assert same(ours, sklearn_score(metric, predictions, labels, average=average))


class TestEdgeCases:
    def test_zero_division_applies_to_never_predicted_class(self) -> None:
        """A positive class never predicted has precision = zero_division, recall 0."""
        assert precision([0, 0], [1, 0], zero_division=1.0) == 1.0
        assert math.isnan(precision([0, 0], [1, 0], zero_division=math.nan))
        assert recall([0, 0], [1, 0], zero_division=1.0) == 0.0

    def test_f1_zero_division_needs_no_tp_fp_fn(self) -> None:
        """F1 is zero_division only when the class has no tp, fp or fn (scored on its own)."""
        assert f1_score([1, 0], [0, 0], zero_division=1.0) == 0.0
        per_class = f1_score([0, 0], [0, 0], average=None, zero_division=1.0)
        assert per_class == {0: 1.0}

    def test_nan_scores_are_left_out_of_macro(self) -> None:
        """With zero_division=nan, the undefined classes do not count in the macro mean."""
        assert precision([0, 0, 0], [0, 1, 2], average="macro", zero_division=math.nan) == 1 / 3

    def test_weighted_with_only_zero_weight_scores_defined(self) -> None:
        """Defined scores all of zero support average plainly (sklearn's fallback)."""
        assert precision([5, 5], [3, 3], average="weighted", zero_division=math.nan) == 0.0

    def test_many_classes_are_elided_in_messages(self) -> None:
        """An unknown positive_class lists at most ten classes, then how many in all."""
        with pytest.raises(UnknownClassError, match=r"\(20 in all\)"):
            f1_score(list(range(20)), list(range(20)), 99)

    def test_binary_on_multiclass_data(self) -> None:
        """average='binary' works on multi-class data (sklearn raises there)."""
        assert recall(["cat", "dog", "bird"], ["cat", "cat", "bird"], "cat") == 0.5

    def test_bool_labels_with_integer_positive_class(self) -> None:
        """positive_class=1 means True for bool labels, as in numpy and sklearn."""
        assert precision([True, True, False], [True, False, False]) == 0.5

    @pytest.mark.parametrize("func", [precision, recall, f1_score])
    def test_empty_input_raises(self, func: Any) -> None:
        """precision/recall/f1 of empty input raise EmptyInputError (a ValueError)."""
        with pytest.raises(EmptyInputError, match="empty") as info:
            func([], [])
        assert isinstance(info.value, ValueError)

    def test_typo_in_positive_class_is_an_error(self) -> None:
        """A positive_class that occurs nowhere ("Dog" vs "dog") raises, naming the real classes."""
        with pytest.raises(UnknownClassError, match=r"positive_class='Dog'.*\['cat', 'dog'\]"):
            f1_score(["dog", "cat"], ["dog", "dog"], "Dog")

    def test_positive_class_of_wrong_type_is_an_error(self) -> None:
        """A string positive_class on numeric labels (default 1 on strings too) raises."""
        with pytest.raises(UnknownClassError, match=r"\[0, 2\]"):
            precision([0, 2], [2, 2], "2")
        with pytest.raises(UnknownClassError, match="positive_class=1"):
            precision(["a"], ["b"])

    def test_positive_class_ignored_by_other_averages(self) -> None:
        """positive_class plays no part outside average='binary', even when absent."""
        assert f1_score([0, 2], [0, 2], "absent", average="micro") == 1.0
