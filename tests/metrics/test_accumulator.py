"""ConfusionMatrix: batch updates and merges of partial states equal the one-shot result."""

from __future__ import annotations

import itertools
import math
import multiprocessing
import pickle
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from ml_infra.metrics import (
    ConfusionMatrix,
    EmptyInputError,
    InvalidInputTypeError,
    MixedLabelTypesError,
    UnknownClassError,
    accuracy,
    classification_report,
    confusion_matrix,
    f1_score,
    precision,
    recall,
)

Pairs = st.SearchStrategy[tuple[list[Any], list[Any]]]
AVERAGES = ["micro", "macro", "weighted", None]


def split(values: list[Any], cuts: list[int]) -> list[list[Any]]:
    """Cut a list at the given (sorted, deduplicated) positions."""
    bounds = [0, *sorted(set(cuts)), len(values)]
    return [values[a:b] for a, b in itertools.pairwise(bounds)]


def assert_same_scores(cm: ConfusionMatrix, predictions: list[Any], labels: list[Any]) -> None:
    """Every accumulator score equals the one-shot function's exactly (NaN == NaN)."""
    assert cm.accuracy() == accuracy(predictions, labels)
    for average in AVERAGES:
        for method, func in (
            (cm.precision, precision),
            (cm.recall, recall),
            (cm.f1_score, f1_score),
        ):
            ours = method(average=average, zero_division=math.nan)  # type: ignore[call-overload]
            expected = func(predictions, labels, average=average, zero_division=math.nan)  # type: ignore[call-overload]
            assert repr(ours) == repr(expected)
    classes, matrix = confusion_matrix(predictions, labels)
    assert cm.classes.tolist() == classes.tolist()
    np.testing.assert_array_equal(cm.counts, matrix)


class TestMergeEqualsOneShot:
    @given(st.data())
    def test_batches_in_any_split(self, label_pairs: Pairs, data: st.DataObject) -> None:
        """update() over any split into batches equals the one-shot scores exactly."""
        predictions, labels = data.draw(label_pairs)
        cuts = data.draw(st.lists(st.integers(0, len(labels)), max_size=4))
        cm = ConfusionMatrix()
        for p, t in zip(split(predictions, cuts), split(labels, cuts), strict=True):
            cm.update(p, t)
        assert_same_scores(cm, predictions, labels)

    @given(st.data())
    def test_partial_states_merge_in_any_order(
        self, label_pairs: Pairs, data: st.DataObject
    ) -> None:
        """Partial states with different classes merge (any order) to the one-shot state."""
        predictions, labels = data.draw(label_pairs)
        cuts = data.draw(st.lists(st.integers(0, len(labels)), max_size=4))
        parts = [
            ConfusionMatrix().update(p, t)
            for p, t in zip(split(predictions, cuts), split(labels, cuts), strict=True)
        ]
        order = data.draw(st.permutations(range(len(parts))))
        total = ConfusionMatrix()
        for i in order:
            total.merge(pickle.loads(pickle.dumps(parts[i])))
        assert_same_scores(total, predictions, labels)
        assert total == ConfusionMatrix().update(predictions, labels)

    def test_merge_across_processes(self) -> None:
        """States computed in worker processes and merged equal the one-shot result."""
        rng = np.random.default_rng(11)
        labels = rng.choice(np.array(["ant", "bee", "cat", "dog"]), 4_000)
        predictions = np.where(rng.random(4_000) < 0.6, labels, "bee")
        chunks = [(predictions[i : i + 1000], labels[i : i + 1000]) for i in range(0, 4_000, 1000)]
        with multiprocessing.get_context("spawn").Pool(2) as pool:
            parts = pool.starmap(ConfusionMatrix().update, chunks)
        total = ConfusionMatrix()
        for part in parts:
            total.merge(part)
        assert_same_scores(total, predictions.tolist(), labels.tolist())


