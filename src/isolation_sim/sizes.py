"""What a scenario's counts mean at the size it is run at.

A scenario's neighbourhoods are of ``population.represents`` residents each (Oud Charlois:
15,000): its inventory of venues, its buddy pool and its links are counts for such a
neighbourhood, and its lever levels are counts for all its neighbourhoods. A run of
``population.residents`` residents in ``population.neighbourhoods`` neighbourhoods is a
sample of them: every such count is scaled by
``residents / (neighbourhoods * represents)``, so ``--residents`` changes the sample, not
the regime (as many venues, buddies and lever units per resident at any size). Without
``represents`` the scenario's counts are taken as they are.

>>> apportion([2, 5, 6, 22, 19], 1.0).tolist()
[2, 5, 6, 22, 19]
>>> apportion([2, 5, 6, 22, 19], 1 / 3).tolist(), int(apportion([2, 5, 6, 22, 19], 1 / 3).sum())
([1, 2, 2, 7, 6], 18)
"""

from __future__ import annotations

import numpy as np

from .levers import LEVER


def scale(scenario) -> float:
    """``residents / (neighbourhoods * represents)``: what one of the scenario's counts is
    at the size run."""
    population = scenario.population
    if population.represents is None:
        return 1.0
    return population.residents / (population.neighbourhoods * population.represents)


def apportion(counts, factor: float) -> np.ndarray:
    """Whole numbers in proportion to ``counts * factor`` that add up to
    ``round(sum(counts) * factor)`` (largest remainders; ties to the earlier count), so a
    table keeps its profile when scaled and is exact at ``factor == 1``."""
    counts = np.asarray(counts, np.float64)
    shape = counts.shape
    want = counts.ravel() * factor
    total = int(round(want.sum()))
    whole = np.floor(want + 1e-9).astype(np.int64)
    left = total - int(whole.sum())
    if left > 0:
        order = np.argsort(-(want - whole), kind="stable")
        whole[order[:left]] += 1
    return whole.reshape(shape)


def lever_units(name: str, level: float, factor: float) -> float:
    """What a lever's level comes to at the size run: a count scaled by ``factor``, a share
    as it is."""
    return level if LEVER[name].share else level * factor
