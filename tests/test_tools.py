"""Other tools drive the model through ``run_model``: keywords in, outcomes out."""

from __future__ import annotations

import numpy as np
import pytest

from isolation_sim import ScenarioError, run_model

from .conftest import BASELINE

# levels as counts for these 300 residents (population.represents): each unit is deployed
SMALL = {"scenario": str(BASELINE), "residents": 300, "population__represents": 300, "burn_in_weeks": 2, "weeks": 6,
         "seed": 3}


def test_a_lever_by_name_means_its_level_and_costs_what_the_table_says():
    none, some = run_model(**SMALL), run_model(**SMALL, buddies=10)
    assert none["cost_levers_cumulative"] == 0
    assert some["cost_levers_cumulative"] == pytest.approx(10 * 2_000 * 6 / 52)
    assert run_model(**SMALL, buddies=10) == some  # the same keywords, the same numbers
    assert "week" not in some


def test_a_fractional_count_and_an_unknown_key_are_refused_with_a_clear_message():
    with pytest.raises(ScenarioError, match=r"buddies = 12.7: a number of volunteer buddies.*whole number"):
        run_model(**SMALL, buddies=12.7)
    with pytest.raises(ScenarioError, match="unknown key 'budies'"):
        run_model(**SMALL, steering__levers__budies=3)
    run_model(**SMALL, presence_hours=2.5)  # hours may be a fraction


def test_ignore_budget_lets_levers_cost_more_than_the_budget(tmp_path):
    tight = tmp_path / "tight.toml"
    tight.write_text(f'extends = "{BASELINE}"\nname = "tight"\n[steering]\nbudget_per_year = 1000\n')
    small = SMALL | {"scenario": str(tight)}
    with pytest.raises(ScenarioError, match="more than budget_per_year"):
        run_model(**small, buddies=100)
    assert run_model(**small, buddies=100, ignore_budget=True)["cost_levers_cumulative"] > 0
    with pytest.raises(ScenarioError, match="ignore_budget and steering__budget_per_year set the same setting"):
        run_model(**small, steering__budget_per_year=5000, ignore_budget=True)


def test_ema_workbench_runs_an_experiment_through_run_model():
    from ema_workbench import (Constant, IntegerParameter, Model, RealParameter, ScalarOutcome, SequentialEvaluator,
                               perform_experiments)

    model = Model("isolation", function=run_model)
    model.uncertainties = [RealParameter("behaviour__contact_gain", 0.05, 0.4)]
    model.levers = [IntegerParameter("buddies", 0, 40), IntegerParameter("small_groups", 0, 20)]
    model.constants = [Constant(k, v) for k, v in SMALL.items()]
    model.outcomes = [ScalarOutcome("share_double"), ScalarOutcome("participation_rate"),
                      ScalarOutcome("cost_levers_cumulative")]
    with SequentialEvaluator(model) as evaluator:
        experiments, outcomes = perform_experiments(model, scenarios=2, policies=3, evaluator=evaluator)
    assert len(experiments) == 6
    cost = 6 / 52 * (2_000 * experiments["buddies"].to_numpy(float) + 4_000 * experiments["small_groups"].to_numpy(float))
    np.testing.assert_allclose(outcomes["cost_levers_cumulative"], cost)  # each lever reached the model
    assert np.all((outcomes["share_double"] >= 0) & (outcomes["share_double"] <= 1))


def test_changes_read_one_way_whatever_the_lever_was_written_as(tmp_path):
    import numpy as np

    from isolation_sim import load_scenario

    as_number = tmp_path / "n.toml"
    as_number.write_text(f'extends = "{BASELINE}"\nname = "n"\n[steering.levers]\nbuddies = 20\n')
    assert load_scenario(as_number, overrides={"buddies": 12}).steering.levers["buddies"].level == 12
    with pytest.raises(ScenarioError, match="set the same setting, steering.levers.buddies.level"):
        run_model(**SMALL, **{"steering.levers.buddies": 6}, buddies=12)
    with pytest.raises(ScenarioError, match="is a value, not a table"):
        run_model(**SMALL, **{"population.residents.x": 3})
    infinite = tmp_path / "i.toml"
    infinite.write_text(f'extends = "{BASELINE}"\nname = "i"\n[steering.levers]\nbuddies = inf\n')
    with pytest.raises(ScenarioError, match="buddies = inf: must be a finite number"):
        load_scenario(infinite)
    assert run_model(**SMALL, buddies=100, ignore_budget=np.True_)["cost_levers_cumulative"] > 0  # numpy's bool
