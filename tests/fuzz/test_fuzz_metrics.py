"""Fuzzing every public function of ``ml_infra.metrics`` with hostile values.

Invariants: only the package's own errors escape (they also subclass
``ValueError``/``TypeError`` and print); inputs are never mutated; on valid
labels, in every container and dtype, results equal scikit-learn's (where
the README documents no difference on purpose).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from ml_infra.metrics import (
    ClassificationReport,
    ConfusionMatrix,
    ConfusionMatrixResult,
    MetricsError,
    PrecisionRecallCurve,
    RocCurve,
    ScoreHistogram,
    accuracy,
    average_precision_score,
    brier_score_loss,
    classification_report,
    confusion_matrix,
    f1_score,
    log_loss,
    precision,
    precision_recall_curve,
    recall,
    roc_auc_score,
    roc_curve,
)
from sklearn import metrics as skm
from sklearn.utils.multiclass import unique_labels

from tests.fuzz.strategies import data, fingerprint, fuzz_settings, parameters

AVERAGE = parameters("binary", "micro", "macro", "weighted", None)
ZERO_DIVISION = parameters(0.0, 1.0, math.nan, 0, 1)
POSITIVE = parameters(1, 0, True, "cat", 2.0)
NORMALIZE = parameters(None, "true", "pred", "all")
SCORE_KWARGS = st.fixed_dictionaries(
    {},
    optional={"positive_class": POSITIVE, "average": AVERAGE, "zero_division": ZERO_DIVISION},
)
FUNCTIONS: dict[str, tuple[Callable[..., Any], st.SearchStrategy[dict[str, Any]]]] = {
    "accuracy": (accuracy, st.just({})),
    "precision": (precision, SCORE_KWARGS),
    "recall": (recall, SCORE_KWARGS),
    "f1_score": (f1_score, SCORE_KWARGS),
    "confusion_matrix": (
        confusion_matrix,
        st.fixed_dictionaries(
            {},
            optional={
                "classes": parameters(None, [0, 1], ["cat"]) | data(),
                "normalize": NORMALIZE,
            },
        ),
    ),
    "classification_report": (
        classification_report,
        st.fixed_dictionaries({}, optional={"zero_division": ZERO_DIVISION}),
    ),
}
#: Stands for "labels is the predictions object" (st.just would hash a hostile value).
SAME = object()
#: Valid labels, so that hostile predictions meet a partner that gets them far.
VALID = st.sampled_from([[1, 0, 1], [True, False], ["cat", "dog"], (2.0, 0.0), np.arange(3)])
#: Built once: drawing from a new data() per example re-validates its many parts.
PREDICTIONS = data()
LABELS = st.one_of(PREDICTIONS, VALID, st.just(SAME))


def checked(call: Callable[[], Any], *inputs: object) -> Any:
    """Run ``call``: its result or its package error; the inputs must not change."""
    before = [fingerprint(value) for value in inputs]
    try:
        result = call()
    except MetricsError as exc:
        result = exc
    if isinstance(result, MetricsError):
        assert isinstance(result, ValueError | TypeError)
        assert isinstance(str(result), str)
    assert [fingerprint(value) for value in inputs] == before
    return result


def plausible(result: Any) -> None:
    """A result has the shape its function promises."""
    if isinstance(result, float):
        assert math.isnan(result) or 0.0 <= result <= 1.0
    elif isinstance(result, dict):
        for score in result.values():
            plausible(score)
    elif isinstance(result, ConfusionMatrixResult):
        assert result.matrix.shape == (result.classes.shape[0],) * 2
        assert (np.nan_to_num(result.matrix) >= 0).all()
    elif isinstance(result, ClassificationReport):
        plausible(result.accuracy)
        assert isinstance(result.to_text(), str)


class TestOnlyOwnErrors:
    @pytest.mark.parametrize("name", sorted(FUNCTIONS))
    @fuzz_settings()
    @given(draw=st.data())
    def test_hostile_arguments(self, name: str, draw: st.DataObject) -> None:
        """Any predictions, labels and options: a sane result or a package error, nothing mutated."""
        func, kwargs_strategy = FUNCTIONS[name]
        predictions = draw.draw(PREDICTIONS, label="predictions")
        labels = draw.draw(LABELS, label="labels")
        if labels is SAME:  # the very same object as both arguments
            labels = predictions
        kwargs = draw.draw(kwargs_strategy, label="kwargs")
        result = checked(
            lambda: func(predictions, labels, **kwargs), predictions, labels, *kwargs.values()
        )
        plausible(result)

    @fuzz_settings()
    @given(
        predictions=PREDICTIONS,
        labels=st.one_of(PREDICTIONS, VALID),
        method=st.sampled_from(["precision", "recall", "f1_score"]),
        kwargs=SCORE_KWARGS,
        normalize=NORMALIZE,
        zero_division=ZERO_DIVISION,
        other=parameters() | st.builds(ConfusionMatrix),
    )
    def test_accumulator(
        self,
        predictions: Any,
        labels: Any,
        method: str,
        kwargs: dict[str, Any],
        normalize: Any,
        zero_division: Any,
        other: Any,
    ) -> None:
        """ConfusionMatrix: every method gives a result or a package error; a failed update changes nothing."""
        cm = ConfusionMatrix().update([1, 0], [1, 1])
        state = (cm.classes.tolist(), cm.counts.tolist())
        if isinstance(
            checked(lambda: cm.update(predictions, labels), predictions, labels), MetricsError
        ):
            assert (cm.classes.tolist(), cm.counts.tolist()) == state
        checked(lambda: cm.merge(other), other)
        plausible(checked(lambda: getattr(cm, method)(**kwargs), *kwargs.values()))
        plausible(checked(lambda: cm.confusion_matrix(normalize=normalize), normalize))
        plausible(
            checked(lambda: cm.classification_report(zero_division=zero_division), zero_division)
        )
        plausible(cm.accuracy())

    @fuzz_settings()
    @given(digits=parameters(1, 2, 4, 32))
    def test_report_text(self, digits: Any) -> None:
        """ClassificationReport.to_text with any digits: text or a package error."""
        report = classification_report(["cat", "dog", "dog"], ["cat", "cat", "dog"])
        text = checked(lambda: report.to_text(digits), digits)
        assert isinstance(text, str | MetricsError)


# ---------------------------------------------------------------- the reference
#: Label pools in which scikit-learn is exact (it compares through numpy's common type).
POOLS = [
    st.integers(-3, 3),
    st.integers(0, 2),
    st.sampled_from([10**9, -(10**12), 7]),
    st.booleans(),
    st.sampled_from([0.0, 1.0, 2.0, -4.0]),
    st.sampled_from(["cat", "dog", "Dog", "bird", ""]),
]


def _fits(values: list[Any], dtype: str) -> bool:
    info = np.iinfo(dtype)
    return all(info.min <= v <= info.max for v in values)


@st.composite
def containers(draw: st.DrawFn, values: list[Any]) -> Any:
    """``values`` in one of the containers and dtypes a user may pass."""
    kinds = {type(v) for v in values}
    choices: list[Callable[[list[Any]], Any]] = [list, tuple, np.asarray, pd.Series]
    choices.append(lambda v: np.fromiter(v, dtype=object, count=len(v)))
    if kinds == {int}:
        choices += [
            lambda v, d=dtype: np.asarray(v, dtype=d)
            for dtype in ("int8", "int16", "int32", "uint8", "uint64", "int64")
            if _fits(values, dtype)
        ]
        choices.append(lambda v: pd.Series(v, dtype="Int64"))
        if all(abs(v) < 2**24 for v in values):  # float32 holds them exactly
            choices.append(lambda v: np.asarray(v, np.float32))
    if kinds == {bool}:
        choices.append(lambda v: pd.Series(v, dtype="boolean"))
    if kinds == {str}:
        choices += [
            lambda v: pd.Series(v, dtype="string"),
            lambda v: pd.Series(v, dtype="category"),
        ]
    return draw(st.sampled_from(choices))(values)


@st.composite
def label_pairs(draw: st.DrawFn) -> tuple[list[Any], list[Any], Any, Any]:
    """(predictions, labels) as plain values, and the same in the containers passed to us."""
    pool = draw(st.sampled_from(POOLS))
    n = draw(st.integers(1, 30))
    predictions = draw(st.lists(pool, min_size=n, max_size=n))
    labels = draw(st.lists(pool, min_size=n, max_size=n))
    return predictions, labels, draw(containers(predictions)), draw(containers(labels))


def theirs(func: Callable[..., Any], predictions: list[Any], truth: list[Any], **kw: Any) -> Any:
    """scikit-learn's value in its (y_true, y_pred) order, its warnings silenced."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return func(truth, predictions, **kw)


