"""Meeting at venues: co-attendance makes light contacts, repetition makes ties.

Attendees of the same venue meet a few others there. A first meeting may become a light
contact (an acquaintance tie); meeting again strengthens it, and in the ties process a
strong enough acquaintance becomes a friend. Small active groups with a leader (5-10
people) meet more of their group each time and bind faster than large open groups.
"""

from __future__ import annotations

import numpy as np

from .. import kernels, parallel
from ..layers import ACQUAINTANCE
from .ties import welcome

NAME = "meeting"
SUBGROUP = 8          # members per small group inside a venue run as small groups
FIRST_STRENGTH = 0.1  # strength of a new light contact


def step(model) -> None:
    p, v, net, b = model.people, model.venues, model.net, model.params.behaviour
    rng = model.rng_for(NAME)
    per = max(b.contacts_per_visit, b.contacts_per_visit_small_group)
    who = np.flatnonzero(p.attending >= 0)
    if who.size < 2:
        return
    draws = rng.random((who.size, per))     # one row per attendee, in resident order
    new_draw = rng.random((who.size, per))
    venue = p.attending[who].astype(np.int64)
    small = v.small_group[venue]
    groups = np.where(small, np.maximum(1, -(-v.capacity[venue] // SUBGROUP)), 1)
    sub = (who * 2654435761 % 2**32) % groups           # fixed subgroup per resident
    cell = venue * (int(groups.max()) + 1) + sub
    order = np.argsort(cell, kind="stable")
    cell = cell[order]
    starts = np.flatnonzero(np.r_[True, cell[1:] != cell[:-1]])  # parts split between cells
    found = parallel.run(
        kernels.meet, parallel.parts(who.size, starts),
        who[order], cell, small[order], order, net.first, net.v, net.alive, net.strength, net.contact,
        b.contacts_per_visit, b.contacts_per_visit_small_group, b.contact_gain, b.small_group_gain,
        b.new_contact_chance, draws, new_draw,
    )
    new_a, new_b = (np.concatenate(ends) for ends in zip(*found))
    made = welcome(model, new_a, new_b, rng)  # openness: a full network, or a group that makes few ties, takes few
    net.add(new_a[made], new_b[made], ACQUAINTANCE, FIRST_STRENGTH)
