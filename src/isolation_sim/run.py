"""One door into a run: a run is a value, observers say what to keep, one batch function.

A :class:`Run` names a scenario, a seed, changes to the scenario and the weeks to run;
:func:`simulate` runs it and returns a :class:`Record`: the weekly time series and what
each observer kept. :func:`simulate_many` runs many, on local processes or a Dask cluster,
with the same numbers on any executor. The command line, the app, compare, validate,
calibrate and sweeps all come in through here.

>>> from isolation_sim.run import Run, simulate
>>> run = Run.of("scenarios/baseline.toml", seed=5, weeks=4, residents=300, burn_in_weeks=2, buddies=3)
>>> run.changes["steering.levers.buddies.level"], run.resolved().population.residents
(3, 300)
>>> record = simulate(run)
>>> record.timeseries["week"].tolist()
[0, 1, 2, 3, 4]
"""

from __future__ import annotations

import copy
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import pandas as pd

from .changes import UNSET, resolve, setting
from .scenario import Scenario, load_scenario


__all__ = ["UNSET", "Failed", "Observer", "Record", "Run", "resolve", "run_model", "run_scenario", "setting",
           "simulate", "simulate_each", "simulate_many"]


class _Changes(dict):
    """A run's changes: read, never changed (a changed run is a new run: :meth:`Run.but`)."""

    def _refuse(self, *args, **kwargs):
        raise TypeError("a Run's changes cannot be changed; make a new run with Run.but(...)")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = __ior__ = _refuse

    def __reduce__(self):
        return _Changes, (dict(self),)


@dataclass(frozen=True)
class Run:
    """One run: a scenario (a :class:`Scenario` or a file), its seed (the scenario's when
    ``None``), changes as dotted keys (:func:`resolve`) and the weeks to run (the
    scenario's when ``None``)."""

    scenario: Scenario | str | os.PathLike
    seed: int | None = None
    changes: Mapping[str, Any] = field(default_factory=dict)
    weeks: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "changes", _Changes(self.changes))

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "_resolved"}  # a worker resolves it again

    @classmethod
    def of(cls, scenario: Scenario | str | os.PathLike, *, seed: int | None = None, weeks: int | None = None,
           **changes) -> "Run":
        """A run with changes in any dialect of :func:`resolve` (``residents=600``,
        ``buddies=12``, ``behaviour__contact_gain=0.2``, ``ignore_budget=True``)."""
        return cls(scenario, seed, resolve(changes), weeks)

    def but(self, **changes) -> "Run":
        """The same run with more changes (these win)."""
        return replace(self, changes={**self.changes, **resolve(changes)})

    @cached_property
    def _resolved(self) -> Scenario:
        base = self.scenario if isinstance(self.scenario, Scenario) else load_scenario(self.scenario)
        extra = {"seed": self.seed, "weeks": self.weeks}
        changes = {**self.changes, **{k: v for k, v in extra.items() if v is not None}}
        return base.with_overrides(**changes) if changes else base

    def resolved(self) -> Scenario:
        """The scenario as this run runs it, checked."""
        return self._resolved

    def model(self):
        """The model of this run at week 0 (after the burn-in)."""
        from .model import IsolationModel

        scenario = self.resolved()
        return IsolationModel(scenario, rng=scenario.seed)


class Observer:
    """What a run keeps beyond its time series, like Starsim's analyzers. Each run works
    on its own copy: ``start`` at week 0, ``step`` after every week, ``result`` at the end
    (a small, picklable value; the model itself never leaves the run). An observer that
    needs only the end defines ``result`` alone."""

    name: str = "observer"

    def start(self, model) -> None:
        """At week 0, before the first step."""

    def step(self, model) -> None:
        """After every week."""

    def result(self, model) -> Any:
        raise NotImplementedError


@dataclass
class Record:
    """What a run gave: the scenario as run, its weekly time series (from week 0), each
    observer's result by name, and how long it took. ``model`` only when asked to keep it."""

    run: Run
    scenario: Scenario
    timeseries: pd.DataFrame
    observed: dict[str, Any]
    build_seconds: float
    seconds: float
    model: Any = None

    def __getitem__(self, name: str) -> Any:
        return self.observed[name]


