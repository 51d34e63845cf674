"""The command line: run writes complete outputs, describe shows the offer table."""

from __future__ import annotations

import json

import pandas as pd

from isolation_sim.cli import main
from isolation_sim.outcomes import COLUMNS

from .conftest import BASELINE, SCENARIOS


def test_run_writes_timeseries_summary_and_overview(tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["run", str(BASELINE), "--weeks", "8", "--residents", "600", "--seed", "4", "--out", str(out)])
    assert code == 0
    frame = pd.read_csv(out / "timeseries.csv")
    assert list(frame.columns) == list(COLUMNS) and len(frame) == 9
    summary = json.loads((out / "summary.json").read_text())
    assert summary["scenario"] == "baseline" and summary["seed"] == 4 and summary["residents"] == 600
    png = (out / "overview.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000
    printed = capsys.readouterr().out
    assert "double isolation" in printed and "timeseries.csv" in printed
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary leftovers


def test_run_defaults_to_results_folder_named_after_the_scenario(tmp_path):
    assert main(["run", str(BASELINE), "--weeks", "2", "--residents", "300"]) == 0
    assert (tmp_path / "results" / "baseline" / "timeseries.csv").exists()


def test_bad_input_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text(f'extends = "{BASELINE}"\nname = "bad"\nweeks = -1\n')
    assert main(["run", str(bad), "--out", str(tmp_path / "never")]) == 2
    assert not (tmp_path / "never").exists()
    assert "weeks" in capsys.readouterr().err


def test_unknown_option_is_exit_2(capsys):
    assert main(["run", str(BASELINE), "--wekes", "3"]) == 2
    assert "unrecognized arguments: --wekes" in capsys.readouterr().err


def test_describe_reproduces_the_oud_charlois_table(capsys):
    assert main(["describe", str(SCENARIOS / "oud_charlois.toml")]) == 0
    text = capsys.readouterr().out
    rows = {line.split("│")[1].strip(): [c.strip() for c in line.split("│")[2:8]]
            for line in text.splitlines() if line.startswith("│") and line.split("│")[1].strip()
            in ("meeting", "exercise", "creative", "work", "all")}
    assert rows["meeting"] == ["2", "5", "6", "22", "19", "54"]
    assert rows["exercise"] == ["0", "1", "1", "7", "9", "18"]
    assert rows["creative"] == ["0", "3", "1", "5", "8", "17"]
    assert rows["work"] == ["0", "3", "2", "0", "0", "5"]
    assert rows["all"] == ["2", "12", "10", "34", "36", "94"]
    assert "psychiatric" in text


def test_an_output_folder_that_cannot_be_made_stops_the_run_before_it_starts(tmp_path, capsys):
    (tmp_path / "a file").write_text("")
    assert main(["run", str(BASELINE), "--weeks", "2", "--residents", "300", "--out", str(tmp_path / "a file" / "x")]) == 2
    err = capsys.readouterr().err
    assert "is a file, not a folder" in err and "Traceback" not in err and "residents" not in err  # no run began


def test_describe_says_what_a_level_means_at_the_size_asked_for(capsys):
    assert main(["describe", str(SCENARIOS / "dynamics.toml"), "--residents", "5000"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "Counts at 5,000 residents: the scenario's are for neighbourhoods of 15,000 (x 0.333" in out
    assert "lever buddies │ 30 │ 10" in out and "venues per neighbourhood │ 94 │ 31" in out


def test_an_error_is_printed_as_plain_text(tmp_path, capsys):
    """Square brackets in a message (a file name, a list) are shown, never read as markup."""
    path = tmp_path / "[bold]strategy[red].toml"
    path.write_text(f'name = "x"\nextends = "{BASELINE}"\n[offer]\nproject_end_weeks = [300, 20]\n', encoding="utf-8")
    assert main(["describe", str(path)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert f"{path}:" in err and "[300, 20]" in err


def test_every_refusal_of_a_file_or_flag_is_short(tmp_path, capsys):
    """However large the input (a 50 MB file, a key as long as the file, thousands of
    unknown keys), the message is a few lines."""
    from .corpus import extends, inputs, numbers, specs

    for i, case in enumerate(extends.CASES + inputs.CASES + numbers.CASES + specs.CASES):
        given = tmp_path / str(i)
        given.mkdir()
        assert main(case.make(given)) == 2, case.id
        err = capsys.readouterr().err
        assert len(err) < 3_000 and err.count("\n") < 25, (case.id, len(err))
