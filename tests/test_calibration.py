"""Calibration: the distance to the targets, the sample, and writing the fit back."""

from __future__ import annotations

import shutil

import pandas as pd

from isolation_sim import cli, load_scenario
from isolation_sim.calibration import FREE, distance, sample, write_fitted
from isolation_sim.validation import FITTED

from .conftest import SCENARIOS


def test_the_distance_grows_as_values_leave_their_bands():
    middle = {t.column: t.middle for t in FITTED}
    edge = {t.column: t.low for t in FITTED}
    outside = {t.column: t.low - (t.high - t.low) for t in FITTED}
    assert distance(middle) == 0.0
    assert abs(distance(edge) - 1.0) < 1e-9
    assert distance(outside) > 2.9
    # over two periods: the root mean square over both, so a miss in either counts ...
    assert distance(middle, middle) == 0.0
    assert abs(distance(edge, edge) - (2 / 3) ** 0.5) < 1e-9
    assert distance(middle, outside) > distance(middle, edge)
    # ... and over the change between them: staying at the edge is closer than moving to it
    assert distance(middle, edge) > distance(edge, edge)
    assert abs(distance(middle, edge) - ((1 + 4) / 3) ** 0.5) < 1e-9


def test_the_sample_covers_every_range_evenly():
    points = sample(40, seed=3)
    assert list(points.columns) == [f.key for f in FREE]
    for f in FREE:
        # a Latin hypercube puts one point in each of 40 equal slices of the range
        slices = ((points[f.key] - f.low) / (f.high - f.low) * 40).astype(int)
        assert sorted(slices) == list(range(40))
    assert points.equals(sample(40, seed=3)) and not points.equals(sample(40, seed=4))


def test_fitted_values_are_written_into_the_file_keeping_its_comments(tmp_path):
    shutil.copytree(SCENARIOS, tmp_path / "s")
    root = tmp_path / "s" / "oud_charlois.toml"
    write_fitted(root, {"behaviour.loneliness_base": 0.0712, "behaviour.contact_chance.family": 0.8,
                        "population.family_nearby": 0.3})
    text = root.read_text()
    assert text.startswith("# Oud Charlois") and "[offer.inventory]" in text
    scenario = load_scenario(tmp_path / "s" / "baseline.toml")
    assert scenario.behaviour.loneliness_base == 0.071
    assert scenario.behaviour.contact_chance["family"] == 0.8
    assert scenario.behaviour.contact_chance["friend"] == load_scenario(
        SCENARIOS / "baseline.toml").behaviour.contact_chance["friend"]
    assert scenario.population.family_nearby == 0.3


def test_calibrate_fits_writes_the_root_file_and_reports(tmp_path, capsys):
    shutil.copytree(SCENARIOS, tmp_path / "s")
    before = (tmp_path / "s" / "oud_charlois.toml").read_text()
    out = tmp_path / "cal"
    assert cli.main(["calibrate", str(tmp_path / "s" / "baseline.toml"), "--samples", "10", "--rounds", "2", "--best", "2",
                     "--seeds", "1", "--check-seeds", "2", "--residents", "400", "--weeks", "104",
                     "--workers", "1", "--out", str(out)]) == 0
    assert {p.name for p in out.iterdir()} == {"samples.csv", "posterior.csv", "rechecked.csv", "runs.csv",
                                               "targets.csv", "spells.csv", "targets.png"}
    samples = pd.read_csv(out / "samples.csv")
    assert len(samples) == 20 and samples["distance"].notna().all()
    # each point is measured and scored in the first and in the last year of its 104 weeks
    for t in FITTED:
        assert samples[t.column].notna().all() and samples[f"{t.column}_last"].notna().all()
    row = samples.iloc[0]
    assert abs(row["distance"] - distance({t.column: row[t.column] for t in FITTED},
                                          {t.column: row[f"{t.column}_last"] for t in FITTED})) < 1e-9
    assert set(pd.read_csv(out / "targets.csv")["period"]) == {"first", "last"}
    first, second = samples[samples["round"] == 1], samples[samples["round"] == 2]
    kept = first.nsmallest(2, "distance")  # --accept 0.1 of 10 points keeps at least 2
    for f in FREE:  # the second round samples the box of the points kept, a tenth wider each side
        low, high = kept[f.key].min(), kept[f.key].max()
        box = (max(f.low, low - 0.1 * (high - low)) - 1e-9, min(f.high, high + 0.1 * (high - low)) + 1e-9)
        assert second[f.key].between(*box).all()
    after = (tmp_path / "s" / "oud_charlois.toml").read_text()
    assert after != before and "[behaviour]" in after
    chosen = pd.read_csv(out / "rechecked.csv").sort_values("distance").iloc[0]
    fitted = load_scenario(tmp_path / "s" / "baseline.toml").behaviour
    assert fitted.loneliness_place == round(chosen["behaviour.loneliness_place"], 3)
    assert "in band" in capsys.readouterr().out


def test_calibrate_stops_before_any_run_when_a_closer_file_would_hide_the_fit(tmp_path, capsys):
    shutil.copytree(SCENARIOS, tmp_path / "s")
    baseline = tmp_path / "s" / "baseline.toml"
    baseline.write_text(baseline.read_text() + "\n[behaviour]\nloneliness_base = 0.05\n")
    before = (tmp_path / "s" / "oud_charlois.toml").read_text()
    assert cli.main(["calibrate", str(baseline), "--out", str(tmp_path / "never")]) == 2
    err = capsys.readouterr().err
    assert "behaviour.loneliness_base" in err and "baseline.toml" in err
    assert not (tmp_path / "never").exists()
    assert (tmp_path / "s" / "oud_charlois.toml").read_text() == before


def test_calibrate_refuses_a_bad_share(capsys):
    assert cli.main(["calibrate", str(SCENARIOS / "baseline.toml"), "--accept", "1.5"]) == 2
    assert "--accept 1.5" in capsys.readouterr().err
