"""A checked sweep: its spec, the base scenario and the design as drawn (SALib), its size and
its points checked as scenarios before anything runs, and each run's seed."""

from __future__ import annotations

import hashlib
import itertools
import json
import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import ValidationError

from . import __version__
from .changes import setting
from .errors import Given, shown
from .explain import explain, setting_type
from .levers import LEVER, LEVERS
from .run import Run
from .scenario import Scenario, ScenarioError, load_scenario
from .scenario_files import read_toml
from .sweep_spec import RUN_COLUMNS, SweepSpec

MAX_RUNS = 1_000_000     # runs of a sweep (points x replicates), checked before any point is built
CHECKED_POINTS = 10_000  # points of a design checked one by one before anything runs


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
    """The design as run: settings that are whole numbers (counts of levers too) rounded
    (a column beyond what a whole number can hold is left as it is, for the check to refuse
    with its value)."""
    points = points.copy()
    for key in points:
        whole = setting_type(setting(key)) is int or (key in LEVER and LEVER[key].whole)
        if whole and points[key].abs().max() < 2**62:
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
    """Read, check and design a sweep spec; the design's size is checked before any point
    is built, then every point as a scenario (:func:`check_points`) before anything runs;
    a bad value stops it with a :class:`ScenarioError` that names the spec file and its
    key (or the base scenario's file and key, for a value set there).

    ``overrides`` set keys of the ``[sweep]`` table (``samples=2``, ``residents=600``), as
    tests and notebooks do to make a sweep small.
    """
    path = Path(path)
    data = read_toml(path)
    given = dict(data.get("sweep", {})) if isinstance(data.get("sweep"), dict) else None
    if given is not None:
        data["sweep"] = {**given, **{k: v for k, v in overrides.items() if v is not None}}
    try:
        spec = SweepSpec.model_validate({**data, "source": str(path)})
    except ValidationError as exc:
        raise ScenarioError(explain(exc, str(path), {}, root=SweepSpec)) from None
    return _check(spec, path)


def _check(spec: SweepSpec, path: Path) -> Sweep:
    s = spec.sweep
    for key in spec.parameters:
        if setting_type(setting(key)) not in (int, float):
            raise ScenarioError(f"{path}: parameters.{key}: not a numeric scenario setting; give a lever "
                                f"({', '.join(LEVERS)}) or the dotted key of a number in a scenario file, "
                                "such as behaviour.contact_gain or offer.contracted_share")
    runs = spec.points * s.replicates
    if runs > MAX_RUNS:
        raise ScenarioError(f"{path}: the design has {spec.points:,} points x {s.replicates:,} replicates = "
                            f"{runs:,} runs, more than the {MAX_RUNS:,} a sweep may have; give fewer values in "
                            "[parameters], fewer sweep.samples or fewer sweep.replicates")
    settings = {"weeks": s.weeks, "burn_in_weeks": s.burn_in_weeks, "residents": s.residents}
    base = load_scenario(path.parent / s.scenario, overrides={**settings, "ignore_budget": s.ignore_budget},
                         where=f"{path}: sweep.scenario",
                         given={**{k: Given(f"{path}: sweep.{k}") for k in settings},
                                "ignore_budget": Given(f"{path}: sweep.ignore_budget")})
    sweep = Sweep(spec, base, design(spec))
    for key in spec.listed:
        if sweep.points[key].nunique() < len(spec.listed[key]):
            raise ScenarioError(f"{path}: parameters.{key} = {shown(spec.listed[key])}: {setting(key)} is a whole "
                                "number, and rounded, two of these values are the same")
    check_points(sweep, path)
    return sweep


def check_points(sweep: Sweep, path: Path) -> None:
    """Check the design's points as scenarios: each parameter alone at its lowest and its
    highest value, every parameter at once at its highest and at its lowest, and then every
    point of a design of at most :data:`CHECKED_POINTS` points (of a larger one, that many
    points spread over it: a point still refused fails alone when it runs, and the
    manifest says why). Each check is of one scenario, so the cost does not grow with the
    design beyond that many points."""
    points = sweep.points
    columns = {k: points[k].to_numpy() for k in points}
    checks = [(f"parameters.{k}: point {int(np.argmax(c == c[pick(c)]))} of the design", {k: c[pick(c)]})
              for pick in (np.argmin, np.argmax) for k, c in columns.items()]
    checks += [(f"parameters: the design's {end} values together", {k: c[pick(c)] for k, c in columns.items()})
               for end, pick in (("highest", np.argmax), ("lowest", np.argmin))]
    every = np.unique(np.linspace(0, len(points) - 1, min(len(points), CHECKED_POINTS)).round().astype(np.int64))
    checks = itertools.chain(checks, ((f"parameters: point {i} of the design", {k: c[i] for k, c in columns.items()})
                                      for i in every.tolist()))
    for label, values in checks:
        changes = {setting(k): v.item() for k, v in values.items()}
        try:
            sweep.scenario.with_overrides(**changes)
        except ScenarioError as exc:
            detail = str(exc).split(": ", 1)[-1]
            raise ScenarioError(f"{path}: {label} ({_describe_point(changes)}) is not a valid "
                                f"scenario: {detail}"
                                + ("; set sweep.ignore_budget = true to sweep past the scenario's budget"
                                   if "budget_per_year" in detail else "")) from None


def _describe_point(changes: dict) -> str:
    return ", ".join(f"{k.removeprefix('steering.levers.').removesuffix('.level')} = {v:g}" for k, v in changes.items())
