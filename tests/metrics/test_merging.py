"""ConfusionMatrix merging without surprises: a + b, sum(parts), merge in place, declared classes."""

from __future__ import annotations

import itertools
import pickle
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ml_infra.metrics import (
    ConfusionMatrix,
    InvalidParameterError,
    UnknownClassError,
    f1_score,
)

Pairs = st.SearchStrategy[tuple[list[Any], list[Any]]]
Weighted = st.SearchStrategy[tuple[list[Any], list[Any], list[float]]]


def parts_of(data: st.DataObject, n: int) -> list[tuple[int, int]]:
    """Random contiguous slices covering range(n)."""
    cuts = sorted(data.draw(st.lists(st.integers(0, n), max_size=4)))
    bounds = [0, *cuts, n]
    return list(itertools.pairwise(bounds))


class TestAddition:
    @settings(max_examples=60)
    @given(st.data())
    def test_sum_of_parts_equals_one_pass(
        self, weighted_pairs: Weighted, data: st.DataObject
    ) -> None:
        """sum(parts) and a + b + ... equal one state built from all the data; no part changes."""
        predictions, labels, weights = data.draw(weighted_pairs)
        use_weights = data.draw(st.booleans())
        w = weights if use_weights else None

        def state(lo: int, hi: int) -> ConfusionMatrix:
            return ConfusionMatrix().update(
                predictions[lo:hi], labels[lo:hi], sample_weight=None if w is None else w[lo:hi]
            )

        parts = [state(lo, hi) for lo, hi in parts_of(data, len(labels))]
        snapshots = [pickle.dumps(p) for p in parts]
        whole = state(0, len(labels))
        total = sum(parts)
        assert isinstance(total, ConfusionMatrix)
        assert total.classes.tolist() == whole.classes.tolist()
        np.testing.assert_allclose(total.counts, whole.counts, rtol=1e-12)
        assert total.n_samples == whole.n_samples
        assert f1_score(predictions, labels, average="macro", sample_weight=w) == pytest.approx(
            total.f1_score(average="macro"), abs=1e-12
        )
        assert [pickle.dumps(p) for p in parts] == snapshots  # no part changed
        assert all(total is not p for p in parts)

    @settings(max_examples=40)
    @given(st.data())
    def test_addition_is_commutative_and_associative(
        self, label_pairs: Pairs, data: st.DataObject
    ) -> None:
        """Unweighted states add exactly: order and grouping do not matter."""
        predictions, labels = data.draw(label_pairs)
        a, b, c = (
            ConfusionMatrix().update(predictions[lo:hi], labels[lo:hi])
            for lo, hi in ((0, 3), (3, 9), (9, len(labels)))
        )
        assert a + b == b + a
        assert (a + b) + c == a + (b + c) == ConfusionMatrix().update(predictions, labels)

    def test_merge_is_in_place_and_add_is_not(self) -> None:
        """merge changes and returns the left state; + returns a new one and changes neither."""
        a = ConfusionMatrix().update([1, 0], [1, 1])
        b = ConfusionMatrix().update([2], [2])
        total = a + b
        assert a.n_samples == 2
        assert b.n_samples == 1
        assert total.n_samples == 3
        assert a.merge(b) is a
        assert a == total
        assert b.n_samples == 1
        assert ConfusionMatrix.merge.__doc__ is not None
        assert "in place" in ConfusionMatrix.merge.__doc__.splitlines()[0]

    def test_zero_plus_state_and_bad_operands(self) -> None:
        """0 + state is a copy (sum's start); other operands raise TypeError."""
        a = ConfusionMatrix().update([1], [1])
        copy = 0 + a
        assert copy == a
        assert copy is not a
        assert sum([a], ConfusionMatrix()) == a
        with pytest.raises(TypeError):
            a + 1  # type: ignore[operator]
        with pytest.raises(TypeError):
            1 + a  # type: ignore[operator]

    def test_weighted_plus_unweighted(self) -> None:
        """Adding an unweighted state to a weighted one gives float counts of both."""
        a = ConfusionMatrix().update([1, 0], [1, 1], sample_weight=[0.5, 2.0])
        b = ConfusionMatrix().update([1], [1])
        assert (a + b).counts.tolist() == [[0.0, 0.0], [2.0, 1.5]]
        assert (b + a).counts.tolist() == [[0.0, 0.0], [2.0, 1.5]]

    def test_pickle_round_trip(self) -> None:
        """States pickle with their weights' squares and declaration."""
        a = ConfusionMatrix(classes=[0, 1, 2]).update([1, 0], [1, 1], sample_weight=[0.5, 2.0])
        b = pickle.loads(pickle.dumps(a))
        assert b == a
        assert b.declared
        assert b.confidence_interval("recall") == a.confidence_interval("recall")


class TestDeclaredClasses:
    def test_declared_classes_are_reported_before_they_occur(self) -> None:
        """Declared classes are sorted and present from the start; absent ones score zero_division."""
        cm = ConfusionMatrix(classes=["dog", "cat", "bird"])
        assert cm.classes.tolist() == ["bird", "cat", "dog"]
        assert cm.counts.tolist() == [[0, 0, 0]] * 3
        cm.update(["cat", "dog"], ["cat", "cat"])
        assert cm.precision(average=None, zero_division=1.0) == {
            "bird": 1.0,
            "cat": 1.0,
            "dog": 0.0,
        }
        assert cm.f1_score(average="macro") == f1_score(
            ["cat", "dog"], ["cat", "cat"], average="macro", classes=["bird", "cat", "dog"]
        )

    def test_labels_outside_are_refused(self) -> None:
        """A label or prediction outside the declared classes raises; the state is unchanged."""
        cm = ConfusionMatrix(classes=[0, 1]).update([0, 1], [1, 1])
        before = 0 + cm
        with pytest.raises(UnknownClassError, match=r"\[2\] are not among the declared classes"):
            cm.update([0, 2], [1, 1])
        assert cm == before

    def test_merging_declared_states(self) -> None:
        """Same declarations merge; different ones raise; undeclared data must fit the declared."""
        a = ConfusionMatrix(classes=[0, 1]).update([0], [1])
        b = ConfusionMatrix(classes=[1, 0]).update([1], [1])
        assert (a + b).declared
        assert (a + b).n_samples == 2
        with pytest.raises(UnknownClassError, match="declare different classes"):
            a + ConfusionMatrix(classes=[0, 1, 2])
        free = ConfusionMatrix().update([1], [0])
        assert (free + a).declared
        assert (free + a) == (a + free)
        with pytest.raises(UnknownClassError, match="declared"):
            a + ConfusionMatrix().update([5], [5])
        with pytest.raises(UnknownClassError, match="declared"):
            ConfusionMatrix().update([5], [5]) + a

    def test_bad_declarations(self) -> None:
        """Empty or repeated declared classes are refused."""
        with pytest.raises(InvalidParameterError, match="ConfusionMatrix: classes must name"):
            ConfusionMatrix(classes=[])
        with pytest.raises(InvalidParameterError, match="distinct"):
            ConfusionMatrix(classes=["a", "a"])
