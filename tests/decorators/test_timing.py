"""timer and timer_with_units: reports, units, loggers, recursion, threads, async."""

from __future__ import annotations

import asyncio
import functools
import inspect
import logging
import threading

import pytest
from ml_infra.decorators import timer, timer_with_units, timing_stats


class TestReport:
    def test_bare_timer_prints_seed_message(self, capsys, fake_counter):
        """@timer prints "<name> took <t> seconds" with four decimals to stdout."""
        fake_counter(10.0, 10.25)

        @timer
        def train_model() -> str:
            return "model"

        assert train_model() == "model"
        assert capsys.readouterr().out == "train_model took 0.2500 seconds\n"

    def test_timer_with_parentheses(self, capsys, fake_counter):
        """@timer() is the same as @timer."""
        fake_counter(0.0, 1.5)

        @timer()
        def step() -> None:
            return None

        step()
        assert capsys.readouterr().out == "step took 1.5000 seconds\n"

    @pytest.mark.parametrize(
        ("unit", "expected"),
        [
            ("s", "0.0123 seconds"),
            ("seconds", "0.0123 seconds"),
            ("ms", "12.3456 milliseconds"),
            ("us", "12345.6000 microseconds"),
            ("\u00b5s", "12345.6000 microseconds"),
            ("\u03bcs", "12345.6000 microseconds"),
            ("microseconds", "12345.6000 microseconds"),
            ("ns", "12345600.0000 nanoseconds"),
        ],
    )
    def test_units(self, unit, expected, capsys, fake_counter):
        """Each unit scales the duration and spells the unit out."""
        fake_counter(1.0, 1.0123456)

        @timer_with_units(unit)
        def load() -> None:
            return None

        load()
        assert capsys.readouterr().out == f"load took {expected}\n"

    def test_default_unit_is_seconds(self, capsys, fake_counter):
        """timer_with_units() without a unit reports seconds."""
        fake_counter(0.0, 2.0)
        timer_with_units()(lambda: None)()
        assert capsys.readouterr().out.endswith("took 2.0000 seconds\n")

    def test_callable_logger(self, capsys, fake_counter):
        """A callable logger receives the message; nothing is printed."""
        fake_counter(0.0, 0.5)
        lines: list[str] = []
        timer(logger=lines.append)(lambda: None)()
        assert lines == ["<lambda> took 0.5000 seconds"]
        assert capsys.readouterr().out == ""

    def test_partial_without_name_uses_type(self, fake_counter):
        """An object without __qualname__ is named after its type."""
        fake_counter(0.0, 1.0)
        lines: list[str] = []
        timer(logger=lines.append)(functools.partial(pow, 2))(3)
        assert lines == ["partial took 1.0000 seconds"]

    def test_logging_logger_at_info(self, caplog, capsys, fake_counter):
        """A logging.Logger receives the report at INFO."""
        fake_counter(0.0, 0.002)
        caplog.set_level(logging.INFO, logger="jobs")

        @timer_with_units("ms", logger=logging.getLogger("jobs"))
        def nightly() -> None:
            return None

        nightly()
        (record,) = caplog.records
        assert record.name == "jobs"
        assert record.levelno == logging.INFO
        assert record.getMessage() == "nightly took 2.0000 milliseconds"
        assert capsys.readouterr().out == ""

    def test_logger_adapter(self, caplog, fake_counter):
        """A logging.LoggerAdapter is accepted like a Logger."""
        fake_counter(0.0, 1.0)
        caplog.set_level(logging.INFO, logger="adapted")
        adapter = logging.LoggerAdapter(logging.getLogger("adapted"), {"job": "x"})
        timer(logger=adapter, name="adapted.job")(lambda: None)()
        assert caplog.records[0].getMessage() == "adapted.job took 1.0000 seconds"

    def test_silenced(self, capsys, fake_counter):
        """logger=None prints nothing but still measures."""
        fake_counter(5.0, 5.75)

        @timer(logger=None)
        def quiet() -> int:
            return 1

        assert quiet() == 1
        assert capsys.readouterr().out == ""
        assert quiet.last_elapsed == 0.75  # type: ignore[attr-defined]

    def test_custom_name(self, capsys, fake_counter):
        """name= replaces the function name in the report and statistics."""
        fake_counter(0.0, 1.0)
        timer(name="etl.load")(lambda: None)()
        assert capsys.readouterr().out == "etl.load took 1.0000 seconds\n"
        assert timing_stats("etl.load").count == 1

    def test_method_reports_qualname(self, capsys, fake_counter):
        """Methods are reported as Class.method."""
        fake_counter(0.0, 1.0)

        class Model:
            @timer
            def fit(self) -> Model:
                return self

        model = Model()
        assert model.fit() is model
        assert capsys.readouterr().out == "Model.fit took 1.0000 seconds\n"

    def test_above_staticmethod_and_classmethod(self, capsys, fake_counter):
        """Stacked above @staticmethod/@classmethod, the descriptor kind is kept."""
        fake_counter(0.0, 1.0, 2.0, 4.0)

        class Model:
            @timer
            @staticmethod
            def load(path: str) -> str:
                return path

            @timer_with_units("ms")
            @classmethod
            def create(cls) -> type:
                return cls

        assert Model().load("p") == "p"
        assert Model.create() is Model
        assert capsys.readouterr().out == (
            "Model.load took 1.0000 seconds\nModel.create took 2000.0000 milliseconds\n"
        )

    def test_async_staticmethod_timed_over_awaited_work(self, fake_counter):
        """An async staticmethod is awaited inside the timer, not merely created."""
        fake_counter(0.0, 3.0)
        lines: list[str] = []

        class Model:
            @timer(logger=lines.append)
            @staticmethod
            async def predict() -> int:
                return 1

        assert inspect.iscoroutinefunction(Model.predict)
        assert asyncio.run(Model().predict()) == 1
        assert lines == ["Model.predict took 3.0000 seconds"]

    def test_exception_propagates_unreported(self, capsys):
        """A call that raises is neither reported nor counted; the error propagates."""

        @timer
        def fail() -> None:
            raise RuntimeError("nope")

        with pytest.raises(RuntimeError, match="nope"):
            fail()
        assert capsys.readouterr().out == ""
        assert timing_stats(fail).count == 0
        assert fail.last_elapsed is None  # type: ignore[attr-defined]

    def test_real_clock_measures_nonnegative(self, capsys):
        """With the real perf_counter the duration is a non-negative float."""

        @timer(logger=None)
        def busy() -> int:
            return sum(range(1000))

        busy()
        assert busy.last_elapsed >= 0.0  # type: ignore[attr-defined]


