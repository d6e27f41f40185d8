"""Tests of the shared input gate ``ensure_1d``."""

from __future__ import annotations

from collections import UserList

import numpy as np
import pandas as pd
import pytest
from ml_infra.preprocessing import (
    DataShapeError,
    DataTypeError,
    ParameterError,
    PreprocessingError,
    ensure_1d,
    normalize,
    validate_range,
)

from tests.fuzz.strategies import (
    Boom,
    LyingList,
    LyingSequence,
    RaisingArray,
    RaisingLenElement,
    RaisingRepr,
    RaisingSequence,
)


class TestAccepted:
    def test_ndarray_is_returned_without_copy(self):
        """A 1-D ndarray comes back as the very same object (no copy)."""
        x = np.arange(5.0)
        assert ensure_1d(x) is x

    @pytest.mark.parametrize("data", [[1, 2, 3], (1, 2, 3), range(1, 4)])
    def test_sequences_become_int_arrays(self, data):
        """Lists, tuples and ranges of ints become a 1-D integer array."""
        arr = ensure_1d(data)
        assert arr.dtype.kind == "i"
        assert arr.tolist() == [1, 2, 3]

    def test_series_gives_its_values_by_position(self):
        """A Series yields its values in order, ignoring the index labels."""
        s = pd.Series([3.0, 1.0], index=[10, 20], name="x")
        arr = ensure_1d(s)
        assert isinstance(arr, np.ndarray)
        assert arr.tolist() == [3.0, 1.0]

    def test_pure_strings_stay_strings(self):
        """A list of only strings keeps NumPy's string dtype (labels)."""
        assert ensure_1d(["a", "b"]).dtype.kind == "U"

    @pytest.mark.parametrize("data", [["a", 1], [1.5, "x"], [b"a", "b"], [[1, 2], [3]], [1, None]])
    def test_mixed_or_ragged_content_becomes_object(self, data):
        """Mixed strings/numbers, ragged nesting and None give an object array."""
        arr = ensure_1d(data)
        assert arr.dtype == object
        assert arr.shape == (len(data),)

    def test_empty_list_gives_empty_array(self):
        """An empty list is a valid, empty 1-D array."""
        assert ensure_1d([]).shape == (0,)


class TestRejected:
    @pytest.mark.parametrize(
        ("data", "got"),
        [
            (None, "None"),
            (3, "int"),
            (2.5, "float"),
            (np.float64(1.0), "float64"),
            ("abc", "str"),
            (b"abc", "bytes"),
            ({"a": 1}, "dict"),
            ({1, 2}, "set"),
            (iter([1, 2]), "list_iterator"),
        ],
    )
    def test_non_sequences_raise_type_error(self, data, got):
        """None, scalars, strings, dicts, sets, iterators: a TypeError naming the type."""
        with pytest.raises(DataTypeError, match=f"got {got}$") as info:
            ensure_1d(data, name="y_true", func="accuracy")
        assert isinstance(info.value, TypeError)
        assert isinstance(info.value, PreprocessingError)
        assert str(info.value).startswith("accuracy: y_true must be a 1-D array-like")

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (np.zeros((3, 2)), "data must be 1-D, got a 2-D array of shape (3, 2)"),
            (np.array(1.0), "data must be 1-D, got a 0-D array of shape ()"),
            ([[1, 2], [3, 4]], "data must be 1-D, got a 2-D list of shape (2, 2)"),
            (((1,), (2,)), "data must be 1-D, got a 2-D tuple of shape (2, 1)"),
            (pd.DataFrame({"a": [1, 2]}), "data must be 1-D, got a 2-D DataFrame of shape (2, 1)"),
            (np.ma.zeros((2, 2)), "data must be 1-D, got a 2-D array of shape (2, 2)"),
            (UserList([[1], [2]]), "data must be 1-D, got a 2-D UserList of shape (2, 1)"),
        ],
    )
    def test_not_one_dimensional_raises_value_error(self, data, message):
        """Anything not 1-D gets a ValueError saying the shape it got."""
        with pytest.raises(DataShapeError) as info:
            ensure_1d(data)
        assert str(info.value) == message
        assert isinstance(info.value, ValueError)

    def test_message_is_prefixed_with_func(self):
        """When ``func`` is given, the message starts with it."""
        with pytest.raises(DataShapeError, match=r"^f1_score: y_pred must be 1-D"):
            ensure_1d(np.zeros((2, 2)), name="y_pred", func="f1_score")


class TestHostileContainers:
    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (
                LyingSequence([1.0, 2.0], 5),
                "accuracy: y_true could not be read: item 2 of the LyingSequence raised "
                "IndexError (its len() is 5)",
            ),
            (
                LyingSequence([1.0], 2**62),
                "accuracy: y_true could not be read: the LyingSequence claims "
                "4611686018427387904 items, more than memory holds",
            ),
            (
                RaisingSequence([1.0], raising_len=True),
                "accuracy: y_true could not be read: len() of the RaisingSequence raised Boom",
            ),
            (
                RaisingSequence([1.0], raising_len=False),
                "accuracy: y_true could not be read: item 0 of the RaisingSequence raised Boom "
                "(its len() is 1)",
            ),
            (
                LyingList([1.0, 2.0]),
                "accuracy: y_true could not be read: item 2 of the LyingList raised "
                "IndexError (its len() is 5)",
            ),
        ],
    )
    def test_unreadable_sequences_raise_data_type_error(self, data, message):
        """A len() that overstates the items, or that raises, is our DataTypeError."""
        with pytest.raises(DataTypeError) as info:
            ensure_1d(data, name="y_true", func="accuracy")
        assert str(info.value) == message

    def test_understated_len_reads_len_items(self):
        """A len() that understates the items is read up to len(): bounded, like NumPy."""
        assert ensure_1d(LyingSequence([1.0, 2.0, 3.0], 2)).tolist() == [1.0, 2.0]

    @pytest.mark.parametrize("element", [RaisingArray(), RaisingLenElement(), RaisingRepr()])
    def test_unconvertible_elements_become_objects(self, element):
        """An element NumPy cannot convert (its __array__ or len() raises) stays an object."""
        arr = ensure_1d([1.0, element])
        assert arr.dtype == object
        assert arr[1] is element

    @pytest.mark.parametrize("element", [RaisingArray(), RaisingLenElement()])
    def test_callers_report_such_elements(self, element):
        """The numeric functions then report the element as a non-number, at its position."""
        with pytest.raises(DataTypeError) as info:
            normalize([1.0, element])
        assert info.value.positions == (1,)
        assert not isinstance(info.value.__cause__, Boom)

    @pytest.mark.parametrize(("name", "func"), [(RaisingRepr(), None), ("x", 3)])
    def test_name_and_func_must_be_strings(self, name, func):
        """ensure_1d's name and func are checked: a ParameterError, not a failing f-string."""
        with pytest.raises(ParameterError, match=r"^ensure_1d: (name|func) must be a str"):
            ensure_1d([1.0], name=name, func=func)


class TestNullableSeries:
    def test_nullable_ints_stay_exact(self):
        """An Int64 Series with NA keeps its ints exact (pandas 3 would round them via float64)."""
        s = pd.Series([2**62 + 1, None], dtype="Int64")
        arr = ensure_1d(s)
        assert arr.tolist()[0] == 2**62 + 1
        with pytest.raises(PreprocessingError, match=r"positions \[0, 1\]"):
            validate_range(s, 0, 2**62)
