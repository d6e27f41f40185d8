"""StructuredLogger, bind, caller info and log_ml_event."""

from __future__ import annotations

import logging
import sys

import pytest
from ml_infra.logging import (
    ConfigurationError,
    LoggingTypeError,
    LoggingValueError,
    MLEvent,
    StructuredLogger,
    log_ml_event,
)


def here() -> int:
    """The caller's line number."""
    return sys._getframe(1).f_lineno


class TestStructuredLogger:
    def test_wraps_the_named_stdlib_logger(self, capture) -> None:
        """Records go through logging.getLogger(name) and its handlers."""
        log = StructuredLogger(capture.name)
        assert log.logger is capture.logger
        assert log.name == capture.name
        log.info("hello", user="ada")
        record = capture.one()
        assert (record["logger"], record["message"], record["context"]) == (
            capture.name,
            "hello",
            {"user": "ada"},
        )

    @pytest.mark.parametrize(
        ("method", "level"),
        [
            ("debug", "DEBUG"),
            ("info", "INFO"),
            ("warning", "WARNING"),
            ("error", "ERROR"),
            ("critical", "CRITICAL"),
            ("exception", "ERROR"),
        ],
    )
    def test_each_method_logs_at_its_level_naming_the_caller(self, capture, method, level) -> None:
        """Every level method sets the level and names this test as the caller."""
        log = StructuredLogger(capture.name)
        line = here() + 1
        getattr(log, method)("m", k=1)
        record = capture.one()
        assert record["level"] == level
        assert (record["module"], record["function"], record["line"]) == (
            "test_logger",
            "test_each_method_logs_at_its_level_naming_the_caller",
            line,
        )

    def test_log_with_numeric_level_and_percent_args(self, capture) -> None:
        """log() takes a level and lazily %-formats args."""
        line = here() + 1
        StructuredLogger(capture.name).log(25, "%d rows in %s", 3, "t", table="t")
        record = capture.one()
        assert (record["level"], record["message"], record["line"]) == (
            "Level 25",
            "3 rows in t",
            line,
        )

    def test_stacklevel_names_the_callers_caller(self, capture) -> None:
        """stacklevel=2 attributes the record to the function that called the helper."""
        log = StructuredLogger(capture.name)

        def helper() -> None:
            log.info("from helper", stacklevel=2)

        line = here() + 1
        helper()
        record = capture.one()
        assert (record["function"], record["line"]) == (
            "test_stacklevel_names_the_callers_caller",
            line,
        )

    @pytest.mark.parametrize(
        "name",
        ["message", "msg", "args", "name", "levelname", "exc_text", "asctime", "lineno", "module"],
    )
    def test_fields_named_like_record_attributes_stay_in_context(self, capture, name) -> None:
        """Fields named like LogRecord attributes never raise and stay under context."""
        StructuredLogger(capture.name).info("real message", **{name: "field value"})
        record = capture.one()
        assert record["message"] == "real message"
        assert record["context"] == {name: "field value"}

    def test_stdlib_extra_with_the_same_names_would_raise(self, capture) -> None:
        """The reason for the design: stdlib extra= refuses these names."""
        with pytest.raises(KeyError, match="message"):
            capture.logger.info("m", extra={"message": "x"})

    def test_disabled_level_does_nothing(self, make_capture) -> None:
        """Below the logger's level no record is made and fields are not touched."""
        capture = make_capture(level=logging.WARNING)

        class Explosive:
            def __repr__(self) -> str:
                raise AssertionError("touched")

        log = StructuredLogger(capture.name)
        log.info("quiet", value=Explosive())
        log.debug("quiet")
        assert capture.lines() == []
        assert not log.is_enabled_for(logging.INFO)

    def test_exception_method_records_the_active_exception(self, capture) -> None:
        """exception() from an except block carries exc_info and fields."""
        try:
            raise ValueError("bad batch")
        except ValueError:
            StructuredLogger(capture.name).exception("failed", batch=7)
        record = capture.one()
        assert record["context"] == {"batch": 7}
        assert record["exception"]["type"] == "ValueError"  # type: ignore[index]

    def test_level_names_are_accepted_by_log_and_is_enabled_for(self, capture) -> None:
        """log() and is_enabled_for() take level names like configure() does."""
        log = StructuredLogger(capture.name)
        log.log("warning", "by name")
        assert capture.one()["level"] == "WARNING"
        assert log.is_enabled_for("debug")

    @pytest.mark.parametrize(
        ("level", "error", "match"),
        [
            ("loud", ConfigurationError, "StructuredLogger.log: level: 'loud'"),
            (float("nan"), LoggingTypeError, "level must be an int or a level name, got float"),
            (None, LoggingTypeError, "got NoneType"),
            (-5, ConfigurationError, "level must be >= 0"),
        ],
    )
    def test_bad_levels_raise_our_errors(self, capture, level, error, match) -> None:
        """A non-level (NaN included) is refused, never a bare TypeError or a dropped record."""
        log = StructuredLogger(capture.name)
        with pytest.raises(error, match=match):
            log.log(level, "m")
        with pytest.raises(error):
            log.is_enabled_for(level)
        assert capture.lines() == []

    @pytest.mark.parametrize("method", ["debug", "info", "warning", "error", "critical", "log"])
    @pytest.mark.parametrize("stacklevel", ["2", 2.0, None, True])
    def test_non_int_stacklevel_is_refused(self, capture, method, stacklevel) -> None:
        """stacklevel must be an int; the error names the method."""
        log = StructuredLogger(capture.name)
        call = getattr(log, method)
        args = (logging.INFO, "m") if method == "log" else ("m",)
        with pytest.raises(
            LoggingTypeError, match=rf"StructuredLogger.{method}: stacklevel must be an int"
        ):
            call(*args, stacklevel=stacklevel)

    def test_non_int_stacklevel_is_refused_by_exception(self, capture) -> None:
        """exception() names itself too."""
        with pytest.raises(LoggingTypeError, match=r"StructuredLogger.exception: stacklevel"):
            StructuredLogger(capture.name).exception("m", stacklevel="2")

    def test_non_string_name_is_refused(self) -> None:
        """The logger name must be a str."""
        with pytest.raises(LoggingTypeError, match="name must be a str, got int"):
            StructuredLogger(42)  # type: ignore[arg-type]


