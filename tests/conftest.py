"""Shared helpers: small, fast models of the shipped scenarios."""

from __future__ import annotations

from pathlib import Path

import pytest

from isolation_sim import IsolationModel, load_scenario
from isolation_sim.run import Run

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
BASELINE = SCENARIOS / "baseline.toml"


def small_scenario(residents: int = 1500, seed: int = 3, burn_in: int = 8, path: Path = BASELINE, **changes):
    """The baseline (or ``path``) at a small size, with dotted-key ``changes``. Its offer,
    buddy pool and lever levels are taken as counts for these residents (``represents``),
    so a mechanism test sees the whole offer and every lever unit; tests of what a size
    changes set ``population.represents`` themselves."""
    scenario = load_scenario(path, overrides={"residents": residents, "seed": seed, "burn_in_weeks": burn_in})
    scenario = scenario.with_overrides(**changes) if changes else scenario
    if "population.represents" in changes:
        return scenario
    per_hood = round(scenario.population.residents / scenario.population.neighbourhoods)
    return scenario.with_overrides(**{"population.represents": max(per_hood, 10)})


def small_model(**kwargs) -> IsolationModel:
    return Run(small_scenario(**kwargs)).model()


@pytest.fixture
def model() -> IsolationModel:
    return small_model()


@pytest.fixture(autouse=True)
def _run_in_tmp_cwd(tmp_path, monkeypatch):
    """Tests that write outputs write them in a temporary folder, never in the repo."""
    monkeypatch.chdir(tmp_path)
