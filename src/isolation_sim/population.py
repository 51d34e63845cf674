"""Residents and their social graph at the start of a run.

All resident state is held in :class:`Residents`, a set of arrays indexed by resident
number; the Mesa ``Resident`` agents in :mod:`isolation_sim.agents` are views on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np

from .layers import ACQUAINTANCE, FAMILY, FRIEND, HOUSEHOLD, NEIGHBOUR
from .network import SocialNetwork
from .scenario import GROUPS, Scenario
from .streams import stream

ISOLATION_TYPES = ("none", "individual", "collective", "double")
NOT_ISOLATED, INDIVIDUAL, COLLECTIVE, DOUBLE = range(4)
KNOWN_VENUES = 6  # how many venues a resident knows of at a time
ROLES = ("none", "volunteer", "community_manager")
NEVER = -(2**30)  # ``last_gave`` of a resident who has not given
NO_ROLE, VOLUNTEER_ROLE, MANAGER_ROLE = range(len(ROLES))


@dataclass
class Residents:
    """The state of every resident, one array element per resident."""

    # fixed traits
    x: np.ndarray
    y: np.ndarray
    hood: np.ndarray
    group: np.ndarray
    household: np.ndarray
    sensitivity: np.ndarray      # (n, 4): distance, cost, discipline, social
    preference: np.ndarray       # (n, 4): meeting, exercise, creative, work
    self_reliance: np.ndarray
    employed: np.ndarray         # in work (changes: life_events.py)
    trait: np.ndarray            # lasting disposition to loneliness (De Jong Gierveld points)
    support_need: np.ndarray     # weekly chance of a support need
    strained: np.ndarray         # their household ties are strained (the group's household_strain)
    place: np.ndarray            # the share of the disposition that comes with the home (shared_by_place)
    # changing state
    participation: np.ndarray = field(default=None)   # moving average of weekly participation
    attending: np.ndarray = field(default=None)       # venue attended this week, -1 none
    last_venue: np.ndarray = field(default=None)      # venue attended the week before, -1 none
    known: np.ndarray = field(default=None)           # (n, KNOWN_VENUES) venue indices, -1 empty
    familiar: np.ndarray = field(default=None)        # (n, KNOWN_VENUES) 0..1, lowers the social threshold
    loneliness: np.ndarray = field(default=None)      # 0..11 (De Jong Gierveld scale)
    quality_of_life: np.ndarray = field(default=None) # 0..10
    isolation: np.ndarray = field(default=None)       # ISOLATION_TYPES code
    buddy: np.ndarray = field(default=None)           # buddy index, -1 none
    match_week: np.ndarray = field(default=None)      # week the buddy match started
    role: np.ndarray = field(default=None)            # ROLES code
    weekly_contacts: np.ndarray = field(default=None) # contacts with family, friends, neighbours this week
    support_layer: np.ndarray = field(default=None)   # layer that met a support need this week, -1 none
    personal_strength: np.ndarray = field(default=None)
    protection: np.ndarray = field(default=None)
    last_gave: np.ndarray = field(default=None)       # the last week they did something for others
    care_load: np.ndarray = field(default=None)       # help given a week, remembered (support, reciprocity)
    giving: np.ndarray = field(default=None)          # of it, help outside the household: a part in public life
    employment_since: np.ndarray = field(default=None)  # the week they last started or stopped working
    retired: np.ndarray = field(default=None)          # past the state pension age (changes: life_events.py)
    arrived: np.ndarray = field(default=None)          # the week they moved in (NEVER: there from the start)

    def __post_init__(self) -> None:
        n = self.x.size
        defaults = {
            "participation": np.zeros(n, np.float32),
            "attending": np.full(n, -1, np.int32),
            "last_venue": np.full(n, -1, np.int32),
            "known": np.full((n, KNOWN_VENUES), -1, np.int32),
            "familiar": np.zeros((n, KNOWN_VENUES), np.float32),
            "loneliness": np.zeros(n, np.float32),
            "quality_of_life": np.zeros(n, np.float32),
            "isolation": np.zeros(n, np.int8),
            "buddy": np.full(n, -1, np.int32),
            "match_week": np.zeros(n, np.int32),
            "role": np.zeros(n, np.int8),
            "weekly_contacts": np.zeros(n, np.int16),
            "support_layer": np.full(n, -1, np.int8),
            "personal_strength": np.zeros(n, np.float32),
            "protection": np.zeros(n, np.float32),
            "last_gave": np.full(n, NEVER, np.int32),
            "care_load": np.zeros(n, np.float32),
            "giving": np.zeros(n, np.float32),
            "employment_since": np.zeros(n, np.int32),
            "retired": np.zeros(n, bool),
            "arrived": np.full(n, NEVER, np.int32),
        }
        for name, value in defaults.items():
            if getattr(self, name) is None:
                setattr(self, name, value)

    @property
    def n(self) -> int:
        return int(self.x.size)

    @property
    def nbytes(self) -> int:
        return sum(getattr(self, f.name).nbytes for f in fields(self))

    @property
    def vulnerable(self) -> np.ndarray:
        return self.group != 0


# --------------------------------------------------------------------------- geometry
def neighbourhood_centres(count: int, radius_km: float) -> np.ndarray:
    """Centres of ``count`` neighbourhoods on a square grid, ``2.2 * radius`` apart."""
    side = int(np.ceil(np.sqrt(count)))
    i = np.arange(count)
    spacing = 2.2 * radius_km
    return np.column_stack([(i % side) * spacing, (i // side) * spacing]).astype(np.float64)


def spatial_order(x: np.ndarray, y: np.ndarray, hood: np.ndarray | None = None) -> np.ndarray:
    """Residents ordered neighbourhood by neighbourhood, and within one along a Morton
    (Z-order) curve: nearby in the order is nearby in space, and in the same neighbourhood."""
    def spread(v: np.ndarray) -> np.ndarray:
        v = v.astype(np.uint64)
        v = (v | (v << np.uint64(16))) & np.uint64(0x0000FFFF0000FFFF)
        v = (v | (v << np.uint64(8))) & np.uint64(0x00FF00FF00FF00FF)
        v = (v | (v << np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
        v = (v | (v << np.uint64(2))) & np.uint64(0x3333333333333333)
        return (v | (v << np.uint64(1))) & np.uint64(0x5555555555555555)

    def scale(v: np.ndarray) -> np.ndarray:
        span = max(float(v.max() - v.min()), 1e-9)
        return ((v - v.min()) / span * 65535).astype(np.uint64)

    code = spread(scale(x)) | (spread(scale(y)) << np.uint64(1))
    if hood is None:
        return np.argsort(code, kind="stable")
    return np.lexsort((code, hood))


def step_along(first: np.ndarray, size: np.ndarray, place: np.ndarray, offset: np.ndarray) -> np.ndarray:
    """Move ``offset`` places along a block of ``size`` places starting at ``first``,
    wrapping round at its ends (clipping would pile every overshoot onto the end places).

    >>> step_along(np.array([10]), np.array([5]), np.array([13]), np.array([3])).tolist()
    [11]
    """
    return first + (place - first + offset) % np.maximum(size, 1)


def _allocate(total: int, shares: np.ndarray) -> np.ndarray:
    """Whole counts that add up to ``total`` in the given shares (largest remainder)."""
    raw = shares * total
    counts = np.floor(raw).astype(np.int64)
    rest = total - counts.sum()
    counts[np.argsort(-(raw - counts), kind="stable")[:rest]] += 1
    return counts


# --------------------------------------------------------------------------- residents
def build_residents(scenario: Scenario) -> Residents:
    """Draw every resident's home, group and traits from the scenario."""
    pop = scenario.population
    rng = stream(scenario.seed, "population")
    n = pop.residents
    shares = np.array([pop.shares[g] for g in GROUPS])
    group = np.repeat(np.arange(len(GROUPS), dtype=np.int8), _allocate(n, shares))
    rng.shuffle(group)
    # every neighbourhood gets one resident, the others are spread uniformly
    spread = rng.integers(0, pop.neighbourhoods, n - pop.neighbourhoods)
    hood = np.sort(np.concatenate([np.arange(pop.neighbourhoods), spread])).astype(np.int32)

    centres = neighbourhood_centres(pop.neighbourhoods, pop.radius_km)
    r = pop.radius_km * np.sqrt(rng.random(n))
    a = rng.random(n) * 2 * np.pi
    x = centres[hood, 0] + r * np.cos(a)
    y = centres[hood, 1] + r * np.sin(a)
    # Collective isolation has a place: part of the migrant group lives in a few pockets.
    pockets = rng.random((pop.neighbourhoods, 3, 2)) * 1.2 - 0.6
    migrant = GROUPS.index("migrant")
    clustered = (group == migrant) & (rng.random(n) < pop.clustering)
    k = rng.integers(0, 3, n)
    pr = 0.2 * pop.radius_km * np.sqrt(rng.random(n))
    pa = rng.random(n) * 2 * np.pi
    px = centres[hood, 0] + pockets[hood, k, 0] * pop.radius_km + pr * np.cos(pa)
    py = centres[hood, 1] + pockets[hood, k, 1] * pop.radius_km + pr * np.sin(pa)
    x = np.where(clustered, px, x).astype(np.float32)
    y = np.where(clustered, py, y).astype(np.float32)

    place = shared_by_place(hood, spatial_order(x, y, hood), rng).astype(np.float32)
    traits = draw_traits(scenario, group, place, rng)
    household = _households(n, pop.household_size, group, x, y, hood, rng)
    retired = draw_retired(scenario, group, np.bincount(household)[household], rng)
    traits["employed"] &= ~retired
    need = np.array([scenario.groups[g].support_need for g in GROUPS], dtype=np.float32)[group]
    people = Residents(x=x, y=y, hood=hood, group=group, household=household, support_need=need, place=place,
                       retired=retired, **traits)
    people.employment_since[:] = employment_since(scenario, people.employed, group, -scenario.burn_in_weeks, rng)
    return people


