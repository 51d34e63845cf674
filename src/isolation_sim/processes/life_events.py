"""Life events: residents lose work and find it.

Lives change, and isolation with them (seed 000: individual isolation after long-term
unemployment). Each week a resident in work stops working with chance
``behaviour.job_loss_per_week``: CBS counted on average 290,000 people a quarter in 2015
without paid work who had it three months before, of about 8.3 million in work, some 3.5% a
quarter or 0.27% a week. A resident out of work finds work with the chance that keeps their
group's share in work where it is (:func:`finding_chance`), so the population keeps its
make-up while its members change. A resident out of work for a year or more is long-term
unemployed (:func:`long_term_unemployed`, the CBS definition).

Who loses work loses their part in the public world through work; whether they become
isolated depends on what else they do and whom they know (isolation.py), as the seed's
"after long-term unemployment" says.
"""

from __future__ import annotations

import numpy as np

from ..scenario import GROUPS
from ..streams import candidates

NAME = "life_events"
LONG_TERM_WEEKS = 52  # out of work this long: long-term unemployed (CBS: twelve months or more)


def finding_chance(scenario) -> np.ndarray:
    """Per group, the weekly chance of finding work that keeps the group's share in work,
    ``e``, stationary: ``job_loss_per_week * e / (1 - e)`` (at most 1; 0 for a group
    nobody of which is out of work or in it).

    >>> from isolation_sim.scenario import load_scenario
    >>> chance = finding_chance(load_scenario("scenarios/baseline.toml"))
    >>> round(float(chance[GROUPS.index("none")]), 4)  # 0.0027 * 0.84 / 0.16
    0.0142
    """
    share = np.array([scenario.groups[g].employed for g in GROUPS])
    loss = scenario.behaviour.job_loss_per_week
    with np.errstate(divide="ignore", invalid="ignore"):
        chance = np.where((share > 0) & (share < 1), loss * share / (1.0 - share), 0.0)
    return np.minimum(chance, 1.0)


def long_term_unemployed(model) -> np.ndarray:
    """Residents out of work for :data:`LONG_TERM_WEEKS` weeks or more."""
    p = model.people
    return ~p.employed & (model.week - p.employment_since >= LONG_TERM_WEEKS)


def step(model) -> None:
    p = model.people
    rng = model.rng_for(NAME)
    loss = model.params.behaviour.job_loss_per_week
    top = max(loss, float(model.finding_chance.max()))
    who = candidates(rng, p.n, top)  # thinned: each resident is drawn with their own chance
    chance = np.where(p.employed[who], loss, model.finding_chance[p.group[who]])
    changed = who[rng.random(who.size) * top < chance]
    p.employed[changed] = ~p.employed[changed]
    p.employment_since[changed] = model.week
