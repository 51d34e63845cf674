"""Sensitivity indices of a finished sweep, computed by SALib.

Which index depends on the sampler the sweep used:

- ``sobol``: first-order (``S1``) and total-order (``ST``) Sobol' indices, each with the
  half-width of its 95% bootstrap interval (``S1_conf``, ``ST_conf``). ``S1`` is the share
  of the outcome's variance a parameter explains alone; ``ST`` adds what it explains
  together with others.
- ``morris``: ``mu_star`` (the mean absolute elementary effect, in the outcome's unit
  over the parameter's whole range, with ``mu_star_conf``) and ``sigma`` (how much the
  effect varies: interaction or non-linearity).
- ``lhs``: the first-order index ``S1`` by RBD-FAST, with ``S1_conf``.
- ``grid``: the first-order share ``S1`` of each parameter: the variance of the outcome's
  mean over the parameter's values, as a share of the outcome's variance.

Replicates of a point are averaged first. When lists and ranges are swept together, the
indices of the ranges are computed for each combination of the listed values.

>>> import tempfile
>>> from isolation_sim.sweep import load_sweep, run_sweep
>>> folder = tempfile.mkdtemp()
>>> _ = run_sweep(load_sweep("scenarios/sweeps/levers_morris.toml", samples=2, residents=300, weeks=3,
...                          burn_in_weeks=1), folder, workers=1)
>>> result = analyse(folder)
>>> result.method, sorted(result.indices.columns)[:4]
('morris', ['mu', 'mu_star', 'mu_star_conf', 'outcome'])
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import ValidationError

from .scenario import ScenarioError
from .sweep_design import problem
from .sweep_spec import SweepSpec
from .sweep_store import check_run_files, done_runs, read_design, read_manifest, read_runs

RANKED_BY = {"sobol": "ST", "morris": "mu_star", "lhs": "S1", "grid": "S1"}
COLUMNS = {"sobol": ("S1", "S1_conf", "ST", "ST_conf"), "morris": ("mu_star", "mu_star_conf", "sigma", "mu"),
           "lhs": ("S1", "S1_conf"), "grid": ("S1",)}
RESAMPLES = 1000  # bootstrap resamples for the confidence intervals
FIGURES = "indices-*.png"  # one figure per outcome: indices-<outcome>.png
FILES = ("indices.csv", "points.csv", FIGURES)  # what write_analysis writes


@dataclass
class Analysis:
    """The indices of a sweep, and the points they come from.

    ``indices`` has one row per outcome and parameter (and combination of listed values,
    when ranges and lists were swept together); ``points`` one row per point of the
    design: its parameters and the outcomes' end state, averaged over its replicates.
    """

    name: str
    method: str
    parameters: list[str]   # the parameters the indices are for
    by: list[str]           # listed parameters the indices are computed within
    outcomes: list[str]
    indices: pd.DataFrame
    points: pd.DataFrame

    @property
    def ranked_by(self) -> str:
        return RANKED_BY[self.method]

    def most_important(self, outcome: str) -> str:
        """The parameter with the largest index for ``outcome`` (over all combinations)."""
        rows = self.indices[self.indices["outcome"] == outcome]
        return str(rows.loc[rows[self.ranked_by].fillna(-np.inf).idxmax(), "parameter"])


def analyse(folder: str | os.PathLike) -> Analysis:
    """The sensitivity indices of the sweep in ``folder`` (every run must be done)."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    try:
        spec = SweepSpec.model_validate(manifest["spec"])
    except (KeyError, ValidationError) as exc:
        raise ScenarioError(f"{folder}: its manifest holds no valid sweep spec ({exc})") from None
    total, fingerprint = manifest["runs_total"], manifest["fingerprint"]
    done = done_runs(folder, total)
    if missing := total - len(done):
        raise ScenarioError(f"{folder}: {missing} of {total} runs are not done (or failed); run the sweep again "
                            f"with the same spec and --out {folder} to finish it")
    check_run_files(folder, fingerprint, total, done)  # a file of another sweep is never analysed
    frame = read_runs(folder, total, filters=[("kept", "==", "end")])
    outcomes = list(spec.keep.outcomes)
    names = list(spec.parameters)
    points = frame.groupby("point", sort=True)[names + outcomes].mean().reset_index()
    method = spec.sweep.sampler
    by = list(spec.listed) if method != "grid" else []
    analysed = list(spec.sampled) if method != "grid" else names
    rows = []
    cells = points.groupby(by, sort=False) if by else [((), points)]
    drawn = read_design(folder, fingerprint, analysed).to_numpy(float)  # checked on a grid too
    for key, cell in cells:
        key = key if isinstance(key, tuple) else (key,)
        for outcome in outcomes:
            y = cell[outcome].to_numpy(float)
            found = _grid(cell, names, outcome) if method == "grid" else \
                _salib(spec, drawn[: len(y)], y)  # each cell ran the whole sample, in its order
            for parameter, values in found.items():
                rows.append({**dict(zip(by, key)), "outcome": outcome, "parameter": parameter, **values})
    indices = pd.DataFrame(rows, columns=[*by, "outcome", "parameter", *COLUMNS[method]])
    return Analysis(spec.sweep.name, method, analysed, by, outcomes, indices, points)


def _salib(spec: SweepSpec, x: np.ndarray, y: np.ndarray) -> dict[str, dict[str, float]]:
    """SALib's indices for one outcome ``y`` over the sample ``x`` (SALib's order)."""
    from SALib.analyze import morris, rbd_fast, sobol

    prob, s = problem(spec), spec.sweep
    names = prob["names"]
    if not np.isfinite(y).all() or np.ptp(y) == 0:  # the outcome does not vary: nothing to apportion
        return {name: dict.fromkeys(COLUMNS[s.sampler], np.nan) for name in names}
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore")
        if s.sampler == "sobol":
            found = sobol.analyze(prob, y, calc_second_order=s.second_order, num_resamples=RESAMPLES, seed=s.seed)
        elif s.sampler == "morris":
            found = morris.analyze(prob, x, y, num_resamples=RESAMPLES, num_levels=s.levels, seed=s.seed)
        else:
            harmonics = max(1, min(10, len(y) // 8))  # RBD-FAST needs many more points than harmonics
            found = rbd_fast.analyze(prob, x, y, M=harmonics, num_resamples=RESAMPLES, seed=s.seed)
    return {name: {c: float(np.asarray(found[c])[i]) for c in COLUMNS[s.sampler]} for i, name in enumerate(names)}


def _grid(points: pd.DataFrame, names: list[str], outcome: str) -> dict[str, dict[str, float]]:
    """First-order shares on a full factorial: Var(E[Y | X_i]) / Var(Y)."""
    total = points[outcome].var(ddof=0)
    return {name: {"S1": float(points.groupby(name)[outcome].mean().var(ddof=0) / total) if total > 0 else np.nan}
            for name in names}


def write_analysis(analysis: Analysis, out: str | os.PathLike) -> list[str]:
    """``indices.csv``, ``points.csv`` and one figure per outcome, as the folder ``out`` (the
    old folder or the new one, whole); returns the file names."""
    from .plots import sensitivity
    from .files import write_folder

    files = {
        "indices.csv": lambda path: analysis.indices.to_csv(path, index=False),
        "points.csv": lambda path: analysis.points.to_csv(path, index=False),
    }
    for outcome in analysis.outcomes:
        files[f"indices-{outcome}.png"] = (lambda path, o=outcome: sensitivity(analysis, o).savefig(path, dpi=130))
    write_folder(out, files, replaces=(FIGURES,))  # figures of outcomes analysed before go too
    return list(files)
