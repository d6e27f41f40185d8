"""UTC timestamps: equal to datetime's, cached per second."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st
from ml_infra.logging._clock import UtcClock


@given(st.floats(min_value=0, max_value=4_102_444_800, allow_nan=False))
def test_matches_datetime_isoformat(created: float) -> None:
    """Property: the text equals datetime.fromtimestamp(created, UTC) to the microsecond."""
    expected = dt.datetime.fromtimestamp(created, dt.UTC).isoformat(timespec="microseconds")
    assert UtcClock().format(created) == expected


@given(st.lists(st.floats(min_value=0, max_value=2_000_000_000, allow_nan=False), max_size=20))
def test_one_clock_across_many_seconds_never_serves_a_stale_second(stamps: list[float]) -> None:
    """Property: a shared clock gives each value its own correct second, in any order."""
    clock = UtcClock()
    for created in stamps:
        expected = dt.datetime.fromtimestamp(created, dt.UTC).isoformat(timespec="microseconds")
        assert clock.format(created) == expected


def test_negative_timestamps_floor_to_the_previous_second() -> None:
    """Times before 1970 are formatted correctly too."""
    assert UtcClock().format(-0.25) == "1969-12-31T23:59:59.750000+00:00"
