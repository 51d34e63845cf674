"""A resident's ego network, drawn the same way in every strategy and every week.

The layout follows the layers of society's carrying capacity (Stam, seed 004; docs/domain.md): the
resident in the middle, the household on the first ring, family and friends on the second,
neighbours and acquaintances on the third, buddies (volunteers) on the fourth. Each person
gets a place on their ring once, when first drawn, and keeps it: the room sees ties appear
and fade rather than the picture jumping about, and both strategies share one layout.

>>> from isolation_sim.app.live import Live
>>> live = Live.start("scenarios/baseline.toml", residents=300, burn_in_weeks=0, seed=1)
>>> view = EgoView(0)
>>> chart = view.chart(live.model, "A", "en")
>>> chart["series"][-1]["type"], chart["series"][-1]["nodes"][0]["name"]
('graph', 'resident 0: not isolated')
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from ..layers import LAYERS
from ..population import ISOLATION_TYPES
from .i18n import say
from .map import TYPE_HEX

LAYER_COLOURS = dict(zip(LAYERS, ("#6a3d9a", "#1f78b4", "#33a02c", "#e08214", "#8c8c8c", "#111111")))
# The ring of each layer, from the resident outwards; people known only through others go outside.
RING = {"household": 1, "family": 2, "friend": 2, "neighbour": 3, "acquaintance": 3, "buddy": 4}
RINGS = 5
GOLDEN_ANGLE = np.pi * (3 - np.sqrt(5))


class EgoView:
    """The ego network of ``resident`` (ties within one step, and the ties among them)."""

    def __init__(self, resident: int) -> None:
        self.resident = int(resident)
        self.positions: dict[int, np.ndarray] = {}

    def graph(self, model) -> nx.Graph:
        return model.net.ego_graph(self.resident)

    def place(self, graph: nx.Graph) -> None:
        """Give a place to everyone not yet drawn, on the ring of their closest tie to the
        resident; those already drawn stay where they are."""
        ego = self.resident
        self.positions.setdefault(ego, np.zeros(2))
        new = [node for node in graph if node not in self.positions]
        rings = {node: RING[graph.edges[ego, node]["layer"]] if graph.has_edge(ego, node) else RINGS
                 for node in new}
        for node in sorted(new, key=lambda node: (rings[node], node)):
            angle = GOLDEN_ANGLE * len(self.positions)  # spread evenly, whoever comes later
            self.positions[node] = rings[node] * np.array([np.cos(angle), np.sin(angle)])

    def chart(self, model, title: str, language: str) -> dict:
        """An echarts option: residents coloured by isolation type, ties coloured by layer."""
        graph = self.graph(model)
        self.place(graph)
        isolation = model.people.isolation
        order = list(graph)
        index = {node: i for i, node in enumerate(order)}
        nodes = [{"id": str(node),
                  "name": f"{say('resident', language)} {node}: {say(ISOLATION_TYPES[isolation[node]], language)}",
                  "value": [round(float(x), 4) for x in self.positions[node]],
                  "symbolSize": 34 if node == self.resident else 18,
                  "itemStyle": {"color": TYPE_HEX[isolation[node]], "borderColor": "#000",
                                "borderWidth": 4 if node == self.resident else 1.5}}
                 for node in order]
        links = [{"source": index[a], "target": index[b],
                  "lineStyle": {"color": LAYER_COLOURS[data["layer"]], "width": round(1 + 5 * data["strength"], 1),
                                "type": "dashed" if data["layer"] == "acquaintance" else "solid", "opacity": 0.9}}
                 for a, b, data in graph.edges(data=True)]
        turn = np.linspace(0, 2 * np.pi, 73)
        rings = [{"type": "line", "silent": True, "showSymbol": False, "z": 0, "data": [
                     [round(r * np.cos(t), 3), round(r * np.sin(t), 3)] for t in turn],
                  "lineStyle": {"color": "#d9d9d9", "width": 1}} for r in range(1, RINGS)]
        axis = {"type": "value", "min": -RINGS - 0.2, "max": RINGS + 0.2, "show": False}
        # A square plot with fixed axes: rings stay round, and both strategies line up.
        return {"title": {"text": title, "textStyle": {"fontSize": 22}}, "animation": False, "tooltip": {},
                "grid": {"top": 50, "width": 400, "height": 400, "left": "center"}, "xAxis": axis, "yAxis": axis,
                "series": [*rings, {"type": "graph", "coordinateSystem": "cartesian2d", "nodes": nodes,
                                    "links": links, "label": {"show": False}, "emphasis": {"disabled": True}}]}


def someone(model, isolation: str | None, rng: np.random.Generator) -> int:
    """A resident drawn at random, among those in ``isolation`` now when given (any when none is)."""
    people = np.arange(model.people.n)
    if isolation is not None:
        inside = people[model.people.isolation == ISOLATION_TYPES.index(isolation)]
        people = inside if inside.size else people
    return int(rng.choice(people))


def legend(language: str) -> str:
    """The layers' colours, as a line of HTML for the page."""
    return " ".join(f'<span style="color:{LAYER_COLOURS[layer]}; font-weight:bold">━ {say(layer, language)}</span>'
                    for layer in LAYERS)
