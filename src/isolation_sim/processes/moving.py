"""Moving out and in, and losing a partner: the neighbourhood's residents change.

Hortulanus (seed 002) sets newcomers against established residents: who has just come to
live somewhere is not yet part of the street, while the established know it. Each week a
household moves out with chance ``behaviour.move_per_week``: CBS counted about 1.7 million
people who moved house in 2015 (one in ten residents), six in ten of them within their
municipality (CLO, Verhuizingen 2015); the model counts the four in ten who leave the
municipality, some 4% of residents a year (0.08% a week), and leaves moves within it to
the tie losses of every layer (a move a few streets away ends some ties and keeps others).

A household like it moves into the same homes: the same number of residents, each of the
group of the one before, so a neighbourhood keeps its make-up; a home's share of the
disposition to loneliness stays with the home (population.draw_traits). Newcomers bring
their household, their family and their friends, as many and drawn as the starting
residents' are (moving house ends few friendships, and Dutch personal networks keep their
size while their members change: Van Tilburg 1998). What they do not bring is the street:
no neighbours or acquaintances here, no familiarity at any venue (they see the venues
around them, as the starting residents know them, world.know_venues, but have taken part in
nothing here yet), no role and no buddy. The weekly processes give them the rest: street
contacts, meeting people at venues, volunteering. Ties to residents who leave end;
neighbours and acquaintances are so lost at ``2 * move_per_week`` a week besides their
layer's loss, family and friends are made up by those newcomers bring (schema.LAYER_DEFAULTS).

A resident living as a couple (a household of two) loses their partner with chance
``behaviour.partner_loss_per_week``: CBS counted 6.4 of 1,000 married men and 13.3 of
1,000 married women widowed in 2020, about 1% a year. The partner leaves the model, the
survivor lives alone, and someone new, living alone, comes to live in the partner's home
next door. So that households keep their make-up, as many pairs of residents living alone
as couples ended move in together that week, each with someone living alone nearby (a rule
that keeps the population's make-up, as the renewal of kin keeps family ties, ties.py).
Households of three or more are families with children in the model: their partners are
not lost (a simplification).

A retired resident living alone leaves, by dying or moving into care, with the chance that
keeps their group's retired share where it started (life_events.retired_leaving_chance): a
household of one moving out, its home going to a newcomer.
"""

from __future__ import annotations

import numpy as np

from ..layers import FAMILY, FRIEND, HOUSEHOLD
from ..population import (FRIEND_WINDOW, KNOWN_VENUES, NEVER, NO_ROLE, NOT_ISOLATED, SAME_GROUP_WINDOW,
                          a_known_venue, by_disposition, draw_retired, draw_traits, employment_since,
                          household_pairs)
from ..world import know_venues
from ..streams import candidates
from .buddies import end_matches
from .reciprocity import replace_leaving_buddies
from .ties import _along, renew_kin

NAME = "moving"
HOUSEHOLD_STRENGTH = 0.9  # a household tie at its start (as population._household_ties)
PARTNER_WINDOW = 20       # a new partner is one of this many residents living alone nearest along the street
PARTNER_TRIES = 3         # draws for pairs that clash before they are left out this week
KNOWER_TRIES = 100        # draws for someone who knows a venue a newcomer knows (a friend met there)


def step(model) -> None:
    p, b = model.people, model.params.behaviour
    rng = model.rng_for(NAME)
    size = model.household_size
    # households moving out: residents drawn at the rate, each kept as 1 / their household's size
    drawn = candidates(rng, p.n, b.move_per_week)
    drawn = drawn[rng.random(drawn.size) * size[p.household[drawn]] < 1.0]
    # retired residents living alone who die or move into care (life_events.retired_leaving_chance)
    top = float(model.retired_leaving.max())
    if top > 0:
        old = candidates(rng, p.n, top)
        old = old[p.retired[old] & model.lives_alone[old]]
        old = old[rng.random(old.size) * top < model.retired_leaving[p.group[old]]]
        drawn = np.concatenate([drawn, old])
    # partners lost: of a resident in a household of two, the other member leaves
    survivor = candidates(rng, p.n, b.partner_loss_per_week)
    survivor = survivor[size[p.household[survivor]] == 2]
    if drawn.size + survivor.size == 0:
        return
    touched = np.flatnonzero(np.isin(p.household, p.household[np.concatenate([drawn, survivor])]))
    moving = np.zeros(p.n, bool)
    moving[touched[np.isin(p.household[touched], p.household[drawn])]] = True
    survivor = survivor[~moving[survivor]]
    partner = _other_member(p.household, touched, survivor)
    partner = partner[~np.isin(partner, survivor)]  # both drawn in one week: neither is lost
    leaving = moving.copy()
    leaving[partner] = True
    newcomers = np.flatnonzero(leaving)
    if newcomers.size:
        _new_households(model, partner, touched)
        _leave(model, leaving, rng)
        _arrive(model, newcomers, moving, rng)
    _move_in_together(model, partner.size, rng)


