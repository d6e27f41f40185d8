"""roc_auc_score, average_precision_score, roc_curve, precision_recall_curve: sklearn parity and errors."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ml_infra.metrics import (
    EmptyInputError,
    InvalidInputTypeError,
    InvalidParameterError,
    InvalidScoresError,
    InvalidShapeError,
    InvalidWeightsError,
    LengthMismatchError,
    MetricsError,
    PrecisionRecallCurve,
    RocCurve,
    SingleClassError,
    UnknownClassError,
    average_precision_score,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
)
from sklearn import metrics as skm

TOL = 1e-12


@st.composite
def binary_problems(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Few samples, many ties (scores on a coarse grid), both classes, sometimes zero weights."""
    n = draw(st.integers(2, 30))
    grid = draw(st.sampled_from([2, 5, 10, 1000]))
    scores = np.array(draw(st.lists(st.integers(0, grid), min_size=n, max_size=n))) / grid
    labels = np.array(draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)))
    first = draw(st.integers(0, n - 1))
    labels[first], labels[(first + 1) % n] = 1, 0
    weights = None
    if draw(st.booleans()):
        weights = np.array(
            draw(st.lists(st.sampled_from([0.0, 0.5, 1.0, 3.0, 1e-3]), min_size=n, max_size=n))
        )
        weights[labels == 1] += draw(st.sampled_from([0.0, 0.25]))
        if not (weights[labels == 1].any() and weights[labels == 0].any()):
            weights = None
    return scores, labels, weights


def close(ours: Any, theirs: Any) -> bool:
    """Equal arrays (same shape) or floats to 1e-12 relative, 1e-12 absolute."""
    a, b = np.asarray(ours, dtype=float), np.asarray(theirs, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=TOL, atol=TOL))


