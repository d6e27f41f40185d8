"""Bad input gets a clear MetricsError subclass naming the argument (and the builtin too)."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd
import pytest
from ml_infra.metrics import (
    ConfusionMatrix,
    ContinuousLabelsError,
    InvalidInputTypeError,
    InvalidShapeError,
    LengthMismatchError,
    MetricsError,
    MissingLabelsError,
    MixedLabelTypesError,
    accuracy,
    classification_report,
    confusion_matrix,
    f1_score,
    precision,
    recall,
)

ALL_FUNCS = [accuracy, precision, recall, f1_score, confusion_matrix, classification_report]


class TestContainers:
    @pytest.mark.parametrize("func", ALL_FUNCS)
    @pytest.mark.parametrize("bad", [None, 3, "abc", {"a": 1}, {1, 2}])
    def test_non_sequences_are_type_errors(self, func: Any, bad: object) -> None:
        """None, scalars, strings, dicts and sets raise InvalidInputTypeError naming predictions."""
        with pytest.raises(InvalidInputTypeError, match="predictions") as info:
            func(bad, [1, 0])
        assert isinstance(info.value, TypeError)
        assert isinstance(info.value.__cause__, Exception)  # converted from preprocessing

    def test_labels_argument_is_named(self) -> None:
        """A bad labels argument is reported as labels, with the function's name."""
        with pytest.raises(InvalidInputTypeError, match=r"^f1_score: labels"):
            f1_score([1, 0], None)

    @pytest.mark.parametrize("func", ALL_FUNCS)
    def test_two_dimensional_input_is_rejected(self, func: Any) -> None:
        """2-D arrays and nested lists raise InvalidShapeError (a ValueError)."""
        with pytest.raises(InvalidShapeError, match="labels must be 1-D") as info:
            func([1, 0], np.array([[1], [0]]))
        assert isinstance(info.value, ValueError)
        with pytest.raises(InvalidShapeError, match="predictions"):
            func([[1, 0], [0, 1]], [1, 0])

    @pytest.mark.parametrize("func", ALL_FUNCS)
    def test_length_mismatch(self, func: Any) -> None:
        """Different lengths raise LengthMismatchError giving both lengths."""
        with pytest.raises(LengthMismatchError, match="3 predictions and 2 labels"):
            func([1, 0, 1], [1, 0])

    def test_unsupported_dtypes(self) -> None:
        """Complex and datetime arrays are not class labels."""
        with pytest.raises(InvalidInputTypeError, match="dtype complex128"):
            accuracy(np.array([1j]), np.array([1j]))
        with pytest.raises(InvalidInputTypeError, match="got tuple"):
            accuracy([(1, 2), 3], [1, 1])

    def test_bytes_are_rejected(self) -> None:
        """Byte-string arrays are rejected rather than compared as something else."""
        with pytest.raises(InvalidInputTypeError, match="labels"):
            accuracy(np.array(["a"]), np.array([b"a"]))


class TestMissingValues:
    @pytest.mark.parametrize("func", ALL_FUNCS)
    def test_none_positions_are_reported(self, func: Any) -> None:
        """None labels raise MissingLabelsError saying how many and where."""
        with pytest.raises(MissingLabelsError, match=r"labels holds 2 missing .*\[1, 3\]"):
            func([1, 0, 1, 0], [1, None, 0, None])

    def test_nan_in_float_array(self) -> None:
        """NaN in a float array is missing, at its position."""
        with pytest.raises(MissingLabelsError, match=r"predictions holds 1 missing .*\[2\]"):
            f1_score(np.array([1.0, 0.0, np.nan]), [1, 0, 1])

    def test_pandas_na(self) -> None:
        """pandas NA in a nullable Series is missing."""
        series = pd.Series([1, None, 0], dtype="Int64")
        with pytest.raises(MissingLabelsError, match=r"\[1\]"):
            recall(series, [1, 1, 0])

    def test_masked_entries_are_missing(self) -> None:
        """Masked entries of a masked array are missing labels, not their hidden data."""
        masked = np.ma.array([1, 0, 1, 0], mask=[False, True, False, True])
        with pytest.raises(
            MissingLabelsError, match=r"^f1_score: predictions holds 2 masked .*\[1, 3\]"
        ):
            f1_score(masked, [1, 1, 1, 1])
        assert f1_score(np.ma.array([1, 0]), [1, 1]) == 2 / 3  # nothing masked: accepted

    def test_many_positions_are_elided(self) -> None:
        """Beyond ten positions the message says how many there are in all."""
        with pytest.raises(MissingLabelsError, match=r"\(25 in all\)"):
            accuracy([None] * 25, [1] * 25)