def same(ours: float, reference: float) -> bool:
    """Equal to 1e-12, NaN equal to NaN."""
    if math.isnan(reference):
        return math.isnan(ours)
    return abs(ours - reference) <= 1e-12


SCORES = {"precision": (precision, skm.precision_score), "recall": (recall, skm.recall_score)}
SCORES["f1_score"] = (f1_score, skm.f1_score)


class TestMatchesScikitLearn:
    @fuzz_settings()
    @given(
        pair=label_pairs(),
        metric=st.sampled_from(sorted(SCORES)),
        average=st.sampled_from(["micro", "macro", "weighted", None]),
        zero_division=st.sampled_from([0.0, 1.0, math.nan]),
    )
    def test_averaged_scores(
        self, pair: Any, metric: str, average: Any, zero_division: float
    ) -> None:
        """precision/recall/F1 of every container equal scikit-learn's, for every average."""
        predictions, labels, ours_pred, ours_true = pair
        ours_func, their_func = SCORES[metric]
        ours = checked(
            lambda: ours_func(ours_pred, ours_true, average=average, zero_division=zero_division),
            ours_pred,
            ours_true,
        )
        reference = theirs(
            their_func, predictions, labels, average=average, zero_division=zero_division
        )
        if average is None:
            assert all(same(o, t) for o, t in zip(ours.values(), reference, strict=True))
        else:
            assert same(ours, reference), (ours, reference)

    @fuzz_settings()
    @given(pair=label_pairs(), draw=st.data(), zero_division=st.sampled_from([0.0, 1.0, math.nan]))
    def test_binary_scores(self, pair: Any, draw: st.DataObject, zero_division: float) -> None:
        """average='binary' equals scikit-learn's one-vs-rest score of positive_class."""
        predictions, labels, ours_pred, ours_true = pair
        positive = draw.draw(st.sampled_from(sorted(set(predictions) | set(labels))))
        for ours_func, their_func in SCORES.values():
            ours = ours_func(ours_pred, ours_true, positive, zero_division=zero_division)
            reference = theirs(
                their_func,
                predictions,
                labels,
                labels=[positive],
                average=None,
                zero_division=zero_division,
            )[0]
            assert same(ours, reference), (positive, ours, reference)

    @fuzz_settings()
    @given(pair=label_pairs(), normalize=st.sampled_from([None, "true", "pred", "all"]))
    def test_accuracy_and_confusion_matrix(self, pair: Any, normalize: Any) -> None:
        """accuracy and confusion_matrix (classes and matrix) equal scikit-learn's."""
        predictions, labels, ours_pred, ours_true = pair
        assert same(accuracy(ours_pred, ours_true), skm.accuracy_score(labels, predictions))
        classes, matrix = confusion_matrix(ours_pred, ours_true, normalize=normalize)
        reference = theirs(skm.confusion_matrix, predictions, labels, normalize=normalize)
        assert classes.tolist() == unique_labels(labels, predictions).tolist()
        assert np.allclose(matrix, reference, rtol=0, atol=1e-12)

    @fuzz_settings()
    @given(pair=label_pairs(), zero_division=st.sampled_from([0.0, 1.0, math.nan]))
    def test_classification_report(self, pair: Any, zero_division: float) -> None:
        """The report's per-class rows, accuracy and averages equal scikit-learn's output_dict."""
        predictions, labels, ours_pred, ours_true = pair
        ours = classification_report(ours_pred, ours_true, zero_division=zero_division).to_dict()
        reference = theirs(
            skm.classification_report,
            predictions,
            labels,
            output_dict=True,
            zero_division=zero_division,
        )
        assert same(ours.pop("accuracy"), reference.pop("accuracy"))
        assert len(ours) == len(reference)
        for row, expected in zip(ours.values(), reference.values(), strict=True):
            assert all(same(row[key], expected[key]) for key in expected)

    @fuzz_settings()
    @given(pair=label_pairs(), cut=st.integers(0, 30))
    def test_accumulator_equals_one_shot(self, pair: Any, cut: int) -> None:
        """Two partial ConfusionMatrix states, merged, give the one-shot counts and scores."""
        predictions, labels, _, _ = pair
        first = ConfusionMatrix().update(predictions[:cut], labels[:cut])
        second = ConfusionMatrix().update(predictions[cut:], labels[cut:])
        merged = first.merge(second)
        assert merged == ConfusionMatrix().update(predictions, labels)
        assert merged.accuracy() == accuracy(predictions, labels)
        assert merged.f1_score(average="macro") == f1_score(predictions, labels, average="macro")


