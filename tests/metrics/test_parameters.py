"""Options (average, normalize, zero_division, positive_class) are checked first and exactly."""

from __future__ import annotations

import math
import numbers
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from ml_infra.metrics import (
    ConfusionMatrix,
    InvalidParameterError,
    UnknownClassError,
    classification_report,
    confusion_matrix,
    f1_score,
    precision,
    recall,
)


class TestParameters:
    @pytest.mark.parametrize("average", ["sample", "Macro", "", 1])
    def test_unknown_average(self, average: object) -> None:
        """An unknown average raises InvalidParameterError listing the options."""
        with pytest.raises(InvalidParameterError, match=r"average must be one of .* got"):
            f1_score([1], [1], average=average)  # type: ignore[call-overload]

    @pytest.mark.parametrize("zero_division", ["warn", 0.5, -1, True, None, "nan"])
    def test_bad_zero_division(self, zero_division: object) -> None:
        """zero_division other than 0, 1 or nan raises InvalidParameterError."""
        with pytest.raises(InvalidParameterError, match=r"zero_division must be 0\.0, 1\.0 or nan"):
            precision([1], [1], zero_division=zero_division)  # type: ignore[arg-type]

    @pytest.mark.parametrize("zero_division", [0, 1, np.float64("nan"), np.int64(1)])
    def test_equivalent_zero_division_spellings(self, zero_division: object) -> None:
        """Ints 0/1 and numpy scalars are accepted spellings of 0.0, 1.0 and nan."""
        precision([1], [1], zero_division=zero_division)  # type: ignore[arg-type]

    def test_parameters_are_checked_before_data(self) -> None:
        """A bad option is reported even when the data is fine and large."""
        with pytest.raises(InvalidParameterError):
            recall(np.zeros(10, dtype=int), np.zeros(10, dtype=int), average="bogus")  # type: ignore[call-overload]


class RaisingFloat(numbers.Real):
    """A registered real number whose conversion to float raises."""

    def __float__(self) -> float:
        raise RuntimeError("no float for you")

    def __repr__(self) -> str:
        return "RaisingFloat()"

    __abs__ = __add__ = __ceil__ = __eq__ = __floor__ = __floordiv__ = __le__ = __lt__ = __mod__ = (
        __mul__
    ) = __neg__ = __pos__ = __pow__ = __radd__ = __rfloordiv__ = __rmod__ = __rmul__ = __round__ = (
        __rpow__
    ) = __rtruediv__ = __truediv__ = __trunc__ = lambda *a: NotImplemented
    __hash__ = object.__hash__


class EqualityRaises:
    """An object whose comparisons raise."""

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("no comparing")

    __ne__ = __eq__
    __hash__ = object.__hash__


class StrEqualityRaises(str):
    """A str subclass whose comparisons and hash raise."""

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("no comparing")

    def __hash__(self) -> int:
        raise RuntimeError("no hashing")


SCORERS = {
    "precision": lambda **kw: precision([1, 0], [1, 1], **kw),
    "recall": lambda **kw: recall([1, 0], [1, 1], **kw),
    "f1_score": lambda **kw: f1_score([1, 0], [1, 1], **kw),
    "classification_report": lambda **kw: classification_report([1, 0], [1, 1], **kw),
    "ConfusionMatrix.precision": lambda **kw: ConfusionMatrix().update([1], [1]).precision(**kw),
    "ConfusionMatrix.classification_report": lambda **kw: (
        ConfusionMatrix().update([1], [1]).classification_report(**kw)
    ),
}


class TestNumericParameters:
    @pytest.mark.parametrize("scorer", SCORERS.values(), ids=SCORERS.keys())
    @pytest.mark.parametrize(
        "zero_division",
        [
            10**400,
            -(10**400),
            Fraction(10**400),
            np.timedelta64("NaT"),
            np.timedelta64(1, "D"),
            np.timedelta64(0, "s"),
            RaisingFloat(),
            np.bool_(True),
            Decimal("1"),
        ],
        ids=[
            "int-beyond-float",
            "negative-int-beyond-float",
            "fraction-beyond-float",
            "timedelta-NaT",
            "timedelta-one-day",
            "timedelta-zero",
            "raising-__float__",
            "numpy-bool",
            "decimal",
        ],
    )
    def test_only_package_errors(self, scorer: Any, zero_division: object) -> None:
        """Every zero_division a float cannot hold, or that is no number, is InvalidParameterError."""
        with pytest.raises(InvalidParameterError, match=r"zero_division must be 0\.0, 1\.0 or nan"):
            scorer(zero_division=zero_division)

    @pytest.mark.parametrize(
        ("zero_division", "expected"),
        [(Fraction(1), 1.0), (np.float16(0), 0.0), (np.longdouble("nan"), math.nan)],
        ids=["fraction", "float16", "longdouble-nan"],
    )
    def test_other_real_spellings(self, zero_division: object, expected: float) -> None:
        """Any real number equal to 0, 1 or NaN is accepted (Fraction, float16, longdouble)."""
        score = precision([0], [1], zero_division=zero_division)  # type: ignore[arg-type]
        assert score == expected or (math.isnan(score) and math.isnan(expected))