def _other_member(household: np.ndarray, members: np.ndarray, who: np.ndarray) -> np.ndarray:
    """The other member of each of ``who``'s households of two (``members``: residents
    including every member of those households)."""
    if who.size == 0:
        return np.zeros(0, np.int64)
    members = members[np.isin(household[members], household[who])]
    members = members[np.argsort(household[members], kind="stable")]
    pair = members.reshape(-1, 2)
    at = np.searchsorted(household[pair[:, 0]], household[who])
    return np.where(pair[at, 0] == who, pair[at, 1], pair[at, 0])


def _new_households(model, who: np.ndarray, members: np.ndarray) -> None:
    """Each of ``who`` (of a household of two) becomes a household of their own; the other
    member then lives alone too (``members``: residents including them)."""
    if who.size == 0:
        return
    p = model.people
    before = p.household[who]
    model.household_size[before] -= 1
    p.household[who] = model.household_size.size + np.arange(who.size, dtype=p.household.dtype)
    model.household_size = np.concatenate([model.household_size, np.ones(who.size, model.household_size.dtype)])
    model.lives_alone[who] = True  # and the survivors, found by their household:
    model.lives_alone[members[np.isin(p.household[members], before)]] = True


def _leave(model, leaving: np.ndarray, rng) -> None:
    """Residents ``leaving`` go: their buddy matches and roles end (a programme finds
    another volunteer buddy), and every tie they had."""
    p, net = model.people, model.net
    end_matches(model, leaving & (p.buddy >= 0))
    p.role[leaving] = NO_ROLE
    replace_leaving_buddies(model, rng, passing=leaving)
    net.remove_touching(leaving)


def _arrive(model, who: np.ndarray, moved: np.ndarray, rng) -> None:
    """Newcomers in the homes ``who``: traits drawn anew, state as at the start, the venues
    around them, their household ties (households that moved in whole), family and friends."""
    p, scenario = model.people, model.params
    for name, value in draw_traits(scenario, p.group[who], p.place[who], rng).items():
        getattr(p, name)[who] = value
    p.retired[who] = draw_retired(scenario, p.group[who], model.household_size[p.household[who]], rng)
    p.employed[who] &= ~p.retired[who]
    p.employment_since[who] = employment_since(scenario, p.employed[who], p.group[who], model.week, rng)
    p.arrived[who] = model.week
    p.participation[who] = 0.0
    p.attending[who] = p.last_venue[who] = -1
    p.familiar[who] = 0.0
    know_venues(p, model.venues, rng.random((who.size, KNOWN_VENUES)), who)
    p.loneliness[who] = np.clip(3.0 + p.trait[who], 0.0, 11.0)  # as at the start (world.py)
    p.quality_of_life[who] = 0.0
    p.isolation[who] = model.isolation_at_start[who] = NOT_ISOLATED  # a newcomer's week starts with no type
    p.weekly_contacts[who] = 0
    p.support_layer[who] = -1
    p.personal_strength[who] = p.protection[who] = 0.0
    p.last_gave[who] = NEVER
    p.care_load[who] = p.giving[who] = 0.0
    model.neighbour_help[who] = False
    if model.type_candidate is not None:
        model.type_candidate[who] = -1  # new: the isolation process gives them their type as it stands
    for values in vars(model.totals).values():
        values[who] = 0
    _household_ties(model, who[moved[who]])
    _family(model, who, rng)
    _friends(model, who, rng)


def _household_ties(model, who: np.ndarray) -> None:
    """Everybody in a household that moved in knows everybody else in it."""
    if who.size:
        model.net.add(*household_pairs(model.people.household, who), HOUSEHOLD, HOUSEHOLD_STRENGTH)


def _family(model, who: np.ndarray, rng) -> None:
    """Newcomers' family ties: as many as a resident of their group starts with (``ties.family``
    times the group's multiplier), drawn as the starting ones and the renewed ones are
    (ties.renew_kin)."""
    mult = model.tie_multiplier
    renew_kin(model, 0, rng, who=np.repeat(who, rng.poisson(model.params.population.ties.family * mult[who])))