#: Score functions: (function, keyword strategy); scores are hostile data or valid matrices.
WEIGHTS = parameters(None, [1.0, 2.0, 0.5]) | data()
SCORE_CLASSES = parameters(None, [0, 1], [0, 1, 2], ["cat", "dog"]) | data()
SCORE_FUNCTIONS: dict[str, tuple[Callable[..., Any], st.SearchStrategy[dict[str, Any]]]] = {
    "roc_auc_score": (
        roc_auc_score,
        st.fixed_dictionaries(
            {},
            optional={
                "positive_class": POSITIVE,
                "sample_weight": WEIGHTS,
                "average": parameters("macro", "weighted", "micro", None),
                "multi_class": parameters("raise", "ovr", "ovo"),
                "classes": SCORE_CLASSES,
                "max_fpr": parameters(None, 0.5, 1, 0, 2),
            },
        ),
    ),
    "average_precision_score": (
        average_precision_score,
        st.fixed_dictionaries(
            {},
            optional={
                "positive_class": POSITIVE,
                "sample_weight": WEIGHTS,
                "average": parameters("macro", "weighted", "micro", None),
                "classes": SCORE_CLASSES,
            },
        ),
    ),
    "roc_curve": (
        roc_curve,
        st.fixed_dictionaries(
            {},
            optional={
                "positive_class": POSITIVE,
                "sample_weight": WEIGHTS,
                "drop_intermediate": parameters(True, False),
            },
        ),
    ),
    "precision_recall_curve": (
        precision_recall_curve,
        st.fixed_dictionaries(
            {},
            optional={
                "positive_class": POSITIVE,
                "sample_weight": WEIGHTS,
                "drop_intermediate": parameters(True, False),
            },
        ),
    ),
    "log_loss": (
        log_loss,
        st.fixed_dictionaries(
            {},
            optional={
                "positive_class": POSITIVE,
                "sample_weight": WEIGHTS,
                "classes": SCORE_CLASSES,
                "normalize": parameters(True, False),
            },
        ),
    ),
    "brier_score_loss": (
        brier_score_loss,
        st.fixed_dictionaries(
            {},
            optional={
                "positive_class": POSITIVE,
                "sample_weight": WEIGHTS,
                "classes": SCORE_CLASSES,
                "scale_by_half": parameters("auto", True, False),
            },
        ),
    ),
}
MATRICES = st.sampled_from(
    [
        [[0.2, 0.8], [0.6, 0.4], [0.5, 0.5]],
        np.array([[0.1, 0.2, 0.7], [0.3, 0.3, 0.4], [1.0, 0.0, 0.0]]),
        [[0.5, 0.6], [1.5, -0.5], [0.0, 1.0]],
        [[0.5, 0.5], [0.5], [0.5, 0.5]],
    ]
)
SCORE_INPUTS = st.one_of(PREDICTIONS, MATRICES)


