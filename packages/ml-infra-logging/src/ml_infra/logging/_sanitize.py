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
from collections.abc import Callable

from ml_infra.logging._coercion import coerce
from ml_infra.logging._redaction import REDACTED, Redactor, namedtuple_fields, stored_items
from ml_infra.logging._text import json_int, key_text, non_finite_text, safe_repr, unrepresentable

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (import time)
if TYPE_CHECKING:  # typing costs import time: annotations only
    from typing import TypeVar

    _K = TypeVar("_K")

__all__ = ["CYCLE", "MAX_DEPTH", "Sanitizer"]

CYCLE = "<cycle>"
MAX_DEPTH = "<max depth exceeded>"


class Sanitizer:
    """Rebuilds values as JSON-safe ``dict``/``list``/``str``/number/``None`` trees.

    Args:
        redactor: Redacts secret keys at any depth (one with no names redacts nothing).
        mask: Masks secrets inside strings and keys (before they are cut), or None.
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

    __slots__ = ("_mask", "_max_array_size", "_max_depth", "_max_string_length", "_redactor")

    def __init__(
        self,
        redactor: Redactor,
        *,
        mask: Callable[[str], str] | None = None,
        max_string_length: int,
        max_depth: int,
        max_array_size: int,
    ) -> None:
        self._redactor = redactor
        self._mask = mask
        self._max_string_length = max_string_length
        self._max_depth = max_depth
        self._max_array_size = max_array_size

    def cap(self, text: str) -> str:
        """Mask the secrets in a string, then cut it if longer than ``max_string_length``.

        Masking first: a cut could leave part of a secret that no longer
        matches its pattern.

        Args:
            text: Any string.

        Returns:
            ``text``, masked, or its head followed by ``...[truncated N chars]``.

        Example:
            >>> Sanitizer(Redactor([], max_depth=8), max_string_length=3, max_depth=8, max_array_size=10).cap("abcdef")
            'abc...[truncated 3 chars]'
        """
        if self._mask is not None:
            text = self._mask(text)
        limit = self._max_string_length
        if len(text) <= limit:
            return text
        return f"{text[:limit]}...[truncated {len(text) - limit} chars]"

    def clean(self, value: object, depth: int = 0) -> object:
        """Rebuild ``value`` from JSON-safe parts (see the module docstring).

        Args:
            value: Anything.
            depth: The nesting level ``value`` sits at (0 for a record's
                top-level value, so that its items count from 1 like the
                redactor's).

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
            return non_finite_text(value)
        if isinstance(value, int):
            return json_int(value)
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
        if isinstance(value, tuple):
            fields = namedtuple_fields(value)
            if fields is not None:
                return self._clean_dict(fields, depth, path)
        if isinstance(value, list | tuple):
            return [self._clean(item, depth + 1, path) for item in stored_items(value)]

        def clean_item(item: object) -> object:
            return self._clean(item, depth + 1, path)

        replacement = coerce(value, self._max_array_size, self._redactor, clean_item)
        if type(replacement) is type(value):  # coerce could not help
            return self.cap(safe_repr(value))
        return self._clean(replacement, depth + 1, path)

    def _clean_dict(self, value: dict[_K, object], depth: int, path: set[int]) -> object:
        out: dict[str, object] = {}
        is_secret = self._redactor.is_secret
        for key, item in list(value.items()):
            text = key_text(key)
            secret = is_secret(text)  # on the whole key: a cut one may hide its secret word
            name = self.cap(text)
            if name in out:  # distinct keys that print alike (1 and "1"): keep both
                suffix = 2
                while f"{name}#{suffix}" in out:
                    suffix += 1
                name = f"{name}#{suffix}"
            out[name] = REDACTED if secret else self._clean(item, depth + 1, path)
        return out
