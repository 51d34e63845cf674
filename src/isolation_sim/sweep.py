"""Parameter sweeps: many runs of one scenario over a design, streamed to a Parquet dataset.

A sweep spec (TOML) names a base scenario and the parameters to vary. A parameter given as
a list of values is run as a full factorial; one given as a range ``{ low, high }`` is
sampled by SALib (Latin hypercube, Sobol' (Saltelli) or Morris). Each point of the design
runs ``replicates`` times. Run ``i`` gets its own seed, derived from the sweep's seed and
``i`` alone, so a run gives the same numbers on any executor and any number of workers.
With ``common_seeds = true`` the seed derives from the replicate's index instead: every
point of replicate ``r`` meets the same chance events (common random numbers), so the
differences between points are the parameters' doing and not noise.

Every finished run is written as one Parquet file into ``runs/`` in the sweep's folder
(written under a hidden name beside it, flushed, then moved in), so memory stays flat, an
interrupted sweep loses at most the runs that were going, and running it again does only
the runs whose file is missing. ``runs/`` holds the run files and nothing else, so every
reader sees the same rows: ``pd.read_parquet``, ``pl.read_parquet`` or DuckDB, of the
folder or of ``runs/*.parquet``. Beside it, ``manifest.json`` records the spec, the
package version and every run's parameters, seed and status, and ``design.parquet`` the
design as drawn.

>>> import pandas as pd, tempfile
>>> from isolation_sim.sweep import load_sweep, run_sweep
>>> sweep = load_sweep("scenarios/sweeps/levers_morris.toml", samples=2, residents=300, weeks=3,
...                    burn_in_weeks=1)
>>> sweep.runs
28
>>> folder = tempfile.mkdtemp()
>>> run_sweep(sweep, folder, workers=1).ran
28
>>> frame = pd.read_parquet(f"{folder}/runs")
>>> len(frame), frame["run"].nunique(), frame["week"].isna().all()
(28, 28, np.True_)
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .executors import WorkerDied
from .run import Failed, simulate_each
from .scenario import ScenarioError
from .sweep_design import Sweep, design, load_sweep, problem, rounded, run_seed, sample
from .sweep_spec import SAMPLERS, SweepSpec
from .sweep_store import (DESIGN, MANIFEST, RUNS, done_runs, kept_rows, lock, prepare, read_manifest,
                          read_runs, refuse_foreign, unmake, write_design, write_manifest, write_run)

MANIFEST_EVERY = 10.0  # seconds between rewrites of the manifest while running

__all__ = ["DESIGN", "MANIFEST", "RUNS", "SAMPLERS", "Sweep", "SweepFailed", "SweepRun", "SweepSpec", "design",
           "done_runs", "kept_rows", "load_sweep", "problem", "read_manifest", "read_runs", "rounded", "run_seed",
           "run_sweep", "sample"]


@dataclass
class SweepRun:
    """What one call of :func:`run_sweep` did."""

    folder: Path
    total: int
    skipped: int                 # runs already done before this call
    ran: int = 0                 # runs done by this call
    failed: dict[int, str] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def runs_per_hour(self) -> float:
        return 3600.0 * self.ran / self.seconds if self.seconds > 0 else float("nan")

    @property
    def complete(self) -> bool:
        return self.skipped + self.ran == self.total


class SweepFailed(Exception):
    """The sweep could not go on (a worker process died); the runs done are kept."""


def run_sweep(sweep: Sweep, out: str | os.PathLike, *, workers: int = 2, dask: str | None = None,
              progress: Callable[[int], None] | None = None) -> SweepRun:
    """Run every run of ``sweep`` not yet in ``out``; write each as it finishes.

    ``workers`` local processes (one runs in this process), or with ``dask`` the Dask
    scheduler at that address (``"local"``: a ``LocalCluster`` of ``workers`` processes).
    ``progress(finished)`` is called with the runs finished so far (done or failed),
    those of earlier calls included.
    """
    folder = Path(out)
    refuse_foreign(sweep, folder)
    made = next((p for p in reversed((folder, *folder.parents)) if not p.exists()), None)
    fresh = not (folder / MANIFEST).exists()
    with lock(folder):
        try:
            return _run(sweep, folder, prepare(sweep, folder), workers, dask, progress)
        except ScenarioError:  # refused before any run (no scheduler, say): nothing of it left behind
            if fresh and not done_runs(folder, sweep.runs):
                unmake(folder, made)
            raise


def _run(sweep: Sweep, folder: Path, done: set[int], workers: int, dask: str | None, progress) -> SweepRun:
    status = np.zeros(sweep.runs, np.int8)
    status[list(done)] = 1
    result = SweepRun(folder, sweep.runs, skipped=len(done))
    write_design(folder, sweep)
    write_manifest(folder, sweep, status, result.failed)
    if progress is not None:
        progress(len(done))
    todo = np.flatnonzero(status == 0)
    keep = sweep.spec.keep
    runs = (sweep.run(r) for r in todo.tolist())
    started = last_written = time.perf_counter()
    writing = 0.0  # how long the manifest takes to write: a large one is written less often
    try:
        try:
            for i, record in simulate_each(runs, workers=workers, dask=dask, keep_going=True):
                run = int(todo[i])
                if isinstance(record, Failed):
                    status[run], result.failed[run] = 2, record.error
                else:
                    write_run(folder, sweep, run, kept_rows(record.timeseries, tuple(keep.outcomes), keep.every))
                    status[run] = 1
                    result.ran += 1
                if progress is not None:
                    progress(len(done) + result.ran + len(result.failed))
                if time.perf_counter() - last_written > max(MANIFEST_EVERY, 20 * writing):
                    at = time.perf_counter()
                    write_manifest(folder, sweep, status, result.failed)
                    last_written = time.perf_counter()
                    writing = last_written - at
        except WorkerDied as exc:
            raise SweepFailed(f"{exc}; the {len(done) + result.ran} runs done are kept: run the same command "
                              "again to go on") from None
    finally:
        result.seconds = time.perf_counter() - started
        write_manifest(folder, sweep, status, result.failed)
    return result
