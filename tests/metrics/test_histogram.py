"""ScoreHistogram: exact form equals the one-shot functions, binned AUC bound, merging, errors."""

from __future__ import annotations

import itertools
import pickle
import re
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ml_infra.metrics import (
    EmptyInputError,
    InvalidInputTypeError,
    InvalidParameterError,
    InvalidScoresError,
    LengthMismatchError,
    ScoreHistogram,
    SingleClassError,
    UnknownClassError,
    average_precision_score,
    brier_score_loss,
    log_loss,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
)

TOL = 1e-12


@st.composite
def batches(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, list[int]]:
    """Scores on a coarse grid (ties), both classes, optional weights, and cut points for batches."""
    n = draw(st.integers(2, 40))
    grid = draw(st.sampled_from([4, 10, 1000]))
    scores = np.array(draw(st.lists(st.integers(0, grid), min_size=n, max_size=n))) / grid
    labels = np.array(
        draw(st.lists(st.sampled_from(["yes", "no"]), min_size=n, max_size=n)), dtype="<U3"
    )
    first = draw(st.integers(0, n - 1))
    labels[first], labels[(first + 1) % n] = "yes", "no"
    weights = None
    if draw(st.booleans()):
        weights = np.array(
            draw(st.lists(st.sampled_from([0.0, 1.0, 2.0, 5.0]), min_size=n, max_size=n))
        )
        weights[[first, (first + 1) % n]] = 1.0
    cuts = sorted(draw(st.lists(st.integers(0, n), max_size=4)))
    return scores, labels, weights, cuts


def split(scores: Any, labels: Any, weights: Any, cuts: list[int]) -> list[tuple[Any, Any, Any]]:
    """The data as batches cut at ``cuts`` (a batch whose weights are all zero is left out)."""
    bounds = [0, *cuts, len(scores)]
    return [
        (scores[a:b], labels[a:b], None if weights is None else weights[a:b])
        for a, b in itertools.pairwise(bounds)
        if weights is None or weights[a:b].any() or a == b
    ]


def fed(
    hist: ScoreHistogram, scores: Any, labels: Any, weights: Any, cuts: list[int]
) -> ScoreHistogram:
    """Feed the data to ``hist`` in batches split at ``cuts``."""
    for batch in split(scores, labels, weights, cuts):
        hist.update(*batch)
    return hist


def close(ours: Any, theirs: Any) -> bool:
    """Equal arrays (same shape) or floats to 1e-12."""
    a, b = np.asarray(ours, dtype=float), np.asarray(theirs, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=TOL, atol=TOL))


class TestExact:
    @settings(max_examples=60, deadline=None)
    @given(batches())
    def test_equals_one_shot_functions(self, data: Any) -> None:
        """Fed in any batches, every metric equals the one-shot function on all the data."""
        scores, labels, weights, cuts = data
        hist = fed(ScoreHistogram(positive_class="yes"), scores, labels, weights, cuts)
        kw = {"positive_class": "yes", "sample_weight": weights}
        assert close(hist.roc_auc(), roc_auc_score(scores, labels, **kw))
        assert close(hist.average_precision(), average_precision_score(scores, labels, **kw))
        assert close(hist.log_loss(), log_loss(scores, labels, **kw))
        assert close(hist.brier_score(), brier_score_loss(scores, labels, **kw))
        for drop in (True, False):
            pairs = zip(
                hist.roc_curve(drop_intermediate=drop),
                roc_curve(scores, labels, drop_intermediate=drop, **kw),
                strict=True,
            )
            assert all(close(a, b) for a, b in pairs)
            pairs = zip(
                hist.precision_recall_curve(drop_intermediate=drop),
                precision_recall_curve(scores, labels, drop_intermediate=drop, **kw),
                strict=True,
            )
            assert all(close(a, b) for a, b in pairs)
        assert hist.auc_error_bound() == 0.0

    def test_any_real_scores_rank(self) -> None:
        """Decision-function scores (outside [0, 1]) rank; the losses then need probabilities."""
        hist = ScoreHistogram().update([-2.5, 3.0, 0.5], [0, 1, 1])
        assert hist.roc_auc() == 1.0
        with pytest.raises(
            InvalidScoresError, match=r"^ScoreHistogram\.log_loss: needs probabilities"
        ):
            hist.log_loss()
        with pytest.raises(InvalidScoresError, match=r"^ScoreHistogram\.brier_score: "):
            hist.brier_score()

    def test_memory_is_one_entry_per_distinct_score(self) -> None:
        """The exact state keeps one entry per distinct score, whatever the number of samples."""
        hist = ScoreHistogram()
        for _ in range(3):
            hist.update(np.tile([0.25, 0.5, 0.75], 100), np.tile([0, 1, 1], 100))
        assert hist.roc_curve(drop_intermediate=False).thresholds.shape == (4,)
        assert hist.total_weight == 900.0


