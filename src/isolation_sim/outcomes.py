"""What is measured every week: one row of the time series.

:data:`COLUMNS` are the columns of ``timeseries.csv`` in order. Shares are of all
(adult) residents unless the name says otherwise.
"""

from __future__ import annotations

import numpy as np

from .population import COLLECTIVE, DOUBLE, INDIVIDUAL, NOT_ISOLATED
from .processes.support import PROFESSIONALS, UNMET

COLUMNS = (
    "week", "residents",
    "share_none", "share_individual", "share_collective", "share_double",
    "participation_rate", "participation_rate_double",
    "mean_ties", "lonely_share", "severely_lonely_share", "mean_loneliness",
    "hortulanus_competent", "hortulanus_lonely", "hortulanus_contact_poor", "hortulanus_isolated",
    "no_weekly_contact_share", "quality_of_life",
    "venues_open", "venues_threshold_free", "buddy_matches", "volunteers",
    "informal_support_share",
    "cost_levers_cumulative", "cost_support_cumulative", "cost_cumulative",
)

DESCRIPTIONS = {
    "share_none": "share not isolated",
    "share_individual": "share in individual societal isolation",
    "share_collective": "share in collective societal isolation",
    "share_double": "share in double isolation (societal and personal)",
    "participation_rate": "share taking part in an activity this week (venue or volunteering)",
    "participation_rate_double": "participation this week of those in double isolation at its start",
    "mean_ties": "mean number of personal ties (household, family, friends, neighbours, buddy)",
    "lonely_share": "share lonely (De Jong Gierveld 3 or more)",
    "severely_lonely_share": "share severely lonely (De Jong Gierveld 9 or more)",
    "hortulanus_isolated": "share socially isolated: small network and lonely (Hortulanus)",
    "no_weekly_contact_share": "share with no contact this week with family, friends or neighbours",
    "quality_of_life": "mean quality of life (0-10)",
    "informal_support_share": "share of support needs met informally, of those met",
    "cost_cumulative": "euro spent since week 0: levers and professional support",
}


def _share(mask: np.ndarray) -> float:
    return float(np.count_nonzero(mask)) / max(mask.size, 1)


def measure(model) -> dict[str, float]:
    """The outcome row for the model's current week."""
    p, v, b = model.people, model.venues, model.params.behaviour
    kind = p.isolation
    attending = p.attending >= 0
    took_part = attending | (p.role > 0)
    was_double = model.isolation_at_start == DOUBLE
    personal_ties = model.totals.personal_ties
    network = model.totals.all_ties
    lonely = p.loneliness >= b.lonely_cutoff
    small = network < b.small_network
    need = p.support_layer >= 0
    met = need & (p.support_layer != UNMET)
    informal = need & (p.support_layer < PROFESSIONALS)
    levers = sum(c for k, c in model.costs.items() if k != "professional_support")
    support = model.costs.get("professional_support", 0.0)
    return {
        "week": model.week,
        "residents": p.n,
        "share_none": _share(kind == NOT_ISOLATED),
        "share_individual": _share(kind == INDIVIDUAL),
        "share_collective": _share(kind == COLLECTIVE),
        "share_double": _share(kind == DOUBLE),
        "participation_rate": _share(took_part),
        "participation_rate_double": float(took_part[was_double].mean()) if was_double.any() else float("nan"),
        "mean_ties": float(personal_ties.mean()),
        "lonely_share": _share(lonely),
        "severely_lonely_share": _share(p.loneliness >= b.severe_cutoff),
        "mean_loneliness": float(p.loneliness.mean()),
        "hortulanus_competent": _share(~small & ~lonely),
        "hortulanus_lonely": _share(~small & lonely),
        "hortulanus_contact_poor": _share(small & ~lonely),
        "hortulanus_isolated": _share(small & lonely),
        "no_weekly_contact_share": _share(p.weekly_contacts == 0),
        "quality_of_life": float(p.quality_of_life.mean()),
        "venues_open": int(v.open.sum()),
        "venues_threshold_free": int((v.open & (v.threshold_count() == 0)).sum()),
        "buddy_matches": int(np.count_nonzero(p.buddy >= 0)),
        "volunteers": int(np.count_nonzero(p.role > 0)),
        "informal_support_share": float(informal.sum() / met.sum()) if met.any() else float("nan"),
        "cost_levers_cumulative": float(levers),
        "cost_support_cumulative": float(support),
        "cost_cumulative": float(levers + support),
    }
