"""The Dutch figures the model is held to, and how the model's values are measured.

:data:`TARGETS` are the patterns of ``docs/validation.md`` (pattern-oriented modelling):
each names a column of ``timeseries.csv``, its band and its source. A model's value is
the mean of the column over the first simulated year (weeks 1-52, after the scenario's
burn-in), and the mean of that over seeds.

:func:`contagion_gradient` measures loneliness spreading along ties as Cacioppo, Fowler &
Christakis (2009) did: how much more likely a resident is to be lonely when someone at
1, 2 or 3 steps in their personal network is lonely.

>>> [t.column for t in TARGETS]
['lonely_share', 'severely_lonely_share', 'hortulanus_isolated', 'no_weekly_contact_share']
>>> RADAR.holds(0.6), TYPOLOGY[0].holds(1.6), TYPOLOGY[0].holds(0.9)
(True, True, False)
>>> TARGETS[0].holds(0.47), TARGETS[0].holds(0.40)
(True, False)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from .layers import PERSONAL
from .population import DOUBLE, ISOLATION_TYPES
from .processes.life_events import long_term_unemployed
from .run import Observer, Run, simulate_many

YEAR = slice(1, 53)  # the weeks whose mean is compared: the first year after the burn-in


@dataclass(frozen=True)
class Target:
    column: str
    label: str
    low: float
    high: float
    figure: str   # the published figure
    source: str
    unit: str = "share"  # "share" of residents, or "ratio": times the population's share

    @property
    def middle(self) -> float:
        return (self.low + self.high) / 2

    def holds(self, value: float) -> bool:
        return self.low <= value <= self.high


TARGETS = (
    Target("lonely_share", "lonely (any degree)", 0.44, 0.52, "46.6% (2020), 48.6% (2022)",
           "RIVM 2020; GGD/RIVM Gezondheidsmonitor 2022"),
    Target("severely_lonely_share", "severely lonely", 0.10, 0.15, "11.0% (2020), 14.2% (2022)",
           "RIVM 2020; GGD/RIVM Gezondheidsmonitor 2022"),
    Target("hortulanus_isolated", "socially isolated (small network and lonely)", 0.04, 0.08, "about 6%",
           "Hortulanus, Machielse & Meeuwesen 2003"),
    Target("no_weekly_contact_share", "no weekly contact with family, friends or neighbours", 0.025, 0.05,
           "3.7%", "CBS 2016 (data 2012-2015)"),
)

# Radar (seed 003): in Amsterdam more than half of the 37,000 single men on benefits already
# do something for people in their neighbourhood. The model's "on benefits" is of working age
# (not retired), not employed and in a vulnerability group (steering.on_benefits); "doing something" is any help given or
# volunteering in the last 52 weeks (outcomes.gave_recently).
RADAR = Target("gave_help_share_benefits_alone", "on benefits, living alone: did something for others this year",
               0.50, 0.70, "more than half of 37,000", "Radar (seed 003), Amsterdam")

# Seed 000's table of typical circumstances, as over-representation: a group's share in an
# isolation type divided by the whole population's share in it (1: as often as anyone). The
# seed gives directions, not sizes; the band starts at 1.2 so that noise does not count.
OVER = 1.2
TYPICAL = "seed 000 (table of typical circumstances)"
TYPOLOGY = (
    Target("collective_migrant", "collective isolation among migrants", OVER, np.inf, "over-represented", TYPICAL,
           "ratio"),
    Target("double_psychiatric", "double isolation, psychiatric vulnerability", OVER, np.inf, "over-represented",
           TYPICAL, "ratio"),
    Target("double_multiproblem", "double isolation, multiple problems", OVER, np.inf, "over-represented", TYPICAL,
           "ratio"),
    Target("double_in_households", "double isolation, psychiatric or multiple problems, households of 2+", OVER,
           np.inf, "over-represented (multi-problem households)", TYPICAL, "ratio"),
    Target("individual_unemployed_or_retired", "individual isolation, unemployed or retired", OVER, np.inf,
           "over-represented", TYPICAL, "ratio"),
    Target("individual_intellectual_disability", "individual isolation, intellectual disability", OVER, np.inf,
           "over-represented", TYPICAL, "ratio"),
    Target("individual_long_term_unemployed", "individual isolation, out of work for a year or more", OVER,
           np.inf, "over-represented", TYPICAL, "ratio"),
    Target("individual_retired", "individual isolation, retired", OVER, np.inf, "over-represented", TYPICAL,
           "ratio"),
)

EPA_SHARE = 0.017  # residents with severe mental illness (Delespaul et al. 2013)

# Cacioppo, Fowler & Christakis (2009): extra chance of being lonely when a contact at
# 1, 2, 3 steps is lonely; the model's gradient should lie within 10 points of each.
CONTAGION = {1: 0.52, 2: 0.25, 3: 0.15}
CONTAGION_TOLERANCE = 0.10
GRADIENT = tuple(
    Target(f"contagion_{d}", f"extra chance lonely, lonely contact at {d} step{'s' if d > 1 else ''}",
           value - CONTAGION_TOLERANCE, value + CONTAGION_TOLERANCE, f"+{100 * value:.0f}%",
           "Cacioppo, Fowler & Christakis 2009")
    for d, value in CONTAGION.items()
)
EPA = Target("epa_share", "severe mental illness (EPA)", EPA_SHARE - 0.002, EPA_SHARE + 0.002, "1.7%",
             "Delespaul et al. 2013")
PATTERNS = TARGETS + (RADAR, EPA) + GRADIENT + TYPOLOGY  # everything a scenario is held to
FITTED = TARGETS + GRADIENT  # what calibration fits (EPA is an input: the group shares)


def first_year(frame: pd.DataFrame) -> dict[str, float]:
    """The mean of each target column over weeks 1-52 of one run's time series."""
    return year_means(frame, YEAR.start)


