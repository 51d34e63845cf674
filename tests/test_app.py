"""The live app's logic: its texts in two languages, and strategies that run and change live."""

from __future__ import annotations

import os

import numpy as np
import pytest

from isolation_sim.app.i18n import LANGUAGES, TEXT, say
from isolation_sim.app.live import Live
from isolation_sim.population import ISOLATION_TYPES
from isolation_sim.scenario import LEVERS

from .conftest import BASELINE, SCENARIOS

SMALL = {"residents": 600, "burn_in_weeks": 4, "seed": 3}


def test_every_text_is_there_in_english_and_in_dutch():
    assert LANGUAGES == ("en", "nl")
    for key, (english, dutch) in TEXT.items():
        assert english.strip() and dutch.strip(), key
    for key in (*LEVERS, *ISOLATION_TYPES, "stability", "dynamics", "play", "pause", "step", "reset"):
        assert say(key, "en") != say(key, "nl"), key
    assert say("double", "nl") == "dubbel isolement" and say("buddies", "nl") == "maatjes"


def test_two_strategies_with_the_same_seed_and_levers_run_the_same():
    a, b = Live.start(BASELINE, **SMALL), Live.start(BASELINE, **SMALL)
    a.step(6)
    b.step(6)
    assert a.history == b.history


def test_a_lever_moved_while_running_acts_from_the_next_week():
    still, moved = Live.start(BASELINE, **SMALL), Live.start(BASELINE, **SMALL)
    still.step(4)
    moved.step(4)
    moved.set_lever("buddies", 40)
    assert moved.levers["buddies"] == 40 and moved.cost_per_year() == 40 * 2000
    assert moved.history == still.history  # nothing changed before it acts
    still.step(12)
    moved.step(12)
    assert moved.model.latest["buddy_matches"] > still.model.latest["buddy_matches"]
    assert moved.history["cost_cumulative"][-1] > still.history["cost_cumulative"][-1]


def test_reset_goes_back_to_week_0_and_keeps_the_levers():
    live = Live.start(BASELINE, **SMALL)
    live.set_lever("small_groups", 10)
    live.step(5)
    first = {k: v[:] for k, v in live.history.items()}
    live.reset()
    assert live.week == 0 and len(live.history["week"]) == 1
    live.step(5)
    assert live.history == first and live.levers["small_groups"] == 10


def test_a_scenario_s_levers_show_and_its_budget_does_not_bind():
    live = Live.start(SCENARIOS / "dynamics.toml", **SMALL)
    assert live.levers["buddies"] == 30 and live.levers["permanent_funding"] == 0
    live.set_lever("permanent_funding", 20)  # far past dynamics' budget: the room may try it
    assert live.cost_per_year() > 250_000
    with pytest.raises(KeyError):
        live.set_lever("budies", 1)


