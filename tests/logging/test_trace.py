"""Trace correlation: OpenTelemetry ids on every line while a span is active."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap

import pytest
from ml_infra.logging import JsonFormatter, StructuredLogger

trace = pytest.importorskip("opentelemetry.trace")
sdk_trace = pytest.importorskip("opentelemetry.sdk.trace")
sampling = pytest.importorskip("opentelemetry.sdk.trace.sampling")


@pytest.fixture(scope="module")
def tracer():
    """A real SDK tracer (not installed globally)."""
    return sdk_trace.TracerProvider().get_tracer("tests.logging")


def ids(span) -> tuple[str, str, str]:
    context = span.get_span_context()
    return (
        format(context.trace_id, "032x"),
        format(context.span_id, "016x"),
        format(context.trace_flags, "02x"),
    )


def trace_of(record: dict[str, object]) -> tuple[object, object, object] | None:
    keys = ("trace_id", "span_id", "trace_flags")
    present = [key in record for key in keys]
    assert all(present) or not any(present), record
    return tuple(record[key] for key in keys) if all(present) else None


class TestTraceIds:
    def test_active_span_puts_its_ids_on_the_line(self, capture, tracer) -> None:
        """Inside a span, the line carries its trace_id/span_id/trace_flags as lowercase hex."""
        with tracer.start_as_current_span("step") as span:
            StructuredLogger(capture.name, run_id="r").info("inside", step=1)
        record = capture.one()
        assert trace_of(record) == ids(span)
        assert re.fullmatch("[0-9a-f]{32}", record["trace_id"])  # type: ignore[arg-type]
        assert re.fullmatch("[0-9a-f]{16}", record["span_id"])  # type: ignore[arg-type]
        assert int(record["trace_flags"], 16) & 1  # type: ignore[arg-type]  # the sampled bit
        assert record["context"] == {"run_id": "r", "step": 1}
        keys = list(record)
        assert keys.index("line") < keys.index("trace_id") < keys.index("context")

    def test_nested_spans_name_the_innermost(self, capture, tracer) -> None:
        """The current span is the innermost; the trace id is shared."""
        with tracer.start_as_current_span("outer") as outer:
            with tracer.start_as_current_span("inner") as inner:
                capture.logger.info("in inner")
            capture.logger.info("back in outer")
        first, second = capture.records()
        assert trace_of(first) == ids(inner)
        assert trace_of(second) == ids(outer)
        assert first["trace_id"] == second["trace_id"]

    def test_no_active_span_no_fields(self, capture) -> None:
        """With OpenTelemetry imported but no span active, no trace field is written."""
        capture.logger.info("outside")
        assert trace_of(capture.one()) is None

    def test_invalid_span_context_no_fields(self, capture) -> None:
        """A non-recording span with an invalid context (OpenTelemetry's INVALID_SPAN) adds nothing."""
        with trace.use_span(trace.NonRecordingSpan(trace.INVALID_SPAN_CONTEXT)):
            capture.logger.info("invalid")
        assert trace_of(capture.one()) is None

    def test_unsampled_span_still_correlates(self, capture) -> None:
        """A span the sampler dropped keeps a valid context: ids, trace_flags without the sampled bit."""
        tracer = sdk_trace.TracerProvider(sampler=sampling.ALWAYS_OFF).get_tracer("off")
        with tracer.start_as_current_span("dropped") as span:
            assert not span.is_recording()
            capture.logger.info("unsampled")
        record = capture.one()
        assert trace_of(record) == ids(span)
        assert not int(record["trace_flags"], 16) & 1  # type: ignore[arg-type]

    def test_slow_paths_carry_the_ids_too(self, capture, tracer) -> None:
        """Exceptions, masked values and hostile values keep the trace fields."""
        with tracer.start_as_current_span("step") as span:
            try:
                raise ValueError("boom")
            except ValueError:
                capture.logger.exception("failed")
            capture.logger.info("dsn %s", "postgresql://ml:pw@db/x")
            capture.logger.info("nan", extra={"loss": float("nan")})
        assert [trace_of(record) for record in capture.records()] == [ids(span)] * 3

    def test_broken_opentelemetry_never_costs_the_record(self, capture, monkeypatch) -> None:
        """If OpenTelemetry raises, the line is written without trace fields."""

        def broken() -> object:
            raise RuntimeError("broken install")

        monkeypatch.setattr(trace, "get_current_span", broken)
        capture.logger.info("still here")
        record = capture.one()
        assert record["message"] == "still here"
        assert trace_of(record) is None

    def test_static_field_named_trace_id_is_refused(self) -> None:
        """The trace keys are reserved for the formatter."""
        from ml_infra.logging import ConfigurationError

        with pytest.raises(ConfigurationError, match="static field 'trace_id' clashes"):
            JsonFormatter(static_fields={"trace_id": "x"})


class TestNoImport:
    def test_logging_without_opentelemetry_imports_none_of_it(self) -> None:
        """An application that never imported OpenTelemetry does not get it from logging."""
        code = textwrap.dedent(
            """
            import io, json, logging, sys
            from ml_infra.logging import JsonFormatter, StructuredLogger, configure
            out = io.StringIO()
            configure("debug", out, logger="app")
            StructuredLogger("app").info("plain", k=1)
            try:
                raise ValueError("x")
            except ValueError:
                logging.getLogger("app").exception("failed")
            lines = [json.loads(line) for line in out.getvalue().splitlines()]
            assert all("trace_id" not in line for line in lines), lines
            print(sorted(name for name in sys.modules if name.startswith("opentelemetry")))
            """
        )
        result = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONWARNINGS": "error"},
        )
        assert json.loads(result.stdout.replace("'", '"')) == []
