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

import fcntl
import hashlib
import itertools
import json
import math
import os
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
import pandas as pd
from pydantic import Field, FiniteFloat, ValidationError, field_validator, model_validator

from . import __version__
from .outcomes import END_WEEKS, KEY, OUTCOMES, end_state
from .executors import WorkerDied
from .files import replace, write_file, write_text
from .levers import LEVER, LEVERS
from .run import Failed, Run, setting, simulate_each
from .scenario import Scenario, ScenarioError, Strict, _explain, _unknown, load_scenario, setting_type

SAMPLERS = ("grid", "lhs", "sobol", "morris")
MANIFEST = "manifest.json"
DESIGN = "design.parquet"
RUNS = "runs"                   # the dataset: one Parquet file per run, and nothing else
RUN_COLUMNS = ("run", "point", "replicate", "seed")
ROW_COLUMNS = ("kept", "week")  # "end": the end state; "week": the value in that week
MANIFEST_EVERY = 10.0           # seconds between rewrites of the manifest while running


# --------------------------------------------------------------------------- the spec
class Range(Strict):
    """A parameter sampled between ``low`` and ``high`` (uniformly, by the sampler)."""

    low: FiniteFloat
    high: FiniteFloat

    @model_validator(mode="after")
    def _high_above_low(self) -> "Range":
        if not self.high > self.low:
            raise ValueError(f"high ({self.high:g}) must be above low ({self.low:g})")
        return self


class Settings(Strict):
    name: Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.-]+$")]
    description: str = ""
    scenario: Annotated[str, Field(min_length=1)]
    sampler: Literal["grid", "lhs", "sobol", "morris"] = "grid"
    samples: Annotated[int, Field(ge=1, le=1_000_000)] | None = None
    replicates: Annotated[int, Field(ge=1, le=10_000)] = 1
    seed: Annotated[int, Field(ge=0, le=2**63 - 1)] = 1
    common_seeds: bool = False
    weeks: Annotated[int, Field(ge=1, le=5200)] | None = None
    burn_in_weeks: Annotated[int, Field(ge=0, le=1040)] | None = None
    residents: Annotated[int, Field(ge=1)] | None = None
    ignore_budget: bool = False
    second_order: bool = False
    levels: Annotated[int, Field(ge=2, le=100)] = 4


class Keep(Strict):
    outcomes: Annotated[list[str], Field(min_length=1)] = Field(default_factory=lambda: list(KEY))
    every: Annotated[int, Field(ge=1)] | None = None

    @field_validator("outcomes")
    @classmethod
    def _known(cls, v: list[str]) -> list[str]:
        for name in v:
            if name not in OUTCOMES:
                raise ValueError(_unknown(name, OUTCOMES).replace("unknown key", "unknown outcome"))
        return list(dict.fromkeys(v))


