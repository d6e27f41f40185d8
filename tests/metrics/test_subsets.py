"""fbeta_score, classes= (scikit-learn's labels=), and the report's names and digits."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ml_infra.metrics import (
    ConfusionMatrix,
    InvalidParameterError,
    MixedLabelTypesError,
    classification_report,
    f1_score,
    fbeta_score,
    precision,
    recall,
)
from sklearn import metrics as skm

Pairs = st.SearchStrategy[tuple[list[Any], list[Any]]]
ZERO_DIVISIONS = [0.0, 1.0, math.nan]
BETAS = [0.0, 0.5, 1.0, 2.0, 3.7, math.inf]


def draw_classes(data: st.DataObject, predictions: list[Any], labels: list[Any]) -> list[Any]:
    """Some present classes and maybe an absent one, in a random order."""
    present = sorted(set(predictions) | set(labels))
    if isinstance(present[0], str):
        extra = ["absent"]
    elif isinstance(present[0], bool):
        extra = []
    else:
        extra = [max(present) + 11]
    pool = [*present, *extra]
    return data.draw(st.lists(st.sampled_from(pool), min_size=1, max_size=len(pool), unique=True))


class TestFbeta:
    @settings(max_examples=60)
    @given(
        st.data(),
        st.sampled_from(BETAS),
        st.sampled_from(["micro", "macro", "weighted", None]),
        st.sampled_from(ZERO_DIVISIONS),
    )
    def test_matches_sklearn(
        self,
        same: Any,
        sklearn: Any,
        label_pairs: Pairs,
        data: st.DataObject,
        beta: float,
        average: str | None,
        zero_division: float,
    ) -> None:
        """F-beta equals sklearn's for beta 0 (precision) to inf (recall), every average."""
        predictions, labels = data.draw(label_pairs)
        kwargs = {"beta": beta, "average": average, "zero_division": zero_division}
        ours = fbeta_score(predictions, labels, **kwargs)  # type: ignore[call-overload]
        theirs = sklearn(skm.fbeta_score, predictions, labels, **kwargs)
        if average is None:
            assert all(same(o, t) for o, t in zip(ours.values(), theirs, strict=True))
        else:
            assert same(ours, theirs)

    def test_beta_one_is_f1(self) -> None:
        """beta=1 gives exactly f1_score; beta=0 the precision; beta=inf the recall."""
        p, y = [1, 1, 0, 1, 0], [1, 0, 0, 1, 1]
        assert fbeta_score(p, y, beta=1) == f1_score(p, y)
        assert fbeta_score(p, y, beta=0) == precision(p, y)
        assert fbeta_score(p, y, beta=math.inf) == recall(p, y)

    @pytest.mark.parametrize("beta", [-1, math.nan, "2", True, None, 1j])
    def test_bad_beta(self, beta: Any) -> None:
        """beta must be a real number >= 0; anything else is InvalidParameterError naming beta."""
        with pytest.raises(InvalidParameterError, match=r"fbeta_score: beta must be a real number"):
            fbeta_score([1, 0], [1, 1], beta=beta)

    def test_beta_is_keyword_only_and_required(self) -> None:
        """beta has no default and cannot be passed by position."""
        with pytest.raises(TypeError):
            fbeta_score([1, 0], [1, 1])  # type: ignore[call-overload]
        with pytest.raises(TypeError):
            fbeta_score([1, 0], [1, 1], 1, 2.0)  # type: ignore[call-overload, misc]

    def test_accumulator_fbeta(self) -> None:
        """ConfusionMatrix.fbeta_score equals the one-shot function."""
        p, y = ["a", "b", "b", "c"], ["a", "a", "b", "c"]
        cm = ConfusionMatrix().update(p, y)
        for average in ("micro", "macro", "weighted"):
            assert cm.fbeta_score(beta=2, average=average) == fbeta_score(
                p, y, beta=2, average=average
            )