class TestMetadata:
    def test_wraps(self):
        """functools.wraps metadata and the signature are kept."""

        def area(width: float, height: float = 1.0) -> float:
            """Compute an area."""
            return width * height

        timed = timer(logger=None)(area)
        assert timed.__name__ == "area"
        assert timed.__doc__ == "Compute an area."
        assert timed.__wrapped__ is area
        assert inspect.signature(timed) == inspect.signature(area)
        assert timed(2.0, height=3.0) == 6.0

    def test_partial_is_timed(self, fake_counter):
        """functools.partial objects (no __qualname__) can be timed with a name."""
        fake_counter(0.0, 1.0)
        lines: list[str] = []
        timed = timer(logger=lines.append, name="pow2")(functools.partial(pow, 2))
        assert timed(10) == 1024
        assert lines == ["pow2 took 1.0000 seconds"]


class TestReentrancy:
    def test_recursion_times_each_level(self, fake_counter):
        """Recursive calls each keep their own start time."""
        fake_counter(0.0, 1.0, 2.0, 3.0, 4.0, 5.0)  # starts 0,1,2 then stops 3,4,5
        lines: list[str] = []

        @timer(logger=lines.append, name="depth")
        def depth(n: int) -> int:
            return 0 if n == 0 else 1 + depth(n - 1)

        assert depth(2) == 2
        assert lines == [
            "depth took 1.0000 seconds",  # innermost: 2 -> 3
            "depth took 3.0000 seconds",  # middle: 1 -> 4
            "depth took 5.0000 seconds",  # outer: 0 -> 5
        ]
        stats = timing_stats("depth")
        assert (stats.count, stats.total, stats.min, stats.max) == (3, 9.0, 1.0, 5.0)

    def test_threads_do_not_disturb_each_other(self):
        """Concurrent calls from threads are all counted, each with its own timing."""
        barrier = threading.Barrier(8)
        lines: list[str] = []

        @timer(logger=lines.append, name="threaded")
        def work(n: int) -> int:
            return n * 2

        def run() -> None:
            barrier.wait()
            for i in range(500):
                assert work(i) == i * 2

        threads = [threading.Thread(target=run) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        stats = timing_stats("threaded")
        assert stats.count == 4000
        assert len(lines) == 4000
        assert 0.0 <= stats.min <= stats.mean <= stats.max

    def test_async_timed_over_awaited_work(self, fake_counter):
        """async def functions are timed from call to completion, awaits included."""
        lines: list[str] = []
        counter = fake_counter(0.0)

        @timer(logger=lines.append)
        async def fetch() -> str:
            await asyncio.sleep(0)
            counter._instants.append(2.5)  # the clock reads 2.5 when the work ends
            return "body"

        assert inspect.iscoroutinefunction(fetch)
        assert asyncio.run(fetch()) == "body"
        assert lines == ["fetch took 2.5000 seconds"]

    def test_concurrent_tasks_are_timed_separately(self):
        """Interleaved tasks of one async function each get their own duration."""
        lines: list[str] = []

        @timer(logger=lines.append, name="task")
        async def task(delay_turns: int) -> int:
            for _ in range(delay_turns):
                await asyncio.sleep(0)
            return delay_turns

        async def main() -> list[int]:
            return list(await asyncio.gather(*(task(n) for n in range(5))))

        assert asyncio.run(main()) == [0, 1, 2, 3, 4]
        assert timing_stats("task").count == 5
        assert len(lines) == 5

    def test_async_exception_propagates(self):
        """An async call that raises propagates its exception and is not counted."""

        @timer(logger=None, name="async-fail")
        async def fail() -> None:
            raise KeyError("k")

        with pytest.raises(KeyError):
            asyncio.run(fail())
        assert timing_stats("async-fail").count == 0
