"""The slow path: rebuild a record's fields as plain JSON values, never raising.

The formatter encodes records directly with :mod:`json` and comes here only
when that fails (NaN, a cycle, a key JSON cannot take, an unencodable object
nested in a container) or when the line is long enough that strings may need
capping. The walk keeps every field and marks what it had to change: cycles
become ``"<cycle>"``, nesting beyond the depth limit ``"<max depth exceeded>"``,
long strings end with ``...[truncated N chars]``, non-finite floats become the
strings ``"NaN"``, ``"Infinity"`` and ``"-Infinity"``.
"""

from __future__ import annotations

import math

from ml_infra.logging._coercion import coerce, safe_repr, safe_str, unrepresentable
from ml_infra.logging._redaction import REDACTED, Redactor

__all__ = ["CYCLE", "MAX_DEPTH", "Sanitizer"]

CYCLE = "<cycle>"
MAX_DEPTH = "<max depth exceeded>"

_SAFE_INT_BITS = 4096  # about 1,233 digits: always printable (the default limit is 4,300)
_NON_FINITE = {math.inf: "Infinity", -math.inf: "-Infinity"}


class Sanitizer:
    """Rebuilds values as JSON-safe ``dict``/``list``/``str``/number/``None`` trees.

    Args:
        redactor: Redacts secret keys at any depth (one with no names redacts nothing).
        max_string_length: Longer strings are cut and marked.
        max_depth: Deeper containers are replaced by a marker.
        max_array_size: Larger numpy-like arrays are summarised by their repr.

    Example:
        >>> loop: list[object] = [float("nan")]
        >>> loop.append(loop)
        >>> plain = Redactor([], max_depth=8)
        >>> Sanitizer(plain, max_string_length=80, max_depth=8, max_array_size=10).clean(loop)
        ['NaN', '<cycle>']
    """

    __slots__ = ("_max_array_size", "_max_depth", "_max_string_length", "_redactor")

    def __init__(
        self,
        redactor: Redactor,
        *,
        max_string_length: int,
        max_depth: int,
        max_array_size: int,
    ) -> None:
        self._redactor = redactor
        self._max_string_length = max_string_length
        self._max_depth = max_depth
        self._max_array_size = max_array_size

    def cap(self, text: str) -> str:
        """Cut a string longer than ``max_string_length`` and say how much was cut.

        Args:
            text: Any string.

        Returns:
            ``text``, or its head followed by ``...[truncated N chars]``.

        Example:
            >>> Sanitizer(Redactor([], max_depth=8), max_string_length=3, max_depth=8, max_array_size=10).cap("abcdef")
            'abc...[truncated 3 chars]'
        """
        limit = self._max_string_length
        if len(text) <= limit:
            return text
        return f"{text[:limit]}...[truncated {len(text) - limit} chars]"

    def clean(self, value: object, depth: int = 0) -> object:
        """Rebuild ``value`` from JSON-safe parts (see the module docstring).

        Args:
            value: Anything.
            depth: The nesting level ``value`` sits at (-1 for a whole record,
                so that its fields count from 0 like the redactor's).

        Returns:
            A tree that ``json.dumps(..., allow_nan=False)`` always accepts.

        Example:
            >>> sanitizer = Sanitizer(
            ...     Redactor(["token"], max_depth=8), max_string_length=80, max_depth=8, max_array_size=10
            ... )
            >>> sanitizer.clean({1: {2.5}, (3, 4): float("inf"), "token": "t"})
            {'1': [2.5], '(3, 4)': 'Infinity', 'token': '[REDACTED]'}
        """
        return self._clean(value, depth, set())

    def _clean(self, value: object, depth: int, path: set[int]) -> object:
        if value is None or value is True or value is False:
            return value
        if isinstance(value, str):
            return self.cap(str.__str__(value))
        if isinstance(value, float):
            if math.isfinite(value):
                return float(value)
            return _NON_FINITE.get(value, "NaN")
        if isinstance(value, int):
            return _clean_int(value)
        if depth >= self._max_depth:
            return MAX_DEPTH
        if id(value) in path:
            return CYCLE
        path.add(id(value))
        try:
            return self._clean_container(value, depth, path)
        except Exception as exc:  # e.g. a dict subclass whose items() raises: not its repr
            return unrepresentable(value, "iteration", exc)
        finally:
            path.discard(id(value))

    def _clean_container(self, value: object, depth: int, path: set[int]) -> object:
        if isinstance(value, dict):
            return self._clean_dict(value, depth, path)
        if isinstance(value, list | tuple):
            return [self._clean(item, depth + 1, path) for item in value]
        replacement = coerce(value, self._max_array_size)
        if type(replacement) is type(value):  # coerce could not help
            return self.cap(safe_repr(value))
        return self._clean(replacement, depth + 1, path)

    def _clean_dict(self, value: dict[object, object], depth: int, path: set[int]) -> object:
        out: dict[str, object] = {}
        redactor = self._redactor
        for key, item in list(value.items()):
            name = self.cap(_key_text(key))
            if name in out:  # distinct keys that print alike (1 and "1"): keep both
                suffix = 2
                while f"{name}#{suffix}" in out:
                    suffix += 1
                name = f"{name}#{suffix}"
            if redactor.is_secret(name):
                out[name] = REDACTED
            else:
                out[name] = self._clean(item, depth + 1, path)
        return out


def _clean_int(value: int) -> object:
    """An int as JSON can carry it: huge ones (beyond str conversion) as text."""
    if value.bit_length() <= _SAFE_INT_BITS:
        return int(value)
    try:
        return int(int.__repr__(value))
    except ValueError:  # beyond sys.get_int_max_str_digits(): JSON could not print it
        return f"<int of {value.bit_length()} bits>"


def _key_text(key: object) -> str:
    """A dict key as JSON's encoder would write it (``true``, ``null``, ``1.5``)."""
    if isinstance(key, str):
        return str.__str__(key)
    if key is None or key is True or key is False:
        return {None: "null", True: "true", False: "false"}[key]
    if isinstance(key, float):
        return float.__repr__(key) if math.isfinite(key) else _NON_FINITE.get(key, "NaN")
    if isinstance(key, int):
        cleaned = _clean_int(key)
        return str(cleaned)
    if isinstance(key, bytes):
        return key.decode("utf-8", "backslashreplace")
    return safe_str(key)