def plausible_scores(result: Any) -> None:
    """A score result is a non-negative float, a dict of them, or curves of finite rates."""
    if isinstance(result, float):
        assert math.isnan(result) or result >= 0.0
    elif isinstance(result, dict):
        for score in result.values():
            plausible_scores(score)
    elif isinstance(result, RocCurve | PrecisionRecallCurve):
        for rates in result[:2]:
            assert ((rates >= 0) & (rates <= 1)).all()


class TestScoreFunctions:
    @pytest.mark.parametrize("name", sorted(SCORE_FUNCTIONS))
    @fuzz_settings()
    @given(draw=st.data())
    def test_hostile_arguments(self, name: str, draw: st.DataObject) -> None:
        """Any scores, labels and options: a sane result or a package error, nothing mutated."""
        func, kwargs_strategy = SCORE_FUNCTIONS[name]
        scores = draw.draw(SCORE_INPUTS, label="scores")
        labels = draw.draw(LABELS, label="labels")
        if labels is SAME:
            labels = scores
        kwargs = draw.draw(kwargs_strategy, label="kwargs")
        result = checked(lambda: func(scores, labels, **kwargs), scores, labels, *kwargs.values())
        plausible_scores(result)

    @fuzz_settings()
    @given(
        scores=SCORE_INPUTS,
        labels=LABELS,
        weights=WEIGHTS,
        settings_=st.sampled_from([{}, {"bins": 4}, {"bins": 3, "range": (-1.0, 1.0)}]),
        other=parameters() | st.builds(ScoreHistogram),
    )
    def test_histogram(
        self, scores: Any, labels: Any, weights: Any, settings_: dict[str, Any], other: Any
    ) -> None:
        """ScoreHistogram: a failed update changes nothing; every method gives a result or a package error."""
        if labels is SAME:
            labels = scores
        hist = ScoreHistogram(**settings_).update([0.25, 0.75], [0, 1])
        before = hist.copy()
        if isinstance(
            checked(lambda: hist.update(scores, labels, weights), scores, labels, weights),
            MetricsError,
        ):
            assert hist == before
        checked(lambda: hist.merge(other), other)
        for method in ("roc_auc", "average_precision", "log_loss", "brier_score", "roc_curve"):
            plausible_scores(checked(getattr(hist, method)))
