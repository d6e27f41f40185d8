"""classification_report: sklearn's numbers as data, and sklearn's text rendering."""

from __future__ import annotations

import math
import re
import warnings
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from ml_infra.metrics import (
    ClassificationReport,
    ClassScores,
    EmptyInputError,
    InvalidParameterError,
    classification_report,
)
from sklearn import metrics as skm

Pairs = st.SearchStrategy[tuple[list[Any], list[Any]]]


def one_type(values: list[Any]) -> bool:
    """True when all values share one Python type.

    Class names are rendered with str(): for 0 (int) against 0.0 (float) sklearn
    keeps the int's name ("0"), ours the common numpy type's ("0.0").
    """
    return len({type(v) for v in values}) == 1


def sklearn_report(predictions: Any, truth: Any, **kwargs: Any) -> Any:
    """sklearn's classification_report in its (y_true, y_pred) order, warnings silenced."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return skm.classification_report(truth, predictions, **kwargs)


def assert_nested_equal(ours: Any, theirs: Any) -> None:
    """Nested dicts equal to 1e-12, NaN equal to NaN."""
    if isinstance(theirs, dict):
        assert list(ours) == list(theirs)
        for key in theirs:
            assert_nested_equal(ours[key], theirs[key])
    elif math.isnan(theirs):
        assert math.isnan(ours)
    else:
        assert abs(ours - theirs) <= 1e-12


class TestAgainstSklearn:
    @given(st.data(), st.sampled_from([0.0, 1.0, math.nan]))
    def test_dict_matches(
        self, label_pairs: Pairs, data: st.DataObject, zero_division: float
    ) -> None:
        """to_dict() equals sklearn's output_dict=True report (keys, order and values)."""
        predictions, labels = data.draw(label_pairs)
        assume(one_type(predictions + labels))
        report = classification_report(predictions, labels, zero_division=zero_division)
        expected = sklearn_report(
            predictions, labels, output_dict=True, zero_division=zero_division
        )
        assert_nested_equal(report.to_dict(), expected)

    @given(st.data(), st.integers(1, 5))
    def test_text_matches(self, label_pairs: Pairs, data: st.DataObject, digits: int) -> None:
        """to_text(digits) is character for character sklearn's text report.

        Except one sklearn quirk: it sometimes prints the support column as floats
        ("1.0"); ours is always an integer count, so that column is compared as ints.
        """
        predictions, labels = data.draw(label_pairs)
        assume(one_type(predictions + labels))
        report = classification_report(predictions, labels)
        expected = sklearn_report(predictions, labels, digits=digits)
        as_int = re.sub(r"([ \d.]{9})\n", lambda m: f"{int(float(m.group(1))):>9}\n", expected)
        assert report.to_text(digits) == as_int


class TestData:
    def test_fields(self) -> None:
        """The report exposes per-class scores, accuracy and the two averages as data."""
        report = classification_report(["cat", "dog", "dog"], ["cat", "cat", "dog"])
        assert isinstance(report, ClassificationReport)
        assert report.per_class["cat"] == ClassScores(1.0, 0.5, 2 / 3, 2)
        assert report.accuracy == 2 / 3
        assert report.macro_avg.support == report.weighted_avg.support == 3
        assert str(report) == report.to_text()

    def test_empty_input_raises(self) -> None:
        """An empty report is an error, not a table of zeros."""
        with pytest.raises(EmptyInputError, match=r"^classification_report"):
            classification_report([], [])

    @pytest.mark.parametrize("digits", [0, -1, 2.0, True])
    def test_bad_digits(self, digits: Any) -> None:
        """to_text(digits) needs a positive int."""
        with pytest.raises(InvalidParameterError, match="digits"):
            classification_report([1], [1]).to_text(digits)

    @pytest.mark.parametrize("digits", [33, 10**9, 2**64], ids=["33", "1e9", "2**64"])
    def test_digits_are_bounded(self, digits: int) -> None:
        """to_text refuses more than 32 decimal places (each cell would take that many bytes)."""
        with pytest.raises(InvalidParameterError, match=r"digits must be an int from 1 to 32"):
            classification_report([1], [1]).to_text(digits)

    @pytest.mark.parametrize("digits", [1, 32])
    def test_digits_bounds_are_accepted(self, digits: int) -> None:
        """The smallest and the largest digits render the scores with that many places."""
        text = classification_report([1, 0], [1, 1]).to_text(digits)
        assert re.search(rf"\b0\.\d{{{digits}}}\b", text)

    def test_bad_zero_division(self) -> None:
        """zero_division is validated like everywhere else."""
        with pytest.raises(InvalidParameterError, match="zero_division"):
            classification_report([1], [1], zero_division="warn")  # type: ignore[arg-type]
