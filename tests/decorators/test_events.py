"""Records into loggers: timer and retry fields, caller locations, span events, lazy imports."""

from __future__ import annotations

import asyncio
import inspect
import io
import json
import logging
import subprocess
import sys
import textwrap
from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from ml_infra.decorators import (
    InvalidArgumentTypeError,
    SupportsLog,
    retry,
    retry_on_condition,
    set_testing,
    timer,
    timer_with_units,
)
from ml_infra.decorators._events import type_name


class ListHandler(logging.Handler):
    """Keeps every record it handles."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def captured() -> Iterator[tuple[logging.Logger, ListHandler]]:
    """A stdlib logger (not propagating) with a handler keeping its records."""
    logger = logging.getLogger("tests.decorators.events")
    handler = ListHandler()
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    yield logger, handler
    logger.removeHandler(handler)
    logger.propagate = True


class Recorder:
    """A logger of our own: satisfies SupportsLog and keeps each call."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, str, tuple[object, ...], dict[str, object], int]] = []

    def log(
        self,
        level: int,
        msg: str,
        /,
        *args: object,
        extra: Mapping[str, object] | None = None,
        stacklevel: int = 1,
    ) -> None:
        self.calls.append((level, msg, args, dict(extra or {}), stacklevel))


def _line_of_next_call() -> int:
    """The line number after the caller's current line (where the call under test is)."""
    frame = inspect.currentframe()
    assert frame is not None
    assert frame.f_back is not None
    return frame.f_back.f_lineno + 1


class TestTimerIntoLoggers:
    def test_stdlib_logger_gets_fields_and_the_callers_location(self, captured, fake_counter):
        """A Logger gets one INFO record: elapsed_s, operation, located at the caller."""
        logger, handler = captured
        fake_counter(1.0, 1.25)

        @timer(logger=logger)
        def train() -> int:
            return 3

        line = _line_of_next_call()
        assert train() == 3
        (record,) = handler.records
        assert record.levelno == logging.INFO
        assert record.getMessage() == "train took 0.2500 seconds"
        assert record.elapsed_s == 0.25
        assert isinstance(record.elapsed_s, float)
        assert record.operation == train.__qualname__
        assert record.operation.endswith("<locals>.train")
        assert (record.module, record.funcName, record.lineno) == (
            "test_events",
            "test_stdlib_logger_gets_fields_and_the_callers_location",
            line,
        )

    def test_units_change_the_message_not_the_field(self, captured, fake_counter):
        """timer_with_units("ms") reports milliseconds; elapsed_s stays in seconds."""
        logger, handler = captured
        fake_counter(0.0, 0.5)

        @timer_with_units("ms", logger=logger, name="load")
        def load() -> None:
            return None

        load()
        (record,) = handler.records
        assert record.getMessage() == "load took 500.0000 milliseconds"
        assert record.elapsed_s == 0.5
        assert record.operation.endswith("load")

    def test_async_record_points_at_the_awaiting_function(self, captured):
        """An async timed function's record names the coroutine that awaited it."""
        logger, handler = captured

        @timer(logger=logger)
        async def fetch() -> str:
            return "x"

        async def pipeline() -> str:
            return await fetch()

        assert asyncio.run(pipeline()) == "x"
        (record,) = handler.records
        assert record.funcName == "pipeline"
        assert record.operation.endswith("fetch")

    def test_logger_adapter(self, captured):
        """A LoggerAdapter is a logger too: the record keeps the caller's location."""
        logger, handler = captured
        adapter = logging.LoggerAdapter(logger, {"run_id": "r1"})

        @timer(logger=adapter)
        def step() -> None:
            return None

        step()
        (record,) = handler.records
        assert record.funcName == "test_logger_adapter"
        assert record.run_id == "r1"
        assert record.operation.endswith("step")
        assert isinstance(record.elapsed_s, float)

    def test_custom_adapter_process_is_respected(self, captured):
        """An adapter overriding process() gets the call through it, as it asked."""
        logger, handler = captured

        class Tagging(logging.LoggerAdapter):  # type: ignore[type-arg]
            def process(self, msg, kwargs):
                kwargs["extra"] = {**kwargs.get("extra", {}), "tag": "t1"}
                return f"[t1] {msg}", kwargs

        timer(logger=Tagging(logger, {}))(lambda: None)()
        (record,) = handler.records
        assert record.getMessage().startswith("[t1] ")
        assert record.tag == "t1"
        assert record.operation.endswith("<locals>.<lambda>")
        assert record.funcName == "test_custom_adapter_process_is_respected"

    def test_protocol_object_receives_fields_and_stacklevel(self, fake_counter):
        """Any object with log(level, msg, *args, extra=, stacklevel=) is a logger."""
        recorder = Recorder()
        assert isinstance(recorder, object)
        target: SupportsLog = recorder
        fake_counter(0.0, 2.0)

        @timer(logger=target)
        def fit() -> None:
            return None

        fit()
        ((level, msg, args, extra, stacklevel),) = recorder.calls
        assert level == logging.INFO
        assert msg % args == "fit took 2.0000 seconds"
        assert extra == {"elapsed_s": 2.0, "operation": fit.__qualname__}
        assert stacklevel == 4  # emit, to_logger, the timed wrapper, then this test

    def test_disabled_level_costs_no_record(self, captured):
        """A logger above INFO makes no record (the logger's own level check)."""
        logger, handler = captured
        logger.setLevel(logging.WARNING)
        timer(logger=logger)(lambda: None)()
        assert handler.records == []

    def test_callables_and_print_still_get_the_message(self, capsys):
        """print and other callables keep receiving the plain message."""
        lines: list[str] = []
        timer(logger=lines.append, name="a")(lambda: None)()
        timer(name="b")(lambda: None)()
        assert lines[0].startswith("a took ")
        assert capsys.readouterr().out.startswith("b took ")

    def test_module_with_a_log_function_is_not_a_logger(self):
        """A module such as math (math.log) is refused: loggers are told by their class."""
        import math

        with pytest.raises(InvalidArgumentTypeError, match=r"^timer: logger must be a callable"):
            timer(logger=math)


