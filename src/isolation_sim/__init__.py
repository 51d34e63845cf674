"""isolation_sim: an agent-based model of social marginalisation in Dutch neighbourhoods.

>>> from isolation_sim import IsolationModel
>>> model = IsolationModel("scenarios/baseline.toml", residents=300, burn_in_weeks=2)
>>> model.run(weeks=2)
>>> len(model.timeseries())
3
"""

__version__ = "0.2.0"

from .model import IsolationModel  # noqa: E402 - the version first: the modules below read it
from .run import Run, run_model, simulate, simulate_many  # noqa: E402
from .scenario import Scenario, ScenarioError, load_scenario  # noqa: E402

__all__ = ["IsolationModel", "Run", "Scenario", "ScenarioError", "load_scenario", "run_model", "simulate",
           "simulate_many", "__version__"]
