"""Parameter sweeps: many runs of one scenario over a design, streamed to a Parquet dataset.

A sweep spec (TOML) names a base scenario and the parameters to vary. A parameter given as
a list of values is run as a full factorial; one given as a range ``{ low, high }`` is
sampled by SALib (Latin hypercube, Sobol' (Saltelli) or Morris). Each point of the design
runs ``replicates`` times. Run ``i`` gets its own seed, derived from the sweep's seed and
``i`` alone, so a run gives the same numbers on any executor and any number of workers.
With ``common_seeds = true`` the seed derives from the replicate's index instead: every
point of replicate ``r`` meets the same chance events (common random numbers), so the
differences between points are the parameters' doing and not noise.

Every finished run is written as one Parquet file into the sweep's folder (written under a
hidden name, then renamed), so memory stays flat, an interrupted sweep loses at most the
runs that were going, and running it again does only the runs whose file is missing. The
folder is a Parquet dataset: ``pd.read_parquet(folder)`` loads every run. What is not data
starts with ``_`` (which Parquet readers skip): ``_manifest.json`` records the spec, the
package version and every run's parameters, seed and status.

>>> import pandas as pd, tempfile
>>> from isolation_sim.sweep import load_sweep, run_sweep
>>> sweep = load_sweep("scenarios/sweeps/levers_morris.toml", samples=2, residents=300, weeks=3,
...                    burn_in_weeks=1)
>>> sweep.runs
28
>>> folder = tempfile.mkdtemp()
>>> run_sweep(sweep, folder, workers=1).ran
28
>>> frame = pd.read_parquet(folder)
>>> len(frame), frame["run"].nunique()
(28, 28)
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import time
import tomllib
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
import pandas as pd
from pydantic import Field, ValidationError, field_validator, model_validator

from . import __version__
from .compare import END_WEEKS, KEY, OUTCOMES, end_state
from .parallel import as_finished, dask_cluster, local_processes
from .scenario import LEVERS, Scenario, ScenarioError, Strict, _explain, _unknown, load_scenario, setting_type

SAMPLERS = ("grid", "lhs", "sobol", "morris")
MANIFEST = "_manifest.json"
RUN_COLUMNS = ("run", "point", "replicate", "seed")
ROW_COLUMNS = ("kept", "week")  # "end": the end state; "week": the value in that week
MANIFEST_EVERY = 10.0           # seconds between rewrites of the manifest while running


# --------------------------------------------------------------------------- the spec
class Range(Strict):
    """A parameter sampled between ``low`` and ``high`` (uniformly, by the sampler)."""

    low: float
    high: float

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
                if not given or any(isinstance(x, bool) or not isinstance(x, (int, float)) for x in given):
                    raise ValueError(wrong)
                if len(set(given)) != len(given):
                    raise ValueError(f"parameters.{key} = {given!r}: a value is given twice")
            elif not isinstance(given, (dict, Range)):
                raise ValueError(wrong)
            if key in RUN_COLUMNS + ROW_COLUMNS or key in OUTCOMES:
                raise ValueError(f"parameters.{key}: the name is taken by a column of the results")
        return v

    @model_validator(mode="after")
    def _sampler_fits(self) -> "SweepSpec":
        s = self.sweep
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


SAMPLES_MEAN = ("lhs: the number of points; sobol: the base sample N, run N x (parameters + 2) times, "
                "or N x (2 x parameters + 2) with second_order; morris: trajectories, each parameters + 1 points")


def setting(key: str) -> str:
    """The scenario setting a sweep parameter sets: a lever's name stands for its level.

    >>> setting("buddies"), setting("behaviour.contact_gain")
    ('steering.levers.buddies.level', 'behaviour.contact_gain')
    """
    return f"steering.levers.{key}.level" if key in LEVERS else key


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
    """One row per point: the value of every parameter (columns as named in the spec).

    Listed parameters form a full factorial; with sampled ones as well, every cell of
    the factorial runs the whole sample (the sample varies fastest). Settings that are
    whole numbers are rounded.
    """
    frames = []
    if spec.listed:
        frames.append(pd.DataFrame(list(itertools.product(*spec.listed.values())), columns=list(spec.listed)))
    if spec.sampled:
        frames.append(pd.DataFrame(sample(spec), columns=list(spec.sampled)))
    points = frames[0] if len(frames) == 1 else frames[0].merge(frames[1], how="cross")
    points = points[list(spec.parameters)]
    for key in points:
        if setting_type(setting(key)) is int:
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
    points: pd.DataFrame

    @property
    def runs(self) -> int:
        return len(self.points) * self.spec.sweep.replicates

    def where(self, run: int) -> tuple[int, int]:
        """The point and replicate of run ``run``."""
        return divmod(run, self.spec.sweep.replicates)

    def values(self, point: int) -> dict[str, int | float]:
        """The value of every parameter at a point."""
        return {k: self.points[k].iat[point].item() for k in self.points}

    def changes(self, point: int) -> dict[str, int | float]:
        """The scenario settings of a point, as dotted keys."""
        return {setting(k): v for k, v in self.values(point).items()}

    @cached_property
    def entries(self) -> list[dict]:
        """Every run's index, point, replicate, seed and parameters (the manifest's list)."""
        values = [self.values(point) for point in range(len(self.points))]
        s = self.spec.sweep
        return [{"run": run, "point": point, "replicate": replicate,
                 "seed": run_seed(s.seed, replicate if s.common_seeds else run),
                 "parameters": values[point]}
                for run in range(self.runs) for point, replicate in [self.where(run)]]

    @cached_property
    def fingerprint(self) -> str:
        """What makes results comparable: the spec, the base scenario and the version."""
        text = json.dumps({"spec": self.spec.model_dump(mode="json"), "scenario": self.scenario.model_dump(mode="json"),
                           "version": __version__}, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

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
def run_point(scenario: Scenario, changes: dict, seed: int, outcomes: tuple[str, ...],
              every: int | None) -> pd.DataFrame | str:
    """One run: the kept rows (the end state, and every ``every`` weeks if asked), or the
    error as text when the run failed (so one bad run does not end a sweep)."""
    from .model import IsolationModel

    try:
        model = IsolationModel(scenario.with_overrides(**changes, seed=seed))
        model.run()
        frame = model.timeseries()
    except Exception as exc:  # noqa: BLE001 - recorded in the manifest, the sweep goes on
        return f"{type(exc).__name__}: {exc}"
    end = pd.DataFrame([end_state(frame)]).assign(kept="end")
    weekly = frame[frame["week"] % every == 0].assign(kept="week") if every else frame.iloc[:0].assign(kept="week")
    rows = pd.concat([end, weekly], ignore_index=True)
    rows["week"] = rows["week"].astype(np.int64)
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
    return Path(folder) / f"run-{run:0{max(6, len(str(total - 1)))}d}.parquet"


def done_runs(folder: str | os.PathLike, total: int) -> set[int]:
    """The runs whose file is in ``folder`` (a file is there only once it is complete)."""
    folder = Path(folder)
    return {r for r in range(total) if run_file(folder, r, total).exists()} if folder.is_dir() else set()


def read_manifest(folder: str | os.PathLike) -> dict:
    path = Path(folder) / MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScenarioError(f"{folder}: not a sweep folder (it has no {MANIFEST})") from None
    except (OSError, ValueError) as exc:
        raise ScenarioError(f"{path}: cannot be read: {exc}") from None


def _prepare(sweep: Sweep, folder: Path) -> set[int]:
    """Check that ``folder`` is new, empty or holds this very sweep; clear what an
    interrupted run left half-written; return the runs already done."""
    if folder.exists() and not folder.is_dir():
        raise ScenarioError(f"--out {folder}: exists and is not a folder")
    if (folder / MANIFEST).exists():
        old = read_manifest(folder)
        if old.get("fingerprint") != sweep.fingerprint:
            why = ("isolation-sim version " + str(old.get("version"))) if old.get("version") != __version__ \
                else "another spec or base scenario"
            raise ScenarioError(f"--out {folder}: holds runs of {why} (sweep '{old.get('name')}'); to go on with "
                                "those, run their spec unchanged; for this spec give another --out")
    elif folder.is_dir() and any(p for p in folder.iterdir() if not p.name.startswith(".")):
        raise ScenarioError(f"--out {folder}: the folder is not empty and holds no sweep; give another --out")
    folder.mkdir(parents=True, exist_ok=True)
    for leftover in folder.glob(".run-*.tmp"):
        leftover.unlink()
    return done_runs(folder, sweep.runs)


def _write_run(folder: Path, sweep: Sweep, run: int, rows: pd.DataFrame) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    entry = sweep.entries[run]
    front = {k: entry[k] for k in RUN_COLUMNS} | entry["parameters"]
    rows = pd.concat([pd.DataFrame({k: [v] * len(rows) for k, v in front.items()}), rows], axis=1)
    final = run_file(folder, run, sweep.runs)
    tmp = folder / f".{final.name}.tmp"
    pq.write_table(pa.Table.from_pandas(rows, schema=sweep.schema, preserve_index=False), tmp)
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, final)  # the run is there whole, or not at all


def _write_manifest(folder: Path, sweep: Sweep, status: dict[int, str], failed: dict[int, str]) -> None:
    s = sweep.spec
    runs = [entry | {"status": status[entry["run"]]} | ({"error": failed[entry["run"]]} if entry["run"] in failed
                                                        else {})
            for entry in sweep.entries]
    manifest = {
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
        "runs_done": sum(v == "done" for v in status.values()),
        "updated": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "runs": runs,
    }
    tmp = folder / f".{MANIFEST}.tmp"
    tmp.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, folder / MANIFEST)


def run_sweep(sweep: Sweep, out: str | os.PathLike, *, workers: int = 2, dask: str | None = None,
              progress: Callable[[int], None] | None = None) -> SweepRun:
    """Run every run of ``sweep`` not yet in ``out``; write each as it finishes.

    ``workers`` local processes (one runs in this process), or with ``dask`` the Dask
    scheduler at that address (``"local"``: a ``LocalCluster`` of ``workers`` processes).
    ``progress(done)`` is called with the runs done so far, those of earlier calls included.
    """
    folder = Path(out)
    done = _prepare(sweep, folder)
    status = {r: "done" if r in done else "pending" for r in range(sweep.runs)}
    result = SweepRun(folder, sweep.runs, skipped=len(done))
    _write_manifest(folder, sweep, status, result.failed)
    if progress is not None:
        progress(len(done))
    todo = [r for r in range(sweep.runs) if r not in done]
    keep = sweep.spec.keep
    jobs = ((sweep.scenario, sweep.changes(sweep.where(r)[0]), sweep.entries[r]["seed"], tuple(keep.outcomes),
             keep.every) for r in todo)
    started = last_written = time.perf_counter()
    try:
        with ExitStack() as stack:
            try:
                executor = stack.enter_context(dask_cluster(dask, workers) if dask else local_processes(workers))
            except (OSError, TimeoutError) as exc:
                raise ScenarioError(f"--dask {dask}: no Dask scheduler could be reached there ({exc})") from None
            for i, rows in as_finished(run_point, jobs, executor, window=2 * workers):
                run = todo[i]
                if isinstance(rows, str):
                    status[run], result.failed[run] = "failed", rows
                else:
                    _write_run(folder, sweep, run, rows)
                    status[run] = "done"
                    result.ran += 1
                if progress is not None:
                    progress(len(done) + result.ran)
                if time.perf_counter() - last_written > MANIFEST_EVERY:
                    _write_manifest(folder, sweep, status, result.failed)
                    last_written = time.perf_counter()
    finally:
        result.seconds = time.perf_counter() - started
        _write_manifest(folder, sweep, status, result.failed)
    return result
