"""Running a compiled loop in parts on the cores of one process.

The heavy loops of the weekly step (``kernels.py``) release the GIL, so the parts of one
loop run at the same time on threads of one process. The parts depend only on the size
of the work, never on the number of threads: a model gives bit-identical results on one
thread or on many. ``ISOLATION_SIM_THREADS=1`` runs the parts one after the other (the
workers of :mod:`isolation_sim.executors`, one model per core, set it).

>>> parts(10)
[(0, 10)]
>>> parts(1_000_000)
[(0, 500000), (500000, 1000000)]
>>> run(lambda lo, hi: hi - lo, parts(1_000_001))
[500000, 500001]
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from functools import cache

import numpy as np

PARTS = 2  # the two cores of the machine the targets are set for
# Below this many rows a loop runs as one part: a second core would first have to fetch
# the data into its own cache, which costs more than it saves (measured at 15,000 residents).
SMALLEST_SPLIT = 500_000


def parts(size: int, cuts: np.ndarray | None = None) -> list[tuple[int, int]]:
    """Split ``range(size)`` into ``PARTS`` ranges ``(lo, hi)`` (one below ``SMALLEST_SPLIT``).

    With ``cuts`` (sorted positions where a part may start), each boundary moves to the
    nearest allowed cut, so a group of rows that belongs together stays in one part.
    """
    if size < SMALLEST_SPLIT:
        return [(0, size)]
    bounds = np.linspace(0, size, PARTS + 1).astype(np.int64)
    if cuts is not None and len(cuts):
        at = np.clip(np.searchsorted(cuts, bounds[1:-1]), 0, len(cuts) - 1)
        bounds[1:-1] = np.asarray(cuts)[at]
    bounds = np.maximum.accumulate(np.clip(bounds, 0, size))
    return [(int(lo), int(hi)) for lo, hi in zip(bounds[:-1], bounds[1:])]


def threads() -> int:
    """How many threads share the parts: ``ISOLATION_SIM_THREADS``, else the cores there are."""
    wanted = os.environ.get("ISOLATION_SIM_THREADS", "")
    count = int(wanted) if wanted.isdigit() and int(wanted) > 0 else _cores()
    return min(count, PARTS)


@cache
def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


@cache
def _pool(workers: int) -> ThreadPoolExecutor:
    return ThreadPoolExecutor(workers, thread_name_prefix="isolation-sim")


os.register_at_fork(after_in_child=_pool.cache_clear)  # a forked worker starts its own threads


def run(loop, ranges: list[tuple[int, int]], *args, per_part: list[tuple] | None = None) -> list:
    """``[loop(*args, *per_part[i], lo, hi) for i, (lo, hi) in enumerate(ranges)]``, the
    parts at the same time. ``per_part`` gives each part arguments of its own (a table
    to add into, say)."""
    calls = [(*args, *(per_part[i] if per_part else ()), lo, hi) for i, (lo, hi) in enumerate(ranges)]
    workers = threads()
    if workers == 1 or len(calls) == 1:
        return [loop(*call) for call in calls]
    futures = [_pool(workers).submit(loop, *call) for call in calls]
    return [f.result() for f in futures]
