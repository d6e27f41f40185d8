"""configure: one-call setup with environment-variable defaults."""

from __future__ import annotations

import io
import itertools
import json
import logging
from collections.abc import Iterator

import pytest
from ml_infra.logging import (
    ENV_ENVIRONMENT,
    ENV_LEVEL,
    ENV_SERVICE,
    ENV_STREAM,
    ENV_VERSION,
    ConfigurationError,
    JsonFormatter,
    LoggingTypeError,
    configure,
)

_names = itertools.count()


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (ENV_LEVEL, ENV_STREAM, ENV_SERVICE, ENV_ENVIRONMENT, ENV_VERSION):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def target() -> Iterator[logging.Logger]:
    """A fresh logger name; every handler is removed afterwards."""
    logger = logging.getLogger(f"tests.configure.{next(_names)}")
    logger.propagate = False
    yield logger
    for handler in list(logger.handlers):
        logger.removeHandler(handler)


def ours(logger: logging.Logger) -> list[logging.Handler]:
    """The logger's handlers, without those pytest's log capture adds during a test."""
    return [h for h in logger.handlers if not type(h).__module__.startswith("_pytest")]


def lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


class TestConfigure:
    def test_installs_a_json_handler_and_sets_the_level(self, target) -> None:
        """configure() adds one JSON StreamHandler and sets the level (INFO default)."""
        out = io.StringIO()
        handler = configure(stream=out, logger=target.name)
        assert ours(target) == [handler]
        assert isinstance(handler.formatter, JsonFormatter)
        assert target.level == logging.INFO
        target.debug("hidden")
        target.info("shown")
        assert [line["message"] for line in lines(out)] == ["shown"]

    @pytest.mark.parametrize(
        ("given", "expected"), [("debug", 10), ("Warning", 30), (" error ", 40), ("15", 15), (5, 5)]
    )
    def test_level_by_name_or_number(self, target, given, expected) -> None:
        """Levels are names in any case, digit strings or ints."""
        configure(given, io.StringIO(), logger=target.name)
        assert target.level == expected

    def test_calling_again_replaces_its_own_handler_only(self, target) -> None:
        """A second call replaces the first handler; foreign handlers stay."""
        foreign = logging.NullHandler()
        target.addHandler(foreign)
        first, second = io.StringIO(), io.StringIO()
        configure(stream=first, logger=target.name)
        handler = configure(stream=second, logger=target.name)
        assert ours(target) == [foreign, handler]
        target.warning("once")
        assert first.getvalue() == ""
        assert len(lines(second)) == 1

    def test_force_removes_every_handler(self, target) -> None:
        """force=True removes foreign handlers as well."""
        target.addHandler(logging.NullHandler())
        handler = configure(stream=io.StringIO(), logger=target.name, force=True)
        assert ours(target) == [handler]

    def test_static_fields_from_arguments(self, target) -> None:
        """service/environment/version arguments become static fields."""
        out = io.StringIO()
        configure(stream=out, logger=target.name, service="s", environment="e", version="1")
        target.info("m")
        line = lines(out)[0]
        assert (line["service"], line["environment"], line["version"]) == ("s", "e", "1")

    def test_custom_formatter_is_used(self, target) -> None:
        """A given formatter replaces the default JsonFormatter."""
        formatter = logging.Formatter("%(message)s!")
        out = io.StringIO()
        configure(stream=out, logger=target.name, formatter=formatter)
        target.info("plain")
        assert out.getvalue() == "plain!\n"

    def test_root_logger_is_the_default_target(self) -> None:
        """Without logger=, the root logger is configured (and restored here)."""
        root = logging.getLogger()
        level, handlers = root.level, list(root.handlers)
        try:
            handler = configure(stream=io.StringIO())
            assert handler in root.handlers
        finally:
            root.removeHandler(handler)
            root.setLevel(level)
        assert root.handlers == handlers


