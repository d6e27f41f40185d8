"""Tests of the shared input gate ``ensure_1d``."""

from __future__ import annotations

from collections import UserList

import numpy as np
import pandas as pd
import pytest
from ml_infra.preprocessing import (
    DataShapeError,
    DataTypeError,
    PreprocessingError,
    ensure_1d,
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
        assert str(info.value).startswith("accuracy: y_true must be a 1-D sequence")

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
