"""Reciprocity: well-connected residents give back and activate others.

Residents with a strong network who take part in activities may start volunteering;
some volunteer as buddies. Volunteers stop now and then; when a buddy stops, their matches
end, and a buddy programme recruits someone new in the neighbourhood.

Residents on benefits trained as community managers (a steering lever; Radar, seed 003)
each reach a few isolated neighbours a month: they take them along to an activity, their
own or the one in the neighbourhood the neighbour finds easiest
(:func:`discovery.suitable_venue`), and so become a first light contact there.
"""

from __future__ import annotations

import numpy as np

from ..buddies import PEER_EXPERT, VOLUNTEER, pick_residents
from ..layers import ACQUAINTANCE
from ..population import MANAGER_ROLE, NO_ROLE, NOT_ISOLATED, VOLUNTEER_ROLE
from ..scenario import GROUPS
from .buddies import end_matches
from .discovery import learn, suitable_venue

NAME = "reciprocity"
CAN_VOLUNTEER = np.array([g in ("none", "unemployed_or_retired", "migrant") for g in GROUPS])
REACH_PER_WEEK = 0.25  # community managers reach their neighbours about once a month


def replace_leaving_buddies(model, rng) -> None:
    """Buddies whose resident stopped volunteering: their matches end; a programme (the
    scenario's pool, the ``buddies`` lever) recruits another volunteer in the same
    neighbourhood, an organic buddy simply stops."""
    p, bud = model.people, model.buddies
    left = (bud.resident >= 0) & bud.active & (p.role[np.maximum(bud.resident, 0)] == NO_ROLE)
    if not left.any():
        return
    end_matches(model, np.isin(p.buddy, np.flatnonzero(left)))
    bud.active[left & bud.organic] = False
    free = (p.role == NO_ROLE) & (p.isolation == NOT_ISOLATED)
    free[bud.resident[bud.resident >= 0]] = False
    peer = p.group == GROUPS.index("psychiatric")  # a peer expert knows it from experience
    for kind, eligible in ((VOLUNTEER, free & CAN_VOLUNTEER[p.group]), (PEER_EXPERT, free & peer)):
        again = np.flatnonzero(left & ~bud.organic & (bud.kind == kind))
        fresh = pick_residents(p, bud.hood[again], eligible, rng)
        bud.resident[again] = fresh
        bud.active[again[fresh < 0]] = False
        p.role[fresh[fresh >= 0]] = VOLUNTEER_ROLE


def step(model) -> None:
    p, bud, b = model.people, model.buddies, model.params.behaviour
    rng = model.rng_for(NAME)
    n = p.n
    start, stop, buddy_draw = rng.random(n), rng.random(n), rng.random(n)

    able = (p.role == NO_ROLE) & CAN_VOLUNTEER[p.group] & (p.isolation == NOT_ISOLATED)
    able &= (p.personal_strength >= 3.0) & (p.participation >= 0.3)
    new = able & (start < b.volunteer_per_week)
    quits = (p.role == VOLUNTEER_ROLE) & (stop < b.volunteer_stop_per_week)
    p.role[new] = VOLUNTEER_ROLE
    p.role[quits] = NO_ROLE
    replace_leaving_buddies(model, rng)
    as_buddy = np.flatnonzero(new & (buddy_draw < b.volunteer_buddy_share))
    if as_buddy.size:
        bud.append(kind=np.full(as_buddy.size, VOLUNTEER), caseload=model.params.buddies.caseload.volunteer,
                   hood=p.hood[as_buddy], resident=as_buddy, active=True, organic=True)

    managers = np.flatnonzero(p.role == MANAGER_ROLE)  # appointed by the lever (steering)
    if managers.size == 0 or b.community_manager_reach == 0:
        return
    reached = rng.binomial(b.community_manager_reach, REACH_PER_WEEK, managers.size)
    by = np.repeat(managers, reached)
    isolated = p.isolation != NOT_ISOLATED
    target = pick_residents(p, p.hood[by], isolated, rng)
    ok = target >= 0
    by, target = by[ok], target[ok]
    own = np.where(p.attending[by] >= 0, p.attending[by], p.last_venue[by])
    learn(model, target, suitable_venue(model, target, own, rng), 1.0, rng)
    model.net.add(target, by, ACQUAINTANCE, 0.2)
