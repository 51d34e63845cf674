"""A sweep's folder: ``runs/`` (one Parquet file per run, and nothing else), the manifest
and the design beside it, and a lock while a sweep runs into it. Every file is written
under a hidden name, flushed and moved in, so a file is whole or not there. Each run file
and the design carry the sweep's fingerprint (and a run file its run) in their Parquet
metadata, so a file of another sweep is told apart and refused, never read as this one's."""

from __future__ import annotations

import fcntl
import fnmatch
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
LOCK = ".lock"                  # held by the sweep running into the folder
STATUS = ("pending", "done", "failed")
SWEEP_KEY = b"isolation_sim.sweep"  # Parquet metadata: the fingerprint of the sweep a file belongs to
RUN_KEY = b"isolation_sim.run"      # and the run a run file holds
JSON_TYPES = {dict: "an object", list: "an array", str: "a string", int: "a number", float: "a number",
              bool: "a boolean", type(None): "null"}


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
    import pyarrow as pa

    files = [str(run_file(Path(folder), r, total)) for r in sorted(done_runs(folder, total))]
    try:
        return pd.read_parquet(files, **options) if files else pd.DataFrame()
    except (OSError, ValueError, pa.ArrowException) as exc:
        raise ScenarioError(f"{Path(folder) / RUNS}: a run file cannot be read ({exc})") from None


def sweep_folder(folder: str | os.PathLike) -> Path:
    """The manifest's path in ``folder``; a folder with none is refused as no sweep's."""
    path = Path(folder) / MANIFEST
    if not path.is_file():
        raise ScenarioError(f"{folder}: not a sweep folder (it has no {MANIFEST})")
    return path


def read_manifest(folder: str | os.PathLike) -> dict:
    """The manifest of the sweep in ``folder``; a damaged one is refused by name."""
    path = sweep_folder(folder)
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ScenarioError(f"{path}: cannot be read: {exc}") from None
    if not isinstance(manifest, dict):
        raise ScenarioError(f"{path}: holds {JSON_TYPES.get(type(manifest), 'a value')}, not a sweep's manifest "
                            "(a JSON object); it is damaged")
    for key, kind, what in (("runs_total", int, "a whole number"), ("fingerprint", str, "a string"),
                            ("runs", list, "a list of runs")):
        if key not in manifest:
            raise ScenarioError(f"{path}: {key} is missing; the manifest is damaged")
        if not isinstance(manifest[key], kind) or isinstance(manifest[key], bool):
            raise ScenarioError(f"{path}: {key} = {json.dumps(manifest[key])[:40]}: not {what}; the manifest "
                                "is damaged")
    if manifest["runs_total"] != len(manifest["runs"]):
        raise ScenarioError(f"{path}: runs_total = {manifest['runs_total']}, but the manifest lists "
                            f"{len(manifest['runs'])} runs; it is damaged")
    return manifest


def check_run_files(folder: Path, fingerprint: str, total: int, runs) -> None:
    """Stop at the first of ``runs`` whose file is damaged or holds another run or sweep,
    naming it (its Parquet footer is read, not its rows)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    for run in sorted(runs):
        path = run_file(folder, run, total)
        redo = f"remove it and run the sweep again (same spec, same --out) to redo run {run}"
        try:
            metadata = pq.read_metadata(path).metadata or {}
        except (OSError, ValueError, pa.ArrowException) as exc:
            raise ScenarioError(f"{path}: cannot be read as a run file, damaged or cut short ({exc}); {redo}") from None
        if metadata.get(SWEEP_KEY) != fingerprint.encode() or metadata.get(RUN_KEY) != str(run).encode():
            raise ScenarioError(f"{path}: is not run {run} of this sweep (a file of another sweep or run, or of an "
                                f"isolation-sim older than its fingerprints); {redo}")


def read_design(folder: Path, fingerprint: str, columns: list[str] | None = None) -> pd.DataFrame:
    """``design.parquet`` (``columns`` of it), refused by name if damaged or of another sweep."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = folder / DESIGN
    try:
        table = pq.read_table(path, columns=columns)
    except (OSError, ValueError, pa.ArrowException) as exc:
        raise ScenarioError(f"{path}: the design of the sweep cannot be read ({exc})") from None
    if (table.schema.metadata or {}).get(SWEEP_KEY) != fingerprint.encode():
        raise ScenarioError(f"{path}: is the design of another sweep, not of the sweep in {folder}")
    return table.to_pandas()


