"""Redaction of secrets by key, at any depth of the logged fields.

Which keys are secret is decided by :class:`~ml_infra.logging._keys.SecretKeys`:
keys are read as words, so ``password`` also matches ``dbPassword``,
``pass_word`` and ``passwords``, ``api_key`` matches ``APIkey`` and
``X-Api-Key``, and ``token`` matches ``authToken`` and ``tokens`` but not
``max_tokens`` or ``tokenizer`` (token counts are everyday ML fields, not
credentials). Named tuples are written as objects of their fields, so that
their fields are redacted by name too.
"""

from __future__ import annotations

from collections.abc import Iterable

from ml_infra.logging._keys import SecretKeys

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (import time)
if TYPE_CHECKING:  # typing costs import time: annotations only
    from typing import TypeVar

    _K = TypeVar("_K")

__all__ = [
    "DEFAULT_REDACT_KEYS",
    "REDACTED",
    "Redactor",
    "UnsafeStructureError",
    "namedtuple_fields",
    "stored_items",
]

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

_SCALARS = frozenset({str, int, float, bool, type(None)})  # most values: skipped at once
_CONTAINERS = (dict, list, tuple)  # walked, subclasses too


def stored_items(value: list[object] | tuple[object, ...]) -> list[object]:
    """The items a list or tuple holds, read from its storage, never from its own ``__iter__``.

    Args:
        value: A list or tuple, subclasses included.

    Returns:
        A new plain list of the items.

    Example:
        >>> class Lying(list):
        ...     def __iter__(self):
        ...         return iter(["lie"])
        >>> stored_items(Lying([1, 2]))
        [1, 2]
    """
    iterate = list.__iter__ if isinstance(value, list) else tuple.__iter__
    return [*iterate(value)]  # type: ignore[arg-type]


class UnsafeStructureError(Exception):
    """A value is cyclic, nested too deeply or has non-str keys (internal).

    The formatter then takes the sanitizing path, which handles all three.
    """


def namedtuple_fields(value: tuple[object, ...]) -> dict[str, object] | None:
    """A named tuple's fields as a dict, or None for other tuples.

    Args:
        value: Any tuple.

    Returns:
        ``{field: value}`` for a ``collections.namedtuple`` or
        ``typing.NamedTuple`` instance, else None.

    Example:
        >>> from collections import namedtuple
        >>> Login = namedtuple("Login", "user password")
        >>> namedtuple_fields(Login("ada", "pw")), namedtuple_fields((1,))
        ({'user': 'ada', 'password': 'pw'}, None)
    """
    fields = getattr(type(value), "_fields", None)
    if type(fields) is not tuple or len(fields) != len(value):
        return None
    if not all(type(field) is str for field in fields):
        return None
    return dict(zip(fields, value, strict=True))


class Redactor:
    """Decides which keys are secret and replaces their values.

    Args:
        names: The secret key names.
        max_depth: Containers nested deeper than this are not walked here; the
            walk raises :class:`UnsafeStructureError` so the caller falls back
            to the full sanitizer (which cuts them with a marker).
        where: Who is configuring, for error messages.

    Attributes:
        is_secret: Tells whether values under a key must be redacted (see
            :meth:`SecretKeys.is_secret <ml_infra.logging._keys.SecretKeys.is_secret>`).

    Example:
        >>> redactor = Redactor(["password"], max_depth=8)
        >>> redactor.redact({"user": "ada", "db": {"dbPassword": "hunter2"}})
        {'user': 'ada', 'db': {'dbPassword': '[REDACTED]'}}
    """

    __slots__ = ("_max_depth", "_plain", "is_secret", "keys")

    def __init__(self, names: Iterable[str], *, max_depth: int, where: str = "Redactor") -> None:
        self.keys = SecretKeys(names, where=where)
        self._max_depth = max_depth
        self.is_secret = self.keys.is_secret
        self._plain = self.keys.plain  # a live set: keys decided not secret so far

    def redact(self, value: object) -> object:
        """Return ``value`` with secret values replaced, copying only what changes.

        Dicts, lists and tuples are walked (subclasses too; named tuples become
        dicts of their fields); other objects are left for the encoder, which
        redacts what it converts. The input is never modified.

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
        plain = self._plain
        if fields.keys() <= plain:
            for value in fields.values():
                if type(value) in _SCALARS:
                    continue
                if type(value) is dict and value.keys() <= plain:  # e.g. metrics, parameters
                    for item in value.values():
                        if type(item) not in _SCALARS:
                            break
                    else:  # a flat dict of known plain keys: nothing to redact
                        continue
                if isinstance(value, _CONTAINERS):
                    break
            else:  # the common case: known plain keys, scalar values (or flat dicts of them)
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
            if isinstance(value, tuple):
                fields = namedtuple_fields(value)
                if fields is not None:  # always a new dict: its field names are its keys
                    return self._walk_dict(fields, depth, path)
            changed: list[object] | None = None
            items: list[object] | tuple[object, ...] = value
            if type(value) is not list and type(value) is not tuple:
                # A subclass: its __iter__ or __len__ may lie (the C encoder would follow
                # them, maybe forever), so its real items become a plain list.
                items = changed = stored_items(value)
            for index, item in enumerate(items):
                if type(item) not in _SCALARS and isinstance(item, _CONTAINERS):
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
        check_keys = not value.keys() <= self._plain  # all known plain str keys: values only
        is_secret = self.is_secret
        for key, item in value.items():
            if check_keys and type(key) is not str:  # the encoder would stringify it, maybe
                raise UnsafeStructureError  # into a duplicate
            if check_keys and is_secret(key):  # type: ignore[arg-type]  # checked: a str
                new: object = REDACTED
            elif type(item) not in _SCALARS and isinstance(item, _CONTAINERS):
                new = self._walk(item, depth + 1, path)
            else:
                continue
            if new is not item:
                if changed is None:
                    changed = dict(value)
                changed[key] = new
        return value if changed is None else changed
