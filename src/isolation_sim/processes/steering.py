"""Steering: the municipality's levers act on the world, and their cost is booked.

Levers are *levels* held over a period (``start_week`` to ``end_week``): a number of
venues, hours, buddies or links, or a share. Each week the world is brought in line with
the levels (so a lever that ends is undone), and the cost of what is deployed is booked:
``deployed units * unit cost per year / 52``. Venue levers pick venues in a fixed order
(each venue's ``priority``), so the same level always means the same venues.

Stability levers: ``permanent_funding``, ``presence_hours``, ``lower_distance``,
``lower_cost``, ``lower_discipline``, ``lower_social``, ``production_contracts``.
Dynamics levers: ``diversity``, ``small_groups``, ``buddies``, ``links``,
``initiative_support``, ``community_managers``.
"""

from __future__ import annotations

import numpy as np

from ..buddies import VOLUNTEER, pick_residents
from ..population import MANAGER_ROLE, NO_ROLE, NOT_ISOLATED, VOLUNTEER_ROLE
from ..scenario import ACTIVITY_TYPES, GROUPS, VENUE_KINDS
from ..venues import DIVERSITY, FULL_PRESENCE_HOURS, KINDS_FOR_TYPE, PRESENCE_KINDS, add_link_candidates, base_links

NAME = "steering"
LOWER = {"lower_distance": 0, "lower_cost": 1, "lower_discipline": 2, "lower_social": 3}


def first_by_priority(priority: np.ndarray, eligible: np.ndarray, count: int) -> np.ndarray:
    """Boolean mask of the ``count`` eligible items with the lowest priority number."""
    chosen = np.zeros(priority.size, bool)
    idx = np.flatnonzero(eligible)
    chosen[idx[np.argsort(priority[idx], kind="stable")[: max(count, 0)]]] = True
    return chosen


def contracted_share(model) -> float:
    lever = model.steering.levers.get("production_contracts")
    week = model.week
    if week > 0 and lever is not None and lever.active_at(week):
        return lever.level
    return model.params.offer.contracted_share


PAIRS = np.array([(a, VENUE_KINDS.index(k)) for a, t in enumerate(ACTIVITY_TYPES) for k in KINDS_FOR_TYPE[t]])


def new_kinds(model, hood: np.ndarray, rng) -> tuple[np.ndarray, np.ndarray]:
    """For each neighbourhood in ``hood`` in turn, the pair of activity type and kind of
    venue its open offer has least of (ties broken at random), counting the ones chosen
    before it: the kinds of activity it lacks, each new one different while others lack."""
    v = model.venues
    table = np.zeros((model.hoods, len(ACTIVITY_TYPES), len(VENUE_KINDS)))
    np.add.at(table, (v.hood[v.open], v.activity[v.open], v.kind[v.open]), 1)
    count = table[:, PAIRS[:, 0], PAIRS[:, 1]]
    tie = rng.random((hood.size, len(PAIRS)))
    pick = np.empty(hood.size, np.int64)
    for i, h in enumerate(hood):  # one new project after another: a handful a week at most
        pick[i] = np.argmin(count[h] + tie[i])
        count[h, pick[i]] += 1
    return PAIRS[pick, 0].astype(np.int8), PAIRS[pick, 1].astype(np.int8)


def keep_diversity(model, wanted: int, rng) -> int:
    """The ``diversity`` lever: ``wanted`` projects of a new kind running at any time.

    Each is a project (seed 000: "diversity gives individual choice"): the kind of activity
    its neighbourhood has least of, with the thresholds a new offer of its type has (drawn
    from the inventory's row for that type) and a project's funding period. When its
    funding ends it closes, unless ``permanent_funding`` keeps it (then it no longer counts
    here), and the lever starts another new kind. A lever that ends closes its projects.
    Returns the projects the lever funds this week.
    """
    v = model.venues
    mine = np.flatnonzero(v.open & (v.origin == DIVERSITY) & ~v.permanent)
    v.open[mine[wanted:]] = False  # the level fell: the youngest close
    count = wanted - mine.size
    if count > 0:
        made = int(np.count_nonzero(v.origin == DIVERSITY))
        hood = ((made + np.arange(count)) % model.hoods).astype(np.int32)
        activity, kind = new_kinds(model, hood, rng)
        v.add_from_inventory(hood, model.params.offer, model.week, rng, activity=activity, kind=kind,
                             origin=DIVERSITY)
    return wanted


def _grow_buddies(model, wanted: int, rng) -> None:
    bud, p = model.buddies, model.people
    have = int(np.count_nonzero(bud.from_lever))
    if wanted <= have:
        return
    count = wanted - have
    hood = ((have + np.arange(count)) % model.hoods).astype(np.int32)
    resident = pick_residents(p, hood, (p.role == NO_ROLE) & (p.isolation == NOT_ISOLATED), rng)  # any group
    bud.append(kind=np.full(count, VOLUNTEER), caseload=model.params.buddies.caseload.volunteer,
               hood=hood, resident=resident, active=False, from_lever=True)
    p.role[resident[resident >= 0]] = VOLUNTEER_ROLE


