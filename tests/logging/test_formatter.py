"""JsonFormatter: the line's schema, timestamps, context, exceptions, options."""

from __future__ import annotations

import datetime as dt
import json
import logging
import logging.config
import pickle
import sys
from collections.abc import Callable

import pytest
from ml_infra.logging import (
    RESERVED_KEYS,
    ConfigurationError,
    JsonFormatter,
    LoggingTypeError,
    StructuredLogger,
)

BASE_KEYS = ["timestamp", "level", "logger", "message", "module", "function", "line"]


def make_record(**attrs: object) -> logging.LogRecord:
    record = logging.LogRecord("t.rec", logging.INFO, __file__, 7, "hello %s", ("x",), None, "fn")
    record.__dict__.update(attrs)
    return record


class TestSchema:
    def test_plain_record_has_the_documented_keys_in_order(self, capture) -> None:
        """A plain record carries the base keys in order, then an empty context."""
        capture.logger.info("hello %s", "world")
        record = capture.one()
        assert list(record) == [*BASE_KEYS, "context"]
        assert record["level"] == "INFO"
        assert record["logger"] == capture.name
        assert record["message"] == "hello world"
        assert record["context"] == {}

    def test_each_record_is_exactly_one_ascii_line(self, capture) -> None:
        """Newlines and non-ASCII text are escaped: one ASCII line per record."""
        capture.logger.info("multi\nline \u2028 caf\u00e9 \U0001f600", extra={"k": "a\nb"})
        lines = capture.lines()
        assert len(lines) == 1
        assert lines[0].isascii()
        assert capture.one()["message"] == "multi\nline \u2028 caf\u00e9 \U0001f600"

    def test_lines_are_compact(self, capture) -> None:
        """Separators carry no padding (smaller logs)."""
        capture.logger.info("x", extra={"a": 1})
        assert '"context":{"a":1}' in capture.lines()[0]

    def test_caller_fields_name_the_calling_code(self, capture) -> None:
        """module/function/line point at the logging call in this test."""
        line = sys._getframe().f_lineno + 1
        capture.logger.warning("here")
        record = capture.one()
        assert record["module"] == "test_formatter"
        assert record["function"] == "test_caller_fields_name_the_calling_code"
        assert record["line"] == line

    def test_record_message_attribute_is_set_like_stdlib(self) -> None:
        """format() sets record.message, as logging.Formatter does."""
        record = make_record()
        JsonFormatter().format(record)
        assert record.message == "hello x"


class TestTimestamp:
    def test_timestamp_is_utc_iso8601_with_microseconds_and_offset(self, strict_json) -> None:
        """The timestamp equals datetime's UTC isoformat of record.created."""
        record = make_record(created=1714566645.123456)
        line = strict_json(JsonFormatter().format(record))
        assert line["timestamp"] == "2024-05-01T12:30:45.123456+00:00"
        parsed = dt.datetime.fromisoformat(str(line["timestamp"]))
        assert parsed.utcoffset() == dt.timedelta(0)

    def test_timestamp_follows_each_record_across_seconds(self, strict_json) -> None:
        """The per-second cache never serves a stale second."""
        formatter = JsonFormatter()
        stamps = [
            strict_json(formatter.format(make_record(created=created)))["timestamp"]
            for created in (100.25, 100.75, 101.0, 100.5, 86_400.999_999_7)
        ]
        assert stamps == [
            "1970-01-01T00:01:40.250000+00:00",
            "1970-01-01T00:01:40.750000+00:00",
            "1970-01-01T00:01:41.000000+00:00",
            "1970-01-01T00:01:40.500000+00:00",
            "1970-01-02T00:00:01.000000+00:00",  # rounds up into the next second
        ]


