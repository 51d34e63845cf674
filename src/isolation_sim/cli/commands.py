"""What each command does: thin shells over the package (arguments checked by argparse and
by the scenario schema before anything runs)."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import ScenarioError
from ..scenario import load_scenario
from .console import PerHour, console, error, errors, output_folder, progress
from .tables import (costs_table, decomposition_table, differences_table, indices_table, posterior_table, spells_view, summary_table,
                     targets_table)

CHECK_FILES = ("runs.csv", "targets.csv", "spells.csv", "targets.png")  # what validate writes
FITTED_TABLES = ("samples", "posterior", "rechecked")
FITTED = tuple(f"{name}.csv" for name in FITTED_TABLES)  # and calibrate besides
DECOMPOSITION = ("decomposition.csv", "decomposition.png", "report.md")  # decompose.write_decomposition's


def describe(args) -> int:
    from ..describe import describe

    for table in describe(load_scenario(args.scenario, overrides={"residents": args.residents})):
        console.print(table)
    return 0


def run(args) -> int:
    from ..run import run_scenario
    from ..summary import FILES, write_outputs

    scenario = load_scenario(args.scenario, overrides={"weeks": args.weeks, "seed": args.seed,
                                                       "residents": args.residents})
    out = output_folder(args.out, scenario.name, FILES)
    with progress("weeks") as bar:
        task = bar.add_task(f"{scenario.name}: {scenario.population.residents:,} residents", total=scenario.weeks)
        result = run_scenario(scenario, progress=lambda week: bar.update(task, completed=week))
    write_outputs(result, out)
    console.print(summary_table(result.summary))
    console.print(f"Run took {result.summary['run_seconds']:.1f} s. Written to [bold]{out}[/]: {', '.join(FILES)}")
    return 0


def _check(scenario, seeds: int, workers: int, dask: str | None, last_year: bool = False):
    """Run the validation seeds with a progress bar (to the horizon with ``last_year``);
    the comparison with the targets and the files that show it."""
    from .. import plots
    from ..validation import CHECK_WEEKS, check, compare_with_targets, spells_table

    with progress("seeds") as bar:
        weeks = scenario.weeks if last_year and scenario.weeks >= 104 else CHECK_WEEKS
        task = bar.add_task(f"{scenario.name}: {scenario.population.residents:,} residents, "
                            f"burn-in {scenario.burn_in_weeks} + {weeks} weeks", total=seeds)
        runs = check(scenario, seeds=seeds, workers=workers, dask=dask, last_year=last_year,
                     progress=lambda done: bar.update(task, completed=done))
    comparison = compare_with_targets(runs)
    spells = spells_table(runs)
    files = dict(zip(CHECK_FILES, (
        lambda path: runs.to_csv(path, index=False),
        lambda path: comparison.to_csv(path, index=False),
        lambda path: spells.to_csv(path, index=False),
        lambda path: plots.targets(comparison).savefig(path, dpi=130),
    )))
    first = runs[runs["period"] == "first"]
    return comparison, files, spells, float(first["changed_type_share"].mean())


def _years(scenario) -> str:
    """The years a check looks at: both, where the horizon has two (validation.check_many)."""
    if scenario.weeks >= 104:
        return f"the first and the last year of {scenario.weeks} weeks"
    return "the first year"


def validate(args) -> int:
    from ..files import write_folder

    scenario = load_scenario(args.scenario, overrides={"residents": args.residents, "weeks": args.weeks})
    out = output_folder(args.out, f"{scenario.name}-validation", CHECK_FILES)
    comparison, files, spells, changed = _check(scenario, args.seeds, args.workers, args.dask, last_year=True)
    write_folder(out, files)
    console.print(targets_table(comparison, f"{scenario.name}: {_years(scenario)} after the burn-in, "
                                            f"mean of {args.seeds} seeds"))
    console.print(spells_view(spells, changed))
    console.print(f"Written to [bold]{out}[/]: {', '.join(files)}")
    return 0


def calibrate(args) -> int:
    from ..calibration import FREE, calibrate, check_writable, runs_needed, write_fitted
    from ..files import write_folder
    from ..scenario import extends_chain

    overrides = {"residents": args.residents, "weeks": args.weeks}
    scenario = load_scenario(args.scenario, overrides=overrides)
    out = output_folder(args.out, f"{scenario.name}-calibration", (*FITTED, *CHECK_FILES))
    chain = extends_chain(args.scenario)
    target = args.write or chain[-1]
    if not args.dry_run:
        check_writable(args.scenario, target, chain, [f.key for f in FREE])
    with progress("runs") as bar:
        task = bar.add_task(f"{scenario.name}: ABC over {len(FREE)} parameters, {scenario.weeks} weeks a run",
                            total=runs_needed(args.samples, args.rounds, args.best, args.seeds))
        fit = calibrate(scenario, samples=args.samples, rounds=args.rounds, accept=args.accept, best=args.best,
                        seeds=args.seeds, seed=args.seed, workers=args.workers, dask=args.dask,
                        progress=lambda done: bar.update(task, completed=done))
    files = {f"{name}.csv": (lambda path, frame=getattr(fit, name): frame.to_csv(path, index=False))
             for name in FITTED_TABLES}
    console.print(posterior_table(fit, args.accept, args.samples, args.rounds))
    if args.dry_run:
        scenario = scenario.with_overrides(**fit.chosen)
    else:
        write_fitted(target, fit.chosen)
        console.print(f"Fitted values written into [bold]{target}[/]")
        scenario = load_scenario(args.scenario, overrides=overrides)
    comparison, check_files, _, _ = _check(scenario, args.check_seeds, args.workers, args.dask, last_year=True)
    write_folder(out, files | check_files)
    console.print(targets_table(comparison, f"{scenario.name} with the fitted values: {_years(scenario)} after "
                                            f"the burn-in, mean of {args.check_seeds} seeds"))
    console.print(f"Written to [bold]{out}[/]: {', '.join(files | check_files)}")
    return 0


def compare(args) -> int:
    from ..compare import compare_prepared, prepare
    from ..report import FILES, write_comparison

    names, scenarios = prepare(args.scenarios, weeks=args.weeks, residents=args.residents,
                               seed=args.seed)  # every file checked before any run
    out = output_folder(args.out, "compare-" + "-".join(names)[:80], FILES)
    total = len(scenarios) * args.replicates
    with progress("runs") as bar:
        task = bar.add_task(f"{len(scenarios)} scenarios x {args.replicates} replicates, "
                            f"{scenarios[0].weeks} weeks", total=total)
        cmp = compare_prepared(names, scenarios, replicates=args.replicates, seed=args.seed, workers=args.workers,
                               dask=args.dask, progress=lambda done: bar.update(task, completed=done))
    write_comparison(cmp, out)
    console.print(differences_table(cmp))
    console.print(costs_table(cmp))
    console.print(f"{total} runs took {cmp.seconds:.0f} s. Written to [bold]{out}[/]: report.html, "
                  "differences.csv, figures (PNG) and the replicates (Parquet)")
    return 0


def decompose(args) -> int:
    from ..compare import prepare
    from ..decompose import decompose, default_reference, families, in_words, levers_apart, write_decomposition

    reference = args.reference if args.reference is not None else default_reference(args.scenario)
    _, (base, scenario) = prepare([reference, args.scenario], weeks=args.weeks, residents=args.residents,
                                  seed=args.seed)  # both files and every flag checked before any run
    levers = levers_apart(scenario, base)
    out = output_folder(args.out, f"decompose-{scenario.name}", DECOMPOSITION)
    with progress("runs") as bar:
        task = bar.add_task(f"{scenario.name}: {len(levers)} levers alone and left out",
                            total=(2 + 2 * len(levers) + 2 * (len(families(levers, scenario, base)) == 2)) * args.replicates)
        result = decompose(args.scenario, reference=reference, replicates=args.replicates, seed=args.seed,
                           weeks=args.weeks, residents=args.residents, workers=args.workers, dask=args.dask,
                           progress=lambda done: bar.update(task, completed=done))
    write_decomposition(result, out)
    console.print(decomposition_table(result))
    for line in in_words(result):
        console.print(line, highlight=False, markup=False)
    console.print(f"{len(result.comparison.names) * args.replicates} runs took {result.comparison.seconds:.0f} s. "
                  f"Written to [bold]{out}[/]: {', '.join(DECOMPOSITION)}")
    return 0


def sweep(args) -> int:
    from ..sweep import SweepFailed, load_sweep, run_sweep

    sweep = load_sweep(args.spec)  # the spec and every point checked before any run
    out = output_folder(args.out, f"sweep-{sweep.spec.sweep.name}", None)
    where = f"Dask ({args.dask})" if args.dask else f"{args.workers} worker{'s' * (args.workers > 1)}"
    console.print(f"Sweep '{sweep.spec.sweep.name}': {sweep.runs} runs ({len(sweep.points)} points x "
                  f"{sweep.spec.sweep.replicates} replicates) of {sweep.scenario.name}, "
                  f"{sweep.scenario.population.residents:,} residents, {sweep.scenario.weeks} weeks")
    with progress("runs", PerHour()) as bar:
        task = bar.add_task(f"{sweep.spec.sweep.name} on {where}", total=sweep.runs)
        fresh = True

        def advance(done: int) -> None:
            nonlocal fresh
            if fresh:  # the runs done before are no part of this call's rate
                bar.reset(task, total=sweep.runs, completed=done)
                fresh = False
            else:
                bar.update(task, completed=done)

        try:
            result = run_sweep(sweep, out, workers=args.workers, dask=args.dask, progress=advance)
        except KeyboardInterrupt:
            bar.stop()
            errors.print(f"interrupted: the finished runs are in {out}; run the same command again to go on",
                         markup=False)
            return 130
        except SweepFailed as exc:
            bar.stop()
            error(str(exc))
            return 1
    return _swept(result, out)


def _swept(result, out: Path) -> int:
    if result.skipped:
        console.print(f"{result.skipped} of {result.total} runs were already done in {out}.")
    console.print(f"{result.ran} runs took {result.seconds:,.0f} s ({result.runs_per_hour:,.0f} runs/hour). "
                  f"Written to [bold]{out}[/]: one Parquet file per run in runs/ (pd.read_parquet('{out}/runs')), "
                  "manifest.json and design.parquet")
    if result.failed:
        first = min(result.failed)
        error(f"(see manifest.json); run {first}: {result.failed[first]}", label=f"{len(result.failed)} runs failed")
        return 1
    console.print(f"Next: isolation-sim analyse {out}")
    return 0


def analyse(args) -> int:
    from ..sensitivity import FILES, analyse, write_analysis
    from ..sweep import RUNS
    from ..sweep_store import sweep_folder

    sweep_folder(args.folder)  # FOLDER is a sweep's (said of FOLDER) before its output folder is checked
    runs = (args.folder / RUNS).resolve()
    if args.out and (args.out.resolve() == args.folder.resolve() or args.out.resolve().is_relative_to(runs)):
        raise ScenarioError(f"--out {args.out}: the sweep's folder and its runs/ hold the runs alone; give a folder "
                            "beside them (the default is FOLDER/analysis)")
    out = output_folder(args.out, "analysis", FILES, within=args.folder)
    analysis = analyse(args.folder)
    files = write_analysis(analysis, out)
    console.print(indices_table(analysis))
    console.print(f"Written to [bold]{out}[/]: {', '.join(files[:3])}{', ...' if len(files) > 3 else ''}")
    return 0


def app(args) -> int:
    """Check the scenarios, the address and the port, then serve the workshop page (until Ctrl-C)."""
    from ..app.offer import offered

    first = load_scenario(args.scenario, overrides={"residents": args.residents})
    if args.mesa:
        return _serve(args, f"Mesa's page of {first.name}", {"ISOLATION_SIM_SCENARIO": str(args.scenario.absolute())},
                      module="isolation_sim.app.mesa_page")
    folder = args.scenario.absolute().parent
    names = offered(folder, args.scenario.stem, args.second, args.residents)
    if args.scenario.stem not in names or args.scenario.suffix != ".toml":
        raise ScenarioError(f"{args.scenario}: not a scenario the page can offer (it offers the .toml files of "
                            f"{folder} by name: {', '.join(names)})")
    if args.second not in names:
        raise ScenarioError(f"--second {args.second}: no scenario of that name on offer in {folder} "
                            f"(there are: {', '.join(names)})")
    load_scenario(folder / f"{args.second}.toml", overrides={"residents": args.residents})
    page = {"ISOLATION_SIM_SCENARIOS": str(folder), "ISOLATION_SIM_APP_SCENARIO": args.scenario.stem,
            "ISOLATION_SIM_APP_SECOND": args.second, "ISOLATION_SIM_APP_LANGUAGE": args.language}
    if args.residents:
        page["ISOLATION_SIM_APP_RESIDENTS"] = str(args.residents)
    return _serve(args, f"{first.name} and {args.second}, {first.population.residents:,} residents", page,
                  module="isolation_sim.app.page")


def _serve(args, what: str, page: dict[str, str], module: str) -> int:
    """Bind the address and port (refused by name when taken), say where to open the page,
    and serve the page ``module`` with its settings ``page`` until Ctrl-C."""
    from rich.markup import escape

    from ..app import server

    hosts = server.hosts(args.host, args.allow_host)
    with server.listening(args.host, args.port) as sock:
        shown = args.allow_host[0] if args.host in server.WILDCARDS else server.host_name(args.host)
        console.print(f"Open [bold]http://{escape(shown)}:{args.port}[/] in a browser ({escape(what)}). "
                      "Ctrl-C stops the app.")
        sys.stdout.flush()
        server.serve(sock, hosts, args.port, page, module=module)
    return 0
