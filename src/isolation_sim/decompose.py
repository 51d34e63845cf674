"""Decomposition: what each lever of a strategy does alone, what the strategy loses
without it, and how much of the whole is more (or less) than its parts.

A strategy sets some levers; its reference (by default the file it ``extends``) sets
others or none. :func:`decompose` runs, with common random numbers (``compare.py``):

- ``all``: the strategy;
- ``alone:<lever>``: the reference with that one lever set as the strategy sets it;
- ``without:<lever>``: the strategy with that lever as the reference has it;

and holds each against the reference, replicate by replicate. A part is the strategy's
own setting of a lever: where the reference sets that lever too, ``alone:<lever>`` is the
reference with the strategy's setting, and ``without:<lever>`` the strategy with the
reference's. ``interaction`` is the strategy's effect minus the sum of the levers' effects
alone, computed within each replicate: zero when the levers only add up, above zero (for
an outcome that should rise) when they need each other, below zero when they get in each
other's way. It carries the noise of every part, so its interval is wide.

The seeds argue that stability and dynamics need each other (seed 000, 001). Where the
strategy sets levers of both families, two more parts answer that with less noise:
``family:stability`` and ``family:dynamics`` (the reference with only the strategy's
levers of that family) and ``interaction:families``, the strategy minus the two.

>>> from isolation_sim.decompose import levers_apart
>>> from isolation_sim.scenario import load_scenario
>>> levers_apart(load_scenario("scenarios/stability.toml"), load_scenario("scenarios/baseline.toml"))[:2]
['permanent_funding', 'presence_hours']
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .compare import Comparison, compare_prepared, levers_apart, prepare
from .levers import family_of_change
from .intervals import mean_interval
from .outcomes import KEY, fmt, fmt_interval, kind, label
from .scenario import Scenario, ScenarioError, extends_chain, load_scenario

ALL, INTERACTION, FAMILIES = "all", "interaction", "interaction:families"
OUTCOMES = KEY
HEADLINE = ("participation_rate", "share_double", "hortulanus_isolated", "lonely_share")  # in the figure and words


@dataclass
class Decomposition:
    """The runs of a decomposition and its table (``decomposition.csv``)."""

    strategy: str
    levers: list[str]
    comparison: Comparison
    table: pd.DataFrame


def swapped(base: Scenario, source: Scenario, names: list[str], label: str) -> Scenario:
    """``base`` with the levers ``names`` set as ``source`` sets them (left out where
    ``source`` does not set them), and no budget: a part costs what it costs."""
    levers = {k: v for k, v in base.steering.levers.items() if k not in names}
    levers |= {k: source.steering.levers[k] for k in names if k in source.steering.levers}
    settings = {k: v.model_dump() for k, v in levers.items()}
    changed = base.with_overrides(**{"steering.levers": settings, "steering.budget_per_year": None})
    return changed.model_copy(update={"name": label})


def family(name: str, strategy: Scenario, reference: Scenario) -> str:
    """The family of the strategy's change of a lever (``levers.family_of_change``)."""
    def level(s: Scenario) -> float:
        if name in s.steering.levers:
            return s.steering.levers[name].level
        return s.offer.contracted_share if name == "production_contracts" else 0.0
    return family_of_change(name, level(strategy), level(reference))


def families(levers: list[str], strategy: Scenario, reference: Scenario) -> list[str]:
    """The families (stability first, then dynamics) of the strategy's lever changes."""
    return sorted({family(n, strategy, reference) for n in levers}, reverse=True)


def default_reference(source: str | os.PathLike) -> Path:
    """The file a scenario file extends: the reference its levers are held against."""
    chain = extends_chain(source)
    if len(chain) < 2:
        raise ScenarioError(f"{source}: it extends no other file, so there is no default reference; "
                            "give one with --reference")
    return chain[1]


def decompose(source: Scenario | str | os.PathLike, *, reference: Scenario | str | os.PathLike | None = None,
              replicates: int = 10, seed: int | None = None, weeks: int | None = None, residents: int | None = None,
              workers: int = 2, dask: str | None = None, progress: Callable[[int], None] | None = None,
              outcomes: Sequence[str] = OUTCOMES) -> Decomposition:
    """Run the strategy, each of its levers alone and the strategy without each lever
    against the reference, ``replicates`` times with common random numbers."""
    if reference is None:
        if isinstance(source, Scenario):
            raise ScenarioError("a scenario given in Python needs its reference")
        reference = default_reference(source)
    _, (ref, strategy) = prepare([reference, source], weeks=weeks, residents=residents, seed=seed)
    levers = levers_apart(strategy, ref)
    if not levers:
        raise ScenarioError(f"{strategy.source or strategy.name}: sets no lever differently from its reference "
                            f"{ref.source or ref.name}: nothing to decompose")
    runs = [ref, strategy.model_copy(update={"name": ALL})]
    runs += [swapped(ref, strategy, [name], f"alone:{name}") for name in levers]
    runs += [swapped(strategy, ref, [name], f"without:{name}") for name in levers]
    sides = families(levers, strategy, ref)
    if len(sides) == 2:
        runs += [swapped(ref, strategy, [k for k in levers if family(k, strategy, ref) == side], f"family:{side}")
                 for side in sides]
    run_names = [f"reference:{ref.name}"] + [s.name for s in runs[1:]]
    cmp = compare_prepared(run_names, runs, replicates=replicates, seed=seed, workers=workers, dask=dask,
                           progress=progress)
    return Decomposition(strategy.name, levers, cmp, table(cmp, levers, outcomes))