class TestBind:
    def test_bind_merges_and_leaves_the_parent_untouched(self, capture) -> None:
        """bind() returns a new logger; the parent keeps its own context."""
        parent = StructuredLogger(capture.name, run="r1")
        child = parent.bind(epoch=2)
        grandchild = child.bind(epoch=3, step=10)
        parent.info("p")
        child.info("c")
        grandchild.info("g")
        contexts = [record["context"] for record in capture.records()]
        assert contexts == [
            {"run": "r1"},
            {"run": "r1", "epoch": 2},
            {"run": "r1", "epoch": 3, "step": 10},
        ]
        assert dict(parent.context) == {"run": "r1"}

    def test_call_fields_override_bound_fields_for_that_call_only(self, capture) -> None:
        """A per-call field wins over a bound one without changing the binding."""
        log = StructuredLogger(capture.name, phase="train")
        log.info("a", phase="eval")
        log.info("b")
        assert [r["context"] for r in capture.records()] == [{"phase": "eval"}, {"phase": "train"}]

    def test_context_view_is_read_only(self) -> None:
        """The context property cannot be used to mutate the binding."""
        log = StructuredLogger("tests.bind.ro", a=1)
        with pytest.raises(TypeError):
            log.context["a"] = 2  # type: ignore[index]

    def test_unbind_drops_fields(self, capture) -> None:
        """unbind() returns a logger without the named fields; unknown names are ignored."""
        log = StructuredLogger(capture.name, a=1, b=2).unbind("a", "zzz")
        log.info("m")
        assert capture.one()["context"] == {"b": 2}

    def test_repr_names_logger_and_fields(self) -> None:
        """repr shows the logger name and bound field names, not values."""
        assert (
            repr(StructuredLogger("x.y", token="t", a=1))
            == "StructuredLogger('x.y', fields=['a', 'token'])"
        )


