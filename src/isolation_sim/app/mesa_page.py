"""The model in Mesa's own page, ``SolaraViz``: for Mesa users who want Mesa's controls
(play, step, reset, model parameters) and its plots rather than the workshop page.

Serve it with ``isolation-sim app SCENARIO --mesa`` (the workshop page's server: only what
it ships, this machine's pages only), which sets ``ISOLATION_SIM_SCENARIO`` to the scenario
file (default ``scenarios/baseline.toml``).
The sliders set the residents and two levers by their names; reset builds the model
again with them (a value the sliders do not offer is refused, see ``PageModel``).
"""

from __future__ import annotations

import logging
import os

from mesa.visualization import Slider, SolaraViz, make_plot_component

from isolation_sim.app.values import on_grid  # absolute: Solara runs this file as a script
from isolation_sim.model import IsolationModel

SCENARIO = os.environ.get("ISOLATION_SIM_SCENARIO", "scenarios/baseline.toml")
log = logging.getLogger(__name__)
TYPES = ["share_none", "share_individual", "share_collective", "share_double"]

model_params = {
    "params": SCENARIO,
    "rng": 1,
    "burn_in_weeks": 8,
    "ignore_budget": True,  # the sliders may cost more than the scenario's budget, as in the workshop app
    "residents": Slider("residents", 1500, 500, 5000, 500),
    "buddies": Slider("buddies (lever)", 0, 0, 100, 5),
    "small_groups": Slider("small groups (lever)", 0, 0, 40, 2),
}


class PageModel(IsolationModel):
    """The model as the page builds it (again on Reset): only from values its sliders offer.
    A browser can send any value for a slider; one beyond it, or of another kind, is refused
    (logged on the server) and the slider's first value used instead, before a resident is
    made."""

    def __init__(self, **values):
        for key, control in model_params.items():
            if key in values and not offered(control, values[key]):  # Mesa passes what it has (not rng)
                log.warning("refused %s = %r: not a value the page offers", key, values[key])
                values[key] = control.value if isinstance(control, Slider) else control
        super().__init__(**values)


def offered(control, value) -> bool:
    """Whether the page offers ``value`` for a parameter set by ``control`` (a slider, or fixed)."""
    if isinstance(control, Slider):
        return on_grid(value, control.min, control.max, control.step) is not None
    return type(value) is type(control) and value == control


def start() -> IsolationModel:
    """The model the page opens with: the sliders' first values."""
    values = {k: (v.value if isinstance(v, Slider) else v) for k, v in model_params.items()}
    return PageModel(**values)


page = SolaraViz(start(), components=[make_plot_component(TYPES), make_plot_component("participation_rate")],
                 model_params=model_params, name="isolation_sim in Mesa's SolaraViz")
