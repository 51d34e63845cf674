"""The command line: ``isolation-sim run``, ``describe``, ``validate``, ``calibrate``, ``compare``, ``sweep``
and ``analyse``.

Bad input never ends in a traceback: the message names the file, the key and what is
allowed, and the exit status is 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeElapsedColumn,
                           TimeRemainingColumn)
from rich.table import Table
from rich.text import Text

from .executors import WorkerDied
from .outcomes import fmt, fmt_interval, kind, label
from .scenario import ScenarioError, load_scenario

EXIT_BAD_INPUT = 2
console = Console()
errors = Console(stderr=True)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own errors, with our exit code
        self.print_usage(sys.stderr)
        errors.print(f"[bold red]error:[/] {message}", highlight=False)
        raise SystemExit(EXIT_BAD_INPUT)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="isolation-sim", description="Simulate social marginalisation and how steering changes it.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    run = sub.add_parser("run", help="run a scenario and write its time series, summary and overview plot")
    run.add_argument("scenario", type=Path, help="scenario file (TOML)")
    run.add_argument("--weeks", type=int, help="weeks to simulate (default: the scenario's)")
    run.add_argument("--seed", type=int, help="random seed (default: the scenario's)")
    run.add_argument("--residents", type=int, help="number of residents (default: the scenario's)")
    run.add_argument("--out", type=Path, help="output folder (default: results/<scenario name>)")

    describe = sub.add_parser("describe", help="show a scenario's population and offer")
    describe.add_argument("scenario", type=Path, help="scenario file (TOML)")

    validate = sub.add_parser("validate", help="hold a scenario's first year against the Dutch figures (docs/validation.md)")
    validate.add_argument("scenario", type=Path, help="scenario file (TOML)")
    validate.add_argument("--seeds", type=int, default=20, help="seeds to average over (default: 20)")
    validate.add_argument("--residents", type=int, help="number of residents (default: the scenario's)")
    validate.add_argument("--workers", type=int, default=2, help="processes to run seeds on (default: 2)")
    _add_dask(validate)
    validate.add_argument("--out", type=Path, help="output folder (default: results/<scenario name>-validation)")

    calibrate = sub.add_parser("calibrate", help="fit the free parameters to the Dutch figures (ABC) and write them "
                                                 "into the scenario files")
    calibrate.add_argument("scenario", type=Path, help="scenario file (TOML) to fit, e.g. scenarios/baseline.toml")
    calibrate.add_argument("--samples", type=int, default=300,
                           help="points of the Latin hypercube in each round (default: 300)")
    calibrate.add_argument("--rounds", type=int, default=2,
                           help="rounds, each sampling the box of the points kept in the one before (default: 2)")
    calibrate.add_argument("--accept", type=float, default=0.1,
                           help="share of the closest points kept as the posterior (default: 0.1)")
    calibrate.add_argument("--best", type=int, default=6, help="closest points run again on more seeds (default: 6)")
    calibrate.add_argument("--seeds", type=int, default=4, help="seeds for each of those (default: 4)")
    calibrate.add_argument("--check-seeds", type=int, default=20,
                           help="seeds for the final check of the written values (default: 20)")
    calibrate.add_argument("--seed", type=int, default=1, help="seed of the sample and of its runs (default: 1)")
    calibrate.add_argument("--residents", type=int, help="number of residents (default: the scenario's)")
    calibrate.add_argument("--workers", type=int, default=2, help="processes to run on (default: 2)")
    _add_dask(calibrate)
    calibrate.add_argument("--write", type=Path,
                           help="scenario file to write the fitted values into (default: the root of the "
                                "scenario's 'extends' chain, so every scenario built on it uses them)")
    calibrate.add_argument("--dry-run", action="store_true", help="fit and report, but write no scenario file")
    calibrate.add_argument("--out", type=Path, help="output folder (default: results/<scenario name>-calibration)")
    compare = sub.add_parser("compare", help="run scenarios side by side with common random numbers and write a "
                                             "report of their differences")
    compare.add_argument("scenarios", type=Path, nargs="+", metavar="SCENARIO",
                         help="scenario files (TOML); the first is the reference the others are held against")
    compare.add_argument("--replicates", type=int, default=10,
                         help="runs of each scenario; replicate i uses seed SEED+i in all of them (default: 10)")
    compare.add_argument("--weeks", type=int, help="weeks to simulate (default: the first scenario's)")
    compare.add_argument("--seed", type=int, help="seed of the first replicate (default: the first scenario's)")
    compare.add_argument("--residents", type=int, help="number of residents, for all (default: the scenarios', "
                                                      "which must be the same)")
    compare.add_argument("--workers", type=int, default=2, help="processes to run on (default: 2)")
    _add_dask(compare)
    compare.add_argument("--out", type=Path, help="output folder (default: results/compare-<names>)")

    sweep = sub.add_parser("sweep", help="run a parameter sweep (a sweep spec, TOML) into a Parquet dataset; "
                                         "run it again to finish an interrupted sweep")
    sweep.add_argument("spec", type=Path, help="sweep spec (TOML), e.g. scenarios/sweeps/levers_sobol.toml")
    sweep.add_argument("--out", type=Path, help="output folder (default: results/sweep-<name>)")
    sweep.add_argument("--workers", type=int, default=2, help="processes to run on (default: 2)")
    _add_dask(sweep)

    analyse = sub.add_parser("analyse", help="sensitivity indices (Sobol', Morris) of a finished sweep, as CSV "
                                             "and figures")
    analyse.add_argument("folder", type=Path, help="the sweep's output folder")
    analyse.add_argument("--out", type=Path, help="output folder (default: FOLDER/analysis)")

    app = sub.add_parser("app", help="start the live workshop app: two strategies side by side in a browser")
    app.add_argument("scenario", type=Path, nargs="?", default=Path("scenarios/baseline.toml"),
                     help="scenario file of strategy A (default: scenarios/baseline.toml); the page offers "
                          "every scenario in its folder")
    app.add_argument("--second", default="dynamics", help="scenario name of strategy B (default: dynamics)")
    app.add_argument("--residents", type=int, help="number of residents (default: the scenarios')")
    app.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this "
                                                         "machine only)")
    app.add_argument("--port", type=int, default=8765, help="port (default: 8765)")
    app.add_argument("--language", choices=("nl", "en"), default="nl", help="language the page opens in "
                                                                          "(default: nl); switchable on the page")
    return parser


def _add_dask(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dask", metavar="ADDRESS", help="run on the Dask scheduler at ADDRESS (tcp://host:8786), "
                                                          "or 'local' for a LocalCluster of --workers processes")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "describe":
            return _describe(args)
        if args.command == "validate":
            return _validate(args)
        if args.command == "calibrate":
            return _calibrate(args)
        if args.command == "compare":
            return _compare(args)
        if args.command == "sweep":
            return _sweep(args)
        if args.command == "analyse":
            return _analyse(args)
        if args.command == "app":
            return _app(args)
        return _run(args)
    except ScenarioError as exc:
        errors.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        return EXIT_BAD_INPUT
    except WorkerDied as exc:
        errors.print(f"[bold red]error:[/] {exc}; nothing was written", highlight=False, soft_wrap=True)
        return 1
    except KeyboardInterrupt:
        errors.print("interrupted: nothing was written")
        return 130


def _describe(args) -> int:
    from .describe import describe

    scenario = load_scenario(args.scenario)
    for table in describe(scenario):
        console.print(table)
    return 0


def _run(args) -> int:
    from .run import run_scenario
    from .summary import write_outputs

    scenario = load_scenario(args.scenario, overrides={"weeks": args.weeks, "seed": args.seed,
                                                       "residents": args.residents})
    out = _output_folder(args.out, scenario.name)
    with _progress("weeks") as bar:
        task = bar.add_task(f"{scenario.name}: {scenario.population.residents:,} residents", total=scenario.weeks)
        result = run_scenario(scenario, progress=lambda week: bar.update(task, completed=week))
    write_outputs(result, out)
    console.print(_summary_table(result.summary))
    console.print(f"Run took {result.summary['run_seconds']:.1f} s. Written to [bold]{out}[/]: "
                  "timeseries.csv, summary.json, overview.png")
    return 0


def _output_folder(given: Path | None, default: str) -> Path:
    out = given or Path("results") / default
    if out.exists() and not out.is_dir():
        raise ScenarioError(f"--out {out}: exists and is not a folder")
    return out


def _progress(unit: str, *extra: ProgressColumn) -> Progress:
    columns = (TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn(unit),
               *extra, TimeElapsedColumn(), TimeRemainingColumn())
    return Progress(*columns, console=errors, transient=False)


class _PerHour(ProgressColumn):
    """The rate of the last half minute, per hour."""

    def render(self, task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{3600 * speed:,.0f}/hour" if speed else "-/hour", style="progress.data.speed")


def _check(scenario, seeds: int, workers: int, dask: str | None):
    """Run the validation seeds with a progress bar; the comparison with the targets and
    the files that show it."""
    from . import plots
    from .validation import YEAR, check, compare_with_targets

    with _progress("seeds") as bar:
        task = bar.add_task(f"{scenario.name}: {scenario.population.residents:,} residents, "
                            f"burn-in {scenario.burn_in_weeks} + {YEAR.stop - 1} weeks", total=seeds)
        runs = check(scenario, seeds=seeds, workers=workers, dask=dask,
                     progress=lambda done: bar.update(task, completed=done))
    comparison = compare_with_targets(runs)
    files = {
        "runs.csv": lambda path: runs.to_csv(path, index=False),
        "targets.csv": lambda path: comparison.to_csv(path, index=False),
        "targets.png": lambda path: plots.targets(comparison).savefig(path, dpi=130),
    }
    return comparison, files


def _targets_table(comparison, title: str) -> Table:
    table = Table(title=title)
    for name, justify in (("pattern", "left"), ("target", "right"), ("simulated (95% interval)", "right"),
                          ("in band", "center")):
        table.add_column(name, justify=justify)
    for row in comparison.itertuples():
        table.add_row(row.label, f"{100 * row.low:.1f}-{100 * row.high:.1f}%",
                      f"{100 * row.simulated:.1f}% ({100 * row.ci_low:.1f}-{100 * row.ci_high:.1f})",
                      "yes" if row.holds else "[bold red]no[/]")
    return table


def _validate(args) -> int:
    from .files import write_folder

    if args.seeds < 2 or args.workers < 1:
        raise ScenarioError(f"--seeds {args.seeds} --workers {args.workers}: need at least 2 seeds and 1 worker")
    scenario = load_scenario(args.scenario, overrides={"residents": args.residents})
    out = _output_folder(args.out, f"{scenario.name}-validation")
    comparison, files = _check(scenario, args.seeds, args.workers, args.dask)
    write_folder(out, files)
    console.print(_targets_table(comparison, f"{scenario.name}: first year after the burn-in, "
                                             f"mean of {args.seeds} seeds"))
    console.print(f"Written to [bold]{out}[/]: {', '.join(files)}")
    return 0


def _calibrate(args) -> int:
    from .calibration import FREE, calibrate, runs_needed, write_fitted
    from .files import write_folder
    from .scenario import extends_chain

    for name, value, least in (("--samples", args.samples, 10), ("--rounds", args.rounds, 1),
                               ("--best", args.best, 1), ("--seeds", args.seeds, 1),
                               ("--check-seeds", args.check_seeds, 2), ("--workers", args.workers, 1)):
        if value < least:
            raise ScenarioError(f"{name} {value}: must be at least {least}")
    if not 0.0 < args.accept <= 1.0:
        raise ScenarioError(f"--accept {args.accept}: must be a share above 0 and at most 1")
    overrides = {"residents": args.residents}
    scenario = load_scenario(args.scenario, overrides=overrides)
    out = _output_folder(args.out, f"{scenario.name}-calibration")
    chain = extends_chain(args.scenario)
    target = args.write or chain[-1]
    if not args.dry_run:
        _check_writable(args.scenario, target, chain, [f.key for f in FREE])

    total = runs_needed(args.samples, args.rounds, args.best, args.seeds)
    with _progress("runs") as bar:
        task = bar.add_task(f"{scenario.name}: ABC over {len(FREE)} parameters", total=total)
        fit = calibrate(scenario, samples=args.samples, rounds=args.rounds, accept=args.accept, best=args.best,
                        seeds=args.seeds, seed=args.seed, workers=args.workers, dask=args.dask,
                        progress=lambda done: bar.update(task, completed=done))
    files = {
        "samples.csv": lambda path: fit.samples.to_csv(path, index=False),
        "posterior.csv": lambda path: fit.posterior.to_csv(path, index=False),
        "rechecked.csv": lambda path: fit.rechecked.to_csv(path, index=False),
    }
    table = Table(title=f"posterior: the closest {args.accept:.0%} of {args.samples} points in round {args.rounds}, "
                        "and the value chosen")
    for name, justify in (("parameter", "left"), ("range sampled", "right"), ("posterior mean (5-95%)", "right"),
                          ("chosen", "right")):
        table.add_column(name, justify=justify)
    for row in fit.posterior.itertuples():
        table.add_row(row.parameter.split(".", 1)[1], f"{row.low:g}-{row.high:g}",
                      f"{row.mean:.3f} ({row.p05:.3f}-{row.p95:.3f})", f"{fit.chosen[row.parameter]:.3f}")
    console.print(table)
    if args.dry_run:
        scenario = scenario.with_overrides(**fit.chosen)
    else:
        write_fitted(target, fit.chosen)
        console.print(f"Fitted values written into [bold]{target}[/]")
        scenario = load_scenario(args.scenario, overrides=overrides)
    comparison, check_files = _check(scenario, args.check_seeds, args.workers, args.dask)
    write_folder(out, files | check_files)
    console.print(_targets_table(comparison, f"{scenario.name} with the fitted values: first year after the "
                                             f"burn-in, mean of {args.check_seeds} seeds"))
    console.print(f"Written to [bold]{out}[/]: {', '.join(files | check_files)}")
    return 0


def _compare(args) -> int:
    from .compare import compare, prepare
    from .report import write_comparison

    for name, value, least in (("--replicates", args.replicates, 2), ("--workers", args.workers, 1)):
        if value < least:
            raise ScenarioError(f"{name} {value}: must be at least {least}")
    names, scenarios = prepare(args.scenarios, weeks=args.weeks, residents=args.residents,
                               seed=args.seed)  # every file checked before any run
    out = _output_folder(args.out, "compare-" + "-".join(names)[:80])
    total = len(scenarios) * args.replicates
    with _progress("runs") as bar:
        task = bar.add_task(f"{len(scenarios)} scenarios x {args.replicates} replicates, "
                            f"{scenarios[0].weeks} weeks", total=total)
        cmp = compare(scenarios, replicates=args.replicates, seed=args.seed, workers=args.workers, dask=args.dask,
                      progress=lambda done: bar.update(task, completed=done))
    write_comparison(cmp, out)
    console.print(_differences_table(cmp))
    console.print(_costs_table(cmp))
    console.print(f"{total} runs took {cmp.seconds:.0f} s. Written to [bold]{out}[/]: report.html, "
                  "differences.csv, figures (PNG) and the replicates (Parquet)")
    return 0


def _sweep(args) -> int:
    from .sweep import SweepFailed, load_sweep, run_sweep

    if args.workers < 1:
        raise ScenarioError(f"--workers {args.workers}: must be at least 1")
    sweep = load_sweep(args.spec)  # the spec and every point checked before any run
    out = args.out or Path("results") / f"sweep-{sweep.spec.sweep.name}"
    where = f"Dask ({args.dask})" if args.dask else f"{args.workers} worker{'s' * (args.workers > 1)}"
    console.print(f"Sweep '{sweep.spec.sweep.name}': {sweep.runs} runs ({len(sweep.points)} points x "
                  f"{sweep.spec.sweep.replicates} replicates) of {sweep.scenario.name}, "
                  f"{sweep.scenario.population.residents:,} residents, {sweep.scenario.weeks} weeks")
    with _progress("runs", _PerHour()) as bar:
        task = bar.add_task(f"{sweep.spec.sweep.name} on {where}", total=sweep.runs)
        state = {"first": True}

        def progress(done: int) -> None:
            if state.pop("first", False):  # runs done before: no part of this call's rate
                bar.reset(task, total=sweep.runs, completed=done)
            else:
                bar.update(task, completed=done)

        try:
            result = run_sweep(sweep, out, workers=args.workers, dask=args.dask, progress=progress)
        except KeyboardInterrupt:
            bar.stop()
            errors.print(f"interrupted: the finished runs are in {out}; run the same command again to go on")
            return 130
        except SweepFailed as exc:
            bar.stop()
            errors.print(f"[bold red]error:[/] {exc}", highlight=False)
            return 1
    if result.skipped:
        console.print(f"{result.skipped} of {result.total} runs were already done in {out}.")
    console.print(f"{result.ran} runs took {result.seconds:,.0f} s ({result.runs_per_hour:,.0f} runs/hour). "
                  f"Written to [bold]{out}[/]: one Parquet file per run in runs/ (pd.read_parquet('{out}/runs')), "
                  "manifest.json and design.parquet")
    if result.failed:
        first = min(result.failed)
        errors.print(f"[bold red]{len(result.failed)} runs failed[/] (see manifest.json); run {first}: "
                     f"{result.failed[first]}", highlight=False)
        return 1
    console.print(f"Next: isolation-sim analyse {out}")
    return 0


def _analyse(args) -> int:
    from .sensitivity import analyse, write_analysis
    from .sweep import RUNS

    analysis = analyse(args.folder)
    out = _output_folder(args.out, "") if args.out else args.folder / "analysis"
    runs = (args.folder / RUNS).resolve()
    if out.resolve() == args.folder.resolve() or out.resolve().is_relative_to(runs):
        raise ScenarioError(f"--out {out}: the sweep's folder and its runs/ hold the runs alone; give a folder "
                            "beside them (the default is FOLDER/analysis)")
    files = write_analysis(analysis, out)
    console.print(_indices_table(analysis))
    console.print(f"Written to [bold]{out}[/]: {', '.join(files[:3])}{', ...' if len(files) > 3 else ''}")
    return 0


def _indices_table(analysis) -> Table:
    """Per parameter and outcome the index the parameters are ranked by, with its interval."""
    ranked, method = analysis.ranked_by, analysis.method
    conf = f"{ranked}_conf" if f"{ranked}_conf" in analysis.indices else None
    title = {"sobol": "total-order Sobol' index ST (± 95% half-interval): share of the outcome's variance",
             "morris": "Morris mu* (± 95% half-interval): mean absolute effect over the lever's range",
             "lhs": "first-order index S1 by RBD-FAST (± 95% half-interval)",
             "grid": "first-order share S1"}[method]
    table = Table(title=f"Sweep '{analysis.name}': {title}")
    table.add_column("parameter", no_wrap=True)
    for outcome in analysis.outcomes:
        table.add_column(label(outcome), justify="right")
    rows = analysis.indices
    for combo, part in (rows.groupby(analysis.by, sort=False) if analysis.by else [((), rows)]):
        for parameter in analysis.parameters:
            mine = part[part["parameter"] == parameter].set_index("outcome")
            cells = [_index_cell(mine.at[outcome, ranked], mine.at[outcome, conf] if conf else None,
                                 kind(outcome) if method == "morris" else "index") for outcome in analysis.outcomes]
            name = parameter + (f" ({', '.join(map(str, combo if isinstance(combo, tuple) else (combo,)))})"
                                if analysis.by else "")
            table.add_row(name, *cells)
    if method == "morris":
        table.caption = "shares in percentage points, costs in thousands of euro"
    return table


def _app(args) -> int:
    """Check the scenarios, then hand over to the Solara server (it runs until Ctrl-C)."""
    first = load_scenario(args.scenario, overrides={"residents": args.residents})
    folder = args.scenario.resolve().parent
    second = folder / f"{args.second}.toml"
    if not second.is_file():
        names = ", ".join(sorted(p.stem for p in folder.glob("*.toml")))
        raise ScenarioError(f"--second {args.second}: no scenario of that name in {folder} (there are: {names})")
    load_scenario(second, overrides={"residents": args.residents})
    if not 0 < args.port < 65536:
        raise ScenarioError(f"--port {args.port}: must be 1 to 65535")
    env = {**os.environ, "ISOLATION_SIM_SCENARIOS": str(folder), "ISOLATION_SIM_APP_SCENARIO": args.scenario.stem,
           "ISOLATION_SIM_APP_SECOND": args.second, "ISOLATION_SIM_APP_LANGUAGE": args.language}
    if args.residents:
        env["ISOLATION_SIM_APP_RESIDENTS"] = str(args.residents)
    # No telemetry from a municipal session; a session whose browser has gone (tab closed,
    # laptop shut) is ended after two minutes, so it stops using the machine.
    env.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "false")
    env.setdefault("SOLARA_KERNEL_CULL_TIMEOUT", "2m")
    console.print(f"Open [bold]http://{args.host}:{args.port}[/] in a browser ({first.name} and {args.second}, "
                  f"{first.population.residents:,} residents). Ctrl-C stops the app.")
    command = [sys.executable, "-m", "solara", "run", "isolation_sim.app.page", "--host", args.host,
               "--port", str(args.port), "--production", "--no-open", "--no-check-version"]
    sys.stdout.flush()
    os.execve(sys.executable, command, env)  # the server takes this process's place: Ctrl-C and kill reach it


def _index_cell(value: float, conf: float | None, unit: str) -> str:
    """An index and its half-interval, compact: ``0.42±0.08``; a Morris effect in points or k€."""
    if value != value:
        return "-"
    scale, digits = {"pct": (100.0, 1), "eur": (1e-3, 0), "index": (1.0, 2)}.get(unit, (1.0, 2))
    text = f"{scale * value:.{digits}f}"
    return text + (f"±{scale * conf:.{digits}f}" if conf is not None and conf == conf else "")


def _differences_table(cmp) -> Table:
    from .compare import END_WEEKS, KEY, differences

    diff = differences(cmp, KEY).set_index(["outcome", "scenario"])
    table = Table(title=f"At the end (the last {min(END_WEEKS, cmp.weeks)} weeks): difference with {cmp.reference} "
                        f"(mean of {len(cmp.seeds)} paired replicates, 95% interval)")
    table.add_column("outcome")
    for name in cmp.names[1:]:
        table.add_column(name, justify="right")
    for outcome in KEY:
        table.add_row(label(outcome), *(fmt_interval(r["mean_diff"], r["ci_low"], r["ci_high"], kind(outcome))
                                        for r in (diff.loc[(outcome, n)] for n in cmp.names[1:])))
    return table


def _costs_table(cmp) -> Table:
    from .compare import cost_effectiveness

    table = Table(title=f"Cost, and residents moved out of double isolation against {cmp.reference} (95% interval)")
    for name, justify in (("scenario", "left"), ("cost a year", "right"), ("moved out", "right"),
                          ("extra cost per resident moved out", "right")):
        table.add_column(name, justify=justify)
    for r in cost_effectiveness(cmp).itertuples():
        table.add_row(r.scenario, fmt(r.cost_per_year, "eur"),
                      fmt_interval(r.moved_out, r.moved_out_low, r.moved_out_high, "int"),
                      fmt(r.cost_per_resident_moved_out, "eur"))
    return table


def _check_writable(scenario: Path, target: Path, chain: list[Path], keys: list[str]) -> None:
    """Stop before any run if the fitted values could not be written into ``target`` or
    would be hidden by a file between it and the scenario."""
    from .scenario import where_set

    if not target.is_file():
        raise ScenarioError(f"--write {target}: no such scenario file")
    if not os.access(target, os.W_OK):
        raise ScenarioError(f"--write {target}: the file cannot be written")
    resolved = [p.resolve() for p in chain]
    if target.resolve() not in resolved:
        raise ScenarioError(f"--write {target}: not in the 'extends' chain of the scenario "
                            f"({' -> '.join(map(str, chain))})")
    closer = resolved[: resolved.index(target.resolve())]
    setter = where_set(scenario)
    for key in keys:
        if key in setter and setter[key].resolve() in closer:
            raise ScenarioError(f"{setter[key]}: sets {key}, which would hide the fitted value written into "
                                f"{target}; remove it, or write there with --write {setter[key]}")


ROWS = ("share_none", "share_individual", "share_collective", "share_double", "participation_rate",
        "participation_rate_double", "lonely_share", "severely_lonely_share", "hortulanus_isolated",
        "no_weekly_contact_share", "mean_ties", "quality_of_life", "venues_open", "buddy_matches", "cost_cumulative")


def _summary_table(summary: dict) -> Table:
    table = Table(title=f"{summary['scenario']}: {summary['residents']:,} residents, {summary['weeks']} weeks, "
                        f"seed {summary['seed']}")
    table.add_column("outcome")
    table.add_column("week 0", justify="right")
    table.add_column(f"week {summary['weeks']}", justify="right")
    table.add_column("last year mean", justify="right")
    for key in ROWS:
        table.add_row(label(key), *(fmt(summary[when][key], kind(key)) for when in ("start", "end", "last_year_mean")))
    return table


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