def simulate(run: Run, observe: Sequence[Observer] = (), *, progress: Callable[[int], None] | None = None,
             keep_model: bool = False) -> Record:
    """Run ``run`` to its last week, with ``observe`` watching; ``progress(week)`` after each week."""
    started = time.perf_counter()
    model = run.model()
    built = time.perf_counter() - started
    watching = [copy.deepcopy(o) for o in observe]
    for observer in watching:
        observer.start(model)
    for _ in range(model.params.weeks):
        model.step()
        for observer in watching:
            observer.step(model)
        if progress is not None:
            progress(model.week)
    observed = {o.name: o.result(model) for o in watching}
    return Record(run, model.params, model.timeseries(), observed, built, time.perf_counter() - started,
                  model if keep_model else None)


@dataclass
class Failed:
    """A run that raised, as :func:`simulate_each` gives it with ``keep_going``."""

    run: Run
    error: str


def _simulate_job(run: Run, observe: Sequence[Observer], keep_going: bool) -> Record | Failed:
    if not keep_going:
        return simulate(run, observe)
    try:
        return simulate(run, observe)
    except Exception as exc:  # noqa: BLE001 - the batch goes on; the caller records it
        return Failed(run, f"{type(exc).__name__}: {exc}")


def simulate_each(runs: Iterable[Run], observe: Sequence[Observer] = (), *, workers: int = 2,
                  dask: str | None = None, keep_going: bool = False) -> Iterator[tuple[int, Record | Failed]]:
    """``(index, record)`` for every run, as each finishes, on ``workers`` local processes
    (one runs in this process) or on the Dask scheduler at ``dask`` (``"local"``: a
    ``LocalCluster``). Runs are submitted a few at a time, so ``runs`` may be a long
    stream. With ``keep_going`` a run that raises gives a :class:`Failed` and the rest go
    on; without, it stops the batch."""
    from .executors import as_finished, executor

    with executor(workers, dask) as (pool, slots):
        jobs = ((run, tuple(observe), keep_going) for run in runs)
        yield from as_finished(_simulate_job, jobs, pool, window=2 * slots)


def simulate_many(runs: Sequence[Run], observe: Sequence[Observer] = (), *, workers: int = 2,
                  dask: str | None = None, progress: Callable[[int], None] | None = None) -> list[Record]:
    """:func:`simulate` for every run, in the order of ``runs``, on local processes or
    Dask (see :func:`simulate_each`); ``progress(done)`` as each finishes."""
    records: list = [None] * len(runs)
    for done, (i, record) in enumerate(simulate_each(runs, observe, workers=workers, dask=dask), 1):
        records[i] = record
        if progress is not None:
            progress(done)
    return records


def run_scenario(scenario: Scenario | str | os.PathLike, *, seed: int | None = None, weeks: int | None = None,
                 progress: Callable[[int], None] | None = None, **changes):
    """One run with its summary and its model, for the command line and notebooks: a
    :class:`~isolation_sim.summary.RunResult`."""
    from .summary import RunResult, Totals, summarise

    record = simulate(Run.of(scenario, seed=seed, weeks=weeks, **changes), [Totals()], progress=progress,
                      keep_model=True)
    return RunResult(record.scenario, record.timeseries, summarise(record), record.model)


def run_model(scenario: Scenario | str | os.PathLike = "scenarios/baseline.toml", *, seed: int | None = None,
              weeks: int | None = None, ignore_budget: bool = False, **levers_and_keys) -> dict[str, float]:
    """Keywords in, outcomes out: one run and its end state (:func:`outcomes.end_state`),
    for tools that wrap a model as a function (EMA Workbench, SALib, an optimiser).

    A lever by its name sets its level (``buddies=12``), as in sweep specs and the app;
    ``residents``, any key path (``behaviour__contact_gain=0.2``) and ``ignore_budget``
    are read as in :func:`resolve`. A count lever given a fraction is refused. A level is
    for the neighbourhoods the scenario describes (``population.represents`` residents each;
    the baseline's one of 15,000) and scaled to the residents run: at 3,000 residents, ``buddies=25`` deploys 5.

    >>> out = run_model("scenarios/baseline.toml", seed=1, weeks=4, residents=3000, burn_in_weeks=2, buddies=25)
    >>> 0 <= out["share_double"] <= 1, round(out["cost_levers_cumulative"])  # 5 buddies, 4 weeks
    (True, 769)
    """
    from .outcomes import end_state

    run = Run.of(scenario, seed=seed, weeks=weeks, ignore_budget=ignore_budget, **levers_and_keys)
    return end_state(simulate(run).timeseries)