@pytest.fixture
def json_lines() -> Iterator[tuple[object, io.StringIO]]:
    """A real ml_infra.logging StructuredLogger (run_id bound) writing JSON lines to a stream."""
    ml_logging = pytest.importorskip("ml_infra.logging")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(ml_logging.JsonFormatter(service="trainer"))
    stdlib = logging.getLogger("tests.decorators.json")
    stdlib.addHandler(handler)
    stdlib.setLevel(logging.INFO)
    stdlib.propagate = False
    yield ml_logging.StructuredLogger("tests.decorators.json", run_id="run-7"), stream
    stdlib.removeHandler(handler)
    stdlib.propagate = True


def _parsed(stream: io.StringIO) -> list[dict[str, Any]]:
    """The JSON lines written to the stream so far."""
    return [json.loads(line) for line in stream.getvalue().splitlines()]


class TestStructuredLogger:
    def test_timer_fields_in_context_with_bound_fields(self, json_lines, fake_counter):
        """The JSON line has elapsed_s and operation in context, run_id kept, caller located."""
        log, stream = json_lines
        fake_counter(5.0, 6.5)

        @timer(logger=log)
        def evaluate() -> float:
            return 0.9

        line = _line_of_next_call()
        assert evaluate() == 0.9
        (record,) = _parsed(stream)
        assert record["message"] == "evaluate took 1.5000 seconds"
        assert record["level"] == "INFO"
        assert record["context"] == {
            "run_id": "run-7",
            "elapsed_s": 1.5,
            "operation": evaluate.__qualname__,
        }
        assert (record["module"], record["function"], record["line"]) == (
            "test_events",
            "test_timer_fields_in_context_with_bound_fields",
            line,
        )

    def test_retry_records_in_context(self, json_lines, fake_time):
        """Retry and give-up lines carry the retry fields in context, at the caller's line."""
        log, stream = json_lines

        @retry(max_attempts=2, delay=0.25, exceptions=TimeoutError, logger=log)
        def score(api_key: str) -> None:
            raise TimeoutError("model server slow")

        line = _line_of_next_call() + 1
        with pytest.raises(TimeoutError, match="slow"):
            score("sk-secret")
        retried, gave_up = _parsed(stream)
        assert retried["level"] == gave_up["level"] == "WARNING"
        assert retried["context"] == {
            "run_id": "run-7",
            "operation": score.__qualname__,
            "attempt": 1,
            "max_attempts": 2,
            "delay_s": 0.25,
            "exception_type": "TimeoutError",
        }
        assert gave_up["context"]["delay_s"] is None
        assert {(r["function"], r["line"]) for r in (retried, gave_up)} == {
            ("test_retry_records_in_context", line)
        }
        assert "sk-secret" not in json.dumps([retried, gave_up])


