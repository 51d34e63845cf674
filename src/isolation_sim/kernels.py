"""Compiled loops over ties and residents, for the few places where numpy falls short.

Each weekly process is written with numpy, except where ``benchmarks/run.py`` showed
that a pass over millions of ties or a per-resident choice dominates the weekly step
(see ``docs/performance.md``). Those loops are here, compiled with numba. Each does in
one pass what would take numpy several passes over the same arrays; none draws random
numbers (they are drawn with numpy from the process's own stream and passed in), so
results do not depend on the compiler.
"""

from __future__ import annotations

import numpy as np
from numba import njit

HOUSEHOLD, FAMILY, FRIEND, NEIGHBOUR, ACQUAINTANCE, BUDDY = range(6)


@njit(cache=True, nogil=True)
def merge_ties(key, u, v, layer, strength, contact, alive, new_key, new_u, new_v, new_layer, new_strength):
    """Drop dead ties and merge sorted new ties into the sorted store, in one pass."""
    m = 0
    for i in range(key.size):
        if alive[i]:
            m += 1
    total = m + new_key.size
    out_key = np.empty(total, np.int64)
    out_u = np.empty(total, np.int32)
    out_v = np.empty(total, np.int32)
    out_layer = np.empty(total, np.int8)
    out_strength = np.empty(total, np.float32)
    out_contact = np.empty(total, np.bool_)
    i = 0
    j = 0
    for k in range(total):
        while i < key.size and not alive[i]:
            i += 1
        take_old = j >= new_key.size or (i < key.size and key[i] < new_key[j])
        if take_old:
            out_key[k] = key[i]
            out_u[k] = u[i]
            out_v[k] = v[i]
            out_layer[k] = layer[i]
            out_strength[k] = strength[i]
            out_contact[k] = contact[i]
            i += 1
        else:
            out_key[k] = new_key[j]
            out_u[k] = new_u[j]
            out_v[k] = new_v[j]
            out_layer[k] = new_layer[j]
            out_strength[k] = new_strength[j]
            out_contact[k] = True
            j += 1
    return out_key, out_u, out_v, out_layer, out_strength, out_contact


@njit(cache=True, nogil=True)
def sum_both_ends(u, v, weights, select, n):
    """``out[i]`` = sum of ``weights`` over the selected ties of resident ``i``."""
    out = np.zeros(n, np.float64)
    for e in range(u.size):
        if select[e]:
            out[u[e]] += weights[e]
            out[v[e]] += weights[e]
    return out


@njit(cache=True, nogil=True)
def sum_other_end(u, v, weights, values, select, n):
    """``out[i]`` = sum over the selected ties of ``i`` of ``weight * values[other end]``."""
    out = np.zeros(n, np.float64)
    for e in range(u.size):
        if select[e]:
            out[u[e]] += weights[e] * values[v[e]]
            out[v[e]] += weights[e] * values[u[e]]
    return out


@njit(cache=True, nogil=True)
def layer_bits(u, v, layer, strength, min_strength, n):
    """Per resident, bit ``l`` set when they have a tie of layer ``l`` at least ``min_strength``."""
    out = np.zeros(n, np.uint8)
    for e in range(u.size):
        if strength[e] >= min_strength:
            bit = np.uint8(1 << layer[e])
            out[u[e]] |= bit
            out[v[e]] |= bit
    return out


@njit(cache=True, nogil=True)
def tie_totals(u, v, layer, strength, contact, personal, weekly, good_strength, support_strength,
               lonely, public, n):
    """Everything the later processes need to know of each resident's ties, in one pass.

    Returns per resident: summed strength of personal ties; summed ``min(1, s / good)``
    over personal ties; number of personal ties; number of lonely personal contacts;
    strength of personal ties to residents in public life; number of all ties; number of
    ties with contact this week in the ``weekly`` layers; and a bit per layer set where a
    tie of that layer is at least ``support_strength``.
    """
    strength_sum = np.zeros(n, np.float64)
    good = np.zeros(n, np.float64)
    count = np.zeros(n, np.int32)
    lonely_count = np.zeros(n, np.int32)
    to_public = np.zeros(n, np.float64)
    all_count = np.zeros(n, np.int32)
    weekly_count = np.zeros(n, np.int32)
    bits = np.zeros(n, np.uint8)
    for e in range(u.size):
        a = u[e]
        b = v[e]
        kind = layer[e]
        s = strength[e]
        all_count[a] += 1
        all_count[b] += 1
        if contact[e] and weekly[kind]:
            weekly_count[a] += 1
            weekly_count[b] += 1
        if s >= support_strength:
            bit = np.uint8(1 << kind)
            bits[a] |= bit
            bits[b] |= bit
        if personal[kind]:
            g = min(1.0, s / good_strength)
            strength_sum[a] += s
            strength_sum[b] += s
            good[a] += g
            good[b] += g
            count[a] += 1
            count[b] += 1
            lonely_count[a] += lonely[b]
            lonely_count[b] += lonely[a]
            to_public[a] += s * public[b]
            to_public[b] += s * public[a]
    return strength_sum, good, count, lonely_count, to_public, all_count, weekly_count, bits


