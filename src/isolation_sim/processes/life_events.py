"""Life events: residents lose work and find it, and retire.

Lives change, and isolation with them (seed 000: individual isolation after long-term
unemployment). Each week a resident in work stops working with chance
``behaviour.job_loss_per_week``: CBS counted on average 290,000 people a quarter in 2015
without paid work who had it three months before, of about 8.3 million in work, some 3.5% a
quarter or 0.27% a week. A resident out of work finds work with the chance that keeps their
group's share in work where it is (:func:`finding_chance`), so the population keeps its
make-up while its members change. A resident out of work for a year or more is long-term
unemployed (:func:`long_term_unemployed`, the CBS definition).

Residents reach the state pension age with chance ``behaviour.retire_per_week``: some
200,000 people a year turn 67 of about 10 million aged 20 to 67 (CBS, population by age),
2% a year. A retired resident stops working for good. Pensioners live alone or as a couple
(CBS: almost all of them do), so residents of households of three or more, families of
working age in the model, do not retire; nor do residents of a group the scenario gives no
retired members (its ``retired`` share 0), so that every group keeps its make-up. Retired
residents who live alone leave, by dying or moving into care, with the chance that keeps
their group's retired share where it started (:func:`retired_leaving_chance`); their home
goes to a newcomer (moving.py). Pensioners living as a couple first lose their partner
(moving.py).

Who loses work or retires loses their part in the public world through work; whether they
become isolated depends on what else they do and whom they know (isolation.py), as the
seed's "after retirement or long-term unemployment" says.
"""

from __future__ import annotations

import numpy as np

from ..population import retired_share
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


def retired_leaving_chance(scenario, people, household_size: np.ndarray) -> np.ndarray:
    """Per group, the weekly chance that a retired resident living alone leaves (dies or
    moves into care) that keeps the group's retired share stationary, from the starting
    residents: as many leave as retire, ``retire_per_week * W / (A * (1 - r))`` with ``W``
    the group's members who can retire, ``A`` its retired members living alone and ``r`` its
    ``retired`` share (a home they leave goes to a newcomer, retired with chance ``r``);
    0 for a group with none living alone at the start (a small run: its pensioners then
    leave only by moving, and its retired share grows).

    >>> from isolation_sim.scenario import load_scenario
    >>> from isolation_sim.population import build_residents
    >>> scenario = load_scenario("scenarios/baseline.toml", overrides={"residents": 5000})
    >>> people = build_residents(scenario)
    >>> chance = retired_leaving_chance(scenario, people, np.bincount(people.household))
    >>> bool(0.001 < chance[GROUPS.index("unemployed_or_retired")] < 0.004), float(chance[GROUPS.index("none")])
    (True, 0.0)
    """
    share = retired_share(scenario)
    everyone = np.arange(people.n)
    can = np.bincount(people.group[can_retire(people, everyone, household_size, share)], minlength=len(GROUPS))
    alone = np.bincount(people.group[people.retired & (household_size[people.household] == 1)],
                        minlength=len(GROUPS))
    with np.errstate(divide="ignore", invalid="ignore"):
        chance = np.where(alone > 0, scenario.behaviour.retire_per_week * can / (alone * (1.0 - share)), 0.0)
    return np.minimum(np.nan_to_num(chance), 1.0)


def can_retire(people, who: np.ndarray, household_size: np.ndarray, share: np.ndarray) -> np.ndarray:
    """Which of ``who`` can still retire: not retired, living alone or as a couple
    (``household_size`` per household), of a group with retired members (``share`` per
    group)."""
    return ~people.retired[who] & (household_size[people.household[who]] <= 2) & (share[people.group[who]] > 0)


def long_term_unemployed(model) -> np.ndarray:
    """Residents of working age out of work for :data:`LONG_TERM_WEEKS` weeks or more."""
    p = model.people
    return ~p.employed & ~p.retired & (model.week - p.employment_since >= LONG_TERM_WEEKS)


def step(model) -> None:
    p, b = model.people, model.params.behaviour
    rng = model.rng_for(NAME)
    loss, retire = b.job_loss_per_week, b.retire_per_week
    top = min(1.0, retire + max(loss, float(model.finding_chance.max())))
    who = candidates(rng, p.n, top)  # thinned: each resident is drawn with their own chance
    u = rng.random(who.size) * top
    retiring = who[(u < retire) & can_retire(p, who, model.household_size, model.retired_share)]
    work = np.where(p.retired[who], 0.0, np.where(p.employed[who], loss, model.finding_chance[p.group[who]]))
    work = np.minimum(work, 1.0 - retire)  # one draw: retiring first, a change of work in the rest
    changed = who[(u >= retire) & (u - retire < work)]
    p.employed[changed] = ~p.employed[changed]
    p.employment_since[changed] = model.week
    p.employment_since[retiring[p.employed[retiring]]] = model.week
    p.retired[retiring] = True
    p.employed[retiring] = False
