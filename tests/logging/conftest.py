"""Fixtures for the ml_infra.logging tests: a logger wired to a JSON capture."""

from __future__ import annotations

import io
import itertools
import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from ml_infra.logging import JsonFormatter

_names = itertools.count()


def _reject_constant(name: str) -> object:
    raise ValueError(f"non-standard JSON constant {name!r} (RFC 8259 forbids NaN/Infinity)")


def strict_loads(line: str) -> dict[str, object]:
    """Parse one line as strict RFC 8259 JSON (NaN/Infinity rejected) into a dict."""
    value = json.loads(line, parse_constant=_reject_constant)
    assert isinstance(value, dict), line
    return value


@dataclass
class Capture:
    """A logger whose records land, formatted, in an in-memory stream."""

    logger: logging.Logger
    handler: logging.StreamHandler[io.StringIO]
    stream: io.StringIO

    @property
    def name(self) -> str:
        return self.logger.name

    def lines(self) -> list[str]:
        text = self.stream.getvalue()
        assert text.endswith("\n") or not text
        return text.split("\n")[:-1]

    def records(self) -> list[dict[str, object]]:
        return [strict_loads(line) for line in self.lines()]

    def one(self) -> dict[str, object]:
        records = self.records()
        assert len(records) == 1, records
        return records[0]


@pytest.fixture
def make_capture() -> Iterator[Callable[..., Capture]]:
    """Build captures (optionally with a custom formatter); handlers are removed afterwards."""
    made: list[Capture] = []

    def make(formatter: logging.Formatter | None = None, level: int = logging.DEBUG) -> Capture:
        logger = logging.getLogger(f"tests.ml_infra_logging.{next(_names)}")
        logger.propagate = False
        logger.setLevel(level)
        stream = io.StringIO()
        handler = logging.StreamHandler(stream)
        handler.setFormatter(formatter if formatter is not None else JsonFormatter())
        logger.addHandler(handler)
        capture = Capture(logger, handler, stream)
        made.append(capture)
        return capture

    yield make
    for capture in made:
        capture.logger.removeHandler(capture.handler)


@pytest.fixture
def capture(make_capture: Callable[..., Capture]) -> Capture:
    """A capture with a default JsonFormatter."""
    return make_capture()


@pytest.fixture
def strict_json() -> Callable[[str], dict[str, object]]:
    """The strict line parser (rejects NaN/Infinity), for tests that format directly."""
    return strict_loads
