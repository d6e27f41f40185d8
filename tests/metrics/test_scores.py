"""The score arithmetic: scikit-learn's division and NaN-ignoring averages."""

from __future__ import annotations

import math

import numpy as np
from ml_infra.metrics._scores import average_scores, divide


class TestAverages:
    def test_all_nan_averages_to_nan(self) -> None:
        """Every score undefined (or none at all) averages to NaN without a warning."""
        assert math.isnan(average_scores(np.array([math.nan, math.nan]), None))
        assert math.isnan(average_scores(np.array([]), np.array([], dtype=np.int64)))

    def test_weighted_ignores_nan_and_its_weight(self) -> None:
        """A NaN score drops out together with its weight."""
        scores = np.array([1.0, math.nan, 0.0])
        assert average_scores(scores, np.array([3, 5, 1])) == 0.75

    def test_divide_substitutes_zero_division(self) -> None:
        """Only zero denominators take the zero_division value."""
        result = divide(np.array([0, 3]), np.array([0, 4]), math.nan)
        assert math.isnan(result[0])
        assert result[1] == 0.75
