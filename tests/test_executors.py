"""Every batch command runs on local processes or on Dask with bit-identical results, and a
cluster that cannot run anything ends with a message."""

from __future__ import annotations

import pandas as pd
import pytest

from isolation_sim import executors
from isolation_sim.cli import main

from .conftest import BASELINE, SCENARIOS

SMALL = ["--residents", "300"]


@pytest.fixture(scope="module")
def cluster():
    """A Dask cluster on the loopback address, shared by the tests of this module."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None, env={"ISOLATION_SIM_THREADS": "1"}) as local:
        yield local.scheduler_address


def _both(tmp_path, cluster, command: list[str], files: list[str]) -> None:
    """Run ``command`` on two local processes and on the cluster; the files must be equal."""
    assert main([*command, "--workers", "2", "--out", str(tmp_path / "local")]) == 0
    assert main([*command, "--dask", cluster, "--out", str(tmp_path / "dask")]) == 0
    for name in files:
        local, dask = pd.read_csv(tmp_path / "local" / name), pd.read_csv(tmp_path / "dask" / name)
        assert len(local) > 0
        pd.testing.assert_frame_equal(dask, local, check_exact=True)


def test_compare_on_dask_gives_the_numbers_of_local_processes(tmp_path, cluster):
    command = ["compare", str(BASELINE), str(SCENARIOS / "dynamics.toml"), "--replicates", "2", "--weeks", "8",
               *SMALL]
    _both(tmp_path, cluster, command, ["differences.csv", "levels.csv", "who_gains.csv"])


def test_validate_on_dask_local_gives_the_numbers_of_local_processes(tmp_path):
    _both(tmp_path, "local", ["validate", str(BASELINE), "--seeds", "2", *SMALL], ["runs.csv", "targets.csv"])


def test_calibrate_on_dask_gives_the_numbers_of_local_processes(tmp_path, cluster):
    command = ["calibrate", str(BASELINE), "--samples", "10", "--rounds", "1", "--best", "1", "--seeds", "1",
               "--check-seeds", "2", "--dry-run", "--weeks", "104", *SMALL]
    _both(tmp_path, cluster, command, ["samples.csv", "rechecked.csv", "runs.csv"])


def test_a_scheduler_without_workers_ends_with_a_message(tmp_path, capsys, monkeypatch):
    from distributed import LocalCluster

    monkeypatch.setattr(executors, "WAIT_FOR_WORKERS", 1.0)
    with LocalCluster(n_workers=0, host="127.0.0.1", dashboard_address=None) as empty:
        code = main(["validate", str(BASELINE), "--seeds", "2", *SMALL, "--dask", empty.scheduler_address,
                     "--out", str(tmp_path / "never")])
    assert code == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "has had no worker for 1 s" in err and "Traceback" not in err
    assert not (tmp_path / "never").exists()


def test_a_cluster_that_loses_its_workers_ends_the_batch_with_a_message(monkeypatch):
    from concurrent.futures import Executor, Future

    class Deserted(Executor):
        """A cluster whose workers are gone: what it was given never finishes."""

        def workers(self) -> int:
            return 0

        def submit(self, fn, /, *args, **kwargs) -> Future:
            return Future()

    monkeypatch.setattr(executors, "POLL", 0.02)
    monkeypatch.setattr(executors, "WAIT_FOR_WORKERS", 0.1)
    with pytest.raises(executors.WorkerDied, match="no worker for 0.1 s"):
        list(executors.as_finished(pow, [(2, 3)], Deserted(), window=2))
