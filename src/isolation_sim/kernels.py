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

from .layers import ACQUAINTANCE, BUDDY, FRIEND, HOUSEHOLD


@njit(cache=True, nogil=True)
def merge_ties(key, u, v, layer, strength, contact, alive, new_key, new_u, new_v, new_layer, new_strength, n):
    """Drop dead ties and merge sorted new ties into the sorted store, in one pass.

    Also returns ``first``: the ties of resident ``i`` as the lower end are rows
    ``first[i]`` to ``first[i + 1]``."""
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
    first = np.zeros(n + 1, np.int64)
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
        first[out_u[k] + 1] += 1
    for r in range(n):
        first[r + 1] += first[r]
    return out_key, out_u, out_v, out_layer, out_strength, out_contact, first


@njit(cache=True, nogil=True)
def _find(first, v, alive, a, b):
    """Row of the living tie between ``a`` and ``b``, or -1."""
    lo = min(a, b)
    hi = max(a, b)
    for r in range(first[lo], first[lo + 1]):
        if v[r] == hi:
            return r if alive[r] else -1
    return -1


@njit(cache=True, nogil=True)
def find_ties(first, v, alive, a, b):
    """Row of the living tie between ``a[i]`` and ``b[i]`` (-1 where none), scanning the
    few ties of the lower-numbered resident."""
    out = np.empty(a.size, np.int64)
    for i in range(a.size):
        out[i] = _find(first, v, alive, a[i], b[i])
    return out


@njit(cache=True, nogil=True)
def end_touching(u, v, alive, gone, lo, hi):
    """Mark dead every tie in rows ``lo..hi`` with an end in ``gone`` (residents moving out)."""
    for e in range(lo, hi):
        if gone[u[e]] or gone[v[e]]:
            alive[e] = False


@njit(cache=True, nogil=True)
def sum_both_ends(u, v, weights, select, n):
    """``out[i]`` = sum of ``weights`` over the selected ties of resident ``i``."""
    out = np.zeros(n, np.float64)
    for e in range(u.size):
        if select[e]:
            out[u[e]] += weights[e]
            out[v[e]] += weights[e]
    return out


TOTALS = ("personal_strength", "good_ties", "personal_ties", "lonely_contacts", "public_strength",
          "all_ties", "weekly_contacts")


def tie_totals(u, v, layer, strength, contact, personal, weekly, good_strength, support_strength,
               lonely, public, out, bits, lo, hi):
    """Add ties ``lo..hi`` to what the later processes need to know of each resident's ties.

    ``out`` is a (residents, 7) table with the columns of ``TOTALS`` (a resident's row is
    one block of memory: each tie touches two rows, not fourteen arrays); ``bits`` has,
    per resident, a bit per layer set where a tie of that layer is at least
    ``support_strength``. ``personal`` and ``weekly`` mark the layers that are personal
    and that count for weekly contact; ``lonely`` and ``public`` are 1.0 per resident who
    is lonely and who is in public life. This is ``ties_week`` with the week left out.
    """
    unused = np.zeros(1, np.float32)
    ties_week(u, v, layer, strength, contact, contact, unused, 0.0, unused, unused, unused, unused, 0.0, 0.0,
              0.0, 0.0, unused, np.zeros(0, np.bool_), np.zeros(0, np.bool_), False, personal, weekly, good_strength,
              support_strength, lonely, public, out, bits, lo, hi)


