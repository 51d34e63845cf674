"""The workshop page: two strategies side by side, run week by week with the same seed.

Started by ``isolation-sim app [SCENARIO]`` (``server.py``); every browser session gets its
own two models. The scenarios offered are the files in the package's ``scenarios/`` folder,
chosen by name: nothing a visitor types is read as a path. Every value a browser sends is
checked on the server (``values.py``) before it reaches a model; one it refuses leaves the
model as it was and the page says so in a line, and anything that goes wrong in drawing the
page shows a line and a button to go on, never the server's traceback.
"""

from __future__ import annotations

import html
import os
import threading
import time
from functools import cache, partial
from pathlib import Path

import numpy as np
import solara

from ..levers import DYNAMICS_LEVERS, LEVER, STABILITY_LEVERS
from ..population import ISOLATION_TYPES
from ..scenario import ScenarioError, load_scenario
from .ego import EgoView, someone
from .ego import legend as layer_legend
from .guard import Guard
from .i18n import money, number, percent, say
from .inputs import Choice, Slider, WholeNumber
from .live import Live
from .map import TYPE_HEX, NeighbourhoodMap
from .offer import offered
from .turns import Turns
from .values import choice, level, on_grid, whole

SCENARIOS = Path(os.environ.get("ISOLATION_SIM_SCENARIOS", Path(__file__).resolve().parents[3] / "scenarios"))
FIRST = os.environ.get("ISOLATION_SIM_APP_SCENARIO", "baseline")
SECOND = os.environ.get("ISOLATION_SIM_APP_SECOND", "dynamics")
LANGUAGE = os.environ.get("ISOLATION_SIM_APP_LANGUAGE", "nl")
RESIDENTS = int(os.environ["ISOLATION_SIM_APP_RESIDENTS"]) if os.environ.get("ISOLATION_SIM_APP_RESIDENTS") else None
TURNS = Turns()  # shared by every session of this server
CHART_POINTS = 250  # the most weeks a chart draws (see thin)
SPEEDS = (1, 20, 1)  # weeks a second: the slowest, the fastest, the step
TYPE_COLUMNS = tuple(f"share_{kind}" for kind in ISOLATION_TYPES)
COLOURS = ("#1f4e9c", "#c2410c")  # strategy A, strategy B: dark blue and dark orange, high contrast
STYLE = """
.v-application { font-size: 20px; }
.v-btn { font-size: 18px !important; }
h1 { font-size: 34px; margin: 4px 0; } h2 { font-size: 26px; margin: 8px 0; } h3 { font-size: 22px; margin: 6px 0; }
p { margin: 6px 0; }
"""


def text(tag: str, words: str, style: str = "", markup: str = "") -> None:
    """A line of text as a plain HTML element (no markdown, no maths: cheap to redraw every week);
    ``markup`` is appended as it is."""
    solara.HTML(tag=tag, unsafe_innerHTML=html.escape(words) + markup, style=style)


@cache
def scenario_names() -> list[str]:
    """The scenario files on offer, by name (see :func:`offer.offered`)."""
    return offered(SCENARIOS, FIRST, SECOND, RESIDENTS)


def start(name: str) -> Live:
    if name not in scenario_names():
        raise ScenarioError(f"no scenario '{name}' on offer")
    return Live.start(load_scenario(SCENARIOS / f"{name}.toml"), residents=RESIDENTS)


def now(live: Live, language: str) -> str:
    """This week's numbers of one strategy, in words."""
    row = live.model.latest
    return say("now", language, double=percent(row["share_double"], language),
               taking=percent(row["participation_rate"], language), buddies=int(row["buddy_matches"]),
               venues=int(row["venues_open"]), free=int(row["venues_threshold_free"]))


