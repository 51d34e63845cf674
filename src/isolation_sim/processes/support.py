"""Layered support: needs are met close to home first, by professionals last.

Following the layers of society's carrying capacity (Stam, seed 004): household, then
family and friends, then neighbours and acquaintances, then volunteers and peer experts,
and only then professionals, whose support costs money. A self-reliant attitude ("I'll
manage on my own") makes a resident less likely to ask anyone, so the need goes unmet.
Complex needs (a share that differs by group) need professionals whatever the network.

Support has a giver (informal networks are channels of two-way dependency, Hortulanus,
seed 002): a need met informally is met by one resident at the other end of a tie strong
enough to lean on, in the closest layer where someone still has room. What a resident
gives is their *care load* (needs met a week, remembered over ``care_memory_weeks``): a
carer whose load has reached ``care_capacity`` is not asked again until it falls, except
in their own household, where the need is met whatever the load. A carer can so be
overburdened (wellbeing.py). Help given outside one's household, here or to a neighbour
(reciprocity.py), is *giving*: a part in public life (isolation.py, wellbeing.py).
"""

from __future__ import annotations

import numpy as np

from .. import kernels
from ..layers import BUDDY, HOUSEHOLD
from ..streams import candidates

NAME = "support"
SUPPORT_LAYERS = ("household", "family_and_friends", "neighbourhood", "volunteers", "professionals", "unmet")
PROFESSIONALS, UNMET = 4, 5
ASKING_BARRIER = 0.8  # how much self-reliance holds back asking for help


# Which support layer each tie layer belongs to (Stam's layers), as the kernel takes it.
LAYER_OF_TIE = np.array([0, 1, 1, 2, 2, 3], np.int8)  # household, family, friend, neighbour, acquaintance, buddy


def helpers(model, asking: np.ndarray, salt: np.uint64) -> tuple[np.ndarray, np.ndarray]:
    """Who helps each resident ``asking`` (-1 none) and in which support layer
    (:func:`kernels.choose_helpers`)."""
    p, net, b = model.people, model.net, model.params.behaviour
    net.commit()
    helper = np.full(p.n, -1, np.int64)
    layer = np.full(p.n, 127, np.int8)
    kernels.choose_helpers(net.u, net.v, net.layer, net.strength, asking, LAYER_OF_TIE,
                           np.float32(b.support_tie_strength), BUDDY, p.care_load, np.float32(b.care_capacity),
                           salt, helper, layer)
    return helper, layer


def remember_giving(model, helper: np.ndarray, in_household: np.ndarray) -> None:
    """The week's help into each resident's care load and giving (support and
    reciprocity's help to neighbours), and the week they last gave."""
    p, b = model.people, model.params.behaviour
    given = np.bincount(helper, minlength=p.n).astype(np.float32)
    outside = np.bincount(helper[~in_household], minlength=p.n).astype(np.float32)
    neighbours = model.neighbour_help.astype(np.float32)
    keep = np.float32(1.0 - 1.0 / b.care_memory_weeks)
    p.care_load = (keep * p.care_load + (1 - keep) * (given + neighbours)).astype(np.float32)
    p.giving = (keep * p.giving + (1 - keep) * (outside + neighbours)).astype(np.float32)
    gave = (given > 0) | model.neighbour_help | (p.role > 0)  # volunteers give every week
    p.last_gave[gave] = model.week


def step(model) -> None:
    p, b = model.people, model.params.behaviour
    rng = model.rng_for(NAME)
    top = float(p.support_need.max(initial=0.0))
    drawn = candidates(rng, p.n, top)  # thinned: each resident has a need with their own chance
    needy = drawn[rng.random(drawn.size) * top < p.support_need[drawn]]
    asks = rng.random(needy.size) >= ASKING_BARRIER * p.self_reliance[needy]
    complex_need = rng.random(needy.size) < model.complex_needs[needy]
    salt = rng.integers(0, 2**63, dtype=np.uint64)
    asking = np.zeros(p.n, bool)
    asking[needy[asks & ~complex_need]] = True
    helper, layer = helpers(model, asking, salt)
    first = np.where(complex_need | (helper[needy] < 0), PROFESSIONALS, layer[needy])
    p.support_layer[:] = -1
    p.support_layer[needy] = np.where(asks, first, UNMET)
    met = helper >= 0
    remember_giving(model, helper[met], layer[met] == LAYER_OF_TIE[HOUSEHOLD])
    professional = int(np.count_nonzero(p.support_layer == PROFESSIONALS))
    if model.week > 0:
        model.book_cost("professional_support", professional * b.professional_support_cost)