class TestRetryRecords:
    def test_retries_and_give_up_on_the_given_logger(self, captured, fake_time):
        """logger=: each retry and the give-up carry the fields, at the caller's line."""
        logger, handler = captured

        @retry(max_attempts=3, delay=2.0, exceptions=ConnectionError, logger=logger)
        def download(token: str) -> None:
            raise ConnectionResetError("peer reset")

        line = _line_of_next_call() + 1
        with pytest.raises(ConnectionResetError):
            download("s3cr3t")
        assert [r.levelno for r in handler.records] == [logging.WARNING] * 3
        fields = [
            (r.operation, r.attempt, r.max_attempts, r.delay_s, r.exception_type)
            for r in handler.records
        ]
        name = download.__qualname__
        assert fields == [
            (name, 1, 3, 2.0, "ConnectionResetError"),
            (name, 2, 3, 4.0, "ConnectionResetError"),
            (name, 3, 3, None, "ConnectionResetError"),
        ]
        assert {(r.funcName, r.lineno) for r in handler.records} == {
            ("test_retries_and_give_up_on_the_given_logger", line)
        }
        assert all("s3cr3t" not in r.getMessage() for r in handler.records)

    def test_unlisted_exception_after_retries_is_a_give_up(self, captured, fake_time):
        """An exception outside `exceptions` after a retry ends with a give-up record."""
        logger, handler = captured
        failures = iter([OSError("busy"), KeyError("k")])

        @retry(exceptions=OSError, delay=0.0, logger=logger)
        def read() -> None:
            raise next(failures)

        with pytest.raises(KeyError):
            read()
        gave_up = handler.records[-1]
        assert "the exception is not retried" in gave_up.getMessage()
        assert (gave_up.attempt, gave_up.exception_type) == (2, "KeyError")

    def test_stacked_decorators_all_point_at_the_caller(self, captured, fake_time):
        """@timer over @retry: both records skip every ml_infra frame between."""
        logger, handler = captured
        failures = [OSError("busy")]

        @timer(logger=logger)
        @retry(delay=1.0, logger=logger)
        def step() -> str:
            if failures:
                raise failures.pop()
            return "done"

        line = _line_of_next_call()
        assert step() == "done"
        assert [(r.funcName, r.lineno) for r in handler.records] == [
            ("test_stacked_decorators_all_point_at_the_caller", line)
        ] * 2
        assert [r.levelno for r in handler.records] == [logging.WARNING, logging.INFO]

    def test_async_records_point_at_the_awaiting_function(self, captured, fake_time):
        """Async retries are recorded at the coroutine that awaited the decorated one."""
        logger, handler = captured

        @retry(max_attempts=2, logger=logger)
        async def call() -> None:
            raise TimeoutError

        async def caller() -> None:
            await call()

        with pytest.raises(TimeoutError):
            asyncio.run(caller())
        assert [r.funcName for r in handler.records] == ["caller", "caller"]

    def test_condition_records_name_no_exception(self, captured, fake_time):
        """retry_on_condition: exception_type is None; the result never appears."""
        logger, handler = captured

        @retry_on_condition(lambda r: r == "pending-secret", max_attempts=2, logger=logger)
        def status() -> str:
            return "pending-secret"

        assert status() == "pending-secret"
        assert [(r.attempt, r.exception_type) for r in handler.records] == [(1, None), (2, None)]
        assert "returning the last result" in handler.records[-1].getMessage()
        assert all("pending-secret" not in r.getMessage() for r in handler.records)

    def test_default_is_the_package_logger(self, caplog, fake_time):
        """Without logger= the records go to the ml_infra.decorators logger."""
        caplog.set_level(logging.WARNING, logger="ml_infra.decorators")
        with pytest.raises(OSError, match="down"):
            retry(max_attempts=2, delay=0.0)(_always_oserror)()
        assert [r.name for r in caplog.records] == ["ml_infra.decorators"] * 2

    @pytest.mark.parametrize("bad", [print, "log", 3], ids=["print", "str", "int"])
    def test_non_logger_refused(self, bad):
        """retry's logger= takes loggers only (a callable has no level or fields)."""
        with pytest.raises(InvalidArgumentTypeError, match=r"^retry: logger must be a logging"):
            retry(logger=bad)

    def test_type_names(self):
        """Builtin exceptions go by bare name, others by module and qualname."""
        assert type_name(OSError()) == "OSError"
        assert type_name(subprocess.TimeoutExpired("x", 1)) == "subprocess.TimeoutExpired"


def _always_oserror() -> None:
    raise OSError("down")


