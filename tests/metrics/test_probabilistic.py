"""log_loss and brier_score_loss: sklearn parity (eps clipping, weights, matrices) and errors."""

from __future__ import annotations

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
    InvalidShapeError,
    InvalidWeightsError,
    LengthMismatchError,
    SingleClassError,
    UnknownClassError,
    brier_score_loss,
    log_loss,
)
from sklearn import metrics as skm

TOL = 1e-12
# 0 and 1 exercise the eps clipping; 1e-20 is below eps.
PROBABILITIES = st.sampled_from([0.0, 1e-20, 0.1, 0.25, 0.5, 0.9, 1 - 1e-17, 1.0])


@st.composite
def binary_problems(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """1-D probabilities with both classes present; weights sometimes (zeros allowed)."""
    n = draw(st.integers(2, 25))
    proba = np.array(draw(st.lists(PROBABILITIES, min_size=n, max_size=n)))
    labels = np.array(draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)))
    first = draw(st.integers(0, n - 1))
    labels[first], labels[(first + 1) % n] = 1, 0
    weights = None
    if draw(st.booleans()):
        weights = np.array(draw(st.lists(st.sampled_from([0.0, 0.5, 2.0]), min_size=n, max_size=n)))
        weights[first] = 1.0
    return proba, labels, weights


def close(ours: float, theirs: float) -> bool:
    """Equal to 1e-12 (relative and absolute)."""
    return bool(np.isclose(ours, theirs, rtol=TOL, atol=TOL))


class TestParity:
    @settings(max_examples=80, deadline=None)
    @given(binary_problems(), st.booleans())
    def test_binary(self, problem: Any, normalize: bool) -> None:
        """1-D probabilities: log_loss (mean and sum) and brier equal sklearn's."""
        proba, labels, weights = problem
        assert close(
            log_loss(proba, labels, sample_weight=weights, normalize=normalize),
            skm.log_loss(labels, proba, sample_weight=weights, normalize=normalize),
        )
        assert close(
            brier_score_loss(proba, labels, sample_weight=weights),
            skm.brier_score_loss(labels, proba, sample_weight=weights),
        )

    @settings(max_examples=60, deadline=None)
    @given(data=st.data(), scale_by_half=st.sampled_from(["auto", True, False]))
    def test_matrix(self, probability_problems: Any, data: Any, scale_by_half: Any) -> None:
        """Probability matrices: log_loss and brier (each scale_by_half) equal sklearn's."""
        proba, labels, weights = data.draw(probability_problems(2))
        assert close(
            log_loss(proba, labels, sample_weight=weights),
            skm.log_loss(labels, proba, sample_weight=weights),
        )
        assert close(
            brier_score_loss(proba, labels, sample_weight=weights, scale_by_half=scale_by_half),
            skm.brier_score_loss(labels, proba, sample_weight=weights, scale_by_half=scale_by_half),
        )

    def test_positive_class_and_classes(self) -> None:
        """positive_class names the class of 1-D probabilities; classes names matrix columns."""
        labels = ["spam", "ham", "ham", "spam"]
        proba = np.array([0.9, 0.1, 0.2, 0.65])
        assert close(log_loss(proba, labels, positive_class="spam"), skm.log_loss(labels, proba))
        assert close(
            brier_score_loss(1 - proba, labels, positive_class="ham"),
            skm.brier_score_loss(labels, 1 - proba, pos_label="ham"),
        )
        matrix = np.column_stack([proba, 1 - proba])  # columns: spam, ham
        assert close(
            log_loss(matrix, labels, classes=["spam", "ham"]),
            skm.log_loss(labels, matrix[:, ::-1]),
        )

    def test_float32_uses_its_eps(self) -> None:
        """float32 probabilities are clipped with float32's eps, as sklearn does."""
        proba = np.array([0.0, 1.0, 0.5], dtype=np.float32)
        labels = [1, 0, 1]
        assert np.isclose(log_loss(proba, labels), skm.log_loss(labels, proba), rtol=1e-6)
        assert log_loss(proba, labels) < 12  # -log(float32 eps) is about 15.9, not 36

    def test_large_input(self) -> None:
        """On 100k samples with weights both equal sklearn's."""
        rng = np.random.default_rng(3)
        proba, labels, weights = (
            rng.random(100_000),
            rng.integers(0, 2, 100_000),
            rng.random(100_000),
        )
        assert close(
            log_loss(proba, labels, sample_weight=weights),
            skm.log_loss(labels, proba, sample_weight=weights),
        )

    def test_brier_accepts_one_class(self) -> None:
        """Brier is defined on single-class labels (as sklearn); log_loss is not."""
        assert brier_score_loss([0.25, 0.5], [0, 0]) == skm.brier_score_loss([0, 0], [0.25, 0.5])
        with pytest.raises(SingleClassError, match=r"^log_loss: labels hold a single class"):
            log_loss([0.25, 0.5], [0, 0])


class TestErrors:
    @pytest.mark.parametrize("func", [log_loss, brier_score_loss])
    @pytest.mark.parametrize(
        ("scores", "labels", "error", "text"),
        [
            (
                [0.5, 1.5],
                [0, 1],
                InvalidScoresError,
                "1 out-of-range value(s) at positions [1], e.g. 1.5; probabilities lie in [0, 1]",
            ),
            ([-0.1, 0.5], [0, 1], InvalidScoresError, "e.g. -0.1"),
            ([0.5, float("nan")], [0, 1], InvalidScoresError, "NaN"),
            ([True, False], [0, 1], InvalidInputTypeError, "got booleans"),
            ([0.5, 0.5], [0], LengthMismatchError, "got 2 scores and 1 labels"),
            ([0.5, 0.5], ["a", "b"], UnknownClassError, "positive_class=1 occurs nowhere"),
            (
                [[0.5, 0.6], [0.5, 0.5]],
                [0, 1],
                InvalidScoresError,
                "each row of probabilities must sum to one",
            ),
            ([[0.5, 0.5], [0.5, 0.5]], [0, 2, 1], LengthMismatchError, "2 scores and 3 labels"),
            ([[0.2, 0.3, 0.5]], [0], InvalidShapeError, "3 columns but labels hold 1 classes"),
            ([], [], EmptyInputError, "no samples"),
        ],
    )
    def test_bad_input(self, func: Any, scores: Any, labels: Any, error: type, text: str) -> None:
        """Bad probabilities and labels raise the package's error naming the function."""
        with pytest.raises(error, match=f"^{func.__name__}: ") as info:
            func(scores, labels)
        assert text in str(info.value)

    def test_weights_summing_to_zero(self) -> None:
        """Weights that are all zero are an error (sklearn raises ZeroDivisionError)."""
        with pytest.raises(InvalidWeightsError, match=r"^log_loss: sample_weight"):
            log_loss([0.5, 0.5], [0, 1], sample_weight=[0, 0])

    @pytest.mark.parametrize(
        ("func", "kwargs"),
        [(log_loss, {"normalize": 1}), (brier_score_loss, {"scale_by_half": "yes"})],
    )
    def test_bad_options(self, func: Any, kwargs: dict[str, Any]) -> None:
        """normalize and scale_by_half are checked."""
        with pytest.raises(InvalidParameterError, match=f"^{func.__name__}: "):
            func([0.5, 0.5], [0, 1], **kwargs)
