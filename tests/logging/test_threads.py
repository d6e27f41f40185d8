"""Thread safety: concurrent records through one handler stay whole."""

from __future__ import annotations

import threading

from ml_infra.logging import StructuredLogger

THREADS = 8
RECORDS = 5_000


def test_eight_threads_yield_forty_thousand_intact_lines(capture) -> None:
    """8 threads x 5,000 records through one handler give 40,000 valid, complete lines."""
    barrier = threading.Barrier(THREADS)

    def work(thread: int) -> None:
        log = StructuredLogger(capture.name, thread=thread)
        barrier.wait()
        for i in range(RECORDS):
            log.info("record %d", i, i=i, password="p", loss=float("nan") if i % 500 == 0 else 0.5)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    records = capture.records()
    assert len(records) == THREADS * RECORDS
    seen = set()
    for record in records:
        context = record["context"]
        assert record["message"] == f"record {context['i']}"  # type: ignore[index]
        assert context["password"] == "[REDACTED]"  # type: ignore[index]
        seen.add((context["thread"], context["i"]))  # type: ignore[index]
    assert len(seen) == THREADS * RECORDS
