"""Fitting the free parameters to the Dutch figures: approximate Bayesian computation.

The parameters in :data:`FREE` are the ones the figures of :mod:`validation` say most
about; each has a plausible range. :func:`calibrate` does approximate Bayesian computation
by rejection, in rounds:

1. it draws ``samples`` points from a scrambled Latin hypercube over the ranges
   (``scipy.stats.qmc``), so every range is covered evenly;
2. it runs each point once, all on the same seed (common random numbers: the points
   differ only in their parameters), to the scenario's horizon, and measures the first
   year after the burn-in and the last year of the horizon (the first year only when the
   horizon is shorter than two years);
3. it scores each point by its :func:`distance` to the targets over both years (and by
   how far it moves between them) and keeps the closest share ``accept``;
4. the next round samples the box those points span, a tenth wider each side. The points
   kept in the last round are the approximate posterior: their spread says how well the
   figures pin each parameter down (within the last round's box, so it is not a formal
   posterior over the whole range);
5. it runs the ``best`` closest points of all rounds again on ``seeds`` other seeds and
   chooses the one with the smallest distance of the mean.

:func:`write_fitted` writes the chosen values into a scenario file, keeping its layout
and comments.

>>> middle, high = {t.column: t.middle for t in FITTED}, {t.column: t.high for t in FITTED}
>>> round(distance(middle), 3), round(distance(high), 3), round(distance(high, high), 3)
(0.0, 1.0, 0.816)
>>> round(distance(middle, high), 3)  # in band in both years, but moving from middle to edge
1.291
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import tomlkit
from scipy.stats import qmc

from .errors import ScenarioError
from .files import write_text
from .scenario_files import where_set
from .validation import FITTED, check_many


@dataclass(frozen=True)
class Free:
    key: str      # dotted path in a scenario file
    low: float
    high: float
    meaning: str


FREE = (
    Free("behaviour.loneliness_base", 0.0, 0.1, "loneliness everyone has, as a share of the scale"),
    Free("behaviour.loneliness_network", 0.3, 0.8, "loneliness from lacking good ties"),
    Free("behaviour.loneliness_trait", 2.5, 6.0, "spread of the lasting disposition (points)"),
    Free("behaviour.loneliness_noise", 0.1, 1.0, "weekly ups and downs (points)"),
    Free("behaviour.loneliness_contagion", 0.0, 0.4, "loneliness caught from lonely contacts"),
    Free("behaviour.loneliness_place", 0.5, 0.98, "share of the disposition shared by place"),
    Free("population.family_nearby", 0.4, 1.0, "share of family living close by"),
    Free("population.ties_follow_disposition", 0.0, 0.8, "how far the starting friends follow the disposition"),
    Free("behaviour.contact_chance.family", 0.4, 0.9, "weekly contact chance, family"),
    Free("behaviour.contact_chance.friend", 0.3, 0.8, "weekly contact chance, friends"),
    Free("behaviour.lonely_withdrawal", 0.05, 0.6, "how far lonely residents withdraw from ties"),
)


def distance(*periods: dict[str, float]) -> float:
    """How far a run lies from the targets: the root mean square, over the targets fitted
    and the periods given (each a dict of values: the first year, the last year), of
    (simulated - middle of the band) / half the band's width. 0 is every target's middle;
    at most 1 on every term means every value lies in its band.

    Given two periods, the mean square also runs over each target's change from the first
    year to the last, over a quarter of the band's width (:func:`drift`): the baseline is
    the reference every what-if is read against, so it must hold still, and a point that
    lands in its bands in both years by passing through them scores worse than one that
    stays (at most 1 on these terms: a change of at most a quarter of the band)."""
    scaled = [(values[t.column] - t.middle) / ((t.high - t.low) / 2) for values in periods for t in FITTED]
    if len(periods) == 2:
        scaled += drift(*periods)
    return float(np.sqrt(np.mean(np.square(scaled))))


def drift(first: dict[str, float], last: dict[str, float]) -> list[float]:
    """Per target fitted, the change from ``first`` to ``last`` over a quarter of the band's
    width: 1 is a change of 1 point in the share socially isolated (band 4-8%), 2 points
    in the share lonely (44-52%), 5 points in the contagion gradient (20 points wide).

    >>> low, high = {t.column: t.low for t in FITTED}, {t.column: t.high for t in FITTED}
    >>> drift(low, high)[0], drift(low, low)[0]
    (4.0, 0.0)
    """
    return [(last[t.column] - first[t.column]) / ((t.high - t.low) / 4) for t in FITTED]


def by_period(runs: pd.DataFrame) -> list[pd.DataFrame]:
    """The rows of :func:`validation.check_many` split by period (the first year, then the
    last year where there is one), each with one row a job in the order of the jobs."""
    if "period" not in runs:
        return [runs.reset_index(drop=True)]
    return [part.reset_index(drop=True) for _, part in runs.groupby("period", sort=False)]


def _distances(periods: list[pd.DataFrame]) -> list[float]:
    return [distance(*rows) for rows in zip(*(part.to_dict("records") for part in periods))]


def _fitted_columns(periods: list[pd.DataFrame]) -> pd.DataFrame:
    """The fitted patterns of each job, the last year's with the suffix ``_last``."""
    return pd.concat([part[[t.column for t in FITTED]].add_suffix("" if k == 0 else "_last")
                      for k, part in enumerate(periods)], axis=1)


