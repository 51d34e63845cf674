"""Killed work: ``kill -9`` of a ``sweep`` or a ``compare`` process itself (not its group)
leaves no process of theirs running, and the resumed sweep has every run exactly once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from isolation_sim.cli import main
from isolation_sim.sweep import MANIFEST, load_sweep, run_sweep

from .conftest import BASELINE
from .test_sweep import results, write_spec

MARK = "ISOLATION_SIM_TEST_KILLED"  # in the environment of a command and of every process it starts


def theirs(mark: str) -> dict[int, str]:
    """Every running process whose environment holds ``MARK=mark``: its command line."""
    found = {}
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and f"{MARK}={mark}".encode() in (entry / "environ").read_bytes().split(b"\0"):
                found[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()[:120]
        except OSError:  # ended meanwhile, or not ours to read
            continue
    return found


def start(command: list[str], mark: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "isolation_sim.cli", *command], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env={**os.environ, MARK: mark})


def wait_for(condition, what: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"never: {what}"
        time.sleep(0.05)


def kill_alone(process: subprocess.Popen, mark: str) -> None:
    """SIGKILL to ``process`` alone, then wait until no process of its is left."""
    assert process.poll() is None, "the command ended before it was killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    deadline = time.monotonic() + 30
    while (left := theirs(mark)) and time.monotonic() < deadline:
        time.sleep(0.1)
    for pid in left:  # a failed test leaves nothing running either
        os.kill(pid, signal.SIGKILL)
    assert not left, f"left running: {left}"


def test_a_sweep_killed_alone_leaves_no_worker_and_resumes_with_every_run_once(tmp_path, capsys):
    spec = write_spec(tmp_path, "buddies = [0, 5, 10, 15, 20, 25, 30, 35]", "replicates = 3\nweeks = 30", "every = 10")
    out = tmp_path / "out"
    sweep = start(["sweep", str(spec), "--out", str(out), "--workers", "2"], tmp_path.name)
    wait_for(lambda: len(list(out.glob("runs/run-*.parquet"))) >= 4 or sweep.poll() is not None, "4 runs done")
    kill_alone(sweep, tmp_path.name)
    killed_at = len(list(out.glob("runs/run-*.parquet")))
    assert 4 <= killed_at < 24, "the kill did not land mid-way"

    assert main(["sweep", str(spec), "--out", str(out), "--workers", "2"]) == 0
    assert f"{killed_at} of 24 runs were already done" in " ".join(capsys.readouterr().out.split())
    frame = results(out)
    ends = frame[frame["kept"] == "end"]
    assert sorted(ends["run"]) == list(range(24)) and len(frame) == 24 * 5
    assert not frame.duplicated(["run", "kept", "week"]).any()
    assert json.loads((out / MANIFEST).read_text())["runs_done"] == 24
    reference = tmp_path / "reference"
    run_sweep(load_sweep(spec), reference, workers=1)
    pd.testing.assert_frame_equal(frame, results(reference), check_exact=True)


@pytest.mark.parametrize("where, worker", [(["--workers", "2"], "forkserver"), (["--dask", "local"], "spawn_main")],
                         ids=["local processes", "dask local"])
def test_a_compare_killed_alone_leaves_no_worker(tmp_path, where, worker):
    command = ["compare", str(BASELINE), str(BASELINE), "--replicates", "40", "--residents", "300", "--weeks", "60",
               "--out", str(tmp_path / "out"), *where]
    compare = start(command, tmp_path.name)
    wait_for(lambda: sum(worker in line for line in theirs(tmp_path.name).values()) >= 2 or compare.poll() is not None,
             "two workers running")
    time.sleep(1.0)  # the workers at their runs
    kill_alone(compare, tmp_path.name)
    assert not (tmp_path / "out").exists()
