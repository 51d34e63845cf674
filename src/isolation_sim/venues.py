"""Activity venues: the offer, its thresholds, funding and links.

The offer is built from the scenario's inventory, a table of activity type by number of
thresholds (the Oud Charlois analysis). Which threshold kinds a venue has is drawn with
the scenario's weights; a venue with a *distance* threshold is placed beyond walking
distance of the neighbourhood centre, every other venue within it, so counting
thresholds reproduces the table exactly.
"""

from __future__ import annotations

import numpy as np

from .population import neighbourhood_centres
from .scenario import ACTIVITY_TYPES, VENUE_KINDS, Scenario
from .streams import stream
from .columns import Columns
from .sizes import apportion, scale

DISTANCE, COST, DISCIPLINE, SOCIAL = range(4)

# Which kinds of venue offer which activity type.
KINDS_FOR_TYPE = {
    "meeting": ("walk_in", "warm_place", "community_centre", "recovery_academy"),
    "exercise": ("sports_club", "community_centre", "walk_in"),
    "creative": ("community_centre", "recovery_academy", "environment_initiative"),
    "work": ("mild_work", "care_farm", "neighbourhood_enterprise", "environment_initiative"),
}
PRESENCE_KINDS = np.array([VENUE_KINDS.index(k) for k in ("walk_in", "warm_place", "community_centre")])
SMALL_GROUP_CAPACITY = 10
FULL_PRESENCE_HOURS = 4.0  # hours of presence a week at which a place has its full relief
ORIGINS = ("inventory", "diversity", "initiative", "project")  # where a venue came from
INVENTORY, DIVERSITY, INITIATIVE, PROJECT = range(len(ORIGINS))