def sample(samples: int, seed: int, low=None, high=None) -> pd.DataFrame:
    """``samples`` points of a scrambled Latin hypercube over the ranges of :data:`FREE`
    (or over ``low``..``high``)."""
    low = [f.low for f in FREE] if low is None else low
    high = [f.high for f in FREE] if high is None else high
    unit = qmc.LatinHypercube(d=len(FREE), rng=np.random.default_rng(seed)).random(samples)
    return pd.DataFrame(qmc.scale(unit, low, high), columns=[f.key for f in FREE])


def _scenarios(scenario, points: pd.DataFrame) -> list:
    return [scenario.with_overrides(**{k: float(v) for k, v in row.items()}) for _, row in points.iterrows()]


@dataclass
class Fit:
    samples: pd.DataFrame    # every point: its parameters, what it gave, its distance
    posterior: pd.DataFrame  # per parameter: mean and 5-95% range of the accepted points
    rechecked: pd.DataFrame  # the best points on several seeds: parameters and mean distance
    chosen: dict[str, float]


def calibrate(scenario, samples: int = 300, rounds: int = 2, accept: float = 0.1, best: int = 6, seeds: int = 4,
              seed: int = 1, workers: int = 2, progress=None, dask: str | None = None) -> Fit:
    """ABC rejection sampling of :data:`FREE` against the targets (see the module)."""
    keys = [f.key for f in FREE]
    low, high = np.array([f.low for f in FREE]), np.array([f.high for f in FREE])
    tables, done = [], 0

    def counted(start):
        return None if progress is None else (lambda finished: progress(start + finished))

    for round_ in range(rounds):
        points = sample(samples, seed + round_, low, high)
        periods = by_period(check_many([(s, seed) for s in _scenarios(scenario, points)], workers, counted(done),
                                       dask, last_year=True))
        done += samples
        table = pd.concat([points, _fitted_columns(periods)], axis=1)
        table["distance"] = _distances(periods)
        table["round"] = round_ + 1
        tables.append(table)
        kept = table.nsmallest(max(2, round(accept * samples)), "distance")
        # the next round samples the box of the points kept, a tenth wider each side
        width = kept[keys].max().to_numpy() - kept[keys].min().to_numpy()
        low = np.maximum(low, kept[keys].min().to_numpy() - 0.1 * width)
        high = np.minimum(high, kept[keys].max().to_numpy() + 0.1 * width)
    posterior = pd.DataFrame({
        "parameter": keys, "meaning": [f.meaning for f in FREE],
        "low": [f.low for f in FREE], "high": [f.high for f in FREE],
        "mean": kept[keys].mean().to_numpy(),
        "p05": kept[keys].quantile(0.05).to_numpy(), "p95": kept[keys].quantile(0.95).to_numpy(),
    })

    top = pd.concat(tables).nsmallest(best, "distance").reset_index(drop=True)
    jobs = [(s, 1000 + k) for s in _scenarios(scenario, top[keys]) for k in range(seeds)]
    again = by_period(check_many(jobs, workers, counted(done), dask, last_year=True))
    point = np.repeat(np.arange(len(top)), seeds)
    means = [part[[t.column for t in FITTED]].groupby(point).mean() for part in again]
    rechecked = top[keys].copy()
    rechecked["distance_one_seed"] = top["distance"]
    rechecked["distance"] = _distances(means)
    rechecked = pd.concat([rechecked, _fitted_columns(means)], axis=1)
    chosen = rechecked.loc[rechecked["distance"].idxmin(), keys].to_dict()
    return Fit(pd.concat(tables, ignore_index=True), posterior, rechecked, {k: float(v) for k, v in chosen.items()})


def runs_needed(samples: int, rounds: int, best: int, seeds: int) -> int:
    """How many runs :func:`calibrate` makes."""
    return rounds * samples + best * seeds


def write_fitted(path: str | os.PathLike, values: dict[str, float], digits: int = 3) -> None:
    """Write ``values`` (dotted keys) into the scenario file at ``path``, rounded to
    ``digits`` decimals, keeping its layout and comments; the file is replaced in one step."""
    path = Path(path)
    document = tomlkit.parse(path.read_text(encoding="utf-8"))
    for key, value in values.items():
        *tables, name = key.split(".")
        table = document
        for part in tables:
            if part not in table:
                table[part] = tomlkit.table()
            table = table[part]
        table[name] = round(float(value), digits)
    write_text(path, tomlkit.dumps(document))


def check_writable(scenario: Path, target: Path, chain: list[Path], keys: list[str]) -> None:
    """Stop before any run if the fitted values could not be written into ``target`` or
    would be hidden by a file between it and the scenario."""
    if not target.is_file():
        raise ScenarioError(f"--write {target}: no such scenario file")
    if not os.access(target, os.W_OK):
        raise ScenarioError(f"--write {target}: the file cannot be written")
    resolved = [p.resolve() for p in chain]
    if target.resolve() not in resolved:
        raise ScenarioError(f"--write {target}: not in the 'extends' chain of the scenario "
                            f"({' -> '.join(map(str, chain))})")
    closer = resolved[: resolved.index(target.resolve())]
    setter = where_set(scenario)
    for key in keys:
        if key in setter and setter[key].resolve() in closer:
            raise ScenarioError(f"{setter[key]}: sets {key}, which would hide the fitted value written into "
                                f"{target}; remove it, or write there with --write {setter[key]}")
