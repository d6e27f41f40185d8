"""Every array the ecosystem hands over: tensors, polars and Arrow columns, protocol objects.

Each kind must give exactly the scores of the same labels as a list, through
every public function and the accumulator; missing values (nulls, NaN) and the
refused cases must give the package's own errors. torch, polars and pyarrow
are skipped per test when absent (the floors run), and run everywhere else.
"""

from __future__ import annotations

import array
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from ml_infra.metrics import (
    ConfusionMatrix,
    InvalidInputTypeError,
    InvalidShapeError,
    MetricsError,
    MissingLabelsError,
    MixedLabelTypesError,
    ScoreHistogram,
    accuracy,
    allow_host_copy,
    average_precision_score,
    brier_score_loss,
    classification_report,
    compat,
    confusion_matrix,
    f1_score,
    log_loss,
    precision,
    precision_recall_curve,
    recall,
    roc_auc_score,
    roc_curve,
)

from tests.array_likes import (
    ArrayLike,
    DLPackOnly,
    FakeCudaArray,
    arrow_array,
    chunked_array,
    polars_series,
)
from tests.fresh_process import imported_by

PREDICTIONS = [1, 0, 2, 2, 1, 0, 1]
LABELS = [1, 0, 2, 1, 1, 2, 0]


def _torch(values: list[Any]) -> Any:
    torch = pytest.importorskip("torch")
    return torch.tensor(values)


#: Each kind, built from a list of int labels.
KINDS: dict[str, Callable[[list[Any]], Any]] = {
    "tensor": _torch,
    "polars": polars_series,
    "arrow": arrow_array,
    "chunked_arrow": chunked_array,
    "array.array": lambda v: array.array("q", v),
    "memoryview": lambda v: memoryview(array.array("q", v)),
    "__array__": ArrayLike,
    "dlpack": DLPackOnly,
}
#: Every function that takes (predictions, labels).
LABEL_FUNCTIONS: dict[str, Callable[[Any, Any], Any]] = {
    "accuracy": accuracy,
    "f1_score": lambda p, t: f1_score(p, t, average="macro"),
    "precision": lambda p, t: precision(p, t, average="micro"),
    "recall": lambda p, t: recall(p, t, average=None),
    "confusion_matrix": confusion_matrix,
    "classification_report": classification_report,
    "ConfusionMatrix.update": lambda p, t: ConfusionMatrix().update(p, t),
}
#: Kinds whose nulls are missing values.
NULLABLE = ["polars", "arrow", "chunked_arrow"]


def _all_results(predictions: Any, labels: Any) -> list[Any]:
    """The result of every public function on one pair (classes as lists)."""
    cm_result = confusion_matrix(predictions, labels)
    report = classification_report(predictions, labels)
    return [
        accuracy(predictions, labels),
        f1_score(predictions, labels, average="macro"),
        precision(predictions, labels, average=None),
        recall(predictions, labels, positive_class=2),
        cm_result.classes.tolist(),
        cm_result.matrix.tolist(),
        str(report),
        ConfusionMatrix().update(predictions, labels).counts.tolist(),
    ]


class TestEveryKind:
    @pytest.mark.parametrize("kind", KINDS)
    def test_scores_equal_those_of_lists(self, kind):
        """Every function and the accumulator give a kind exactly the scores of its list."""
        make = KINDS[kind]
        assert _all_results(make(PREDICTIONS), make(LABELS)) == _all_results(PREDICTIONS, LABELS)

    @pytest.mark.parametrize("kind", KINDS)
    def test_mixed_with_a_list(self, kind):
        """A kind paired with a plain list of labels scores as two lists do."""
        make = KINDS[kind]
        assert f1_score(make(PREDICTIONS), LABELS, average="micro") == f1_score(
            PREDICTIONS, LABELS, average="micro"
        )

    @pytest.mark.parametrize("kind", ["polars", "arrow", "chunked_arrow", "__array__"])
    def test_string_labels(self, kind):
        """String columns are string labels."""
        words = ["cat", "dog", "cat"]
        truth = ["cat", "cat", "cat"]
        assert accuracy(KINDS[kind](words), KINDS[kind](truth)) == accuracy(words, truth)

    @pytest.mark.parametrize("func", LABEL_FUNCTIONS)
    @pytest.mark.parametrize("kind", NULLABLE)
    @pytest.mark.parametrize(
        "values", [[1, None, 0, None], [1.0, None, 0.0, None], ["a", None, "b", None]]
    )
    def test_nulls_are_missing_labels(self, kind, values, func):
        """Nulls (int, float or string columns) are missing labels in every function."""
        with pytest.raises(MissingLabelsError, match=r"2 .* at positions \[1, 3\]"):
            LABEL_FUNCTIONS[func](KINDS[kind](values), [1, 0, 0, 1])

    @pytest.mark.parametrize("kind", NULLABLE)
    def test_nulls_leave_the_accumulator_unchanged(self, kind):
        """A batch with nulls is refused and counts nothing."""
        cm = ConfusionMatrix().update([1], [1])
        with pytest.raises(MissingLabelsError, match=r"ConfusionMatrix\.update: predictions"):
            cm.update(KINDS[kind]([1, None]), [1, 0])
        assert cm.n_samples == 1

    @pytest.mark.parametrize("kind", ["tensor", "__array__", "dlpack", "array.array"])
    def test_nan_is_a_missing_label(self, kind):
        """NaN in a float array-like is a missing label."""
        values = [1.0, float("nan"), 0.0]
        data = array.array("d", values) if kind == "array.array" else KINDS[kind](values)
        with pytest.raises(MissingLabelsError, match=r"at positions \[1\]"):
            accuracy(data, [1, 0, 0])


