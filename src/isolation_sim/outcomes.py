"""What is measured every week: one row of the time series.

:data:`COLUMNS` are the columns of ``timeseries.csv`` in order. Shares are of all
(adult) residents unless the name says otherwise.
"""

from __future__ import annotations

import numpy as np

from .population import COLLECTIVE, DOUBLE, INDIVIDUAL, ISOLATION_TYPES, NOT_ISOLATED
from .processes.steering import on_benefits
from .processes.support import PROFESSIONALS, UNMET
from .scenario import GROUPS

COLUMNS = (
    "week", "residents",
    "share_none", "share_individual", "share_collective", "share_double", "changed_type_share",
    "participation_rate", "participation_rate_double",
    "mean_ties", "lonely_share", "severely_lonely_share", "mean_loneliness",
    "hortulanus_competent", "hortulanus_lonely", "hortulanus_contact_poor", "hortulanus_isolated",
    "no_weekly_contact_share", "quality_of_life",
    "venues_open", "venues_threshold_free", "buddy_matches", "volunteers",
    "informal_support_share",
    "gave_help_share", *(f"gave_help_share_{g}" for g in GROUPS), "gave_help_share_benefits_alone",
    "overburdened_share",
    "cost_levers_cumulative", "cost_support_cumulative", "cost_cumulative",
)

OUTCOMES = tuple(c for c in COLUMNS if c not in ("week", "residents"))  # what a run gives
# The outcomes a report leads with; ``compare.differences`` covers every one by default.
KEY = ("share_double", "participation_rate_double", "participation_rate", "lonely_share",
       "severely_lonely_share", "hortulanus_isolated", "mean_ties", "quality_of_life", "cost_cumulative")
END_WEEKS = 13  # "the end" of a run: the mean of its last quarter


def end_state(frame) -> dict[str, float]:
    """The end of one run's time series: each outcome's mean over the last
    :data:`END_WEEKS` weeks (never week 0, which is before any lever), and for the
    cumulative costs their last value. No week: the end state is of no single week.

    >>> import pandas as pd
    >>> frame = pd.DataFrame({c: [0.0] * 20 for c in COLUMNS} | {"week": range(20), "lonely_share": range(20)})
    >>> end_state(frame)["lonely_share"], "week" in end_state(frame)
    (13.0, False)
    """
    last = frame.iloc[-1]
    tail = frame[frame["week"] > max(int(last["week"]) - END_WEEKS, 0)]
    end = {c: float(last[c]) for c in OUTCOMES}
    end.update({c: float(tail[c].mean()) for c in OUTCOMES if not c.endswith("_cumulative")})
    end["residents"] = float(last["residents"])
    return end


DESCRIPTIONS = {
    "share_none": "share not isolated",
    "share_individual": "share in individual societal isolation",
    "share_collective": "share in collective societal isolation",
    "share_double": "share in double isolation (societal and personal)",
    "changed_type_share": "share whose isolation type this week differs from last week's",
    "participation_rate": "share taking part in an activity this week (venue or volunteering)",
    "participation_rate_double": "participation this week of those in double isolation at its start",
    "mean_ties": "mean number of personal ties (household, family, friends, neighbours, buddy)",
    "lonely_share": "share lonely (De Jong Gierveld 3 or more)",
    "severely_lonely_share": "share severely lonely (De Jong Gierveld 9 or more)",
    "hortulanus_isolated": "share socially isolated: small network and lonely (Hortulanus)",
    "no_weekly_contact_share": "share with no contact this week with family, friends or neighbours",
    "quality_of_life": "mean quality of life (0-10)",
    "informal_support_share": "share of support needs met informally, of those met",
    "gave_help_share": "share who did something for others in the last 52 weeks (help, volunteering)",
    **{f"gave_help_share_{g}": f"of the group {g}, the share who did something for others in the last 52 weeks"
       for g in GROUPS},
    "gave_help_share_benefits_alone": "of residents on benefits living alone, the share who did something for "
                                      "others in the last 52 weeks (Radar, seed 003)",
    "overburdened_share": "share whose care load is beyond what they can carry",
    "cost_cumulative": "euro spent since week 0: levers and professional support",
}


