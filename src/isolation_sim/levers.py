"""The municipality's steering levers, one row each: the family it belongs to (stability
or dynamics, the brief's reading of seed 000; see ``docs/ODD.md``), what one unit of its
level is, whether the level is a count (whole numbers only), what a unit costs a year, and
how far the workshop app's slider goes, and the highest level a scenario may set. Every
other module reads the levers from here.
The unit costs, with their low and high values and where they come from, are in
``docs/costs.md``.

>>> LEVER["buddies"].unit, LEVER["buddies"].whole, LEVER["buddies"].unit_cost
('volunteer buddies, recruited and coordinated', True, 2000.0)
>>> STABILITY_LEVERS[:2], DYNAMICS_LEVERS[-1]
(('permanent_funding', 'presence_hours'), 'community_managers')
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Lever:
    name: str
    family: Literal["stability", "dynamics"]
    unit: str           # what one unit of its level is
    whole: bool         # a count: the level is a whole number
    unit_cost: float    # euro per unit a year, central (production_contracts: a way of contracting, no money)
    cost_low: float     # ... low and high: the range docs/costs.md gives with its sources
    cost_high: float
    slider_max: float   # the app's slider runs from 0 to this
    step: float = 1.0   # and moves by this
    share: bool = False  # a share of the offer, the same at any size (other levels are counts: sizes.py)

    @property
    def most(self) -> float:
        """The highest level a scenario may set: a share at most 1; a count at most a hundred
        times the slider's end (far beyond any municipal budget: 10,000 buddies for a
        neighbourhood of 15,000), so what the level builds always fits in memory."""
        return 1.0 if self.share else 100.0 * self.slider_max


TABLE = (
    Lever("permanent_funding", "stability", "project-funded venues funded for good", True,
          30_000.0, 15_000.0, 60_000.0, 10),
    Lever("presence_hours", "stability", "hours of professional presence every week", False,
          3_100.0, 2_600.0, 4_400.0, 100),
    Lever("lower_distance", "stability", "venues with transport or outreach", True, 5_000.0, 2_000.0, 10_000.0, 40),
    Lever("lower_cost", "stability", "venues free for residents on a low income", True,
          4_000.0, 2_000.0, 8_000.0, 40),
    Lever("lower_discipline", "stability", "venues with walk-in instead of fixed commitments", True,
          3_000.0, 1_500.0, 6_000.0, 40),
    Lever("lower_social", "stability", "venues with a host at the door", True, 6_000.0, 3_000.0, 10_000.0, 40),
    Lever("production_contracts", "stability", "share of the offer contracted on production (0 to 1)", False,
          0.0, 0.0, 0.0, 1, 0.1, share=True),
    Lever("diversity", "dynamics", "projects of a kind of activity the offer lacks", True,
          30_000.0, 15_000.0, 60_000.0, 15),
    Lever("small_groups", "dynamics", "small groups with a leader (trekker) and coaching", True,
          4_000.0, 2_000.0, 8_000.0, 40),
    Lever("buddies", "dynamics", "volunteer buddies, recruited and coordinated", True, 2_000.0, 1_000.0, 3_500.0, 100),
    Lever("links", "dynamics", "links between venues kept by light coordination", True, 1_000.0, 500.0, 2_500.0, 150),
    Lever("initiative_support", "dynamics", "resident initiatives supported", True, 3_000.0, 1_500.0, 6_000.0, 50),
    Lever("community_managers", "dynamics", "residents on benefits trained as community managers (transit card)",
          True, 1_200.0, 600.0, 2_500.0, 120),
)
LEVER = {lever.name: lever for lever in TABLE}
LEVERS = tuple(LEVER)
STABILITY_LEVERS = tuple(lv.name for lv in TABLE if lv.family == "stability")
DYNAMICS_LEVERS = tuple(lv.name for lv in TABLE if lv.family == "dynamics")


def default_unit_costs() -> dict[str, float]:
    """Euro per unit of each lever a year."""
    return {lv.name: lv.unit_cost for lv in TABLE}


def cost_factor(name: str, end: Literal["low", "high"]) -> float:
    """The low or high unit cost of a lever as a multiple of its central one (1 for a lever
    that costs nothing): how a scenario's own unit cost scales at that end of the range.

    >>> cost_factor("buddies", "low"), cost_factor("production_contracts", "high")
    (0.5, 1.0)
    """
    lever = LEVER[name]
    if lever.unit_cost == 0:
        return 1.0
    return (lever.cost_low if end == "low" else lever.cost_high) / lever.unit_cost


def level_refused(name: str, level: float) -> str | None:
    """Why ``level`` cannot be the level of lever ``name``, or ``None`` when it can: it must be
    a finite number from 0 to the lever's :attr:`Lever.most`, and whole for a count.

    >>> level_refused("buddies", 12.7)
    'buddies = 12.7: a number of volunteer buddies, recruited and coordinated, so a whole number'
    >>> level_refused("buddies", 1e12)
    'buddies = 1e+12: must be from 0 to 10000'
    >>> level_refused("buddies", 12.0) is None and level_refused("presence_hours", 12.5) is None
    True
    """
    lever = LEVER[name]
    if not math.isfinite(level):
        return f"{name} = {level:g}: must be a finite number"
    if not 0.0 <= level <= lever.most:
        return f"{name} = {level:g}: must be from 0 to {lever.most:g}"
    if lever.whole and float(level) != int(level):
        return f"{name} = {level:g}: a number of {lever.unit}, so a whole number"
    return None


def family_of_change(name: str, level: float, before: float) -> str:
    """The family a change of a lever's level belongs to. Contracting less on production
    is the shift seed 000 asks for, from programmatic steering to dynamic steering, so it
    counts as dynamics; every other change belongs to its lever's family.

    >>> family_of_change("production_contracts", 0.3, 0.8), family_of_change("buddies", 10, 0)
    ('dynamics', 'dynamics')
    """
    if name == "production_contracts" and level < before:
        return "dynamics"
    return LEVER[name].family
