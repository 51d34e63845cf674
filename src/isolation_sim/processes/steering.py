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
from ..population import MANAGER_ROLE, NO_ROLE, VOLUNTEER_ROLE
from ..scenario import ACTIVITY_TYPES
from ..venues import DIVERSITY, PRESENCE_KINDS, add_link_candidates, base_links

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


def _grow_diversity(model, wanted: int, rng) -> None:
    """Create the extra venues the ``diversity`` lever asks for, of the scarcest types."""
    v = model.venues
    have = int(np.count_nonzero(v.origin == DIVERSITY))
    if wanted <= have:
        return
    count = wanted - have
    hood = ((have + np.arange(count)) % model.hoods).astype(np.int32)
    table = np.zeros((model.hoods, len(ACTIVITY_TYPES)))
    np.add.at(table, (v.hood[v.open], v.activity[v.open]), 1)
    activity = np.argmin(table[hood] + rng.random((count, len(ACTIVITY_TYPES))), axis=1).astype(np.int8)
    nthr = (rng.random(count) < 0.5).astype(np.int64)  # a new kind of offer: 0 or 1 threshold
    v.add_local(hood, activity, nthr, model.params.offer.threshold_weights.as_tuple(), rng,
                capacity=model.params.offer.capacity, open=False, origin=DIVERSITY, opened_week=model.week)


def _grow_buddies(model, wanted: int, rng) -> None:
    bud, p = model.buddies, model.people
    have = int(np.count_nonzero(bud.from_lever))
    if wanted <= have:
        return
    count = wanted - have
    hood = ((have + np.arange(count)) % model.hoods).astype(np.int32)
    resident = pick_residents(p, hood, (p.group == 0) & (p.role == NO_ROLE), rng)
    bud.append(kind=np.full(count, VOLUNTEER), caseload=model.params.buddies.caseload.volunteer,
               hood=hood, resident=resident, active=False, from_lever=True)
    p.role[resident[resident >= 0]] = VOLUNTEER_ROLE


def appoint_community_managers(model, wanted: int) -> int:
    """The first ``wanted`` volunteers, in a fixed order, act as community managers."""
    p = model.people
    volunteers = np.flatnonzero(p.role > 0)
    ranked = volunteers[np.argsort(model.resident_priority[volunteers], kind="stable")]
    p.role[ranked] = VOLUNTEER_ROLE
    p.role[ranked[:wanted]] = MANAGER_ROLE
    return int(min(wanted, ranked.size))


def step(model) -> None:
    v, bud = model.venues, model.buddies
    week = model.week
    rng = model.rng_for(NAME)
    level = {name: model.lever(name) for name in model.steering.unit_costs}
    deployed = dict(level)

    # the extra venues first, so the other levers see this week's offer
    wanted = int(round(level["diversity"]))
    _grow_diversity(model, wanted, rng)
    extra = np.flatnonzero(v.origin == DIVERSITY)
    v.open[extra] = np.arange(extra.size) < wanted
    deployed["diversity"] = int(v.open[extra].sum())

    professional = v.open & ~v.resident_run
    share = contracted_share(model)
    v.contracted = first_by_priority(v.priority, professional, int(round(share * professional.sum())))

    v.permanent = first_by_priority(v.priority, v.project & v.open, int(round(level["permanent_funding"])))
    deployed["permanent_funding"] = int(v.permanent.sum())

    for name, kind in LOWER.items():
        v.lifted[:, kind] = first_by_priority(v.priority, v.open & v.thresholds[:, kind], int(round(level[name])))
        deployed[name] = int(v.lifted[:, kind].sum())

    hosts = v.open & np.isin(v.kind, PRESENCE_KINDS)
    v.presence = np.where(hosts, level["presence_hours"] / max(int(hosts.sum()), 1), 0.0).astype(np.float32)
    deployed["presence_hours"] = level["presence_hours"] if hosts.any() else 0.0

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
