"""Continuity: project funding ends and new projects are funded, resident initiatives fold
and start.

A project-funded venue closes in the week its funding ends, unless the municipality
funds it permanently. With ``offer.new_projects`` (the baseline), the project money goes
on, as municipalities run it in cycles: each project venue that closes (its funding ended,
or it folded for want of residents) is followed by a new project in its place
(``Venues.succeed``: the same neighbourhood, activity type and number of thresholds), so
the offer keeps its size and its threshold table while its venues change (the limited
continuity of seed 000's barrier B). Without it, the offer only shrinks: a world with no
new project money.

Resident-run initiatives fold now and then, more often when few come and less often when
they are supported, or anchored: run at, or linked to, a permanent, staffed place (a
venue funded for good or with professional presence). That is where stability and
dynamics meet (barrier B of seed 000, the limited continuity of citizen initiatives, and
its "permanent platforms to secure presence and continuity"): an initiative elsewhere is
anchored only by a link (dynamics) to a place with presence or permanence (stability).
In the baseline no place is permanent or staffed, so nothing is anchored.

Active, well-connected residents keep initiatives going: a
neighbourhood keeps today's initiatives (counted in the first week after the burn-in,
before any lever acts) in proportion to how many of its residents are active now against
today, times the support's ``boost`` (at most ``1 + MAX_START_BOOST``: support helps
residents start, it cannot make more of them willing to). Where fewer run than that,
residents start new ones, drawn as the inventory is, filling the gap in a season
(``SEASON`` weeks) on average. So today's neighbourhood keeps today's initiatives, one with
fewer active residents loses them, and one with more, or with support, gains them, up to
a bound. With ``behaviour.initiative_start_per_1000`` set, initiatives start at that rate
per active resident instead.

The burn-in renews the offer one for one, so week 0 has the inventory's table exactly and
residents who know, frequent and are used to an offer that turns over.
"""

from __future__ import annotations

import numpy as np

from ..venues import DIVERSITY, INVENTORY

NAME = "continuity"
SUPPORTED_FOLD = 0.2       # supported initiatives fold this much as often
ANCHORED_FOLD = 0.5        # ... and those anchored at a permanent, staffed place (barrier B) this much
EMPTY_FOLD = 10.0          # ... and with fewer than 3 coming, this much more often (months, not years),
SEASON = 13                # once open this many weeks: a new initiative gets a season to find its people
MAX_START_BOOST = 2.0      # support raises the start rate by at most this factor minus one ...
BOOST_SCALE = 10.0         # ... two-thirds of the way there at this many supported per neighbourhood


def active_residents(model) -> np.ndarray:
    """Residents who take part regularly and have a strong network: they start initiatives."""
    p = model.people
    return (p.participation >= 0.5) & (p.personal_strength >= 2.0)


def anchored(v) -> np.ndarray:
    """Venues that are, or are linked to, a permanent, staffed place: funded for good or
    with professional presence (seed 000: permanent platforms "voor borging van presentie
    en continuïteit")."""
    staffed = v.open & (v.permanent | (v.presence > 0))
    if not staffed.any():  # the baseline: no need to gather the links
        return staffed
    start, linked = v.linked()
    owner = np.repeat(np.arange(len(v)), np.diff(start))
    near = np.zeros(len(v), bool)
    near[owner[staffed[linked]]] = True
    return staffed | near


def fold_chance(model) -> np.ndarray:
    """Each venue's chance to fold this week (0 unless open and run by residents)."""
    v, b = model.venues, model.params.behaviour
    fold = b.initiative_fold_per_week * np.where(v.supported, SUPPORTED_FOLD, 1.0)
    fold = fold * np.where(anchored(v), ANCHORED_FOLD, 1.0)
    empty = (v.attendance < 3) & ((v.origin == INVENTORY) | (model.week - v.opened_week >= SEASON))
    fold = fold * np.where(empty, EMPTY_FOLD, 1.0)
    return np.where(v.open & v.resident_run, fold, 0.0)


def initiatives(model) -> np.ndarray:
    """Open resident initiatives (resident-run venues that are not projects) per neighbourhood."""
    v = model.venues
    return np.bincount(v.hood[v.open & v.resident_run & ~v.project], minlength=model.hoods)


def kept_going(model, active: np.ndarray, boost: float) -> np.ndarray:
    """The initiatives each neighbourhood's active residents keep going: today's, in
    proportion to how many are active now against today, times the support's boost."""
    today = model.active_today
    ratio = np.where(today > 0, active / np.maximum(today, 1), 1.0)
    return model.initiatives_today * ratio * boost


def step(model) -> None:
    v, p, b = model.venues, model.people, model.params.behaviour
    rng = model.rng_for(NAME)
    offer = model.params.offer
    week = model.week
    fold_draw = rng.random(len(v))
    active = np.bincount(p.hood[active_residents(model)], minlength=model.hoods)
    if week == 1:  # the first week after the burn-in, before any lever acts
        model.active_today, model.initiatives_today = active, initiatives(model)

    ends = v.open & v.project & ~v.permanent & (v.end_week <= week)
    folds = fold_draw < fold_chance(model)
    closing = ends | folds
    v.open[closing] = False
    gone = np.flatnonzero(folds & ~v.project)  # initiatives that folded
    renew = np.flatnonzero(closing & v.project & (v.origin != DIVERSITY))  # the lever renews its own
    if (offer.new_projects or week <= 0) and renew.size:  # a stream of its own: the other draws stay aligned
        v.succeed(renew, offer, week, model.rng_for("projects"))

    if week <= 0:  # the burn-in: each initiative that folds is followed by one in its place
        if gone.size:
            v.succeed(gone, offer, week, rng)
        return
    supported = int(v.supported.sum())  # as deployed by the lever this week
    boost = 1.0 + MAX_START_BOOST * (1.0 - np.exp(-supported / model.hoods / BOOST_SCALE))
    if b.initiative_start_per_1000 is not None:
        starts = rng.poisson(b.initiative_start_per_1000 / 1000.0 * active * boost)
    else:  # residents start one in an empty place within a season, on average
        gap = np.maximum(kept_going(model, active, boost) - initiatives(model), 0.0)
        starts = np.floor(gap / SEASON + rng.random(model.hoods)).astype(np.int64)
    if starts.sum():
        hood = np.repeat(np.arange(model.hoods, dtype=np.int32), starts)
        v.add_from_inventory(hood, offer, week, rng, project=False)