class TestBinned:
    @settings(max_examples=60, deadline=None)
    @given(batches(), st.integers(1, 12))
    def test_auc_within_bound(self, data: Any, bins: int) -> None:
        """|binned AUC - exact AUC| <= auc_error_bound(); the losses stay exact."""
        scores, labels, weights, cuts = data
        binned = fed(ScoreHistogram(bins, positive_class="yes"), scores, labels, weights, cuts)
        kw = {"positive_class": "yes", "sample_weight": weights}
        exact = roc_auc_score(scores, labels, **kw)
        assert abs(binned.roc_auc() - exact) <= binned.auc_error_bound() + TOL
        assert close(binned.log_loss(), log_loss(scores, labels, **kw))
        assert close(binned.brier_score(), brier_score_loss(scores, labels, **kw))

    def test_bound_on_random_data(self) -> None:
        """On 50k random scores with 100 bins the bound holds and is small."""
        rng = np.random.default_rng(7)
        labels = rng.integers(0, 2, 50_000)
        scores = np.clip(rng.normal(0.4 + 0.2 * labels, 0.2), 0, 1)
        binned = ScoreHistogram(100).update(scores, labels, rng.random(50_000))
        exact = roc_auc_score(
            scores,
            labels,
            sample_weight=rng.__class__(rng.bit_generator.__class__(7)).random(0)
            if False
            else None,
        )
        unweighted = ScoreHistogram(100).update(scores, labels)
        assert abs(unweighted.roc_auc() - exact) <= unweighted.auc_error_bound()
        assert unweighted.auc_error_bound() < 0.01
        assert binned.auc_error_bound() < 0.01

    @pytest.mark.parametrize("direction", [1, -1])
    def test_bound_is_attained_on_adversarial_data(self, direction: int) -> None:
        """When each bin's positives all sit above (or below) its negatives, the error equals the bound."""
        base = np.repeat(np.arange(10) / 10, 2)  # two samples per bin of ScoreHistogram(10)
        offsets = np.tile([0.01, 0.05], 10)
        labels = np.tile([0, 1] if direction == 1 else [1, 0], 10)
        scores = base + offsets
        binned = ScoreHistogram(10).update(scores, labels)
        error = binned.roc_auc() - roc_auc_score(scores, labels)
        assert abs(error) == pytest.approx(binned.auc_error_bound(), abs=TOL)
        assert binned.auc_error_bound() > 0

    def test_range_and_edges(self) -> None:
        """range= declares the interval; the top edge falls in the last bin; thresholds are lower edges."""
        hist = ScoreHistogram(4, range=(-2, 2)).update([-2.0, 2.0, 0.1], [0, 1, 1])
        assert hist.roc_curve(drop_intermediate=False).thresholds.tolist() == [
            np.inf,
            1.0,
            0.0,
            -2.0,
        ]
        with pytest.raises(InvalidScoresError, match=re.escape("outside [0, 1]")):
            hist.log_loss()

    def test_outside_range_is_an_error_and_state_unchanged(self) -> None:
        """A score outside the bins' range raises, naming where, and the state stays as it was."""
        hist = ScoreHistogram(10).update([0.2, 0.8], [0, 1])
        before = hist.copy()
        with pytest.raises(
            InvalidScoresError, match=r"got 1 value\(s\) outside at positions \[1\], e.g. 1.5"
        ):
            hist.update([0.5, 1.5], [0, 1])
        assert hist == before