class TestContext:
    def test_stdlib_extra_fields_land_in_context_in_order(self, capture) -> None:
        """extra= of a plain logging call goes under context, keeping its order."""
        capture.logger.info("m", extra={"zeta": 1, "alpha": [1, 2], "mid": {"k": None}})
        context = capture.one()["context"]
        assert list(context) == ["zeta", "alpha", "mid"]  # type: ignore[call-overload]
        assert context == {"zeta": 1, "alpha": [1, 2], "mid": {"k": None}}

    def test_attributes_set_by_filters_are_context_too(self, capture) -> None:
        """Attributes a filter adds to records (e.g. a request id) appear in context."""

        def add_request_id(record: logging.LogRecord) -> bool:
            record.request_id = "req-1"
            return True

        capture.handler.addFilter(add_request_id)
        capture.logger.info("m")
        assert capture.one()["context"] == {"request_id": "req-1"}

    def test_record_rebuilt_by_make_log_record_keeps_extras(self, strict_json) -> None:
        """Records rebuilt from a dict (socket/queue handlers) still yield their extras."""
        source = make_record(shard=3)
        rebuilt = logging.makeLogRecord(pickle.loads(pickle.dumps(dict(source.__dict__))))
        assert strict_json(JsonFormatter().format(rebuilt))["context"] == {"shard": 3}

    def test_reordered_record_is_scanned_fully(self, strict_json) -> None:
        """A record whose attributes were re-set out of order still yields every extra."""
        record = make_record(early="yes")
        del record.process
        record.process = 1
        assert strict_json(JsonFormatter().format(record))["context"] == {"early": "yes"}

    def test_structured_fields_merge_after_stdlib_extras(self, capture) -> None:
        """Fields carried by StructuredLogger are merged after other record attributes."""
        capture.handler.addFilter(lambda record: setattr(record, "host", "h1") or True)
        StructuredLogger(capture.name).info("m", step=1)
        assert capture.one()["context"] == {"host": "h1", "step": 1}


class TestStaticFields:
    def test_service_environment_version_appear_before_context(self, make_capture) -> None:
        """Static fields follow the base keys and precede context."""
        capture = make_capture(
            JsonFormatter(service="trainer", environment="prod", version="1.2.3")
        )
        capture.logger.info("m")
        record = capture.one()
        assert list(record) == [*BASE_KEYS, "service", "environment", "version", "context"]
        assert (record["service"], record["environment"], record["version"]) == (
            "trainer",
            "prod",
            "1.2.3",
        )

    def test_static_fields_mapping_is_sanitized_once(self, make_capture) -> None:
        """Extra static fields are written as given, hostile values made safe."""
        capture = make_capture(JsonFormatter(static_fields={"region": "eu", "ratio": float("nan")}))
        capture.logger.info("m")
        record = capture.one()
        assert (record["region"], record["ratio"]) == ("eu", "NaN")

    @pytest.mark.parametrize("key", sorted(RESERVED_KEYS))
    def test_static_field_named_like_a_reserved_key_is_refused(self, key: str) -> None:
        """A static field may not overwrite a key the formatter writes."""
        with pytest.raises(ConfigurationError, match=rf"static field '{key}' clashes"):
            JsonFormatter(static_fields={key: 1})

    def test_static_field_duplicating_an_argument_is_refused(self) -> None:
        """static_fields may not repeat service/environment/version."""
        with pytest.raises(ConfigurationError, match="the service argument"):
            JsonFormatter(service="a", static_fields={"service": "b"})

    @pytest.mark.parametrize(
        ("kwargs", "match"),
        [
            ({"service": 3}, "service must be a str or None, got int"),
            ({"static_fields": [("a", 1)]}, "static_fields must be a mapping"),
            ({"static_fields": {1: "a"}}, "static_fields keys must be str"),
            ({"redact": "yes"}, "redact must be a bool"),
            ({"redact_keys": "password"}, "redact_keys must be a collection of str"),
            ({"extra_redact_keys": [b"pin"]}, "key names must be str, got bytes"),
            ({"max_string_length": 1.5}, "max_string_length must be an int"),
            ({"max_depth": True}, "max_depth must be an int"),
        ],
    )
    def test_option_of_the_wrong_type_raises_type_error(self, kwargs, match) -> None:
        """Options of the wrong type raise LoggingTypeError (a TypeError) naming them."""
        with pytest.raises(LoggingTypeError, match=match):
            JsonFormatter(**kwargs)

    @pytest.mark.parametrize(
        ("kwargs", "match"),
        [
            ({"max_string_length": 0}, "max_string_length must be >= 1, got 0"),
            ({"max_depth": 0}, "max_depth must be >= 1"),
            ({"max_array_size": -1}, "max_array_size must be >= 0"),
            ({"extra_redact_keys": ["__"]}, "key name '__' has no letters or digits"),
        ],
    )
    def test_option_with_a_bad_value_raises_value_error(self, kwargs, match) -> None:
        """Options with invalid values raise ConfigurationError (a ValueError)."""
        with pytest.raises(ConfigurationError, match=match):
            JsonFormatter(**kwargs)

    def test_dictconfig_factory_form_builds_the_formatter(self, capsys) -> None:
        """logging.config.dictConfig can build it with the '()' factory key."""
        logging.config.dictConfig(
            {
                "version": 1,
                "incremental": False,
                "disable_existing_loggers": False,
                "formatters": {"json": {"()": JsonFormatter, "service": "dc"}},
                "handlers": {
                    "out": {
                        "class": "logging.StreamHandler",
                        "formatter": "json",
                        "stream": "ext://sys.stdout",
                    }
                },
                "loggers": {"tests.dictconfig": {"handlers": ["out"], "propagate": False}},
            }
        )
        logger = logging.getLogger("tests.dictconfig")
        try:
            logger.warning("configured")
            line = json.loads(capsys.readouterr().out)
            assert (line["service"], line["message"]) == ("dc", "configured")
        finally:
            for handler in list(logger.handlers):
                logger.removeHandler(handler)


