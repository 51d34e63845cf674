"""Sweeps: the spec, the design, streaming to Parquet, resuming, executors, and the indices."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from isolation_sim import IsolationModel
from isolation_sim.cli import main
from isolation_sim.scenario import ScenarioError
from isolation_sim.sensitivity import analyse
from isolation_sim.sweep import MANIFEST, RUNS, load_sweep, run_seed, run_sweep

from .conftest import BASELINE, SCENARIOS

SOBOL = SCENARIOS / "sweeps" / "levers_sobol.toml"
MORRIS = SCENARIOS / "sweeps" / "levers_morris.toml"


def write_spec(folder: Path, parameters: str, sweep: str = "", keep: str = "", name: str = "small") -> Path:
    """A small sweep spec over the baseline (300 residents, 4 weeks after 2 of burn-in),
    whose offer and lever levels are counts for those 300 residents."""
    base = folder / "small_baseline.toml"
    base.write_text(f'extends = "{BASELINE}"\nname = "small_baseline"\n[population]\nrepresents = 300\n',
                    encoding="utf-8")
    if "outcomes" not in keep:
        keep = 'outcomes = ["share_double", "participation_rate", "cost_cumulative"]\n' + keep
    given = {line.split("=")[0].strip() for line in sweep.splitlines()}
    defaults = "".join(f"{k} = {v}\n" for k, v in (("residents", 300), ("weeks", 4), ("burn_in_weeks", 2))
                       if k not in given)
    text = (f'[sweep]\nname = "{name}"\nscenario = "{base}"\n{defaults}{sweep}\n[keep]\n{keep}\n'
            f'[parameters]\n{parameters}\n')
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def results(folder) -> pd.DataFrame:
    return pd.read_parquet(Path(folder) / "runs").sort_values(["run", "kept", "week"]).reset_index(drop=True)


# --------------------------------------------------------------------------- the spec
def test_the_shipped_specs_load_and_size_as_they_say():
    sobol = load_sweep(SOBOL)
    assert sobol.runs == 32 * (6 + 2) and sobol.scenario.weeks == 260
    assert sobol.scenario.steering.budget_per_year is None  # ignore_budget
    assert list(sobol.points.columns)[:3] == ["permanent_funding", "presence_hours", "lower_social"]
    morris = load_sweep(MORRIS)
    assert morris.runs == 10 * (13 + 1)
    assert morris.points.min().min() >= 0


BAD_SPECS = [
    # (parameters, [sweep] lines, [keep] lines, what the message must say)
    ("buddies = [0, 10]", "replicats = 2", "", ["sweep.replicats", "unknown key", "replicates"]),
    ("buddies = [0, 10]", "", 'every = 0', ["keep.every", "out of range"]),
    ("buddies = [0, 10]", "", 'outcomes = ["share_dubble"]', ["keep.outcomes", "share_dubble", "share_double"]),
    ("budies = [0, 10]", "", "", ["parameters.budies", "not a numeric scenario setting", "buddies"]),
    ("buddies = { low = 0, high = 10 }", "", "", ["ranges, which need a sampler", "lhs, sobol or morris"]),
    ("buddies = { low = 0, high = 10 }", 'sampler = "sobol"\nsamples = 24', "", ["sweep.samples = 24",
                                                                                "power of two"]),
    ("buddies = { low = 0, high = 10 }", 'sampler = "lhs"', "", ["sweep.samples is required"]),
    ("buddies = { low = 10, high = 0 }", 'sampler = "lhs"\nsamples = 4', "", ["parameters", "must be above low"]),
    ('buddies = "many"', "", "", ["parameters.buddies", "a list of numbers"]),
    ("buddies = [0, true]", "", "", ["parameters.buddies", "a list of numbers"]),
    ("lower_social = [-5, 2]", "", "", ["point 0", "lower_social = -5", "out of range"]),
    ("presence_hours = [0, 200]", "", "", ["point 1", "budget_per_year", "ignore_budget"]),
    ("buddies = [0, 10]", 'sampler = "sobol"\nsamples = 8', "", ["no parameter is a range"]),
    ("buddies = [0, 10]", 'scenario = "nowhere.toml"', "", ["nowhere.toml", "does not exist"]),
    ("buddies = { low = 0, high = inf }", 'sampler = "lhs"\nsamples = 4', "", ["parameters.buddies.high",
                                                                              "finite number"]),
    ("buddies = [0, nan]", "", "", ["parameters.buddies", "finite number"]),
    ("behaviour.contact_gain = [0.05, 0.1]", "", "", ["parameters.behaviour", "dotted key in quotes"]),
    ("buddies = [0, 10]\n'steering.levers.buddies.level' = [5]", "", "", ["set the same setting"]),
    ("buddies = [0, 10]", "levels = 6", "", ["sweep.levels is for sampler = 'morris'"]),
    ("'offer.links' = [1.4, 1.2]", "", "", ["offer.links is a whole number", "the same"]),
]


@pytest.mark.parametrize("parameters, sweep, keep, expected", BAD_SPECS, ids=[b[3][0] for b in BAD_SPECS])
def test_a_bad_spec_stops_before_any_run_with_a_clear_message(tmp_path, capsys, monkeypatch, parameters, sweep,
                                                               keep, expected):
    if sweep.startswith("scenario"):  # the spec's own scenario line replaced
        path = write_spec(tmp_path, parameters)
        path.write_text(path.read_text().replace(f'scenario = "{tmp_path / "small_baseline.toml"}"', sweep),
                        encoding="utf-8")
    else:
        path = write_spec(tmp_path, parameters, sweep, keep)
    monkeypatch.setattr("isolation_sim.sweep.simulate_each", lambda *a, **k: pytest.fail("a run started"))
    out = tmp_path / "out"
    assert main(["sweep", str(path), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert str(path) in err.replace("\n", "") or "nowhere.toml" in err
    for text in expected:
        assert text in err.replace("\n", " "), (text, err)
    assert not out.exists()


def test_a_spec_that_is_not_toml_is_a_clear_error(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text("[sweep\nname = 1", encoding="utf-8")
    assert main(["sweep", str(bad)]) == 2
    assert "not valid TOML" in capsys.readouterr().err


def test_a_design_too_large_is_refused_from_its_size_before_any_point_is_built(tmp_path, monkeypatch):
    from isolation_sim import sweep_design

    monkeypatch.setattr(sweep_design, "design", lambda spec: pytest.fail("the design was built"))
    row = "[" + ", ".join(f"{i / 100:.2f}" for i in range(100)) + "]"  # 100 shares
    grid = "".join(f'"behaviour.{k}" = {row}\n' for k in ("contact_gain", "tie_motivation", "loneliness_rate",
                                                         "help_per_week", "loneliness_place", "coherence_exposure"))
    with pytest.raises(ScenarioError, match="1,000,000,000,000 points x 1 replicates .* more than the 1,000,000"):
        load_sweep(write_spec(tmp_path, grid))
    sobol = 'sampler = "sobol"\nsamples = 262144\nsecond_order = true'
    with pytest.raises(ScenarioError, match="1,572,864 points"):  # 262,144 x (2 x 2 + 2)
        load_sweep(write_spec(tmp_path, "buddies = { low = 0, high = 9 }\nlinks = { low = 0, high = 9 }", sobol))


def test_a_large_design_checks_a_bounded_number_of_points(tmp_path, monkeypatch):
    from isolation_sim import sweep_design
    from isolation_sim.schema import Scenario

    checked = []
    real = Scenario.with_overrides
    monkeypatch.setattr(Scenario, "with_overrides", lambda self, **c: checked.append(c) or real(self, **c))
    ranges = "buddies = { low = 0, high = 9 }\n'behaviour.contact_gain' = { low = 0.01, high = 0.2 }"
    spec = write_spec(tmp_path, ranges, 'sampler = "lhs"\nsamples = 50000')
    sweep = load_sweep(spec)
    assert len(sweep.points) == 50_000
    assert len(checked) <= sweep_design.CHECKED_POINTS + 2 * 2 + 2 + 1  # the extremes, the corners, the base
    assert {"steering.levers.buddies.level": 9} in checked  # each parameter alone at its highest


# --------------------------------------------------------------------------- the design
def test_lists_make_a_full_factorial_and_every_run_its_own_seed(tmp_path):
    sweep = load_sweep(write_spec(tmp_path, "buddies = [0, 10, 20]\nsmall_groups = [0, 5]", "replicates = 2"))
    assert sweep.runs == 12
    assert sorted(map(tuple, sweep.points.to_numpy().tolist())) == [(b, s) for b in (0, 10, 20) for s in (0, 5)]
    seeds = [sweep.entry(r)["seed"] for r in range(sweep.runs)]
    assert len(set(seeds)) == 12 and seeds == [run_seed(1, r) for r in range(12)]


def test_common_seeds_give_every_point_of_a_replicate_the_same_seed(tmp_path):
    sweep = load_sweep(write_spec(tmp_path, "buddies = [0, 10, 20]", "replicates = 2\ncommon_seeds = true"))
    seeds = {(e["point"], e["replicate"]): e["seed"] for e in map(sweep.entry, range(sweep.runs))}
    assert seeds[(0, 0)] == seeds[(1, 0)] == seeds[(2, 0)] != seeds[(0, 1)] == seeds[(2, 1)]


def test_lists_and_ranges_together_run_the_whole_sample_in_each_cell(tmp_path):
    sweep = load_sweep(write_spec(tmp_path, "links = [0, 50]\nbuddies = { low = 0, high = 40 }",
                                  'sampler = "lhs"\nsamples = 5'))
    assert sweep.runs == 10 and list(sweep.points.columns) == ["links", "buddies"]
    first, second = sweep.points.iloc[:5], sweep.points.iloc[5:]
    assert (first["links"] == 0).all() and (second["links"] == 50).all()
    assert first["buddies"].tolist() == second["buddies"].tolist()
    assert ((sweep.points["buddies"] >= 0) & (sweep.points["buddies"] <= 40)).all()


def test_a_whole_number_setting_is_rounded(tmp_path):
    sweep = load_sweep(write_spec(tmp_path, "'offer.links' = { low = 0, high = 9 }", 'sampler = "lhs"\nsamples = 6'))
    assert sweep.points["offer.links"].dtype == np.int64


# --------------------------------------------------------------------------- running
def test_runs_stream_to_a_parquet_dataset_with_a_manifest(tmp_path):
    sweep = load_sweep(write_spec(tmp_path, "buddies = [0, 20]", "replicates = 2", "every = 2"))
    out = tmp_path / "out"
    done = run_sweep(sweep, out, workers=1)
    assert (done.ran, done.skipped, done.complete) == (4, 0, True)
    frame = results(out)  # one line of pandas loads every run
    assert sorted(frame["run"].unique()) == [0, 1, 2, 3]
    assert (frame["kept"] == "end").sum() == 4
    assert sorted(frame.loc[frame["kept"] == "week", "week"].unique()) == [0, 2, 4]
    assert list(frame.columns[:5]) == ["run", "point", "replicate", "seed", "buddies"]
    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["runs_done"] == 4 and manifest["version"] and manifest["spec"]["parameters"]["buddies"] == [0, 20]
    assert [r["status"] for r in manifest["runs"]] == ["done"] * 4
    assert {r["seed"] for r in manifest["runs"]} == set(frame["seed"])
    assert not list(out.glob(".*.tmp"))  # nothing half-written left


def test_a_second_call_does_only_the_missing_runs_and_gives_the_same_rows(tmp_path):
    sweep = load_sweep(write_spec(tmp_path, "buddies = [0, 10, 20]", "replicates = 2"))
    out = tmp_path / "out"
    run_sweep(sweep, out, workers=1)
    before = results(out)
    for run in (1, 4):
        next(out.glob(f"runs/run-*{run}.parquet")).unlink()
    (out / ".run-000004.parquet.tmp").write_bytes(b"half a file")
    again = run_sweep(sweep, out, workers=1)
    assert (again.skipped, again.ran) == (4, 2)
    pd.testing.assert_frame_equal(results(out), before, check_exact=True)
    assert not list(out.glob(".*.tmp"))


def test_a_folder_of_another_sweep_is_refused(tmp_path, capsys):
    spec = write_spec(tmp_path, "buddies = [0, 10]")
    out = tmp_path / "out"
    assert main(["sweep", str(spec), "--out", str(out)]) == 0
    spec.write_text(spec.read_text().replace("buddies = [0, 10]", "buddies = [0, 30]"), encoding="utf-8")
    assert main(["sweep", str(spec), "--out", str(out)]) == 2
    assert "holds runs of another spec" in capsys.readouterr().err
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    assert main(["sweep", str(spec), "--out", str(other)]) == 2
    assert "and holds no sweep" in capsys.readouterr().err
    assert sorted(p.name for p in other.iterdir()) == ["notes.txt"]  # nothing left behind, no lock either
    older = tmp_path / "older"
    older.mkdir()
    (older / "_manifest.json").write_text("{}")
    assert main(["sweep", str(spec), "--out", str(older)]) == 2
    assert "written by an older isolation-sim" in capsys.readouterr().err


def test_a_failing_run_is_recorded_and_the_others_go_on(tmp_path, monkeypatch, capsys):
    spec = write_spec(tmp_path, "buddies = [0, 10, 20]")
    original = IsolationModel.step

    def broken(self, *args, **kwargs):
        if self.params.steering.levers["buddies"].level == 10:
            raise FloatingPointError("the model broke")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(IsolationModel, "step", broken)
    out = tmp_path / "out"
    assert main(["sweep", str(spec), "--out", str(out), "--workers", "1"]) == 1
    assert "1 runs failed" in capsys.readouterr().err
    manifest = json.loads((out / MANIFEST).read_text())
    assert [r["status"] for r in manifest["runs"]] == ["done", "failed", "done"]
    assert "FloatingPointError: the model broke" in manifest["runs"][1]["error"]
    with pytest.raises(ScenarioError, match="1 of 3 runs are not done"):
        analyse(out)
    monkeypatch.setattr(IsolationModel, "step", original)
    assert main(["sweep", str(spec), "--out", str(out), "--workers", "1"]) == 0
    assert sorted(pd.read_parquet(out / "runs")["run"]) == [0, 1, 2]


def test_the_same_runs_come_out_bit_identical_in_process_on_a_pool_and_on_dask(tmp_path):
    spec = load_sweep(write_spec(tmp_path, "buddies = { low = 0, high = 30 }\nlinks = { low = 0, high = 20 }",
                                 'sampler = "lhs"\nsamples = 4\nreplicates = 2', "every = 2"))
    run_sweep(spec, tmp_path / "one", workers=1)
    run_sweep(spec, tmp_path / "pool", workers=2)
    run_sweep(spec, tmp_path / "dask", workers=2, dask="local")
    one = results(tmp_path / "one")
    assert len(one) == 8 * 4
    pd.testing.assert_frame_equal(results(tmp_path / "pool"), one, check_exact=True)
    pd.testing.assert_frame_equal(results(tmp_path / "dask"), one, check_exact=True)


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:9", "127.0.0.1"])
def test_an_unreachable_dask_scheduler_is_a_clear_error(tmp_path, capsys, address):
    spec = write_spec(tmp_path, "buddies = [0, 10]")
    assert main(["sweep", str(spec), "--out", str(tmp_path / "out"), "--dask", address]) == 2
    err = capsys.readouterr().err
    assert "no Dask scheduler could be reached" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()  # refused before any run: no folder, no lock left


def test_a_refused_sweep_removes_only_what_it_wrote(tmp_path, capsys):
    from isolation_sim.sweep_store import unmake

    spec = write_spec(tmp_path, "buddies = [0, 10]")
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["sweep", str(spec), "--out", str(empty), "--dask", "tcp://127.0.0.1:9"]) == 2
    assert empty.is_dir() and not list(empty.iterdir())  # no lock, manifest, design or runs/ left
    results_ = tmp_path / "results"
    (results_ / "sweep" / "runs").mkdir(parents=True)
    for name in (".lock", MANIFEST, "design.parquet"):
        (results_ / "sweep" / name).write_text("")
    (results_ / "baseline").mkdir()
    (results_ / "baseline" / "summary.json").write_text("{}")  # another command's, written meanwhile
    unmake(results_ / "sweep", made=results_)
    assert sorted(p.name for p in results_.iterdir()) == ["baseline"]


def test_a_sweep_killed_before_its_manifest_goes_on_and_strangers_are_kept(tmp_path, capsys):
    sweep = load_sweep(write_spec(tmp_path, "buddies = [0, 10]"))
    run_sweep(sweep, tmp_path / "whole", workers=1)
    begun = tmp_path / "begun"  # what a kill between the lock and the manifest leaves
    (begun / RUNS).mkdir(parents=True)
    (begun / ".lock").write_text("")
    (begun / "design.parquet").write_bytes((tmp_path / "whole" / "design.parquet").read_bytes())
    assert run_sweep(sweep, begun, workers=1).ran == 2
    pd.testing.assert_frame_equal(results(begun), results(tmp_path / "whole"), check_exact=True)
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / ".session.tmp").write_text("mine")
    (mine / ".bashrc").write_text("mine")
    with pytest.raises(ScenarioError, match="not empty"):
        run_sweep(sweep, mine, workers=1)
    assert sorted(p.name for p in mine.iterdir()) == [".bashrc", ".session.tmp"]


def test_a_folder_is_held_by_one_sweep_at_a_time(tmp_path):
    from isolation_sim.sweep_store import lock

    sweep = load_sweep(write_spec(tmp_path, "buddies = [0, 10]"))
    with lock(tmp_path / "out"):
        with pytest.raises(ScenarioError, match="another sweep is running"):
            run_sweep(sweep, tmp_path / "out", workers=1)
    assert run_sweep(sweep, tmp_path / "out", workers=1).ran == 2


def test_a_dying_worker_ends_the_sweep_with_a_clear_message_and_keeps_the_runs(tmp_path, monkeypatch, capsys):
    from concurrent.futures.process import BrokenProcessPool

    import isolation_sim.run as running

    spec = write_spec(tmp_path, "buddies = [0, 10, 20]")
    original = running._simulate_job

    def dies_on_the_second(run, *rest):
        if run.changes["steering.levers.buddies.level"] == 10:
            raise BrokenProcessPool("a child process terminated abruptly")
        return original(run, *rest)

    monkeypatch.setattr(running, "_simulate_job", dies_on_the_second)
    out = tmp_path / "out"
    assert main(["sweep", str(spec), "--out", str(out), "--workers", "1"]) == 1
    err = " ".join(capsys.readouterr().err.split())
    assert "a worker process died" in err and "run the same command again" in err and "Traceback" not in err
    assert json.loads((out / MANIFEST).read_text())["runs_done"] >= 1


# --------------------------------------------------------------------------- the indices
# Costs are the levers' levels times their unit costs: presence hours (3,100 euro each,
# 0-40) cost far more than links (1,000 euro each, 0-5), so every method must rank them so.
COSTLY = "presence_hours = { low = 0, high = 40 }\nlinks = { low = 0, high = 5 }\n"


@pytest.mark.parametrize("sampler, samples, ranked_by", [("sobol", 8, "ST"), ("morris", 4, "mu_star"),
                                                          ("lhs", 16, "S1")])
def test_the_indices_rank_the_lever_that_drives_an_outcome_first(tmp_path, sampler, samples, ranked_by):
    spec = write_spec(tmp_path, COSTLY, f'sampler = "{sampler}"\nsamples = {samples}\ncommon_seeds = true')
    out = tmp_path / "out"
    assert main(["sweep", str(spec), "--out", str(out), "--workers", "1"]) == 0
    assert main(["analyse", str(out)]) == 0
    table = pd.read_csv(out / "analysis" / "indices.csv")
    cost = table[table["outcome"] == "cost_cumulative"].set_index("parameter")
    assert cost.at["presence_hours", ranked_by] > 3 * cost.at["links", ranked_by]
    assert analyse(out).most_important("cost_cumulative") == "presence_hours"
    assert {f"indices-{o}.png" for o in ("share_double", "participation_rate", "cost_cumulative")} <= \
        {p.name for p in (out / "analysis").iterdir()}
    assert len(pd.read_parquet(out / "runs")) == len(pd.read_csv(out / "analysis" / "points.csv"))
    assert main(["analyse", str(out), "--out", str(out / "runs" / "indices")]) == 2  # runs/ holds runs alone


def test_on_a_grid_the_first_order_share_finds_the_driving_lever(tmp_path):
    spec = write_spec(tmp_path, "presence_hours = [0, 20, 40]\nlinks = [0, 5]")
    out = tmp_path / "out"
    run_sweep(load_sweep(spec), out, workers=1)
    result = analyse(out)
    cost = result.indices[result.indices["outcome"] == "cost_cumulative"].set_index("parameter")
    assert cost.at["presence_hours", "S1"] > 0.9 > 0.1 > cost.at["links", "S1"]


def test_with_lists_and_ranges_the_indices_are_per_listed_value(tmp_path):
    spec = write_spec(tmp_path, "links = [0, 5]\npresence_hours = { low = 0, high = 40 }\n"
                                "buddies = { low = 0, high = 4 }", 'sampler = "morris"\nsamples = 4\ncommon_seeds = true')
    out = tmp_path / "out"
    run_sweep(load_sweep(spec), out, workers=1)
    result = analyse(out)
    assert result.by == ["links"] and result.parameters == ["presence_hours", "buddies"]
    cost = result.indices[result.indices["outcome"] == "cost_cumulative"]
    assert sorted(cost["links"].unique()) == [0, 5] and len(cost) == 4
    for _, cell in cost.groupby("links"):
        cell = cell.set_index("parameter")
        assert cell.at["presence_hours", "mu_star"] > 3 * cell.at["buddies", "mu_star"]
    assert main(["analyse", str(out)]) == 0


def test_analyse_refuses_a_folder_that_is_no_sweep(tmp_path, capsys):
    assert main(["analyse", str(tmp_path)]) == 2
    assert "not a sweep folder" in capsys.readouterr().err


# --------------------------------------------------------------------------- Mesa


def test_every_reader_sees_exactly_the_run_rows(tmp_path):
    import duckdb
    import polars as pl

    spec = load_sweep(write_spec(tmp_path, "buddies = [0, 10, 20]\nlinks = [0, 5]", "replicates = 2", "every = 2"))
    out = tmp_path / "out"
    run_sweep(spec, out, workers=1)
    assert main(["analyse", str(out)]) == 0  # its files must not get in the way either
    runs = out / "runs"
    expected = 12 * (1 + 3)  # 6 points x 2 replicates; the end state and weeks 0, 2, 4
    frames = {
        "pandas, the folder": pd.read_parquet(runs),
        "pandas, the glob": pd.concat(pd.read_parquet(p) for p in sorted(runs.glob("*.parquet"))),
        "polars, the folder": pl.read_parquet(runs).to_pandas(),
        "polars, the glob": pl.read_parquet(f"{runs}/*.parquet").to_pandas(),
        "duckdb, the glob": duckdb.sql(f"SELECT * FROM '{runs}/*.parquet'").df(),
        "duckdb, the folder": duckdb.sql(f"SELECT * FROM read_parquet('{runs}/**')").df(),
    }
    one = results(out)
    for reader, frame in frames.items():
        frame = frame.sort_values(["run", "kept", "week"]).reset_index(drop=True)
        assert len(frame) == expected, reader
        assert list(frame.columns) == list(one.columns), reader
        assert frame["run"].nunique() == 12 and frame.groupby("run")["kept"].apply(list).map(
            lambda kept: kept.count("end")).eq(1).all(), reader
        ends = frame[frame["kept"] == "end"]
        assert ends["week"].isna().all() and frame.loc[frame["kept"] == "week", "week"].notna().all(), reader
        np.testing.assert_array_equal(frame["share_double"].to_numpy(float), one["share_double"].to_numpy(float))
