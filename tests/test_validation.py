"""The measures that hold the model against Dutch figures (docs/validation.md)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from isolation_sim import cli, validation
from isolation_sim.run import Run, simulate
from isolation_sim.validation import (PATTERNS, RADAR, TARGETS, TYPOLOGY, TieLoss, compare_with_targets,
                                      contagion_gradient)

from .conftest import small_model, small_scenario


def test_clustered_loneliness_shows_a_gradient_and_shuffled_loneliness_none():
    model = small_model(residents=3000)
    model.run(weeks=4)
    p = model.people
    # lonely: one block of the spatial order, where most ties are local (clustered)
    p.loneliness[:] = 0.0
    p.loneliness[model.spatial_order[: p.n // 2]] = 11.0
    clustered = contagion_gradient(model)
    assert clustered[1] > 0.3 and clustered[1] > clustered[3]
    # the same number lonely, shuffled over the same network
    p.loneliness[:] = np.random.default_rng(1).permutation(p.loneliness)
    shuffled = contagion_gradient(model)
    assert all(abs(value) < 0.1 for value in shuffled.values())


def test_lonely_residents_lose_ties_faster_only_through_withdrawal_and_decay():
    def ratio(**changes):  # lonely residents' tie loss over the others', pooled over three seeds
        losses = [simulate(Run(small_scenario(residents=3000, seed=seed, **changes), weeks=4), [TieLoss(after=0)])
                  ["tie_loss"] for seed in (1, 2, 3)]
        return np.mean([lonely for lonely, _ in losses]) / np.mean([other for _, other in losses])

    with_both = ratio()
    without = ratio(**{"behaviour.lonely_decay": 0.0, "behaviour.lonely_withdrawal": 0.0})
    assert with_both > 1.8 and without < 1.4 and without < with_both - 0.6


def test_first_year_is_the_mean_of_weeks_1_to_52():
    frame = pd.DataFrame({"week": range(0, 60)} | {t.column: np.r_[9.0, np.ones(52), np.full(7, 9.0)]
                                                   for t in TARGETS})
    assert validation.first_year(frame) == {t.column: 1.0 for t in TARGETS}


def test_the_comparison_says_which_bands_hold():
    runs = pd.DataFrame({t.column: [t.middle, t.middle] for t in TARGETS + (RADAR,)}
                        | {t.column: [2.0, 2.5] for t in TYPOLOGY}
                        | {"epa_share": [0.017, 0.017], "contagion_1": [0.5, 0.54], "contagion_2": [0.0, 0.0],
                           "contagion_3": [0.15, 0.15], "collective_migrant": [0.9, 1.0]})
    table = compare_with_targets(runs).set_index("pattern")
    assert table["holds"].drop(["contagion_2", "collective_migrant"]).all()
    assert not table.loc["contagion_2", "holds"] and not table.loc["collective_migrant", "holds"]
    assert (table.loc[[t.column for t in TYPOLOGY], "unit"] == "ratio").all()
    assert table.loc["contagion_1", "ci_low"] < 0.52 < table.loc["contagion_1", "ci_high"]


def test_validate_writes_its_table_and_figure(tmp_path):
    from .conftest import BASELINE

    out = tmp_path / "val"
    assert cli.main(["validate", str(BASELINE), "--seeds", "2", "--residents", "1500", "--workers", "1",
                     "--out", str(out)]) == 0
    assert {p.name for p in out.iterdir()} == {"runs.csv", "targets.csv", "spells.csv", "targets.png"}
    runs = pd.read_csv(out / "runs.csv")
    assert len(runs) == 4 and list(runs["period"]) == ["first", "last", "first", "last"]  # two seeds, two years
    targets = pd.read_csv(out / "targets.csv")
    assert (targets.groupby("period")["pattern"].count() == len(PATTERNS)).all()
    spells = pd.read_csv(out / "spells.csv")
    assert list(spells["type"]) == ["none", "individual", "collective", "double"]
    assert (spells["median_weeks"].dropna() >= 1).all() and spells["under_13_weeks"].dropna().between(0, 1).all()
    assert set(pd.read_csv(out / "targets.csv")["pattern"]) >= {t.column for t in TARGETS}


def test_validate_checks_the_last_year_of_the_horizon_asked_for(tmp_path):
    from .conftest import BASELINE

    def periods(weeks: str) -> list[str]:
        out = tmp_path / weeks
        assert cli.main(["validate", str(BASELINE), "--seeds", "2", "--residents", "300", "--weeks", weeks,
                         "--workers", "1", "--out", str(out)]) == 0
        return sorted(set(pd.read_csv(out / "targets.csv")["period"]))

    assert periods("104") == ["first", "last"]
    assert periods("60") == ["first"]  # under two years: the first year only


def test_validate_refuses_a_single_seed(capsys):
    from .conftest import BASELINE

    assert cli.main(["validate", str(BASELINE), "--seeds", "1"]) == 2
    assert "--seeds 1" in capsys.readouterr().err


def test_residents_living_close_together_share_their_disposition():
    from isolation_sim.population import PLACE_WINDOW, shared_by_place

    n = 400_000
    hood = np.repeat(np.arange(2), n // 2)
    order = np.lexsort((np.random.default_rng(4).random(n), hood))  # a street order, hood by hood
    value = shared_by_place(hood, order, np.random.default_rng(5))[order]  # along the street order
    assert abs(value.std() - 1.0) < 0.1
    assert np.corrcoef(value[:-1], value[1:])[0, 1] > 0.95            # next door: nearly all shared
    assert abs(np.corrcoef(value[:-1000], value[1000:])[0, 1]) < 0.1  # a few streets on: nothing
    # the last resident of the first neighbourhood shares only with residents on its side
    draw = np.random.default_rng(5).standard_normal(n)
    last = n // 2 - 1
    def own_side(i):
        return draw[i - PLACE_WINDOW: last + 1].sum() / np.sqrt(last + 1 - i + PLACE_WINDOW)
    assert np.isclose(value[last] - value[last - 1], own_side(last) - own_side(last - 1))
    assert abs(value[: n // 2].mean()) < 1e-9  # less the neighbourhood's mean


def test_a_disposition_shared_by_place_makes_loneliness_cluster_along_ties():
    def gradient(share):
        model = small_model(residents=4000, burn_in=20, **{"behaviour.loneliness_place": share})
        return contagion_gradient(model)

    own, shared = gradient(0.0), gradient(0.9)
    assert shared[1] > own[1] + 0.2 and shared[2] > own[2] + 0.1


def test_family_close_by_lives_nearer_and_carries_the_clustering_further():
    from isolation_sim.layers import FAMILY

    def family_distance_and_gradient(nearby):
        model = small_model(residents=4000, burn_in=20, **{"population.family_nearby": nearby,
                                                           "behaviour.loneliness_place": 0.9})
        net, p = model.net, model.people
        family = net.layer == FAMILY
        km = np.hypot(p.x[net.u[family]] - p.x[net.v[family]], p.y[net.u[family]] - p.y[net.v[family]])
        return np.median(km), contagion_gradient(model)

    far_km, far = family_distance_and_gradient(0.0)
    near_km, near = family_distance_and_gradient(1.0)
    assert near_km < 0.5 * far_km
    assert near[3] > far[3] + 0.05


def test_type_spells_count_only_spells_seen_from_start_to_end():
    from types import SimpleNamespace

    from isolation_sim.validation import TypeSpells

    model = SimpleNamespace(week=0, people=SimpleNamespace(n=3, isolation=np.array([0, 1, 3], np.int8)))
    spells = TypeSpells()
    spells.start(model)
    weekly = [[1, 1, 3], [0, 1, 3], [1, 1, 3], [0, 1, 3], [0, 1, 3], [0, 1, 3], [1, 1, 3]]
    for week, types in enumerate(weekly, start=1):  # resident 0 flickers, 1 and 2 never change
        model.week, model.people.isolation = week, np.array(types, np.int8)
        spells.step(model)
    found = spells.result(model)
    # resident 0: the spell under way at week 0 is left out; then 1 (weeks 1-2), 0 (2-3), 1 (3-4), 0 (4-7)
    assert found["individual"] == {"spells": 2.0, "median": 1.0, "under_13": 1.0}
    assert found["none"] == {"spells": 2.0, "median": 2.0, "under_13": 1.0}
    assert found["double"]["spells"] == 0.0


def test_changed_type_share_is_the_share_whose_type_moved_this_week():
    from isolation_sim.outcomes import measure

    model = small_model(residents=1000)
    model.step()
    assert measure(model)["changed_type_share"] == float(np.mean(model.people.isolation != model.isolation_at_start))
    model.isolation_at_start[:] = (model.people.isolation + 1) % 4
    assert measure(model)["changed_type_share"] == 1.0


def test_the_last_year_is_checked_on_its_own_weeks():
    from isolation_sim.validation import check

    scenario = small_scenario(residents=600, burn_in=2).with_overrides(weeks=110)
    rows = check(scenario, seeds=1, workers=1, last_year=True).set_index("period")
    record = simulate(Run(scenario, 1, weeks=110))
    frame = record.timeseries
    assert rows.loc["first", "lonely_share"] == frame[frame["week"].between(1, 52)]["lonely_share"].mean()
    assert rows.loc["last", "lonely_share"] == frame[frame["week"].between(59, 110)]["lonely_share"].mean()
    assert rows.loc["first", "contagion_1"] != rows.loc["last", "contagion_1"]
    short = check(scenario.with_overrides(weeks=80), seeds=1, workers=1, last_year=True)
    assert list(short["period"]) == ["first"]  # no last year apart from the first
