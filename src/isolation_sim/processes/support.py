"""Layered support: needs are met close to home first, by professionals last.

Following the layers of society's carrying capacity (Stam): household, then family and
friends, then neighbours and acquaintances, then volunteers and peer experts, and only
then professionals, whose support costs money. A self-reliant attitude ("I'll manage on
my own") makes a resident less likely to ask anyone, so the need goes unmet. Complex
needs (a share that differs by group) need professionals whatever the network.
"""

from __future__ import annotations

import numpy as np

from ..layers import BUDDY

NAME = "support"
SUPPORT_LAYERS = ("household", "family_and_friends", "neighbourhood", "volunteers", "professionals", "unmet")
PROFESSIONALS, UNMET = 4, 5
ASKING_BARRIER = 0.8  # how much self-reliance holds back asking for help


# Which support layer each tie layer belongs to (Stam's layers); -1: none.
LAYER_OF_TIE = np.array([0, 1, 1, 2, 2, 3])  # household, family, friend, neighbour, acquaintance, buddy


def _first_layer_table() -> np.ndarray:
    """For every combination of strong tie layers (a bit each), the first support layer."""
    table = np.full(64, PROFESSIONALS, np.int8)
    for bits in range(64):
        layers = [LAYER_OF_TIE[t] for t in range(6) if bits >> t & 1]
        if layers:
            table[bits] = min(layers)
    return table


FIRST_LAYER = _first_layer_table()


def strong_bits(model) -> np.ndarray:
    """Per resident, a bit per tie layer with a tie strong enough to lean on; a resident
    buddy (volunteer, peer expert) counts as a buddy tie whatever its strength."""
    return model.totals.strong_layers | (model.buddy_is_resident().astype(np.uint8) << BUDDY)


def available_layers(model) -> np.ndarray:
    """(residents, 4) whether each informal layer can help: a tie strong enough there."""
    bits = strong_bits(model)
    strong = (bits[:, None] >> np.arange(6, dtype=np.uint8)) & 1 == 1
    return np.column_stack([strong[:, LAYER_OF_TIE == k].any(axis=1) for k in range(4)])


def step(model) -> None:
    p, b = model.people, model.params.behaviour
    rng = model.rng_for(NAME)
    n = p.n
    need_draw, ask_draw, complex_draw = rng.random(n), rng.random(n), rng.random(n)
    need = need_draw < p.support_need
    complex_need = complex_draw < model.complex_needs
    asks = ask_draw >= ASKING_BARRIER * p.self_reliance
    first = np.where(complex_need, PROFESSIONALS, FIRST_LAYER[strong_bits(model)])
    p.support_layer = np.where(need, np.where(asks, first, UNMET), -1).astype(np.int8)
    professional = int(np.count_nonzero(p.support_layer == PROFESSIONALS))
    if model.week > 0:
        model.book_cost("professional_support", professional * b.professional_support_cost)