class SweepSpec(Strict):
    sweep: Settings
    keep: Keep = Keep()
    parameters: Annotated[dict[str, list[int | float] | Range], Field(min_length=1)]
    source: str = Field(default="", exclude=True)

    @field_validator("parameters", mode="before")
    @classmethod
    def _list_or_range(cls, v: Any) -> Any:
        if not isinstance(v, dict):
            return v
        for key, given in v.items():
            wrong = (f"parameters.{key} = {given!r}: expected a list of numbers (run as a full factorial) "
                     "or a table { low = ..., high = ... } (sampled by sweep.sampler)")
            if isinstance(given, list):
                if not given or any(isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x)
                                    for x in given):
                    raise ValueError(wrong + "; a list needs at least one value, every one a finite number")
                if len(set(given)) != len(given):
                    raise ValueError(f"parameters.{key} = {given!r}: a value is given twice")
            elif isinstance(given, dict) and not set(given) <= {"low", "high"}:
                inner = next(iter(set(given) - {"low", "high"}))
                raise ValueError(f"parameters.{key}: a table with '{inner}', not a range {{ low, high }}; "
                                 f"write a dotted key in quotes: \"{key}.{inner}\" = ...")
            elif not isinstance(given, (dict, Range)):
                raise ValueError(wrong)
            if key in RUN_COLUMNS + ROW_COLUMNS or key in OUTCOMES:
                raise ValueError(f"parameters.{key}: the name is taken by a column of the results")
        return v

    @model_validator(mode="after")
    def _sampler_fits(self) -> "SweepSpec":
        s = self.sweep
        for key, sampler in (("second_order", "sobol"), ("levels", "morris")):
            if getattr(s, key) != Settings.model_fields[key].default and s.sampler != sampler:
                raise ValueError(f"sweep.{key} is for sampler = '{sampler}'; this sweep's sampler is '{s.sampler}'")
        settings: dict[str, str] = {}
        for key in self.parameters:
            if setting(key) in settings:
                raise ValueError(f"parameters {settings[setting(key)]} and {key} set the same setting, "
                                 f"{setting(key)}; give it once")
            settings[setting(key)] = key
        sampled = [k for k, v in self.parameters.items() if isinstance(v, Range)]
        if s.sampler == "grid" and sampled:
            raise ValueError(f"parameters {', '.join(sampled)} are ranges, which need a sampler: set "
                             "sweep.sampler to lhs, sobol or morris (or give them as lists of values)")
        if s.sampler != "grid":
            if not sampled:
                raise ValueError(f"sweep.sampler = '{s.sampler}' samples ranges, but no parameter is a range "
                                 "{ low = ..., high = ... }; use sampler = 'grid' for lists of values")
            if s.samples is None:
                raise ValueError(f"sweep.samples is required with sampler = '{s.sampler}' ({SAMPLES_MEAN})")
            if s.sampler == "sobol" and s.samples & (s.samples - 1):
                raise ValueError(f"sweep.samples = {s.samples}: Sobol' sampling needs a power of two "
                                 "(16, 32, 64, ...) to keep its convergence properties")
        return self

    @property
    def sampled(self) -> dict[str, Range]:
        return {k: v for k, v in self.parameters.items() if isinstance(v, Range)}

    @property
    def listed(self) -> dict[str, list]:
        return {k: v for k, v in self.parameters.items() if isinstance(v, list)}


SAMPLES_MEAN = ("lhs: the number of points; sobol: the base sample N, N x (ranges + 2) points, or "
                "N x (2 x ranges + 2) with second_order; morris: trajectories of ranges + 1 points each; "
                "every combination of listed values runs all the points, each point replicates times")


def problem(spec: SweepSpec) -> dict | None:
    """SALib's description of the sampled parameters (``None`` when nothing is sampled)."""
    sampled = spec.sampled
    if not sampled:
        return None
    return {"num_vars": len(sampled), "names": list(sampled), "bounds": [[r.low, r.high] for r in sampled.values()]}


def sample(spec: SweepSpec) -> np.ndarray:
    """The SALib sample of the sampled parameters, one row per point, in SALib's order
    (which the Sobol' and Morris analyses rely on)."""
    from SALib.sample import latin, morris, sobol

    s, prob = spec.sweep, problem(spec)
    if s.sampler == "sobol":
        return sobol.sample(prob, s.samples, calc_second_order=s.second_order, seed=s.seed)
    if s.sampler == "morris":
        return morris.sample(prob, s.samples, num_levels=s.levels, seed=s.seed)
    return latin.sample(prob, s.samples, seed=s.seed)


def design(spec: SweepSpec) -> pd.DataFrame:
    """One row per point: the value of every parameter as drawn (columns as named in the
    spec; see :func:`rounded` for the values run).

    Listed parameters form a full factorial; with sampled ones as well, every cell of
    the factorial runs the whole sample (the sample varies fastest).
    """
    frames = []
    if spec.listed:
        frames.append(pd.DataFrame(list(itertools.product(*spec.listed.values())), columns=list(spec.listed)))
    if spec.sampled:
        frames.append(pd.DataFrame(sample(spec), columns=list(spec.sampled)))
    points = frames[0] if len(frames) == 1 else frames[0].merge(frames[1], how="cross")
    return points[list(spec.parameters)]