class TestBinaryParity:
    @settings(max_examples=80, deadline=None)
    @given(binary_problems())
    def test_roc_auc_average_precision(self, problem: Any) -> None:
        """ROC AUC, partial AUC and average precision equal sklearn's with ties and weights."""
        scores, labels, weights = problem
        assert close(
            roc_auc_score(scores, labels, sample_weight=weights),
            skm.roc_auc_score(labels, scores, sample_weight=weights),
        )
        assert close(
            roc_auc_score(scores, labels, sample_weight=weights, max_fpr=0.4),
            skm.roc_auc_score(labels, scores, sample_weight=weights, max_fpr=0.4),
        )
        assert close(
            average_precision_score(scores, labels, sample_weight=weights),
            skm.average_precision_score(labels, scores, sample_weight=weights),
        )

    @settings(max_examples=80, deadline=None)
    @given(binary_problems(), st.booleans())
    def test_curves(self, problem: Any, drop: bool) -> None:
        """roc_curve and precision_recall_curve equal sklearn's arrays, either drop_intermediate."""
        scores, labels, weights = problem
        ours = roc_curve(scores, labels, sample_weight=weights, drop_intermediate=drop)
        theirs = skm.roc_curve(labels, scores, sample_weight=weights, drop_intermediate=drop)
        assert all(close(a, b) for a, b in zip(ours, theirs, strict=True))
        ours_pr = precision_recall_curve(
            scores, labels, sample_weight=weights, drop_intermediate=drop
        )
        theirs_pr = skm.precision_recall_curve(
            labels, scores, sample_weight=weights, drop_intermediate=drop
        )
        assert all(close(a, b) for a, b in zip(ours_pr, theirs_pr, strict=True))

    def test_drop_intermediate_keeps_sklearns_thresholds_with_weighted_ties(self) -> None:
        """Tied weighted samples add in input order, as in scikit-learn 1.9, bit for bit.

        drop_intermediate keeps a point unless its second differences are
        exactly zero; here the false positive weights 0.5 + 0.5 around the
        threshold 0.2 are collinear in exact arithmetic but not after rounding
        in scikit-learn's order, so scikit-learn keeps 0.2 (hypothesis found it;
        summing ties in reversed order dropped it).
        """
        scores = np.array([0.8, 0.4, 0, 0, 0, 0.8, 0, 0, 0, 0, 0.4, 0, 1, 1, 0, 0, 0, 0, 0.2])
        labels = np.zeros(19, dtype=int)
        labels[1] = 1
        weights = np.zeros(19)
        weights[[0, 1, 12, 17, 18]] = 0.5
        weights[[10, 13]] = 3.0
        weights[5] = 1e-3
        ours = roc_curve(scores, labels, sample_weight=weights)
        theirs = skm.roc_curve(labels, scores, sample_weight=weights)
        assert ours.thresholds.tolist() == theirs[2].tolist() == [np.inf, 1.0, 0.8, 0.4, 0.2, 0.0]
        assert all(close(a, b) for a, b in zip(ours, theirs, strict=True))

    def test_positive_class_and_string_labels(self) -> None:
        """positive_class picks the class the scores are for; all others are negative."""
        scores = [0.2, 0.9, 0.4, 0.6, 0.1]
        labels = ["dog", "cat", "bird", "cat", "dog"]
        ours = roc_auc_score(scores, labels, positive_class="cat")
        assert ours == skm.roc_auc_score([x == "cat" for x in labels], scores) == 1.0
        fpr, tpr, thresholds = roc_curve(scores, labels, positive_class="dog")
        theirs = skm.roc_curve(labels, scores, pos_label="dog")
        assert close(fpr, theirs[0])
        assert close(tpr, theirs[1])
        assert close(thresholds, theirs[2])

    def test_large_random_input(self) -> None:
        """On 20k float scores with weights (few ties) all four agree with sklearn."""
        rng = np.random.default_rng(0)
        scores = rng.random(20_000).astype(np.float32)
        labels = rng.integers(0, 2, 20_000)
        weights = rng.random(20_000)
        assert close(roc_auc_score(scores, labels), skm.roc_auc_score(labels, scores))
        assert close(
            roc_auc_score(scores, labels, sample_weight=weights),
            skm.roc_auc_score(labels, scores, sample_weight=weights),
        )
        assert close(
            average_precision_score(scores, labels, sample_weight=weights),
            skm.average_precision_score(labels, scores, sample_weight=weights),
        )

    def test_results_unpack_and_inputs(self) -> None:
        """Curves are named tuples; lists, tuples, int scores and pandas Series are accepted."""
        curve = roc_curve(pd.Series([1, 3, 2]), (0, 1, 1))
        assert isinstance(curve, RocCurve)
        assert curve.thresholds[0] == np.inf
        pr = precision_recall_curve([1, 3, 2], [0, 1, 1])
        assert isinstance(pr, PrecisionRecallCurve)
        assert pr.recall[-1] == 0.0
        assert roc_auc_score(np.array([1, 3, 2]), [False, True, True]) == 1.0

    def test_inputs_are_not_modified(self) -> None:
        """The caller's arrays are left as they were."""
        scores, labels = np.array([0.3, 0.1, 0.2]), np.array([1, 0, 1])
        roc_curve(scores, labels, sample_weight=np.ones(3))
        assert scores.tolist() == [0.3, 0.1, 0.2]
        assert labels.tolist() == [1, 0, 1]


class TestMulticlassParity:
    @settings(max_examples=50, deadline=None)
    @given(data=st.data())
    def test_ovr_ovo_and_averages(self, probability_problems: Any, data: Any) -> None:
        """ovr (macro, weighted, micro, None) and ovo (macro, weighted) equal sklearn's."""
        proba, labels, weights = data.draw(probability_problems(3))
        for average in ("macro", "weighted", "micro"):
            assert close(
                roc_auc_score(
                    proba, labels, multi_class="ovr", average=average, sample_weight=weights
                ),
                skm.roc_auc_score(
                    labels, proba, multi_class="ovr", average=average, sample_weight=weights
                ),
            )
            assert close(
                average_precision_score(proba, labels, average=average, sample_weight=weights),
                skm.average_precision_score(labels, proba, average=average, sample_weight=weights),
            )
        for average in ("macro", "weighted"):
            assert close(
                roc_auc_score(proba, labels, multi_class="ovo", average=average),
                skm.roc_auc_score(labels, proba, multi_class="ovo", average=average),
            )
        per_class = roc_auc_score(proba, labels, multi_class="ovr", average=None)
        theirs = skm.roc_auc_score(labels, proba, multi_class="ovr", average=None)
        assert isinstance(per_class, dict)
        assert close(list(per_class.values()), theirs)

    def test_classes_name_the_columns(self) -> None:
        """classes= gives each column its class, in any order, equal to sklearn's labels= when sorted."""
        proba = np.array([[0.1, 0.7, 0.2], [0.5, 0.2, 0.3], [0.2, 0.2, 0.6], [0.3, 0.3, 0.4]])
        labels = ["b", "a", "c", "c"]
        ours = roc_auc_score(proba, labels, multi_class="ovr", classes=["b", "a", "c"])
        theirs = skm.roc_auc_score(labels, proba[:, [1, 0, 2]], multi_class="ovr")
        assert close(ours, theirs)


