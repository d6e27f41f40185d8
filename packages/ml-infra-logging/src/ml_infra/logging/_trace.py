"""OpenTelemetry trace correlation, without importing OpenTelemetry.

An application that never imported ``opentelemetry.trace`` cannot have an
active span, so the module is looked up in ``sys.modules`` instead of being
imported: logging without OpenTelemetry costs one dict lookup per record and
loads nothing. With it, the current span's context gives ``trace_id``,
``span_id`` and ``trace_flags``, spelled as in OpenTelemetry's log data model
(lowercase hex, 32, 16 and 2 digits), whenever that context is valid, as
OpenTelemetry's own logging instrumentation does: a span that was not sampled
still correlates (its ``trace_flags`` lack the sampled bit, ``01``), while no active span
(OpenTelemetry's invalid span) gives no fields.
"""

from __future__ import annotations

import sys

__all__ = ["current_trace"]

_MODULES = sys.modules  # the live dict: a lookup sees later imports


def current_trace() -> tuple[str, str, str] | None:
    """The active span's ``(trace_id, span_id, trace_flags)`` as hex, or None.

    Returns:
        None when ``opentelemetry.trace`` was never imported, no span is
        active, its context is invalid, or OpenTelemetry fails.

    Example:
        >>> import sys
        >>> current_trace() if "opentelemetry.trace" not in sys.modules else None
    """
    trace = _MODULES.get("opentelemetry.trace")
    if trace is None:
        return None
    try:
        context = trace.get_current_span().get_span_context()
        if not context.is_valid:
            return None
        return (
            format(context.trace_id, "032x"),
            format(context.span_id, "016x"),
            format(context.trace_flags, "02x"),
        )
    except Exception:  # a broken or partial install never costs a record
        return None