class TestLabelTypes:
    @pytest.mark.parametrize("func", ALL_FUNCS)
    def test_mixed_within_one_array(self, func: Any) -> None:
        """A list mixing strings and numbers raises MixedLabelTypesError (a TypeError)."""
        with pytest.raises(MixedLabelTypesError, match=r"labels mixes strings and numbers") as info:
            func(["a", "b"], ["a", 1])
        assert isinstance(info.value, TypeError)

    def test_mixed_between_arrays(self) -> None:
        """String predictions against numeric labels raise, naming which is which."""
        with pytest.raises(MixedLabelTypesError, match="predictions holds strings but labels"):
            accuracy(["1", "0"], [1, 0])

    @pytest.mark.parametrize("func", ALL_FUNCS)
    def test_continuous_values(self, func: Any) -> None:
        """Non-integer floats (probabilities) raise ContinuousLabelsError naming the value."""
        with pytest.raises(
            ContinuousLabelsError, match=r"predictions holds continuous values \(0.7"
        ):
            func([0.7, 1.0], [1, 0])

    def test_infinity(self) -> None:
        """Infinite values are not labels."""
        with pytest.raises(ContinuousLabelsError, match="infinite"):
            accuracy([math.inf, 1.0], [1, 0])

    def test_object_arrays_of_numbers_and_strings_are_accepted(self) -> None:
        """Object arrays holding one label type convert cleanly."""
        assert accuracy(np.array([1, 2], dtype=object), [1, 2]) == 1.0
        assert accuracy(np.array(["a", "b"], dtype=object), ["a", "a"]) == 0.5
        assert accuracy(np.array([1.0, 0.5], dtype=object)[:1], [1]) == 1.0

    def test_continuous_values_in_object_arrays(self) -> None:
        """Fractional floats inside object arrays are caught too."""
        with pytest.raises(ContinuousLabelsError):
            accuracy(np.array([1.0, 0.5], dtype=object), [1, 0])

    def test_huge_python_ints(self) -> None:
        """Integers beyond 64 bits are rejected with a clear message."""
        with pytest.raises(InvalidInputTypeError, match="64 bits"):
            accuracy([2**70, 1], [1, 1])

    def test_python_ints_from_2_63_stay_exact(self) -> None:
        """A list such as [2**63 + 1, 5] (numpy: float64) keeps its labels distinct as uint64."""
        classes, matrix = confusion_matrix([2**63 + 1, 5], (2**63, 5))
        assert classes.dtype == np.uint64
        assert classes.tolist() == [5, 2**63, 2**63 + 1]
        assert accuracy([2**63 + 1, 5], [2**63, 5]) == 0.5
        assert matrix.tolist() == [[1, 0, 0], [0, 0, 1], [0, 0, 0]]

    def test_negative_ints_with_ints_from_2_63(self) -> None:
        """No 64-bit type holds both -1 and 2**63: a clear error instead of float rounding."""
        with pytest.raises(InvalidInputTypeError, match=r"^accuracy: labels holds both negative"):
            accuracy([1, 1], [2**63, -1])
        with pytest.raises(InvalidInputTypeError, match=r"predictions and labels hold both"):
            f1_score(np.array([2**63], dtype=np.uint64), np.array([-1]))

    def test_uint64_against_int64_compares_exactly(self) -> None:
        """uint64 against int64 (numpy's common type: float64) still tells 2**62 from 2**62 + 1."""
        predictions = np.array([2**62 + 1, 5], dtype=np.uint64)
        labels = np.array([2**62, 5], dtype=np.int64)
        assert (
            f1_score(predictions, labels, average="micro") == accuracy(predictions, labels) == 0.5
        )
        classes, _ = confusion_matrix(predictions, labels)
        assert classes.dtype == np.int64
        assert classes.tolist() == [5, 2**62, 2**62 + 1]

    def test_numbers_numpy_cannot_store_are_named(self) -> None:
        """A Fraction or Decimal label is reported by type and position (not as a huge int)."""
        with pytest.raises(
            InvalidInputTypeError, match=r"got Fraction Fraction\(1, 2\) at position 1"
        ):
            accuracy([1, Fraction(1, 2)], [1, 1])