class Venues(Columns):
    """Every venue's state, one row per venue (see :class:`~isolation_sim.columns.Columns`)."""

    FIELDS = {
        "activity": np.int8, "kind": np.int8, "x": np.float32, "y": np.float32, "hood": np.int32,
        "capacity": np.int32, "small_group": bool, "small_base": bool, "resident_run": bool, "project": bool,
        "end_week": np.int32, "open": bool, "priority": np.float64, "permanent": bool,
        "supported": bool, "contracted": bool, "opened_week": np.int32, "attendance": np.int32,
        "origin": np.int8, "presence": np.float32,
        "thresholds": (bool, 4),   # as built: distance, cost, discipline, social
        "lifted": (bool, 4),       # lifted by a steering lever
    }

    def __init__(self, walk_radius_km: float, centres: np.ndarray) -> None:
        super().__init__()
        self.walk_radius_km = walk_radius_km
        self.centres = centres
        self.links = np.zeros((0, 2), np.int32)    # candidate pairs of linked venues, in order
        self.link_active = np.zeros(0, bool)
        self.candidates_made = 0                   # venues below this index have candidates

    # ------------------------------------------------------------------ thresholds
    def distance_from_centre(self) -> np.ndarray:
        c = self.centres[self.hood]
        return np.hypot(self.x - c[:, 0], self.y - c[:, 1])

    def effective_thresholds(self) -> np.ndarray:
        """(venues, 4) threshold burden 0..1 after levers: distance, cost, discipline, social.

        The distance entry is a switch (1 = the distance threshold counts); the burden a
        resident feels also depends on their own distance to the venue.
        """
        t = (self.thresholds & ~self.lifted).astype(np.float32)
        relief = np.minimum(self.presence / FULL_PRESENCE_HOURS, 1.0)
        t[:, DISCIPLINE] *= 1.0 - relief
        t[:, SOCIAL] *= 1.0 - 0.5 * relief
        return t

    def threshold_count(self) -> np.ndarray:
        """Number of thresholds per venue as counted in the Oud Charlois analysis."""
        return (self.effective_thresholds() > 0.5).sum(axis=1)

    def threshold_table(self, only_open: bool = True) -> np.ndarray:
        """(activity types, 0..4 thresholds) venue counts."""
        mask = self.open if only_open else np.ones(self.size, bool)
        table = np.zeros((len(ACTIVITY_TYPES), 5), np.int64)
        np.add.at(table, (self.activity[mask], self.threshold_count()[mask]), 1)
        return table

    # ------------------------------------------------------------------ links
    def linked(self) -> tuple[np.ndarray, np.ndarray]:
        """CSR of active links: (start offsets per venue, linked venue indices)."""
        pairs = self.links[self.link_active]
        both = np.concatenate([pairs, pairs[:, ::-1]]) if pairs.size else np.zeros((0, 2), np.int64)
        both = both[np.argsort(both[:, 0], kind="stable")]
        start = np.searchsorted(both[:, 0], np.arange(self.size + 1))
        return start, both[:, 1]

    def random_open(self, hood: np.ndarray, draw: np.ndarray) -> np.ndarray:
        """A random open venue in each given neighbourhood (-1 where none is open)."""
        start, grouped = self.open_in_hood()
        size = start[hood + 1] - start[hood]
        if grouped.size == 0:
            return np.full(hood.size, -1, np.int64)
        pick = np.minimum(start[hood] + (draw * size).astype(np.int64), grouped.size - 1)
        return np.where(size > 0, grouped[pick], -1)

    def add_from_inventory(self, hood: np.ndarray, offer, week: int, rng, project: bool = True,
                           activity: np.ndarray | None = None, kind: np.ndarray | None = None,
                           origin: int | None = None) -> np.ndarray:
        """New venues, one in each given neighbourhood, drawn as the inventory is: activity
        type and number of thresholds in the proportions of ``offer.inventory``, the kinds of
        threshold, the place and small groups as :func:`build_venues` draws them.

        With ``project`` a new project (funded for ``offer.project_end_weeks``, resident-run
        in the inventory's share); without it a new resident initiative (resident-run, not
        funded as a project). Given ``activity`` (and ``kind``), the venues are of that type
        (and kind) and only their number of thresholds is drawn, from that type's row of the
        inventory: the thresholds a new offer of that type has.
        """
        count = hood.size
        table = np.array([offer.inventory[t] for t in ACTIVITY_TYPES], np.float64)
        if activity is None:
            cell = rng.choice(table.size, size=count, p=table.ravel() / table.sum())
            activity, nthr = (cell // 5).astype(np.int8), cell % 5
        else:
            rows = table[activity] + 1e-12  # a type the inventory lacks: any number, evenly
            cum = np.cumsum(rows / rows.sum(axis=1, keepdims=True), axis=1)
            nthr = np.minimum((cum < rng.random((count, 1))).sum(axis=1), 4)
        thresholds = draw_threshold_sets(nthr, offer.threshold_weights.as_tuple(), rng)
        x, y = place(hood, thresholds[:, DISTANCE], self.centres, self.walk_radius_km, rng)
        small = rng.random(count) < offer.small_group_share
        run_by_residents = rng.random(count) < offer.resident_run_share
        lo, hi = offer.project_end_weeks
        ends = week + rng.integers(max(lo, 1), max(hi, 1) + 1, count)
        if origin is None:
            origin = PROJECT if project else INITIATIVE
        return self.append(
            activity=activity, kind=kinds_for(activity, rng) if kind is None else kind, x=x, y=y, hood=hood,
            capacity=np.where(small, SMALL_GROUP_CAPACITY, offer.capacity), small_group=small, small_base=small,
            resident_run=run_by_residents if project else True, project=project,
            end_week=ends if project else np.iinfo(np.int32).max, open=True,
            priority=rng.random(count), thresholds=thresholds, origin=origin, opened_week=week)

    def succeed(self, old: np.ndarray, offer, week: int, rng) -> np.ndarray:
        """A new venue in the place of each venue ``old`` in the offer: the same neighbourhood,
        activity type, number of thresholds, size and way of running (a project, funded anew
        for ``offer.project_end_weeks``, or a resident initiative); the kinds of threshold,
        the place, the kind of venue and the priority drawn afresh as :func:`build_venues`
        draws them. The offer's table stays as it is while its venues change."""
        count = old.size
        thresholds = draw_threshold_sets(self.thresholds[old].sum(axis=1), offer.threshold_weights.as_tuple(), rng)
        hood = self.hood[old]
        x, y = place(hood, thresholds[:, DISTANCE], self.centres, self.walk_radius_km, rng)
        lo, hi = offer.project_end_weeks
        ends = week + rng.integers(max(lo, 1), max(hi, 1) + 1, count)
        project = self.project[old]
        return self.append(
            activity=self.activity[old], kind=kinds_for(self.activity[old], rng), x=x, y=y, hood=hood,
            capacity=np.where(self.small_base[old], SMALL_GROUP_CAPACITY, offer.capacity),
            small_group=self.small_base[old], small_base=self.small_base[old], resident_run=self.resident_run[old],
            project=project, end_week=np.where(project, ends, np.iinfo(np.int32).max), open=True,
            priority=rng.random(count), thresholds=thresholds,
            origin=np.where(project, PROJECT, INITIATIVE), opened_week=week)

    def open_in_hood(self) -> tuple[np.ndarray, np.ndarray]:
        """Open venues grouped by neighbourhood: (start offsets per hood, venue indices)."""
        idx = np.flatnonzero(self.open)
        idx = idx[np.argsort(self.hood[idx], kind="stable")]
        start = np.searchsorted(self.hood[idx], np.arange(len(self.centres) + 1))
        return start, idx


def funding_left(first: int, last: int, length_draw: np.ndarray, share_draw: np.ndarray) -> np.ndarray:
    """Weeks of funding left for projects already running today, as in a stationary cycle.

    New projects are funded for ``U{first..last}`` weeks. Today's projects are a snapshot of
    that renewal process, so long projects are caught more often (a length-biased duration,
    density proportional to its length) and each is caught at a uniform point of it (renewal
    theory's stationary residual life). Ends then come at the steady rate from week 1,
    not in a wave as when every project has just started.

    >>> funding_left(26, 260, np.array([0.0, 1.0]), np.array([1.0, 0.5])).tolist()
    [26, 130]
    """
    length = np.sqrt(first**2 + length_draw * (last**2 - first**2))
    return np.maximum(np.ceil(share_draw * length), 1).astype(np.int64)


def draw_threshold_sets(counts: np.ndarray, weights, rng: np.random.Generator) -> np.ndarray:
    """For each venue, which of the 4 threshold kinds it has, given how many it has.

    Kinds are drawn without replacement with probability proportional to ``weights``
    (Gumbel top-k), so a venue with ``k`` thresholds has exactly ``k``.
    """
    w = np.maximum(np.asarray(weights, dtype=np.float64), 1e-12)
    keys = np.log(w) - np.log(-np.log(rng.random((counts.size, 4))))
    rank = np.argsort(np.argsort(-keys, axis=1), axis=1)
    return rank < counts[:, None]


def place(hood: np.ndarray, far: np.ndarray, centres: np.ndarray, walk_km: float, rng) -> tuple[np.ndarray, np.ndarray]:
    """Venue locations: within walking distance of the centre, or beyond it where ``far``."""
    lo = np.where(far, 1.25 * walk_km, 0.0)
    hi = np.where(far, 2.5 * walk_km, 0.9 * walk_km)
    r = np.sqrt(rng.uniform(lo**2, hi**2))
    a = rng.random(hood.size) * 2 * np.pi
    return centres[hood, 0] + r * np.cos(a), centres[hood, 1] + r * np.sin(a)


def kinds_for(activity: np.ndarray, rng) -> np.ndarray:
    """A venue kind for each activity type, uniformly among the kinds that offer it."""
    width = max(len(k) for k in KINDS_FOR_TYPE.values())
    table = np.zeros((len(ACTIVITY_TYPES), width), np.int8)
    options = np.zeros(len(ACTIVITY_TYPES), np.int64)
    for a, t in enumerate(ACTIVITY_TYPES):
        kinds = [VENUE_KINDS.index(k) for k in KINDS_FOR_TYPE[t]]
        table[a, : len(kinds)] = kinds
        options[a] = len(kinds)
    pick = (rng.random(activity.size) * options[activity]).astype(np.int64)
    return table[activity, pick]


def build_venues(scenario: Scenario) -> Venues:
    """The starting offer: the inventory table, scaled to the residents run
    (:func:`isolation_sim.sizes.apportion`), in every neighbourhood."""
    rng = stream(scenario.seed, "venues")
    offer = scenario.offer
    hoods = scenario.population.neighbourhoods
    centres = neighbourhood_centres(hoods, scenario.population.radius_km)
    venues = Venues(offer.walk_radius_km, centres)
    activity, nthr = [], []
    table = apportion([offer.inventory[t] for t in ACTIVITY_TYPES], scale(scenario))
    for a, row in enumerate(table):
        for k, count in enumerate(row):
            activity += [a] * count
            nthr += [k] * count
    per_hood = len(activity)
    if per_hood == 0:
        return venues
    activity = np.tile(np.array(activity, np.int8), hoods)
    nthr = np.tile(np.array(nthr, np.int64), hoods)
    hood = np.repeat(np.arange(hoods, dtype=np.int32), per_hood)
    n = activity.size
    thresholds = draw_threshold_sets(nthr, offer.threshold_weights.as_tuple(), rng)
    x, y = place(hood, thresholds[:, DISTANCE], centres, offer.walk_radius_km, rng)
    small = rng.random(n) < offer.small_group_share
    project = rng.random(n) < offer.project_share
    lo, hi = offer.project_end_weeks
    venues.append(
        activity=activity, kind=kinds_for(activity, rng), x=x, y=y, hood=hood,
        capacity=np.where(small, SMALL_GROUP_CAPACITY, offer.capacity), small_group=small, small_base=small,
        resident_run=rng.random(n) < offer.resident_run_share, project=project,
        end_week=np.where(project, funding_left(lo, hi, rng.random(n), rng.random(n)) - scenario.burn_in_weeks,
                          np.iinfo(np.int32).max),
        open=True, priority=rng.random(n), thresholds=thresholds,
    )
    professional = ~venues.resident_run
    ranked = np.argsort(np.where(professional, venues.priority, 2.0))
    venues.contracted[ranked[: int(round(offer.contracted_share * professional.sum()))]] = True
    add_link_candidates(venues, rng)
    venues.link_active[: base_links(scenario)] = True
    return venues


def base_links(scenario: Scenario) -> int:
    """The links between venues the scenario keeps (``offer.links`` per neighbourhood, scaled)."""
    return int(round(scenario.offer.links * scale(scenario))) * scenario.population.neighbourhoods


def add_link_candidates(venues: Venues, rng: np.random.Generator, per_venue: int = 3) -> None:
    """Candidate links for venues that have none yet, to venues in the same neighbourhood.

    Candidates are kept in a fixed order (links between different activity types first);
    the scenario (``offer.links``) and the ``links`` lever switch on the first ones whose
    venues are both open, so the same level always means the same links.
    """
    idx = np.arange(venues.candidates_made, len(venues))
    venues.candidates_made = len(venues)
    if idx.size == 0:
        return
    start, grouped = venues.open_in_hood()
    hood = venues.hood[idx]
    size = (start[1:] - start[:-1])[hood]
    a = np.repeat(idx, per_venue)
    pick = (rng.random(a.size) * np.repeat(np.maximum(size, 1), per_venue)).astype(np.int64)
    b = grouped[np.minimum(start[:-1][np.repeat(hood, per_venue)] + pick, max(grouped.size - 1, 0))]
    ok = (a != b) & np.repeat(size > 0, per_venue)
    # every pair holds a venue without candidates so far: no pair can repeat an older one
    pairs = np.unique(np.sort(np.column_stack([a[ok], b[ok]]), axis=1), axis=0).reshape(-1, 2)
    different = venues.activity[pairs[:, 0]] != venues.activity[pairs[:, 1]]
    score = rng.random(len(pairs)) + np.where(different, 0.0, 1.0)
    pairs = pairs[np.argsort(score, kind="stable")]
    venues.links = np.vstack([venues.links, pairs.astype(np.int32)])
    venues.link_active = np.concatenate([venues.link_active, np.zeros(len(pairs), bool)])