class TestLogMlEvent:
    def test_event_type_and_data_land_in_context(self, capture) -> None:
        """The event type comes first in context, then the data, after bound fields."""
        log = StructuredLogger(capture.name, run_id="r-1")
        line = here() + 1
        log_ml_event(log, MLEvent.EPOCH_END, epoch=3, metrics={"loss": 0.1, "acc": 0.9})
        record = capture.one()
        assert record["message"] == "epoch_end"
        assert record["level"] == "INFO"
        assert record["context"] == {
            "run_id": "r-1",
            "event_type": "epoch_end",
            "epoch": 3,
            "metrics": {"loss": 0.1, "acc": 0.9},
        }
        assert (record["function"], record["line"]) == (
            "test_event_type_and_data_land_in_context",
            line,
        )

    def test_plain_logging_logger_is_accepted(self, capture) -> None:
        """A logging.Logger works too and names the caller."""
        line = here() + 1
        log_ml_event(capture.logger, "prediction_batch", level="warning", size=64, message="m")
        record = capture.one()
        assert (record["level"], record["line"], record["module"]) == (
            "WARNING",
            line,
            "test_logger",
        )
        assert record["context"] == {"event_type": "prediction_batch", "size": 64, "message": "m"}

    @pytest.mark.parametrize("kind", ["structured", "plain"])
    def test_stacklevel_names_the_caller_of_a_helper(self, capture, kind) -> None:
        """stacklevel=2 lets a helper that logs events name its own caller."""
        logger = StructuredLogger(capture.name) if kind == "structured" else capture.logger

        def log_epoch(epoch: int) -> None:
            log_ml_event(logger, MLEvent.EPOCH_END, stacklevel=2, epoch=epoch)

        line = here() + 1
        log_epoch(4)
        record = capture.one()
        assert (record["function"], record["line"]) == (
            "test_stacklevel_names_the_caller_of_a_helper",
            line,
        )
        assert record["context"] == {"event_type": "epoch_end", "epoch": 4}

    def test_disabled_level_emits_nothing(self, make_capture) -> None:
        """An event below the logger's level is dropped by level, like any record."""
        capture = make_capture(level=logging.ERROR)
        log_ml_event(StructuredLogger(capture.name), "evaluation", accuracy=0.9)
        assert capture.lines() == []

    @pytest.mark.parametrize(
        ("args", "error", "match"),
        [
            (
                ("not a logger", "e"),
                LoggingTypeError,
                "logger must be a StructuredLogger or a logging.Logger, got str",
            ),
            ((None, "e"), LoggingTypeError, "got NoneType"),
            ((logging.getLogger("t"), 3), LoggingTypeError, "event_type must be a str, got int"),
            ((logging.getLogger("t"), "  "), LoggingValueError, "event_type must not be empty"),
        ],
    )
    def test_bad_arguments_raise_clear_errors(self, args, error, match) -> None:
        """Wrong logger or event types are refused with the argument named."""
        with pytest.raises(error, match=match):
            log_ml_event(*args)

    def test_non_int_stacklevel_is_refused(self) -> None:
        """stacklevel must be an int (it is not taken as an event field)."""
        with pytest.raises(LoggingTypeError, match="log_ml_event: stacklevel must be an int"):
            log_ml_event(logging.getLogger("t"), "e", stacklevel="2")  # type: ignore[arg-type]

    def test_logger_and_event_type_are_positional_only(self, capture) -> None:
        """Fields named logger (a model's logger, say) land in context."""
        log_ml_event(StructuredLogger(capture.name), "model_loaded", logger="resnet")
        assert capture.one()["context"] == {"event_type": "model_loaded", "logger": "resnet"}

    def test_event_type_given_twice_is_refused(self) -> None:
        """An event_type field beside the positional one is a mistake, named as such."""
        with pytest.raises(LoggingTypeError, match="event_type given twice"):
            log_ml_event(logging.getLogger("t"), "e", event_type="other")

    def test_unknown_level_name_is_refused(self) -> None:
        """level must name a logging level."""
        with pytest.raises(ConfigurationError, match="log_ml_event: level: 'LOUD'"):
            log_ml_event(logging.getLogger("t"), "e", level="LOUD")

    def test_ml_event_values_are_plain_strings(self) -> None:
        """MLEvent members compare equal to their string values."""
        assert MLEvent.TRAINING_STARTED == "training_started"
        assert {e.value for e in MLEvent} >= {"training_finished", "evaluation", "prediction_batch"}


