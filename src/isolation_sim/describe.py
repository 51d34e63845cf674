"""What a scenario starts with: its population and its offer, as tables."""

from __future__ import annotations

import numpy as np
from rich.table import Table

from .levers import LEVER
from .scenario import ACTIVITY_TYPES, BUDDY_KINDS, GROUPS, Scenario
from .sizes import apportion, lever_units, scale
from .world import build_world


def describe(scenario: Scenario) -> list[Table]:
    """Population composition, offer by activity type and number of thresholds, buddies,
    and what the scenario's counts come to at the size it is run at."""
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
    return [pop, offer, pool, at_this_size(scenario)]


def at_this_size(scenario: Scenario) -> Table:
    """The scenario's counts (per neighbourhood of ``represents`` residents; lever levels for
    all its neighbourhoods) against what they come to at the residents run (``sizes.py``)."""
    population, factor = scenario.population, scale(scenario)
    per = f"neighbourhoods of {population.represents:,}" if population.represents else "the residents run"
    table = Table(title=f"Counts at {population.residents:,} residents: the scenario's are for {per} "
                        f"(x {factor:.3g}; lever levels for all {population.neighbourhoods} neighbourhood(s))")
    table.add_column("count")
    table.add_column("in the scenario", justify="right")
    table.add_column("at this size", justify="right")
    inventory = sum(sum(row) for row in scenario.offer.inventory.values())
    table.add_row("venues per neighbourhood", str(inventory), str(int(apportion([inventory], factor).sum())))
    pool = scenario.buddies.pool
    counts = [pool.professional, pool.volunteer, pool.peer_expert]
    table.add_row("buddies per neighbourhood", str(sum(counts)), str(int(apportion(counts, factor).sum())))
    for name, lever in scenario.steering.levers.items():
        units = lever_units(name, lever.level, factor)
        shown = f"{round(units):,}" if LEVER[name].whole else f"{units:.3g}"
        table.add_row(f"lever {name}", f"{lever.level:g}", shown)
    return table