def year_means(frame: pd.DataFrame, first: int, columns=None) -> dict[str, float]:
    """The mean of each target column (or of ``columns``) over the 52 weeks from ``first``."""
    year = frame[frame["week"].between(first, first + 51)]
    return {c: float(year[c].mean()) for c in (columns or [t.column for t in TARGETS])}


def personal_network(model) -> sparse.csr_matrix:
    """The personal network (household, family, friends, neighbours, buddies) as a
    symmetric 0/1 adjacency matrix."""
    net = model.net
    net.commit()
    own = PERSONAL[net.layer]
    u, v = net.u[own], net.v[own]
    ones = np.ones(2 * u.size, np.int32)
    a = sparse.csr_matrix((ones, (np.r_[u, v], np.r_[v, u])), shape=(net.n, net.n))
    a.data[:] = 1
    return a


def contagion_gradient(model, steps: int = 3) -> dict[int, float]:
    """Extra chance of being lonely when a contact at 1..``steps`` steps is lonely.

    For every pair of residents exactly d steps apart in the personal network where one
    is lonely, the share of the other who is lonely too, divided by the share lonely in
    the whole population, minus one. The share in the population is what the same
    measure gives when loneliness is shuffled over the same network (the null model of
    Cacioppo et al.), so 0 means loneliness does not cluster; they report 0.52, 0.25
    and 0.15.
    """
    lonely = (model.people.loneliness >= model.params.behaviour.lonely_cutoff).astype(np.float64)
    prevalence = lonely.mean()
    a = personal_network(model)
    seen = sparse.identity(a.shape[0], dtype=np.int32, format="csr")
    frontier = seen
    out = {}
    for d in range(1, steps + 1):
        reach = frontier @ a
        reach.data[:] = 1
        at_d = reach - reach.multiply(seen)   # reached now, not at a shorter distance
        at_d.eliminate_zeros()
        seen = seen + at_d
        frontier = at_d
        lonely_alters = at_d @ lonely         # per resident: lonely residents at distance d
        pairs = lonely_alters.sum()
        both = (lonely * lonely_alters).sum()
        out[d] = float(both / pairs / prevalence - 1.0) if pairs and prevalence else float("nan")
    return out


