"""UTC ISO 8601 timestamps with microseconds, formatted cheaply.

Records of the same second share the formatted date and time; only the
microseconds are appended per record. The cache is one immutable tuple swapped
atomically, so threads never see a torn value.
"""

from __future__ import annotations

import time

__all__ = ["UtcClock"]


class UtcClock:
    """Formats ``LogRecord.created`` values as ``2024-05-01T12:30:45.123456+00:00``.

    The result equals ``datetime.fromtimestamp(created, UTC).isoformat()`` with
    ``timespec="microseconds"`` (same rounding to the nearest microsecond).

    Example:
        >>> UtcClock().format(1714566645.123456)
        '2024-05-01T12:30:45.123456+00:00'
    """

    __slots__ = ("_cache",)

    def __init__(self) -> None:
        self._cache: tuple[int, str] = (0, "1970-01-01T00:00:00")

    def format(self, created: float) -> str:
        """Format seconds since the epoch as a UTC timestamp.

        Args:
            created: Seconds since the epoch (``LogRecord.created``).

        Returns:
            The ISO 8601 text with microseconds and a ``+00:00`` offset.

        Example:
            >>> UtcClock().format(0.0000005)
            '1970-01-01T00:00:00.000000+00:00'
        """
        seconds = int(created)
        if seconds > created:  # int() truncates towards zero; we want the floor
            seconds -= 1
        micros = round((created - seconds) * 1e6)
        if micros >= 1_000_000:
            seconds += 1
            micros -= 1_000_000
        cache = self._cache
        if cache[0] != seconds:
            cache = (seconds, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)))
            self._cache = cache
        return f"{cache[1]}.{micros:06d}+00:00"
