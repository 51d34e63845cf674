"""The model as a whole: reproducible, Mesa-native, and consistent across its views."""

from __future__ import annotations

import networkx as nx
import numpy as np

from isolation_sim import IsolationModel, parallel
from isolation_sim.run import Run
from isolation_sim.agents import Buddy, Resident, Venue
from isolation_sim.outcomes import COLUMNS
from isolation_sim.population import ISOLATION_TYPES
from isolation_sim.processes import SCHEDULE, ties

from .conftest import BASELINE, small_model, small_scenario

REQUIRED = (
    "week, residents, share_none, share_individual, share_collective, share_double, participation_rate, "
    "participation_rate_double, mean_ties, lonely_share, severely_lonely_share, hortulanus_competent, "
    "hortulanus_lonely, hortulanus_contact_poor, hortulanus_isolated, no_weekly_contact_share, quality_of_life, "
    "venues_open, venues_threshold_free, buddy_matches, cost_cumulative, informal_support_share"
).split(", ")


def csv_of(seed: int) -> str:
    m = small_model(seed=seed, residents=1200)
    m.run(weeks=15)
    return m.timeseries().to_csv(index=False)


def test_same_scenario_and_seed_give_identical_results():
    assert csv_of(5) == csv_of(5)


def test_one_thread_or_two_give_identical_results(monkeypatch):
    """The compiled loops run in fixed parts, so the number of threads changes nothing."""
    monkeypatch.setattr(parallel, "SMALLEST_SPLIT", 1000)  # split even this small model
    monkeypatch.setenv("ISOLATION_SIM_THREADS", "1")
    alone = csv_of(5)
    monkeypatch.setenv("ISOLATION_SIM_THREADS", "2")
    assert csv_of(5) == alone


def test_the_weekly_tie_totals_equal_a_fresh_count():
    """The ties process totals the ties while it changes them; a fresh pass agrees."""
    m = small_model(residents=1200)
    m.run(weeks=6)
    for process in SCHEDULE[: SCHEDULE.index(ties)]:  # the next week, up to the ties
        process.step(m)
    m.net.remove(np.arange(len(m.net)) % 10 == 0)  # ties ended earlier in the week (buddy matches)
    ties.step(m)
    weekly = {name: getattr(m.totals, name).copy() for name in ("personal_strength", "good_ties",
              "personal_ties", "lonely_contacts", "public_strength", "all_ties", "weekly_contacts",
              "strong_layers")}
    fresh = ties.recount(m)
    for name, values in weekly.items():
        np.testing.assert_allclose(values, getattr(fresh, name), rtol=1e-5, atol=1e-5, err_msg=name)


def test_different_seeds_give_different_results():
    assert csv_of(5) != csv_of(6)


def test_timeseries_has_every_required_column_one_row_per_week():
    m = small_model()
    m.run(weeks=6)
    frame = m.timeseries()
    assert set(REQUIRED) <= set(frame.columns)
    assert list(frame.columns) == list(COLUMNS)
    assert frame["week"].tolist() == list(range(7))
    shares = frame[["share_none", "share_individual", "share_collective", "share_double"]].sum(axis=1)
    assert np.allclose(shares, 1.0)
    assert frame.notna().all().drop("participation_rate_double").all()


def test_agents_are_mesa_agents_registered_by_type(model):
    by_type = model.agents_by_type
    assert len(by_type[Resident]) == model.people.n
    assert len(by_type[Venue]) == len(model.venues)
    assert len(by_type[Buddy]) == len(model.buddies)
    assert len(model.agents) == model.people.n + len(model.venues) + len(model.buddies)


def test_agents_are_views_that_follow_the_arrays(model):
    r = model.residents[7]
    model.people.loneliness[7] = 9.5
    model.people.isolation[7] = 3
    assert r.loneliness == 9.5 and r.isolation_type == ISOLATION_TYPES[3]
    model.step()
    assert r.loneliness == float(model.people.loneliness[7])
    venue = model.venue_agents[0]
    assert venue.activity in ("meeting", "exercise", "creative", "work")
    assert set(venue.thresholds) <= {"distance", "cost", "discipline", "social"}


def test_networkx_graph_matches_the_tie_arrays(model):
    model.run(weeks=3)
    g = model.graph
    assert isinstance(g, nx.Graph)
    assert g.number_of_nodes() == model.people.n
    assert g.number_of_edges() == len(model.net)
    i = int(np.argmax(model.net.degree()))
    assert sorted(g.neighbors(i)) == sorted(o for o, _, _ in model.residents[i].ties)
    ego = model.residents[i].ego_network()
    assert set(ego.nodes) == {i, *g.neighbors(i)}
    assert all("layer" in d and "strength" in d for _, _, d in ego.edges(data=True))


def test_model_accepts_a_path_and_keyword_overrides():
    m = IsolationModel(BASELINE, residents=400, seed=2, burn_in_weeks=3)
    assert m.people.n == 400 and m.params.seed == 2 and m.week == 0


def test_burn_in_ends_at_week_zero_without_costs():
    m = Run(small_scenario(burn_in=12)).model()
    assert m.week == 0
    assert m.timeseries()["cost_cumulative"].iloc[0] == 0.0


def test_step_advances_one_week(model):
    model.step()
    model.step()
    assert model.week == 2 and model.steps == 2


def test_setup_streams_never_coincide_with_weekly_streams():
    from isolation_sim.streams import stream

    assert stream(1, "buddies").random() != stream(1, "buddies", -1).random()
    assert stream(1, "buddies").random() == stream(1, "buddies").random()


def test_households_and_neighbours_stay_inside_a_neighbourhood():
    from isolation_sim.layers import HOUSEHOLD, NEIGHBOUR

    m = small_model(residents=3000, **{"population.neighbourhoods": 5})
    p, net = m.people, m.net
    hh = np.flatnonzero(np.bincount(p.household) > 0)
    assert all(np.unique(p.hood[p.household == h]).size == 1 for h in hh[:500])
    local = (net.layer == HOUSEHOLD) | (net.layer == NEIGHBOUR)
    assert (p.hood[net.u[local]] == p.hood[net.v[local]]).mean() > 0.99


def test_the_world_starts_with_each_resident_knowing_venues_of_their_own_neighbourhood_once():
    from isolation_sim.world import build_world

    world = build_world(small_scenario(residents=4000, **{"population.neighbourhoods": 2}))
    p, v = world.people, world.venues
    mine = p.known >= 0
    assert 5 < mine.sum(axis=1).mean() <= 6  # about six each; a venue drawn twice leaves a slot empty
    rows, slots = np.nonzero(mine)
    assert (v.hood[p.known[rows, slots]] == p.hood[rows]).all() and v.open[p.known[rows, slots]].all()
    assert all(len(set(r[r >= 0].tolist())) == int((r >= 0).sum()) for r in p.known)


def test_volunteering_as_it_stands_follows_its_share(monkeypatch):
    import isolation_sim.world as world

    def volunteers(share: float) -> float:
        monkeypatch.setattr(world, "INITIAL_VOLUNTEERS", share)
        p = world.build_world(small_scenario(residents=4000)).people
        assert (p.role[p.group != 0] == 1).any()  # any group can volunteer (reciprocity.py)
        return float(np.mean(p.role > 0))

    assert volunteers(0.20) > volunteers(0.05) + 0.1