class TestTensors:
    def test_bool_and_float_tensors_are_labels(self):
        """Bool tensors are bool labels; integer-valued float tensors are labels, as arrays."""
        torch = pytest.importorskip("torch")
        pred = torch.tensor([True, False, True])
        true = torch.tensor([1.0, 0.0, 0.0])
        assert accuracy(pred, true) == accuracy(np.array([True, False, True]), [1.0, 0.0, 0.0])

    def test_tensor_that_requires_grad(self):
        """A tensor that requires grad (model output) is read without an autograd error."""
        torch = pytest.importorskip("torch")
        logits = torch.tensor([[0.1, 0.9], [0.8, 0.2]], requires_grad=True)
        pred = (logits * 2).argmax(dim=1).float().requires_grad_()
        assert accuracy(pred, torch.tensor([1, 0])) == 1.0

    def test_strided_view(self):
        """A non-contiguous tensor view is read with its strides."""
        torch = pytest.importorskip("torch")
        pred = torch.arange(10)[::2] % 2
        assert accuracy(pred, [0, 0, 0, 0, 0]) == 1.0

    def test_two_dimensional_tensor_is_refused(self):
        """A 2-D tensor (say, logits) is refused, naming its shape."""
        torch = pytest.importorskip("torch")
        with pytest.raises(InvalidShapeError, match=r"predictions must be 1-D, got a 2-D Tensor"):
            f1_score(torch.zeros(3, 2), [0, 1, 0])

    def test_zero_dimensional_tensor_is_refused(self):
        """A 0-D tensor (one value) is refused as not 1-D."""
        torch = pytest.importorskip("torch")
        with pytest.raises(InvalidShapeError, match="0-D"):
            accuracy(torch.tensor(1), [1])

    def test_bfloat16_names_its_dtype(self):
        """bfloat16, which NumPy cannot hold, is refused with the fix."""
        torch = pytest.importorskip("torch")
        with pytest.raises(InvalidInputTypeError, match=r"torch.bfloat16.*\.float\(\)"):
            accuracy(torch.tensor([1.0, 0.0], dtype=torch.bfloat16), [1, 0])

    def test_batches_into_the_accumulator(self):
        """Batches of tensors accumulate to the one-shot scores."""
        torch = pytest.importorskip("torch")
        cm = ConfusionMatrix()
        for start in range(0, 7, 3):
            cm.update(
                torch.tensor(PREDICTIONS[start : start + 3]),
                torch.tensor(LABELS[start : start + 3]),
            )
        assert cm.f1_score(average="macro") == f1_score(PREDICTIONS, LABELS, average="macro")


class TestOtherKinds:
    def test_polars_and_arrow_tables_are_refused(self):
        """A polars DataFrame or an Arrow Table is 2-D: refused, naming its shape."""
        pl = pytest.importorskip("polars")
        pa = pytest.importorskip("pyarrow")
        frame = pl.DataFrame({"a": [1, 0], "b": [0, 1]})
        table = pa.table({"a": [1, 0], "b": [0, 1]})
        for data in (frame, table):
            with pytest.raises(InvalidShapeError, match=r"must be 1-D, got a 2-D .* \(2, 2\)"):
                accuracy(data, [1, 0])

    def test_mixed_types_in_an_array_like(self):
        """An object array-like mixing strings and numbers is refused."""
        with pytest.raises(MixedLabelTypesError, match="mixes strings and numbers"):
            accuracy(ArrayLike(["a", 1], dtype=object), ["a", "b"])

    def test_raising_array_hook_is_our_error(self):
        """An ``__array__`` that raises ends in InvalidInputTypeError, not the user's error."""

        class Broken:
            def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
                raise KeyError("boom")

        with pytest.raises(InvalidInputTypeError, match="raised KeyError"):
            accuracy(Broken(), [1])

    def test_numpy_scalar_is_not_a_sequence(self):
        """A NumPy scalar (which has ``__array__``) is still refused as not a sequence."""
        with pytest.raises(InvalidInputTypeError, match="got float64"):
            accuracy(np.float64(1.0), [1])