class TestExceptions:
    def test_exception_record_has_type_message_and_traceback(self, capture) -> None:
        """logger.exception() adds an exception object with the full traceback."""
        try:
            {}["missing"]
        except KeyError:
            capture.logger.exception("lookup failed")
        record = capture.one()
        assert list(record)[-1] == "exception"
        exception = record["exception"]
        assert exception["type"] == "KeyError"  # type: ignore[index]
        assert exception["message"] == "'missing'"  # type: ignore[index]
        traceback = exception["traceback"]  # type: ignore[index]
        assert traceback.startswith("Traceback (most recent call last):")
        assert "in test_exception_record_has_type_message_and_traceback" in traceback
        assert traceback.rstrip().endswith("KeyError: 'missing'")

    def test_user_exception_type_is_qualified_and_chaining_kept(self, capture) -> None:
        """Non-builtin types carry their module; chained causes stay in the traceback."""

        class TrainingError(RuntimeError):
            pass

        try:
            try:
                raise ValueError("inner")
            except ValueError as inner:
                raise TrainingError("outer") from inner
        except TrainingError:
            capture.logger.error("failed", exc_info=True)
        exception = capture.one()["exception"]
        assert exception["type"].endswith("TrainingError")  # type: ignore[index]
        assert "test_formatter." in exception["type"]  # type: ignore[index]
        assert "ValueError: inner" in exception["traceback"]  # type: ignore[index]
        assert "direct cause" in exception["traceback"]  # type: ignore[index]

    def test_exception_whose_str_raises_is_still_logged(self, capture) -> None:
        """An exception whose __str__ raises still yields a record."""

        class HostileError(Exception):
            def __str__(self) -> str:
                raise RuntimeError("no str")

        try:
            raise HostileError
        except HostileError:
            capture.logger.exception("bad exception")
        exception = capture.one()["exception"]
        assert exception["type"].endswith("HostileError")  # type: ignore[index]
        assert exception["message"] == "HostileError()"  # type: ignore[index]  # str() failed: repr

    def test_exception_outside_except_block_has_no_exception_object(self, capture) -> None:
        """exc_info=(None, None, None) (exception() with nothing raised) adds nothing useful."""
        capture.logger.exception("nothing raised")
        assert capture.one()["exception"] == {"type": None, "message": None, "traceback": None}

    @pytest.mark.parametrize(
        ("exc_info", "problem"),
        [
            ((ValueError, ValueError("bad"), "not a traceback"), "AttributeError"),
            ((ValueError, 5, None), "AttributeError"),
        ],
        ids=["bad-traceback", "not-an-exception"],
    )
    def test_hand_made_exc_info_tuple_keeps_the_record(self, capture, exc_info, problem) -> None:
        """An exc_info tuple the traceback module cannot format keeps context and says why."""
        capture.logger.error("failed", exc_info=exc_info, extra={"step": 3})
        record = capture.one()
        assert record["message"] == "failed"
        assert record["context"] == {"step": 3}
        exception = record["exception"]
        assert exception["type"] == type(exc_info[1]).__name__  # type: ignore[index]
        assert exception["message"] == str(exc_info[1])  # type: ignore[index]
        assert exception["traceback"].startswith(  # type: ignore[index]
            f"<traceback could not be formatted: {problem}: "
        )

    def test_exc_text_only_record_is_parsed(self, strict_json) -> None:
        """A record that lost exc_info but kept exc_text (pickled) keeps the traceback."""
        record = make_record(exc_text="Traceback (most recent call last):\nValueError: bad x")
        exception = strict_json(JsonFormatter().format(record))["exception"]
        assert exception == {
            "type": "ValueError",
            "message": "bad x",
            "traceback": "Traceback (most recent call last):\nValueError: bad x",
        }

    def test_stack_info_is_written_when_asked(self, capture) -> None:
        """stack_info=True adds a stack string naming this test."""
        capture.logger.info("where am I", stack_info=True)
        stack = capture.one()["stack"]
        assert stack.startswith("Stack (most recent call last):")  # type: ignore[union-attr]
        assert "test_stack_info_is_written_when_asked" in stack  # type: ignore[operator]


