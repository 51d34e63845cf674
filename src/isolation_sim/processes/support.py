"""Layered support: needs are met close to home first, by professionals last.

Following the layers of society's carrying capacity (Stam): household, then family and
friends, then neighbours and acquaintances, then volunteers and peer experts, and only
then professionals, whose support costs money. A self-reliant attitude ("I'll manage on
my own") makes a resident less likely to ask anyone, so the need goes unmet. Complex
needs (a share that differs by group) need professionals whatever the network.
"""

from __future__ import annotations

import numpy as np

from ..network import ACQUAINTANCE, BUDDY, FAMILY, FRIEND, HOUSEHOLD, NEIGHBOUR

NAME = "support"
SUPPORT_LAYERS = ("household", "family_and_friends", "neighbourhood", "volunteers", "professionals", "unmet")
PROFESSIONALS, UNMET = 4, 5
ASKING_BARRIER = 0.8  # how much self-reliance holds back asking for help


def available_layers(model) -> np.ndarray:
    """(residents, 4) whether each informal layer can help: a tie strong enough there."""
    bits = model.totals.strong_layers
    strong = (bits[:, None] >> np.arange(6, dtype=np.uint8)) & 1 == 1
    return np.column_stack([
        strong[:, HOUSEHOLD],
        strong[:, FAMILY] | strong[:, FRIEND],
        strong[:, NEIGHBOUR] | strong[:, ACQUAINTANCE],
        strong[:, BUDDY] | model.buddy_is_resident(),
    ])


def step(model) -> None:
    p, b = model.people, model.params.behaviour
    rng = model.rng_for(NAME)
    n = p.n
    need_draw, ask_draw, complex_draw = rng.random(n), rng.random(n), rng.random(n)
    need = need_draw < p.support_need
    complex_need = complex_draw < model.complex_needs
    asks = ask_draw >= ASKING_BARRIER * p.self_reliance
    layers = available_layers(model)
    informal = layers.any(axis=1)
    first = np.where(informal & ~complex_need, layers.argmax(axis=1), PROFESSIONALS)
    p.support_layer = np.where(need, np.where(asks, first, UNMET), -1).astype(np.int8)
    professional = int(np.count_nonzero(p.support_layer == PROFESSIONALS))
    if model.week > 0:
        model.book_cost("professional_support", professional * b.professional_support_cost)