class TestEnvironment:
    def test_level_from_environment(self, target, monkeypatch) -> None:
        """ML_INFRA_LOG_LEVEL sets the level when level= is not given."""
        monkeypatch.setenv(ENV_LEVEL, "debug")
        configure(stream=io.StringIO(), logger=target.name)
        assert target.level == logging.DEBUG

    def test_argument_beats_environment(self, target, monkeypatch) -> None:
        """An explicit level wins over the environment."""
        monkeypatch.setenv(ENV_LEVEL, "debug")
        configure("error", io.StringIO(), logger=target.name)
        assert target.level == logging.ERROR

    def test_empty_environment_variable_means_default(self, target, monkeypatch) -> None:
        """An empty ML_INFRA_LOG_LEVEL is treated as unset."""
        monkeypatch.setenv(ENV_LEVEL, "  ")
        configure(stream=io.StringIO(), logger=target.name)
        assert target.level == logging.INFO

    @pytest.mark.parametrize("value", ["verbose", "\u00b2", "1\u00b2"])
    def test_bad_level_in_environment_names_the_variable(self, target, monkeypatch, value) -> None:
        """An unknown level (superscript digits too) is a ConfigurationError naming the variable."""
        monkeypatch.setenv(ENV_LEVEL, value)
        with pytest.raises(
            ConfigurationError, match=f"environment variable ML_INFRA_LOG_LEVEL: '{value}'"
        ):
            configure(stream=io.StringIO(), logger=target.name)
        assert ours(target) == []

    @pytest.mark.parametrize("choice", ["stdout", "STDOUT"])
    def test_stream_stdout_from_environment(self, target, monkeypatch, capsys, choice) -> None:
        """ML_INFRA_LOG_STREAM=stdout sends lines to standard output."""
        monkeypatch.setenv(ENV_STREAM, choice)
        configure(logger=target.name)
        target.warning("to stdout")
        captured = capsys.readouterr()
        assert json.loads(captured.out)["message"] == "to stdout"
        assert captured.err == ""

    @pytest.mark.parametrize(
        ("choice", "where"), [("stdout", "out"), ("STDOUT", "out"), ("stderr", "err")]
    )
    def test_stream_by_name(self, target, monkeypatch, capsys, choice, where) -> None:
        """stream="stdout"/"stderr" is accepted like the variable, and wins over it."""
        monkeypatch.setenv(ENV_STREAM, "stderr" if where == "out" else "stdout")
        configure(stream=choice, logger=target.name)
        target.warning("named")
        captured = capsys.readouterr()
        assert json.loads(getattr(captured, where))["message"] == "named"
        assert getattr(captured, "err" if where == "out" else "out") == ""

    def test_stream_defaults_to_stderr(self, target, capsys) -> None:
        """Without a stream, lines go to standard error, like basicConfig."""
        configure(logger=target.name)
        target.warning("to stderr")
        assert json.loads(capsys.readouterr().err)["message"] == "to stderr"

    def test_bad_stream_in_environment(self, target, monkeypatch) -> None:
        """ML_INFRA_LOG_STREAM accepts only stderr or stdout."""
        monkeypatch.setenv(ENV_STREAM, "file")
        with pytest.raises(
            ConfigurationError,
            match="ML_INFRA_LOG_STREAM must be 'stderr' or 'stdout', got 'file'",
        ):
            configure(logger=target.name)

    def test_static_fields_from_environment(self, target, monkeypatch) -> None:
        """Service, environment and version default from the environment."""
        monkeypatch.setenv(ENV_SERVICE, "svc")
        monkeypatch.setenv(ENV_ENVIRONMENT, "staging")
        monkeypatch.setenv(ENV_VERSION, "2.0")
        out = io.StringIO()
        configure(stream=out, logger=target.name, environment="prod")
        target.info("m")
        line = lines(out)[0]
        assert (line["service"], line["environment"], line["version"]) == ("svc", "prod", "2.0")


class TestConfigureErrors:
    @pytest.mark.parametrize(
        ("kwargs", "error", "match"),
        [
            (
                {"level": "LOUD"},
                ConfigurationError,
                "configure: level: 'LOUD' is not a logging level",
            ),
            ({"level": -1}, ConfigurationError, "level must be >= 0"),
            ({"level": "\u00b2"}, ConfigurationError, "level: '\u00b2' is not a logging level"),
            ({"level": "\u0661\u0660"}, ConfigurationError, "is not a logging level"),
            ({"level": 1.5}, LoggingTypeError, "level must be an int or a level name, got float"),
            ({"level": True}, LoggingTypeError, "got bool"),
            (
                {"stream": 3},
                LoggingTypeError,
                "stream must have a write\\(\\) method or be 'stderr' or 'stdout', got int",
            ),
            (
                {"stream": "stdin"},
                ConfigurationError,
                "configure: stream must be 'stderr' or 'stdout', got 'stdin'",
            ),
            ({"logger": 3}, LoggingTypeError, "logger must be a str or None"),
            ({"formatter": "json"}, LoggingTypeError, "formatter must be a logging.Formatter"),
            (
                {"formatter": JsonFormatter(), "service": "s"},
                ConfigurationError,
                "pass service/environment/version/redact_values/redact_patterns to the formatter",
            ),
        ],
    )
    def test_bad_arguments(self, target, kwargs, error, match) -> None:
        """Bad arguments raise before anything is installed."""
        with pytest.raises(error, match=match):
            configure(**{"logger": target.name, **kwargs})
        assert ours(target) == []