def table(cmp: Comparison, levers: list[str], outcomes: Sequence[str] = OUTCOMES) -> pd.DataFrame:
    """``outcome, part, effect, ci_low, ci_high``: each part minus the reference, paired by
    replicate, and the interaction (all minus the sum of the alone effects)."""
    wide = cmp.ends.set_index(["scenario", "replicate"])[list(outcomes)].sort_index()
    base = wide.loc[cmp.reference]
    effect = {name: wide.loc[name] - base for name in cmp.names[1:]}
    effect[INTERACTION] = effect[ALL] - sum(effect[f"alone:{name}"] for name in levers)
    parts = [ALL, *(f"alone:{n}" for n in levers), *(f"without:{n}" for n in levers), INTERACTION]
    if "family:stability" in effect:
        effect[FAMILIES] = effect[ALL] - effect["family:stability"] - effect["family:dynamics"]
        parts += ["family:stability", "family:dynamics", FAMILIES]
    rows = []
    for outcome in outcomes:
        for part in parts:
            mean, low, high = mean_interval(effect[part][outcome].to_numpy(float))
            rows.append({"outcome": outcome, "part": part, "effect": mean, "ci_low": low, "ci_high": high})
    return pd.DataFrame(rows)


def in_words(result: Decomposition, outcome: str = "participation_rate") -> list[str]:
    """Paragraphs in plain words: the whole, the largest parts, what is lost without each
    lever, and whether the levers add up."""
    t = result.table[result.table["outcome"] == outcome].set_index("part")
    what = kind(outcome)

    def said(part: str) -> str:
        row = t.loc[part]
        return fmt_interval(row["effect"], row["ci_low"], row["ci_high"], what)

    alone = sorted(result.levers, key=lambda n: -abs(t.loc[f"alone:{n}", "effect"]))
    share = {n: t.loc[ALL, "effect"] - t.loc[f"without:{n}", "effect"] for n in result.levers}
    inter = t.loc[INTERACTION]
    if inter["ci_low"] > 0:
        verdict = "more than the sum of its levers alone: they strengthen each other"
    elif inter["ci_high"] < 0:
        verdict = "less than the sum of its levers alone: they get in each other's way"
    else:
        verdict = "about the sum of its levers alone: no interaction is distinguishable from none"
    ref = result.comparison.reference.removeprefix("reference:")
    families = []
    if FAMILIES in t.index:
        row = t.loc[FAMILIES]
        how = ("more than the two families alone" if row["ci_low"] > 0 else
               "less than the two families alone" if row["ci_high"] < 0 else
               "about what the two families give alone")
        families = [f"Its stability levers alone give {said('family:stability')}, its dynamics levers alone "
                    f"{said('family:dynamics')}; together they give {how} (interaction {said(FAMILIES)})."]
    return [
        f"{label(outcome).capitalize()}: the strategy '{result.strategy}' against '{ref}' gives {said(ALL)}.",
        "Alone, the levers give: " + "; ".join(f"{n} {said(f'alone:{n}')}" for n in alone) + ".",
        "Within the strategy, each lever adds (the strategy minus the strategy without it): "
        + "; ".join(f"{n} {fmt(share[n], what, signed=True)}" for n in alone) + ".",
        f"The whole is {verdict} (interaction {said(INTERACTION)}).",
        *families,
    ]


def write_decomposition(result: Decomposition, out_dir: str | os.PathLike) -> Path:
    """``decomposition.csv``, ``decomposition.png`` and ``report.md`` into ``out_dir``
    (nothing half-written)."""
    from . import plots
    from .files import write_folder

    figure = plots.decomposition(result.table, HEADLINE)

    def report(path: Path) -> None:
        cmp = result.comparison
        lines = [f"# Decomposition of '{result.strategy}'", "",
                 f"{len(cmp.seeds)} replicates (seeds {cmp.seeds[0]}-{cmp.seeds[-1]}), {cmp.residents:,} residents, "
                 f"{cmp.weeks} weeks; effects at the end (mean of the last quarter) against "
                 f"'{cmp.reference.removeprefix('reference:')}', paired by replicate, with 95% intervals.", ""]
        for outcome in HEADLINE:
            lines += [*in_words(result, outcome), ""]
        lines += ["![decomposition](decomposition.png)", ""]
        path.write_text("\n".join(lines), encoding="utf-8")

    files = {"decomposition.csv": lambda path: result.table.to_csv(path, index=False),
             "decomposition.png": lambda path: figure.savefig(path, dpi=120),
             "report.md": report}
    try:
        return write_folder(out_dir, files)
    finally:
        plots.plt.close(figure)
