"""ml_infra.metrics.compat equals scikit-learn: values, return types, warnings and errors."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from ml_infra import metrics
from ml_infra.metrics import (
    EmptyInputError,
    InvalidParameterError,
    MetricsError,
    UndefinedMetricWarning,
    UnknownClassError,
    compat,
)

skm = pytest.importorskip("sklearn.metrics")

SCORES = ("precision_score", "recall_score", "f1_score")
AVERAGES = ("binary", "micro", "macro", "weighted", None)
ZERO_DIVISIONS = ("warn", 0.0, 1.0, math.nan)
POS_LABELS = (1, 0, 2, True, "cat", "dog", 0.0)
EXAMPLES = settings(max_examples=60, deadline=None)


def _run(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, list[tuple[str, str]]]:
    """Call ``fn``; return its result (or the builtin class of its error) and its warnings."""
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        try:
            result = fn(*args, **kwargs)
        except ValueError:
            result = ValueError
        except TypeError:
            result = TypeError
    return result, [(w.category.__name__, str(w.message)) for w in seen]


def _same(ours: Any, theirs: Any) -> bool:
    """Equal values (NaN equal to NaN, 1e-12), equal types of result."""
    if isinstance(theirs, type):
        return ours is theirs or (isinstance(ours, type) and issubclass(ours, theirs))
    if isinstance(theirs, np.ndarray):
        return (
            isinstance(ours, np.ndarray)
            and ours.dtype == theirs.dtype
            and ours.shape == theirs.shape
            and bool(np.allclose(ours, theirs, rtol=0, atol=1e-12, equal_nan=True))
        )
    if isinstance(theirs, float):
        return type(ours) is float and (
            math.isclose(ours, theirs, abs_tol=1e-12) or (math.isnan(ours) and math.isnan(theirs))
        )
    if isinstance(theirs, tuple):
        return (
            isinstance(ours, tuple)
            and len(ours) == len(theirs)
            and all(_same(a, b) for a, b in zip(ours, theirs, strict=True))
        )
    if isinstance(theirs, dict):
        return (
            isinstance(ours, dict)
            and list(ours) == list(theirs)
            and all(_same(ours[key], value) for key, value in theirs.items())
        )
    return type(ours) is type(theirs) and bool(ours == theirs)


def _assert_parity(name: str, *args: Any, **kwargs: Any) -> None:
    ours, our_warnings = _run(getattr(compat, name), *args, **kwargs)
    theirs, their_warnings = _run(getattr(skm, name), *args, **kwargs)
    assert _same(ours, theirs), (ours, theirs)
    assert our_warnings == their_warnings


class TestScoreParity:
    @EXAMPLES
    @given(data=st.data())
    def test_scores_equal_sklearn(self, data: st.DataObject, label_pairs: Any) -> None:
        """Precision, recall and F1 equal scikit-learn's, with the same warnings and error class."""
        y_pred, y_true = data.draw(label_pairs)
        name = data.draw(st.sampled_from(SCORES))
        kwargs = {
            "average": data.draw(st.sampled_from(AVERAGES)),
            "pos_label": data.draw(st.sampled_from(POS_LABELS)),
            "zero_division": data.draw(st.sampled_from(ZERO_DIVISIONS)),
        }
        _assert_parity(name, y_true, y_pred, **kwargs)

    @EXAMPLES
    @given(data=st.data())
    def test_binary_edge_cases(self, data: st.DataObject) -> None:
        """Single-class data, absent pos_label, three classes: as scikit-learn decides."""
        pool = data.draw(st.sampled_from([[0], [1], [0, 1], [0, 2], [0, 1, 2], ["a", "b"]]))
        n = data.draw(st.integers(1, 6))
        y_true = data.draw(st.lists(st.sampled_from(pool), min_size=n, max_size=n))
        y_pred = data.draw(st.lists(st.sampled_from(pool), min_size=n, max_size=n))
        name = data.draw(st.sampled_from(SCORES))
        pos_label = data.draw(st.sampled_from([1, 0, 2, "a", "b"]))
        zero_division = data.draw(st.sampled_from(ZERO_DIVISIONS))
        _assert_parity(name, y_true, y_pred, pos_label=pos_label, zero_division=zero_division)

    def test_absent_pos_label_on_single_class_data(self) -> None:
        """A pos_label absent from single-class data scores zero_division, with the warning."""
        with pytest.warns(UndefinedMetricWarning, match=r"^F-score is ill-defined and being set"):
            assert compat.f1_score([0, 0], [0, 0]) == 0.0
        assert compat.recall_score([0, 0], [0, 0], zero_division=1.0) == 1.0

    @pytest.mark.parametrize(
        ("y_true", "y_pred", "pos_label"),
        [
            ([0, 1, 1, 0], [1, 1, 0, 0], 1),
            ([0, 1, 1, 0], [1, 1, 0, 0], 0),
            ([True, False, True], [True, True, False], True),
            (np.array([0, 1, 1], dtype=np.uint8), np.array([1, 0, 1], dtype=np.uint8), 1),
            ([0, 0, 0], [0, 0, 0], 1),
            ([0, 1, 1], [0, 1, 1], 2),
            ([-1, 0, 1], [0, 0, 1], 1),
            ([0, 1, 1], [0, 1, 2**40], 1),
            ([-1, 1, 1], [1, -1, 1], 1),
        ],
    )
    def test_binary_rule_shortcut_for_zeros_and_ones(
        self, y_true: Any, y_pred: Any, pos_label: object
    ) -> None:
        """0/1 and bool data pass the two-class rule by a max; others, or absent pos_label, as sklearn."""
        _assert_parity("f1_score", y_true, y_pred, pos_label=pos_label, zero_division=0.0)

    def test_multiclass_with_binary_average_raises(self) -> None:
        """Three classes with average='binary' raise a ValueError naming the fix."""
        with pytest.raises(
            InvalidParameterError,
            match=r"^f1_score: average='binary' needs binary targets, got multiclass targets "
            r"\(more than two classes\); choose another average setting, one of "
            r"\[None, 'micro', 'macro', 'weighted'\]$",
        ):
            compat.f1_score([0, 1, 2], [0, 1, 1])

    def test_pos_label_not_in_two_classes_raises(self) -> None:
        """A pos_label that is neither of two classes is a ValueError listing them."""
        with pytest.raises(UnknownClassError, match=r"pos_label=2 is not a valid label") as info:
            compat.precision_score([0, 1], [1, 1], pos_label=2)
        assert isinstance(info.value, ValueError)

    def test_warning_category_is_public(self) -> None:
        """UndefinedMetricWarning is a UserWarning shown under its public module."""
        assert UndefinedMetricWarning.__module__ == "ml_infra.metrics"
        assert issubclass(UndefinedMetricWarning, UserWarning)
        assert (
            UndefinedMetricWarning.__name__ == skm._classification.UndefinedMetricWarning.__name__
        )

    def test_explicit_zero_division_does_not_warn(self) -> None:
        """zero_division=0.0 gives the same value as 'warn', silently."""
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert compat.precision_score([1, 1], [0, 0], zero_division=0.0) == 0.0

    def test_average_none_returns_an_array(self) -> None:
        """average=None returns a float64 array in sorted class order, as scikit-learn."""
        scores = compat.recall_score(["b", "a", "b"], ["b", "a", "a"], average=None)
        assert isinstance(scores, np.ndarray)
        assert scores.tolist() == [1.0, 0.5]