def _marked(table, fingerprint: str, **more: str):
    """``table`` with the sweep's fingerprint (and ``more``) in its Parquet metadata."""
    extra = {SWEEP_KEY: fingerprint.encode()} | {f"isolation_sim.{k}".encode(): v.encode() for k, v in more.items()}
    return table.replace_schema_metadata((table.schema.metadata or {}) | extra)


def refuse_foreign(sweep: Sweep, folder: Path) -> None:
    """Stop if ``folder`` holds something that is not ``sweep`` (another sweep, files of
    its own, a damaged or foreign file), naming it; it only reads, before the folder is
    locked, so a refused sweep leaves nothing behind."""
    if folder.exists() and not folder.is_dir():
        raise ScenarioError(f"--out {folder}: exists and is not a folder")
    if (folder / "_manifest.json").exists():
        raise ScenarioError(f"--out {folder}: holds a sweep written by an older isolation-sim (run files beside "
                            "_manifest.json); run the spec again into another --out")
    if not (folder / MANIFEST).exists():
        if folder.is_dir() and (extra := [p.name for p in folder.iterdir() if not _begun(p)]):
            raise ScenarioError(f"--out {folder}: the folder is not empty ({', '.join(sorted(extra)[:5])}) and holds "
                                "no sweep; give another --out")
        if (folder / DESIGN).exists():  # a sweep killed before its manifest: its own goes on
            read_design(folder, sweep.fingerprint, columns=[])
        return
    old = read_manifest(folder)
    if old["fingerprint"] != sweep.fingerprint:
        why = ("isolation-sim version " + str(old.get("version"))) if old.get("version") != __version__ \
            else "another spec, base scenario or design"
        raise ScenarioError(f"--out {folder}: holds runs of {why} (sweep '{old.get('name')}'); to go on with "
                            "those, run their spec unchanged; for this spec give another --out")
    if (folder / DESIGN).exists():
        read_design(folder, sweep.fingerprint, columns=[])
    check_run_files(folder, sweep.fingerprint, sweep.runs, done_runs(folder, sweep.runs))


def _half_written(path: Path) -> bool:
    """A file this store writes under a hidden name before it is moved in place."""
    return path.is_file() and (fnmatch.fnmatchcase(path.name, ".run-*.parquet.tmp")
                               or path.name in (f".{DESIGN}.tmp", f".{MANIFEST}.tmp"))


def _begun(path: Path) -> bool:
    """What a sweep killed before it wrote its manifest leaves: its lock, its empty runs/,
    its design, a file half-written."""
    if path.name == RUNS:
        return path.is_dir() and not path.is_symlink() and not any(path.iterdir())
    return path.name in (LOCK, DESIGN) or _half_written(path)


def prepare(sweep: Sweep, folder: Path) -> set[int]:
    """In a folder :func:`refuse_foreign` let through and :func:`lock` holds: clear what an
    interrupted run left half-written (this store's own hidden files, nothing else); return
    the runs already done."""
    (folder / RUNS).mkdir(parents=True, exist_ok=True)
    for leftover in filter(_half_written, folder.iterdir()):
        leftover.unlink()
    return done_runs(folder, sweep.runs)


def unmake(folder: Path, made: Path | None) -> None:
    """Remove what a sweep refused before any run wrote into ``folder`` (which held no
    sweep): its lock, design, manifest and empty runs/; then ``folder`` and the folders
    above it up to ``made`` (the first this sweep made), each only if it is empty, so
    nothing another command wrote meanwhile is removed."""
    for name in (LOCK, DESIGN, MANIFEST):
        (folder / name).unlink(missing_ok=True)
    stop = made.parent if made is not None else folder
    for path in (folder / RUNS, folder, *folder.parents):
        if path == stop:
            break
        try:
            path.rmdir()
        except OSError:  # not empty (or not there): kept, and the folders above it too
            break


def lock(folder: Path):
    """Hold the folder for this sweep alone (the kernel lets go when the process ends,
    however it ends)."""
    folder.mkdir(parents=True, exist_ok=True)
    handle = open(folder / LOCK, "w")
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
    table = pa.Table.from_pandas(rows, schema=sweep.schema, preserve_index=False)
    pq.write_table(_marked(table, sweep.fingerprint, run=str(run)), tmp)
    replace(tmp, final)


def write_design(folder: Path, sweep: Sweep) -> None:
    """``design.parquet``: the design as drawn, one row per point, for the analysis."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not (folder / DESIGN).exists():
        table = _marked(pa.Table.from_pandas(sweep.drawn, preserve_index=False), sweep.fingerprint)
        write_file(folder / DESIGN, lambda tmp: pq.write_table(table, tmp))


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