def _friends(model, who: np.ndarray, rng) -> None:
    """Newcomers' friends: as many as a resident of their group and disposition starts with
    (``ties.friend`` times the group's multiplier and population.by_disposition), drawn as
    the starting friends are (population._friend_ties): someone living nearby, of one's own
    group a little way along with chance ``population.homophily``, or, with chance
    ``population.friends_met_at_activities``, someone who knows one of the same venues; each
    kept as often as the other end's group and disposition make friends."""
    p, pop = model.people, model.params.population

    def friendly(residents):
        return model.tie_multiplier[residents] * by_disposition(p.trait[residents], pop.ties_follow_disposition,
                                                                model.disposition_scale)

    u = np.repeat(who, rng.poisson(pop.ties.friend * friendly(who)))
    draws = rng.random((8, u.size))
    side = np.where(draws[0] < 0.5, -1, 1)
    v = _along(model, u, (1 + (draws[1] * FRIEND_WINDOW).astype(np.int64)) * side)
    same = model.groups_along.partner(u, (1 + (draws[2] * SAME_GROUP_WINDOW).astype(np.int64)) * side)
    v = np.where(draws[3] < pop.homophily, same, v)
    met = np.flatnonzero(draws[4] < pop.friends_met_at_activities)
    v[met] = _knower(model, u[met], draws[5, met], v[met], rng)
    ok = (draws[7] < np.minimum(1.0, friendly(v))) & (u != v)
    model.net.add(u[ok], v[ok], FRIEND, rng.uniform(0.4, 0.9, int(ok.sum())).astype(np.float32))


def _knower(model, who: np.ndarray, draw: np.ndarray, default: np.ndarray, rng) -> np.ndarray:
    """For each of ``who``, someone who knows one of the venues they know (``draw`` U picks
    the venue), found among the residents of the neighbourhood drawn at random until one
    knows it (:data:`KNOWER_TRIES` draws; ``default`` where none is found or they know no
    venue): a random knower of that venue, as population.sharing_a_venue draws for the
    starting friends."""
    p = model.people
    venue = a_known_venue(p.known, who, draw)
    out = default.copy()
    todo = np.flatnonzero(venue >= 0)
    for _ in range(KNOWER_TRIES):
        if todo.size == 0:
            break
        someone = _anyone_here(model, who[todo], rng.random(todo.size))
        found = (p.known[someone] == venue[todo, None]).any(axis=1)
        out[todo[found]] = someone[found]
        todo = todo[~found]
    return out


def _anyone_here(model, who: np.ndarray, draw: np.ndarray) -> np.ndarray:
    """For each of ``who``, anyone in their neighbourhood (``draw`` U picks whom)."""
    h = model.people.hood[who]
    first, size = model.hood_first[h], model.hood_first[h + 1] - model.hood_first[h]
    return model.spatial_order[first + (draw * size).astype(np.int64)]


def _move_in_together(model, count: int, rng) -> None:
    """``count`` pairs of residents living alone move in together: one drawn among all
    who live alone, the other one of the :data:`PARTNER_WINDOW` residents living alone
    nearest them along the street order on either side, in the same neighbourhood (a
    pair that clashes with another is drawn again, up to :data:`PARTNER_TRIES` times)."""
    if count == 0:
        return
    p = model.people
    alone = model.spatial_order[model.lives_alone[model.spatial_order]]  # in street order
    for _ in range(PARTNER_TRIES):
        if count == 0 or alone.size < 2:
            return
        at = np.unique(rng.integers(0, alone.size, count))
        draws = rng.random((2, at.size))
        step = (1 + (draws[0] * PARTNER_WINDOW).astype(np.int64)) * np.where(draws[1] < 0.5, -1, 1)
        who, other = alone[at], alone[(at + step) % alone.size]
        ok = p.hood[other] == p.hood[who]
        ends, times = np.unique(np.concatenate([who[ok], other[ok]]), return_counts=True)
        twice = ends[times > 1]
        ok &= ~(np.isin(who, twice) | np.isin(other, twice))  # a resident moves in with one other
        _together(model, who[ok], other[ok])
        count -= int(np.count_nonzero(ok))
        alone = alone[model.lives_alone[alone]]


def _together(model, a: np.ndarray, b: np.ndarray) -> None:
    """Residents ``b`` join the households of ``a`` (each living alone); the tie between
    them becomes a household tie."""
    if a.size == 0:
        return
    p, net = model.people, model.net
    model.household_size[p.household[b]] -= 1
    p.household[b] = p.household[a]
    model.household_size[p.household[a]] += 1
    model.lives_alone[a] = model.lives_alone[b] = False
    row = net.find(a, b)
    had = row[row >= 0]
    net.layer[had] = HOUSEHOLD
    net.strength[had] = np.maximum(net.strength[had], HOUSEHOLD_STRENGTH)
    for layer in (FAMILY, FRIEND):  # a newcomer's tie staged this week gives way to the household's
        net.unstage(a[row < 0], b[row < 0], layer)
    net.add(a[row < 0], b[row < 0], HOUSEHOLD, HOUSEHOLD_STRENGTH)