class TestOtherParity:
    @EXAMPLES
    @given(data=st.data())
    def test_accuracy(self, data: st.DataObject, label_pairs: Any) -> None:
        """accuracy_score (normalize True and False) equals scikit-learn's, a float."""
        y_pred, y_true = data.draw(label_pairs)
        _assert_parity("accuracy_score", y_true, y_pred, normalize=data.draw(st.booleans()))

    @EXAMPLES
    @given(data=st.data())
    def test_confusion_matrix(self, data: st.DataObject, label_pairs: Any) -> None:
        """confusion_matrix equals scikit-learn's matrix and warns alike (a 1 x 1 matrix)."""
        y_pred, y_true = data.draw(label_pairs)
        normalize = data.draw(st.sampled_from([None, "true", "pred", "all"]))
        _assert_parity("confusion_matrix", y_true, y_pred, normalize=normalize)

    @EXAMPLES
    @given(data=st.data())
    def test_classification_report(self, data: st.DataObject, label_pairs: Any) -> None:
        """The report's text is scikit-learn's string, its dict scikit-learn's dict.

        Mixed numeric types (``0`` beside ``0.0``) are left out: the class names
        then differ on purpose (README, "Where we differ from scikit-learn").
        """
        y_pred, y_true = data.draw(label_pairs)
        assume(len({type(v) for v in [*y_true, *y_pred]}) == 1)
        kwargs: dict[str, Any] = {
            "digits": data.draw(st.integers(1, 5)),
            "output_dict": data.draw(st.booleans()),
            "zero_division": data.draw(st.sampled_from(ZERO_DIVISIONS)),
        }
        if data.draw(st.booleans()):
            n_classes = len(np.unique(np.concatenate([np.asarray(y_true), np.asarray(y_pred)])))
            kwargs["target_names"] = [f"class {i}" for i in range(n_classes)]
        _assert_parity("classification_report", y_true, y_pred, **kwargs)

    def test_report_text_is_identical(self) -> None:
        """A fixed report renders character for character as scikit-learn's."""
        y_true = ["cat", "dog", "dog", "bird", "cat"]
        y_pred = ["cat", "cat", "dog", "bird", "bird"]
        assert compat.classification_report(y_true, y_pred, digits=3) == skm.classification_report(
            y_true, y_pred, digits=3
        )


