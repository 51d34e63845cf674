"""Discovery: residents hear of venues in their own neighbourhood.

Word of mouth travels along ties: the more ties a resident has, the more often they
hear of an activity. What they hear of replaces an empty place in what they know, a
venue that closed, or a venue they do not go to.
"""

from __future__ import annotations

import numpy as np

NAME = "discovery"
TRIES = 6  # open venues a companion weighs when choosing where to take someone


def learn(model, who: np.ndarray, venue: np.ndarray, familiarity, rng) -> None:
    """Residents ``who`` come to know ``venue`` (one per resident) with ``familiarity``."""
    p, v = model.people, model.venues
    ok = venue >= 0
    who, venue = who[ok], venue[ok]
    familiarity = np.broadcast_to(np.asarray(familiarity, np.float32), ok.shape)[ok]
    who, first = np.unique(who, return_index=True)
    venue, familiarity = venue[first], familiarity[first]
    if who.size == 0:
        return
    rows = p.known[who]
    present = rows == venue[:, None]
    already = present.any(axis=1)
    score = np.where(rows < 0, 0.0, np.where(v.open[np.maximum(rows, 0)], 2.0 + rng.random(rows.shape), 1.0))
    # the venue they went to last week or go to now is kept (an empty place never is)
    keep = (rows >= 0) & ((rows == p.last_venue[who][:, None]) | (rows == p.attending[who][:, None]))
    score = np.where(keep, 9.0, score)
    slot = np.where(already, present.argmax(axis=1), score.argmin(axis=1))
    old = np.where(already, p.familiar[who, slot], 0.0)
    p.known[who, slot] = venue
    p.familiar[who, slot] = np.maximum(old, familiarity)


def suitable_venue(model, who: np.ndarray, own: np.ndarray, rng, tries: int = TRIES) -> np.ndarray:
    """A place to take each resident ``who`` to: of the companion's ``own`` venue (-1 for
    none) and ``tries`` open venues in the resident's neighbourhood, the open one with the
    least of what this resident finds hard (their sensitivity times the venue's thresholds
    after levers). Where the offer has few low-threshold places, the best of them is still
    hard to reach: an introduction leads as far as the offer allows (-1 where none is open).
    """
    v, p = model.venues, model.people
    draws = rng.random((who.size, tries))
    options = np.column_stack([own, *(v.random_open(p.hood[who], draws[:, t]) for t in range(tries))])
    options = np.where((options >= 0) & v.open[np.maximum(options, 0)], options, -1)
    hard = np.einsum("ik,ijk->ij", p.sensitivity[who], v.effective_thresholds()[np.maximum(options, 0)])
    hard = np.where(options >= 0, hard, np.inf)
    return options[np.arange(who.size), np.argmin(hard, axis=1)] if who.size else options[:, 0]


def step(model) -> None:
    p, b = model.people, model.params.behaviour
    rng = model.rng_for(NAME)
    n = p.n
    hear, draw = rng.random(n), rng.random(n)
    chance = b.discovery_per_week * (0.5 + p.protection)
    who = np.flatnonzero(hear < chance)
    learn(model, who, model.venues.random_open(p.hood[who], draw[who]), 0.0, rng)
