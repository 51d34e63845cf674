"""Continuity: project funding ends and new projects are funded, resident initiatives fold
and start.

A project-funded venue closes in the week its funding ends, unless the municipality
funds it permanently. With ``offer.new_projects`` (the baseline), the project money goes
on, as municipalities run it in cycles: each project venue that closes (its funding ended,
or it folded for want of residents) is succeeded in its neighbourhood by a new project,
drawn as the inventory is (``Venues.add_from_inventory``), so the offer keeps its size and
its threshold profile while its venues change (the limited continuity of seed 000's
barrier B). Without it, the offer only shrinks: a world with no new project money.

Resident-run initiatives fold now and then, more often when few come and less often when
they are supported; active, well-connected residents start new ones, drawn as the
inventory is. Today's neighbourhood keeps today's initiatives: unless the scenario sets
``behaviour.initiative_start_per_1000``, the start rate per active resident is the rate at
which, at the end of the burn-in (no lever acting yet), new initiatives balance the ones
expected to fold. More active residents then start more initiatives and fewer fewer, and
municipal support raises the start rate (up to ``1 + MAX_START_BOOST`` times: support
helps residents start, but cannot make more of them willing to).
"""

from __future__ import annotations

import numpy as np

from ..venues import INVENTORY

NAME = "continuity"
SUPPORTED_FOLD = 0.2       # supported initiatives fold this much as often
EMPTY_FOLD = 10.0          # ... and with fewer than 3 coming, this much more often (months, not years),
SEASON = 13                # once open this many weeks: a new initiative gets a season to find its people
MAX_START_BOOST = 2.0      # support raises the start rate by at most this factor minus one ...
BOOST_SCALE = 10.0         # ... two-thirds of the way there at this many supported per neighbourhood


def active_residents(model) -> np.ndarray:
    """Residents who take part regularly and have a strong network: they start initiatives."""
    p = model.people
    return (p.participation >= 0.5) & (p.personal_strength >= 2.0)


def fold_chance(model, support: bool = True) -> np.ndarray:
    """Each venue's chance to fold this week (0 unless open and run by residents)."""
    v, b = model.venues, model.params.behaviour
    fold = b.initiative_fold_per_week * np.where(v.supported & support, SUPPORTED_FOLD, 1.0)
    empty = (v.attendance < 3) & ((v.origin == INVENTORY) | (model.week - v.opened_week >= SEASON))
    fold = fold * np.where(empty, EMPTY_FOLD, 1.0)
    return np.where(v.open & v.resident_run, fold, 0.0)


def balancing_start_rate(model) -> float:
    """Starts per active resident per week that balance the expected folds of today's
    initiatives (those not funded as projects: a project that folds is succeeded anyway)."""
    v = model.venues
    folds = fold_chance(model, support=False)[~v.project].sum()
    return float(folds / max(int(active_residents(model).sum()), 1))


def step(model) -> None:
    v, p, b = model.venues, model.people, model.params.behaviour
    rng = model.rng_for(NAME)
    week = model.week
    fold_draw = rng.random(len(v))
    if week <= 0:  # the burn-in: the offer stays as it is today
        return
    if model.initiative_rate is None:  # the first week after the burn-in, before any lever acts
        given = b.initiative_start_per_1000
        model.initiative_rate = balancing_start_rate(model) if given is None else given / 1000.0

    ends = v.open & v.project & ~v.permanent & (v.end_week <= week)
    folds = fold_draw < fold_chance(model)
    closing = ends | folds
    v.open[closing] = False
    renew = closing & v.project
    if model.params.offer.new_projects and renew.any():  # a stream of its own: the other draws stay aligned
        v.add_from_inventory(v.hood[renew], model.params.offer, week, model.rng_for("projects"))

    per_hood = np.bincount(p.hood[active_residents(model)], minlength=model.hoods)
    supported = int(v.supported.sum())  # as deployed by the lever this week
    boost = 1.0 + MAX_START_BOOST * (1.0 - np.exp(-supported / model.hoods / BOOST_SCALE))
    starts = rng.poisson(model.initiative_rate * per_hood * boost)
    if starts.sum() == 0:
        return
    hood = np.repeat(np.arange(model.hoods, dtype=np.int32), starts)
    v.add_from_inventory(hood, model.params.offer, week, rng, project=False)
