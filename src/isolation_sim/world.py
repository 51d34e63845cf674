"""The world at the start of a run, built once from a scenario: the residents, their
network, the offer of venues and the pool of buddies, and what the model adds before its
first week (the order of residents in space, the venues each resident knows, loneliness as
it stands and volunteering as it stands). The model, ``describe`` and the per-agent
reference (``benchmarks/reference_mesa.py``) all start from it.

>>> from isolation_sim.scenario import load_scenario
>>> world = build_world(load_scenario("scenarios/baseline.toml", overrides={"residents": 300}))
>>> world.people.n, len(world.venues) > 0, world.spatial_rank[world.spatial_order[:3]].tolist()
(300, True, [0, 1, 2])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .buddies import BuddyPool, build_buddies
from .network import SocialNetwork
from .population import (KNOWN_VENUES, NO_ROLE, VOLUNTEER_ROLE, Residents, build_network, build_residents,
                         spatial_order)
from .scenario import Scenario
from .streams import stream
from .venues import Venues, build_venues

# Volunteering as it stands at the start: about the share it settles at.
INITIAL_VOLUNTEERS = 0.06


@dataclass
class World:
    people: Residents
    net: SocialNetwork | None
    venues: Venues
    buddies: BuddyPool
    spatial_order: np.ndarray      # residents neighbourhood by neighbourhood, nearby in space nearby here
    spatial_rank: np.ndarray       # each resident's place in that order
    hood_first: np.ndarray         # where each neighbourhood's residents start (they are sorted by it)
    resident_priority: np.ndarray  # a fixed order of residents, for levers that pick some


def build_world(scenario: Scenario, network: bool = True) -> World:
    """The world of ``scenario`` before its burn-in. Without ``network`` the social graph is
    not drawn (``net`` is ``None``); everything else is the same, each part from its own
    random stream."""
    people = build_residents(scenario)
    venues = build_venues(scenario)
    buddies = build_buddies(scenario, people)
    order = spatial_order(people.x, people.y, people.hood)
    rank = np.empty(people.n, np.int64)
    rank[order] = np.arange(people.n)
    hood_first = np.searchsorted(people.hood, np.arange(scenario.population.neighbourhoods + 1))
    setup = stream(scenario.seed, "setup")
    priority = setup.random(people.n)
    know_venues(people, venues, setup.random((people.n, KNOWN_VENUES)))
    net = build_network(scenario, people) if network else None  # friends met at activities know a venue
    people.loneliness[:] = np.clip(3.0 + people.trait, 0.0, 11.0)
    volunteers = (people.role == NO_ROLE) & (setup.random(people.n) < INITIAL_VOLUNTEERS)
    people.role[volunteers] = VOLUNTEER_ROLE
    return World(people, net, venues, buddies, order, rank, hood_first, priority)


def know_venues(people: Residents, venues: Venues, draws: np.ndarray, who: np.ndarray | None = None) -> None:
    """Each resident (or each of ``who``, one row of ``draws`` each) knows up to
    :data:`KNOWN_VENUES` random open venues of their own neighbourhood, each once (a slot
    drawn twice stays empty, ``-1``)."""
    who = np.arange(people.n) if who is None else who
    known = np.column_stack([venues.random_open(people.hood[who], draws[:, slot]) for slot in range(draws.shape[1])])
    known = np.sort(known, axis=1)
    known[:, 1:][known[:, 1:] == known[:, :-1]] = -1
    people.known[who] = known
