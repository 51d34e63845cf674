"""The shipped baseline lands in the bands of the Dutch figures (docs/validation.md).

Checked on reduced populations with fixed seeds. A scenario's counts are for the 15,000
residents it describes and scale with the residents run (docs/ODD.md 2.6), so a smaller
neighbourhood of the same make-up is a sample of the same regime: the bands hold at two
sizes, and at one of them in the last year of the ten too; where docs/validation.md reports
a miss, the value stays where it reports it.
"""

from __future__ import annotations

import pandas as pd
import pytest

from isolation_sim import load_scenario
from isolation_sim.intervals import mean_interval
from isolation_sim.validation import EPA, FITTED, check

from .conftest import BASELINE

SIZES = (3000, 6000)
SEEDS = 6           # seeds 1 to 6
WHOLE_HORIZON = 6000  # at this size the runs go on to week 520 and the last year is checked too
# Where docs/validation.md reports a miss, the value is held to what it reports instead of
# the band (``(period, column): (low, high)``); today it reports none.
REPORTED: dict[tuple[str, str], tuple[float, float]] = {}


@pytest.fixture(scope="module", params=SIZES, ids=lambda n: f"{n}-residents")
def checked(request) -> tuple[int, pd.DataFrame]:
    scenario = load_scenario(BASELINE, overrides={"residents": request.param})
    return request.param, check(scenario, seeds=SEEDS, workers=1, last_year=request.param == WHOLE_HORIZON)


@pytest.fixture(scope="module")
def runs(checked) -> pd.DataFrame:
    return checked[1][checked[1]["period"] == "first"]


def _holds(target, period: str, values: pd.Series) -> None:
    """The mean of the seeds lies in the band, or so close that its 95% interval reaches
    into it (six seeds are a small sample: one seed's gradient at one step ranges over
    twenty points)."""
    low, high = REPORTED.get((period, target.column), (target.low, target.high))
    mean, ci_low, ci_high = mean_interval(values)
    assert ci_high >= low and ci_low <= high, (
        f"{target.label}, {period} year: {mean:.3f} ({ci_low:.3f} to {ci_high:.3f}) outside {low}-{high}")


@pytest.mark.parametrize("target", FITTED, ids=[t.column for t in FITTED])
def test_the_baseline_lands_in_the_band(runs, target):
    _holds(target, "first", runs[target.column])


@pytest.mark.parametrize("target", FITTED, ids=[t.column for t in FITTED])
def test_the_baseline_stays_in_the_band_in_its_last_year(checked, target):
    size, frame = checked
    if size != WHOLE_HORIZON:
        pytest.skip(f"the last year is checked at {WHOLE_HORIZON:,} residents")
    _holds(target, "last", frame[frame["period"] == "last"][target.column])


def test_the_population_has_the_share_with_severe_mental_illness(runs):
    assert EPA.holds(runs["epa_share"].mean())


def test_lonely_residents_lose_ties_faster(runs):
    assert (runs["tie_loss_lonely"] > 1.2 * runs["tie_loss_other"]).all()