DAY = np.timedelta64(1, "D")


def _objects(*values: object) -> np.ndarray[Any, np.dtype[np.object_]]:
    """An object array holding exactly ``values`` (numpy would convert a list)."""
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


class TestDurations:
    @pytest.mark.parametrize("func", ALL_FUNCS)
    @pytest.mark.parametrize(
        "durations",
        [
            _objects(DAY, 2.0),
            [DAY, 2.0],
            _objects(DAY, DAY),
            _objects(2, DAY),
            pd.Series([DAY, 2.0], dtype=object),
            np.array([1, 2], dtype="m8[D]"),
        ],
        ids=[
            "object-array",
            "list",
            "object-array-all",
            "object-array-int-first",
            "series",
            "m8-array",
        ],
    )
    def test_timedeltas_are_not_labels(self, func: Any, durations: Any) -> None:
        """numpy.timedelta64 values (a numpy integer subclass) are refused wherever they sit."""
        with pytest.raises(
            InvalidInputTypeError, match=r"^\w+: predictions must hold class labels"
        ):
            func(durations, [1, 0])

    @pytest.mark.parametrize(
        "labels",
        [np.array([0], dtype=np.uint64), np.array([0], dtype=np.int8), [0], ["a"]],
        ids=["uint64", "int8", "list", "strings"],
    )
    def test_no_dtype_promotion_error(self, labels: Any) -> None:
        """confusion_matrix of object timedelta64 against any labels is a MetricsError."""
        with pytest.raises(InvalidInputTypeError, match="timedelta64"):
            confusion_matrix(_objects(DAY), labels)
        with pytest.raises(InvalidInputTypeError, match="timedelta64"):
            confusion_matrix(labels, labels, classes=_objects(DAY))


class TestNumbersBeyond64Bits:
    @pytest.mark.parametrize(
        "values",
        [[10**400, 1.0], [1.5, -(10**30)], _objects(2**64, 0.0), _objects(np.float32(1), -(2**70))],
        ids=["huge-int-then-float", "float-then-negative", "object-array", "numpy-float-beside"],
    )
    def test_floats_beside_huge_ints(self, values: Any) -> None:
        """Floats beside ints no 64-bit type holds raise, instead of an object label array."""
        with pytest.raises(InvalidInputTypeError, match="too large for 64 bits"):
            accuracy(values, [1, 0])


class TestHierarchy:
    def test_every_error_is_a_metrics_error(self) -> None:
        """Users can catch MetricsError for all of them."""
        for exc in (
            InvalidInputTypeError,
            InvalidShapeError,
            LengthMismatchError,
            MissingLabelsError,
        ):
            assert issubclass(exc, MetricsError)

    def test_accumulator_update_validates(self) -> None:
        """ConfusionMatrix.update reports bad input under its own name and keeps its state."""
        cm = ConfusionMatrix().update([1], [1])
        with pytest.raises(LengthMismatchError, match=r"^ConfusionMatrix.update"):
            cm.update([1, 0], [1])
        assert cm.n_samples == 1
