"""What a scenario starts with: its population and its offer, as tables."""

from __future__ import annotations

import numpy as np
from rich.table import Table

from .scenario import ACTIVITY_TYPES, BUDDY_KINDS, GROUPS, Scenario
from .world import build_world


def describe(scenario: Scenario) -> list[Table]:
    """Population composition, offer by activity type and number of thresholds, buddies."""
    world = build_world(scenario, network=False)  # describe shows no ties: the city's would cost time
    people, venues, buddies = world.people, world.venues, world.buddies

    pop = Table(title=f"Population of '{scenario.name}': {people.n:,} residents in "
                      f"{scenario.population.neighbourhoods} neighbourhood(s)")
    pop.add_column("group")
    pop.add_column("residents", justify="right")
    pop.add_column("share", justify="right")
    counts = np.bincount(people.group, minlength=len(GROUPS))
    for g, c in zip(GROUPS, counts):
        pop.add_row(g.replace("_", " "), f"{c:,}", f"{c / people.n:.1%}")

    table = venues.threshold_table()
    offer = Table(title="Offer: activities by type and number of thresholds "
                        "(distance, cost, discipline, social)")
    offer.add_column("activity type")
    for k in range(5):
        offer.add_column(f"{k}", justify="right")
    offer.add_column("total", justify="right")
    for a, row in zip(ACTIVITY_TYPES, table):
        offer.add_row(a, *[str(x) for x in row], str(row.sum()))
    offer.add_row("all", *[str(x) for x in table.sum(axis=0)], str(table.sum()), style="bold")

    pool = Table(title="Buddies")
    pool.add_column("kind")
    pool.add_column("buddies", justify="right")
    pool.add_column("places", justify="right")
    for k, name in enumerate(BUDDY_KINDS):
        mine = buddies.kind == k
        pool.add_row(name.replace("_", " "), str(int(mine.sum())), str(int(buddies.caseload[mine].sum())))
    return [pop, offer, pool]
