"""Thresholds: the chance to attend a venue falls with its threshold burden.

A resident weighs each venue they know of. The burden is their sensitivity to each
threshold kind times what the venue has of it (distance counts by how far the venue
is from their home). A buddy accompanies (lowers the social and discipline threshold)
and stays present (keeps the resident coming back). The kind of venue that fits a
resident's isolation type (Van Delden's action perspectives: environment initiatives for
individual, mild work arrangements for collective, warm places for double isolation)
draws them more. Familiarity with a venue, from
earlier visits or from a linked venue, lowers its social threshold. Fewer and weaker
ties lower the motivation to go at all: marginalisation reinforces itself.
"""

from __future__ import annotations

import numpy as np

from ..population import COLLECTIVE, DOUBLE, INDIVIDUAL, ISOLATION_TYPES
from ..scenario import VENUE_KINDS
from ..venues import COST, DISCIPLINE, DISTANCE, SOCIAL

NAME = "thresholds"

# Van Delden's action perspectives: what helps each isolation type most.
ACTION_FIT = np.zeros((len(ISOLATION_TYPES), len(VENUE_KINDS)), bool)
ACTION_FIT[INDIVIDUAL, VENUE_KINDS.index("environment_initiative")] = True  # being active in society
ACTION_FIT[COLLECTIVE, VENUE_KINDS.index("mild_work")] = True              # personal meets public world
ACTION_FIT[DOUBLE, VENUE_KINDS.index("warm_place")] = True                 # restoring the personal network
LIFTED_DISTANCE = 0.3  # what is left of the distance burden where transport is arranged


def burden(model) -> np.ndarray:
    """(residents, known venues) threshold burden, before the resident's motivation."""
    p, v, b = model.people, model.venues, model.params.behaviour
    k = np.maximum(p.known, 0)
    thr = v.effective_thresholds()[k]                      # (n, K, 4)
    dist = np.hypot(p.x[:, None] - v.x[k], p.y[:, None] - v.y[k]) / b.distance_scale_km
    s = p.sensitivity[:, None, :]                          # (n, 1, 4)
    accompanied = (p.buddy >= 0)[:, None] * b.buddy_accompaniment
    social = s[..., SOCIAL] * thr[..., SOCIAL] * (1.0 - b.coherence_social_relief * p.familiar)
    softened = (s[..., DISCIPLINE] * thr[..., DISCIPLINE] + social) * (1.0 - accompanied)
    far = s[..., DISTANCE] * dist * (LIFTED_DISTANCE + (1.0 - LIFTED_DISTANCE) * thr[..., DISTANCE])
    return b.threshold_weight * (far + s[..., COST] * thr[..., COST] + softened)


def attendance_probability(model) -> np.ndarray:
    """(residents, known venues) weekly chance to attend each known venue."""
    p, v, b = model.people, model.venues, model.params.behaviour
    k = np.maximum(p.known, 0)
    usable = (p.known >= 0) & v.open[k]
    liking = 4.0 * np.take_along_axis(p.preference, v.activity[k].astype(np.int64), axis=1)
    motivation = (1.0 - b.tie_motivation * (1.0 - p.protection)) * (1.0 - 0.5 * p.self_reliance)
    fit = np.where(ACTION_FIT[p.isolation[:, None], v.kind[k]], b.action_fit, 1.0)
    prob = b.attendance_base * liking * fit * motivation[:, None] * np.exp(-burden(model))
    habit = np.where(p.buddy >= 0, b.habit * b.buddy_presence, b.habit)
    prob = np.where(k == p.last_venue[:, None], prob * habit[:, None], prob)
    return np.where(usable, np.minimum(prob, 0.95), 0.0)


def step(model) -> None:
    p, v, b = model.people, model.venues, model.params.behaviour
    rng = model.rng_for(NAME)
    n = p.n
    go, which, rank_draw = rng.random(n), rng.random(n), rng.random(n)
    p.last_venue = p.attending  # last week's venue: the habit and the buddy's presence act on it
    prob = attendance_probability(model)
    attend = go < 1.0 - np.prod(1.0 - prob, axis=1)
    cum = np.cumsum(prob, axis=1)
    slot = (cum < (which * cum[:, -1])[:, None]).sum(axis=1)
    slot = np.minimum(slot, prob.shape[1] - 1)
    chosen = np.where(attend, p.known[np.arange(n), slot], -1)

    # capacity: where more come than fit, a random part is turned away
    who = np.flatnonzero(chosen >= 0)
    order = np.lexsort((rank_draw[who], chosen[who]))
    venue = chosen[who][order]
    place = np.arange(venue.size) - np.searchsorted(venue, venue)
    room = np.where(v.contracted, (v.capacity * 1.2).astype(np.int64), v.capacity)
    chosen[who[order[place >= room[venue]]]] = -1

    # regulars get to know the group: the social threshold there falls
    here = (p.known == chosen[:, None]) & (chosen >= 0)[:, None]
    p.familiar = np.where(here, p.familiar + 0.25 * (1.0 - p.familiar), p.familiar)

    p.attending = chosen.astype(np.int32)
    v.attendance = np.bincount(chosen[chosen >= 0], minlength=len(v)).astype(np.int32)
    active = (chosen >= 0) | (p.role > 0)
    alpha = 1.0 / b.participation_memory_weeks
    p.participation = ((1.0 - alpha) * p.participation + alpha * active).astype(np.float32)
