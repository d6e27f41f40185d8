"""Split large element-wise work across the CPUs this process may use.

NumPy releases the GIL inside its loops, so threads over disjoint slices of
one array run truly in parallel. Large arrays are worth it: on a 2-core
machine a 1e7-element normalize spends more time having the kernel hand out
(and zero) the result's fresh memory pages than computing, and that too
happens in parallel. Small arrays stay on the calling thread, where starting
threads would cost more than it saves.

Threads are started per call and joined before returning (no pool survives
the call), so there is nothing to go stale across ``fork`` and nothing keeps
running in the background. ``ML_INFRA_NUM_THREADS=1`` turns it off, e.g. in
worker processes that already use every core.

Element-wise results do not depend on the split. Reductions here are min and
max only, which are exact in any order, so results are identical with any
number of threads.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import TypeVar, cast

__all__ = ["ENV_VAR", "MIN_PARALLEL_SIZE", "run_split", "thread_count"]

ENV_VAR = "ML_INFRA_NUM_THREADS"
# Below ~2M elements (16 MB of float64) a second thread does not pay for itself.
MIN_PARALLEL_SIZE = 1 << 21
_MAX_THREADS = 8

T = TypeVar("T")


def _available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS and Windows
        return os.cpu_count() or 1


def thread_count(size: int) -> int:
    """Return how many threads to use for ``size`` elements (1 = no threads).

    Args:
        size: The number of elements to process.

    Returns:
        1 below :data:`MIN_PARALLEL_SIZE`, else the usable CPUs (at most 8, at
        most one per ``MIN_PARALLEL_SIZE // 2`` elements), capped by the
        ``ML_INFRA_NUM_THREADS`` environment variable when it holds a positive int.

    Example:
        >>> thread_count(10)
        1
    """
    if size < MIN_PARALLEL_SIZE:
        return 1
    limit = _available_cpus()
    setting = os.environ.get(ENV_VAR, "").strip()
    if setting.isdigit() and int(setting) > 0:
        limit = min(limit, int(setting))
    return max(1, min(limit, _MAX_THREADS, size // (MIN_PARALLEL_SIZE // 2)))


def run_split(size: int, work: Callable[[slice], T]) -> list[T]:
    """Call ``work`` on consecutive slices covering ``range(size)``, in parallel.

    Args:
        size: The number of elements.
        work: Processes one slice; must only touch that slice of any output.

    Returns:
        The results of ``work``, in slice order.

    Raises:
        BaseException: Whatever ``work`` raised (the first slice's error wins),
            after every thread has finished.

    Example:
        >>> run_split(10, lambda s: (s.start, s.stop))
        [(0, 10)]
    """
    parts = thread_count(size)
    if parts == 1:
        return [work(slice(0, size))]
    bounds = [size * i // parts for i in range(parts + 1)]
    slices = [slice(bounds[i], bounds[i + 1]) for i in range(parts)]
    results: list[T | None] = [None] * parts
    errors: list[BaseException | None] = [None] * parts

    def target(i: int) -> None:
        try:
            results[i] = work(slices[i])
        except BaseException as exc:  # re-raised on the calling thread below
            errors[i] = exc

    threads = [threading.Thread(target=target, args=(i,), daemon=True) for i in range(1, parts)]
    for thread in threads:
        thread.start()
    target(0)
    for thread in threads:
        thread.join()
    for error in errors:
        if error is not None:
            raise error
    return [cast(T, result) for result in results]
