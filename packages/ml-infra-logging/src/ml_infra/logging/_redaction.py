"""Redaction of secrets by key, at any depth of the logged fields.

A key is secret when, split into lower-case words (at ``_``, ``-``, ``.``,
spaces, digits and camelCase humps), it contains a secret name as a run of
consecutive words, or as one word with the separators removed. So the name
``api_key`` matches ``api_key``, ``X-Api-Key``, ``apiKey``, ``APIKEY`` and
``openai_api_key``; the name ``token`` matches ``access_token`` and
``authToken`` but not ``max_tokens`` or ``tokenizer`` (token counts are
everyday ML metrics, not credentials).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TypeVar, cast

from ml_infra.logging._errors import ConfigurationError, LoggingTypeError

__all__ = ["DEFAULT_REDACT_KEYS", "REDACTED", "Redactor", "UnsafeStructureError"]

REDACTED = "[REDACTED]"

DEFAULT_REDACT_KEYS: frozenset[str] = frozenset(
    {
        "access_key",
        "api_key",
        "auth",
        "authorization",
        "cookie",
        "credential",
        "credentials",
        "jwt",
        "passphrase",
        "passwd",
        "password",
        "passwords",
        "private_key",
        "pwd",
        "secret",
        "secrets",
        "session_id",
        "token",
    }
)
"""The key names redacted by default (see the module docstring for matching)."""

_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+|[^\W\d_A-Za-z]+")
_CACHE_LIMIT = 4096
_K = TypeVar("_K")


class UnsafeStructureError(Exception):
    """A value is cyclic, nested too deeply or has non-str keys (internal).

    The formatter then takes the sanitizing path, which handles all three.
    """


def split_words(key: str) -> tuple[str, ...]:
    """Split a key into lower-case words.

    Args:
        key: A field name such as ``"X-Api-Key"`` or ``"authToken"``.

    Returns:
        The words, lower-cased.

    Example:
        >>> split_words("X-Api-Key"), split_words("authToken"), split_words("APIKey")
        (('x', 'api', 'key'), ('auth', 'token'), ('api', 'key'))
    """
    return tuple(word.lower() for word in _WORD.findall(key))


def _patterns(names: Iterable[str], where: str) -> dict[int, frozenset[tuple[str, ...]]]:
    """Turn secret names into word patterns grouped by length."""
    by_length: dict[int, set[tuple[str, ...]]] = {}
    for name in names:
        if not isinstance(name, str):
            raise LoggingTypeError(f"{where}: key names must be str, got {type(name).__name__}")
        words = split_words(name)
        if not words:
            raise ConfigurationError(f"{where}: key name {name!r} has no letters or digits")
        for pattern in {words, ("".join(words),)}:
            by_length.setdefault(len(pattern), set()).add(pattern)
    return {length: frozenset(group) for length, group in sorted(by_length.items())}


class Redactor:
    """Decides which keys are secret and replaces their values.

    Args:
        names: The secret key names.
        max_depth: Containers nested deeper than this are not walked here; the
            walk raises :class:`UnsafeStructureError` so the caller falls back
            to the full sanitizer (which cuts them with a marker).
        where: Who is configuring, for error messages.

    Example:
        >>> redactor = Redactor(["password"], max_depth=8)
        >>> redactor.redact({"user": "ada", "db": {"Password": "hunter2"}})
        {'user': 'ada', 'db': {'Password': '[REDACTED]'}}
    """

    __slots__ = ("_cache", "_max_depth", "_patterns", "_plain_keys")

    def __init__(self, names: Iterable[str], *, max_depth: int, where: str = "Redactor()") -> None:
        self._patterns = _patterns(names, where)
        self._max_depth = max_depth
        self._cache: dict[str, bool] = {}
        self._plain_keys: set[str] = set()  # keys known not to be secret

    def is_secret(self, key: str) -> bool:
        """Tell whether values under ``key`` must be redacted.

        Args:
            key: A field name.

        Returns:
            True when the key names a secret.

        Example:
            >>> Redactor(["token"], max_depth=8).is_secret("refreshToken")
            True
        """
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        words = split_words(key)
        secret = any(
            words[i : i + length] in group
            for length, group in self._patterns.items()
            for i in range(len(words) - length + 1)
        )
        if len(self._cache) < _CACHE_LIMIT:
            self._cache[key] = secret
            if not secret:
                self._plain_keys.add(key)
        return secret

    def redact(self, value: object) -> object:
        """Return ``value`` with secret values replaced, copying only what changes.

        Dicts, lists and tuples are walked (subclasses too); other objects are
        left for the encoder, which redacts what it converts. The input is
        never modified.

        Args:
            value: A logged value.

        Returns:
            ``value`` itself when nothing is secret, else a redacted copy.

        Raises:
            UnsafeStructureError: When the value is cyclic or nested deeper
                than ``max_depth``.

        Example:
            >>> Redactor(["secret"], max_depth=8).redact([{"client_secret": 1}])
            [{'client_secret': '[REDACTED]'}]
        """
        if isinstance(value, dict | list | tuple):
            return self._walk(value, 0, set())
        return value

    def redact_fields(self, fields: dict[str, object]) -> dict[str, object]:
        """Redact a record's top-level fields (a dict with string keys).

        Like :meth:`redact`, without the bookkeeping the top level does not need.

        Args:
            fields: The record's structured fields.

        Returns:
            ``fields`` itself when nothing is secret, else a redacted copy.

        Raises:
            UnsafeStructureError: When a value is cyclic or nested too deeply.

        Example:
            >>> Redactor(["pwd"], max_depth=8).redact_fields({"pwd": "x", "n": 1})
            {'pwd': '[REDACTED]', 'n': 1}
        """
        if fields.keys() <= self._plain_keys:
            for value in fields.values():
                if isinstance(value, dict | list | tuple):
                    break
            else:  # the common case: known plain keys, scalar values
                return fields
        return self._walk_dict(fields, 0, set())

    def _walk(
        self,
        value: dict[object, object] | list[object] | tuple[object, ...],
        depth: int,
        path: set[int],
    ) -> object:
        if depth >= self._max_depth or id(value) in path:
            raise UnsafeStructureError
        path.add(id(value))
        try:
            if isinstance(value, dict):
                return self._walk_dict(value, depth, path)
            changed: list[object] | None = None
            for index, item in enumerate(value):
                if isinstance(item, dict | list | tuple):
                    new = self._walk(item, depth + 1, path)
                    if new is not item:
                        if changed is None:
                            changed = list(value)
                        changed[index] = new
            return value if changed is None else changed
        finally:
            path.discard(id(value))

    def _walk_dict(self, value: dict[_K, object], depth: int, path: set[int]) -> dict[_K, object]:
        changed: dict[_K, object] | None = None
        is_secret = self.is_secret
        for key, item in value.items():
            if type(key) is not str:  # the encoder would stringify it, maybe into a duplicate
                raise UnsafeStructureError
            if is_secret(cast(str, key)):
                new: object = REDACTED
            elif isinstance(item, dict | list | tuple):
                new = self._walk(item, depth + 1, path)
            else:
                continue
            if new is not item:
                if changed is None:
                    changed = dict(value)
                changed[key] = new
        return value if changed is None else changed
