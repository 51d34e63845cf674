"""The scenarios the workshop page offers, by name: read by the page, and by ``isolation-sim
app`` before it starts the server, so that it never starts a page that cannot find its own
two strategies.
"""

from __future__ import annotations

from pathlib import Path

from ..scenario import ScenarioError, load_scenario

LIVE_RESIDENTS = 50_000  # the largest scenario offered live


def offered(folder: Path, first: str, second: str, residents: int | None) -> list[str]:
    """The scenario files in ``folder`` on offer, by name (``baseline``, ``dynamics``, ...):
    those that load and run at neighbourhood scale (a city runs in batch, not live), the two
    strategies the page opens with, or all that load with ``residents`` set."""
    names = []
    for path in sorted(Path(folder).glob("*.toml")):
        try:
            size = load_scenario(path).population.residents
        except ScenarioError:
            continue
        if residents or size <= LIVE_RESIDENTS or path.stem in (first, second):
            names.append(path.stem)
    return names