def on_benefits(model) -> np.ndarray:
    """Residents on benefits (Radar, seed 003): of working age, not in work and not in the
    group with no particular vulnerability (whose residents out of work are mostly carers,
    students or others with an income of their own). Pensioners are not among them: Radar's
    residents are on social assistance."""
    p = model.people
    return ~p.employed & ~p.retired & (p.group != GROUPS.index("none"))


def appoint_community_managers(model, wanted: int) -> int:
    """The ``community_managers`` lever (Radar, seed 003): the first ``wanted`` residents on
    benefits, in a fixed order and whatever their own isolation, are given a transit card
    and information and act as community managers; those no longer wanted stop."""
    p = model.people
    eligible = np.flatnonzero(on_benefits(model))
    ranked = eligible[np.argsort(model.resident_priority[eligible], kind="stable")]
    p.role[p.role == MANAGER_ROLE] = NO_ROLE
    p.role[ranked[:wanted]] = MANAGER_ROLE
    return int(min(wanted, ranked.size))


def fund_for_good(v, wanted: int) -> np.ndarray:
    """The ``permanent_funding`` lever: ``wanted`` open project venues funded for good. Those
    funded already stay funded (the youngest lose it if the level falls); more are taken
    in their fixed order among the open projects."""
    kept = np.flatnonzero(v.permanent & v.open)
    funded = np.zeros(v.open.size, bool)
    funded[kept[:wanted]] = True
    more = first_by_priority(v.priority, v.project & v.open & ~funded, wanted - int(funded.sum()))
    return funded | more


def presence(v, hours: float) -> np.ndarray:
    """Hours of professional presence per venue: ``hours`` a week at walk-in places, warm
    places and community centres taken in their fixed order, :data:`FULL_PRESENCE_HOURS`
    at each (the dose at which presence has its full effect) and what is left at the next;
    hours beyond what the open places can take are shared among them all.

    >>> from types import SimpleNamespace
    >>> from isolation_sim.scenario import VENUE_KINDS
    >>> walk_in = VENUE_KINDS.index("walk_in")
    >>> v = SimpleNamespace(open=np.ones(4, bool), kind=np.full(4, walk_in), priority=np.arange(4.0))
    >>> presence(v, 10).tolist(), presence(v, 2).tolist(), presence(v, 20).tolist()
    ([4.0, 4.0, 2.0, 0.0], [2.0, 0.0, 0.0, 0.0], [5.0, 5.0, 5.0, 5.0])
    """
    hosts = np.flatnonzero(v.open & np.isin(v.kind, PRESENCE_KINDS))
    out = np.zeros(v.open.size, np.float32)
    if hours <= 0 or hosts.size == 0:
        return out
    ranked = hosts[np.argsort(v.priority[hosts], kind="stable")]
    dose = np.clip(hours - FULL_PRESENCE_HOURS * np.arange(ranked.size), 0.0, FULL_PRESENCE_HOURS)
    dose += max(hours - FULL_PRESENCE_HOURS * ranked.size, 0.0) / ranked.size  # more than all can take
    out[ranked] = dose
    return out


def step(model) -> None:
    v, bud = model.venues, model.buddies
    week = model.week
    rng = model.rng_for(NAME)
    level = {name: model.lever(name) for name in model.steering.unit_costs}
    deployed = dict(level)

    # the new kinds first, so the other levers see this week's offer
    deployed["diversity"] = keep_diversity(model, int(round(level["diversity"])), rng)

    professional = v.open & ~v.resident_run
    share = contracted_share(model)
    v.contracted = first_by_priority(v.priority, professional, int(round(share * professional.sum())))

    v.permanent = fund_for_good(v, int(round(level["permanent_funding"])))
    deployed["permanent_funding"] = int(v.permanent.sum())

    for name, kind in LOWER.items():
        v.lifted[:, kind] = first_by_priority(v.priority, v.open & v.thresholds[:, kind], int(round(level[name])))
        deployed[name] = int(v.lifted[:, kind].sum())

    v.presence = presence(v, level["presence_hours"])
    deployed["presence_hours"] = level["presence_hours"] if v.presence.any() else 0.0

    small = first_by_priority(v.priority, v.open & ~v.small_base, int(round(level["small_groups"])))
    v.small_group = v.small_base | small
    deployed["small_groups"] = int(small.sum())

    # links: the first candidates (in their fixed order) whose venues are both open
    add_link_candidates(v, rng)  # for venues opened since last week
    both_open = v.open[v.links[:, 0]] & v.open[v.links[:, 1]]
    rank = np.cumsum(both_open) - 1
    kept = base_links(model.params)
    v.link_active = both_open & (rank < kept + int(round(level["links"])))
    deployed["links"] = max(int(v.link_active.sum()) - kept, 0)

    wanted = int(round(level["buddies"]))
    _grow_buddies(model, wanted, rng)
    extra = np.flatnonzero(bud.from_lever)
    bud.active[extra] = (np.arange(extra.size) < wanted) & (bud.resident[extra] >= 0)
    deployed["buddies"] = int(bud.active[extra].sum())
    deployed["community_managers"] = appoint_community_managers(model, int(round(level["community_managers"])))

    v.supported = first_by_priority(v.priority, v.open & v.resident_run, int(round(level["initiative_support"])))
    deployed["initiative_support"] = int(v.supported.sum())

    if week > 0:
        costs = model.steering.unit_costs
        for name, units in deployed.items():
            model.book_cost(name, units * costs[name] / 52.0)
