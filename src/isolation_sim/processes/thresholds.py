"""Thresholds: the chance to attend a venue falls with its threshold burden.

A resident weighs each venue they know of. The burden is their sensitivity to each
threshold kind times what the venue has of it (distance counts by how far the venue
is from their home). A buddy accompanies (lowers the social and discipline threshold)
and stays present (keeps the resident coming back). The kind of venue that fits a
resident's isolation type (Van Delden's action perspectives: environment initiatives for
individual, mild work arrangements for collective, warm places for double isolation)
draws them more. A venue contracted on production (seed 000, barrier E) asks a newcomer
for an intake first (until their first visit its discipline threshold counts in full),
fills its places to target (room for 1.2 times its capacity) and, when full, keeps the
residents who least risk its numbers: the vulnerable are turned away first. Familiarity
with a venue, from earlier visits or from a linked venue, lowers its social threshold. Fewer and weaker
ties lower the motivation to go at all: marginalisation reinforces itself.
"""

from __future__ import annotations

import numpy as np

from .. import kernels, parallel
from ..population import COLLECTIVE, DOUBLE, INDIVIDUAL, ISOLATION_TYPES
from ..scenario import VENUE_KINDS

NAME = "thresholds"

# Van Delden's action perspectives: what helps each isolation type most.
ACTION_FIT = np.zeros((len(ISOLATION_TYPES), len(VENUE_KINDS)), bool)
ACTION_FIT[INDIVIDUAL, VENUE_KINDS.index("environment_initiative")] = True  # being active in society
ACTION_FIT[COLLECTIVE, VENUE_KINDS.index("mild_work")] = True              # personal meets public world
ACTION_FIT[DOUBLE, VENUE_KINDS.index("warm_place")] = True                 # restoring the personal network
# What is left of the distance burden at a venue without a distance threshold: within
# walking distance, or with transport arranged by the lower_distance lever.
LIFTED_DISTANCE = 0.3
FAMILIARITY_STEP = 0.25  # how much a visit closes the gap to full familiarity
# A venue contracted on production takes a newcomer only after an intake (seed 000,
# barrier E: steering on production, not on coherence): for a resident less familiar with
# it than one visit makes them, its discipline threshold counts in full.
INTAKE_DONE = FAMILIARITY_STEP
CONTRACTED_ROOM = 1.2  # ... and fills its places to target: room for this many times its capacity


def burden_and_probability(model) -> tuple[np.ndarray, np.ndarray]:
    """(residents, known venues) threshold burden and weekly chance to attend.

    burden = threshold_weight * (s_distance * distance / distance_scale_km
             * (1 where the venue has a distance threshold, else LIFTED_DISTANCE)
             + s_cost * cost + (s_discipline * (1 at a contracted venue while
             familiarity < INTAKE_DONE: the intake, else discipline)
             + s_social * social * (1 - coherence_social_relief * familiarity))
             * (1 - buddy_accompaniment if the resident has a buddy))
    chance = attendance_base * 4 * preference[activity] * (action_fit where the venue kind
             fits the isolation type) * motivation * exp(-burden), times habit (and
             buddy_presence with a buddy) at last week's venue, at most 0.95; 0 where closed.
    motivation = (1 - tie_motivation * (1 - protection)) * (1 - 0.5 * self_reliance)
    """
    p, v, b = model.people, model.venues, model.params.behaviour
    burden, prob = np.empty(p.known.shape), np.empty(p.known.shape)
    parallel.run(
        kernels.attendance, parallel.parts(p.n),
        p.x, p.y, p.sensitivity, p.preference, p.protection, p.self_reliance, p.buddy >= 0,
        p.last_venue, p.isolation, p.known, p.familiar,
        v.x, v.y, v.effective_thresholds(), v.open, v.activity, v.kind, ACTION_FIT, v.contracted,
        b.threshold_weight, b.distance_scale_km, b.buddy_accompaniment, b.coherence_social_relief,
        LIFTED_DISTANCE, INTAKE_DONE, b.attendance_base, b.tie_motivation, b.action_fit, b.habit, b.buddy_presence,
        burden, prob,
    )
    return burden, prob


def burden(model) -> np.ndarray:
    """(residents, known venues) threshold burden, before the resident's motivation."""
    return burden_and_probability(model)[0]


def attendance_probability(model) -> np.ndarray:
    """(residents, known venues) weekly chance to attend each known venue."""
    return burden_and_probability(model)[1]


def admit(model, chosen: np.ndarray, rank_draw: np.ndarray) -> np.ndarray:
    """Capacity: where more come than fit, a random part is turned away (``chosen`` becomes
    -1 for them); returns the attendance per venue. A venue contracted on production fills
    its places to target (``CONTRACTED_ROOM`` times its capacity) and with the residents who
    least risk its numbers: the vulnerable are turned away first."""
    v, p = model.venues, model.people
    room = np.where(v.contracted, (v.capacity * CONTRACTED_ROOM).astype(np.int64), v.capacity).astype(np.int64)
    creamed = v.contracted[np.maximum(chosen, 0)] & (chosen >= 0) & p.vulnerable
    rank = np.where(creamed, rank_draw + 1.0, rank_draw)
    return kernels.turn_away(chosen, room, rank, len(v)).astype(np.int32)


def step(model) -> None:
    p, v, b = model.people, model.venues, model.params.behaviour
    rng = model.rng_for(NAME)
    n = p.n
    go, which, rank_draw = rng.random(n), rng.random(n), rng.random(n)
    p.last_venue = p.attending  # last week's venue: the habit and the buddy's presence act on it
    chosen = np.empty(n, np.int32)
    parallel.run(kernels.choose_venues, parallel.parts(n), attendance_probability(model), p.known, go, which, chosen)

    v.attendance = admit(model, chosen, rank_draw)
    kernels.get_familiar(p.known, p.familiar, chosen, FAMILIARITY_STEP)
    p.attending = chosen.astype(np.int32)
    active = (chosen >= 0) | (p.role > 0)
    alpha = 1.0 / b.participation_memory_weeks
    p.participation = ((1.0 - alpha) * p.participation + alpha * active).astype(np.float32)