class TestErrors:
    @pytest.mark.parametrize("name", [*SCORES, "accuracy_score", "confusion_matrix"])
    def test_empty_input_raises(self, name: str) -> None:
        """Empty input is an error (scikit-learn raises too; native accuracy gives 0.0)."""
        with pytest.raises(EmptyInputError, match=rf"^{name}: y_true and y_pred are empty"):
            getattr(compat, name)([], [])

    @pytest.mark.parametrize("name", SCORES)
    def test_bad_average(self, name: str) -> None:
        """An unknown average is an InvalidParameterError listing scikit-learn's options."""
        with pytest.raises(InvalidParameterError, match=rf"^{name}: average must be one of"):
            getattr(compat, name)([0, 1], [0, 1], average="mean")

    def test_samples_average_needs_multilabel(self) -> None:
        """average='samples' on 1-D labels is a ValueError, as in scikit-learn."""
        with pytest.raises(InvalidParameterError, match=r"only available for multilabel"):
            compat.f1_score([0, 1], [0, 1], average="samples")

    def test_bad_zero_division(self) -> None:
        """zero_division other than 'warn', 0, 1 or NaN is refused."""
        with pytest.raises(InvalidParameterError, match=r"^recall_score: zero_division"):
            compat.recall_score([0, 1], [0, 1], zero_division="nan")

    def test_bad_normalize(self) -> None:
        """accuracy_score's normalize must be a bool."""
        with pytest.raises(InvalidParameterError, match=r"normalize must be True or False"):
            compat.accuracy_score([0, 1], [0, 1], normalize="yes")

    def test_target_names_of_wrong_length(self) -> None:
        """target_names must name every class."""
        with pytest.raises(MetricsError, match=r"target_names must name each of the 2 classes"):
            compat.classification_report([0, 1], [0, 1], target_names=["a"])

    def test_arguments_are_in_sklearn_order(self) -> None:
        """y_true comes first: the native function with swapped arguments gives the same."""
        y_true, y_pred = [1, 1, 1, 0], [1, 0, 0, 0]
        assert compat.precision_score(y_true, y_pred) == metrics.precision(y_pred, y_true)
        assert compat.recall_score(y_true, y_pred) == metrics.recall(y_pred, y_true)


@st.composite
def _scored(draw: st.DrawFn) -> tuple[list[Any], list[float], list[float] | None]:
    """(y_true, 1-D scores in [0, 1] with ties, optional weights) for the score functions."""
    pool = draw(
        st.sampled_from([[0, 1], [-1, 1], ["no", "yes"], [2, 5], [0, 1, 2], [1], [0.0, 1.0]])
    )
    n = draw(st.integers(2, 30))
    y_true = draw(st.lists(st.sampled_from(pool), min_size=n, max_size=n))
    scores = draw(
        st.lists(st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.7, 0.9, 1.0]), min_size=n, max_size=n)
    )
    weights = draw(
        st.none() | st.lists(st.sampled_from([0.5, 1.0, 2.0, 3.0]), min_size=n, max_size=n)
    )
    return y_true, scores, weights


