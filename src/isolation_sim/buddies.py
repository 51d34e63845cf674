"""Support buddies: professionals, volunteers and peer experts with a caseload.

Buddies come from the scenario's pool (a programme that replaces whoever leaves), from
the ``buddies`` lever, or ``organic``-ally from residents who start volunteering.
Volunteers and peer experts are residents themselves (``resident`` >= 0): their match
appears in the social graph as a tie in the ``buddy`` layer. Professionals are not part
of anyone's personal network (``resident`` == -1).
"""

from __future__ import annotations

import numpy as np

from .population import VOLUNTEER_ROLE, Residents
from .scenario import BUDDY_KINDS, GROUPS, Scenario
from .sizes import apportion, scale
from .streams import stream
from .columns import Columns

PROFESSIONAL, VOLUNTEER, PEER_EXPERT = range(len(BUDDY_KINDS))


class BuddyPool(Columns):
    """Every buddy's state, one row per buddy (see :class:`~isolation_sim.columns.Columns`)."""

    FIELDS = {"kind": np.int8, "caseload": np.int32, "hood": np.int32, "resident": np.int64,
              "active": bool, "matches": np.int32, "from_lever": bool, "organic": bool}

    def free_places(self) -> np.ndarray:
        return np.where(self.active, np.maximum(self.caseload - self.matches, 0), 0)


def pick_residents(people: Residents, hood: np.ndarray, eligible: np.ndarray, rng) -> np.ndarray:
    """One eligible resident per requested neighbourhood (-1 where there is none).

    Requests for the same neighbourhood get different residents while it has enough.
    Residents are numbered neighbourhood by neighbourhood in random order within each,
    so eligible residents from a random starting point onwards are a random sample.
    """
    out = np.full(hood.size, -1, np.int64)
    cand = np.flatnonzero(eligible)
    if cand.size == 0 or hood.size == 0:
        return out
    hoods = int(people.hood[-1]) + 1
    start = np.searchsorted(people.hood[cand], np.arange(hoods + 1))
    size = start[1:] - start[:-1]
    first = (rng.random(hoods) * np.maximum(size, 1)).astype(np.int64)
    order = np.argsort(hood, kind="stable")
    h = hood[order]
    nth = np.arange(h.size) - np.searchsorted(h, h)
    has = size[h] > 0
    pick = start[h] + (first[h] + nth) % np.maximum(size[h], 1)
    out[order[has]] = cand[pick[has]]
    return out


def build_buddies(scenario: Scenario, people: Residents) -> BuddyPool:
    """The buddy pool of every neighbourhood at the start (scaled to the residents run)."""
    rng = stream(scenario.seed, "buddies")
    cfg = scenario.buddies
    hoods = scenario.population.neighbourhoods
    buddies = BuddyPool()
    counts = apportion([cfg.pool.professional, cfg.pool.volunteer, cfg.pool.peer_expert], scale(scenario))
    caseloads = [cfg.caseload.professional, cfg.caseload.volunteer, cfg.caseload.peer_expert]
    kind = np.tile(np.repeat(np.arange(3, dtype=np.int8), counts), hoods)
    hood = np.repeat(np.arange(hoods, dtype=np.int32), sum(counts))
    resident = np.full(kind.size, -1, np.int64)
    vol = kind == VOLUNTEER
    resident[vol] = pick_residents(people, hood[vol], np.ones(people.n, bool), rng)  # anyone (reciprocity.py)
    peer = kind == PEER_EXPERT
    resident[peer] = pick_residents(people, hood[peer], people.group == GROUPS.index("psychiatric"), rng)
    # a volunteer or peer-expert place that finds nobody to fill it stays empty
    active = (kind == PROFESSIONAL) | (resident >= 0)
    buddies.append(kind=kind, caseload=np.array(caseloads)[kind], hood=hood, resident=resident, active=active)
    people.role[resident[resident >= 0]] = VOLUNTEER_ROLE
    return buddies
