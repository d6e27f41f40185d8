"""Options (average, zero_division) are checked first, with errors naming the argument."""

from __future__ import annotations

import numpy as np
import pytest
from ml_infra.metrics import InvalidParameterError, f1_score, precision, recall


class TestParameters:
    @pytest.mark.parametrize("average", ["samples", "Macro", "", 1])
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
