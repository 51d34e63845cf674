"""Coherence: attending a venue opens the venues linked to it (stepping stones).

Where venues are linked (light coordination, shared hosts, joint activities), an
attendee is introduced to a linked venue: they come to know it and its social threshold
is lower for them, because they arrive through people they already know. Venues under
production contracts refer on half as often: they are steered on their own numbers.
"""

from __future__ import annotations

import numpy as np

from .discovery import learn

NAME = "coherence"
CONTRACTED_REFERRAL = 0.5


def step(model) -> None:
    p, v, b = model.people, model.venues, model.params.behaviour
    rng = model.rng_for(NAME)
    n = p.n
    expose, pick = rng.random(n), rng.random(n)
    start, linked = v.linked()
    if linked.size == 0:
        return
    here = np.maximum(p.attending, 0)
    count = np.where(p.attending >= 0, start[here + 1] - start[here], 0)
    # a venue under a production contract is judged on its own numbers: it refers on less
    exposure = b.coherence_exposure * np.where(v.contracted[here], CONTRACTED_REFERRAL, 1.0)
    who = np.flatnonzero((count > 0) & (expose < exposure))
    target = linked[start[here[who]] + (pick[who] * count[who]).astype(np.int64)]
    target = np.where(v.open[target], target, -1)
    learn(model, who, target, 1.0, rng)