def thin(values: list) -> list:
    """A growing series cut to at most about ``CHART_POINTS``: every k-th week, and the latest.
    Long sessions keep drawing as fast as short ones, and a chart is no wider than that anyway.

    >>> thin(list(range(1000)))[-3:], len(thin(list(range(1000))))
    ([992, 996, 999], 251)
    """
    step = -(-len(values) // CHART_POINTS)
    return values[::step] if (len(values) - 1) % step == 0 else values[::step] + values[-1:]


def _week_axis(live: Live) -> dict:
    return {"type": "category", "name": "week", "nameLocation": "middle", "nameGap": 30,
            "nameTextStyle": {"fontSize": 16}, "data": thin(live.history["week"]), "boundaryGap": False,
            "axisLabel": {"fontSize": 16}}


def _line_chart(title: str, lives: list[Live], names: list[str], series: list[tuple[str, str]],
                percent: bool) -> dict:
    """An echarts option: each strategy's lines in its own colour, on shared axes."""
    lines = []
    for i, (live, name) in enumerate(zip(lives, names)):
        for j, (column, label) in enumerate(series):
            values = [round(100 * v, 2) if percent else round(v / 1000, 1) for v in thin(live.history[column])]
            lines.append({"name": f"{name}: {label}" if label else name, "type": "line", "showSymbol": False,
                          "data": values, "lineStyle": {"width": 4, "type": ("solid", "dashed")[j]},
                          "color": COLOURS[i]})
    return {"title": {"text": title, "textStyle": {"fontSize": 22}},
            "animation": False,
            "legend": {"top": 34, "textStyle": {"fontSize": 16}},
            "grid": {"top": 90, "left": 20, "right": 20, "bottom": 45, "containLabel": True},
            "xAxis": _week_axis(lives[0]),
            "yAxis": {"type": "value", "name": "%" if percent else "k€", "axisLabel": {"fontSize": 16}},
            "series": lines}


def _types_chart(live: Live, name: str, language: str) -> dict:
    series = [{"name": say(column.removeprefix("share_"), language), "type": "line", "stack": "all",
               "areaStyle": {}, "showSymbol": False, "color": colour, "lineStyle": {"width": 0},
               "data": [round(100 * v, 2) for v in thin(live.history[column])]}
              for column, colour in zip(TYPE_COLUMNS, TYPE_HEX)]
    return {"title": {"text": f"{say('isolation_types', language)}: {name}", "textStyle": {"fontSize": 22}},
            "animation": False, "legend": {"top": 34, "textStyle": {"fontSize": 15}},
            "grid": {"top": 100, "left": 20, "right": 20, "bottom": 45, "containLabel": True},
            "xAxis": _week_axis(live),
            "yAxis": {"type": "value", "max": 100, "name": "%", "axisLabel": {"fontSize": 16}},
            "series": series}


def this_session():
    """The server's record of this browser session (None outside a server)."""
    from solara.server import kernel_context

    return kernel_context.get_current_context() if kernel_context.has_current_context() else None


def watched(session) -> bool:
    """Whether a browser page still shows this session."""
    from solara.server.kernel_context import PageStatus

    return session is None or PageStatus.CONNECTED in session.page_status.values()


@solara.component
def Levers(levels: dict[str, float], costs: dict[str, float], language: str, on_change):
    """The levers of one strategy, grouped as stability and dynamics, each with its cost."""
    for group, names in (("stability", STABILITY_LEVERS), ("dynamics", DYNAMICS_LEVERS)):
        text("h3", say(group, language))
        for name in names:
            cost = say("per_year", language, euro=money(levels[name] * costs[name], language))
            Slider(f"{say(name, language)}: {cost}", levels[name], 0, LEVER[name].slider_max, LEVER[name].step,
                   take=lambda v, n=name: on_change(n, v))


@solara.component
def Network(lives: list[Live], names: list[str], language: str, week: int, lock, refuse):
    """The ego network of a resident the room picks, in each strategy, on one layout
    (drawn again when ``week`` moves on); ``refuse`` says why a number typed was not taken."""
    rng = solara.use_memo(lambda: np.random.default_rng(0), dependencies=[])
    first = solara.use_memo(lambda: someone(lives[0].model, "double", np.random.default_rng(0)), dependencies=[])
    resident, set_resident = solara.use_state(first)
    size = min(live.model.people.n for live in lives)
    resident = min(resident, size - 1)  # strategies of another size may have been picked
    view = solara.use_memo(lambda: EgoView(resident), dependencies=[resident, lives])

    def pick(isolation: str | None):
        with lock:
            picked = someone(lives[0].model, isolation, rng)
        set_resident(picked)

    def take(typed) -> bool:
        number = whole(typed, 0, size - 1)
        if number is None:
            refuse(("refused_range", "resident", 0, size - 1, 1))
            return False
        set_resident(number)
        refuse(None)
        return True

    text("h2", say("network", language))
    with solara.Row(style={"align-items": "center", "gap": "16px"}):
        WholeNumber(say("resident", language), resident, take, style="max-width: 200px")
        solara.Button(say("pick_double", language), on_click=lambda: pick("double"), outlined=True)
        solara.Button(say("pick_any", language), on_click=lambda: pick(None), outlined=True)
    with lock:
        charts = [view.chart(live.model, f"{say('strategy', language)} {'AB'[i]}: {names[i]}", language)
                  for i, live in enumerate(lives)]
    with solara.Columns([1] * len(lives)):
        for chart in charts:
            solara.FigureEcharts(chart, attributes={"style": "height: 460px"})
    text("p", say("network_about", language) + " ", markup=layer_legend(language))


@solara.component
def Controls(language, set_language, week, playing, set_playing, advance, reset, speed, take_speed):
    """The title and the week; play or pause, a step, reset, the speed and the language."""
    with solara.Row(style={"align-items": "center", "gap": "16px"}):
        text("h1", say("title", language))
        text("h2", say("week_n", language, n=week), style="min-width: 160px")
        if playing:
            solara.Button(say("pause", language), on_click=lambda: set_playing(False), color="primary")
        else:
            solara.Button(say("play", language), on_click=lambda: set_playing(True), color="primary")
        solara.Button(say("step", language), on_click=advance, disabled=playing)
        solara.Button(say("reset", language), on_click=reset)
        with solara.Column(style={"min-width": "260px"}):
            Slider(say("speed", language), speed, *SPEEDS, take=take_speed, thumb_label=True)
        solara.Button(say("language", language), on_click=lambda: set_language("en" if language == "nl" else "nl"),
                      outlined=True)


def _choose(names: list[str], set_names, refuse, index: int, name) -> bool:
    """Strategy ``index`` runs scenario ``name``, when it is one on offer."""
    if choice(name, scenario_names()) is None:
        refuse(("refused_scenario",))
        return False
    set_names([name if j == index else n for j, n in enumerate(names)])
    refuse(None)
    return True


def refusal(said: tuple | None, language: str) -> str:
    """The line the page shows for the value it last refused (see ``refuse`` in Workshop)."""
    if said is None:
        return ""
    if said[0] == "refused_range":
        _, what, low, high, step = said
        return say("refused_range", language, what=say(what, language), low=number(low, language),
                   high=number(high, language), step=number(step, language))
    return say(said[0], language)


@solara.component
def Strategy(index: int, live: Live, name: str, picture: NeighbourhoodMap, language: str, choose, lock, tick: int):
    """One strategy: which scenario, its cost, this week in words, its map and its isolation types
    (drawn again when ``tick`` moves on: a week, a moved lever, a reset)."""
    with solara.Column():
        Choice(f"{say('strategy', language)} {'AB'[index]}", scenario_names(), name, take=choose)
        text("p", say("cost_per_year", language, euro=money(live.cost_per_year(), language)), style="font-weight: bold")
        text("p", now(live, language))
        with lock:
            image = picture.picture(live.model)
        solara.Image(image, width="560px")
        solara.FigureEcharts(_types_chart(live, name, language), attributes={"style": "height: 340px"})


@solara.component
def Charts(lives: list[Live], names: list[str], language: str, tick: int):
    """Participation, loneliness and cost of both strategies over the weeks (drawn again when
    ``tick`` moves on)."""
    charts = [("participation", [("participation_rate", say("participation_all", language)),
                                 ("participation_rate_double", say("participation_double", language))], True),
              ("loneliness", [("lonely_share", "")], True),
              ("cost", [("cost_cumulative", "")], False)]
    with solara.Columns([1, 1, 1]):
        for key, series, pct in charts:
            solara.FigureEcharts(_line_chart(say(key, language), lives, names, series, pct),
                                 attributes={"style": "height: 380px"})


@solara.component
def Page():
    """The workshop page, guarded (see ``guard.py``)."""
    language, set_language = solara.use_state(LANGUAGE)
    Guard(lambda: Workshop(language, set_language), say("went_wrong", language), say("go_on", language))


@solara.component
def Workshop(language: str, set_language):
    """Two strategies side by side: controls, maps, charts, a resident's network, levers."""
    names, set_names = solara.use_state([FIRST, SECOND])
    lives = solara.use_memo(lambda: [start(n) for n in names], dependencies=[tuple(names)])
    maps = solara.use_memo(lambda: [NeighbourhoodMap(live.model) for live in lives], dependencies=[lives])
    playing, set_playing = solara.use_state(False)
    speed, set_speed = solara.use_state(5.0)
    tick, set_tick = solara.use_state(0)
    refused, refuse = solara.use_state(None)  # what the page last did not take (see refusal)
    lock = solara.use_memo(threading.Lock, dependencies=[])

    def advance():
        with lock:
            for live in lives:
                live.step()
        set_tick(lambda t: t + 1)

    rendered = solara.use_memo(threading.Event, dependencies=[])
    session = solara.use_memo(this_session, dependencies=[])

    def play(cancel: threading.Event):
        """Step at the chosen speed, but never ahead of the page: each week is drawn before
        the next is computed, so the counter and the charts stay in step with the models."""
        while playing and not cancel.is_set():
            if not watched(session):  # the tab was closed or lost: stop, and use no more of the machine
                set_playing(False)
                return
            began = time.perf_counter()
            with TURNS.take():  # sessions playing at once take turns (see turns.py)
                rendered.clear()
                advance()
                rendered.wait(timeout=2.0)
            cancel.wait(max(0.01, 1.0 / speed - (time.perf_counter() - began)))

    solara.use_thread(play, dependencies=[playing, speed, lives], intrusive_cancel=False)  # play watches cancel

    def reset():
        set_playing(False)
        with lock:
            for live in lives:
                live.reset()
        set_tick(lambda t: t + 1)

    def move(index: int, lever: str, sent) -> bool:
        taken = level(lever, sent)
        if taken is None:
            refuse(("refused_range", lever, 0, LEVER[lever].slider_max, LEVER[lever].step) if lever in LEVER
                   else ("refused_value",))
            return False
        with lock:
            lives[index].set_lever(lever, taken)
        refuse(None)
        set_tick(lambda t: t + 1)
        return True

    def take_speed(sent) -> bool:
        taken = on_grid(sent, *SPEEDS)
        if taken is None:
            refuse(("refused_range", "speed", *SPEEDS))
            return False
        set_speed(taken)
        refuse(None)
        return True

    # The same callbacks every week, so the levers are drawn again only when they move.
    movers = solara.use_memo(lambda: [partial(move, i) for i in range(len(lives))], dependencies=[lives])

    solara.Style(STYLE)
    week = lives[0].week
    solara.use_effect(rendered.set, dependencies=None)  # after every render: this week is drawn (see play)
    with solara.Column(style={"padding": "16px"}):
        Controls(language, set_language, week, playing, set_playing, advance, reset, speed, take_speed)
        # always there, hidden when empty: a line that came and went would move every part below
        # it to another place in the page's tree, and Solara would build them all again
        text("p", refusal(refused, language), style="color: #b91c1c; font-weight: bold"
             + ("" if refused else "; display: none"))
        with solara.Columns([1, 1]):
            for i, live in enumerate(lives):
                choose = partial(_choose, names, set_names, refuse, i)
                Strategy(i, live, names[i], maps[i], language, choose, lock, tick)
        text("p", f"{say('map_residents', language)} {say('map_venues', language)}")
        Charts(lives, names, language, tick)
        Network(lives, names, language, week, lock, refuse)
        with solara.Columns([1, 1]):
            for i, live in enumerate(lives):
                with solara.Column():
                    text("h2", f"{say('strategy', language)} {'AB'[i]}: {names[i]}")
                    Levers(live.levers, dict(live.model.steering.unit_costs), language, movers[i])
