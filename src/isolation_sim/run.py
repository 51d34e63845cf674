"""One run API for the command line, the app, notebooks and sweeps.

>>> from isolation_sim.run import run_scenario
>>> result = run_scenario("scenarios/baseline.toml", residents=300, weeks=4, burn_in_weeks=2)
>>> result.timeseries["week"].iloc[-1], result.summary["scenario"]
(np.int64(4), 'baseline')
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import __version__
from .model import IsolationModel
from .outcomes import COLUMNS
from .scenario import GROUPS, Scenario, load_scenario


@dataclass
class RunResult:
    scenario: Scenario
    timeseries: pd.DataFrame
    summary: dict
    model: IsolationModel


def run_scenario(scenario: Scenario | str | os.PathLike, *, progress: Callable[[int], None] | None = None,
                 **overrides) -> RunResult:
    """Build the model for ``scenario`` (with ``overrides``), run it, and summarise."""
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario, overrides=overrides)
    elif overrides:
        scenario = scenario.with_overrides(**{("population.residents" if k == "residents" else k): v
                                              for k, v in overrides.items() if v is not None})
    started = time.perf_counter()
    model = IsolationModel(scenario)
    built = time.perf_counter() - started
    model.run(progress=progress)
    frame = model.timeseries()
    seconds = time.perf_counter() - started
    return RunResult(scenario, frame, summarise(model, frame, built, seconds), model)


def summarise(model: IsolationModel, frame: pd.DataFrame, build_seconds: float, seconds: float) -> dict:
    """What a report needs from one run: the start, the end, the last year and the costs."""
    s = model.params
    last_year = frame[frame["week"] > frame["week"].max() - 52]

    def clean(value):
        value = float(value)
        return None if np.isnan(value) else round(value, 6)

    groups = np.bincount(model.people.group, minlength=len(GROUPS)) / model.people.n
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
        "build_seconds": round(build_seconds, 3),
        "run_seconds": round(seconds, 3),
        "population": {g: round(float(x), 6) for g, x in zip(GROUPS, groups)},
        "start": {c: clean(frame[c].iloc[0]) for c in COLUMNS if c != "week"},
        "end": {c: clean(frame[c].iloc[-1]) for c in COLUMNS if c != "week"},
        "last_year_mean": {c: clean(last_year[c].mean()) for c in COLUMNS if c != "week"},
        "cost_by_item": {k: round(v, 2) for k, v in sorted(model.costs.items())},
    }


def write_outputs(result: RunResult, out_dir: str | os.PathLike) -> Path:
    """Write ``timeseries.csv``, ``summary.json`` and ``overview.png`` into ``out_dir``
    (atomically: see :func:`write_atomically`)."""
    from .plots import overview

    return write_atomically(out_dir, {
        "timeseries.csv": lambda path: result.timeseries.to_csv(path, index=False),
        "summary.json": lambda path: path.write_text(json.dumps(result.summary, indent=2) + "\n", encoding="utf-8"),
        "overview.png": lambda path: overview(result.timeseries, result.summary).savefig(path, dpi=120),
    })


def write_atomically(out_dir: str | os.PathLike, writers: dict[str, Callable[[Path], object]]) -> Path:
    """Write each file ``name`` with ``writers[name](path)`` into ``out_dir``.

    Files are written in a temporary folder next to ``out_dir`` and moved in place only
    when all are complete, so an interrupted run leaves nothing half-written.
    """
    import matplotlib.pyplot as plt  # matplotlib only when a picture is wanted

    out = Path(out_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        for name, write in writers.items():
            write(tmp / name)
            plt.close("all")
        out.mkdir(exist_ok=True)
        for item in tmp.iterdir():
            os.replace(item, out / item.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out
