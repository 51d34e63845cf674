"""Ties: contact keeps ties alive; without it they weaken and are lost.

Each week every tie has a chance of contact that depends on its layer and on how much
both people reach out. Without contact a tie weakens; any tie can end (a move, a quarrel,
a life event), more often without contact. Lonely residents withdraw (drift to the
periphery): their ties see less contact, weaken faster and end more often.

Light contacts in the street add new ties: next-door neighbours, or acquaintances a
little further away; an acquaintance seen often enough becomes a friend.
"""

from __future__ import annotations

import numpy as np

from ..network import ACQUAINTANCE, BUDDY, FRIEND, HOUSEHOLD, LAYERS, NEIGHBOUR, WEEKLY_CONTACT

NAME = "ties"
STREET_WINDOW = 100  # how far along the spatial order a street contact can be
NEXT_DOOR = 6        # this close, a street contact is a neighbour


def _per_layer(values: dict[str, float]) -> np.ndarray:
    return np.array([values.get(layer, 0.0) for layer in LAYERS], np.float32)


def step(model) -> None:
    p, net, b = model.people, model.net, model.params.behaviour
    rng = model.rng_for(NAME)
    n = p.n
    street, partner = rng.random(n), rng.random(n)
    lonely = np.clip(p.loneliness / 11.0, 0.0, 1.0)
    reach = 1.0 - b.lonely_withdrawal * lonely

    # light contacts in public space: the breeding ground for new ties
    who = np.flatnonzero(street < b.street_contact_per_week * reach)
    offset = ((partner[who] * 2 - 1) * STREET_WINDOW).astype(np.int64)
    offset[offset == 0] = 1
    other = model.spatial_order[np.clip(model.spatial_rank[who] + offset, 0, n - 1)]
    row = net.find(who, other)
    net.contact[row[row >= 0]] = True
    next_door = np.abs(offset) <= NEXT_DOOR
    new = row < 0
    net.add(who[new & next_door], other[new & next_door], NEIGHBOUR, 0.15)
    net.add(who[new & ~next_door], other[new & ~next_door], ACQUAINTANCE, 0.08)

    # contact along existing ties
    layer = net.layer
    chance = _per_layer(b.contact_chance)[layer] * reach[net.u] * reach[net.v]
    contact = net.contact | (rng.random(len(net)) < chance) | (layer == HOUSEHOLD)
    net.contact = contact
    s = net.strength
    worse = np.maximum(lonely[net.u], lonely[net.v])
    decay = _per_layer(b.decay)[layer] * (1.0 + b.lonely_decay * worse)
    s = np.where(contact, s + b.contact_gain * (1.0 - s), s * (1.0 - decay))
    s[layer == HOUSEHOLD] = np.maximum(s[layer == HOUSEHOLD], 0.5)
    net.strength = s.astype(np.float32)

    # promotion of light contacts seen often
    promote = (layer == ACQUAINTANCE) & (net.strength >= b.friend_threshold)
    net.layer[promote] = FRIEND

    p.weekly_contacts = net.degree(mask=contact & WEEKLY_CONTACT[net.layer]).astype(np.int16)

    # loss: ties end (moves, quarrels, life events), more often without contact and
    # more often for lonely residents
    loss = _per_layer(b.loss)[layer] * (1.0 + b.lonely_decay * worse) * np.where(contact, 0.5, 1.0)
    lose = rng.random(len(net)) < loss
    lose |= net.strength < b.tie_floor
    lose &= (net.layer != HOUSEHOLD) & (net.layer != BUDDY)
    net.remove(lose)
