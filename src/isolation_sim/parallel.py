"""Running a compiled loop in parts on the cores, and many runs on processes or a cluster.

The heavy loops of the weekly step (``kernels.py``) release the GIL, so the parts of one
loop run at the same time on threads of one process. The parts depend only on the size
of the work, never on the number of threads: a model gives bit-identical results on one
thread or on many. ``ISOLATION_SIM_THREADS=1`` runs the parts one after the other (a
sweep that already runs one model per core sets it for its workers).

>>> parts(10)
[(0, 10)]
>>> parts(1_000_000)
[(0, 500000), (500000, 1000000)]
>>> run(lambda lo, hi: hi - lo, parts(1_000_001))
[500000, 500001]
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from contextlib import ExitStack, contextmanager
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


def _one_thread_each() -> None:
    os.environ["ISOLATION_SIM_THREADS"] = "1"


class InProcess(Executor):
    """An executor that runs each job at once, in this process: one worker, nothing to
    pickle or start."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:  # noqa: BLE001 - handed to whoever reads the result
            future.set_exception(exc)
        return future


def local_processes(workers: int = 2) -> Executor:
    """``workers`` processes on this machine, one model thread each (a worker per core
    beats two threads per model when there are many runs); one worker runs in-process."""
    if workers == 1:
        return InProcess()
    context = multiprocessing.get_context("forkserver")  # no fork of a process with threads
    return ProcessPoolExecutor(workers, mp_context=context, initializer=_one_thread_each)


@contextmanager
def dask_cluster(address: str, workers: int = 2) -> Iterator[tuple[Executor, int]]:
    """An executor on a Dask distributed cluster, and how many jobs it runs at once: the
    scheduler at ``address``, or with ``"local"`` a ``LocalCluster`` of ``workers``
    processes on the loopback address.

    The workers of a cluster of your own need ``isolation-sim`` installed (the same
    version) and, for one model per core, ``ISOLATION_SIM_THREADS=1``.
    """
    from distributed import Client, LocalCluster

    with ExitStack() as stack:
        if address == "local":
            cluster = stack.enter_context(LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                dashboard_address=None, env={"ISOLATION_SIM_THREADS": "1"}))
            client = stack.enter_context(Client(cluster))
        else:
            client = stack.enter_context(Client(address, timeout="20s"))
        yield client.get_executor(pure=False), max(sum(client.nthreads().values()), 1)


def as_finished(function, jobs: Iterable[tuple], executor: Executor, window: int) -> Iterator[tuple[int, object]]:
    """Run ``function(*job)`` for every job on ``executor``, at most ``window`` at a time,
    and yield ``(index, result)`` as each finishes.

    Jobs are submitted as others finish, so a million jobs hold ``window`` futures, not a
    million. When the caller stops early, or a job fails, the jobs not yet started are
    cancelled (after the jobs that finished with it have been yielded).

    >>> sorted(as_finished(pow, [(2, 3), (3, 2)], InProcess(), window=1))
    [(0, 8), (1, 9)]
    """
    pending = iter(enumerate(jobs))
    running: dict[Future, int] = {}

    def fill() -> None:
        for i, job in itertools.islice(pending, max(window - len(running), 0)):
            running[executor.submit(function, *job)] = i

    fill()
    try:
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            failed = None
            for future in sorted(done, key=running.__getitem__):  # what succeeded first, in job order
                i = running.pop(future)
                if future.exception() is not None:
                    failed = failed or future
                    continue
                yield i, future.result()
            if failed is not None:
                failed.result()  # raises the job's error
            fill()
    finally:
        for future in running:
            future.cancel()


def map_processes(function, jobs: list[tuple], workers: int = 2, progress=None) -> list:
    """``[function(*job) for job in jobs]`` on :func:`local_processes`.

    Results come back in the order of ``jobs``; ``progress(done)`` is called as each
    finishes. ``function`` must be importable by name (a module-level function).
    """
    results: list = [None] * len(jobs)
    with local_processes(workers) as pool:
        for done, (i, result) in enumerate(as_finished(function, jobs, pool, window=2 * workers), 1):
            results[i] = result
            if progress is not None:
                progress(done)
    return results