class TestMerging:
    @settings(max_examples=40, deadline=None)
    @given(batches(), st.sampled_from([None, 5]))
    def test_add_equals_one_histogram_of_all_data(self, data: Any, bins: int | None) -> None:
        """a + b and sum(parts) equal one histogram fed all the data; the inputs do not change."""
        scores, labels, weights, cuts = data
        parts = [
            ScoreHistogram(bins, positive_class="yes").update(*batch)
            for batch in split(scores, labels, weights, cuts)
        ]
        copies = [pickle.loads(pickle.dumps(p)) for p in parts]
        total = sum(parts)
        whole = ScoreHistogram(bins, positive_class="yes").update(scores, labels, weights)
        assert isinstance(total, ScoreHistogram)
        assert close(total.roc_auc(), whole.roc_auc())
        assert close(total.log_loss(), whole.log_loss())
        if weights is None:
            assert parts[0] + parts[-1] == ScoreHistogram(bins, positive_class="yes").merge(
                parts[0]
            ).merge(parts[-1])
        assert parts == copies

    def test_merge_is_in_place(self) -> None:
        """merge adds into self and returns it; its docstring's first line says so."""
        a = ScoreHistogram().update([0.2], [0])
        assert a.merge(ScoreHistogram().update([0.7], [1])) is a
        assert a.total_weight == 2.0
        assert "in place" in (ScoreHistogram.merge.__doc__ or "").splitlines()[0]

    @pytest.mark.parametrize(
        "other",
        [ScoreHistogram(5), ScoreHistogram(positive_class="yes"), ScoreHistogram(10, range=(0, 2))],
    )
    def test_incompatible_merges(self, other: ScoreHistogram) -> None:
        """Different bins, range or positive_class cannot merge (nor add)."""
        with pytest.raises(InvalidParameterError, match=r"^ScoreHistogram\.merge: cannot merge"):
            ScoreHistogram(10).merge(other)
        with pytest.raises(InvalidParameterError):
            _ = ScoreHistogram(10) + other

    def test_wrong_types(self) -> None:
        """Merging something else is InvalidInputTypeError; adding it is TypeError."""
        with pytest.raises(InvalidInputTypeError, match="got int"):
            ScoreHistogram().merge(3)  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            _ = ScoreHistogram() + 3  # type: ignore[operator]

    def test_pickles(self) -> None:
        """A histogram survives pickling with its state and settings."""
        hist = ScoreHistogram(8, positive_class="a", range=(0, 4)).update(
            [1.0, 3.5], ["a", "b"], [2, 1]
        )
        clone = pickle.loads(pickle.dumps(hist))
        assert clone == hist
        assert clone.roc_auc() == hist.roc_auc()
        assert (
            repr(clone)
            == "ScoreHistogram(bins=8, range=(0.0, 4.0), positive_class='a', total_weight=3)"
        )


class TestErrors:
    @pytest.mark.parametrize(
        ("kwargs", "text"),
        [
            ({"bins": 0}, "bins must be between 1 and"),
            ({"bins": 2.5}, "bins must be None or an int, got 2.5"),
            ({"bins": True}, "bins must be None or an int"),
            ({"range": (0, 1)}, "range= applies to bins only"),
            ({"bins": 3, "range": (1, 0)}, "low < high"),
            ({"bins": 3, "range": (0, float("inf"))}, "low < high"),
            ({"bins": 3, "range": "ab"}, "(low, high) pair"),
        ],
    )
    def test_bad_settings(self, kwargs: dict[str, Any], text: str) -> None:
        """bins and range are checked at construction."""
        with pytest.raises(InvalidParameterError, match=r"^ScoreHistogram: ") as info:
            ScoreHistogram(**kwargs)
        assert text in str(info.value)

    def test_bad_batches_leave_state_unchanged(self) -> None:
        """NaN scores, length mismatches and a positive_class absent from multi-class labels raise."""
        hist = ScoreHistogram().update([0.1, 0.9], [0, 1])
        before = hist.copy()
        with pytest.raises(
            InvalidScoresError, match=r"^ScoreHistogram\.update: scores holds 1 NaN"
        ):
            hist.update([0.1, float("nan")], [0, 1])
        with pytest.raises(UnknownClassError, match="positive_class=1 occurs nowhere"):
            hist.update([0.1, 0.2], ["a", "b"])
        with pytest.raises(LengthMismatchError):
            hist.update([0.1], [0, 1])
        assert hist == before

    def test_metrics_need_data(self) -> None:
        """An empty histogram or a single class cannot be scored."""
        with pytest.raises(EmptyInputError, match=r"^ScoreHistogram\.roc_auc: "):
            ScoreHistogram().roc_auc()
        with pytest.raises(EmptyInputError):
            ScoreHistogram().brier_score()
        only_negatives = ScoreHistogram().update([0.1, 0.3], [0, 0])
        with pytest.raises(SingleClassError, match="got no positive samples"):
            only_negatives.roc_auc()
        with pytest.raises(SingleClassError):
            only_negatives.log_loss()
        assert only_negatives.brier_score() == brier_score_loss([0.1, 0.3], [0, 0])