@dataclass
class TieLoss(Observer):
    """Observer: the weekly share of ties lost over ``weeks`` weeks from week ``after``,
    for ties with a lonely end and for the others (the lonely drift to the periphery,
    Cacioppo et al. 2009). Its result is ``(lonely, other)``."""

    after: int = YEAR.stop - 1
    weeks: int = 4
    name: str = "tie_loss"

    def start(self, model) -> None:
        self.lost, self.held, self.key, self.with_lonely = np.zeros(2), np.zeros(2), None, None
        self.step(model)

    def step(self, model) -> None:
        if self.key is not None:  # the ties of last week that are gone now
            gone = ~np.isin(self.key, model.net.key)
            self.lost += np.bincount(self.with_lonely, weights=gone, minlength=2)
            self.held += np.bincount(self.with_lonely, minlength=2)
            self.key = None
        if self.after <= model.week < self.after + self.weeks:
            net = model.net
            net.commit()
            self.key = net.key.copy()
            lonely = model.people.loneliness >= model.params.behaviour.lonely_cutoff
            self.with_lonely = (lonely[net.u] | lonely[net.v]).astype(np.int64)

    def result(self, model) -> tuple[float, float]:
        """NaN for a kind of tie never held (the run ended before week ``after + 1``)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            other, lonely_rate = np.where(self.held > 0, self.lost / np.maximum(self.held, 1), np.nan)
        return float(lonely_rate), float(other)


@dataclass
class Contagion(Observer):
    """Observer: :func:`contagion_gradient` in week ``week`` (the end of the first year)."""

    week: int = YEAR.stop - 1
    name: str = "contagion"

    def start(self, model) -> None:
        self.gradient: dict[int, float] = dict.fromkeys((1, 2, 3), float("nan"))  # until week ``week``

    def step(self, model) -> None:
        if model.week == self.week:
            self.gradient = contagion_gradient(model)

    def result(self, model) -> dict[int, float]:
        return self.gradient


@dataclass
class Typology(Observer):
    """Observer: over the 52 weeks from week ``first``, how over-represented groups are in
    the isolation types (:data:`TYPOLOGY`): each group's share in a type, counted every week,
    divided by the share of all residents in it (NaN where nobody is in the type)."""

    first: int = YEAR.start
    name: str = "typology"

    def start(self, model) -> None:
        from .scenario import GROUPS

        self.counts = np.zeros((len(GROUPS), len(ISOLATION_TYPES)))  # resident-weeks
        self.households = np.zeros((2, 2))  # households of 2+: (others, vulnerable) x (all, double)
        self.long_term = np.zeros(len(ISOLATION_TYPES))  # residents out of work for a year or more
        self.retired = np.zeros(len(ISOLATION_TYPES))  # residents past the state pension age

    def step(self, model) -> None:
        from .scenario import GROUPS

        if not self.first <= model.week < self.first + 52:
            return
        p = model.people
        k = len(ISOLATION_TYPES)
        self.counts += np.bincount(p.group * k + p.isolation, minlength=len(GROUPS) * k).reshape(len(GROUPS), k)
        shared = ~model.lives_alone
        vulnerable = np.isin(p.group, [GROUPS.index("psychiatric"), GROUPS.index("multiproblem")])
        for v in (0, 1):
            mine = shared & (vulnerable == bool(v))
            self.households[v] += [np.count_nonzero(mine), np.count_nonzero(mine & (p.isolation == DOUBLE))]
        self.long_term += np.bincount(p.isolation[long_term_unemployed(model)], minlength=k)
        self.retired += np.bincount(p.isolation[p.retired], minlength=k)

    def result(self, model) -> dict[str, float]:
        from .scenario import GROUPS

        def ratio(part: float, whole: float) -> float:
            return float(part / whole) if whole > 0 else float("nan")

        c = self.counts
        everyone = c.sum(axis=0) / max(c.sum(), 1)  # the population's share in each type
        out = {}
        for t in TYPOLOGY:
            kind, _, group = t.column.partition("_")
            if group in GROUPS:
                g, code = GROUPS.index(group), ISOLATION_TYPES.index(kind)
                out[t.column] = ratio(c[g, code] / max(c[g].sum(), 1), everyone[code])
        (others, others_double), (vulnerable, vulnerable_double) = self.households
        out["double_in_households"] = ratio(vulnerable_double / max(vulnerable, 1),
                                            (others_double + vulnerable_double) / max(others + vulnerable, 1))
        individual = ISOLATION_TYPES.index("individual")
        for column, counts in (("individual_long_term_unemployed", self.long_term), ("individual_retired", self.retired)):
            out[column] = ratio(counts[individual] / counts.sum(), everyone[individual]) if counts.sum() else np.nan
        return out


SHORT_SPELL = 13  # weeks: a spell shorter than a quarter is flicker, not a change of life


@dataclass
class TypeSpells(Observer):
    """Observer: how long residents stay in an isolation type. A spell ends when the type
    changes; spells already under way at week 0 (of unknown start) and spells still
    going at the end are left out. Its result is, per type, the spells seen, their median
    length and the share shorter than :data:`SHORT_SPELL` weeks."""

    name: str = "spells"

    def start(self, model) -> None:
        self.current = model.people.isolation.copy()
        self.since = np.full(model.people.n, model.week)
        self.first = model.week
        self.types: list[np.ndarray] = []
        self.lengths: list[np.ndarray] = []

    def step(self, model) -> None:
        now = model.people.isolation
        changed = now != self.current
        seen = changed & (self.since > self.first)  # a spell that began while observed
        self.types.append(self.current[seen])
        self.lengths.append(model.week - self.since[seen])
        self.since[changed] = model.week
        self.current[changed] = now[changed]

    def result(self, model) -> dict[str, dict[str, float]]:
        types = np.concatenate(self.types) if self.types else np.zeros(0, np.int8)
        lengths = np.concatenate(self.lengths) if self.lengths else np.zeros(0)
        out = {}
        for code, name in enumerate(ISOLATION_TYPES):
            mine = lengths[types == code]
            out[name] = {"spells": float(mine.size),
                         "median": float(np.median(mine)) if mine.size else float("nan"),
                         "under_13": float(np.mean(mine < SHORT_SPELL)) if mine.size else float("nan")}
        return out


# ---------------------------------------------------------------------- checking a scenario
CHECK_WEEKS = YEAR.stop - 1 + TieLoss.weeks  # the first year, then the weeks of tie loss
CHECKS = (Contagion(), TieLoss(), TypeSpells(), Typology())


def check_row(record, period: str = "first") -> dict[str, float]:
    """One seed's row for a period: the year's means of the targets, the contagion
    gradient at its end, the weekly tie loss with and without a lonely end (the first
    year: weeks 53-56; the last: its last 4 weeks), the share of residents with severe
    mental illness, and how long isolation types last over the whole run."""
    first = YEAR.start if period == "first" else int(record.timeseries["week"].max()) - 51
    suffix = "" if period == "first" else "_last"
    columns = [t.column for t in TARGETS] + [RADAR.column, "changed_type_share"]
    row = {"seed": record.scenario.seed, "period": period, **year_means(record.timeseries, first, columns)}
    row |= {f"contagion_{d}": value for d, value in record[f"contagion{suffix}"].items()}
    row["epa_share"] = float(record["epa_share"])
    row["tie_loss_lonely"], row["tie_loss_other"] = record[f"tie_loss{suffix}"]
    row |= record[f"typology{suffix}"]
    for kind, spells in record["spells"].items():
        row |= {f"spell_{kind}_{key}": value for key, value in spells.items()}
    return row


def spells_table(runs: pd.DataFrame) -> pd.DataFrame:
    """Per isolation type, over the seeds of :func:`check`: the spells seen (a seed's mean),
    their median length (the mean of the seeds' medians) and the share under
    :data:`SHORT_SPELL` weeks (the mean of the seeds' shares)."""
    runs = runs[runs["period"] == "first"] if "period" in runs else runs  # one row a seed
    return pd.DataFrame([{"type": kind, "spells": runs[f"spell_{kind}_spells"].mean(),
                          "median_weeks": runs[f"spell_{kind}_median"].mean(),
                          "under_13_weeks": runs[f"spell_{kind}_under_13"].mean()} for kind in ISOLATION_TYPES])


class EpaShare(Observer):
    """Observer: the share of residents with severe mental illness."""

    name = "epa_share"

    def result(self, model) -> float:
        from .scenario import GROUPS

        return float(np.mean(model.people.group == GROUPS.index("psychiatric")))


def check(scenario, seeds: int = 20, workers: int = 2, progress=None, dask: str | None = None,
          last_year: bool = False) -> pd.DataFrame:
    """:func:`check_row` for seeds 1..``seeds``, on ``workers`` processes or Dask; one row a
    seed, and with ``last_year`` a second row a seed for the last year of the horizon."""
    return check_many([(scenario, seed) for seed in range(1, seeds + 1)], workers, progress, dask, last_year)


def check_many(jobs, workers: int = 2, progress=None, dask: str | None = None, last_year: bool = False) -> pd.DataFrame:
    """:func:`check_row` for each ``(scenario, seed)`` of ``jobs``, on ``workers``
    processes with one thread each (or on Dask), in the order of ``jobs``. With
    ``last_year`` each run goes on to the scenario's horizon and is checked in its last
    year too (where the horizon leaves a last year after the first: 104 weeks or more)."""
    runs, observers = [], CHECKS + (EpaShare(),)
    for scenario, seed in jobs:
        horizon = scenario.weeks if last_year and scenario.weeks >= 2 * 52 else CHECK_WEEKS
        runs.append(Run(scenario, seed, weeks=horizon))
    if last_year and any(r.weeks > CHECK_WEEKS for r in runs):
        horizon = max(r.weeks for r in runs)
        observers += (Contagion(week=horizon, name="contagion_last"),
                      TieLoss(after=horizon - TieLoss.weeks, name="tie_loss_last"),
                      Typology(first=horizon - 51, name="typology_last"))
    records = simulate_many(runs, observers, workers=workers, dask=dask, progress=progress)
    rows = []
    for record in records:
        rows.append(check_row(record))
        if record.run.weeks > CHECK_WEEKS:
            rows.append(check_row(record, "last"))
    return pd.DataFrame(rows)


def compare_with_targets(runs: pd.DataFrame) -> pd.DataFrame:
    """Target against simulated: per pattern the band, the mean over seeds and its 95%
    interval (t distribution), and whether the mean lies in the band."""
    from .intervals import mean_interval

    rows = []
    periods = runs.groupby("period", sort=False) if "period" in runs else [("first", runs)]
    for period, part in periods:
        for t in PATTERNS:
            mean, low, high = mean_interval(part[t.column].to_numpy(float))
            rows.append({"period": period, "pattern": t.column, "label": t.label, "low": t.low, "high": t.high,
                         "unit": t.unit, "simulated": mean, "ci_low": low, "ci_high": high, "holds": t.holds(mean),
                         "source": t.source})
    return pd.DataFrame(rows)