OPTIONS = {
    "f1_score-average": lambda value: f1_score([1], [1], average=value),
    "ConfusionMatrix.recall-average": lambda value: (
        ConfusionMatrix().update([1], [1]).recall(average=value)
    ),
    "confusion_matrix-normalize": lambda value: confusion_matrix([1], [1], normalize=value),
    "ConfusionMatrix.confusion_matrix-normalize": lambda value: (
        ConfusionMatrix().update([1], [1]).confusion_matrix(normalize=value)
    ),
}


class TestOptionChecks:
    @pytest.mark.parametrize("check", OPTIONS.values(), ids=OPTIONS.keys())
    @pytest.mark.parametrize(
        "value",
        [
            np.array(["macro", "macro"]),
            np.array(["true", "true"]),
            np.array("all"),
            EqualityRaises(),
            StrEqualityRaises("nonsense"),
            ["macro"],
        ],
        ids=[
            "array-average",
            "array-normalize",
            "0-d-array",
            "raising-__eq__",
            "str-raising-__eq__",
            "list",
        ],
    )
    def test_refused_without_comparing(self, check: Any, value: object) -> None:
        """Arrays, lists and objects whose __eq__ raises are refused with InvalidParameterError."""
        with pytest.raises(InvalidParameterError, match="must be one of"):
            check(value)

    @pytest.mark.parametrize(
        ("call", "value"),
        [
            (lambda v: f1_score([1, 0], [1, 1], average=v), "macro"),
            (lambda v: confusion_matrix([1], [1], normalize=v).matrix.tolist(), "all"),
        ],
        ids=["average", "normalize"],
    )
    @pytest.mark.parametrize("spelling", [StrEqualityRaises, np.str_], ids=["hostile", "numpy"])
    def test_str_subclasses_count_by_their_text(
        self, call: Any, value: str, spelling: type[str]
    ) -> None:
        """A str subclass is the option its text spells, and its own __eq__ never runs."""
        assert call(spelling(value)) == call(value)


class TestPositiveClass:
    @pytest.mark.parametrize(
        ("predictions", "labels", "positive_class"),
        [
            ([2.0**53, 0.0], [2.0**53, 0.0], 2**53 + 1),
            (
                np.array([2**62], dtype=np.uint64),
                np.array([2**62], dtype=np.uint64),
                np.int64(2**62 + 1),
            ),
            ([True, False], [True, True], 2),
            ([1, 0], [1, 1], 1.5),
            ([1, 0], [1, 1], np.timedelta64(1, "D")),
            ([1, 0], [1, 1], EqualityRaises()),
            ([1, 0], [1, 1], RaisingFloat()),
            ([1, 0], [1, 1], 10**400),
            ([1.0, 0.0], [1.0, 1.0], 10**400),
            ([True, False], [True, True], 10**400),
            (np.array([1, 0], dtype=np.float16), [1, 1], 70000),
            (["a", "b"], ["a", "a"], StrEqualityRaises("c")),
        ],
        ids=[
            "int-beside-float-2**53",
            "int64-beside-uint64",
            "two-for-bools",
            "fraction",
            "timedelta",
            "raising-__eq__",
            "raising-__float__",
            "huge-int-int-labels",
            "huge-int-float-labels",
            "huge-int-bool-labels",
            "beyond-float16",
            "str-raising-__eq__",
        ],
    )
    def test_no_inexact_or_foreign_match(
        self, predictions: Any, labels: Any, positive_class: object
    ) -> None:
        """A positive_class no label equals exactly is an UnknownClassError, never a rounded match."""
        for score in (
            lambda: precision(predictions, labels, positive_class),
            lambda: ConfusionMatrix().update(predictions, labels).recall(positive_class),
        ):
            with pytest.raises(UnknownClassError, match="occurs in neither"):
                score()

    @pytest.mark.parametrize(
        ("predictions", "labels", "positive_class", "expected"),
        [
            ([1, 0], [1, 1], 1.0, 0.5),
            ([1, 0], [1, 1], True, 0.5),
            ([True, False], [True, True], 1, 0.5),
            ([1.0, 0.0], [1.0, 1.0], np.int8(1), 0.5),
            (
                np.array([2**63 + 1, 0], dtype=np.uint64),
                np.array([2**63 + 1] * 2, dtype=np.uint64),
                2**63 + 1,
                0.5,
            ),
            (["a", "b"], ["a", "a"], np.str_("a"), 0.5),
            (["a", "b"], ["a", "a"], StrEqualityRaises("a"), 0.5),
        ],
        ids=[
            "float-for-int",
            "bool-for-int",
            "int-for-bool",
            "numpy-int-for-float",
            "uint64",
            "numpy-str",
            "str-subclass",
        ],
    )
    def test_equal_values_match(
        self, predictions: Any, labels: Any, positive_class: object, expected: float
    ) -> None:
        """A positive_class equal to a label matches it, whatever its numeric type."""
        assert recall(predictions, labels, positive_class) == expected
        assert ConfusionMatrix().update(predictions, labels).recall(positive_class) == expected