class TestExtra:
    @pytest.mark.parametrize(
        "method", ["debug", "info", "warning", "error", "critical", "exception", "log"]
    )
    def test_extra_merges_into_the_fields_on_every_method(self, capture, method) -> None:
        """extra= (the stdlib habit) merges into context with bound and keyword fields."""
        log = StructuredLogger(capture.name, run_id="r-1")
        call = getattr(log, method)
        args = (logging.INFO, "m") if method == "log" else ("m",)
        line = here() + 1
        call(*args, extra={"rows": 3, "run_id": "r-2"}, step=7)
        record = capture.one()
        assert record["context"] == {"run_id": "r-2", "rows": 3, "step": 7}
        assert (record["function"], record["line"]) == (
            "test_extra_merges_into_the_fields_on_every_method",
            line,
        )

    def test_log_with_extra_and_stacklevel_names_the_helpers_caller(self, capture) -> None:
        """The decorators' contract: log(level, msg, *args, extra=, stacklevel=) like logging."""
        log = StructuredLogger(capture.name, run_id="r-1")

        def timed_helper() -> None:
            log.log(
                logging.INFO, "%s took %.1fs", "step", 1.5, extra={"elapsed_s": 1.5}, stacklevel=2
            )

        line = here() + 1
        timed_helper()
        record = capture.one()
        assert record["message"] == "step took 1.5s"
        assert record["context"] == {"run_id": "r-1", "elapsed_s": 1.5}
        assert (record["function"], record["line"]) == (
            "test_log_with_extra_and_stacklevel_names_the_helpers_caller",
            line,
        )

    def test_extra_none_and_empty_are_no_fields(self, capture) -> None:
        """extra=None and extra={} add nothing (and never an 'extra' field)."""
        log = StructuredLogger(capture.name)
        log.info("a", extra=None)
        log.info("b", extra={})
        assert [r["context"] for r in capture.records()] == [{}, {}]

    def test_extra_mapping_that_is_not_a_dict(self, capture) -> None:
        """Any Mapping works (a read-only view here), and the caller's mapping is not modified."""
        from types import MappingProxyType

        given = {"a": 1}
        StructuredLogger(capture.name).info("m", extra=MappingProxyType(given), b=2)
        assert capture.one()["context"] == {"a": 1, "b": 2}
        assert given == {"a": 1}

    def test_extra_keys_are_redacted_like_fields(self, capture) -> None:
        """Secret names in extra= are redacted like any field."""
        StructuredLogger(capture.name).info("m", extra={"password": "hunter2"})
        assert capture.one()["context"] == {"password": "[REDACTED]"}

    @pytest.mark.parametrize(
        ("key", "kind"),
        [
            ("message", "a LogRecord attribute"),
            ("levelname", "a LogRecord attribute"),
            ("asctime", "a LogRecord attribute"),
            ("ml_infra_fields", "a LogRecord attribute"),
            ("timestamp", "a key of the JSON line"),
            ("context", "a key of the JSON line"),
            ("trace_id", "a key of the JSON line"),
        ],
    )
    def test_reserved_extra_keys_are_refused(self, capture, key, kind) -> None:
        """extra= may not use record attributes or the line's own keys, like logging's KeyError."""
        with pytest.raises(LoggingValueError) as caught:
            StructuredLogger(capture.name).warning("m", extra={key: 1, "ok": 2})
        assert str(caught.value) == (
            f"StructuredLogger.warning: extra key {key!r} is reserved ({kind}), got extra with "
            f"keys {sorted([key, 'ok'])!r}; pass it as a keyword field ({key}=...), "
            "which lands in context"
        )
        assert isinstance(caught.value, ValueError)
        assert capture.lines() == []

    @pytest.mark.parametrize(
        ("extra", "fields", "match"),
        [
            ([("a", 1)], {}, "StructuredLogger.info: extra must be a mapping or None, got list"),
            ({1: "x"}, {}, "StructuredLogger.info: extra keys must be str, got int"),
            (
                {"a": 1},
                {"a": 2},
                "StructuredLogger.info: field 'a' given twice, in extra and as a keyword field",
            ),
        ],
    )
    def test_bad_extra_is_a_type_error(self, capture, extra, fields, match) -> None:
        """A non-mapping, non-str keys or a field given twice raise LoggingTypeError."""
        with pytest.raises(LoggingTypeError) as caught:
            StructuredLogger(capture.name).info("m", extra=extra, **fields)
        assert str(caught.value) == match
        assert capture.lines() == []

    def test_hostile_mapping_is_a_type_error(self, capture) -> None:
        """A mapping whose reading raises gives a LoggingTypeError naming its error."""
        from collections.abc import Mapping

        class Hostile(Mapping[str, object]):
            def __getitem__(self, key: str) -> object:
                raise RuntimeError("boom")

            def __iter__(self):  # type: ignore[no-untyped-def]
                return iter(["a"])

            def __len__(self) -> int:
                return 1

        with pytest.raises(LoggingTypeError, match="raising RuntimeError: boom"):
            StructuredLogger(capture.name).info("m", extra=Hostile())

    def test_extra_below_the_level_is_not_read(self, make_capture) -> None:
        """Below the logger's level, extra= is not even checked (no cost, no error)."""
        capture = make_capture(level=logging.WARNING)
        StructuredLogger(capture.name).info("quiet", extra={"message": "reserved"})
        assert capture.lines() == []


