"""Reciprocity: residents do something for others, and activate others.

Everything is already there (Radar, seed 003): more than half of the single men on
benefits in Amsterdam already do something for people in their neighbourhood, and whoever
has a problem is part of the solution (Stam's BIOS, seed 004). So any resident, isolated or
not and of any group, may in a week do something for someone who lives nearby (an errand,
a visit, looking in on them): a chance of ``help_per_week``, times the group's ``giving``,
less for a resident with a job (``help_when_employed``: less time), for a lonely one (who
withdraws, as in the ties process) and for a carer with less room left (``care_load``
against ``care_capacity``). Helping is contact: a tie between the two is kept up, and
between strangers it starts one (a neighbour next door, an acquaintance further away), as
a light contact in the street does (ties.meet_nearby). It is giving: a part in public life
(isolation.py) and a load on the giver (support.py).

Any resident may also start volunteering, the more readily the stronger their network
(full at a personal strength of :data:`VOLUNTEER_STRENGTH`) and the more they already take
part or give (full at :data:`VOLUNTEER_ACTIVITY`); some volunteer as buddies. Volunteers
stop now and then; when a buddy stops, their matches end, and a buddy programme recruits
someone new in the neighbourhood.

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
from ..streams import candidates
from .buddies import end_matches
from .discovery import learn, suitable_venue
from .ties import meet_nearby

NAME = "reciprocity"
VOLUNTEER_STRENGTH = 3.0  # personal strength from which a network no longer holds volunteering back
VOLUNTEER_ACTIVITY = 0.3  # participation and giving from which they no longer hold it back
REACH_PER_WEEK = 0.25  # community managers reach their neighbours about once a month


def replace_leaving_buddies(model, rng, passing: np.ndarray | None = None) -> None:
    """Buddies whose resident stopped volunteering: their matches end; a programme (the
    scenario's pool, the ``buddies`` lever) recruits another volunteer in the same
    neighbourhood (never one of ``passing``, residents moving out or in), an organic buddy
    simply stops."""
    p, bud = model.people, model.buddies
    left = (bud.resident >= 0) & bud.active & (p.role[np.maximum(bud.resident, 0)] == NO_ROLE)
    if not left.any():
        return
    end_matches(model, np.isin(p.buddy, np.flatnonzero(left)))
    bud.active[left & bud.organic] = False
    free = (p.role == NO_ROLE) & (p.isolation == NOT_ISOLATED)
    free[bud.resident[bud.resident >= 0]] = False
    if passing is not None:
        free &= ~passing
    peer = p.group == GROUPS.index("psychiatric")  # a peer expert knows it from experience
    for kind, eligible in ((VOLUNTEER, free), (PEER_EXPERT, free & peer)):
        again = np.flatnonzero(left & ~bud.organic & (bud.kind == kind))
        fresh = pick_residents(p, bud.hood[again], eligible, rng)
        bud.resident[again] = fresh
        bud.active[again[fresh < 0]] = False
        p.role[fresh[fresh >= 0]] = VOLUNTEER_ROLE


def help_chance(model, who: np.ndarray | None = None) -> np.ndarray:
    """Per resident (or per resident in ``who``), the chance this week of doing something
    for someone nearby."""
    p, b, f32 = model.people, model.params.behaviour, np.float32
    who = slice(None) if who is None else who
    giving = np.array([model.params.groups[g].giving for g in GROUPS], f32)[p.group[who]]
    time = np.where(p.employed[who], f32(b.help_when_employed), f32(1.0))
    reach = f32(1.0) - f32(b.lonely_withdrawal / 11.0) * np.minimum(p.loneliness[who], f32(11.0))
    room = np.maximum(f32(1.0) - p.care_load[who] / f32(b.care_capacity), f32(0.0))
    return f32(b.help_per_week) * giving * time * reach * room


def start_chance(model, who: np.ndarray | None = None) -> np.ndarray:
    """Per resident (or per resident in ``who``), the weekly chance of starting to volunteer
    (0 for a resident who has a role)."""
    p, b, f32 = model.people, model.params.behaviour, np.float32
    who = slice(None) if who is None else who
    network = np.minimum(f32(1.0), p.personal_strength[who] / f32(VOLUNTEER_STRENGTH))
    active = np.minimum(f32(1.0), (p.participation[who] + p.giving[who]) / f32(VOLUNTEER_ACTIVITY))
    return np.where(p.role[who] == NO_ROLE, f32(b.volunteer_per_week) * network * active, f32(0.0))


def drawn(rng, model, chance, rate: float) -> np.ndarray:
    """The residents an event of ``chance(model, who)`` (at most ``rate``) happens to this
    week, each independently: candidates at ``rate``, thinned (streams.candidates)."""
    who = candidates(rng, model.people.n, rate)
    return who[rng.random(who.size) * rate < chance(model, who)] if rate > 0 else who


def step(model) -> None:
    p, bud, b = model.people, model.buddies, model.params.behaviour
    rng = model.rng_for(NAME)

    top = b.help_per_week * max(model.params.groups[g].giving for g in GROUPS)
    who = drawn(rng, model, help_chance, top)
    model.neighbour_help = np.zeros(p.n, bool)
    model.neighbour_help[who] = True
    where, made = rng.random((2, who.size))
    meet_nearby(model, who, where, made)

    new = drawn(rng, model, start_chance, b.volunteer_per_week)
    quits = candidates(rng, p.n, b.volunteer_stop_per_week)
    quits = quits[p.role[quits] == VOLUNTEER_ROLE]
    p.role[new] = VOLUNTEER_ROLE
    p.role[quits] = NO_ROLE
    replace_leaving_buddies(model, rng)
    as_buddy = new[rng.random(new.size) < b.volunteer_buddy_share]
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
