"""Meeting at venues: co-attendance makes light contacts, repetition makes ties.

Attendees of the same venue meet a few others there. A first meeting may become a light
contact (an acquaintance tie); meeting again strengthens it, and in the ties process a
strong enough acquaintance becomes a friend. Small active groups with a leader (5-10
people) meet more of their group each time and bind faster than large open groups.
"""

from __future__ import annotations

import numpy as np

from ..network import ACQUAINTANCE

NAME = "meeting"
SUBGROUP = 8          # members per small group inside a venue run as small groups
FIRST_STRENGTH = 0.1  # strength of a new light contact


def step(model) -> None:
    p, v, net, b = model.people, model.venues, model.net, model.params.behaviour
    rng = model.rng_for(NAME)
    n = p.n
    per = max(b.contacts_per_visit, b.contacts_per_visit_small_group)
    draws = rng.random((n, per))
    new_draw = rng.random((n, per))
    who = np.flatnonzero(p.attending >= 0)
    if who.size < 2:
        return
    venue = p.attending[who].astype(np.int64)
    small = v.small_group[venue]
    groups = np.where(small, np.maximum(1, -(-v.capacity[venue] // SUBGROUP)), 1)
    sub = (who * 2654435761 % 2**32) % groups           # fixed subgroup per resident
    cell = venue * (int(groups.max()) + 1) + sub
    order = np.argsort(cell, kind="stable")
    who, cell, small = who[order], cell[order], small[order]
    first = np.searchsorted(cell, cell)
    size = np.searchsorted(cell, cell, side="right") - first
    pos = np.arange(who.size) - first
    meets = np.where(small, b.contacts_per_visit_small_group, b.contacts_per_visit)

    a_list, b_list, small_list, new_list = [], [], [], []
    for j in range(per):  # a handful of contact rounds, each vectorised over all attendees
        ok = (size > 1) & (j < meets)
        other = first + (pos + 1 + (draws[who, j] * (size - 1)).astype(np.int64)) % np.maximum(size, 1)
        a_list.append(who[ok])
        b_list.append(who[other[ok]])
        small_list.append(small[ok])
        new_list.append(new_draw[who[ok], j])
    a = np.concatenate(a_list)
    c = np.concatenate(b_list)
    in_small = np.concatenate(small_list)
    chance = np.concatenate(new_list)

    row = net.find(a, c)
    met = row >= 0
    gain = b.contact_gain * np.where(in_small[met], b.small_group_gain, 1.0)
    np.add.at(net.strength, row[met], (gain * (1.0 - net.strength[row[met]])).astype(np.float32))
    np.minimum(net.strength, 1.0, out=net.strength)
    net.contact[row[met]] = True
    fresh = ~met & (chance < b.new_contact_chance * np.where(in_small, b.small_group_gain, 1.0))
    net.add(a[fresh], c[fresh], ACQUAINTANCE, FIRST_STRENGTH)