def rounded(points: pd.DataFrame) -> pd.DataFrame:
    """The design as run: settings that are whole numbers (counts of levers too) rounded."""
    points = points.copy()
    for key in points:
        if setting_type(setting(key)) is int or (key in LEVER and LEVER[key].whole):
            points[key] = points[key].round().astype(np.int64)
    return points


def run_seed(sweep_seed: int, run: int) -> int:
    """The seed of run ``run``: from the sweep's seed and the run's index alone.

    >>> run_seed(1, 0) == run_seed(1, 0) != run_seed(1, 1)
    True
    """
    return int(np.random.SeedSequence([sweep_seed, run]).generate_state(1, np.uint64)[0] >> np.uint64(1))


@dataclass
class Sweep:
    """A checked sweep: its spec, the base scenario (with the spec's settings) and the design."""

    spec: SweepSpec
    scenario: Scenario
    drawn: pd.DataFrame  # the design as drawn (what the analysis needs)

    @cached_property
    def points(self) -> pd.DataFrame:
        """The design as run (:func:`rounded`)."""
        return rounded(self.drawn)

    @property
    def runs(self) -> int:
        return len(self.points) * self.spec.sweep.replicates

    def where(self, run: int) -> tuple[int, int]:
        """The point and replicate of run ``run``."""
        return divmod(run, self.spec.sweep.replicates)

    @cached_property
    def _values(self) -> list[dict[str, int | float]]:
        columns = {k: self.points[k].tolist() for k in self.points}  # plain Python numbers
        return [{k: column[point] for k, column in columns.items()} for point in range(len(self.points))]

    def values(self, point: int) -> dict[str, int | float]:
        """The value of every parameter at a point."""
        return dict(self._values[point])

    def changes(self, point: int) -> dict[str, int | float]:
        """The scenario settings of a point, as dotted keys."""
        return {setting(k): v for k, v in self.values(point).items()}

    def seed(self, run: int) -> int:
        s = self.spec.sweep
        return run_seed(s.seed, self.where(run)[1] if s.common_seeds else run)

    def run(self, run: int) -> Run:
        """Run ``run`` of the sweep, as :func:`run.simulate` takes it."""
        return Run(self.scenario, self.seed(run), self.changes(self.where(run)[0]))

    def entry(self, run: int) -> dict:
        """A run's index, point, replicate, seed and parameters (as in the manifest)."""
        point, replicate = self.where(run)
        return {"run": run, "point": point, "replicate": replicate, "seed": self.seed(run),
                "parameters": self.values(point)}

    @cached_property
    def fingerprint(self) -> str:
        """What makes results comparable: the spec, the base scenario, the version and the
        design as drawn (which a newer SALib or scipy might draw otherwise)."""
        text = json.dumps({"spec": self.spec.model_dump(mode="json"), "scenario": self.scenario.model_dump(mode="json"),
                           "version": __version__}, sort_keys=True)
        digest = hashlib.sha256(text.encode())
        digest.update(np.ascontiguousarray(self.drawn.to_numpy(np.float64)).tobytes())
        return digest.hexdigest()[:16]

    @cached_property
    def schema(self):
        import pyarrow as pa

        return pa.schema(
            [pa.field(c, pa.int64()) for c in RUN_COLUMNS]
            + [pa.field(k, pa.from_numpy_dtype(self.points[k].dtype)) for k in self.points]
            + [pa.field("kept", pa.string()), pa.field("week", pa.int64())]
            + [pa.field(c, pa.float64()) for c in self.spec.keep.outcomes])


