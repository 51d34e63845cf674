"""What-if comparison: common random numbers, paired intervals, the report and its files."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from isolation_sim import compare as comparing
from isolation_sim.cli import main
from isolation_sim.compare import (
    END_WEEKS,
    OUTCOMES,
    compare,
    cost_effectiveness,
    differences,
    who_gains,
)
from isolation_sim.intervals import mean_interval, unpaired_interval
from isolation_sim.outcomes import fmt, fmt_interval
from isolation_sim.scenario import load_scenario

from .conftest import BASELINE, SCENARIOS, small_scenario

SMALL = {"residents": 800, "weeks": 30, "burn_in_weeks": 4}
STRATEGIES = ("stability", "dynamics", "arena", "clumsy_mix")
SHOCKS = ("budget_cut", "funding_ends")


def test_a_scenario_against_itself_differs_by_exactly_zero():
    cmp = compare([BASELINE, BASELINE], replicates=3, workers=1, **SMALL)
    diff = differences(cmp)
    assert set(diff["outcome"]) == set(OUTCOMES) and set(diff["scenario"]) == {"baseline (2)"}
    finite = diff.dropna(subset=["mean_diff"])
    assert len(finite) >= len(OUTCOMES) - 1
    assert (finite[["mean_diff", "ci_low", "ci_high"]].to_numpy() == 0.0).all()
    gains = who_gains(cmp).dropna(subset=["mean_diff"])
    assert len(gains) > 0 and (gains[["mean_diff", "ci_low", "ci_high"]].to_numpy() == 0.0).all()
    costs = cost_effectiveness(cmp)
    assert (costs["moved_out"] == 0).all() and costs["cost_per_resident_moved_out"].isna().all()


def test_common_random_numbers_make_the_mean_interval_narrower():
    base = small_scenario(residents=1500)
    more_buddies = base.with_overrides(**{"name": "buddies", "steering.levers.buddies": 40})
    cmp = compare([base, more_buddies], replicates=6, weeks=40, workers=1)
    end = cmp.ends.set_index(["scenario", "replicate"])
    narrower = 0
    # outcomes of the shared world; the buddy matches themselves come mostly from the lever's
    # own draws (whom its 40 buddies find), which the baseline does not share
    for outcome in ("participation_rate", "lonely_share", "mean_ties", "quality_of_life"):
        a, b = end.loc["baseline", outcome].to_numpy(), end.loc["buddies", outcome].to_numpy()
        _, low, high = mean_interval(b - a)
        _, ulow, uhigh = unpaired_interval(a, b)
        narrower += (high - low) < (uhigh - ulow) / 3
    assert narrower == 4
    # and the lever does what it should: more buddy matches, beyond chance
    row = differences(cmp, ["buddy_matches"]).iloc[0]
    assert row["ci_low"] > 0


def test_the_same_replicates_on_one_worker_and_on_two():
    one = compare([BASELINE, SCENARIOS / "dynamics.toml"], replicates=2, workers=1, **SMALL)
    two = compare([BASELINE, SCENARIOS / "dynamics.toml"], replicates=2, workers=2, **SMALL)
    pd.testing.assert_frame_equal(one.runs, two.runs)
    pd.testing.assert_frame_equal(one.groups, two.groups)


def test_the_mean_interval():
    assert mean_interval(np.zeros(5)) == (0.0, 0.0, 0.0)
    mean, low, high = mean_interval(np.array([1.0, 2.0, 3.0]))
    assert mean == 2.0 and low < 2.0 < high and high - 2.0 == pytest.approx(2.0 - low)
    mean, low, high = unpaired_interval(np.array([0.0, 1.0]), np.array([2.0, 3.0]))
    assert mean == 2.0 and low < 2.0 < high


def test_compare_writes_a_report_that_holds_what_it_claims(tmp_path, capsys):
    out = tmp_path / "cmp"
    code = main(["compare", str(BASELINE), str(SCENARIOS / "stability.toml"), str(SCENARIOS / "dynamics.toml"),
                 "--replicates", "3", "--residents", "700", "--weeks", "20", "--seed", "5", "--workers", "2",
                 "--out", str(out)])
    assert code == 0
    names = {"report.html", "differences.csv", "differences_over_time.csv", "who_gains.csv",
             "cost_effectiveness.csv", "levels.csv", "timeseries.png", "differences.png",
             "differences_over_time.png", "cost_effectiveness.png", "runs.parquet", "groups.parquet",
             "comparison.json"}
    assert {p.name for p in out.iterdir()} == names
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]

    # the raw replicates: 3 scenarios x 3 replicates x 21 weeks, seeds 5, 6, 7 shared by all
    runs = pd.read_parquet(out / "runs.parquet")
    assert len(runs) == 3 * 3 * 21
    assert sorted(runs["seed"].unique()) == [5, 6, 7]
    assert (runs.groupby("seed")["scenario"].nunique() == 3).all()

    # differences.csv is the paired difference at the end (the last 13 weeks; costs: the last
    # week), recomputed here from the raw data
    diff = pd.read_csv(out / "differences.csv")
    assert list(diff.columns) == ["outcome", "scenario", "mean_diff", "ci_low", "ci_high"]
    assert set(diff["scenario"]) == {"stability", "dynamics"} and set(diff["outcome"]) == set(OUTCOMES)
    end = runs[runs["week"] > 20 - END_WEEKS].groupby(["scenario", "replicate"]).mean(numeric_only=True)
    end["cost_cumulative"] = runs[runs["week"] == 20].set_index(["scenario", "replicate"])["cost_cumulative"]
    for outcome in ("participation_rate", "lonely_share", "cost_cumulative"):
        expected = mean_interval((end.loc["dynamics", outcome] - end.loc["baseline", outcome]).to_numpy())
        row = diff[(diff["outcome"] == outcome) & (diff["scenario"] == "dynamics")].iloc[0]
        assert row[["mean_diff", "ci_low", "ci_high"]].to_numpy() == pytest.approx(expected)
    cost = diff[(diff["outcome"] == "cost_cumulative")].set_index("scenario")
    assert (cost["ci_low"] > 0).all()  # both strategies spend money the baseline does not

    report = (out / "report.html").read_text()
    assert report.count("data:image/png;base64,") == 4
    assert "&lt;" not in report and report.count("<br><small>") >= 9  # markup is markup, never shown as text
    row = diff[(diff["outcome"] == "share_double") & (diff["scenario"] == "dynamics")].iloc[0]
    assert fmt_interval(row["mean_diff"], row["ci_low"], row["ci_high"], "pct") in report  # the numbers of the CSV
    costs = pd.read_csv(out / "cost_effectiveness.csv").set_index("scenario")
    assert fmt(costs.loc["stability", "cost_per_year"], "eur") in report
    assert not re.search(r'(src|href)="(?!data:)', report)  # self-contained: nothing loaded from elsewhere
    for words in ("stability", "dynamics", "Findings", "Who gains", "cost per resident moved out", "95% interval",
                  "psychiatric", "double isolation"):
        assert words in report
    for png in ("timeseries.png", "differences.png", "cost_effectiveness.png"):
        assert (out / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    gains = pd.read_csv(out / "who_gains.csv")
    assert set(gains["by"]) == {"vulnerability group", "isolation at week 0"}
    assert "double isolation" in capsys.readouterr().out


def test_a_bad_scenario_among_several_stops_everything_before_any_run(tmp_path, capsys, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("a run started")

    monkeypatch.setattr(comparing, "simulate_many", never)
    bad = tmp_path / "bad.toml"
    bad.write_text(f'extends = "{BASELINE}"\nname = "bad"\n[steering.levers]\nbuddies = -3\n')
    out = tmp_path / "never"
    code = main(["compare", str(BASELINE), str(SCENARIOS / "stability.toml"), str(bad), "--workers", "1",
                 "--out", str(out)])
    assert code == 2
    message = capsys.readouterr().err
    assert "bad.toml" in message and "buddies" in message and "Traceback" not in message
    assert not out.exists()
    assert main(["compare", str(BASELINE), "--out", str(out)]) == 2  # one scenario: nothing to compare
    assert main(["compare", str(BASELINE), str(BASELINE), "--replicates", "1", "--out", str(out)]) == 2
    assert not out.exists()
    # a different population cannot be paired resident by resident
    code = main(["compare", str(BASELINE), str(SCENARIOS / "rotterdam.toml"), "--out", str(out)])
    assert code == 2 and "population differs" in capsys.readouterr().err and not out.exists()


def test_the_end_is_the_last_weeks_and_never_week_0():
    cmp = compare([BASELINE, SCENARIOS / "dynamics.toml"], replicates=2, workers=1, residents=600, weeks=6,
                  burn_in_weeks=2)
    runs = cmp.runs[cmp.runs["week"] >= 1].groupby(["scenario", "replicate"]).mean(numeric_only=True)
    ends = cmp.ends.set_index(["scenario", "replicate"])
    for outcome in ("participation_rate", "share_double", "lonely_share"):
        assert np.allclose(ends[outcome], runs.loc[ends.index, outcome])


@pytest.mark.parametrize("name", STRATEGIES + SHOCKS)
def test_every_what_if_extends_the_baseline_and_says_what_policy_it_is(name):
    path = SCENARIOS / f"{name}.toml"
    text = path.read_text()
    assert text.startswith("# ") and len(text.split("\n\n")[0]) > 150  # a plain-words comment first
    scenario = load_scenario(path)
    assert scenario.name == name and scenario.steering.levers
    assert scenario.extends in ("baseline.toml", "arena.toml")


def test_the_strategies_cost_the_same():
    per_year = [load_scenario(SCENARIOS / f"{n}.toml").steering.cost_per_year(1) for n in STRATEGIES]
    assert max(per_year) <= 250_000 and min(per_year) >= 0.98 * 250_000


def test_the_shocks_spend_less_after_three_years():
    arena = load_scenario(SCENARIOS / "arena.toml").steering
    cut = load_scenario(SCENARIOS / "budget_cut.toml").steering
    ends = load_scenario(SCENARIOS / "funding_ends.toml").steering
    assert cut.cost_per_year(155) == ends.cost_per_year(155) == arena.cost_per_year(155)
    assert ends.cost_per_year(156) == 0 < cut.cost_per_year(156) <= 0.55 * arena.cost_per_year(156)


def test_what_a_scenario_calls_itself_reaches_the_report_as_text(tmp_path):
    odd = tmp_path / "odd.toml"
    # a name is a folder name, so it holds no '/' (schema.name_refused); its description may
    odd.write_text(f'extends = "{BASELINE}"\nname = "<i>odd<i> & co"\ndescription = "<script>alert(1)</script>"\n')
    out = tmp_path / "out"
    assert main(["compare", str(BASELINE), str(odd), "--replicates", "2", "--weeks", "4", "--residents", "300",
                 "--workers", "1", "--out", str(out)]) == 0
    report = (out / "report.html").read_text()
    assert "<script>" not in report and "<i>odd<i>" not in report
    assert "&lt;script&gt;" in report and "&lt;i&gt;odd&lt;i&gt; &amp; co" in report
