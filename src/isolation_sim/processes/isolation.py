"""Isolation types emerge from each resident's ties and participation every week.

Two dimensions: *societal* isolation (no part in the public world: no activities, work
or volunteering) and *personal* isolation (a personal network too weak). A societally
isolated resident with a personal network is in *collective* isolation when that network
lies mostly among other societally isolated people (few bridges to participating
residents) and in *individual* isolation otherwise; with too weak a personal network
(``personal_strength < behaviour.personal_cutoff``) they are in *double* isolation.
"""

from __future__ import annotations

import numpy as np

from ..population import COLLECTIVE, DOUBLE, INDIVIDUAL, NOT_ISOLATED

NAME = "isolation"


def societally_isolated(model) -> np.ndarray:
    p, b = model.people, model.params.behaviour
    return ~(p.employed | (p.role > 0) | (p.participation >= b.societal_cutoff))


def bridging_share(model) -> np.ndarray:
    """Share of each resident's personal tie strength that goes to residents in public life."""
    totals = model.totals
    return totals.public_strength / np.maximum(totals.personal_strength, 1e-9)


def step(model) -> None:
    p, b = model.people, model.params.behaviour
    societal = model.totals.societal  # as the ties process found it; nothing has changed it since
    personal = p.personal_strength < b.personal_cutoff
    collective = societal & ~personal & (bridging_share(model) < b.bridging_cutoff)
    kind = np.full(p.n, NOT_ISOLATED, np.int8)
    kind[societal & ~personal] = INDIVIDUAL
    kind[collective] = COLLECTIVE
    kind[societal & personal] = DOUBLE
    p.isolation = kind