@st.composite
def _probabilities(draw: st.DrawFn) -> tuple[list[int], list[list[float]]]:
    """(y_true over 3 classes, rows of probabilities summing to one)."""
    n = draw(st.integers(3, 25))
    y_true = [0, 1, 2, *draw(st.lists(st.integers(0, 2), min_size=n - 3, max_size=n - 3))]
    rows = []
    for _ in range(n):
        a, b = sorted(
            draw(st.lists(st.sampled_from([0.0, 0.2, 0.4, 0.5, 0.8, 1.0]), min_size=2, max_size=2))
        )
        rows.append([a, b - a, 1.0 - b])
    return y_true, rows


class TestScoreFunctionParity:
    @EXAMPLES
    @given(
        case=_scored(),
        name=st.sampled_from(
            ["roc_auc_score", "average_precision_score", "log_loss", "brier_score_loss"]
        ),
    )
    @example(case=([0, 1, 2], [0.1, 0.5, 0.7], None), name="average_precision_score")
    def test_binary_scores(self, case: Any, name: str) -> None:
        """1-D scores: values, inferred positive class and error class equal scikit-learn's.

        One case is compared with scikit-learn given an array: average precision
        of 1-D scores against more than two classes. scikit-learn 1.9.1 reads
        ``y_score.shape`` before converting a list there and crashes with an
        AttributeError; given an array it raises its intended ValueError
        (scores must be an n_samples x n_classes matrix). compat raises that
        ValueError for lists as well, with the fix in the message.
        """
        y_true, scores, weights = case
        if name == "average_precision_score" and len(set(y_true)) > 2:
            _assert_parity(name, y_true, np.asarray(scores), sample_weight=weights)
            with pytest.raises(InvalidParameterError, match=r"y_score is 1-D; pass an"):
                compat.average_precision_score(y_true, scores, sample_weight=weights)
            return
        _assert_parity(name, y_true, scores, sample_weight=weights)

    @EXAMPLES
    @given(
        case=_scored(),
        name=st.sampled_from(["roc_curve", "precision_recall_curve"]),
        pos=st.sampled_from([None, 1, "yes", 5]),
    )
    def test_curves(self, case: Any, name: str, pos: object) -> None:
        """The curves equal scikit-learn's three arrays, pos_label=None rules included.

        Single-class y_true and a pos_label absent from y_true are left out:
        scikit-learn warns and returns NaN or constant curves, compat raises
        (README's table of differences).
        """
        y_true, scores, weights = case
        assume(len(set(y_true)) > 1 and (pos is None or pos in y_true))
        ours, our_warnings = _run(
            getattr(compat, name), y_true, scores, pos_label=pos, sample_weight=weights
        )
        theirs, their_warnings = _run(
            getattr(skm, name), y_true, scores, pos_label=pos, sample_weight=weights
        )
        assert our_warnings == their_warnings
        if isinstance(theirs, type):
            assert _same(ours, theirs)
        else:
            assert type(ours) is tuple
            assert all(_same(a, b) for a, b in zip(ours, theirs, strict=True))

    @EXAMPLES
    @given(
        case=_probabilities(),
        average=st.sampled_from(["macro", "weighted", None]),
        how=st.sampled_from(["ovr", "ovo"]),
    )
    def test_multiclass_scores(self, case: Any, average: str | None, how: str) -> None:
        """Probability matrices: ROC AUC (ovr/ovo), log loss and Brier score equal scikit-learn's."""
        y_true, proba = case
        if not (how == "ovo" and average is None):
            _assert_parity("roc_auc_score", y_true, proba, multi_class=how, average=average)
        _assert_parity("log_loss", y_true, proba)
        _assert_parity("brier_score_loss", y_true, proba)

    def test_roc_auc_positive_is_the_greater_class(self) -> None:
        """1-D scores score the greater class of y_true, as scikit-learn (not pos_label=1)."""
        assert compat.roc_auc_score(["a", "a", "b", "b"], [0.1, 0.4, 0.35, 0.8]) == 0.75

    def test_log_loss_y_pred_is_deprecated(self) -> None:
        """log_loss(y_pred=...) works with scikit-learn's FutureWarning."""
        with pytest.warns(FutureWarning, match=r"`y_pred` was renamed to `y_proba`"):
            value = compat.log_loss([0, 1], y_pred=[0.2, 0.7])
        assert value == skm.log_loss([0, 1], [0.2, 0.7])


