"""Type checkers see the decorated function's own signature (ParamSpec)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from mypy import api

SNIPPET = textwrap.dedent(
    """
    import logging
    from typing import assert_type

    from collections.abc import Mapping

    from ml_infra.decorators import (
        RetryEvent, SupportsLog, TimingStats, retry, retry_on_condition, timer, timer_with_units,
        timing_stats,
    )

    class StructuredLogger:  # the shape of ml_infra.logging.StructuredLogger.log
        def __init__(self, name: str, **context: object) -> None: ...
        def log(
            self, level: int | str, msg: object, /, *args: object, stacklevel: int = 1,
            extra: Mapping[str, object] | None = None, **fields: object,
        ) -> None: ...

    def retry_after(exc: BaseException) -> float | None:
        return None

    structured: SupportsLog = StructuredLogger("t", run_id="r")
    adapter: SupportsLog = logging.LoggerAdapter(logging.getLogger("t"), {})

    @retry(wait_hint=retry_after, logger=logging.getLogger("t"))
    def hinted(n: int) -> int:
        return n

    @retry_on_condition(lambda r: r is None, wait_hint=lambda r: 2.0, logger=structured)
    def polled(n: int) -> int | None:
        return n

    @timer(logger=StructuredLogger("t"))
    def timed_json(n: int) -> int:
        return n

    @timer_with_units("ms", logger=adapter)
    def timed_adapted(n: int) -> int:
        return n

    @retry(logger=print)  # E: a callable is not a logger for retry
    def printed() -> None: ...

    @retry(wait_hint=lambda exc: "soon")  # E: a hint returns seconds or None
    def worded() -> None: ...

    assert_type(hinted(1), int)
    assert_type(polled(1), int | None)
    assert_type(timed_json(1), int)
    assert_type(timed_adapted(1), int)

    def hook(event: RetryEvent) -> None: ...

    @retry(max_attempts=3, delay=0.5, exceptions=(OSError,), on_retry=hook)
    def fetch(url: str, *, timeout: float = 1.0) -> bytes:
        return b""

    @retry
    def bare(n: int) -> int:
        return n

    @retry()
    async def afetch(url: str) -> str:
        return url

    @retry_on_condition(lambda r: r is None, timeout=5.0)
    def poll(job: int) -> str | None:
        return None

    @timer
    def train(epochs: int) -> float:
        return 0.0

    @timer(logger=None)
    def quiet() -> None: ...

    @timer_with_units("ms")
    def load(path: str) -> list[int]:
        return []

    class Model:
        @timer
        @retry(max_attempts=2)
        def fit(self, x: int) -> "Model":
            return self

    class Service:
        @retry(max_attempts=2)
        @staticmethod
        def ping(host: str) -> bool:
            return True

        @retry
        @classmethod
        def create(cls, name: str) -> "Service":
            return cls()

        @timer
        @classmethod
        async def warm(cls, n: int) -> int:
            return n

    assert_type(Service().ping("h"), bool)
    assert_type(Service.ping("h"), bool)
    assert_type(Service.create("n"), Service)
    async def use_warm() -> None:
        assert_type(await Service().warm(1), int)

    assert_type(fetch("u", timeout=2.0), bytes)
    assert_type(bare(1), int)
    async def use_afetch() -> None:
        assert_type(await afetch("u"), str)

    assert_type(poll(1), str | None)
    assert_type(train(3), float)
    assert_type(load("p"), list[int])
    assert_type(Model().fit(1), Model)
    assert_type(timing_stats("train"), TimingStats)
    fetch(3)  # E: wrong argument type
    bare("x")  # E: wrong argument type
    load()  # E: missing argument
    Model().fit()  # E: missing argument
    Service().ping(1)  # E: wrong argument type
    Service.create()  # E: missing argument
    """
)


def test_decorated_signatures_are_checked(tmp_path: Path) -> None:
    """mypy --strict keeps each decorated signature and flags exactly the bad calls."""
    source = tmp_path / "snippet.py"
    source.write_text(SNIPPET)
    stdout, stderr, status = api.run(
        [
            "--strict",
            "--no-error-summary",
            "--show-error-codes",
            "--cache-dir",
            str(tmp_path / "cache"),
            str(source),
        ]
    )
    errors = [line for line in stdout.splitlines() if ": error:" in line]
    expected_lines = sorted(i for i, line in enumerate(SNIPPET.splitlines(), 1) if "# E:" in line)
    flagged = sorted({int(line.split(":")[1]) for line in errors})
    assert flagged == expected_lines, stdout + stderr
    assert status == 1


def test_structured_logger_is_a_logger_for_type_checkers(tmp_path: Path) -> None:
    """mypy --strict accepts ml_infra.logging.StructuredLogger wherever SupportsLog is asked."""
    pytest.importorskip("ml_infra.logging")
    source = tmp_path / "structured.py"
    source.write_text(
        textwrap.dedent(
            """
            from ml_infra.decorators import SupportsLog, retry, timer
            from ml_infra.logging import StructuredLogger

            log: SupportsLog = StructuredLogger("t", run_id="r")

            @timer(logger=StructuredLogger("t"))
            @retry(logger=StructuredLogger("t"))
            def step(n: int) -> int:
                return n
            """
        )
    )
    stdout, stderr, status = api.run(
        ["--strict", "--cache-dir", str(tmp_path / "cache"), str(source)]
    )
    assert status == 0, stdout + stderr
