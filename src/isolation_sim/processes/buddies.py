"""Buddies: vulnerable residents are matched to a buddy, and matches end.

Welfare workers signal isolated vulnerable residents; those who accept (a self-reliant
attitude makes that less likely) are matched to a buddy in their neighbourhood with room
in their caseload, residents in double isolation first. A match ends after the maximum
duration or by drop-out. A volunteer or peer-expert buddy is a tie in the ``buddy``
layer; when the match ends it stays on as a friendship if it grew strong enough.

A buddy "introduces and stays present" (seed 000, access through individual support
relationships): at the start of the match the buddy takes the resident to an activity,
the buddy's own or the place in the neighbourhood the resident finds easiest
(:func:`discovery.suitable_venue`), and goes along for the first visits (the resident
knows it with familiarity :data:`FIRST_VISITS`); while the resident goes nowhere, the
buddy tries again now and then (:data:`TRY_AGAIN`). How far this leads depends on the
offer: a buddy can only lead to a place whose thresholds the resident can cross with
company (the accompaniment in ``thresholds``).
"""

from __future__ import annotations

import numpy as np

from ..layers import BUDDY, FRIEND
from ..population import DOUBLE, NOT_ISOLATED
from .discovery import learn, suitable_venue

NAME = "buddies"
FIRST_STRENGTH = 0.3
FIRST_VISITS = 0.5   # familiarity with the place the buddy introduces: they went along the first times
TRY_AGAIN = 1 / 13   # weekly chance that a buddy tries another place while the resident goes nowhere
INTRODUCE = True     # buddies introduce residents to an activity (off: they only accompany)


def end_matches(model, ending: np.ndarray) -> None:
    """End the matches of residents ``ending`` (a boolean mask)."""
    p, bud, net, b = model.people, model.buddies, model.net, model.params.behaviour
    who = np.flatnonzero(ending)
    if who.size == 0:
        return
    buddy = p.buddy[who]
    bud.matches -= np.bincount(buddy, minlength=len(bud)).astype(np.int32)
    friend = bud.resident[buddy]
    is_res = friend >= 0
    net.unstage(who[is_res], friend[is_res], BUDDY)  # a match made and ended in one week leaves no tie
    row = net.find(who, np.where(friend >= 0, friend, who))
    row = row[(row >= 0) & (net.layer[np.maximum(row, 0)] == BUDDY)]
    stays = net.strength[row] >= b.friend_threshold
    net.layer[row[stays]] = FRIEND
    drop = np.zeros(len(net), bool)
    drop[row[~stays]] = True
    net.remove(drop)
    p.buddy[who] = -1


def step(model) -> None:
    p, bud, net = model.people, model.buddies, model.net
    cfg = model.params.buddies
    rng = model.rng_for(NAME)
    n = p.n
    drop, signal, accept, order_draw = rng.random(n), rng.random(n), rng.random(n), rng.random(n)

    matched = p.buddy >= 0
    b_idx = np.maximum(p.buddy, 0)
    gone = ~bud.active[b_idx] if len(bud) else np.zeros(n, bool)
    over = (model.week - p.match_week) >= cfg.max_match_weeks
    dropped = drop < cfg.dropout_per_week * (1.0 + p.self_reliance)
    end_matches(model, matched & (gone | over | dropped))
    again = (p.buddy >= 0) & (p.attending < 0) & (rng.random(n) < TRY_AGAIN)
    introduce(model, np.flatnonzero(again), rng)

    free = bud.free_places()
    if free.sum() == 0:
        return
    is_buddy = np.zeros(n, bool)
    is_buddy[bud.resident[(bud.resident >= 0) & bud.active]] = True
    want = (p.buddy < 0) & p.vulnerable & (p.isolation != NOT_ISOLATED) & ~is_buddy
    want &= (signal < cfg.referral_per_week) & (accept >= p.self_reliance)
    cand = np.flatnonzero(want)
    if cand.size == 0:
        return
    cand = cand[np.lexsort((order_draw[cand], p.isolation[cand] != DOUBLE, p.hood[cand]))]
    c_hood = p.hood[cand]
    c_rank = np.arange(cand.size) - np.searchsorted(c_hood, c_hood)
    slots = np.repeat(np.arange(len(bud)), free)
    slots = slots[np.argsort(bud.hood[slots], kind="stable")]
    s_start = np.searchsorted(bud.hood[slots], np.arange(model.hoods + 1))
    ok = c_rank < (s_start[c_hood + 1] - s_start[c_hood])
    who = cand[ok]
    buddy = slots[s_start[c_hood[ok]] + c_rank[ok]]
    p.buddy[who] = buddy
    p.match_week[who] = model.week
    bud.matches += np.bincount(buddy, minlength=len(bud)).astype(np.int32)
    friend = bud.resident[buddy]
    is_res = (friend >= 0) & (friend != who)
    net.add(who[is_res], friend[is_res], BUDDY, FIRST_STRENGTH)  # an existing tie stays as it is
    introduce(model, who, rng)


def introduce(model, who: np.ndarray, rng) -> None:
    """The buddies of residents ``who`` take them to an activity and go along the first times."""
    if not INTRODUCE or who.size == 0:
        return
    p, bud = model.people, model.buddies
    friend = bud.resident[p.buddy[who]]
    mate = np.maximum(friend, 0)
    own = np.where(friend >= 0, np.where(p.attending[mate] >= 0, p.attending[mate], p.last_venue[mate]), -1)
    learn(model, who, suitable_venue(model, who, own, rng), FIRST_VISITS, rng)