class TestClasses:
    @settings(max_examples=80)
    @given(
        st.data(),
        st.sampled_from(["micro", "macro", "weighted", None]),
        st.sampled_from(ZERO_DIVISIONS),
    )
    def test_matches_sklearn_labels(
        self,
        same: Any,
        sklearn: Any,
        label_pairs: Pairs,
        data: st.DataObject,
        average: str | None,
        zero_division: float,
    ) -> None:
        """classes= picks and orders classes (absent ones included) exactly as sklearn's labels=."""
        predictions, labels = data.draw(label_pairs)
        chosen = draw_classes(data, predictions, labels)
        funcs = {
            "precision": (precision, skm.precision_score),
            "recall": (recall, skm.recall_score),
            "f1": (f1_score, skm.f1_score),
        }
        for name, (ours_func, theirs_func) in funcs.items():
            kwargs = {"average": average, "zero_division": zero_division}
            ours = ours_func(predictions, labels, classes=chosen, **kwargs)  # type: ignore[operator]
            theirs = sklearn(theirs_func, predictions, labels, labels=chosen, **kwargs)
            if average is None:
                assert list(ours) == chosen
                assert all(same(o, t) for o, t in zip(ours.values(), theirs, strict=True)), name
            else:
                assert same(ours, theirs), (name, ours, theirs)

    @settings(max_examples=60)
    @given(st.data(), st.sampled_from(ZERO_DIVISIONS))
    def test_report_matches_sklearn(
        self, same: Any, sklearn: Any, label_pairs: Pairs, data: st.DataObject, zero_division: float
    ) -> None:
        """The report with classes= has sklearn's rows, its micro avg row when a class is left out."""
        predictions, labels = data.draw(label_pairs)
        chosen = draw_classes(data, predictions, labels)
        names = [f"class {i}" for i in range(len(chosen))]
        ours = classification_report(
            predictions, labels, classes=chosen, names=names, zero_division=zero_division
        ).to_dict()
        theirs = sklearn(
            skm.classification_report,
            predictions,
            labels,
            labels=chosen,
            target_names=names,
            zero_division=zero_division,
            output_dict=True,
        )
        assert list(ours) == list(theirs)
        for key, row in theirs.items():
            if key == "accuracy":
                assert same(ours[key], row)
            else:
                assert all(same(ours[key][h], v) for h, v in row.items()), key

    def test_classes_errors(self) -> None:
        """Empty, repeated or wrongly typed classes, and classes with binary, are clear errors."""
        with pytest.raises(InvalidParameterError, match="at least one class"):
            recall([1, 0], [1, 1], average="macro", classes=[])
        with pytest.raises(InvalidParameterError, match="distinct"):
            recall([1, 0], [1, 1], average="macro", classes=[1, 1])
        with pytest.raises(MixedLabelTypesError, match="same label type"):
            recall([1, 0], [1, 1], average="macro", classes=["1"])
        with pytest.raises(InvalidParameterError, match="positive_class instead"):
            recall([1, 0], [1, 1], classes=[1])


class TestReportDisplay:
    def test_names_and_digits(self) -> None:
        """names label the rows (text and dict); digits sets the places; keys stay the classes."""
        report = classification_report([0, 1, 1], [0, 1, 0], names=["ham", "spam"], digits=4)
        assert list(report.per_class) == [0, 1]
        assert list(report.to_dict())[:2] == ["ham", "spam"]
        expected = skm.classification_report(
            [0, 1, 0], [0, 1, 1], target_names=["ham", "spam"], digits=4
        )
        assert str(report) == expected
        assert report.to_text(digits=2) == skm.classification_report(
            [0, 1, 0], [0, 1, 1], target_names=["ham", "spam"]
        )

    def test_bad_names_and_digits(self) -> None:
        """Names must be one string per class; digits an int from 1 to 32."""
        with pytest.raises(InvalidParameterError, match=r"one string per class \(2\)"):
            classification_report([0, 1], [0, 1], names=["only"])
        with pytest.raises(InvalidParameterError, match="one string per class"):
            classification_report([0, 1], [0, 1], names=[1, 2])
        with pytest.raises(InvalidParameterError, match="classification_report: digits"):
            classification_report([0, 1], [0, 1], digits=0)

    def test_accumulator_report_names(self) -> None:
        """ConfusionMatrix.classification_report takes names and digits too."""
        cm = ConfusionMatrix().update([0, 1, 1], [0, 1, 0])
        text = str(cm.classification_report(names=["ham", "spam"], digits=3))
        assert text == skm.classification_report(
            [0, 1, 0], [0, 1, 1], target_names=["ham", "spam"], digits=3
        )

    def test_absent_class_row(self) -> None:
        """A requested class absent from the data has support 0 and zero_division scores."""
        report = classification_report([0, 1], [0, 1], classes=[0, 1, 2], zero_division=1.0)
        assert report.per_class[2].support == 0
        assert report.per_class[2].precision == 1.0
        assert np.isclose(report.macro_avg.f1_score, 1.0)