class TestDevices:
    def test_accelerator_memory_is_refused_with_the_fix(self):
        """An array on a GPU is refused, saying to call .cpu() or allow the copy."""
        data = FakeCudaArray([1, 0])
        with pytest.raises(InvalidInputTypeError) as info:
            f1_score(data, [1, 0])
        assert str(info.value) == (
            "f1_score: predictions must be in CPU memory, got a FakeCudaArray on CUDA device 0; "
            "move it first with predictions.cpu(), or allow the copy with "
            "`with ml_infra.preprocessing.allow_host_copy():`"
        )
        assert data.moved == 0

    def test_allow_host_copy_copies_once(self):
        """Inside ``allow_host_copy()`` the array is copied with its .cpu(), for this call only."""
        data = FakeCudaArray([1, 0, 1])
        with allow_host_copy():
            assert ConfusionMatrix().update(data, [1, 0, 0]).n_samples == 3
        assert data.moved == 1
        with pytest.raises(InvalidInputTypeError, match="CPU memory"):
            accuracy(data, [1, 0, 0])


class TestNothingImported:
    def test_plain_inputs_import_no_array_library(self):
        """Calls on lists and ndarrays import neither torch, polars, pyarrow nor pandas."""
        code = (
            "import numpy as np\n"
            "from ml_infra.metrics import ConfusionMatrix, accuracy, f1_score\n"
            "from ml_infra.preprocessing import check_missing_values, normalize\n"
            "f1_score([1, 0, 1], np.array([1, 1, 1]))\n"
            "ConfusionMatrix().update(np.array([1, 0]), [1, 0]).f1_score()\n"
            "normalize(np.arange(4.0)); normalize([1, 2]); check_missing_values([1, None])\n"
        )
        assert imported_by(code, ["torch", "polars", "pyarrow", "pandas"]) == []


SCORES = [0.1, 0.8, 0.4, 0.9, 0.35, 0.6, 0.2]
TRUTH = [0, 1, 0, 1, 1, 0, 0]
WEIGHTS = [1.0, 2.0, 1.0, 0.5, 1.0, 3.0, 1.0]
SCORE_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "roc_auc_score": roc_auc_score,
    "average_precision_score": average_precision_score,
    "brier_score_loss": brier_score_loss,
    "log_loss": log_loss,
    "roc_curve": lambda *a, **k: [c.tolist() for c in roc_curve(*a, **k)],
    "precision_recall_curve": lambda *a, **k: [c.tolist() for c in precision_recall_curve(*a, **k)],
    "ScoreHistogram": lambda *a, **k: ScoreHistogram().update(*a, **k).roc_auc(),
}


def _float_kind(kind: str, values: list[Any]) -> Any:
    """A kind of float64 values (tensors and buffers of float64, not of ints)."""
    if kind == "tensor":
        torch = pytest.importorskip("torch")
        return torch.tensor(values, dtype=torch.float64)
    if kind in ("array.array", "memoryview"):
        data = array.array("d", values)
        return data if kind == "array.array" else memoryview(data)
    return KINDS[kind](values)


class TestScores:
    @pytest.mark.parametrize("func", SCORE_FUNCTIONS)
    @pytest.mark.parametrize("kind", KINDS)
    def test_scores_labels_and_weights_of_every_kind(self, kind, func):
        """Scores, labels and sample weights of a kind give the scores of lists."""
        f = SCORE_FUNCTIONS[func]
        made = (_float_kind(kind, SCORES), KINDS[kind](TRUTH), _float_kind(kind, WEIGHTS))
        assert f(made[0], made[1], sample_weight=made[2]) == f(SCORES, TRUTH, sample_weight=WEIGHTS)

    @pytest.mark.parametrize("kind", NULLABLE)
    def test_null_scores_are_refused(self, kind):
        """A null among the scores is refused like NaN, naming the position."""
        with pytest.raises(MetricsError, match=r"position"):
            roc_auc_score(_float_kind(kind, [0.1, None, 0.3]), [0, 1, 1])

    def test_probability_matrix_tensor_that_requires_grad(self):
        """A softmax output (2-D, requires grad) is a probability matrix, read without error."""
        torch = pytest.importorskip("torch")
        logits = torch.tensor([[2.0, 0.5, 0.1], [0.1, 3.0, 0.2], [0.3, 0.2, 1.5]])
        probabilities = torch.softmax(logits.requires_grad_(), dim=1).double()
        labels = torch.tensor([0, 1, 2])
        expected = probabilities.detach().numpy().copy()
        assert log_loss(probabilities, labels) == log_loss(expected, [0, 1, 2])
        assert roc_auc_score(probabilities, labels, multi_class="ovr") == 1.0

    def test_accelerator_matrix_is_refused(self):
        """A probability matrix in GPU memory is refused with the fix, as 1-D data is."""
        with pytest.raises(InvalidInputTypeError, match=r"scores must be in CPU memory"):
            log_loss(FakeCudaArray([[0.5, 0.5], [0.2, 0.8]]), [0, 1])


class TestCompat:
    @pytest.mark.parametrize("kind", KINDS)
    def test_compat_takes_every_kind(self, kind):
        """The scikit-learn-signature functions take every kind, as the native ones do."""
        make = KINDS[kind]
        assert compat.f1_score(make(LABELS), make(PREDICTIONS), average="macro") == f1_score(
            PREDICTIONS, LABELS, average="macro"
        )
        assert compat.roc_auc_score(make(TRUTH), _float_kind(kind, SCORES)) == roc_auc_score(
            SCORES, TRUTH
        )