class TestState:
    def test_empty_accumulator(self) -> None:
        """A fresh accumulator has no classes, zero samples, accuracy 0.0."""
        cm = ConfusionMatrix()
        assert cm.n_samples == 0
        assert cm.classes.shape == (0,)
        assert cm.accuracy() == 0.0
        assert cm.confusion_matrix().matrix.shape == (0, 0)

    def test_scores_of_empty_accumulator_raise(self) -> None:
        """precision/recall/f1/report before any sample raise EmptyInputError."""
        cm = ConfusionMatrix()
        with pytest.raises(EmptyInputError, match=r"^ConfusionMatrix.f1_score"):
            cm.f1_score(average="macro")
        with pytest.raises(EmptyInputError):
            cm.classification_report()

    def test_empty_batches_change_nothing(self) -> None:
        """Updating with empty batches keeps the state."""
        cm = ConfusionMatrix().update([1], [0]).update([], [])
        assert cm == ConfusionMatrix().update([1], [0])

    def test_properties_are_copies(self) -> None:
        """Mutating classes or counts does not touch the state."""
        cm = ConfusionMatrix().update([1, 0], [1, 1])
        cm.counts[0, 0] = 99
        cm.classes[0] = 7
        assert cm.counts.tolist() == [[0, 0], [1, 1]]
        assert cm.classes.tolist() == [0, 1]

    def test_string_and_numeric_states_do_not_mix(self) -> None:
        """Merging string classes with numeric ones raises MixedLabelTypesError."""
        cm = ConfusionMatrix().update(["a"], ["a"])
        with pytest.raises(MixedLabelTypesError, match="seen so far are strings"):
            cm.update([1], [1])
        with pytest.raises(MixedLabelTypesError, match=r"^ConfusionMatrix.merge"):
            cm.merge(ConfusionMatrix().update([1], [1]))

    @pytest.mark.parametrize(
        ("first", "second"),
        [
            (np.array([True, False]), np.array([0, 1])),
            (np.array([1, 0]), np.array([0.0, 1.0])),
            (np.array(["a", "b"]), np.array(["b", "a"], dtype="U5")),
            (np.array([True, False]), np.array([1, 2])),
        ],
    )
    def test_merged_classes_do_not_depend_on_order(
        self, first: np.ndarray, second: np.ndarray
    ) -> None:
        """States of different dtypes merge, in either order, to the one-shot classes and dtype."""
        whole = np.concatenate((first, second))
        expected = ConfusionMatrix().update(whole, whole)
        for a, b in ((first, second), (second, first)):
            merged = ConfusionMatrix().update(a, a).merge(ConfusionMatrix().update(b, b))
            assert merged == expected
            assert merged.classes.dtype == expected.classes.dtype
            assert list(merged.f1_score(average=None)) == list(expected.f1_score(average=None))

    def test_uint64_and_int64_states_merge_exactly(self) -> None:
        """Merging uint64 with int64 classes keeps 2**62 and 2**62 + 1 apart (no float64 union)."""
        big = ConfusionMatrix().update(
            np.array([2**62 + 1], dtype=np.uint64), np.array([2**62 + 1], dtype=np.uint64)
        )
        merged = big.merge(ConfusionMatrix().update([2**62], [2**62]))
        assert merged.classes.tolist() == [2**62, 2**62 + 1]
        assert merged.counts.tolist() == [[1, 0], [0, 1]]
        huge = ConfusionMatrix().update([2**63], [2**63])
        with pytest.raises(InvalidInputTypeError, match=r"^ConfusionMatrix.merge: the classes"):
            huge.merge(ConfusionMatrix().update([-1], [-1]))
        assert huge.classes.tolist() == [2**63]

    def test_merge_needs_a_confusion_matrix(self) -> None:
        """merge() of something else raises InvalidInputTypeError."""
        with pytest.raises(InvalidInputTypeError, match="got dict"):
            ConfusionMatrix().merge({})  # type: ignore[arg-type]

    def test_positive_class_checked_against_all_data(self) -> None:
        """A positive_class absent from every batch raises, naming the classes seen."""
        cm = ConfusionMatrix().update(["dog"], ["cat"])
        with pytest.raises(UnknownClassError, match=r"\['cat', 'dog'\]"):
            cm.precision("Dog")
        assert cm.precision("dog") == 0.0

    def test_repr_and_equality(self) -> None:
        """repr shows classes and sample count; equality compares state; not hashable."""
        cm = ConfusionMatrix().update([1, 2], [1, 1])
        assert repr(cm) == "ConfusionMatrix(classes=[1, 2], n_samples=2)"
        assert cm != ConfusionMatrix()
        assert cm.__eq__(object()) is NotImplemented
        with pytest.raises(TypeError):
            hash(cm)

    def test_report_and_normalized_matrix(self) -> None:
        """The accumulator's report and normalized matrix equal the one-shot ones."""
        predictions, labels = [0, 1, 2, 2], [0, 2, 2, 1]
        cm = (
            ConfusionMatrix()
            .update(predictions[:2], labels[:2])
            .update(predictions[2:], labels[2:])
        )
        assert cm.classification_report() == classification_report(predictions, labels)
        np.testing.assert_array_equal(
            cm.confusion_matrix(normalize="pred").matrix,
            confusion_matrix(predictions, labels, normalize="pred").matrix,
        )
