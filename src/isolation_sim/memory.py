"""Refusing a size a scenario cannot run at, before anything is allocated: one whose offer
comes to no venue at all, or one that cannot fit in memory."""

from __future__ import annotations

import os

from .errors import Given, ScenarioError

# Memory one resident costs at run time (arrays, ties, the Mesa agent), measured with
# ``benchmarks``; used to refuse populations that cannot fit before anything is allocated.
BYTES_PER_RESIDENT = 3_000
# ... and one venue, buddy or link (295,000 venues took 140 MB): the offer, the buddy pool,
# the links and the levers' units are counts scaled to the size run (sizes.py), so a small
# ``represents`` can make a few residents meet millions of them
BYTES_PER_THING = 500


def things(scenario) -> float:
    """The venues, buddies, links and lever units a scenario comes to at the size run."""
    from .levers import LEVER
    from .sizes import scale

    factor = scale(scenario)
    offer, pool = scenario.offer, scenario.buddies.pool
    per_hood = offer.venue_count + offer.links + pool.professional + pool.volunteer + pool.peer_expert
    levers = sum(lever.level for name, lever in scenario.steering.levers.items() if not LEVER[name].share)
    return factor * (per_hood * scenario.population.neighbourhoods + levers)


def check_memory(scenario, available: int | None = None, where: str | None = None) -> None:
    """Refuse a population whose offer comes to no venue at the size run, or that cannot fit
    in memory, before anything is allocated. ``where`` is the place that set the residents
    (a file, or a flag as :class:`errors.Given`)."""
    place = where if isinstance(where, Given) else f"{where or scenario.source or '<scenario>'}: population.residents"
    check_offer(scenario, place)
    built = things(scenario)
    need = scenario.population.residents * BYTES_PER_RESIDENT + built * BYTES_PER_THING
    available = available_memory() if available is None else available
    if available and need > 0.8 * available:
        offer = (f" with {built:,.0f} venues, buddies, links and lever units at this size (the scenario's counts "
                 "scaled by residents / (neighbourhoods x population.represents))"
                 if built * BYTES_PER_THING > 0.1 * need else "")
        raise ScenarioError(
            f"{place} = {scenario.population.residents:,}{offer}: "
            f"needs about {need / 2**30:.1f} GiB but only {available / 2**30:.1f} GiB of memory is free; "
            + ("give fewer residents, smaller counts or a larger population.represents" if offer else
               f"at most {int(0.8 * available / BYTES_PER_RESIDENT):,} residents fit on this machine")
        )


def check_offer(scenario, place: str) -> None:
    """Refuse a size at which the scenario's offer comes to no venue in a neighbourhood: its
    inventory is scaled to the residents run (sizes.py), and a model needs a venue to meet.

    >>> from isolation_sim.scenario import load_scenario
    >>> check_offer(load_scenario("scenarios/baseline.toml", overrides={"residents": 50}), "--residents")
    Traceback (most recent call last):
    ...
    isolation_sim.errors.ScenarioError: --residents = 50: the offer of 94 venues for a neighbourhood of 15,000 comes to no venue at this size; at least 80 residents (in 1 neighbourhood)
    """
    from .sizes import apportion, scale

    total = scenario.offer.venue_count
    if total and apportion([total], scale(scenario)).sum() > 0:
        return
    population = scenario.population
    if not total:
        raise ScenarioError(f"{place} = {population.residents:,}: offer.inventory holds no venue; a model needs at "
                            "least one to meet at")
    least = int(0.5 * population.neighbourhoods * population.represents / total) + 1
    hoods = f"{population.neighbourhoods:,} neighbourhood{'s' * (population.neighbourhoods > 1)}"
    raise ScenarioError(f"{place} = {population.residents:,}: the offer of {total:,} venues for a neighbourhood of "
                        f"{population.represents:,} comes to no venue at this size; at least {least:,} residents "
                        f"(in {hoods})")


def available_memory() -> int | None:
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None