class TestErrors:
    @pytest.mark.parametrize(
        "func", [roc_auc_score, average_precision_score, roc_curve, precision_recall_curve]
    )
    @pytest.mark.parametrize(
        ("scores", "labels", "error", "text"),
        [
            (
                [0.1, float("nan")],
                [0, 1],
                InvalidScoresError,
                "1 NaN (missing) value(s) at positions [1]",
            ),
            ([0.1, float("inf")], [0, 1], InvalidScoresError, "infinite value(s) at positions [1]"),
            (
                [0.1, None],
                [0, 1],
                InvalidScoresError,
                "missing value(s) (None or NaN) at positions [1]",
            ),
            ([True, False], [0, 1], InvalidInputTypeError, "got booleans"),
            (["a", "b"], [0, 1], InvalidInputTypeError, "dtype <U1"),
            ([0.1, 0.2], [0, 1, 1], LengthMismatchError, "got 2 scores and 3 labels"),
            ([0.1, 0.2], [0, 0], SingleClassError, "got no positive samples"),
            ([0.1, 0.2], ["a", "b"], UnknownClassError, "positive_class=1 occurs nowhere"),
            ([], [], EmptyInputError, "no samples"),
            (0.5, [1], InvalidInputTypeError, "scores"),
        ],
    )
    def test_bad_binary_input(
        self, func: Any, scores: Any, labels: Any, error: type, text: str
    ) -> None:
        """Bad scores and labels raise the package's error, naming the function and the problem."""
        with pytest.raises(error, match=r"^" + func.__name__ + ": ") as info:
            func(scores, labels)
        assert text in str(info.value)
        assert isinstance(info.value, MetricsError)

    def test_single_class_needs_both_for_roc_only(self) -> None:
        """No negatives: ROC is undefined, average precision is 1.0 (as sklearn)."""
        with pytest.raises(SingleClassError, match="got no negative samples"):
            roc_auc_score([0.1, 0.2], [1, 1])
        assert average_precision_score([0.1, 0.2], [1, 1]) == 1.0

    def test_zero_weight_class_is_absent(self) -> None:
        """A class whose samples all weigh zero counts as absent."""
        with pytest.raises(SingleClassError):
            roc_auc_score([0.1, 0.2, 0.3], [0, 1, 1], sample_weight=[0, 1, 1])

    @pytest.mark.parametrize(
        ("weights", "error"),
        [
            ([1, -1], InvalidWeightsError),
            ([1, float("nan")], InvalidWeightsError),
            ([1], LengthMismatchError),
        ],
    )
    def test_bad_weights(self, weights: Any, error: type) -> None:
        """Negative, NaN and wrongly sized weights are errors."""
        with pytest.raises(error, match=r"^roc_auc_score: sample_weight"):
            roc_auc_score([0.1, 0.2], [0, 1], sample_weight=weights)

    @pytest.mark.parametrize(
        ("kwargs", "text"),
        [
            ({"max_fpr": 0}, "max_fpr must be None or a number in (0, 1], got 0"),
            ({"max_fpr": "x"}, "max_fpr must be None"),
            ({"drop_intermediate": 1}, None),
        ],
    )
    def test_bad_options(self, kwargs: dict[str, Any], text: str | None) -> None:
        """Invalid options are InvalidParameterError naming the option."""
        func = roc_curve if "drop_intermediate" in kwargs else roc_auc_score
        with pytest.raises(InvalidParameterError, match=f"^{func.__name__}: ") as info:
            func([0.1, 0.2], [0, 1], **kwargs)
        assert text is None or text in str(info.value)

    @pytest.mark.parametrize(
        ("scores", "labels", "kwargs", "error", "text"),
        [
            (
                [[0.5, 0.5], [0.2, 0.8]],
                [0, 1],
                {},
                InvalidParameterError,
                "multi_class must be 'ovr' or 'ovo'",
            ),
            (
                [[0.5, 0.6], [0.2, 0.8]],
                [0, 1],
                {"multi_class": "ovr"},
                InvalidScoresError,
                "must sum to one, got 1 row(s)",
            ),
            (
                [[1.5, -0.5], [0.2, 0.8]],
                [0, 1],
                {"multi_class": "ovr"},
                InvalidScoresError,
                "out-of-range value(s) at positions [(0, 0), (0, 1)]",
            ),
            (
                [[0.5, 0.5], [0.2, 0.8]],
                [0, 2, 1],
                {"multi_class": "ovr"},
                LengthMismatchError,
                "2 scores and 3 labels",
            ),
            (
                [[0.5, 0.5], [0.2, 0.8]],
                [0, 0],
                {"multi_class": "ovr"},
                InvalidShapeError,
                "2 columns but labels hold 1 classes",
            ),
            (
                [[0.5, 0.5], [0.2, 0.8]],
                [0, 0],
                {"multi_class": "ovr", "classes": [0, 1]},
                SingleClassError,
                "class 0 (column 0 of scores) has every sample",
            ),
            (
                [[0.5, 0.5], [0.2, 0.8]],
                [0, 3],
                {"multi_class": "ovr", "classes": [0, 1]},
                UnknownClassError,
                "not in classes: [3]",
            ),
            (
                [[0.5, 0.5], [0.2, 0.8]],
                [0, 1],
                {"multi_class": "ovr", "classes": [1, 1]},
                InvalidParameterError,
                "must not repeat",
            ),
            (
                [[0.5, 0.5], [0.2, 0.8]],
                [0, 1],
                {"multi_class": "ovo", "average": "micro"},
                InvalidParameterError,
                "'macro' or 'weighted'",
            ),
            (
                [[0.5, 0.5], [0.2, 0.8]],
                [0, 1],
                {"multi_class": "ovo", "sample_weight": [1, 1]},
                InvalidParameterError,
                "takes no sample_weight",
            ),
            (
                [[0.5, 0.5], [0.2, 0.8]],
                [0, 1],
                {"multi_class": "ovr", "max_fpr": 0.5},
                InvalidParameterError,
                "max_fpr",
            ),
            ([[0.5, 0.5], [0.2]], [0, 1], {"multi_class": "ovr"}, InvalidShapeError, "ragged"),
            (
                [[0.5, 0.5, 0.0]],
                [0],
                {"multi_class": "ovr", "classes": ["a", "b", "c"]},
                MetricsError,
                "same label type",
            ),
        ],
    )
    def test_bad_matrix_input(
        self, scores: Any, labels: Any, kwargs: dict[str, Any], error: type, text: str
    ) -> None:
        """Probability matrices: shape, range, row sums, classes and options are checked."""
        with pytest.raises(error, match=r"^roc_auc_score: ") as info:
            roc_auc_score(scores, labels, **kwargs)
        assert text in str(info.value)


