"""The command line: ``isolation-sim run``, ``isolation-sim describe``.

Bad input never ends in a traceback: the message names the file, the key and what is
allowed, and the exit status is 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

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
    validate.add_argument("--out", type=Path, help="output folder (default: results/<scenario name>-validation)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "describe":
            return _describe(args)
        if args.command == "validate":
            return _validate(args)
        return _run(args)
    except ScenarioError as exc:
        errors.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        return EXIT_BAD_INPUT
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
    from .run import run_scenario, write_outputs

    scenario = load_scenario(args.scenario, overrides={"weeks": args.weeks, "seed": args.seed,
                                                       "residents": args.residents})
    out = args.out or Path("results") / scenario.name
    if out.exists() and not out.is_dir():
        raise ScenarioError(f"--out {out}: exists and is not a folder")
    columns = (TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("weeks"), TimeElapsedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=errors, transient=False) as bar:
        task = bar.add_task(f"{scenario.name}: {scenario.population.residents:,} residents", total=scenario.weeks)
        result = run_scenario(scenario, progress=lambda week: bar.update(task, completed=week))
    write_outputs(result, out)
    console.print(_summary_table(result.summary))
    console.print(f"Run took {result.summary['run_seconds']:.1f} s. Written to [bold]{out}[/]: "
                  "timeseries.csv, summary.json, overview.png")
    return 0


def _validate(args) -> int:
    from . import plots
    from .run import write_atomically
    from .validation import YEAR, check, compare_with_targets

    if args.seeds < 2 or args.workers < 1:
        raise ScenarioError(f"--seeds {args.seeds} --workers {args.workers}: need at least 2 seeds and 1 worker")
    scenario = load_scenario(args.scenario, overrides={"residents": args.residents})
    out = args.out or Path("results") / f"{scenario.name}-validation"
    if out.exists() and not out.is_dir():
        raise ScenarioError(f"--out {out}: exists and is not a folder")
    columns = (TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("seeds"),
               TimeElapsedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=errors, transient=False) as bar:
        task = bar.add_task(f"{scenario.name}: {scenario.population.residents:,} residents, "
                            f"burn-in {scenario.burn_in_weeks} + {YEAR.stop - 1} weeks", total=args.seeds)
        runs = check(scenario, seeds=args.seeds, workers=args.workers,
                     progress=lambda done: bar.update(task, completed=done))
    comparison = compare_with_targets(runs)
    write_atomically(out, {
        "runs.csv": lambda path: runs.to_csv(path, index=False),
        "targets.csv": lambda path: comparison.to_csv(path, index=False),
        "targets.png": lambda path: plots.targets(comparison).savefig(path, dpi=130),
    })
    table = Table(title=f"{scenario.name}: first year after the burn-in, mean of {args.seeds} seeds")
    for name, justify in (("pattern", "left"), ("target", "right"), ("simulated (95% interval)", "right"),
                          ("in band", "center")):
        table.add_column(name, justify=justify)
    for row in comparison.itertuples():
        table.add_row(row.label, f"{100 * row.low:.1f}-{100 * row.high:.1f}%",
                      f"{100 * row.simulated:.1f}% ({100 * row.ci_low:.1f}-{100 * row.ci_high:.1f})",
                      "yes" if row.holds else "[bold red]no[/]")
    console.print(table)
    console.print(f"Written to [bold]{out}[/]: runs.csv, targets.csv, targets.png")
    return 0


ROWS = (
    ("not isolated", "share_none", "pct"),
    ("individual isolation", "share_individual", "pct"),
    ("collective isolation", "share_collective", "pct"),
    ("double isolation", "share_double", "pct"),
    ("taking part this week", "participation_rate", "pct"),
    ("  of those in double isolation", "participation_rate_double", "pct"),
    ("lonely", "lonely_share", "pct"),
    ("severely lonely", "severely_lonely_share", "pct"),
    ("socially isolated (Hortulanus)", "hortulanus_isolated", "pct"),
    ("no weekly contact", "no_weekly_contact_share", "pct"),
    ("personal ties (mean)", "mean_ties", "num"),
    ("quality of life (0-10)", "quality_of_life", "num"),
    ("venues open", "venues_open", "int"),
    ("buddy matches", "buddy_matches", "int"),
    ("cost so far (euro)", "cost_cumulative", "eur"),
)


def _fmt(value, kind: str) -> str:
    if value is None:
        return "-"
    return {"pct": f"{100 * value:.1f}%", "num": f"{value:.2f}", "int": f"{value:,.0f}", "eur": f"{value:,.0f}"}[kind]


def _summary_table(summary: dict) -> Table:
    table = Table(title=f"{summary['scenario']}: {summary['residents']:,} residents, {summary['weeks']} weeks, "
                        f"seed {summary['seed']}")
    table.add_column("outcome")
    table.add_column("week 0", justify="right")
    table.add_column(f"week {summary['weeks']}", justify="right")
    table.add_column("last year mean", justify="right")
    for label, key, kind in ROWS:
        table.add_row(label, _fmt(summary["start"][key], kind), _fmt(summary["end"][key], kind),
                      _fmt(summary["last_year_mean"][key], kind))
    return table


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
