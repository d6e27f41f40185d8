"""Checks of the arguments a logging call takes itself (``extra``, flags, ``stacklevel``)."""

from __future__ import annotations

from collections.abc import Mapping

from ml_infra.logging._errors import LoggingTypeError, LoggingValueError
from ml_infra.logging._record import EXTRA_RESERVED, RESERVED_KEYS, STANDARD_ATTRS
from ml_infra.logging._text import exception_text, safe_repr

__all__ = ["check_stacklevel", "merge_extra", "truth"]

LINE_ONLY = RESERVED_KEYS - STANDARD_ATTRS  # the line's keys that are no record attribute


def merge_extra(
    extra: Mapping[str, object], fields: dict[str, object], where: str
) -> dict[str, object]:
    """The call's fields with stdlib-style ``extra=`` fields merged in, checked first.

    Like :mod:`logging`, names the record or the line already uses (``message``,
    ``levelname``, ``timestamp``...) are refused rather than silently lost or
    shadowed; as keyword fields those names are fine (they stay in ``context``).
    """
    if not isinstance(extra, Mapping):
        raise LoggingTypeError(
            f"{where}: extra must be a mapping or None, got {type(extra).__name__}"
        )
    try:
        given = dict(extra)
    except Exception as exc:  # a hostile mapping: its own error must not escape
        raise LoggingTypeError(
            f"{where}: extra could not be read as a mapping, got {type(extra).__name__} "
            f"raising {exception_text(exc)}"
        ) from None
    for key in given:
        if type(key) is not str:
            raise LoggingTypeError(f"{where}: extra keys must be str, got {type(key).__name__}")
    clash = given.keys() & EXTRA_RESERVED
    if clash:
        key = min(clash)
        kind = "a key of the JSON line" if key in LINE_ONLY else "a LogRecord attribute"
        raise LoggingValueError(
            f"{where}: extra key {safe_repr(key)} is reserved ({kind}), "
            f"got extra with keys {safe_repr(sorted(given))}; pass it as a keyword field "
            f"({key}=...), which lands in context"
        )
    twice = given.keys() & fields.keys()
    if twice:
        raise LoggingTypeError(
            f"{where}: field {safe_repr(min(twice))} given twice, in extra and as a keyword field"
        )
    given.update(fields)
    return given


def truth(value: object, name: str, where: str) -> bool:
    """``bool(value)`` for a flag given as another type (as ``logging`` reads it).

    A value whose truth raises (pandas ``NA``, a numpy array) is refused with
    the package's error instead of letting that error escape from ``logging``.
    """
    try:
        return bool(value)
    except Exception as exc:  # its own error must not escape
        raise LoggingTypeError(
            f"{where}: {name} must be a bool, got {type(value).__name__} whose truth value "
            f"raises {exception_text(exc)}"
        ) from None


def check_stacklevel(value: object, where: str) -> None:
    """Refuse a ``stacklevel`` that is not an int (``logging`` would raise a bare TypeError)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise LoggingTypeError(f"{where}: stacklevel must be an int, got {type(value).__name__}")
