"""What-if comparison: several scenarios, run side by side with common random numbers.

Replicate ``i`` of every scenario runs with the same seed (``seed + i``), and every random
process draws from its own stream (``streams.py``). Two scenarios that differ in one
lever therefore differ, replicate by replicate, mostly by what that lever does, and the
difference between them is measured *within* each replicate: a paired difference, with a
95% t-interval over the replicates. That interval is much narrower than the one from two
independent sets of runs, and it is exactly zero when a scenario is compared with itself.

The first scenario is the reference; every other one is held against it. "At the end"
means the last :data:`END_WEEKS` weeks (a quarter): their mean, so that one week's chance
does not decide; costs are what was spent by the last week.

>>> from isolation_sim.compare import compare, differences
>>> cmp = compare(["scenarios/baseline.toml", "scenarios/baseline.toml"], replicates=2,
...               residents=300, weeks=4, burn_in_weeks=2, workers=1)
>>> cmp.names
['baseline', 'baseline (2)']
>>> diff = differences(cmp, ["share_double"])
>>> diff[["mean_diff", "ci_low", "ci_high"]].to_numpy().tolist()
[[0.0, 0.0, 0.0]]
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .changes import resolve
from .levers import LEVERS, cost_factor
from .intervals import mean_interval
from .outcomes import END_WEEKS, GROUP_OUTCOMES, KEY, OUTCOMES, by_group, end_state
from .population import DOUBLE
from .run import Observer, Run, simulate_many
from .scenario import Scenario, ScenarioError, load_scenario

DOUBLE_COUNT = "residents_double"  # residents in double isolation (in ``Comparison.ends``)
TAKING_PART = "residents_taking_part"  # residents taking part in an activity (in ``Comparison.ends``)
COST_OF = "cost:"  # ``Comparison.ends``: what each lever cost over the run, ``cost:<lever>``
ENDS = ("low", "high")  # the ends of the unit costs' range (docs/costs.md)


@dataclass
class Comparison:
    """Every replicate of every scenario, and what is needed to compare them.

    ``runs`` has one row per scenario, replicate and week (the columns of
    ``timeseries.csv``); ``groups`` one row per scenario, replicate and group of
    residents at the end (:func:`outcomes.by_group`); ``ends`` one row per scenario and
    replicate with the end state (:func:`end_state`) and the residents who left double
    isolation.
    """

    names: list[str]
    scenarios: list[Scenario]
    seeds: list[int]
    runs: pd.DataFrame
    groups: pd.DataFrame
    ends: pd.DataFrame
    seconds: float

    @property
    def reference(self) -> str:
        return self.names[0]

    @property
    def weeks(self) -> int:
        return int(self.runs["week"].max())

    @property
    def residents(self) -> int:
        return int(self.runs["residents"].iloc[0])


def prepare(sources: Sequence[Scenario | str | os.PathLike], *, weeks: int | None = None,
            residents: int | None = None, **overrides) -> tuple[list[str], list[Scenario]]:
    """Load and check every scenario before anything runs: the first bad file stops it
    all with its :class:`ScenarioError`. All run the same weeks (``weeks``, else the
    first scenario's) and must share their burn-in and population, so that replicate
    ``i`` is the same residents in each; names are made unique."""
    if len(sources) < 2:
        raise ScenarioError("compare needs at least two scenarios: the reference first, then the others")
    given = {"weeks": weeks, "residents": residents, **overrides}
    resolve(given)  # a setting given twice is refused
    scenarios = [_loaded(s, given) for s in sources[:1]]
    given["weeks"] = weeks if weeks is not None else scenarios[0].weeks
    scenarios += [_loaded(s, given) for s in sources[1:]]
    first = scenarios[0]
    for s in scenarios[1:]:
        for key in ("burn_in_weeks", "population", "groups"):
            if getattr(s, key) != getattr(first, key):
                raise ScenarioError(
                    f"{s.source or s.name}: its {key} differs from that of {first.source or first.name}; "
                    "a comparison pairs the same residents in every scenario, so only steering, offer, buddies "
                    "and behaviour may differ (--residents sets one size for all)")
    names: list[str] = []
    for s in scenarios:
        name, n = s.name, 2
        while name in names:
            name, n = f"{s.name} ({n})", n + 1
        names.append(name)
    return names, scenarios


def _loaded(source: Scenario | str | os.PathLike, given: dict) -> Scenario:
    """A scenario with the changes ``given`` (a file's loaded with them, so that a bad
    one names its flag, ``--weeks``, and not the file)."""
    if isinstance(source, Scenario):
        return source.with_overrides(**resolve(given))
    return load_scenario(source, overrides=given)


@dataclass
class GroupsAtEnd(Observer):
    """Observer: each group of residents (:func:`outcomes.by_group`) over the last
    :data:`END_WEEKS` weeks, their mean, and the residents who left double isolation
    since week 0."""

    name: str = "groups"

    def start(self, model) -> None:
        self.at_week0 = model.people.isolation.copy()
        self.weekly: list[pd.DataFrame] = []

    def step(self, model) -> None:
        if model.week > model.params.weeks - min(END_WEEKS, model.params.weeks):
            self.weekly.append(pd.DataFrame(by_group(model, self.at_week0)))

    def result(self, model) -> tuple[list[dict], dict]:
        groups = pd.concat(self.weekly).groupby(["by", "group"], sort=False).mean().reset_index().to_dict("records")
        double_now = model.people.isolation == DOUBLE
        extras = {"double_at_week0": int(np.count_nonzero(self.at_week0 == DOUBLE)),
                  "left_double": int(np.count_nonzero((self.at_week0 == DOUBLE) & ~double_now)),
                  **{f"{COST_OF}{lever}": model.costs.get(lever, 0.0) for lever in LEVERS}}
        return groups, extras


def compare(sources: Sequence[Scenario | str | os.PathLike], *, replicates: int = 10, seed: int | None = None,
            weeks: int | None = None, residents: int | None = None, workers: int = 2, dask: str | None = None,
            progress: Callable[[int], None] | None = None, **overrides) -> Comparison:
    """Run ``replicates`` replicates of every scenario, replicate ``i`` with seed
    ``seed + i`` in all of them (``seed``: the first scenario's seed when not given), on
    ``workers`` local processes or the Dask scheduler at ``dask``.
    ``overrides`` (any dialect of :func:`changes.resolve`) apply to every scenario."""
    names, scenarios = prepare(sources, weeks=weeks, residents=residents, **overrides)
    return compare_prepared(names, scenarios, replicates=replicates, seed=seed, workers=workers, dask=dask,
                            progress=progress)


def compare_prepared(names: list[str], scenarios: list[Scenario], *, replicates: int = 10, seed: int | None = None,
                     workers: int = 2, dask: str | None = None,
                     progress: Callable[[int], None] | None = None) -> Comparison:
    """:func:`compare` of scenarios that :func:`prepare` has checked and named."""
    if replicates < 2:
        raise ScenarioError(f"--replicates {replicates}: an interval needs at least 2 replicates")
    start = scenarios[0].seed if seed is None else seed
    seeds = [start + i for i in range(replicates)]
    keys = [{"scenario": name, "replicate": i, "seed": sd} for i, sd in enumerate(seeds) for name in names]
    jobs = [Run(s, sd) for sd in seeds for s in scenarios]
    started = time.perf_counter()
    records = simulate_many(jobs, [GroupsAtEnd()], workers=workers, dask=dask, progress=progress)
    seconds = time.perf_counter() - started

    runs, groups, ends = [], [], []
    for key, record in zip(keys, records):
        frame, (rows, extras) = record.timeseries, record["groups"]
        runs.append(frame.assign(**key))
        groups += [{**key, **row} for row in rows]
        ends.append({**key, **end_state(frame), **extras})
    order = ["scenario", "replicate", "seed"]
    runs = pd.concat(runs, ignore_index=True)
    runs = runs[order + [c for c in runs.columns if c not in order]]
    ends = pd.DataFrame(ends)
    ends[DOUBLE_COUNT] = ends["share_double"] * ends["residents"]
    ends[TAKING_PART] = ends["participation_rate"] * ends["residents"]
    for end in ENDS:  # the whole run's cost with every lever at the low or the high unit cost
        ends[f"cost_cumulative_{end}"] = ends["cost_support_cumulative"] + sum(
            cost_factor(lever, end) * ends[f"{COST_OF}{lever}"] for lever in LEVERS)
    return Comparison(names, scenarios, seeds, runs, pd.DataFrame(groups), ends, seconds)


def _paired(table: pd.DataFrame, reference: str, others: list[str], index: list[str],
            outcomes: Sequence[str]) -> pd.DataFrame:
    """Paired differences against ``reference`` for each row key of ``index`` (replicate
    first) and outcome; one row per key (without replicate), outcome and scenario."""
    keys = [k for k in index if k != "replicate"]
    wide = table.set_index(["scenario", *index])[list(outcomes)].sort_index()
    base = wide.loc[reference]
    rows = []
    for name in others:
        diff = (wide.loc[name] - base).reset_index()
        for outcome in outcomes:
            groups = diff.groupby(keys, sort=False)[outcome] if keys else [((), diff[outcome])]
            for key, values in groups:
                key = key if isinstance(key, tuple) else (key,)
                mean, low, high = mean_interval(values.to_numpy())
                rows.append({**dict(zip(keys, key)), "outcome": outcome, "scenario": name,
                             "mean_diff": mean, "ci_low": low, "ci_high": high})
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------- what the report says
def levels(cmp: Comparison, outcomes: Sequence[str] = KEY) -> pd.DataFrame:
    """Each scenario's end value of each outcome: mean over replicates and its interval."""
    rows = []
    for name in cmp.names:
        ends = cmp.ends[cmp.ends["scenario"] == name]
        for outcome in outcomes:
            values = ends[outcome].to_numpy(float)
            mean, low, high = mean_interval(values)
            rows.append({"outcome": outcome, "scenario": name, "mean": mean, "ci_low": low, "ci_high": high})
    return pd.DataFrame(rows)


def differences(cmp: Comparison, outcomes: Sequence[str] = OUTCOMES) -> pd.DataFrame:
    """At the end (:func:`end_state`): each scenario minus the reference, per outcome (the columns of
    ``differences.csv``: ``outcome, scenario, mean_diff, ci_low, ci_high``)."""
    return _paired(cmp.ends, cmp.reference, cmp.names[1:], ["replicate"], outcomes)


def differences_over_time(cmp: Comparison, outcomes: Sequence[str] = KEY) -> pd.DataFrame:
    """Week by week: each scenario minus the reference, per outcome."""
    frame = _paired(cmp.runs, cmp.reference, cmp.names[1:], ["replicate", "week"], outcomes)
    return frame[["week", "outcome", "scenario", "mean_diff", "ci_low", "ci_high"]]


def who_gains(cmp: Comparison, outcomes: Sequence[str] = GROUP_OUTCOMES) -> pd.DataFrame:
    """At the end, per vulnerability group and per isolation type at week 0: each
    scenario minus the reference, with the group's size and the reference's level."""
    frame = _paired(cmp.groups, cmp.reference, cmp.names[1:], ["replicate", "by", "group"], outcomes)
    ref = cmp.groups[cmp.groups["scenario"] == cmp.reference]
    base = ref.groupby(["by", "group"], sort=False).agg(residents=("residents", "mean"),
                                                        **{f"ref_{o}": (o, "mean") for o in outcomes})
    frame = frame.merge(base.reset_index(), on=["by", "group"], how="left")
    frame["reference"] = [row[f"ref_{row['outcome']}"] for _, row in frame.iterrows()]
    return frame.drop(columns=[f"ref_{o}" for o in outcomes])


def cost_effectiveness(cmp: Comparison) -> pd.DataFrame:
    """Per scenario: the cost over the run (levers, professional support), residents in
    double isolation at the end, and those who left it; against the reference, the extra
    cost, the residents moved out of double isolation (fewer in it at the end) and the
    residents taking part in addition, and the extra cost per resident moved out and per
    extra resident taking part, where that number is above zero beyond doubt. Each cost
    also at the low and the high unit costs of ``docs/costs.md`` (``_at_low``, ``_at_high``;
    the ``_low`` and ``_high`` of a gain are its 95% interval)."""
    years = cmp.weeks / 52.0
    totals = ["cost_cumulative", *(f"cost_cumulative_{end}" for end in ENDS)]
    outcomes = ["cost_levers_cumulative", "cost_support_cumulative", *totals, DOUBLE_COUNT, "left_double"]
    mean = cmp.ends.groupby("scenario", sort=False)[outcomes].mean()
    paired = _paired(cmp.ends.assign(moved=-cmp.ends[DOUBLE_COUNT], more=cmp.ends[TAKING_PART]), cmp.reference,
                     cmp.names, ["replicate"], ["moved", "more", *totals]).set_index(["scenario", "outcome"])
    rows = []
    for name in cmp.names:
        out, more = paired.loc[(name, "moved")], paired.loc[(name, "more")]
        row = {
            "scenario": name,
            "cost_total": mean.loc[name, "cost_cumulative"],
            "cost_levers": mean.loc[name, "cost_levers_cumulative"],
            "cost_support": mean.loc[name, "cost_support_cumulative"],
            "cost_per_year": mean.loc[name, "cost_cumulative"] / years,
            "cost_per_year_at_low": mean.loc[name, "cost_cumulative_low"] / years,
            "cost_per_year_at_high": mean.loc[name, "cost_cumulative_high"] / years,
            "levers_per_year": mean.loc[name, "cost_levers_cumulative"] / years,
            "support_per_year": mean.loc[name, "cost_support_cumulative"] / years,
            "double_at_end": mean.loc[name, DOUBLE_COUNT],
            "left_double": mean.loc[name, "left_double"],
            "moved_out": out["mean_diff"], "moved_out_low": out["ci_low"], "moved_out_high": out["ci_high"],
            "taking_part_more": more["mean_diff"], "taking_part_more_low": more["ci_low"],
            "taking_part_more_high": more["ci_high"],
        }
        for total, suffix in zip(totals, ("", "_at_low", "_at_high")):
            extra = paired.loc[(name, total), "mean_diff"]
            row[f"extra_cost{suffix}"] = extra
            for gain, column in ((out, "cost_per_resident_moved_out"), (more, "cost_per_extra_participant")):
                clear = name != cmp.reference and gain["ci_low"] > 0 and extra > 0
                row[f"{column}{suffix}"] = extra / gain["mean_diff"] if clear else float("nan")
        rows.append(row)
    return pd.DataFrame(rows)


def ranking(costs: pd.DataFrame, column: str = "cost_per_extra_participant") -> dict[str, list[str]]:
    """The scenarios with a clear gain, cheapest per unit of gain first, at the central,
    low and high unit costs (``central``, ``low``, ``high``): whether the cost range can
    change which strategy is the better buy."""
    order = {}
    for end, suffix in (("central", ""), ("low", "_at_low"), ("high", "_at_high")):
        known = costs.dropna(subset=[f"{column}{suffix}"])
        order[end] = known.sort_values(f"{column}{suffix}", kind="stable")["scenario"].tolist()
    return order


def levers_apart(scenario: Scenario, reference: Scenario) -> list[str]:
    """The levers a scenario sets differently from the reference, in the levers' order."""
    mine, theirs = scenario.steering.levers, reference.steering.levers
    return [name for name in LEVERS if mine.get(name) != theirs.get(name)]


def mixes(cmp: Comparison, outcomes: Sequence[str] = KEY) -> pd.DataFrame:
    """Each scenario that mixes two others held against them: its levers are all among
    theirs, some from each, and the two share none (pure strategies). Per outcome, the
    mix minus each and minus their mean, paired by replicate (``outcome, scenario,
    against, mean_diff, ci_low, ci_high``; empty when no scenario mixes two others)."""
    ref = cmp.scenarios[0]
    apart = {n: set(levers_apart(s, ref)) for n, s in zip(cmp.names, cmp.scenarios)}
    wide = cmp.ends.set_index(["scenario", "replicate"])[list(outcomes)].sort_index()
    rows = []
    others = cmp.names[1:]
    for mix in others:
        for i, a in enumerate(others):
            for b in others[i + 1:]:
                if mix in (a, b) or apart[a] & apart[b] or not apart[mix] <= apart[a] | apart[b]:
                    continue
                if not (apart[mix] & apart[a] and apart[mix] & apart[b]):
                    continue
                m = wide.loc[mix]
                for against, value in ((a, wide.loc[a]), (b, wide.loc[b]),
                                       (f"mean of {a} and {b}", (wide.loc[a] + wide.loc[b]) / 2)):
                    for outcome in outcomes:
                        mean, low, high = mean_interval((m[outcome] - value[outcome]).to_numpy(float))
                        rows.append({"outcome": outcome, "scenario": mix, "against": against,
                                     "mean_diff": mean, "ci_low": low, "ci_high": high})
    return pd.DataFrame(rows, columns=["outcome", "scenario", "against", "mean_diff", "ci_low", "ci_high"])
