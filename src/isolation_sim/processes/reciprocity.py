"""Reciprocity: well-connected residents give back and activate others.

Residents with a strong network who take part in activities may start volunteering;
some volunteer as buddies. Residents trained as community managers (a steering lever)
each reach a few isolated neighbours a month: they take them along to an activity they
know and so become a first light contact there.
"""

from __future__ import annotations

import numpy as np

from ..buddies import VOLUNTEER, pick_residents
from ..network import ACQUAINTANCE
from ..population import NOT_ISOLATED
from ..scenario import GROUPS
from .discovery import learn, random_open_venue

NAME = "reciprocity"
VOLUNTEER_ROLE, MANAGER_ROLE = 1, 2
CAN_VOLUNTEER = np.array([g in ("none", "unemployed_or_retired", "migrant") for g in GROUPS])
REACH_PER_WEEK = 0.25  # community managers reach their neighbours about once a month


def step(model) -> None:
    p, bud, b = model.people, model.buddies, model.params.behaviour
    rng = model.rng_for(NAME)
    n = p.n
    start, stop, buddy_draw = rng.random(n), rng.random(n), rng.random(n)

    able = (p.role == 0) & CAN_VOLUNTEER[p.group] & (p.isolation == NOT_ISOLATED)
    able &= (p.personal_strength >= 3.0) & (p.participation >= 0.3)
    new = able & (start < b.volunteer_per_week)
    programme = np.zeros(n, bool)  # buddies of a programme are replaced when they leave
    programme[bud.resident[(bud.resident >= 0) & ~bud.organic]] = True
    quits = (p.role == VOLUNTEER_ROLE) & ~programme & (stop < b.volunteer_stop_per_week)
    p.role[new] = VOLUNTEER_ROLE
    p.role[quits] = 0
    # an organic buddy who stops volunteering stops being a buddy (matches end next week)
    stopped = bud.organic & (p.role[np.maximum(bud.resident, 0)] == 0)
    bud.active[stopped] = False
    as_buddy = np.flatnonzero(new & (buddy_draw < b.volunteer_buddy_share))
    if as_buddy.size:
        bud.append(kind=np.full(as_buddy.size, VOLUNTEER), caseload=model.params.buddies.caseload.volunteer,
                   hood=p.hood[as_buddy], resident=as_buddy, active=True, organic=True)

    # community managers: the first volunteers in a fixed order, as many as the lever says
    wanted = int(round(model.lever("community_managers")))
    volunteers = np.flatnonzero(p.role > 0)
    ranked = volunteers[np.argsort(model.resident_priority[volunteers], kind="stable")]
    p.role[ranked] = VOLUNTEER_ROLE
    managers = ranked[:wanted]
    p.role[managers] = MANAGER_ROLE
    if managers.size == 0 or b.community_manager_reach == 0:
        return
    reached = rng.binomial(b.community_manager_reach, REACH_PER_WEEK, managers.size)
    by = np.repeat(managers, reached)
    isolated = p.isolation != NOT_ISOLATED
    target = pick_residents(p, p.hood[by], isolated, rng)
    ok = target >= 0
    by, target = by[ok], target[ok]
    venue = np.where(p.attending[by] >= 0, p.attending[by], p.last_venue[by])
    fallback = random_open_venue(model, p.hood[by], rng.random(by.size))
    venue = np.where(venue >= 0, venue, fallback)
    learn(model, target, venue, 1.0, rng)
    model.net.add(target, by, ACQUAINTANCE, 0.2)
