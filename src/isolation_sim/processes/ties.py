"""Ties: contact keeps ties alive; without it they weaken and are lost.

Each week every tie has a chance of contact that depends on its layer and on how much
both people reach out. Without contact a tie weakens; any tie can end (a quarrel, a move
within the municipality, a life event; moves out of it are moving.py), more often without
contact. Lonely residents withdraw (drift to the
periphery): their ties see less contact, weaken faster and end more often.

Light contacts in the street add new ties: next-door neighbours, or acquaintances a
little further away; an acquaintance seen often enough becomes a friend. Life outside the
offer (work, school, family occasions) now and then brings a new friend, also to residents
who take part in nothing. Kin renew: as many family ties as end in a week are made anew,
between residents drawn as the starting family ties are (births, deaths and new
partnerships of kin are not modelled; this keeps kin at their number; kin who move out are
made up by those newcomers bring, moving.py). Household ties
do not end, and are in contact every week and do not weaken below 0.5, except where a
member's household ties are strained (seed 000: multi-problem households; household ties can
be weak or unsupportive): a strained household tie has contact only by chance
(``contact_chance.household``) and weakens without it (``decay.household``), so a resident
can live with others and still be in double isolation. Buddy ties end with the match
(buddies process).

Time and attention limit a network (Dunbar's social budget; Dutch personal networks keep
their size on average while their members change, Van Tilburg 1998): a resident who keeps
more ties than ``behaviour.network_budget`` has less contact to give each of them and is
less open to new ones (``attention``), so beyond the budget ties weaken and are lost and
few are made. Below the budget nothing is held back. Every new tie (on the street, from
life outside the offer, at a venue) is taken as readily as the resident's group made its
starting ties (``openness``: the group's ``tie_multiplier``), so the groups keep the
network sizes they start with instead of drifting to the mean.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import kernels, parallel
from ..layers import ACQUAINTANCE, FAMILY, FRIEND, LAYERS, NEIGHBOUR, PERSONAL, WEEKLY_CONTACT
from ..population import FAMILY_WINDOW, SAME_GROUP_WINDOW, step_along
from .isolation import societally_isolated

NAME = "ties"
STREET_WINDOW = 100  # how far along the spatial order a street contact can be
NEXT_DOOR = 6        # this close, a street contact is a neighbour
NEW_FRIEND_STRENGTH = 0.3  # a friendship made outside the offer, at its start
KIN_TRIES = 3              # draws for a new kin tie before it is left out


def _per_layer(values: dict[str, float]) -> np.ndarray:
    return np.array([values.get(layer, 0.0) for layer in LAYERS], np.float32)


@dataclass
class TieTotals:
    """Per resident, what the processes after this one need to know of their ties."""

    personal_strength: np.ndarray  # summed strength of personal ties
    good_ties: np.ndarray          # summed min(1, strength / good_tie_strength) of personal ties
    personal_ties: np.ndarray      # number of personal ties
    lonely_contacts: np.ndarray    # number of personal contacts who are lonely
    public_strength: np.ndarray    # strength of personal ties to residents in public life
    all_ties: np.ndarray           # number of ties of any layer (the Hortulanus network size)
    weekly_contacts: np.ndarray    # ties with contact this week to family, friends, neighbours
    strong_layers: np.ndarray      # bit per layer: a tie of that layer strong enough to lean on


def attention(model, who: np.ndarray | None = None) -> np.ndarray:
    """Per resident (or per resident in ``who``), the share of contact and of new ties their
    time allows (:func:`openness` adds the group's rate for new ties):
    ``min(1, (network_budget / ties) ** 2)`` with ``ties`` the resident's network size
    (ties of every layer) as last counted."""
    ties = model.totals.all_ties if who is None else model.totals.all_ties[who]
    budget = np.float32(model.params.behaviour.network_budget)
    return np.minimum(np.float32(1.0), (budget / np.maximum(ties, np.float32(1.0))) ** 2).astype(np.float32)


def openness(model, who: np.ndarray | None = None) -> np.ndarray:
    """Per resident (or per resident in ``who``), how readily they take a new tie: their
    :func:`attention` times their group's ``tie_multiplier`` (at most 1), the rate at which
    the starting network gave their group ties (population.build_network)."""
    multiplier = model.tie_multiplier if who is None else model.tie_multiplier[who]
    return attention(model, who) * np.minimum(np.float32(1.0), multiplier).astype(np.float32)


def welcome(model, a: np.ndarray, b: np.ndarray, rng) -> np.ndarray:
    """Which of the new ties between ``a`` and ``b`` are made, given both ends' :func:`openness`."""
    share = openness(model)
    return rng.random(a.size) < share[a] * share[b]


def _totals_inputs(model) -> tuple[tuple, list[tuple[np.ndarray, np.ndarray]]]:
    """The rules of ``kernels.tie_totals`` (who is lonely, who is in public life) and an
    empty (table, bits) pair for each part of the pass over the ties."""
    p, b = model.people, model.params.behaviour
    lonely = (p.loneliness >= b.lonely_cutoff).astype(np.float32)
    public = (~societally_isolated(model)).astype(np.float32)
    rules = (PERSONAL, WEEKLY_CONTACT, np.float32(b.good_tie_strength), np.float32(b.support_tie_strength),
             lonely, public)  # the arguments of kernels.tie_totals after the ties
    tables = [(np.zeros((p.n, len(kernels.TOTALS)), np.float32), np.zeros(p.n, np.uint8))
              for _ in parallel.parts(len(model.net))]
    return rules, tables


def _keep_totals(model, tables) -> TieTotals:
    """Add up the parts' tables (always in the same order) into ``model.totals``."""
    (table, bits), *others = tables
    for more, more_bits in others:
        table += more
        bits |= more_bits
    model.totals = TieTotals(**{name: table[:, i] for i, name in enumerate(kernels.TOTALS)},
                             strong_layers=bits)
    return model.totals


def recount(model) -> TieTotals:
    """Commit the week's tie changes and total every resident's ties in one pass.

    Stored as ``model.totals`` for support, wellbeing, isolation and the outcomes, which
    run after this process while the ties stay as they are.
    """
    net = model.net
    net.commit()
    rules, tables = _totals_inputs(model)
    parallel.run(kernels.tie_totals, parallel.parts(len(net)), net.u, net.v, net.layer, net.strength,
                 net.contact, *rules, per_part=tables)
    return _keep_totals(model, tables)


def _nearby(model, who: np.ndarray, draw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each resident in ``who``, someone within ``STREET_WINDOW`` places along the
    spatial order of their neighbourhood (``draw`` U per resident picks where), and the
    offset."""
    offset = ((draw * 2 - 1) * STREET_WINDOW).astype(np.int64)
    offset[offset == 0] = 1
    return _along(model, who, offset), offset


def _along(model, who: np.ndarray, offset: np.ndarray) -> np.ndarray:
    """The resident ``offset`` places from each of ``who`` along the spatial order of their
    neighbourhood (wrapping round at its ends)."""
    h = model.people.hood[who]
    first, size = model.hood_first[h], model.hood_first[h + 1] - model.hood_first[h]
    return model.spatial_order[step_along(first, size, model.spatial_rank[who], offset)]


def meet_nearby(model, who: np.ndarray, where: np.ndarray, made: np.ndarray,
                open_: np.ndarray | None = None) -> np.ndarray:
    """Each of ``who`` meets someone within ``STREET_WINDOW`` places along the street order
    (``where``, U per resident, picks whom): a tie they have is in contact this week; with
    none, a new one is made (``made`` below both ends' :func:`openness`, ``open_`` if given
    for every resident): a neighbour next door, an acquaintance further away. Returns whom
    each met."""
    net = model.net
    other, offset = _nearby(model, who, where)
    row = net.find(who, other)
    net.contact[row[row >= 0]] = True
    next_door = np.abs(offset) <= NEXT_DOOR
    mine, theirs = (openness(model, who), openness(model, other)) if open_ is None else (open_[who], open_[other])
    new = (row < 0) & (made < mine * theirs)
    net.add(who[new & next_door], other[new & next_door], NEIGHBOUR, 0.15)
    net.add(who[new & ~next_door], other[new & ~next_door], ACQUAINTANCE, 0.08)
    return other


def renew_kin(model, count: int, rng, tries: int = KIN_TRIES, who: np.ndarray | None = None) -> None:
    """``count`` new family ties, drawn as the starting ones are (population._family_ties):
    one end chosen in proportion to their group's tie multiplier (or, given ``who``, one
    tie for each of ``who``: newcomers, moving.py); the other, with chance
    ``population.family_nearby``, 1 to ``FAMILY_WINDOW`` places away on either side,
    otherwise anyone of the same background (migrant or not); the pair kept as often as
    the other end's group makes ties. A pair that is rejected, is one resident or already
    has a tie is drawn again, up to ``tries`` times."""
    if who is None and count == 0:  # most weeks: no kin lost, nothing to sum over the residents
        return
    mult = model.tie_multiplier
    weight = None if who is not None else np.cumsum(mult, dtype=np.float64)
    count = count if who is None else who.size
    for _ in range(tries):
        if count == 0:
            return
        draws = rng.random((6, count))
        if weight is not None:
            who = np.minimum(np.searchsorted(weight, draws[0] * weight[-1], side="right"), weight.size - 1)
        offset = (1 + (draws[1] * FAMILY_WINDOW).astype(np.int64)) * np.where(draws[2] < 0.5, -1, 1)
        anywhere = model.backgrounds.anyone(who, draws[3])
        other = np.where(draws[4] < model.params.population.family_nearby, _along(model, who, offset), anywhere)
        free = (draws[5] < np.minimum(1.0, mult[other])) & (who != other) & (model.net.find(who, other) < 0)
        model.net.add(who[free], other[free], FAMILY, rng.uniform(0.3, 0.8, int(free.sum())).astype(np.float32))
        count -= int(free.sum())
        if weight is None:
            who = who[~free]


def step(model) -> None:
    p, net, b = model.people, model.net, model.params.behaviour
    rng = model.rng_for(NAME)
    n = p.n
    street, partner = rng.random(n), rng.random(n)
    lonely = np.clip(p.loneliness / 11.0, 0.0, 1.0)
    reach = 1.0 - b.lonely_withdrawal * lonely
    share, open_ = attention(model), openness(model)
    made = rng.random(n)
    click, mate, liked = rng.random(n), rng.random(n), rng.random(n)

    # light contacts in public space: the breeding ground for new ties
    who = np.flatnonzero(street < b.street_contact_per_week * reach)
    meet_nearby(model, who, partner[who], made[who], open_)

    # friendships from life outside the offer (work, school, family, the street): as the
    # starting friendships are, with someone of one's own group a little way along
    # (population.homophily), otherwise with someone nearby
    who = np.flatnonzero(click < b.new_friend_per_week * reach)
    other, _ = _nearby(model, who, mate[who])
    alike, along = rng.random((2, who.size))
    same = alike < model.params.population.homophily
    offset = (1 + (along * SAME_GROUP_WINDOW).astype(np.int64)) * np.where(mate[who] < 0.5, -1, 1)
    other[same] = model.groups_along.partner(who[same], offset[same])
    row = net.find(who, other)
    net.contact[row[row >= 0]] = True
    new = (row < 0) & (liked[who] < open_[who] * open_[other])
    net.add(who[new], other[new], FRIEND, NEW_FRIEND_STRENGTH)

    # contact, weakening, promotion and loss along every tie, and the totals of the ties
    # that stay, in one compiled pass; then the ties added this week join the totals
    rules, tables = _totals_inputs(model)
    lose = np.empty(len(net), bool)
    parallel.run(
        kernels.ties_week, parallel.parts(len(net)),
        net.u, net.v, net.layer, net.strength, net.contact, net.alive, lonely, b.lonely_withdrawal, share,
        _per_layer(b.contact_chance), _per_layer(b.decay), _per_layer(b.loss), b.lonely_decay,
        b.contact_gain, b.friend_threshold, b.tie_floor, rng.random(len(net), np.float32), p.strained, lose, True,
        *rules,
        per_part=tables,
    )
    kin_lost = int(np.count_nonzero(net.layer[lose] == FAMILY))  # only the few ties that end
    net.remove(lose)
    renew_kin(model, kin_lost, rng)
    u, v, layer, strength = net.commit()
    kernels.tie_totals(u, v, layer, strength, np.ones(u.size, bool), *rules, *tables[0], 0, u.size)
    totals = _keep_totals(model, tables)
    p.weekly_contacts = totals.weekly_contacts.astype(np.int16)