@njit(cache=True, nogil=True)
def ties_week(u, v, layer, strength, contact, alive, reach_lonely, withdrawal, attention, chance, decay, loss,
              lonely_decay, gain, friend_threshold, floor, draw, strained, lose, this_week,
              personal, weekly, good_strength, support_strength, lonely, public, out, bits, lo, hi):
    """Contact, weakening, promotion and loss of ties ``lo..hi`` for one week (the ties
    process), and the totals of the living ties that stay, in one pass.

    ``reach_lonely`` is 0..1; a resident reaches out ``1 - withdrawal * reach_lonely``, and
    ``attention`` (0..1 per resident) is the share of the contact a tie would have that the
    resident's time and attention still allow (``ties.attention``). One
    uniform draw per tie decides both contact and loss: where it decided contact, the part
    of the unit interval it fell in is stretched back to a fresh uniform for the loss.
    Sets ``lose`` where a tie ends; ``layer``, ``strength`` and ``contact`` change in
    place. With ``this_week`` False the ties stay as they are and are only totalled
    (``tie_totals``). The totals are as ``tie_totals`` describes. One loop does both
    because a pass over millions of ties costs its reads, not its arithmetic (and a
    helper function for the totals made numba's loop three times slower, measured).
    """
    for e in range(lo, hi):
        a = u[e]
        b = v[e]
        kind = layer[e]
        s = strength[e]
        met = contact[e]
        ends = False
        if this_week:
            la = reach_lonely[a]
            lb = reach_lonely[b]
            x = draw[e]
            kept_up = kind == HOUSEHOLD and not (strained[a] or strained[b])
            met = met or kept_up
            if not met:
                p_contact = (chance[kind] * (1.0 - withdrawal * la) * (1.0 - withdrawal * lb)
                             * attention[a] * attention[b])
                if x < p_contact:
                    met = True
                    x = x / p_contact
                else:
                    x = (x - p_contact) / (1.0 - p_contact)
            contact[e] = met
            factor = 1.0 + lonely_decay * max(la, lb)
            if met:
                s = np.float32(s + gain * (1.0 - s))
            else:
                s = np.float32(s * (1.0 - decay[kind] * factor))
            if kept_up:
                s = max(s, np.float32(0.5))
            strength[e] = s
            if kind == ACQUAINTANCE and s >= friend_threshold:
                kind = FRIEND
                layer[e] = FRIEND
            chance_to_end = loss[kind] * factor * (0.5 if met else 1.0)
            ends = (x < chance_to_end or s < floor) and kind != HOUSEHOLD and kind != BUDDY
            lose[e] = ends
            ends = ends or not alive[e]
        if ends:
            continue
        out[a, 5] += 1.0
        out[b, 5] += 1.0
        if met and weekly[kind]:
            out[a, 6] += 1.0
            out[b, 6] += 1.0
        if s >= support_strength:
            bit = np.uint8(1 << kind)
            bits[a] |= bit
            bits[b] |= bit
        if personal[kind]:
            g = min(np.float32(1.0), s / good_strength)
            out[a, 0] += s
            out[b, 0] += s
            out[a, 1] += g
            out[b, 1] += g
            out[a, 2] += 1.0
            out[b, 2] += 1.0
            out[a, 3] += lonely[b]
            out[b, 3] += lonely[a]
            out[a, 4] += s * public[b]
            out[b, 4] += s * public[a]


@njit(cache=True, nogil=True)
def choose_venues(prob, known, go, which, out, lo, hi):
    """Each resident ``lo..hi`` attends at most one known venue: with chance
    ``1 - prod(1 - p)``, the venue drawn in proportion to ``p``. Sets ``out`` to the venue
    per resident (-1 none)."""
    k = prob.shape[1]
    for i in range(lo, hi):
        out[i] = -1
        stay = 1.0
        total = 0.0
        for j in range(k):
            stay *= 1.0 - prob[i, j]
            total += prob[i, j]
        if go[i] < 1.0 - stay and total > 0.0:
            target = which[i] * total
            acc = 0.0
            pick = -1
            for j in range(k):
                if prob[i, j] > 0.0:
                    pick = j  # the last slot with a chance, should rounding leave target unmet
                    acc += prob[i, j]
                    if acc > target:
                        break
            out[i] = known[i, pick]


@njit(cache=True, nogil=True)
def attendance(px, py, sens, pref, protection, self_reliance, has_buddy, last_venue, isolation,
               known, familiar, vx, vy, thr, is_open, activity, kind, fits, contracted,
               threshold_weight, distance_scale, accompaniment, social_relief, lifted_distance, intake_done,
               base, tie_motivation, action_fit, habit, buddy_presence, burden, prob, lo, hi):
    """Threshold burden and weekly attendance chance of residents ``lo..hi`` at every venue
    they know, into ``burden`` and ``prob`` (the thresholds process; ``thresholds.py``
    gives the rules in words)."""
    k = known.shape[1]
    for i in range(lo, hi):
        motivation = (1.0 - tie_motivation * (1.0 - protection[i])) * (1.0 - 0.5 * self_reliance[i])
        accompanied = accompaniment if has_buddy[i] else 0.0
        keep_coming = habit * buddy_presence if has_buddy[i] else habit
        for j in range(k):
            venue = known[i, j]
            burden[i, j] = 0.0
            prob[i, j] = 0.0
            if venue < 0:  # an empty place: no venue, no burden, no chance
                continue
            w = venue
            dx = px[i] - vx[w]
            dy = py[i] - vy[w]
            dist = np.sqrt(dx * dx + dy * dy) / distance_scale
            social = sens[i, 3] * thr[w, 3] * (1.0 - social_relief * familiar[i, j])
            discipline = thr[w, 2]
            if contracted[w] and familiar[i, j] < intake_done:  # a newcomer first needs an intake
                discipline = 1.0
            softened = (sens[i, 2] * discipline + social) * (1.0 - accompanied)
            far = sens[i, 0] * dist * (lifted_distance + (1.0 - lifted_distance) * thr[w, 0])
            load = threshold_weight * (far + sens[i, 1] * thr[w, 1] + softened)
            burden[i, j] = load
            if not is_open[venue]:
                continue
            fit = action_fit if fits[isolation[i], kind[venue]] else 1.0
            chance = base * 4.0 * pref[i, activity[venue]] * fit * motivation * np.exp(-load)
            if venue == last_venue[i]:
                chance *= keep_coming
            prob[i, j] = min(chance, 0.95)


