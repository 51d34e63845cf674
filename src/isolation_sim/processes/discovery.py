"""Discovery: residents hear of venues in their own neighbourhood.

Word of mouth travels along ties: the more ties a resident has, the more often they
hear of an activity. What they hear of replaces an empty place in what they know, a
venue that closed, or a venue they do not go to.
"""

from __future__ import annotations

import numpy as np

NAME = "discovery"


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


def step(model) -> None:
    p, b = model.people, model.params.behaviour
    rng = model.rng_for(NAME)
    n = p.n
    hear, draw = rng.random(n), rng.random(n)
    chance = b.discovery_per_week * (0.5 + p.protection)
    who = np.flatnonzero(hear < chance)
    learn(model, who, model.venues.random_open(p.hood[who], draw[who]), 0.0, rng)
