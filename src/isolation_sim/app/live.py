"""A strategy running live: one model, stepped week by week, whose levers can be moved while
it runs. The app holds one or two of these for each browser session.

>>> from isolation_sim.app.live import Live
>>> live = Live.start("scenarios/baseline.toml", residents=300, burn_in_weeks=2, seed=5)
>>> live.step(3)
>>> live.week, len(live.history["share_double"])
(3, 4)
>>> live.set_lever("buddies", 20)
>>> live.levers["buddies"], live.cost_per_year()
(20.0, 40000.0)
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from ..model import IsolationModel
from ..run import Run
from ..scenario import LEVERS, Scenario

# The columns the live charts show, from week 0.
CHART_COLUMNS = ("week", "share_none", "share_individual", "share_collective", "share_double",
                 "participation_rate", "participation_rate_double", "lonely_share", "cost_cumulative")


@dataclass
class Live:
    """A model of ``scenario`` and the chart columns of every week it has run."""

    scenario: Scenario
    model: IsolationModel
    history: dict[str, list[float]] = field(default_factory=dict)

    @classmethod
    def start(cls, scenario: Scenario | str | os.PathLike, *, seed: int | None = None,
              residents: int | None = None, burn_in_weeks: int | None = None) -> "Live":
        """Build the world of ``scenario`` (its budget dropped: in a workshop the room moves
        the levers freely and sees the cost) and take it to week 0."""
        run = Run.of(scenario, seed=seed, residents=residents, burn_in_weeks=burn_in_weeks, ignore_budget=True)
        live = cls(run.resolved(), run.model())
        live._record()
        return live

    @property
    def week(self) -> int:
        return self.model.week

    @property
    def levers(self) -> dict[str, float]:
        """The level of every lever now (0 where the scenario does not set it)."""
        return {name: float(self.model.steering.level(name, max(self.week, 1))) for name in LEVERS}

    def cost_per_year(self) -> float:
        """What the levers cost a year at their current levels."""
        return float(self.model.steering.cost_per_year(max(self.week, 1)))

    def step(self, weeks: int = 1) -> None:
        for _ in range(weeks):
            self.model.step()
            self._record()

    def set_lever(self, name: str, level: float) -> None:
        """Move a lever; it acts from the next week on, until the scenario says it ends."""
        if name not in LEVERS:
            raise KeyError(f"unknown lever '{name}'")
        params = self.model.params.with_overrides(**{f"steering.levers.{name}.level": float(level)})
        self.model.params, self.model.steering = params, params.steering
        self.scenario = self.scenario.with_overrides(**{f"steering.levers.{name}.level": float(level)})

    def reset(self) -> None:
        """Back to week 0 with the same seed and the levers as they are now."""
        self.model = Run(self.scenario).model()
        self.history = {}
        self._record()

    def _record(self) -> None:
        row = self.model.latest
        for column in CHART_COLUMNS:
            self.history.setdefault(column, []).append(float(row[column]))
