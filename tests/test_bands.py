"""The shipped baseline lands in the bands of the Dutch figures (docs/validation.md).

Checked on a reduced population with fixed seeds: the patterns are about the shape of the
neighbourhood (who lives near whom, how ties run), which a smaller neighbourhood of the
same make-up keeps.
"""

from __future__ import annotations

import pandas as pd
import pytest

from isolation_sim import load_scenario
from isolation_sim.validation import EPA, FITTED, check

from .conftest import BASELINE

RESIDENTS = 6000
SEEDS = 6  # seeds 1 to 6


@pytest.fixture(scope="module")
def runs() -> pd.DataFrame:
    scenario = load_scenario(BASELINE, overrides={"residents": RESIDENTS})
    return check(scenario, seeds=SEEDS, workers=1)


@pytest.mark.parametrize("target", FITTED, ids=[t.column for t in FITTED])
def test_the_baseline_lands_in_the_band(runs, target):
    value = runs[target.column].mean()
    assert target.holds(value), f"{target.label}: {value:.3f} outside {target.low}-{target.high}"


def test_the_population_has_the_share_with_severe_mental_illness(runs):
    assert EPA.holds(runs["epa_share"].mean())


def test_lonely_residents_lose_ties_faster(runs):
    assert (runs["tie_loss_lonely"] > 1.2 * runs["tie_loss_other"]).all()