class TestArrayLibraries:
    def test_torch_tensors(self) -> None:
        """torch tensors work as scores, labels and probability matrices (float32 kept)."""
        torch = pytest.importorskip("torch")
        scores, labels = [0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]
        assert roc_auc_score(torch.tensor(scores), torch.tensor(labels)) == 0.75
        rows = [[0.7, 0.2, 0.1], [0.2, 0.5, 0.3], [0.1, 0.3, 0.6], [0.3, 0.4, 0.3]]
        proba = torch.tensor(rows, dtype=torch.float64)
        ours = roc_auc_score(proba, torch.tensor([0, 1, 2, 0]), multi_class="ovr")
        assert ours == pytest.approx(skm.roc_auc_score([0, 1, 2, 0], rows, multi_class="ovr"))

    def test_polars_and_arrow(self) -> None:
        """polars Series and pyarrow arrays work as scores and labels; nulls are missing scores."""
        pl = pytest.importorskip("polars")
        pa = pytest.importorskip("pyarrow")
        scores, labels = [0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]
        assert roc_auc_score(pl.Series(scores), pl.Series(labels)) == 0.75
        assert average_precision_score(pa.array(scores), pa.array(labels)) == pytest.approx(5 / 6)
        with pytest.raises(InvalidScoresError, match="positions \\[1\\]"):
            roc_auc_score(pa.array([0.1, None, 0.35, 0.8]), labels)
