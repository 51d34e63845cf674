"""The municipality's steering levers, one row each: the family it belongs to (stability
or dynamics, the brief's reading of seed 000; see ``docs/ODD.md``), what one unit of its
level is, whether the level is a count (whole numbers only), what a unit costs a year, and
how far the workshop app's slider goes. Every other module reads the levers from here.

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
    unit: str           # what one unit of the level is
    whole: bool         # a count: the level is a whole number
    unit_cost: float    # euro per unit a year (production_contracts: a way of contracting, no money)
    slider_max: float   # the app's slider runs from 0 to this
    step: float = 1.0   # and moves by this
    share: bool = False  # a share of the offer, the same at any size (other levels are counts: sizes.py)


TABLE = (
    Lever("permanent_funding", "stability", "project-funded venues funded for good", True, 30_000.0, 10),
    Lever("presence_hours", "stability", "hours of professional presence every week", False, 3_100.0, 100),
    Lever("lower_distance", "stability", "venues with transport or outreach", True, 5_000.0, 40),
    Lever("lower_cost", "stability", "venues free for residents on a low income", True, 4_000.0, 40),
    Lever("lower_discipline", "stability", "venues with walk-in instead of fixed commitments", True, 3_000.0, 40),
    Lever("lower_social", "stability", "venues with a host at the door", True, 6_000.0, 40),
    Lever("production_contracts", "stability", "share of the offer contracted on production (0 to 1)", False,
          0.0, 1, 0.1, share=True),
    Lever("diversity", "dynamics", "extra venues of a kind the offer lacks", True, 15_000.0, 15),
    Lever("small_groups", "dynamics", "small groups with a leader (trekker) and coaching", True, 4_000.0, 40),
    Lever("buddies", "dynamics", "volunteer buddies, recruited and coordinated", True, 2_000.0, 100),
    Lever("links", "dynamics", "links between venues kept by light coordination", True, 1_000.0, 150),
    Lever("initiative_support", "dynamics", "resident initiatives supported", True, 3_000.0, 50),
    Lever("community_managers", "dynamics", "trained resident community managers (transit card)", True,
          1_200.0, 120),
)
LEVER = {lever.name: lever for lever in TABLE}
LEVERS = tuple(LEVER)
STABILITY_LEVERS = tuple(lv.name for lv in TABLE if lv.family == "stability")
DYNAMICS_LEVERS = tuple(lv.name for lv in TABLE if lv.family == "dynamics")


def default_unit_costs() -> dict[str, float]:
    """Euro per unit of each lever a year."""
    return {lv.name: lv.unit_cost for lv in TABLE}


def not_whole(name: str, level: float) -> str | None:
    """Why ``level`` cannot be the level of lever ``name``, or ``None`` when it can.

    >>> not_whole("buddies", 12.7)
    'buddies = 12.7: a number of volunteer buddies, recruited and coordinated, so a whole number'
    >>> not_whole("buddies", 12.0) is None and not_whole("presence_hours", 12.5) is None
    True
    """
    if not math.isfinite(level):
        return f"{name} = {level:g}: must be a finite number"
    if LEVER[name].whole and float(level) != int(level):
        return f"{name} = {level:g}: a number of {LEVER[name].unit}, so a whole number"
    return None