class TestHostileFlags:
    def test_flag_whose_truth_raises_is_a_type_error(self, capture) -> None:
        """exc_info/stack_info whose truth value raises give LoggingTypeError, not its error."""

        class Ambiguous:
            def __bool__(self) -> bool:
                raise ValueError("truth value is ambiguous")

        log = StructuredLogger(capture.name)
        for flag in ("exc_info", "stack_info"):
            with pytest.raises(LoggingTypeError) as caught:
                log.error("m", **{flag: Ambiguous()})
            assert str(caught.value) == (
                f"StructuredLogger.error: {flag} must be a bool, got Ambiguous whose truth value "
                "raises ValueError: truth value is ambiguous"
            )
        assert capture.lines() == []

    def test_other_flag_types_follow_logging(self, capture) -> None:
        """A truthy non-bool stack_info/exc_info works as in logging (1 means True)."""
        StructuredLogger(capture.name).info("m", stack_info=1, exc_info=0)
        record = capture.one()
        assert "stack" in record
        assert "exception" not in record

    def test_short_exc_info_tuple_keeps_the_record(self, strict_json) -> None:
        """A hand-made exc_info tuple of the wrong length keeps the fields and says why."""
        from ml_infra.logging import JsonFormatter

        record = logging.getLogger("tests.short").makeRecord(
            "tests.short", logging.INFO, "f.py", 1, "step", (), (1,), extra={"step": 7}
        )
        line = strict_json(JsonFormatter().format(record))
        assert line["context"] == {"step": 7}
        assert line["exception"] == {
            "type": None,
            "message": None,
            "traceback": "<exc_info could not be read: expected (type, value, traceback), "
            "got a tuple of 1 items>",
        }