# How an outcome reads in a table: a short label and its kind of number.
LABELS = {
    "share_none": ("not isolated", "pct"),
    "share_individual": ("individual isolation", "pct"),
    "share_collective": ("collective isolation", "pct"),
    "share_double": ("double isolation", "pct"),
    "changed_type_share": ("changed isolation type this week", "pct"),
    "participation_rate": ("taking part this week", "pct"),
    "participation_rate_double": ("taking part, of those in double isolation", "pct"),
    "lonely_share": ("lonely", "pct"),
    "severely_lonely_share": ("severely lonely", "pct"),
    "hortulanus_isolated": ("socially isolated (Hortulanus)", "pct"),
    "no_weekly_contact_share": ("no weekly contact", "pct"),
    "mean_ties": ("personal ties (mean)", "num"),
    "quality_of_life": ("quality of life (0-10)", "num"),
    "gave_help_share": ("did something for others (52 weeks)", "pct"),
    "overburdened_share": ("overburdened carers", "pct"),
    "venues_open": ("venues open", "int"),
    "buddy_matches": ("buddy matches", "int"),
    "cost_cumulative": ("cost so far (euro)", "eur"),
}


def label(column: str) -> str:
    return LABELS.get(column, (column.replace("_", " "), ""))[0]


def kind(column: str) -> str:
    return LABELS.get(column, ("", "num"))[1]


def fmt(value, kind: str, *, signed: bool = False) -> str:
    """A value as it reads in a table; a share in percent, its difference in points.

    >>> fmt(0.1234, "pct"), fmt(-0.0123, "pct", signed=True), fmt(1234567.8, "eur")
    ('12.3%', '-1.2 pt', '€1,234,568')
    >>> fmt(-0.0001, "pct", signed=True), fmt(0.004, "num", signed=True)
    ('0.0 pt', '0.00')
    """
    if value is None or value != value:
        return "-"
    if signed and abs(value) * (100 if kind == "pct" else 1) < {"pct": 0.05, "eur": 0.5, "int": 0.5}.get(kind, 0.005):
        value = 0.0  # no "-0.0": what rounds to zero reads as zero
    sign = "+" if signed and value != 0 else ""
    if kind == "pct":
        return f"{100 * value:{sign}.1f} pt" if signed else f"{100 * value:.1f}%"
    if kind == "eur":
        return f"{'-' if value < 0 else sign}€{abs(value):,.0f}"
    if kind == "int":
        return f"{value:{sign},.0f}"
    return f"{value:{sign}.2f}"


def fmt_interval(mean: float, low: float, high: float, kind: str) -> str:
    """A difference and its interval, the unit once.

    >>> fmt_interval(0.068, 0.029, 0.107, "pct")
    '+6.8 pt (+2.9 to +10.7)'
    """
    unit = {"pct": " pt"}.get(kind, "")
    inner = [fmt(x, kind, signed=True).removesuffix(unit) for x in (low, high)]
    return f"{fmt(mean, kind, signed=True)} ({inner[0]} to {inner[1]})"


# What :func:`by_group` measures for each group of residents (a share, or the mean of QoL).
GROUP_OUTCOMES = ("share_double", "participation_rate", "lonely_share", "quality_of_life")


def _share(mask: np.ndarray) -> float:
    return float(np.count_nonzero(mask)) / max(mask.size, 1)


def took_part(model) -> np.ndarray:
    """Who took part in an activity this week: attending a venue, or volunteering."""
    p = model.people
    return (p.attending >= 0) | (p.role > 0)


def _by_group(model, mask: np.ndarray) -> list[float]:
    """The share of each group's residents in ``mask`` (NaN for an empty group)."""
    size = np.bincount(model.people.group, minlength=len(GROUPS))
    count = np.bincount(model.people.group, weights=mask, minlength=len(GROUPS))
    return [float(c / s) if s else float("nan") for c, s in zip(count, size)]


def gave_recently(model) -> np.ndarray:
    """Who did something for others in the last 52 weeks (this one included)."""
    return model.week - model.people.last_gave < 52


def on_benefits_alone(model) -> np.ndarray:
    """Residents on benefits (:func:`processes.steering.on_benefits`) who live alone."""
    return on_benefits(model) & model.lives_alone


