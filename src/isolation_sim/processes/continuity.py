"""Continuity: project funding ends and new projects are funded, resident initiatives fold
and start.

A project-funded venue closes in the week its funding ends, unless the municipality
funds it permanently. With ``offer.new_projects`` (the baseline), the project money goes
on, as municipalities run it in cycles: each project that ends is succeeded in its
neighbourhood by a new project, drawn as the inventory is (``Venues.add_projects``), so
the offer keeps its size and its threshold profile while its venues change (the limited
continuity of seed 000's barrier B). Without it, the offer only shrinks: a world with no
new project money. Resident-run initiatives fold now and then, more often when few
come and less often when they are supported; active, well-connected residents start new
ones as small groups, more of them when the municipality supports initiatives (up to
``1 + MAX_START_BOOST`` times as many: support helps residents start, but cannot make
more of them willing to).
"""

from __future__ import annotations

import numpy as np

from ..scenario import ACTIVITY_TYPES
from ..venues import INITIATIVE, SMALL_GROUP_CAPACITY

NAME = "continuity"
SUPPORTED_FOLD = 0.2       # supported initiatives fold this much as often
EMPTY_FOLD = 10.0          # ... and with fewer than 3 coming, this much more often (months, not years)
MAX_START_BOOST = 2.0      # support raises the start rate by at most this factor minus one ...
BOOST_SCALE = 10.0         # ... two-thirds of the way there at this many supported per neighbourhood


def step(model) -> None:
    v, p, b = model.venues, model.people, model.params.behaviour
    rng = model.rng_for(NAME)
    week = model.week
    fold_draw = rng.random(len(v))
    if week <= 0:  # the burn-in: the offer stays as it is today
        return

    ends = v.open & v.project & ~v.permanent & (v.end_week <= week)
    fold = b.initiative_fold_per_week * np.where(v.supported, SUPPORTED_FOLD, 1.0)
    fold = fold * np.where(v.attendance < 3, EMPTY_FOLD, 1.0)
    folds = v.open & v.resident_run & (fold_draw < fold)
    v.open[ends | folds] = False
    if model.params.offer.new_projects and ends.any():  # a stream of its own: the other draws stay aligned
        v.add_projects(v.hood[ends], model.params.offer, week, model.rng_for("projects"))

    active = (p.participation >= 0.5) & (p.personal_strength >= 2.0)
    per_hood = np.bincount(p.hood[active], minlength=model.hoods)
    supported = int(v.supported.sum())  # as deployed by the lever this week
    boost = 1.0 + MAX_START_BOOST * (1.0 - np.exp(-supported / model.hoods / BOOST_SCALE))
    starts = rng.poisson(b.initiative_start_per_1000 * per_hood / 1000.0 * boost)
    if starts.sum() == 0:
        return
    hood = np.repeat(np.arange(model.hoods, dtype=np.int32), starts)
    count = hood.size
    activity = rng.integers(0, len(ACTIVITY_TYPES), count).astype(np.int8)
    nthr = 1 + (rng.random(count) < 0.5).astype(np.int64)  # an unknown group is still a threshold
    v.add_local(hood, activity, nthr, model.params.offer.threshold_weights.as_tuple(), rng,
                capacity=SMALL_GROUP_CAPACITY, small_group=True, small_base=True, resident_run=True,
                open=True, opened_week=week, origin=INITIATIVE)