def load_sweep(path: str | os.PathLike, **overrides) -> Sweep:
    """Read, check and design a sweep spec; every point is checked as a scenario before
    anything runs, and a bad value stops it with a :class:`ScenarioError` that names the
    file, the key and what is allowed.

    ``overrides`` set keys of the ``[sweep]`` table (``samples=2``, ``residents=600``), as
    tests and notebooks do to make a sweep small.
    """
    path = Path(path)
    if not path.is_file():
        raise ScenarioError(f"{path}: no such sweep spec")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ScenarioError(f"{path}: not a readable TOML file: {exc}") from None
    given = dict(data.get("sweep", {})) if isinstance(data.get("sweep"), dict) else None
    if given is not None:
        data["sweep"] = {**given, **{k: v for k, v in overrides.items() if v is not None}}
    try:
        spec = SweepSpec.model_validate({**data, "source": str(path)})
    except ValidationError as exc:
        raise ScenarioError(_explain(exc, str(path), {}, root=SweepSpec)) from None
    return _check(spec, path)


def _check(spec: SweepSpec, path: Path) -> Sweep:
    s = spec.sweep
    for key in spec.parameters:
        if setting_type(setting(key)) not in (int, float):
            raise ScenarioError(f"{path}: parameters.{key}: not a numeric scenario setting; give a lever "
                                f"({', '.join(LEVERS)}) or the dotted key of a number in a scenario file, "
                                "such as behaviour.contact_gain or offer.contracted_share")
    scenario_file = path.parent / s.scenario
    base = load_scenario(scenario_file)
    changes = {"weeks": s.weeks, "burn_in_weeks": s.burn_in_weeks, "population.residents": s.residents}
    changes = {k: v for k, v in changes.items() if v is not None}
    if s.ignore_budget:
        changes["steering.budget_per_year"] = None
    base = base.with_overrides(**changes)
    sweep = Sweep(spec, base, design(spec))
    for key in spec.listed:
        if sweep.points[key].nunique() < len(spec.listed[key]):
            raise ScenarioError(f"{path}: parameters.{key} = {spec.listed[key]}: {setting(key)} is a whole number, "
                                "and rounded, two of these values are the same")
    for point in range(len(sweep.points)):
        try:
            base.with_overrides(**sweep.changes(point))
        except ScenarioError as exc:
            detail = str(exc).split(": ", 1)[-1]
            raise ScenarioError(f"{path}: point {point} of the design ({_describe_point(sweep.changes(point))}) is "
                                f"not a valid scenario: {detail}"
                                + ("; set sweep.ignore_budget = true to sweep past the scenario's budget"
                                   if "budget_per_year" in detail else "")) from None
    return sweep


def _describe_point(changes: dict) -> str:
    return ", ".join(f"{k.removeprefix('steering.levers.').removesuffix('.level')} = {v:g}" for k, v in changes.items())


# --------------------------------------------------------------------------- one run
def kept_rows(frame: pd.DataFrame, outcomes: tuple[str, ...], every: int | None) -> pd.DataFrame:
    """What a sweep keeps of one run's time series: the end state, and every ``every``
    weeks if asked."""
    end = pd.DataFrame([end_state(frame)]).assign(kept="end", week=None)
    weekly = frame[frame["week"] % every == 0].assign(kept="week") if every else frame.iloc[:0].assign(kept="week")
    rows = pd.concat([end, weekly.astype({"week": "Int64"})], ignore_index=True)
    rows["week"] = rows["week"].astype("Int64")  # the end state is of no single week
    return rows[list(ROW_COLUMNS) + list(outcomes)]


# --------------------------------------------------------------------------- the folder
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


class SweepFailed(Exception):
    """The sweep could not go on (a worker process died); the runs done are kept."""


