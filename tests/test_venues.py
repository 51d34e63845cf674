"""The offer: the Oud Charlois inventory is reproduced exactly, whatever the seed."""

from __future__ import annotations

import numpy as np
import pytest

from isolation_sim import load_scenario
from isolation_sim.venues import DISTANCE, build_venues, draw_threshold_sets

from .conftest import SCENARIOS

OUD_CHARLOIS = np.array([[2, 5, 6, 22, 19], [0, 1, 1, 7, 9], [0, 3, 1, 5, 8], [0, 3, 2, 0, 0]])


@pytest.mark.parametrize("name", ["oud_charlois.toml", "baseline.toml"])
@pytest.mark.parametrize("seed", [1, 2, 3, 99])
def test_oud_charlois_table_is_reproduced_exactly(name, seed):
    scenario = load_scenario(SCENARIOS / name, overrides={"seed": seed})
    venues = build_venues(scenario)
    table = venues.threshold_table()
    assert (table == OUD_CHARLOIS).all()
    assert table.sum() == 94 and table[:, 0].sum() == 2


def test_distance_threshold_means_beyond_walking_distance():
    venues = build_venues(load_scenario(SCENARIOS / "oud_charlois.toml"))
    far = venues.distance_from_centre() > venues.walk_radius_km
    assert (far == venues.thresholds[:, DISTANCE]).all()


def test_threshold_sets_have_exactly_the_requested_number():
    rng = np.random.default_rng(0)
    counts = rng.integers(0, 5, 1000)
    sets = draw_threshold_sets(counts, (0.6, 0.9, 1.0, 1.0), rng)
    assert (sets.sum(axis=1) == counts).all()


def test_inventory_is_repeated_in_every_neighbourhood():
    scenario = load_scenario(SCENARIOS / "oud_charlois.toml", overrides={"population.neighbourhoods": 3,
                                                                          "residents": 45_000})
    venues = build_venues(scenario)
    assert len(venues) == 3 * 94
    assert (np.bincount(venues.hood) == 94).all()
    # three neighbourhoods of 5,000: each a third of the offer, in the same profile
    third = build_venues(scenario.with_overrides(residents=15_000))
    assert (np.bincount(third.hood) == 31).all()
