"""Mesa agents as views on the model's arrays.

Residents, venues and buddies are real Mesa agents (registered in ``model.agents`` and
reachable as ``model.agents_by_type[Resident]``), but they hold only their index: every
attribute reads the arrays the weekly processes change, so an agent never goes stale
and the weekly step needs no loop over agents.

>>> from isolation_sim import IsolationModel
>>> model = IsolationModel("scenarios/baseline.toml", residents=300, burn_in_weeks=0)
>>> resident = model.residents[0]
>>> resident.isolation_type in ("none", "individual", "collective", "double")
True
"""

from __future__ import annotations

import mesa
import numpy as np

from .buddies import PROFESSIONAL
from .layers import LAYERS
from .population import ISOLATION_TYPES, NEVER, ROLES
from .scenario import ACTIVITY_TYPES, BUDDY_KINDS, GROUPS, THRESHOLD_KINDS, VENUE_KINDS


class View(mesa.Agent):
    """An agent whose state lives in the model's arrays. It has no ``step`` of its own:
    the weekly processes act on all agents at once, so ``model.agents.shuffle_do("step")``
    says so instead of silently doing nothing."""

    def step(self) -> None:
        raise NotImplementedError(
            f"a {type(self).__name__} has no step of its own: the weekly processes move every agent at "
            "once, in arrays; step the model instead (model.step(), one week)")


class Resident(View):
    """The resident of a home in the neighbourhood; state in ``model.people``. When a
    household moves out, newcomers take over its homes and so its agents (moving.py):
    ``arrived`` says since when this resident lives here."""

    def __init__(self, model, index: int) -> None:
        super().__init__(model)
        self.index = index

    @property
    def _p(self):
        return self.model.people

    @property
    def home(self) -> tuple[float, float]:
        return float(self._p.x[self.index]), float(self._p.y[self.index])

    @property
    def neighbourhood(self) -> int:
        return int(self._p.hood[self.index])

    @property
    def arrived(self) -> int | None:
        """The week this resident moved in; None for a resident there from the start."""
        week = int(self._p.arrived[self.index])
        return None if week == NEVER else week

    @property
    def group(self) -> str:
        return GROUPS[self._p.group[self.index]]

    @property
    def sensitivity(self) -> dict[str, float]:
        return dict(zip(THRESHOLD_KINDS, self._p.sensitivity[self.index].tolist()))

    @property
    def preferences(self) -> dict[str, float]:
        return dict(zip(ACTIVITY_TYPES, self._p.preference[self.index].tolist()))

    @property
    def self_reliance(self) -> float:
        return float(self._p.self_reliance[self.index])

    @property
    def isolation_type(self) -> str:
        return ISOLATION_TYPES[self._p.isolation[self.index]]

    @property
    def loneliness(self) -> float:
        return float(self._p.loneliness[self.index])

    @property
    def quality_of_life(self) -> float:
        return float(self._p.quality_of_life[self.index])

    @property
    def participation(self) -> float:
        return float(self._p.participation[self.index])

    @property
    def role(self) -> str:
        return ROLES[self._p.role[self.index]]

    @property
    def venue(self) -> "Venue | None":
        v = int(self._p.attending[self.index])
        return self.model.venue_agents[v] if v >= 0 else None

    @property
    def buddy(self) -> "Buddy | None":
        b = int(self._p.buddy[self.index])
        return self.model.buddy_agents[b] if b >= 0 else None

    @property
    def ties(self) -> list[tuple[int, str, float]]:
        """(other resident, layer, strength) of each of this resident's ties."""
        net = self.model.net
        others, rows = net.ties_of(self.index)
        return [(int(o), LAYERS[net.layer[r]], float(net.strength[r])) for o, r in zip(others, rows)]

    def ego_network(self, radius: int = 1):
        """This resident's ego network as a :class:`networkx.Graph`."""
        return self.model.net.ego_graph(self.index, radius)


class Venue(View):
    """An activity venue; state in ``model.venues``."""

    def __init__(self, model, index: int) -> None:
        super().__init__(model)
        self.index = index

    @property
    def _v(self):
        return self.model.venues

    @property
    def activity(self) -> str:
        return ACTIVITY_TYPES[self._v.activity[self.index]]

    @property
    def kind(self) -> str:
        return VENUE_KINDS[self._v.kind[self.index]]

    @property
    def location(self) -> tuple[float, float]:
        return float(self._v.x[self.index]), float(self._v.y[self.index])

    @property
    def thresholds(self) -> list[str]:
        t = self._v.effective_thresholds()[self.index] > 0.5
        return [k for k, on in zip(THRESHOLD_KINDS, t) if on]

    @property
    def is_open(self) -> bool:
        return bool(self._v.open[self.index])

    @property
    def attendance(self) -> int:
        return int(self._v.attendance[self.index])

    @property
    def capacity(self) -> int:
        return int(self._v.capacity[self.index])

    @property
    def small_group(self) -> bool:
        return bool(self._v.small_group[self.index])

    @property
    def run_by(self) -> str:
        return "residents" if self._v.resident_run[self.index] else "professionals"

    @property
    def funding(self) -> str:
        v = self._v
        if v.project[self.index] and not v.permanent[self.index]:
            return f"project until week {int(v.end_week[self.index])}"
        return "permanent"

    @property
    def links(self) -> list[int]:
        start, linked = self._v.linked()
        return linked[start[self.index]: start[self.index + 1]].tolist()


class Buddy(View):
    """A support buddy; state in ``model.buddies``."""

    def __init__(self, model, index: int) -> None:
        super().__init__(model)
        self.index = index

    @property
    def kind(self) -> str:
        return BUDDY_KINDS[self.model.buddies.kind[self.index]]

    @property
    def caseload(self) -> int:
        return int(self.model.buddies.caseload[self.index])

    @property
    def matches(self) -> list[int]:
        """Residents this buddy is matched with now."""
        return np.flatnonzero(self.model.people.buddy == self.index).tolist()

    @property
    def resident(self) -> int | None:
        """The resident who is this buddy (volunteers, peer experts), None for professionals."""
        r = int(self.model.buddies.resident[self.index])
        return None if self.model.buddies.kind[self.index] == PROFESSIONAL or r < 0 else r

    @property
    def active(self) -> bool:
        return bool(self.model.buddies.active[self.index])