def _prepare(sweep: Sweep, folder: Path) -> set[int]:
    """Check that ``folder`` is new, empty or holds this very sweep; clear what an
    interrupted run left half-written; return the runs already done."""
    if (folder / MANIFEST).exists():
        old = read_manifest(folder)
        if old.get("fingerprint") != sweep.fingerprint:
            why = ("isolation-sim version " + str(old.get("version"))) if old.get("version") != __version__ \
                else "another spec, base scenario or design"
            raise ScenarioError(f"--out {folder}: holds runs of {why} (sweep '{old.get('name')}'); to go on with "
                                "those, run their spec unchanged; for this spec give another --out")
    elif folder.is_dir() and any(p for p in folder.iterdir() if not p.name.startswith(".")):
        raise ScenarioError(f"--out {folder}: the folder is not empty and holds no sweep; give another --out")
    (folder / RUNS).mkdir(parents=True, exist_ok=True)
    for leftover in folder.glob(".*.tmp"):
        leftover.unlink()
    return done_runs(folder, sweep.runs)


def _lock(folder: Path):
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


def _write_run(folder: Path, sweep: Sweep, run: int, rows: pd.DataFrame) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    entry = sweep.entry(run)
    front = {k: entry[k] for k in RUN_COLUMNS} | entry["parameters"]
    rows = pd.concat([pd.DataFrame({k: [v] * len(rows) for k, v in front.items()}), rows], axis=1)
    final = run_file(folder, run, sweep.runs)
    tmp = folder / f".{final.name}.tmp"
    pq.write_table(pa.Table.from_pandas(rows, schema=sweep.schema, preserve_index=False), tmp)
    replace(tmp, final)


def _write_design(folder: Path, sweep: Sweep) -> None:
    """``design.parquet``: the design as drawn, one row per point, for the analysis."""
    if not (folder / DESIGN).exists():
        write_file(folder / DESIGN, lambda tmp: sweep.drawn.to_parquet(tmp, index=False))


STATUS = ("pending", "done", "failed")


def _write_manifest(folder: Path, sweep: Sweep, status: np.ndarray, failed: dict[int, str]) -> None:
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


def run_sweep(sweep: Sweep, out: str | os.PathLike, *, workers: int = 2, dask: str | None = None,
              progress: Callable[[int], None] | None = None) -> SweepRun:
    """Run every run of ``sweep`` not yet in ``out``; write each as it finishes.

    ``workers`` local processes (one runs in this process), or with ``dask`` the Dask
    scheduler at that address (``"local"``: a ``LocalCluster`` of ``workers`` processes).
    ``progress(finished)`` is called with the runs finished so far (done or failed),
    those of earlier calls included.
    """
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise ScenarioError(f"--out {folder}: exists and is not a folder")
    with _lock(folder):
        return _run(sweep, folder, _prepare(sweep, folder), workers, dask, progress)


def _run(sweep: Sweep, folder: Path, done: set[int], workers: int, dask: str | None, progress) -> SweepRun:
    status = np.zeros(sweep.runs, np.int8)
    status[list(done)] = 1
    result = SweepRun(folder, sweep.runs, skipped=len(done))
    _write_design(folder, sweep)
    _write_manifest(folder, sweep, status, result.failed)
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
                    _write_run(folder, sweep, run, kept_rows(record.timeseries, tuple(keep.outcomes), keep.every))
                    status[run] = 1
                    result.ran += 1
                if progress is not None:
                    progress(len(done) + result.ran + len(result.failed))
                if time.perf_counter() - last_written > max(MANIFEST_EVERY, 20 * writing):
                    at = time.perf_counter()
                    _write_manifest(folder, sweep, status, result.failed)
                    last_written = time.perf_counter()
                    writing = last_written - at
        except WorkerDied as exc:
            raise SweepFailed(f"{exc}; the {len(done) + result.ran} runs done are kept: run the same command "
                              "again to go on") from None
    finally:
        result.seconds = time.perf_counter() - started
        _write_manifest(folder, sweep, status, result.failed)
    return result
