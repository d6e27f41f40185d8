"""What a ``LogRecord`` carries by itself, and where our structured fields ride.

Stdlib ``extra=`` refuses keys that clash with record attributes (``message``,
``args``, ``name``, ...). :class:`StructuredLogger` therefore never spreads its
fields over the record: it attaches them as one dict under :data:`FIELDS_ATTR`,
and :class:`JsonFormatter` unpacks that dict into ``context``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from itertools import islice

__all__ = [
    "EXTRA_RESERVED",
    "FIELDS_ATTR",
    "INIT_ATTR_COUNT",
    "LAST_INIT_ATTR",
    "RESERVED_KEYS",
    "STANDARD_ATTRS",
    "TRACE_KEYS",
    "context_of",
]

FIELDS_ATTR = "ml_infra_fields"
"""The record attribute holding a ``StructuredLogger`` call's fields (a dict)."""

_INIT_ATTRS = list(logging.LogRecord("", logging.INFO, "", 0, "", (), None).__dict__)

STANDARD_ATTRS: frozenset[str] = frozenset(_INIT_ATTRS) | {"message", "asctime", "taskName"}
"""Attributes every record has (or formatters add); everything else is ``extra=``."""

INIT_ATTR_COUNT = len(_INIT_ATTRS)
"""How many attributes ``LogRecord.__init__`` sets; ``extra=`` ones come after them."""

LAST_INIT_ATTR = _INIT_ATTRS[-1]
"""The last attribute ``LogRecord.__init__`` sets (checked before skipping ahead)."""


TRACE_KEYS = ("trace_id", "span_id", "trace_flags")
"""The top-level keys of OpenTelemetry trace correlation (its log data model's names)."""

RESERVED_KEYS: frozenset[str] = frozenset(
    {
        "context",
        "exception",
        "function",
        "level",
        "line",
        "logger",
        "logging_error",
        "message",
        "module",
        "stack",
        "timestamp",
        *TRACE_KEYS,
    }
)
"""Top-level keys the formatter writes itself; static fields may not reuse them."""

EXTRA_RESERVED: frozenset[str] = STANDARD_ATTRS | RESERVED_KEYS | {FIELDS_ATTR}
"""Names ``extra=`` may not use: record attributes and the line's own keys."""


def context_of(attrs: dict[str, object]) -> dict[str, object]:
    """Gather a record's ``extra=`` attributes and our fields dict, in order.

    ``LogRecord.__init__`` sets its attributes first, so ``extra=`` ones come
    after them: when the record is laid out that way (the last init attribute
    sits where expected) only the tail is scanned.
    """
    tail: Iterator[tuple[str, object]] = islice(attrs.items(), INIT_ATTR_COUNT - 1, None)
    if next(tail, ("", None))[0] != LAST_INIT_ATTR:  # rebuilt or reordered: scan all
        tail = iter(attrs.items())
    context = {key: value for key, value in tail if key not in STANDARD_ATTRS}
    if FIELDS_ATTR in context:
        fields = context[FIELDS_ATTR]
        if type(fields) is dict:
            del context[FIELDS_ATTR]
            if not context:
                return fields  # the common StructuredLogger case: no copy
            context.update(fields)
    return context