class TestSpanEvents:
    @pytest.fixture
    def tracing(self):
        """A real SDK tracer exporting finished spans to memory."""
        sdk_trace = pytest.importorskip("opentelemetry.sdk.trace")
        export = pytest.importorskip("opentelemetry.sdk.trace.export")
        memory = pytest.importorskip("opentelemetry.sdk.trace.export.in_memory_span_exporter")
        exporter = memory.InMemorySpanExporter()
        provider = sdk_trace.TracerProvider()
        provider.add_span_processor(export.SimpleSpanProcessor(exporter))
        return provider.get_tracer("tests.decorators"), exporter, sdk_trace

    def test_each_retry_and_the_give_up_add_events(self, tracing, fake_time):
        """Under a recording span: one "retry" event per retry, one "retry.gave_up"."""
        tracer, exporter, _ = tracing

        @retry(max_attempts=3, delay=1.0, exceptions=ConnectionError)
        def query() -> None:
            raise ConnectionRefusedError("no")

        with tracer.start_as_current_span("step"), pytest.raises(ConnectionRefusedError):
            query()
        (span,) = exporter.get_finished_spans()
        assert [event.name for event in span.events] == ["retry", "retry", "retry.gave_up"]
        first, _, last = (dict(event.attributes) for event in span.events)
        assert first == {
            "operation": query.__qualname__,
            "attempt": 1,
            "max_attempts": 3,
            "delay_s": 1.0,
            "exception_type": "ConnectionRefusedError",
        }
        assert "delay_s" not in last
        assert last["attempt"] == 3

    def test_async_retries_add_events(self, tracing):
        """Async retries add their events to the span current in the task."""
        tracer, exporter, _ = tracing
        calls: list[int] = []

        @retry(max_attempts=3, delay=5.0)
        async def fetch() -> str:
            calls.append(1)
            if len(calls) < 2:
                raise TimeoutError
            return "ok"

        async def traced() -> str:
            with tracer.start_as_current_span("fetch"):
                return await fetch()

        with set_testing(True):
            assert asyncio.run(traced()) == "ok"
        (span,) = exporter.get_finished_spans()
        assert [(e.name, e.attributes["delay_s"]) for e in span.events] == [("retry", 5.0)]

    def test_non_recording_span_gets_nothing(self, tracing, fake_time):
        """A sampled-out span (not recording) is left alone, and retrying still works."""
        _, exporter, sdk_trace = tracing
        sampling = pytest.importorskip("opentelemetry.sdk.trace.sampling")
        provider = sdk_trace.TracerProvider(sampler=sampling.ALWAYS_OFF)
        tracer = provider.get_tracer("tests.decorators.off")
        flaky = iter([OSError(), None])

        def once() -> str:
            error = next(flaky)
            if error is not None:
                raise error
            return "ok"

        with tracer.start_as_current_span("off") as span:
            assert not span.is_recording()
            assert retry(delay=0.0)(once)() == "ok"
        assert exporter.get_finished_spans() == ()

    def test_no_span_no_event_no_error(self, fake_time):
        """With OpenTelemetry imported but no current span, retries just log."""
        pytest.importorskip("opentelemetry.trace")
        with pytest.raises(OSError, match="down"):
            retry(max_attempts=2, delay=0.0)(_always_oserror)()


def _run(code: str) -> str:
    """Run ``code`` in a fresh interpreter; return its stdout."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


class TestImports:
    def test_opentelemetry_never_imported_by_us(self):
        """Retrying in a process that never imported OpenTelemetry imports none of it."""
        pytest.importorskip("opentelemetry.trace")  # installed, so only we could import it
        out = _run(
            """
            import sys
            from ml_infra.decorators import retry, set_testing

            @retry(max_attempts=3)
            def flaky():
                raise OSError("down")

            with set_testing(True):
                try:
                    flaky()
                except OSError:
                    pass
            print(sorted(m for m in sys.modules if m.split(".")[0] == "opentelemetry"))
            """
        )
        assert out == "[]"

    def test_import_loads_no_asyncio_inspect_or_logging(self):
        """Importing and decorating sync functions loads none of the costly stdlib modules."""
        out = _run(
            """
            import sys
            from ml_infra.decorators import retry, retry_on_condition, timer

            timer(logger=None)(retry(retry_on_condition(lambda r: r < 0)(len)))("x")
            heavy = ("asyncio", "dataclasses", "inspect", "logging", "random", "typing")
            print(sorted(m for m in heavy if m in sys.modules))
            """
        )
        assert out == "[]"

    def test_first_retry_loads_logging_and_async_waits_load_asyncio(self):
        """logging comes with the first record; asyncio with the first async wait."""
        out = _run(
            """
            import sys
            from ml_infra.decorators import retry

            calls = []

            @retry(delay=0.0)
            def flaky():
                calls.append(1)
                if len(calls) == 1:
                    raise OSError("down")

            flaky()
            print("logging" in sys.modules, "asyncio" in sys.modules)
            """
        )
        assert out == "True False"
