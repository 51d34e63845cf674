"""Runs per hour of a sweep, and the memory of the process that runs it; written to
``docs/performance.md`` (between the ``<!-- sweep -->`` markers).

    make benchmark                                  # this after benchmarks/run.py
    .venv/bin/python benchmarks/sweep.py --quick   # fewer runs, prints, writes nothing

Throughput: the neighbourhood (baseline.toml, 15,000 residents, 52 weeks of burn-in) over
260 weeks, two levers on a grid with replicates, on 2 local processes and on a Dask
``LocalCluster`` of 2 workers. Memory: the peak RSS of the parent process after a sweep of
100 small runs and after one of 1,000, each in a fresh process: it stays flat because every
run goes to disk as it finishes.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from section import write_section

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline.toml"


def spec(folder: Path, name: str, *, residents: int, weeks: int, replicates: int, burn_in: int = 52) -> Path:
    path = folder / f"{name}.toml"
    path.write_text(f"""[sweep]
name = "{name}"
scenario = "{BASELINE}"
residents = {residents}
weeks = {weeks}
burn_in_weeks = {burn_in}
replicates = {replicates}
ignore_budget = true

[parameters]
buddies = [0, 40]
small_groups = [0, 20]
""", encoding="utf-8")
    return path


def throughput(folder: Path, runs: int, dask: str | None) -> dict:
    """Runs of the neighbourhood over 260 weeks on 2 workers (after one warm-up run)."""
    from isolation_sim.sweep import load_sweep, run_sweep

    run_sweep(load_sweep(spec(folder, "warm", residents=300, weeks=2, replicates=1, burn_in=1)), folder / "warm",
              workers=1)
    sweep = load_sweep(spec(folder, "hood", residents=15_000, weeks=260, replicates=runs // 4))
    started = time.perf_counter()
    done = run_sweep(sweep, folder / ("hood-dask" if dask else "hood-processes"), workers=2, dask=dask)
    seconds = time.perf_counter() - started  # with starting the pool or cluster
    return {"runs": done.ran, "seconds": seconds, "runs_per_hour": 3600 * done.ran / seconds}


def memory(runs: int) -> float:
    """Peak RSS (GiB) of a fresh process that runs a sweep of ``runs`` small runs."""
    code = f"""
import resource, sys, tempfile
from pathlib import Path

from section import write_section
sys.path.insert(0, {str(ROOT / 'benchmarks')!r})
import sweep as bench
from isolation_sim.sweep import load_sweep, run_sweep
folder = Path(tempfile.mkdtemp())
run_sweep(load_sweep(bench.spec(folder, "many", residents=300, weeks=2, replicates={runs // 4}, burn_in=1)),
          folder / "out", workers=1)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 2**30)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer runs; print, do not write the docs")
    args = parser.parse_args()
    runs, small = (8, (40, 200)) if args.quick else (40, (100, 1000))
    folder = Path(tempfile.mkdtemp(prefix="sweep-bench-"))
    rows = []
    for dask in (None, "local"):
        print(f"{runs} runs of the neighbourhood on {'Dask LocalCluster' if dask else 'local processes'} ...",
              flush=True)
        rows.append((dask, throughput(folder, runs, dask)))
        print("  " + json.dumps(rows[-1][1]), flush=True)
    rss = {n: memory(n) for n in small}
    print(f"peak RSS of the sweep's process: {rss}")
    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} on the machine above, with `make benchmark` "
        "(`benchmarks/sweep.py`).",
        "",
        "| executor (2 workers) | runs | seconds | runs per hour | target |",
        "|---|---:|---:|---:|---|",
        *(f"| {'Dask `LocalCluster`' if dask else 'local processes (the default)'} | {r['runs']} | "
          f"{r['seconds']:.0f} | {r['runs_per_hour']:,.0f} | >= 1,000: "
          f"{'met' if r['runs_per_hour'] >= 1000 else 'not met'} |" for dask, r in rows),
        "",
        "Peak memory of the process that runs the sweep (one worker, in-process; 300 residents, 2 weeks "
        "a run): " + ", ".join(f"{rss[n]:.2f} GiB after {n:,} runs" for n in small) + ".",
    ]
    print("\n".join(lines))
    if args.quick:
        return 0
    write_section("sweep", lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
