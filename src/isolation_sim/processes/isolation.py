"""Isolation types emerge from each resident's ties and participation every week.

Two dimensions: *societal* isolation (no part in the public world: no activities, work,
volunteering or help given outside one's household) and *personal* isolation (a personal
network too weak). A societally isolated resident with a personal network is in
*collective* isolation when that network
lies mostly among other societally isolated people (few bridges to participating
residents) and in *individual* isolation otherwise; with too weak a personal network
(``personal_strength < behaviour.personal_cutoff``) they are in *double* isolation.

A type belongs to a situation that lasts (seed 000: isolation after retirement or
long-term unemployment, a group found for months): a resident's type changes only when the
type their situation gives has held for ``behaviour.type_persistence_weeks`` weeks in a
row, so a week's absence or a tie that dips below a cut-off for a while changes nothing.
The first time types are found (the start of the burn-in) they are taken as they are, and
a newcomer's (moving.py) in the week they move in.
"""

from __future__ import annotations

import numpy as np

from ..population import COLLECTIVE, DOUBLE, INDIVIDUAL, NOT_ISOLATED

NAME = "isolation"


def societally_isolated(model) -> np.ndarray:
    p, b = model.people, model.params.behaviour
    return ~(p.employed | (p.role > 0) | (p.participation + p.giving >= b.societal_cutoff))


def bridging_share(model) -> np.ndarray:
    """Share of each resident's personal tie strength that goes to residents in public life."""
    totals = model.totals
    return totals.public_strength / np.maximum(totals.personal_strength, 1e-9)


def situation(model) -> np.ndarray:
    """The type each resident's situation gives this week (before it has to last)."""
    p, b = model.people, model.params.behaviour
    societal = societally_isolated(model)  # with this week's giving (support runs after the ties)
    personal = p.personal_strength < b.personal_cutoff
    collective = societal & ~personal & (bridging_share(model) < b.bridging_cutoff)
    kind = np.full(p.n, NOT_ISOLATED, np.int8)
    kind[societal & ~personal] = INDIVIDUAL
    kind[collective] = COLLECTIVE
    kind[societal & personal] = DOUBLE
    return kind


def step(model) -> None:
    p, weeks = model.people, model.params.behaviour.type_persistence_weeks
    now = situation(model)
    if model.type_streak is None:  # the first week: the types as they are
        p.isolation, model.type_candidate, model.type_streak = now, now.copy(), np.full(p.n, weeks, np.int16)
        return
    new = model.type_candidate < 0  # moved in this week (moving.py): the type their situation gives
    model.type_streak = np.where(now == model.type_candidate, model.type_streak + 1, 1).astype(np.int16)
    model.type_streak[new] = weeks
    model.type_candidate = now
    p.isolation = np.where(model.type_streak >= weeks, now, p.isolation).astype(np.int8)