def employment_since(scenario: Scenario, employed: np.ndarray, group: np.ndarray, week: int,
                     rng: np.random.Generator) -> np.ndarray:
    """The week each resident last started or stopped working, before ``week``: with
    constant chances (life_events.py), the time already spent in work is exponential with
    the chance of losing it, and out of work with the group's chance of finding it."""
    from .processes.life_events import finding_chance

    leave = np.where(employed, scenario.behaviour.job_loss_per_week, finding_chance(scenario)[group])
    spent = rng.exponential(1.0, employed.size) / np.maximum(leave, 1e-6)
    return (week - np.minimum(spent, 2**24)).astype(np.int32)


def draw_retired(scenario: Scenario, group: np.ndarray, size: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Whether residents of ``group`` living in households of ``size`` are retired: with
    their group's ``retired`` chance if they live alone or as a couple, never in a household
    of three or more (a family of working age in the model; CBS: almost everyone past the
    state pension age lives alone or as a couple)."""
    return (size <= 2) & (rng.random(group.size) < retired_share(scenario)[group])


def retired_share(scenario: Scenario) -> np.ndarray:
    """Per group, the ``retired`` share of its members living alone or as a couple."""
    return np.array([scenario.groups[g].retired for g in GROUPS])


def draw_traits(scenario: Scenario, group: np.ndarray, place: np.ndarray, rng: np.random.Generator) -> dict:
    """The traits of residents of ``group`` who come to live where the disposition shared
    by place is ``place``, drawn as the starting residents' are (:func:`build_residents`):
    sensitivity, preference, self-reliance, work, the lasting disposition (one's own part
    drawn anew, the place's part that of the home) and strained household ties.

    The disposition is De Jong Gierveld points, mean 0, of spread ``loneliness_trait``; the
    share ``loneliness_place`` of its variance is shared with the residents living around
    one (the circumstances of the street, and who comes to live there), the rest is one's
    own."""
    profiles = [scenario.groups[g] for g in GROUPS]
    n, b = group.size, scenario.behaviour
    sens_mean = np.array([p.sensitivity.as_tuple() for p in profiles], dtype=np.float32)
    preference = rng.gamma(1.0, 1.0, (n, 4)).astype(np.float32)
    sr_mean = np.array([p.self_reliance for p in profiles])[group]
    conc = 6.0
    own = rng.standard_normal(n)
    return {
        "sensitivity": sens_mean[group] * rng.lognormal(0.0, 0.3, (n, 4)).astype(np.float32),
        "preference": preference / preference.sum(axis=1, keepdims=True),
        "self_reliance": rng.beta(np.maximum(sr_mean * conc, 1e-3),
                                  np.maximum((1 - sr_mean) * conc, 1e-3)).astype(np.float32),
        "employed": rng.random(n) < np.array([p.employed for p in profiles])[group],
        "trait": (b.loneliness_trait * (np.sqrt(1.0 - b.loneliness_place) * own
                                        + np.sqrt(b.loneliness_place) * place)).astype(np.float32),
        "strained": rng.random(n) < np.array([p.household_strain for p in profiles])[group],
    }


PLACE_WINDOW = 150  # residents either side along the street order who share one's circumstances (a street and the next)
FAMILY_WINDOW = 150  # family "close by" lives within this many residents along the street order


def shared_by_place(hood: np.ndarray, order: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A standard-normal value per resident that residents living close together share.

    ``order`` is the street order, neighbourhood by neighbourhood (:func:`spatial_order`).
    Each resident's value is the sum of independent draws of the ``PLACE_WINDOW``
    residents either side of them along the street order (never across a neighbourhood
    boundary), scaled to variance 1, less its neighbourhood mean: next-door neighbours
    share almost all of it, residents a few streets apart little, and a neighbourhood's
    level of loneliness comes from who lives there, not from this draw.
    """
    n = order.size
    draw = rng.standard_normal(n)
    total = np.concatenate([[0.0], np.cumsum(draw)])
    first = np.searchsorted(hood[order], hood[order], side="left")
    end = np.searchsorted(hood[order], hood[order], side="right")
    place = np.arange(n)
    lo = np.maximum(place - PLACE_WINDOW, first)
    hi = np.minimum(place + PLACE_WINDOW + 1, end)
    value = np.empty(n)
    value[order] = (total[hi] - total[lo]) / np.sqrt(hi - lo)
    # streets differ within a neighbourhood; the neighbourhood's own level is its make-up
    value -= (np.bincount(hood, value) / np.maximum(np.bincount(hood), 1))[hood]
    return value


def _households(n: int, mean_size: float, group, x, y, hood, rng) -> np.ndarray:
    """Household number per resident: neighbours in space share a household."""
    # Household sizes 1..6 with the given mean: a shifted Poisson, truncated.
    sizes = np.minimum(1 + rng.poisson(max(mean_size - 1.0, 0.0), n), 6)
    bounds = np.cumsum(sizes)
    bounds = bounds[: np.searchsorted(bounds, n) + 1]
    order = spatial_order(x, y, hood)
    household = np.empty(n, np.int64)
    household[order] = np.searchsorted(bounds, np.arange(n), side="right")
    # a household cut across a neighbourhood boundary becomes two
    household = np.unique(household * (int(hood.max()) + 1) + hood, return_inverse=True)[1].astype(np.int32)
    # Most people with a psychiatric vulnerability or in a multi-problem situation live alone.
    alone = (group >= GROUPS.index("psychiatric")) & (rng.random(n) < 0.6)
    household[alone] = household.max() + 1 + np.arange(int(alone.sum()), dtype=np.int32)
    return household


# --------------------------------------------------------------------------- the social graph
def build_network(scenario: Scenario, people: Residents) -> SocialNetwork:
    """Draw the starting ties: household, family, friends, neighbours, acquaintances.
    Friends met at activities are drawn among residents who know one of the same venues
    (``people.known``, set before). Friends are fewer for residents prone to loneliness
    (``population.ties_follow_disposition``, :func:`by_disposition`)."""
    draw = _TieDraw(scenario, people)
    ties = scenario.population.ties
    _household_ties(draw)
    _family_ties(draw, ties.family, scenario.population.family_nearby)
    _friend_ties(draw, ties.friend, scenario.population.homophily, scenario.population.friends_met_at_activities)
    u = draw.initiators(ties.neighbour)  # neighbours: next door
    draw.keep(u, draw.near(u, 6), NEIGHBOUR, 0.2, 0.6)
    u = draw.initiators(ties.acquaintance)  # acquaintances: light contacts in the wider neighbourhood
    draw.keep(u, draw.near(u, 250), ACQUAINTANCE, 0.05, 0.25)
    return draw.network()


class _TieDraw:
    """The starting ties as they are drawn, from the ``network`` stream: residents in space,
    their groups' tie multipliers and the ties so far."""

    def __init__(self, scenario: Scenario, people: Residents) -> None:
        self.rng = stream(scenario.seed, "network")
        self.people, self.n = people, people.n
        self.mult = tie_multipliers(scenario, people)
        self.sorted_mult = self.mult * by_disposition(people.trait, scenario.population.ties_follow_disposition)
        self.order = spatial_order(people.x, people.y, people.hood)
        self.rank = np.empty(people.n, np.int64)
        self.rank[self.order] = np.arange(people.n)
        self.hood_first = np.searchsorted(people.hood, np.arange(scenario.population.neighbourhoods + 1))
        self.hoods = scenario.population.neighbourhoods
        self.parts: tuple[list, list, list, list] = ([], [], [], [])

    def add(self, u, v, layer: int, strength: np.ndarray) -> None:
        for part, values in zip(self.parts, (u, v, np.full(u.size, layer, np.int8), strength)):
            part.append(values)

    def keep(self, u, v, layer: int, lo: float, hi: float, by_disposition: bool = False) -> None:
        """Ties ``u``-``v`` of ``layer``, each kept as often as ``v``'s group makes ties
        (and, ``by_disposition``, as ``v``'s disposition allows)."""
        mult = self.sorted_mult if by_disposition else self.mult
        accept = self.rng.random(u.size) < np.minimum(1.0, mult[v])
        u, v = u[accept], v[accept]
        self.add(u, v, layer, self.rng.uniform(lo, hi, u.size).astype(np.float32))

    def initiators(self, mean: float, by_disposition: bool = False) -> np.ndarray:
        """Residents who start a tie, each as often as a Poisson draw around ``mean / 2``
        times their multiplier (with ``by_disposition``, :func:`by_disposition` too)."""
        mult = self.sorted_mult if by_disposition else self.mult
        return np.repeat(np.arange(self.n), self.rng.poisson(mean * mult / 2.0))

    def near(self, u, window: int) -> np.ndarray:
        """A partner close by in space: within ``window`` places on the Morton curve of the
        same neighbourhood."""
        off = self.rng.integers(1, window + 1, u.size) * self.rng.choice([-1, 1], u.size)
        h = self.people.hood[u]
        first = self.hood_first
        return self.order[step_along(first[h], first[h + 1] - first[h], self.rank[u], off)]

    def network(self) -> SocialNetwork:
        u, v, layer, strength = (np.concatenate(part) for part in self.parts)
        return SocialNetwork(self.n, u, v, layer, strength)


def by_disposition(trait: np.ndarray, strength: float, scale: tuple[float, float] | None = None) -> np.ndarray:
    """Per resident, ``exp(-strength * z)`` scaled to mean 1, with ``z`` the lasting
    disposition to loneliness in standard deviations: the factor on a resident's tie
    multiplier for the starting friends, so the network starts close to the sorting the
    baseline's rules keep (the prone to loneliness lose ties and make fewer, ODD 7.9). It
    weighs both ends of a tie and acceptance is capped at 1, so the mean number of
    friends falls somewhat as ``strength`` grows (ODD 5).

    With ``scale`` (:func:`disposition_scale` of a population), ``z`` and the mean are
    those of that population (newcomers among the residents, moving.py).

    >>> f = by_disposition(np.array([-1.0, 0.0, 1.0]), 0.5)
    >>> bool(f[0] > f[1] > f[2]), round(float(f.mean()), 6)
    (True, 1.0)
    >>> by_disposition(np.array([0.0]), 0.5, disposition_scale(np.array([-1.0, 0.0, 1.0]), 0.5)).round(3).tolist()
    [0.886]
    """
    spread, mean = disposition_scale(trait, strength) if scale is None else scale
    factor = np.exp(-strength * trait / spread) if spread > 0 else np.ones(trait.size)
    return factor / mean


def disposition_scale(trait: np.ndarray, strength: float) -> tuple[float, float]:
    """The spread of ``trait`` and the mean of ``exp(-strength * z)`` over it (:func:`by_disposition`)."""
    spread = float(np.std(trait))
    return spread, float(np.exp(-strength * trait / spread).mean()) if spread > 0 else 1.0


def tie_multipliers(scenario: Scenario, people: Residents) -> np.ndarray:
    """Per resident, how often their group makes ties (``tie_multiplier``)."""
    return np.array([scenario.groups[g].tie_multiplier for g in GROUPS])[people.group]


@dataclass(frozen=True)
class Backgrounds:
    """Residents by background (not migrant, then migrant): family far away is of the same
    background."""

    migrant: np.ndarray  # 0/1 per resident
    order: np.ndarray    # residents, non-migrants first
    start: np.ndarray    # where each background starts in ``order`` (and the end)

    @classmethod
    def of(cls, people: Residents) -> "Backgrounds":
        migrant = (people.group == GROUPS.index("migrant")).astype(np.int64)
        order = np.argsort(migrant, kind="stable")
        return cls(migrant, order, np.searchsorted(migrant[order], [0, 1, 2]))

    def anyone(self, who: np.ndarray, draw: np.ndarray) -> np.ndarray:
        """For each resident in ``who``, anyone of the same background (``draw`` U picks)."""
        bg = self.migrant[who]
        lo, hi = self.start[bg], self.start[bg + 1]
        return self.order[lo + (draw * np.maximum(hi - lo, 1)).astype(np.int64)]


def household_pairs(household: np.ndarray, who: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of residents among ``who`` who share a household (households of up to six).

    >>> a, b = household_pairs(np.array([0, 1, 1, 2, 1]), np.arange(5))
    >>> sorted(zip(a.tolist(), b.tolist()))
    [(2, 1), (4, 1), (4, 2)]
    """
    order = np.argsort(household[who], kind="stable")
    who, hh = who[order], household[who][order]
    pairs = [(who[k:][same], who[:-k][same]) for k in range(1, 6) for same in [hh[k:] == hh[:-k]]]
    return np.concatenate([a for a, _ in pairs]), np.concatenate([b for _, b in pairs])


def _household_ties(draw: _TieDraw) -> None:
    """Everybody in a household knows everybody else in it."""
    a, b = household_pairs(draw.people.household, np.arange(draw.n))
    draw.add(a, b, HOUSEHOLD, np.full(a.size, 0.9, np.float32))


def _family_ties(draw: _TieDraw, mean: float, nearby: float) -> None:
    """Family outside the household: the share ``nearby`` close by, the others anywhere,
    mostly of the same background."""
    people, rng = draw.people, draw.rng
    backgrounds = Backgrounds.of(people)
    u = draw.initiators(mean)
    anywhere = backgrounds.anyone(u, rng.random(u.size))
    close = rng.random(u.size) < nearby
    draw.keep(u, np.where(close, draw.near(u, FAMILY_WINDOW), anywhere), FAMILY, 0.3, 0.8)


SAME_GROUP_WINDOW = 30  # a friend of one's own group is this many places along, or fewer
FRIEND_WINDOW = 60      # a friend living nearby is this many places along the street order, or fewer


@dataclass(frozen=True)
class GroupsAlong:
    """Residents by neighbourhood and group, each group in street order: where to find
    someone of one's own group living a little way along (the homophily of friendships)."""

    order: np.ndarray  # residents by (neighbourhood, group), then street order
    rank: np.ndarray   # each resident's place in ``order``
    start: np.ndarray  # where each (neighbourhood, group) block starts in ``order`` (and the end)
    block: np.ndarray  # each resident's block: neighbourhood * groups + group

    @classmethod
    def of(cls, people: Residents, street_rank: np.ndarray, hoods: int) -> "GroupsAlong":
        block = people.hood.astype(np.int64) * len(GROUPS) + people.group
        order = np.lexsort((street_rank, block))
        rank = np.empty(people.n, np.int64)
        rank[order] = np.arange(people.n)
        return cls(order, rank, np.searchsorted(block[order], np.arange(hoods * len(GROUPS) + 1)), block)

    def partner(self, who: np.ndarray, offset: np.ndarray) -> np.ndarray:
        """For each of ``who``, the resident ``offset`` places along their own block
        (wrapping round within it; themselves if they are its only member)."""
        k = self.block[who]
        return self.order[step_along(self.start[k], self.start[k + 1] - self.start[k], self.rank[who], offset)]


def _friend_ties(draw: _TieDraw, mean: float, homophily: float, at_activities: float) -> None:
    """Friends: nearby, and with homophily of the same group; the share ``at_activities``
    instead made at an activity, with someone who knows one of the same venues."""
    people, rng, n = draw.people, draw.rng, draw.n
    u = draw.initiators(mean, by_disposition=True)
    v = draw.near(u, FRIEND_WINDOW)
    off = rng.integers(1, SAME_GROUP_WINDOW + 1, u.size) * rng.choice([-1, 1], u.size)
    same = GroupsAlong.of(people, draw.rank, draw.hoods).partner(u, off)
    v = np.where(rng.random(u.size) < homophily, same, v)
    met = rng.random(u.size) < at_activities
    v[met] = sharing_a_venue(people.known, u[met], rng.random((2, int(met.sum()))), default=v[met])
    draw.keep(u, v, FRIEND, 0.4, 0.9, by_disposition=True)


def sharing_a_venue(known: np.ndarray, who: np.ndarray, draws: np.ndarray, default: np.ndarray) -> np.ndarray:
    """For each resident in ``who``, someone who knows one of the venues they know: one of
    their venues (``draws[0]``), then one of that venue's knowers (``draws[1]``; possibly
    themselves). ``default`` where a resident knows no venue.

    >>> known = np.array([[0, -1], [0, 1], [1, -1], [-1, -1]])
    >>> sharing_a_venue(known, np.array([2, 2, 3]), np.array([[0.5, 0.5, 0.5], [0.0, 0.9, 0.5]]), np.array([7, 7, 7]))
    array([1, 2, 7])
    >>> sharing_a_venue(np.full((2, 2), -1), np.array([0]), np.array([[0.5], [0.5]]), np.array([1]))
    array([1])
    """
    resident, slot = np.nonzero(known >= 0)
    if resident.size == 0:  # an offer too small for this many residents: nobody knows a venue
        return default.copy()
    venue = known[resident, slot]
    order = np.argsort(venue, kind="stable")
    knowers, venue = resident[order], venue[order]
    start = np.searchsorted(venue, np.arange(int(known.max(initial=-1)) + 2))
    mine = a_known_venue(known, who, draws[0])
    chosen = np.maximum(mine, 0)
    size = start[chosen + 1] - start[chosen]
    other = knowers[np.minimum(start[chosen] + (draws[1] * size).astype(np.int64), knowers.size - 1)]
    return np.where(mine >= 0, other, default)


def a_known_venue(known: np.ndarray, who: np.ndarray, draw: np.ndarray) -> np.ndarray:
    """For each resident in ``who``, one of the venues they know (``draw`` U picks which;
    -1 where they know none).

    >>> a_known_venue(np.array([[3, -1], [-1, -1]]), np.array([0, 1]), np.array([0.9, 0.5])).tolist()
    [3, -1]
    """
    mine = np.sort(known[who], axis=1)               # empty slots (-1) first
    count = (mine >= 0).sum(axis=1)
    pick = np.minimum((draw * count).astype(np.int64), np.maximum(count - 1, 0))
    slot = np.minimum(mine.shape[1] - count + pick, mine.shape[1] - 1)  # a resident who knows none: any slot
    return np.where(count > 0, mine[np.arange(who.size), slot], -1)