@njit(cache=True, nogil=True)
def ties_week(u, v, layer, strength, contact, reach, lonely, chance, decay, loss, lonely_decay,
              gain, friend_threshold, floor, contact_draw, loss_draw):
    """Contact, weakening, promotion and loss of every tie for one week (the ties process).

    Returns the mask of ties that end. ``layer``, ``strength`` and ``contact`` change in place.
    """
    lose = np.zeros(u.size, np.bool_)
    for e in range(u.size):
        a = u[e]
        b = v[e]
        kind = layer[e]
        met = contact[e] or kind == HOUSEHOLD or contact_draw[e] < chance[kind] * reach[a] * reach[b]
        contact[e] = met
        worse = max(lonely[a], lonely[b])
        factor = 1.0 + lonely_decay * worse
        s = strength[e]
        if met:
            s = s + gain * (1.0 - s)
        else:
            s = s * (1.0 - decay[kind] * factor)
        if kind == HOUSEHOLD:
            s = max(s, 0.5)
        strength[e] = s
        if kind == ACQUAINTANCE and strength[e] >= friend_threshold:
            kind = FRIEND
            layer[e] = FRIEND
        chance_to_end = loss[kind] * factor * (0.5 if met else 1.0)
        ends = loss_draw[e] < chance_to_end or strength[e] < floor
        lose[e] = ends and kind != HOUSEHOLD and kind != BUDDY
    return lose


@njit(cache=True, nogil=True)
def choose_venues(prob, known, go, which):
    """Each resident attends at most one known venue: with chance ``1 - prod(1 - p)``,
    the venue drawn in proportion to ``p``. Returns the venue per resident (-1 none)."""
    n, k = prob.shape
    out = np.full(n, -1, np.int32)
    for i in range(n):
        stay = 1.0
        total = 0.0
        for j in range(k):
            stay *= 1.0 - prob[i, j]
            total += prob[i, j]
        if go[i] < 1.0 - stay and total > 0.0:
            target = which[i] * total
            acc = 0.0
            pick = k - 1
            for j in range(k):
                acc += prob[i, j]
                if acc > target:
                    pick = j
                    break
            out[i] = known[i, pick]
    return out


@njit(cache=True, nogil=True)
def attendance(px, py, sens, pref, protection, self_reliance, has_buddy, last_venue, isolation,
               known, familiar, vx, vy, thr, is_open, activity, kind, fits,
               threshold_weight, distance_scale, accompaniment, social_relief, lifted_distance,
               base, tie_motivation, action_fit, habit, buddy_presence):
    """Threshold burden and weekly attendance chance of every resident at every venue they
    know (the thresholds process; ``thresholds.py`` gives the rules in words)."""
    n, k = known.shape
    burden = np.zeros((n, k), np.float64)
    prob = np.zeros((n, k), np.float64)
    for i in range(n):
        motivation = (1.0 - tie_motivation * (1.0 - protection[i])) * (1.0 - 0.5 * self_reliance[i])
        accompanied = accompaniment if has_buddy[i] else 0.0
        keep_coming = habit * buddy_presence if has_buddy[i] else habit
        for j in range(k):
            venue = known[i, j]
            w = max(venue, 0)
            dist = np.hypot(px[i] - vx[w], py[i] - vy[w]) / distance_scale
            social = sens[i, 3] * thr[w, 3] * (1.0 - social_relief * familiar[i, j])
            softened = (sens[i, 2] * thr[w, 2] + social) * (1.0 - accompanied)
            far = sens[i, 0] * dist * (lifted_distance + (1.0 - lifted_distance) * thr[w, 0])
            load = threshold_weight * (far + sens[i, 1] * thr[w, 1] + softened)
            burden[i, j] = load
            if venue < 0 or not is_open[venue]:
                continue
            fit = action_fit if fits[isolation[i], kind[venue]] else 1.0
            chance = base * 4.0 * pref[i, activity[venue]] * fit * motivation * np.exp(-load)
            if venue == last_venue[i]:
                chance *= keep_coming
            prob[i, j] = min(chance, 0.95)
    return burden, prob
