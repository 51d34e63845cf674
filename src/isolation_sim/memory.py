"""Refusing a population that cannot fit in memory, before anything is allocated."""

from __future__ import annotations

import os

from .errors import ScenarioError

# Memory one resident costs at run time (arrays, ties, the Mesa agent), measured with
# ``benchmarks``; used to refuse populations that cannot fit before anything is allocated.
BYTES_PER_RESIDENT = 3_000


def check_memory(scenario, available: int | None = None) -> None:
    """Refuse a population that cannot fit in memory, before anything is allocated."""
    need = scenario.population.residents * BYTES_PER_RESIDENT
    available = available_memory() if available is None else available
    if available and need > 0.8 * available:
        raise ScenarioError(
            f"{scenario.source or '<scenario>'}: population.residents = {scenario.population.residents:,}: "
            f"needs about {need / 2**30:.1f} GiB but only {available / 2**30:.1f} GiB of memory is free; "
            f"at most {int(0.8 * available / BYTES_PER_RESIDENT):,} residents fit on this machine"
        )


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
