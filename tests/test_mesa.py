"""The model as Mesa users expect it: ``mesa.batch_run``, ``rng``, ``running`` and agents."""

from __future__ import annotations

import mesa
import pandas as pd
import pytest

from isolation_sim import IsolationModel

from .conftest import BASELINE

SMALL = {"params": str(BASELINE), "residents": 300, "burn_in_weeks": 2, "weeks": 3}


def test_batch_run_sets_levers_by_name_and_repeats_seeds_it_is_given():
    rows = mesa.batch_run(IsolationModel, parameters={**SMALL, "buddies": [0, 30]}, rng=[1, 2],
                          number_processes=1, display_progress=False)
    frame = pd.DataFrame(rows)
    assert len(frame) == 4 and sorted(frame["buddies"]) == [0, 0, 30, 30]
    assert frame["seed"].tolist() == [1, 1, 2, 2] and frame["week"].eq(3).all()
    pair = frame.set_index(["seed", "buddies"])["cost_levers_cumulative"]
    assert pair[(1, 30)] > pair[(1, 0)]  # the level reached the model
    again = pd.DataFrame(mesa.batch_run(IsolationModel, parameters={**SMALL, "buddies": 30}, rng=[2],
                                        number_processes=1, display_progress=False))
    assert again["share_double"].iloc[-1] == frame.set_index(["seed", "buddies"]).loc[(2, 30), "share_double"]


def test_batch_run_iterations_are_different_replicates_that_stop_at_the_horizon():
    with pytest.warns(Warning):  # Mesa's word that iterations= is deprecated for rng=[None] * n
        rows = mesa.batch_run(IsolationModel, parameters=SMALL, iterations=2, number_processes=1,
                              display_progress=False)
    frame = pd.DataFrame(rows)
    assert frame["Step"].max() == 3  # the scenario's weeks, not Mesa's max_steps of 1000
    ends = frame[frame["Step"] == 3]
    assert len(ends) == 2
    assert ends["mean_loneliness"].nunique() == 2


def test_no_seed_means_fresh_randomness_and_the_seed_drawn_repeats_the_run():
    a, b = IsolationModel(**SMALL), IsolationModel(**SMALL)
    assert a.params.seed != b.params.seed
    again = IsolationModel(**SMALL, rng=a.params.seed)
    a.run(), again.run()
    pd.testing.assert_frame_equal(a.timeseries(), again.timeseries(), check_exact=True)


def test_running_turns_false_at_the_last_week():
    model = IsolationModel(**SMALL, rng=1)
    steps = 0
    while model.running:
        model.step()
        steps += 1
    assert steps == 3 and model.week == 3


def test_stepping_the_agents_one_by_one_says_why_it_cannot():
    model = IsolationModel(**SMALL, rng=1)
    with pytest.raises(NotImplementedError, match="step the model instead"):
        model.agents.shuffle_do("step")
