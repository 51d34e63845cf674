"""Where many runs run: in this process, on local processes, or on a Dask cluster.

:func:`executor` gives one of the three behind the same :class:`concurrent.futures.Executor`
face, and :func:`as_finished` feeds it a stream of jobs, a few at a time. A run's numbers
depend on the run alone (its scenario, changes and seed), never on where it ran, so every
executor gives bit-identical results.

>>> with executor(workers=1) as (pool, slots):
...     sorted(as_finished(pow, [(2, 3), (3, 2)], pool, window=slots))
[(0, 8), (1, 9)]
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import select
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from contextlib import ExitStack, contextmanager

from .files import alive
from .scenario import ScenarioError

# How long a Dask scheduler may be without workers before a batch gives up.
WAIT_FOR_WORKERS = float(os.environ.get("ISOLATION_SIM_DASK_WAIT", "30"))
POLL = 5.0  # seconds between looks at whether a cluster still has workers, while nothing finishes
# A worker that dies takes its jobs with it; these are the errors that say so.
WORKER_DIED = ("BrokenProcessPool", "KilledWorker", "CommClosedError")


class WorkerDied(Exception):
    """A worker process died (perhaps out of memory): the batch cannot go on."""


def _worker_start(owner: int) -> None:
    """A local worker's start: one model thread, and an end as soon as the process that
    started the pool (``owner``) ends, however it ends (a ``kill -9`` of it leaves no
    worker, forkserver or resource tracker running)."""
    os.environ["ISOLATION_SIM_THREADS"] = "1"
    threading.Thread(target=_end_with, args=(owner,), name="isolation-sim-owner", daemon=True).start()


def _end_with(pid: int) -> None:
    """Wait until process ``pid`` has ended, then end this process at once."""
    try:
        handle = os.pidfd_open(pid)  # Linux: readable when the process has ended
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):  # no pidfd here: look once a second
        while alive(pid):
            time.sleep(1.0)
        os._exit(1)
    select.select([handle], [], [])
    os._exit(1)


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
    return ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_start, initargs=(os.getpid(),))


@contextmanager
def dask_cluster(address: str, workers: int = 2) -> Iterator[tuple[Executor, int]]:
    """An executor on a Dask distributed cluster, and how many jobs it runs at once: the
    scheduler at ``address``, or with ``"local"`` a ``LocalCluster`` of ``workers``
    processes on the loopback address.

    The workers of a cluster of your own need ``isolation-sim`` installed (the same
    version) and, for one model per core, ``ISOLATION_SIM_THREADS=1``. A scheduler that
    has no worker for :data:`WAIT_FOR_WORKERS` seconds ends the batch with a message.
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
        try:
            client.wait_for_workers(1, timeout=WAIT_FOR_WORKERS)
        except TimeoutError:
            raise ScenarioError(f"--dask {address}: the scheduler has had no worker for {WAIT_FOR_WORKERS:g} s; "
                                "start workers with `dask worker ADDRESS` (isolation-sim installed there too)") from None
        pool = client.get_executor(pure=False)
        pool.workers = lambda: len(client.nthreads())  # as_finished watches that the cluster can still run
        yield pool, max(sum(client.nthreads().values()), 1)


@contextmanager
def executor(workers: int = 2, dask: str | None = None) -> Iterator[tuple[Executor, int]]:
    """The executor for a batch and how many jobs it runs at once: ``workers`` local
    processes (one runs in this process), or with ``dask`` the Dask scheduler at that
    address (``"local"``: a ``LocalCluster`` of ``workers`` processes)."""
    with ExitStack() as stack:
        if dask is None:
            yield stack.enter_context(local_processes(workers)), workers
            return
        try:
            pool, slots = stack.enter_context(dask_cluster(dask, workers))
        except (OSError, TimeoutError, ValueError) as exc:
            raise ScenarioError(f"--dask {dask}: no Dask scheduler could be reached there ({exc})") from None
        yield pool, slots


def as_finished(function, jobs: Iterable[tuple], pool: Executor, window: int) -> Iterator[tuple[int, object]]:
    """Run ``function(*job)`` for every job on ``pool``, at most ``window`` at a time,
    and yield ``(index, result)`` as each finishes.

    Jobs are submitted as others finish, so a million jobs hold ``window`` futures, not a
    million. When the caller stops early, or a job fails, the jobs not yet started are
    cancelled (after the jobs that finished with it have been yielded). A worker that
    dies ends it with :class:`WorkerDied`.

    >>> sorted(as_finished(pow, [(2, 3), (3, 2)], InProcess(), window=1))
    [(0, 8), (1, 9)]
    """
    pending = iter(enumerate(jobs))
    running: dict[Future, int] = {}
    workers = getattr(pool, "workers", None)  # a cluster's: how many workers it has now
    alone_since = None

    def fill() -> None:
        for i, job in itertools.islice(pending, max(window - len(running), 0)):
            running[pool.submit(function, *job)] = i

    try:
        fill()
        while running:
            done, _ = wait(running, timeout=None if workers is None else POLL, return_when=FIRST_COMPLETED)
            if not done:  # only a cluster is waited on with a timeout: has it lost its workers?
                alone_since = None if workers() else (alone_since or time.monotonic())
                if alone_since is not None and time.monotonic() - alone_since > WAIT_FOR_WORKERS:
                    raise WorkerDied(f"the Dask cluster has had no worker for {WAIT_FOR_WORKERS:g} s; the runs "
                                     "it had are lost")
                continue
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
    except Exception as exc:
        if type(exc).__name__ in WORKER_DIED:
            raise WorkerDied(f"a worker process died ({type(exc).__name__}: {exc}): out of memory, perhaps, or a "
                             "job it could not read (a function or observer defined in a notebook or in "
                             "`python -c` cannot be sent to other processes; define it in a module)") from None
        raise
    finally:
        for future in running:
            future.cancel()
