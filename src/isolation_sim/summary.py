"""What a report needs from one run: the start, the end, the last year and the costs; and
the files ``isolation-sim run`` writes.

>>> from isolation_sim.run import run_scenario
>>> result = run_scenario("scenarios/baseline.toml", residents=300, weeks=4, burn_in_weeks=2)
>>> result.timeseries["week"].iloc[-1], result.summary["scenario"], result.summary["weeks"]
(np.int64(4), 'baseline', 4)
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import __version__
from .files import write_folder
from .outcomes import COLUMNS
from .run import Observer
from .scenario import GROUPS, Scenario


FILES = ("timeseries.csv", "summary.json", "overview.png")  # what write_outputs writes


class Totals(Observer):
    """Observer: the population by group and the costs by item, at the end of a run."""

    name = "totals"

    def result(self, model) -> dict:
        groups = np.bincount(model.people.group, minlength=len(GROUPS)) / model.people.n
        return {"population": {g: round(float(x), 6) for g, x in zip(GROUPS, groups)},
                "cost_by_item": {k: round(v, 2) for k, v in sorted(model.costs.items())}}


@dataclass
class RunResult:
    """One run for a reader: the scenario as run, its time series, its summary and the model."""

    scenario: Scenario
    timeseries: pd.DataFrame
    summary: dict
    model: object


def _clean(value) -> float | None:
    value = float(value)
    return None if np.isnan(value) else round(value, 6)


def summarise(record) -> dict:
    """The summary of a :class:`~isolation_sim.run.Record` kept with :class:`Totals`."""
    s, frame = record.scenario, record.timeseries
    last_year = frame[frame["week"] > frame["week"].max() - 52]
    columns = [c for c in COLUMNS if c != "week"]
    totals = record["totals"]
    return {
        "scenario": s.name,
        "description": s.description,
        "source": s.source,
        "version": __version__,
        "seed": s.seed,
        "residents": s.population.residents,
        "neighbourhoods": s.population.neighbourhoods,
        "weeks": int(frame["week"].max()),
        "burn_in_weeks": s.burn_in_weeks,
        "build_seconds": round(record.build_seconds, 3),
        "run_seconds": round(record.seconds, 3),
        "population": totals["population"],
        "start": {c: _clean(frame[c].iloc[0]) for c in columns},
        "end": {c: _clean(frame[c].iloc[-1]) for c in columns},
        "last_year_mean": {c: _clean(last_year[c].mean()) for c in columns},
        "cost_by_item": totals["cost_by_item"],
    }


def write_outputs(result: RunResult, out_dir: str | os.PathLike) -> Path:
    """Write :data:`FILES` (``timeseries.csv``, ``summary.json`` and ``overview.png``) as the
    folder ``out_dir`` (the old folder or the new one, whole: :func:`files.write_folder`)."""
    from .plots import overview

    return write_folder(out_dir, dict(zip(FILES, (
        lambda path: result.timeseries.to_csv(path, index=False),
        lambda path: path.write_text(json.dumps(result.summary, indent=2) + "\n", encoding="utf-8"),
        lambda path: overview(result.timeseries, result.summary).savefig(path, dpi=120),
    ))))