@st.composite
def _weighted(draw: st.DrawFn) -> tuple[list[int], list[int], list[float] | None, list[int] | None]:
    """(y_true, y_pred, optional weights, optional labels= subset incl. absent classes)."""
    n = draw(st.integers(1, 30))
    y_true = draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))
    y_pred = draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))
    weights = draw(
        st.none() | st.lists(st.sampled_from([0.0, 0.5, 1.0, 2.5]), min_size=n, max_size=n)
    )
    labels = draw(st.none() | st.lists(st.integers(0, 5), min_size=1, max_size=4, unique=True))
    return y_true, y_pred, weights, labels


@st.composite
def _indicators(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, list[float] | None]:
    """Multilabel 0/1 indicator rows (3 labels) and optional weights."""
    n = draw(st.integers(1, 20))
    cells = st.lists(st.integers(0, 1), min_size=3, max_size=3)
    y_true = np.array(draw(st.lists(cells, min_size=n, max_size=n)))
    y_pred = np.array(draw(st.lists(cells, min_size=n, max_size=n)))
    weights = draw(st.none() | st.lists(st.sampled_from([0.5, 1.0, 2.0]), min_size=n, max_size=n))
    return y_true, y_pred, weights


class TestOptionParity:
    @EXAMPLES
    @given(case=_weighted(), data=st.data())
    def test_weights_and_label_subsets(self, case: Any, data: st.DataObject) -> None:
        """sample_weight= and labels= (absent classes included) as scikit-learn, warnings too."""
        y_true, y_pred, weights, labels = case
        name = data.draw(
            st.sampled_from([*SCORES, "fbeta_score", "precision_recall_fscore_support"])
        )
        kwargs: dict[str, Any] = {
            "average": data.draw(st.sampled_from(["micro", "macro", "weighted", None])),
            "sample_weight": weights,
            "labels": labels,
            "zero_division": data.draw(st.sampled_from(ZERO_DIVISIONS)),
        }
        if name == "fbeta_score":
            kwargs["beta"] = data.draw(st.sampled_from([0.0, 0.5, 2.0, math.inf]))
        _assert_parity(name, y_true, y_pred, **kwargs)

    @EXAMPLES
    @given(case=_weighted(), data=st.data())
    def test_report_and_matrix_with_options(self, case: Any, data: st.DataObject) -> None:
        """The report and the confusion matrix with weights and labels= equal scikit-learn's."""
        y_true, y_pred, weights, labels = case
        assume(labels is None or set(labels) & set(y_true))
        _assert_parity("confusion_matrix", y_true, y_pred, labels=labels, sample_weight=weights)
        _assert_parity(
            "classification_report",
            y_true,
            y_pred,
            labels=labels,
            sample_weight=weights,
            output_dict=data.draw(st.booleans()),
            digits=data.draw(st.integers(1, 4)),
        )

    @EXAMPLES
    @given(case=_indicators(), data=st.data())
    def test_multilabel(self, case: Any, data: st.DataObject) -> None:
        """Indicator rows: scores (samples average too), accuracy, tables and report."""
        y_true, y_pred, weights = case
        average = data.draw(st.sampled_from(["micro", "macro", "weighted", "samples", None]))
        name = data.draw(st.sampled_from([*SCORES, "precision_recall_fscore_support"]))
        _assert_parity(name, y_true, y_pred, average=average, sample_weight=weights)
        _assert_parity("accuracy_score", y_true, y_pred, sample_weight=weights)
        _assert_parity("multilabel_confusion_matrix", y_true, y_pred, sample_weight=weights)
        _assert_parity("classification_report", y_true, y_pred, sample_weight=weights)
