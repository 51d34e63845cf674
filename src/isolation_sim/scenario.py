"""Scenarios: what one is (``schema``), how files are read (``scenario_files``), how a bad
value is said (``explain``, ``errors``) and how a scenario is changed (``changes``). This
module gathers what the rest of the package and its users import.

>>> from isolation_sim.scenario import load_scenario
>>> s = load_scenario("scenarios/baseline.toml", overrides={"residents": 500})
>>> s.population.residents
500

Every problem with the input becomes a :class:`ScenarioError` whose message names the
file, the key path, the value and what is allowed. The command line prints it and exits
with status 2.
"""

from __future__ import annotations

from .changes import UNSET, resolve, setting
from .errors import ScenarioError
from .explain import setting_type
from .levers import DYNAMICS_LEVERS, LEVERS, STABILITY_LEVERS
from .memory import check_memory
from .scenario_files import extends_chain, load_scenario, where_set
from .schema import ACTIVITY_TYPES, BUDDY_KINDS, GROUPS, THRESHOLD_KINDS, VENUE_KINDS, Scenario

__all__ = [
    "ACTIVITY_TYPES", "BUDDY_KINDS", "DYNAMICS_LEVERS", "GROUPS", "LEVERS", "STABILITY_LEVERS", "THRESHOLD_KINDS",
    "UNSET", "VENUE_KINDS", "Scenario", "ScenarioError", "check_memory", "extends_chain", "load_scenario",
    "resolve", "setting", "setting_type", "where_set",
]