class TestNeverRaises:
    def test_bad_percent_args_keep_the_record_and_say_why(self, strict_json) -> None:
        """A message whose %-args do not fit is logged raw with a logging_error."""
        # Formatted directly: pytest's own capture handlers would raise on this record.
        bad = make_record(msg="%d items", args=("many",), k=1)
        record = strict_json(JsonFormatter().format(bad))
        assert record["message"] == "%d items"
        assert record["context"] == {"k": 1}
        assert record["logging_error"].startswith("message formatting failed: TypeError")  # type: ignore[union-attr]

    def test_record_with_impossible_attributes_still_yields_a_line(self, strict_json) -> None:
        """Even a record with a broken timestamp gives a minimal line, not an exception."""
        record = make_record(created="not a time")
        line = strict_json(JsonFormatter().format(record))
        assert line["message"] == "hello %s"
        assert "could not be formatted" in line["logging_error"]  # type: ignore[operator]

    def test_non_string_level_name_and_line_go_through_the_sanitizer(self, strict_json) -> None:
        """Odd types in standard attributes are written, not raised on."""
        record = make_record(levelname=None, lineno="7", funcName=None)
        line = strict_json(JsonFormatter().format(record))
        assert (line["level"], line["line"], line["function"]) == (None, "7", None)

    def test_fast_and_general_paths_write_the_same_line(self, strict_json) -> None:
        """The string-built fast path and the dict path agree key for key."""
        formatter = JsonFormatter(service="s")
        fast = formatter.format(make_record(created=5.5, a=1))
        slow_record = make_record(created=5.5, a=1, stack_info="Stack:")
        general = strict_json(formatter.format(slow_record))
        del general["stack"]
        assert json.loads(fast) == general
        assert list(json.loads(fast)) == list(general)


def test_formatter_usable_as_plain_logging_formatter(capture: Callable[..., object]) -> None:
    """JsonFormatter is a logging.Formatter subclass."""
    assert isinstance(JsonFormatter(), logging.Formatter)


class TestGeneralPathFallbacks:
    def test_exception_record_with_hostile_fields_is_sanitized(self, capture) -> None:
        """Records with exception info and NaN fields take the sanitizer too."""
        try:
            raise OSError("disk")
        except OSError:
            capture.logger.exception("io", extra={"loss": float("nan")})
        record = capture.one()
        assert record["context"] == {"loss": "NaN"}
        assert record["exception"]["type"] == "OSError"  # type: ignore[index]

    def test_long_traceback_is_capped(self, make_capture) -> None:
        """A line longer than max_string_length on the exception path is capped too."""
        capture = make_capture(JsonFormatter(max_string_length=200))
        try:
            raise ValueError("v" * 500)
        except ValueError:
            capture.logger.exception("long")
        exception = capture.one()["exception"]
        assert exception["message"].endswith("...[truncated 300 chars]")  # type: ignore[index]

    def test_minimal_line_for_a_record_broken_everywhere(self, strict_json) -> None:
        """A record with no usable timestamp and an unprintable level still gives a line."""

        class Boom:
            def __str__(self) -> str:
                raise RuntimeError("str")

            def __repr__(self) -> str:
                raise RuntimeError("repr")

        record = make_record(created=None, levelname=Boom())
        line = strict_json(JsonFormatter().format(record))
        assert line["timestamp"] is None
        assert line["level"].startswith("<unrepresentable")  # type: ignore[union-attr]
        assert line["level"].endswith("Boom object: repr raised RuntimeError>")  # type: ignore[union-attr]
        assert line["message"] == "hello %s"
        assert line["logging_error"].startswith("record could not be formatted: TypeError")  # type: ignore[union-attr]
