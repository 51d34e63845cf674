"""The model: builds the world from a scenario and runs the weekly schedule.

>>> from isolation_sim import IsolationModel
>>> model = IsolationModel("scenarios/baseline.toml", residents=400, burn_in_weeks=4)
>>> model.run(weeks=3)
>>> frame = model.timeseries()
>>> frame["week"].tolist()
[0, 1, 2, 3]
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial

import mesa
import networkx as nx
import numpy as np
import pandas as pd

from .agents import Buddy, Resident, Venue
from .outcomes import COLUMNS, measure
from .population import Backgrounds, GroupsAlong, disposition_scale, retired_share, tie_multipliers
from .processes import SCHEDULE
from .processes.life_events import finding_chance, retired_leaving_chance
from .processes.ties import recount
from .scenario import GROUPS, Scenario, ScenarioError, load_scenario
from .sizes import lever_units, scale
from .streams import stream
from .world import build_world


def _latest(column: str, model: "IsolationModel"):
    return model.latest[column]


class IsolationModel(mesa.Model):
    """Social marginalisation in one or more neighbourhoods, one step per week.

    ``params`` is a :class:`~isolation_sim.scenario.Scenario` or the path of a scenario
    file; the checked scenario is ``model.params``. Mesa's own ``scenario`` keyword (an
    experiment's parameters, which Mesa's SolaraViz passes on reset) is accepted and not
    used. ``changes`` change it in the one dialect of
    :func:`isolation_sim.run.resolve`: ``residents=``, ``weeks=``, a lever by its name
    (``buddies=12``), any key path (``burn_in_weeks=0``, ``behaviour__contact_gain=0.2``)
    and ``ignore_budget=True``.

    As in Mesa, ``rng`` (or ``seed``) is the seed of the run, and with neither the model
    draws a fresh one (kept in ``model.params.seed``, so the run can be repeated). The
    model stops ``running`` at the scenario's last week, so ``mesa.batch_run`` and
    Mesa's visualisation stop there too.
    """

    def __init__(self, params: Scenario | str | os.PathLike = "scenarios/baseline.toml", *,
                 rng: int | None = None, seed: int | None = None, scenario=None, **changes) -> None:
        from .run import resolve

        if isinstance(scenario, (Scenario, str, os.PathLike)):  # our scenario, by its old keyword
            params = scenario
        # else: Mesa's experiment ``scenario`` (SolaraViz's reset passes an empty one); the
        # model takes its settings from ``params`` and ``changes``, so there is nothing to read

        if seed is not None and rng is not None and seed != rng:
            raise ScenarioError(f"rng = {rng!r} and seed = {seed!r}: give one of the two")
        chosen = rng if rng is not None else seed
        if chosen is None:
            chosen = fresh_seed()
        elif isinstance(chosen, bool) or not isinstance(chosen, (int, np.integer)):
            raise ScenarioError(f"rng = {chosen!r}: expected a whole number, the seed of the run")
        scenario = params if isinstance(params, Scenario) else load_scenario(params)
        changes = resolve(changes)
        if changes or int(chosen) != scenario.seed:
            scenario = scenario.with_overrides(**changes, seed=int(chosen))
        super().__init__(rng=scenario.seed)
        self.params = scenario
        self.steering = scenario.steering
        self.hoods = scenario.population.neighbourhoods
        self.scale = scale(scenario)  # the scenario's counts at this size (sizes.py)
        self.week = -scenario.burn_in_weeks
        self.costs: dict[str, float] = {}
        # per neighbourhood in week 1 (the continuity process): active residents and initiatives
        self.active_today = self.initiatives_today = np.zeros(self.hoods, np.int64)
        self.type_candidate: np.ndarray | None = None  # the type a resident's situation gives, and
        self.type_streak: np.ndarray | None = None     # for how many weeks in a row (isolation)
        self.neighbour_help = np.zeros(scenario.population.residents, bool)  # this week (reciprocity)

        world = build_world(scenario)
        self.people, self.net, self.venues, self.buddies = world.people, world.net, world.venues, world.buddies
        self.spatial_order, self.spatial_rank = world.spatial_order, world.spatial_rank
        self.hood_first, self.resident_priority = world.hood_first, world.resident_priority
        p = self.people
        self.isolation_at_start = p.isolation.copy()
        recount(self)
        self.finding_chance = finding_chance(scenario)  # per group (life_events)
        self.household_size = np.bincount(p.household)  # per household (moving changes them)
        self.lives_alone = self.household_size[p.household] == 1
        self.retired_share = retired_share(scenario)  # per group (life_events)
        self.retired_leaving = retired_leaving_chance(scenario, p, self.household_size)  # per group (moving)
        self.disposition_scale = disposition_scale(p.trait, scenario.population.ties_follow_disposition)  # (moving)
        self.groups_along = GroupsAlong.of(p, self.spatial_rank, self.hoods)  # friends of one's group (ties)
        self.complex_needs = np.array([scenario.groups[g].complex_needs for g in GROUPS])[p.group]
        self.loneliness_bias = np.array([scenario.groups[g].loneliness_bias for g in GROUPS])[p.group]
        self.tie_multiplier, self.backgrounds = tie_multipliers(scenario, p), Backgrounds.of(p)  # kin renew (ties)

        self.residents = [Resident(self, i) for i in range(p.n)]
        self.venue_agents: list[Venue] = []
        self.buddy_agents: list[Buddy] = []
        self._make_new_agents()

        self.latest: dict[str, float] = {}
        self.datacollector = mesa.DataCollector(
            model_reporters={column: partial(_latest, column) for column in COLUMNS}
        )
        while self.week < 0:
            self._advance()
        self._collect()

    # ------------------------------------------------------------------ schedule
    def rng_for(self, process: str) -> np.random.Generator:
        """The random stream of ``process`` in the current week."""
        return stream(self.params.seed, process, self.week)

    def _advance(self) -> None:
        self.week += 1
        self.isolation_at_start = self.people.isolation.copy()
        self.net.contact[:] = False
        for process in SCHEDULE:
            process.step(self)
        self._make_new_agents()

    def step(self) -> None:
        """One week: every process in schedule order, then the outcomes are measured."""
        self._advance()
        self._collect()
        self.running = self.week < self.params.weeks

    def run(self, weeks: int | None = None, progress: Callable[[int], None] | None = None) -> None:
        """Run ``weeks`` weeks (the scenario's ``weeks`` when not given)."""
        for _ in range(self.params.weeks if weeks is None else weeks):
            self.step()
            if progress is not None:
                progress(self.week)

    def _collect(self) -> None:
        self.latest = measure(self)
        self.datacollector.collect(self)

    def _make_new_agents(self) -> None:
        """Mesa agents for venues and buddies that opened since the last call."""
        self.venue_agents += [Venue(self, i) for i in range(len(self.venue_agents), len(self.venues))]
        self.buddy_agents += [Buddy(self, i) for i in range(len(self.buddy_agents), len(self.buddies))]

    # ------------------------------------------------------------------ helpers for processes
    def lever(self, name: str) -> float:
        """What a steering lever deploys this week: its level, scaled to the residents run
        (:func:`isolation_sim.sizes.lever_units`); levers act from week 1, not in the burn-in."""
        level = self.steering.level(name, self.week) if self.week > 0 else 0.0
        return lever_units(name, level, self.scale)

    def book_cost(self, item: str, euro: float) -> None:
        self.costs[item] = self.costs.get(item, 0.0) + float(euro)

    # ------------------------------------------------------------------ results
    def timeseries(self) -> pd.DataFrame:
        """The weekly outcomes as a DataFrame, one row per week from week 0."""
        frame = self.datacollector.get_model_vars_dataframe().reset_index(drop=True)
        return frame[list(COLUMNS)]

    @property
    def graph(self):
        """The social graph as a :class:`networkx.Graph` (built on demand from the tie arrays)."""
        g = self.net.to_networkx()
        p = self.people
        for attr, values in (("group", p.group), ("isolation", p.isolation), ("neighbourhood", p.hood)):
            nx.set_node_attributes(g, dict(enumerate(values.tolist())), attr)
        return g


def fresh_seed() -> int:
    """A seed from the operating system's entropy, as Mesa draws one when given none."""
    return int(np.random.SeedSequence().generate_state(1, np.uint64)[0] >> np.uint64(1))