def test_the_map_paints_residents_by_isolation_type():
    from isolation_sim.app.map import SIZE, TYPE_RGB, NeighbourhoodMap
    from isolation_sim.population import DOUBLE

    live = Live.start(BASELINE, **SMALL)
    drawn = NeighbourhoodMap(live.model)
    before = drawn.pixels(live.model)
    assert before.shape == (SIZE, SIZE, 3)

    def red(img):
        return int(np.all(img == TYPE_RGB[DOUBLE], axis=-1).sum())

    live.model.people.isolation[: live.model.people.n // 2] = DOUBLE  # half the residents into double isolation
    after = drawn.pixels(live.model)
    assert red(after) > 10 * max(red(before), 1)
    assert drawn.picture(live.model)[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_map_shows_a_venue_s_thresholds_as_they_are_now():
    from isolation_sim.app.map import THRESHOLD_COLOURS, NeighbourhoodMap

    live = Live.start(BASELINE, **SMALL)
    drawn = NeighbourhoodMap(live.model)
    free = np.array([int(THRESHOLD_COLOURS[0][i:i + 2], 16) for i in (1, 3, 5)])

    def green(img):  # pixels in the colour of a venue without thresholds
        return int(np.all(img == free, axis=-1).sum())

    before = green(drawn.pixels(live.model))
    live.model.venues.lifted[:] = True  # every threshold lifted, as the levers do venue by venue
    assert green(drawn.pixels(live.model)) > 3 * max(before, 1)


def test_the_network_view_keeps_its_layout_and_places_newcomers_once():
    from isolation_sim.app.ego import LAYER_COLOURS, EgoView, someone
    from isolation_sim.layers import BUDDY
    from isolation_sim.population import DOUBLE

    live = Live.start(BASELINE, **SMALL)
    resident = someone(live.model, "double", np.random.default_rng(0))
    assert live.model.people.isolation[resident] == DOUBLE
    view = EgoView(resident)
    chart = view.chart(live.model, "A", "en")
    first = {k: v.copy() for k, v in view.positions.items()}
    assert set(first) == set(live.model.net.ego_graph(resident))
    links = chart["series"][-1]["links"]
    assert {link["lineStyle"]["color"] for link in links} <= set(LAYER_COLOURS.values())
    assert len(links) == live.model.net.ego_graph(resident).number_of_edges()

    stranger = next(i for i in range(live.model.people.n) if i not in first)
    live.model.net.add([resident], [stranger], BUDDY, [0.9])  # a new buddy tie
    view.chart(live.model, "A", "en")
    assert stranger in view.positions
    assert all(np.array_equal(view.positions[k], v) for k, v in first.items())  # nobody moved


def test_a_session_no_page_shows_is_not_watched():
    from types import SimpleNamespace

    from solara.server.kernel_context import PageStatus

    from isolation_sim.app.page import watched

    def session(*status):
        return SimpleNamespace(page_status={f"page {i}": s for i, s in enumerate(status)})

    assert watched(session(PageStatus.CONNECTED)) and watched(session(PageStatus.CLOSED, PageStatus.CONNECTED))
    assert not watched(session(PageStatus.DISCONNECTED)) and not watched(session(PageStatus.CLOSED))
    assert not watched(session())


def test_sessions_take_turns_first_come_first_served():
    import threading
    import time

    from isolation_sim.app.turns import Turns

    turns, order = Turns(), []
    gate = turns.take()
    gate.__enter__()  # one session has the turn; three more queue up, one after another

    def session(name):
        with turns.take():
            order.append(name)

    threads = []
    for name in "abc":
        threads.append(threading.Thread(target=session, args=(name,)))
        threads[-1].start()
        while turns.waiting < len(threads) + 1:
            time.sleep(0.001)
    assert order == []  # nobody runs while the turn is held
    gate.__exit__(None, None, None)
    for thread in threads:
        thread.join(timeout=10)
    assert order == ["a", "b", "c"]


def test_the_app_command_binds_to_this_machine_and_refuses_bad_input(monkeypatch, capsys):
    from isolation_sim import cli
    from isolation_sim.app import server

    from .browsing import free_port

    started = []
    monkeypatch.setattr(server, "serve", lambda sock, hosts, port, page, module:
                        started.append((sock.getsockname(), hosts, page)))
    port = free_port()
    assert cli.main(["app", str(BASELINE), "--residents", "900", "--port", str(port)]) == 0
    address, hosts, page = started.pop()
    assert address == ("127.0.0.1", port) and hosts == ["127.0.0.1", "localhost", "[::1]"]
    assert page["ISOLATION_SIM_APP_RESIDENTS"] == "900" and page["ISOLATION_SIM_APP_SECOND"] == "dynamics"
    assert f"Open http://127.0.0.1:{port}" in capsys.readouterr().out
    cli.main(["app", str(BASELINE), "--host", "0.0.0.0", "--port", str(port), "--allow-host", "192.168.1.20"])
    address, hosts, _ = started.pop()
    assert address[0] == "0.0.0.0" and hosts[-1] == "192.168.1.20"
    assert f"Open http://192.168.1.20:{port}" in capsys.readouterr().out
    for bad, said in ((["--second", "nosuch"], "--second nosuch"), (["--port", "70000"], "--port 70000"),
                      (["--residents", "-5"], "residents"), (["--host", "0.0.0.0"], "--allow-host"),
                      (["--allow-host", "evil.example/x"], "--allow-host evil.example/x"),
                      (["--second", "../scenarios/dynamics"], "--second ../scenarios/dynamics")):
        assert cli.main(["app", str(BASELINE), "--port", str(port), *bad]) == 2, bad
        out, err = capsys.readouterr()
        assert said in err and "Open http" not in out, bad
    assert cli.main(["app", str(SCENARIOS / "nosuch.toml")]) == 2
    assert not started  # nothing started after bad input


def test_a_port_in_use_is_refused_before_the_page_is_announced(monkeypatch, capsys):
    import socket

    from isolation_sim import cli
    from isolation_sim.app import server

    monkeypatch.setattr(server, "serve", lambda *args, **kwargs: pytest.fail("served on a port in use"))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert cli.main(["app", str(BASELINE), "--port", str(port)]) == 2
    out, err = capsys.readouterr()
    assert f"--port {port}: already in use" in err and "Open http" not in out


def test_the_page_takes_only_values_its_controls_offer():
    from isolation_sim.app import values

    assert values.level("buddies", 100) == 100.0 and values.level("production_contracts", 0.7) == 0.7
    for name, value in (("buddies", 101), ("buddies", -1), ("buddies", 0.5), ("buddies", float("nan")),
                        ("buddies", float("inf")), ("buddies", None), ("buddies", "5"), ("buddies", True),
                        ("production_contracts", 0.75), ("production_contracts", 1.1), ("nosuch", 1), (None, 1),
                        (["buddies"], 1)):
        assert values.level(name, value) is None, (name, value)
    assert values.on_grid(20, 1, 20, 1) == 20.0 and values.on_grid(20.5, 1, 20, 1) is None
    assert values.whole("1499", 0, 1499) == 1499 and values.whole("1500", 0, 1499) is None
    for typed in ("-1", "1.0", "1e3", "٣", "", None, 7, ["7"], "9" * 13):
        assert values.whole(typed, 0, 10**13) is None, typed
    assert values.choice("baseline", ["baseline"]) == "baseline"
    for name in ("../baseline", None, ["baseline"], {"baseline": 1}, 3):
        assert values.choice(name, ["baseline"]) is None, name


def test_the_page_offers_scenarios_by_name_only():
    from isolation_sim.app import page
    from isolation_sim.scenario import ScenarioError

    assert {"baseline", "dynamics", "stability"} <= set(page.scenario_names())
    assert "rotterdam" not in page.scenario_names()  # a city runs in batch, not live
    for name in ("../scenarios/baseline", "/etc/passwd", "rotterdam"):
        with pytest.raises(ScenarioError):
            page.start(name)


def test_mesa_s_page_builds_a_model_only_from_values_its_sliders_offer(monkeypatch):
    monkeypatch.setenv("ISOLATION_SIM_SCENARIO", str(BASELINE))  # the page builds its first model when imported
    from isolation_sim.app import mesa_page

    built = []
    monkeypatch.setattr(mesa_page.IsolationModel, "__init__", lambda self, **values: built.append(values))
    first = {k: (v.value if hasattr(v, "min") else v) for k, v in mesa_page.model_params.items()}
    for key, value in (("residents", 2e7), ("residents", 1499), ("residents", None), ("buddies", 101),
                       ("small_groups", "4"), ("params", "/etc/passwd"), ("rng", 7), ("rng", True)):
        mesa_page.PageModel(**{**first, key: value})
        assert built.pop() == first, (key, value)  # refused: the slider's first value instead
    mesa_page.PageModel(**{**first, "residents": 5000, "buddies": 100})
    assert built.pop() == {**first, "residents": 5000, "buddies": 100}
