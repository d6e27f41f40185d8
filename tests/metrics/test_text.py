"""Messages show the caller's values through one safe describer: no repr can break them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from ml_infra.metrics import (
    ConfusionMatrix,
    InvalidInputTypeError,
    InvalidParameterError,
    MetricsError,
    MixedLabelTypesError,
    UnknownClassError,
    accuracy,
    classification_report,
    confusion_matrix,
    f1_score,
    precision,
    recall,
)
from ml_infra.metrics._text import format_list, safe_repr


class Unprintable:
    """An object whose repr raises."""

    def __repr__(self) -> str:
        raise RuntimeError("no repr for you")


class UnprintableInt(int):
    """A valid numeric label whose repr raises."""

    def __repr__(self) -> str:
        raise RuntimeError("no repr for you")


class LoudStr(str):
    """A str subclass whose repr returns another str subclass with hostile methods."""

    def __repr__(self) -> str:
        return Hostile("'loud'")


class Hostile(str):
    def __len__(self) -> int:
        raise RuntimeError("no len")

    def __format__(self, spec: str) -> str:
        raise RuntimeError("no format")


PLACEHOLDER = "<unrepresentable Unprintable object: repr raised RuntimeError>"


class TestSafeRepr:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("macro", "'macro'"),
            (np.int64(3), repr(np.int64(3))),  # "3" before numpy 2
            (Unprintable(), PLACEHOLDER),
            (10**5000, "<unrepresentable int object: repr raised ValueError>"),
            (LoudStr("x"), "'loud'"),
        ],
        ids=["str", "numpy", "raising-repr", "int-beyond-str-limit", "str-subclass-repr"],
    )
    def test_describes_without_raising(self, value: object, expected: str) -> None:
        """safe_repr gives the repr, or a placeholder naming the type when repr fails."""
        assert safe_repr(value) == expected

    @pytest.mark.parametrize("value", ["x" * 1000, list(range(1000)), 10**400])
    def test_long_reprs_are_cut(self, value: object) -> None:
        """A long repr is cut to about a hundred characters and says how long it was."""
        text = safe_repr(value)
        assert len(text) < 130
        assert text.endswith(f"... ({len(repr(value))} characters)")

    def test_lists_use_it_per_item(self) -> None:
        """format_list renders every shown item through safe_repr."""
        assert format_list([1, Unprintable()]) == f"[1, {PLACEHOLDER}]"


class TestMessagesSurviveHostileRepr:
    @pytest.mark.parametrize(
        ("call", "error"),
        [
            (lambda obj: f1_score([1], [1], average=obj), InvalidParameterError),
            (lambda obj: precision([1], [1], positive_class=obj), UnknownClassError),
            (lambda obj: accuracy([obj], [1]), InvalidInputTypeError),
            (lambda obj: accuracy(np.array([obj, 1], dtype=object), [1, 1]), InvalidInputTypeError),
            (lambda obj: recall([1], [1], zero_division=obj), InvalidParameterError),
            (lambda obj: confusion_matrix([1], [1], normalize=obj), InvalidParameterError),
            (lambda obj: classification_report([1], [1]).to_text(obj), InvalidParameterError),
            (
                lambda obj: ConfusionMatrix().update([1], [1]).f1_score(average=obj),
                InvalidParameterError,
            ),
        ],
        ids=[
            "f1_score-average",
            "precision-positive_class",
            "accuracy-list",
            "accuracy-object-array",
            "recall-zero_division",
            "confusion_matrix-normalize",
            "to_text-digits",
            "ConfusionMatrix.f1_score-average",
        ],
    )
    def test_package_error_with_placeholder(
        self, call: Callable[[object], Any], error: type[MetricsError]
    ) -> None:
        """An object whose repr raises still gets the package's error, naming its type."""
        with pytest.raises(error, match="<unrepresentable Unprintable object") as info:
            call(Unprintable())
        assert info.value.__context__ is None or isinstance(info.value.__context__, MetricsError)

    @pytest.mark.parametrize(
        "labels",
        [["a", UnprintableInt(1)], [UnprintableInt(1), "a"]],
        ids=["string-first", "number-first"],
    )
    def test_mixed_label_message(self, labels: list[object]) -> None:
        """A mixed-type message naming a label whose repr raises is still the package's error."""
        with pytest.raises(MixedLabelTypesError, match="unrepresentable UnprintableInt"):
            accuracy(np.array(labels, dtype=object), ["a", "b"])
