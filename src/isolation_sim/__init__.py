"""isolation_sim: an agent-based model of social marginalisation in Dutch neighbourhoods.

>>> from isolation_sim import IsolationModel
>>> model = IsolationModel("scenarios/baseline.toml", residents=300, burn_in_weeks=2)
>>> model.run(weeks=2)
>>> len(model.timeseries())
3
"""

from .model import IsolationModel
from .scenario import Scenario, ScenarioError, load_scenario

__version__ = "0.1.0"
__all__ = ["IsolationModel", "Scenario", "ScenarioError", "load_scenario", "__version__"]
