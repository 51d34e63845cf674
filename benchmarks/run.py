"""Speed and memory of the model, measured, and written to ``docs/performance.md``.

    make benchmark                                 # the full table (about 10 minutes)
    .venv/bin/python benchmarks/run.py --quick    # small sizes only, prints, writes nothing

Every measurement runs in a fresh Python process, so build time and peak memory (RSS) of
one size do not leak into another. The compiled kernels are warmed up first, so their
one-time compilation is not counted (it is reported on its own). The per-agent Mesa
reference is timed over a few weeks and its 520-week time extrapolated; the table says so.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from section import write_section

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline.toml"
ROTTERDAM = ROOT / "scenarios" / "rotterdam.toml"
WEEKS = 520

# (label, implementation, scenario, residents, neighbourhoods, weeks timed)
FULL = [
    ("reference, per-agent Mesa", "reference", BASELINE, 10_000, 1, 4),
    ("model", "model", BASELINE, 10_000, 1, WEEKS),
    ("model, neighbourhood", "model", BASELINE, 15_000, 1, WEEKS),
    ("model", "model", BASELINE, 100_000, 7, WEEKS),
    ("model, city (rotterdam.toml)", "model", ROTTERDAM, 650_000, 43, WEEKS),
]
QUICK = [
    ("reference, per-agent Mesa", "reference", BASELINE, 2_000, 1, 2),
    ("model", "model", BASELINE, 2_000, 1, 52),
    ("model", "model", BASELINE, 15_000, 1, 52),
]


def measure(implementation: str, scenario: str, residents: int, hoods: int, weeks: int) -> dict:
    """Runs inside a child process: build, run ``weeks`` weeks, report times and peak RSS."""
    import resource

    sys.path.insert(0, str(ROOT / "src"))
    from isolation_sim import load_scenario
    from isolation_sim.run import Run

    overrides = {"residents": residents, "population.neighbourhoods": hoods, "burn_in_weeks": 0,
                 "ignore_budget": True}
    spec = load_scenario(scenario, overrides=overrides)

    started = time.perf_counter()
    Run.of(spec, residents=200).model().run(weeks=2)
    warm_up = time.perf_counter() - started

    if implementation == "reference":
        import importlib.util

        path = ROOT / "benchmarks" / "reference_mesa.py"
        module_spec = importlib.util.spec_from_file_location("reference_mesa", path)
        module = importlib.util.module_from_spec(module_spec)
        module_spec.loader.exec_module(module)
        build = lambda: module.ReferenceModel(spec)  # noqa: E731
    else:
        build = lambda: Run(spec).model()  # noqa: E731

    started = time.perf_counter()
    model = build()
    build_seconds = time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(weeks):
        model.step()
    run_seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {"warm_up_seconds": warm_up, "build_seconds": build_seconds, "run_seconds": run_seconds,
            "weeks": weeks, "residents": residents, "peak_rss_bytes": peak}


def in_child(implementation, scenario, residents, hoods, weeks) -> dict:
    code = (f"import json, sys; sys.path.insert(0, {str(ROOT / 'benchmarks')!r}); import run; "
            f"print(json.dumps(run.measure({implementation!r}, {str(scenario)!r}, {residents}, {hoods}, {weeks})))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    import numba
    import numpy

    from isolation_sim import parallel

    return (f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB; Python {platform.python_version()}, "
            f"numpy {numpy.__version__}, numba {numba.__version__}; {parallel.threads()} threads per model")


def table(rows: list[tuple[str, dict]]) -> list[str]:
    lines = ["| run | residents | weeks timed | resident-weeks/s | s per 520 weeks | build s | peak RSS |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for label, r in rows:
        rate = r["residents"] * r["weeks"] / r["run_seconds"]
        per_520 = r["run_seconds"] / r["weeks"] * WEEKS
        note = "" if r["weeks"] == WEEKS else " (extrapolated)"
        lines.append(f"| {label} | {r['residents']:,} | {r['weeks']} | {rate:,.0f} | {per_520:,.1f}{note} | "
                     f"{r['build_seconds']:.2f} | {r['peak_rss_bytes'] / 2**30:.2f} GiB |")
    return lines


def verdicts(rows: list[tuple[str, dict]]) -> list[str]:
    by = {(lbl.split(",")[0], r["residents"]): r for lbl, r in rows}

    def per_rw(r):
        return r["run_seconds"] / (r["residents"] * r["weeks"])

    out = []
    city, hood = by.get(("model", 650_000)), by.get(("model", 15_000))
    ref, small = by.get(("reference", 10_000)), by.get(("model", 10_000))
    if city:
        seconds = per_rw(city) * 650_000 * WEEKS
        out.append(f"| city: 650k residents x 520 weeks | <= 120 s, peak RSS <= 4 GB | {seconds:.0f} s, "
                   f"{city['peak_rss_bytes'] / 2**30:.2f} GiB | {'met' if seconds <= 120 and city['peak_rss_bytes'] <= 4 * 2**30 else 'not met'} |")
        out.append(f"| building the city (population + graph) | <= 30 s | {city['build_seconds']:.1f} s | "
                   f"{'met' if city['build_seconds'] <= 30 else 'not met'} |")
    if hood:
        seconds = per_rw(hood) * 15_000 * WEEKS
        out.append(f"| neighbourhood: 15k residents x 520 weeks | <= 3 s | {seconds:.1f} s | "
                   f"{'met' if seconds <= 3 else 'not met'} |")
    if ref and small:
        speedup = per_rw(ref) / per_rw(small)
        out.append(f"| vs the per-agent reference at 10k residents | >= 50x faster | {speedup:.0f}x | "
                   f"{'met' if speedup >= 50 else 'not met'} |")
    if city and small:
        growth = per_rw(city) / per_rw(small)
        out.append(f"| time per resident-week, 10k -> 650k | grows by at most 1.5x | {growth:.2f}x | "
                   f"{'met' if growth <= 1.5 else 'not met'} |")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes only; print, do not write the docs")
    args = parser.parse_args()
    plan = QUICK if args.quick else FULL
    rows = []
    for label, implementation, scenario, residents, hoods, weeks in plan:
        print(f"measuring {label} at {residents:,} residents over {weeks} weeks ...", flush=True)
        result = in_child(implementation, scenario, residents, hoods, weeks)
        rows.append((label, result))
        print("  " + table([(label, result)])[-1], flush=True)
    warm = max(r["warm_up_seconds"] for _, r in rows)
    text = "\n".join(table(rows))
    print(text)
    if args.quick:
        return 0
    write_section("measured", [
        f"Measured {time.strftime('%Y-%m-%d')} on {machine()}, with `make benchmark`.",
        "",
        *table(rows),
        "",
        "| target | wanted | measured | |",
        "|---|---|---|---|",
        *verdicts(rows),
        "",
        f"Not in the times above: the first model in a process (200 residents, 2 weeks) took up to {warm:.1f} s; "
        "on a machine that has never run the model this includes compiling the kernels, which are then "
        "cached in `__pycache__`.",
    ])
    return 0


if __name__ == "__main__":
    sys.exit(main())