def lonely(model) -> np.ndarray:
    return model.people.loneliness >= model.params.behaviour.lonely_cutoff


def by_group(model, isolation_at_week0: np.ndarray) -> list[dict]:
    """:data:`GROUP_OUTCOMES` now, for each vulnerability group and for each isolation
    type the residents had at week 0 (so a group is the same residents in every scenario
    run on the same population). One dict a group: ``by``, ``group``, ``residents`` and
    the outcomes.

    >>> from isolation_sim import IsolationModel
    >>> model = IsolationModel("scenarios/baseline.toml", residents=400, burn_in_weeks=2)
    >>> rows = by_group(model, model.people.isolation.copy())
    >>> [row["group"] for row in rows if row["by"] == "isolation at week 0"]
    ['none', 'individual', 'collective', 'double']
    """
    p = model.people
    values = {"share_double": p.isolation == DOUBLE, "participation_rate": took_part(model),
              "lonely_share": lonely(model), "quality_of_life": p.quality_of_life}
    rows = []
    for by, codes, names in (("vulnerability group", p.group, GROUPS),
                             ("isolation at week 0", isolation_at_week0, ISOLATION_TYPES)):
        for code, name in enumerate(names):
            members = codes == code
            size = int(np.count_nonzero(members))
            rows.append({"by": by, "group": name, "residents": size,
                         **{k: float(v[members].mean()) if size else float("nan") for k, v in values.items()}})
    return rows


def measure(model) -> dict[str, float]:
    """The outcome row for the model's current week."""
    p, v, b = model.people, model.venues, model.params.behaviour
    kind = p.isolation
    active = took_part(model)
    was_double = model.isolation_at_start == DOUBLE
    personal_ties = model.totals.personal_ties
    network = model.totals.all_ties
    alone = lonely(model)
    small = network < b.small_network
    need = p.support_layer >= 0
    met = need & (p.support_layer != UNMET)
    informal = need & (p.support_layer < PROFESSIONALS)
    gave = gave_recently(model)
    radar = on_benefits_alone(model)
    levers = sum(c for k, c in model.costs.items() if k != "professional_support")
    support = model.costs.get("professional_support", 0.0)
    return {
        "week": model.week,
        "residents": p.n,
        "share_none": _share(kind == NOT_ISOLATED),
        "share_individual": _share(kind == INDIVIDUAL),
        "share_collective": _share(kind == COLLECTIVE),
        "share_double": _share(kind == DOUBLE),
        "changed_type_share": _share(kind != model.isolation_at_start),
        "participation_rate": _share(active),
        "participation_rate_double": float(active[was_double].mean()) if was_double.any() else float("nan"),
        "mean_ties": float(personal_ties.mean()),
        "lonely_share": _share(alone),
        "severely_lonely_share": _share(p.loneliness >= b.severe_cutoff),
        "mean_loneliness": float(p.loneliness.mean()),
        "hortulanus_competent": _share(~small & ~alone),
        "hortulanus_lonely": _share(~small & alone),
        "hortulanus_contact_poor": _share(small & ~alone),
        "hortulanus_isolated": _share(small & alone),
        "no_weekly_contact_share": _share(p.weekly_contacts == 0),
        "quality_of_life": float(p.quality_of_life.mean()),
        "venues_open": int(v.open.sum()),
        "venues_threshold_free": int((v.open & (v.threshold_count() == 0)).sum()),
        "buddy_matches": int(np.count_nonzero(p.buddy >= 0)),
        "volunteers": int(np.count_nonzero(p.role > 0)),
        "informal_support_share": float(informal.sum() / met.sum()) if met.any() else float("nan"),
        "gave_help_share": _share(gave),
        **dict(zip((f"gave_help_share_{g}" for g in GROUPS), _by_group(model, gave))),
        "gave_help_share_benefits_alone": float(gave[radar].mean()) if radar.any() else float("nan"),
        "overburdened_share": _share(p.care_load > b.care_capacity),
        "cost_levers_cumulative": float(levers),
        "cost_support_cumulative": float(support),
        "cost_cumulative": float(levers + support),
    }