@njit(cache=True, nogil=True)
def turn_away(chosen, room, rank_draw, venues):
    """Where more residents chose a venue than it has room for, keep the ``room`` with the
    lowest ``rank_draw`` and turn the others away (``chosen`` becomes -1). Returns the
    attendance per venue."""
    count = np.zeros(venues, np.int64)
    for i in range(chosen.size):
        if chosen[i] >= 0:
            count[chosen[i]] += 1
    start = np.zeros(venues + 1, np.int64)
    for w in range(venues):
        start[w + 1] = start[w] + (count[w] if count[w] > room[w] else 0)
    members = np.empty(start[venues], np.int64)
    fill = start[:-1].copy()
    for i in range(chosen.size):
        w = chosen[i]
        if w >= 0 and count[w] > room[w]:
            members[fill[w]] = i
            fill[w] += 1
    for w in range(venues):
        if count[w] > room[w]:
            group = members[start[w]:start[w + 1]]
            order = np.argsort(rank_draw[group], kind="mergesort")
            for j in range(room[w], group.size):
                chosen[group[order[j]]] = -1
            count[w] = room[w]
    return count


@njit(cache=True, nogil=True)
def get_familiar(known, familiar, chosen, step):
    """Regulars get to know the group: familiarity with the attended venue rises by
    ``step * (1 - familiarity)``."""
    for i in range(chosen.size):
        if chosen[i] >= 0:
            for j in range(known.shape[1]):
                if known[i, j] == chosen[i]:
                    familiar[i, j] += step * (1.0 - familiar[i, j])


@njit(cache=True, nogil=True)
def meet(who, cell, small, order, first, v, alive, strength, contact, rounds_large, rounds_small,
         gain, small_gain, new_chance, draws, new_draw, lo, hi):
    """Attendees ``lo..hi`` meet others in their cell (the meeting process).

    ``who`` are the attendees sorted by ``cell`` (``lo`` and ``hi`` fall on cell
    boundaries), ``order[i]`` is the row of ``draws`` and ``new_draw`` (uniform draws,
    one row per attendee) that belongs to ``who[i]``. In round j each attendee whose venue
    allows j+1 contacts meets one other member of their cell, drawn uniformly. An existing
    tie is strengthened (``s += g * (1 - s)``) and marked as contacted; otherwise, with
    chance ``new_chance`` (times ``small_gain`` in a small group), the pair is returned as
    a new light contact. Returns the new pairs (a, b). A tie is only touched from the one
    cell that holds both its ends, so parts with different cells can run at once.
    """
    out_a = np.empty((hi - lo) * draws.shape[1], np.int64)
    out_b = np.empty((hi - lo) * draws.shape[1], np.int64)
    found = 0
    start = lo
    while start < hi:
        end = start
        while end < hi and cell[end] == cell[start]:
            end += 1
        size = end - start
        if size > 1:
            for pos in range(size):
                a = who[start + pos]
                row_draws = order[start + pos]
                in_small = small[start + pos]
                rounds = rounds_small if in_small else rounds_large
                boost = small_gain if in_small else 1.0
                for j in range(rounds):
                    other = start + (pos + 1 + int(draws[row_draws, j] * (size - 1))) % size
                    b = who[other]
                    row = _find(first, v, alive, a, b)
                    if row >= 0:
                        strength[row] += min(1.0, gain * boost) * (1.0 - strength[row])
                        contact[row] = True
                    elif new_draw[row_draws, j] < new_chance * boost:
                        out_a[found] = a
                        out_b[found] = b
                        found += 1
        start = end
    return out_a[:found], out_b[:found]


@njit(cache=True, nogil=True)
def _mix(x):
    """A well-mixed 64-bit integer from ``x`` (splitmix64's finaliser)."""
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


@njit(cache=True, nogil=True)
def choose_helpers(u, v, layer, strength, asking, support_layer_of, support_strength, buddy_layer,
                   load, capacity, salt, helper, helper_layer):
    """For each resident ``asking`` for help, who gives it (the support process): among
    their ties strong enough to lean on (at least ``support_strength``, or a resident buddy's
    tie), the other ends in the closest support layer (``support_layer_of`` each tie layer)
    who still have room (``load`` below ``capacity``; a household member always helps), and
    of those the first in a random order of residents (a hash of each resident and the
    week's ``salt``). Sets ``helper`` (-1 none) and
    ``helper_layer`` (the support layer, 127 none), which start at those values."""
    for e in range(u.size):
        a = u[e]
        b = v[e]
        if not (asking[a] or asking[b]):
            continue
        if strength[e] < support_strength and layer[e] != buddy_layer:
            continue
        k = support_layer_of[layer[e]]
        for side in range(2):
            r = a if side == 0 else b
            g = b if side == 0 else a
            if not asking[r] or (k > 0 and load[g] >= capacity):
                continue
            if k < helper_layer[r] or (k == helper_layer[r]
                                       and _mix(np.uint64(g) ^ salt) > _mix(np.uint64(helper[r]) ^ salt)):
                helper_layer[r] = k
                helper[r] = g
