"""A sweep's folder: ``runs/`` (one Parquet file per run, and nothing else), the manifest
and the design beside it, and a lock while a sweep runs into it. Every file is written
under a hidden name, flushed and moved in, so a file is whole or not there."""

from __future__ import annotations

import fcntl
import json
import os
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

from . import __version__
from .changes import setting
from .files import replace, write_file, write_text
from .outcomes import END_WEEKS, end_state
from .scenario import ScenarioError
from .sweep_design import Sweep, problem
from .sweep_spec import ROW_COLUMNS, RUN_COLUMNS

MANIFEST = "manifest.json"
DESIGN = "design.parquet"
RUNS = "runs"                   # the dataset: one Parquet file per run, and nothing else
STATUS = ("pending", "done", "failed")


def kept_rows(frame: pd.DataFrame, outcomes: tuple[str, ...], every: int | None) -> pd.DataFrame:
    """What a sweep keeps of one run's time series: the end state, and every ``every``
    weeks if asked."""
    end = pd.DataFrame([end_state(frame)]).assign(kept="end", week=None)
    weekly = frame[frame["week"] % every == 0].assign(kept="week") if every else frame.iloc[:0].assign(kept="week")
    rows = pd.concat([end, weekly.astype({"week": "Int64"})], ignore_index=True)
    rows["week"] = rows["week"].astype("Int64")  # the end state is of no single week
    return rows[list(ROW_COLUMNS) + list(outcomes)]


def run_file(folder: Path, run: int, total: int) -> Path:
    return Path(folder) / RUNS / f"run-{run:0{max(6, len(str(total - 1)))}d}.parquet"


def done_runs(folder: str | os.PathLike, total: int) -> set[int]:
    """The runs whose file is in ``folder`` (a file is there only once it is complete)."""
    folder = Path(folder)
    return {r for r in range(total) if run_file(folder, r, total).exists()} if (folder / RUNS).is_dir() else set()


def read_runs(folder: str | os.PathLike, total: int, **options) -> pd.DataFrame:
    """The rows of every run file in ``folder`` (other files there are not read), in run
    order; ``options`` go to :func:`pandas.read_parquet` (``filters``, ``columns``)."""
    files = [str(run_file(Path(folder), r, total)) for r in sorted(done_runs(folder, total))]
    return pd.read_parquet(files, **options) if files else pd.DataFrame()


def read_manifest(folder: str | os.PathLike) -> dict:
    path = Path(folder) / MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScenarioError(f"{folder}: not a sweep folder (it has no {MANIFEST})") from None
    except (OSError, ValueError) as exc:
        raise ScenarioError(f"{path}: cannot be read: {exc}") from None


def refuse_foreign(folder: Path) -> None:
    """Stop if ``folder`` holds something that is not a sweep of this layout (before it is
    locked, so nothing is left in a folder that is not the sweep's)."""
    if folder.exists() and not folder.is_dir():
        raise ScenarioError(f"--out {folder}: exists and is not a folder")
    if (folder / "_manifest.json").exists():
        raise ScenarioError(f"--out {folder}: holds a sweep written by an older isolation-sim (run files beside "
                            "_manifest.json); run the spec again into another --out")
    if not (folder / MANIFEST).exists() and folder.is_dir() and any(
            p for p in folder.iterdir() if not p.name.startswith(".")):
        raise ScenarioError(f"--out {folder}: the folder is not empty and holds no sweep; give another --out")


def prepare(sweep: Sweep, folder: Path) -> set[int]:
    """Check that a folder :func:`refuse_foreign` let through holds no other sweep; clear
    what an interrupted run left half-written; return the runs already done."""
    if (folder / MANIFEST).exists():
        old = read_manifest(folder)
        if old.get("fingerprint") != sweep.fingerprint:
            why = ("isolation-sim version " + str(old.get("version"))) if old.get("version") != __version__ \
                else "another spec, base scenario or design"
            raise ScenarioError(f"--out {folder}: holds runs of {why} (sweep '{old.get('name')}'); to go on with "
                                "those, run their spec unchanged; for this spec give another --out")
    (folder / RUNS).mkdir(parents=True, exist_ok=True)
    for leftover in folder.glob(".*.tmp"):
        leftover.unlink()
    return done_runs(folder, sweep.runs)


def lock(folder: Path):
    """Hold the folder for this sweep alone (the kernel lets go when the process ends,
    however it ends)."""
    folder.mkdir(parents=True, exist_ok=True)
    handle = open(folder / ".lock", "w")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise ScenarioError(f"--out {folder}: another sweep is running into this folder") from None
    return handle


def write_run(folder: Path, sweep: Sweep, run: int, rows: pd.DataFrame) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    entry = sweep.entry(run)
    front = {k: entry[k] for k in RUN_COLUMNS} | entry["parameters"]
    rows = pd.concat([pd.DataFrame({k: [v] * len(rows) for k, v in front.items()}), rows], axis=1)
    final = run_file(folder, run, sweep.runs)
    tmp = folder / f".{final.name}.tmp"
    pq.write_table(pa.Table.from_pandas(rows, schema=sweep.schema, preserve_index=False), tmp)
    replace(tmp, final)


def write_design(folder: Path, sweep: Sweep) -> None:
    """``design.parquet``: the design as drawn, one row per point, for the analysis."""
    if not (folder / DESIGN).exists():
        write_file(folder / DESIGN, lambda tmp: sweep.drawn.to_parquet(tmp, index=False))




def write_manifest(folder: Path, sweep: Sweep, status: np.ndarray, failed: dict[int, str]) -> None:
    """``manifest.json``: the spec, the version and every run."""
    s = sweep.spec
    head = {
        "name": s.sweep.name,
        "description": s.sweep.description,
        "spec_file": s.source,
        "spec": s.model_dump(mode="json"),
        "scenario": {"file": sweep.scenario.source, "name": sweep.scenario.name,
                     "residents": sweep.scenario.population.residents, "weeks": sweep.scenario.weeks,
                     "burn_in_weeks": sweep.scenario.burn_in_weeks},
        "settings": {k: setting(k) for k in s.parameters},
        "problem": problem(s),
        "version": __version__,
        "fingerprint": sweep.fingerprint,
        "end_weeks": END_WEEKS,
        "runs_total": sweep.runs,
        "runs_done": int(np.count_nonzero(status == 1)),
        "runs_failed": int(np.count_nonzero(status == 2)),
        "updated": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    runs = []
    for run in range(sweep.runs):
        entry = sweep.entry(run) | {"status": STATUS[status[run]]}
        if run in failed:
            entry["error"] = failed[run]
        runs.append(entry)
    write_text(folder / MANIFEST, json.dumps(head | {"runs": runs}, indent=1) + "\n")
