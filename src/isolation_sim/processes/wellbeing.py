"""Loneliness and quality of life, from the network and from participation.

A few good ties protect, with diminishing returns (4-5 good contacts protect most).
Taking part in public life protects too. Loneliness spreads along ties: the share of a
resident's contacts who are lonely pulls their own loneliness up. Loneliness is on the
De Jong Gierveld scale (0-11): lonely from 3, severely lonely from 9.

Giving and receiving both shape quality of life (Radar's balance of giving and taking,
seed 003): help given outside one's household is a part in public life like an activity,
a need met counts, and a carer whose care load is beyond what they can carry
(``care_capacity``) loses up to :data:`OVERBURDEN_WEIGHT` of it, fully at twice the capacity.
"""

from __future__ import annotations

import numpy as np

from .support import PROFESSIONALS, UNMET

NAME = "wellbeing"
OVERBURDEN_WEIGHT = 0.1  # of quality of life (0..1) lost by a carer at twice their capacity


def protection(model) -> np.ndarray:
    """0..1 protection by the personal network: ``1 - exp(-good ties / scale)``."""
    return 1.0 - np.exp(-model.totals.good_ties / model.params.behaviour.protection_scale)


def public_life(model) -> np.ndarray:
    """0..1 how much a resident takes part in the public world (activities and help given
    outside the household, work, volunteering)."""
    p = model.people
    return np.maximum.reduce([np.minimum(1.0, 2.0 * (p.participation + p.giving)), 0.8 * p.employed,
                              (p.role > 0) * 1.0])


def overburden(model) -> np.ndarray:
    """0..1 how far a carer's load is beyond their capacity: 0 within it, 1 at twice it."""
    capacity = model.params.behaviour.care_capacity
    return np.clip(model.people.care_load / capacity - 1.0, 0.0, 1.0)


def step(model) -> None:
    p, b = model.people, model.params.behaviour
    rng = model.rng_for(NAME)
    noise = rng.standard_normal(p.n).astype(np.float32)
    totals = model.totals  # the ties as the ties process left them this week
    p.protection = protection(model).astype(np.float32)
    p.personal_strength = totals.personal_strength.astype(np.float32)
    lonely_contacts = totals.lonely_contacts / np.maximum(totals.personal_ties, 1)
    public = public_life(model)
    bias = model.loneliness_bias
    target = 11.0 * np.clip(
        b.loneliness_base + bias
        + b.loneliness_network * (1.0 - p.protection)
        + b.loneliness_participation * (1.0 - public)
        + b.loneliness_contagion * lonely_contacts,
        0.0, 1.0,
    ) + p.trait
    step_size = b.loneliness_rate * (target - p.loneliness) + b.loneliness_noise * noise
    p.loneliness = np.clip(p.loneliness + step_size, 0.0, 11.0).astype(np.float32)

    # a need met close to home counts fully, by professionals half, unmet not at all (Stam)
    supported = np.select([p.support_layer == UNMET, p.support_layer == PROFESSIONALS], [0.0, 0.5], 1.0)
    qol = (0.45 * (1.0 - p.loneliness / 11.0) + 0.2 * p.protection + 0.2 * public + 0.15 * supported
           - OVERBURDEN_WEIGHT * overburden(model))
    p.quality_of_life = (10.0 * np.clip(qol, 0.0, 1.0)).astype(np.float32)
