"""Decomposition of a strategy into its levers, the cost range, and mixes in a comparison."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from isolation_sim.cli import main
from isolation_sim.compare import compare, cost_effectiveness, mixes, ranking
from isolation_sim.decompose import decompose, levers_apart
from isolation_sim.levers import LEVER, LEVERS, cost_factor
from isolation_sim.scenario import load_scenario

from .conftest import BASELINE, SCENARIOS

SMALL = {"residents": 600, "weeks": 12}


def test_every_lever_has_a_cost_range_around_its_central_cost():
    for name in LEVERS:
        lever = LEVER[name]
        assert 0 <= lever.cost_low <= lever.unit_cost <= lever.cost_high
        assert lever.unit_cost == 0 or lever.cost_low < lever.unit_cost < lever.cost_high
    assert cost_factor("buddies", "low") < 1 < cost_factor("buddies", "high")


def test_the_costs_page_names_every_lever_with_its_three_values():
    text = (SCENARIOS.parent / "docs" / "costs.md").read_text()
    for name in LEVERS:
        row = next(line for line in text.splitlines() if line.startswith(f"| `{name}` |"))
        lever = LEVER[name]
        for value in (lever.cost_low, lever.unit_cost, lever.cost_high):
            assert f"€{value:,.0f}" in row


def test_the_decomposition_adds_up_within_each_replicate():
    result = decompose(SCENARIOS / "arena.toml", replicates=2, workers=1, **SMALL)
    assert result.levers == levers_apart(load_scenario(SCENARIOS / "arena.toml"), load_scenario(BASELINE))
    t = result.table
    parts = set(t["part"])
    assert {"all", "interaction"} <= parts
    assert all(f"alone:{n}" in parts and f"without:{n}" in parts for n in result.levers)
    ends = result.comparison.ends.set_index(["scenario", "replicate"])["participation_rate"]
    ref = ends.loc[result.comparison.reference]
    inter = (ends.loc["all"] - ref) - sum(ends.loc[f"alone:{n}"] - ref for n in result.levers)
    row = t[(t["outcome"] == "participation_rate") & (t["part"] == "interaction")].iloc[0]
    assert row["effect"] == pytest.approx(inter.mean())
    assert row["ci_low"] <= row["effect"] <= row["ci_high"]
    fam = (ends.loc["all"] - ref) - (ends.loc["family:stability"] - ref) - (ends.loc["family:dynamics"] - ref)
    row = t[(t["outcome"] == "participation_rate") & (t["part"] == "interaction:families")].iloc[0]
    assert row["effect"] == pytest.approx(fam.mean())
    stability = load_scenario(SCENARIOS / "stability.toml").steering.levers
    runs = dict(zip(result.comparison.names, result.comparison.scenarios))
    assert set(runs["family:stability"].steering.levers) == set(result.levers) & set(stability)
    assert runs["family:dynamics"].steering.levers["production_contracts"].level == 0.3  # contracting less


def test_a_strategy_of_one_lever_has_no_interaction(tmp_path):
    one = tmp_path / "one.toml"
    one.write_text(f'extends = "{BASELINE}"\nname = "one"\n[steering.levers]\nbuddies = 20\n')
    result = decompose(one, replicates=2, workers=1, **SMALL)
    t = result.table.set_index(["outcome", "part"])
    assert result.levers == ["buddies"]
    assert t.loc[("participation_rate", "interaction"), "effect"] == 0.0
    assert t.loc[("participation_rate", "all"), "effect"] == t.loc[("participation_rate", "alone:buddies"), "effect"]
    assert t.loc[("participation_rate", "without:buddies"), "effect"] == 0.0


def test_decompose_on_the_command_line_writes_its_table_figure_and_words(tmp_path, capsys):
    out = tmp_path / "dec"
    assert main(["decompose", str(SCENARIOS / "arena.toml"), "--replicates", "2", "--weeks", "4",
                 "--residents", "300", "--workers", "1", "--out", str(out)]) == 0
    table = pd.read_csv(out / "decomposition.csv")
    assert list(table.columns) == ["outcome", "part", "effect", "ci_low", "ci_high"]
    assert (out / "decomposition.png").stat().st_size > 10_000
    assert "interaction" in (out / "report.md").read_text()
    assert {"interaction:families", "family:stability", "family:dynamics"} <= set(table["part"])


def test_decompose_refuses_a_strategy_without_a_reference_or_without_levers(tmp_path, capsys):
    assert main(["decompose", str(BASELINE), "--reference", str(BASELINE), "--out", str(tmp_path / "x")]) == 2
    assert "nothing to decompose" in capsys.readouterr().err
    assert main(["decompose", str(SCENARIOS / "oud_charlois.toml"), "--out", str(tmp_path / "y")]) == 2
    assert "--reference" in capsys.readouterr().err
    assert not (tmp_path / "x").exists() and not (tmp_path / "y").exists()


def test_the_cost_range_gives_the_run_s_cost_at_low_and_high_unit_costs():
    cmp = compare([BASELINE, SCENARIOS / "dynamics.toml"], replicates=2, workers=1, **SMALL)
    c = cost_effectiveness(cmp).set_index("scenario")
    assert c.loc["baseline", "cost_per_year_at_low"] == c.loc["baseline", "cost_per_year"]  # no levers
    d = c.loc["dynamics"]
    assert d["cost_per_year_at_low"] < d["cost_per_year"] < d["cost_per_year_at_high"]
    assert set(ranking(cost_effectiveness(cmp))) == {"central", "low", "high"}


def test_a_mix_is_held_against_the_pure_strategies_it_mixes():
    cmp = compare([BASELINE, SCENARIOS / "stability.toml", SCENARIOS / "dynamics.toml", SCENARIOS / "arena.toml"],
                  replicates=2, workers=1, **SMALL)
    table = mixes(cmp, ["participation_rate"])
    assert set(table["scenario"]) == {"arena"}
    assert set(table["against"]) == {"stability", "dynamics", "mean of stability and dynamics"}
    ends = cmp.ends.set_index(["scenario", "replicate"])["participation_rate"]
    mean = ((ends.loc["arena"] - (ends.loc["stability"] + ends.loc["dynamics"]) / 2)).mean()
    row = table[table["against"] == "mean of stability and dynamics"].iloc[0]
    assert row["mean_diff"] == pytest.approx(mean) and np.isfinite(row["ci_low"])
