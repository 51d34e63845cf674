"""The command line's tables: what a command prints when it is done."""

from __future__ import annotations

from rich.table import Table

from ..outcomes import END_WEEKS, KEY, fmt, fmt_interval, kind, label

ROWS = ("share_none", "share_individual", "share_collective", "share_double", "participation_rate",
        "participation_rate_double", "lonely_share", "severely_lonely_share", "hortulanus_isolated",
        "no_weekly_contact_share", "mean_ties", "quality_of_life", "venues_open", "buddy_matches", "cost_cumulative")


def summary_table(summary: dict) -> Table:
    table = Table(title=f"{summary['scenario']}: {summary['residents']:,} residents, {summary['weeks']} weeks, "
                        f"seed {summary['seed']}")
    table.add_column("outcome")
    table.add_column("week 0", justify="right")
    table.add_column(f"week {summary['weeks']}", justify="right")
    table.add_column("last year mean", justify="right")
    for key in ROWS:
        table.add_row(label(key), *(fmt(summary[when][key], kind(key)) for when in ("start", "end", "last_year_mean")))
    return table


def targets_table(comparison, title: str) -> Table:
    """Per pattern its band and, for each period checked, the simulated mean with its
    interval and whether it holds."""
    table = Table(title=title)
    periods = list(dict.fromkeys(comparison["period"]))
    table.add_column("pattern")
    table.add_column("target", justify="right")
    for period in periods:
        table.add_column(f"{period} year (95% interval)", justify="right")
        table.add_column("in band", justify="center")
    by = comparison.set_index(["period", "pattern"])
    for pattern in dict.fromkeys(comparison["pattern"]):
        first = by.loc[(periods[0], pattern)]
        ratio = first.get("unit", "share") == "ratio"
        band = (f"at least {first['low']:.1f}x" if first["high"] == float("inf")
                else f"{first['low']:.1f}-{first['high']:.1f}x") if ratio else \
            f"{100 * first['low']:.1f}-{100 * first['high']:.1f}%"
        cells = [first["label"], band]
        for period in periods:
            row = by.loc[(period, pattern)]
            value = (f"{row['simulated']:.1f}x ({row['ci_low']:.1f}-{row['ci_high']:.1f})" if ratio else
                     f"{100 * row['simulated']:.1f}% ({100 * row['ci_low']:.1f}-{100 * row['ci_high']:.1f})")
            cells += [value, "yes" if row["holds"] else "[bold red]no[/]"]
        table.add_row(*cells)
    return table


def differences_table(cmp) -> Table:
    from ..compare import differences

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


def costs_table(cmp) -> Table:
    from ..compare import cost_effectiveness

    table = Table(title=f"Cost, and residents moved out of double isolation against {cmp.reference} (95% interval)")
    for name, justify in (("scenario", "left"), ("cost a year", "right"), ("moved out", "right"),
                          ("extra cost per resident moved out", "right")):
        table.add_column(name, justify=justify)
    for r in cost_effectiveness(cmp).itertuples():
        table.add_row(r.scenario, fmt(r.cost_per_year, "eur"),
                      fmt_interval(r.moved_out, r.moved_out_low, r.moved_out_high, "int"),
                      fmt(r.cost_per_resident_moved_out, "eur"))
    return table


def indices_table(analysis) -> Table:
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
            cells = [index_cell(mine.at[outcome, ranked], mine.at[outcome, conf] if conf else None,
                                 kind(outcome) if method == "morris" else "index") for outcome in analysis.outcomes]
            name = parameter + (f" ({', '.join(map(str, combo if isinstance(combo, tuple) else (combo,)))})"
                                if analysis.by else "")
            table.add_row(name, *cells)
    if method == "morris":
        table.caption = "shares in percentage points, costs in thousands of euro"
    return table


def index_cell(value: float, conf: float | None, unit: str) -> str:
    """An index and its half-interval, compact: ``0.42±0.08``; a Morris effect in points or k€."""
    if value != value:
        return "-"
    scale, digits = {"pct": (100.0, 1), "eur": (1e-3, 0), "index": (1.0, 2)}.get(unit, (1.0, 2))
    text = f"{scale * value:.{digits}f}"
    return text + (f"±{scale * conf:.{digits}f}" if conf is not None and conf == conf else "")


def posterior_table(fit, accept: float, samples: int, rounds: int) -> Table:
    """Per fitted parameter: the range sampled, the posterior and the value chosen."""
    table = Table(title=f"posterior: the closest {accept:.0%} of {samples} points in round {rounds}, "
                        "and the value chosen")
    for name, justify in (("parameter", "left"), ("range sampled", "right"), ("posterior mean (5-95%)", "right"),
                          ("chosen", "right")):
        table.add_column(name, justify=justify)
    for row in fit.posterior.itertuples():
        table.add_row(row.parameter.split(".", 1)[1], f"{row.low:g}-{row.high:g}",
                      f"{row.mean:.3f} ({row.p05:.3f}-{row.p95:.3f})", f"{fit.chosen[row.parameter]:.3f}")
    return table


def spells_view(spells, changed: float) -> Table:
    """How long residents stay in an isolation type (spells that began and ended in the run)."""
    table = Table(title=f"Isolation types: spells begun and ended in the run; {100 * changed:.2f}% of residents "
                        "change type in a week of the first year")
    for name, justify in (("type", "left"), ("spells a run", "right"), ("median (weeks)", "right"),
                          ("under 13 weeks", "right")):
        table.add_column(name, justify=justify)
    for row in spells.itertuples():
        table.add_row(row.type, f"{row.spells:,.0f}", "-" if row.median_weeks != row.median_weeks else
                      f"{row.median_weeks:.1f}", fmt(row.under_13_weeks, "pct"))
    return table


def decomposition_table(result) -> Table:
    """Per key outcome, each part of a strategy against the reference (``decompose``)."""
    frame = result.table.set_index(["outcome", "part"])
    parts = list(dict.fromkeys(result.table["part"]))
    from ..decompose import HEADLINE

    outcomes = [o for o in HEADLINE if o in set(result.table["outcome"])]
    table = Table(title=f"{result.strategy}: each part against {result.comparison.reference.removeprefix('reference:')} "
                        f"(mean of {len(result.comparison.seeds)} paired replicates, 95% interval)")
    table.add_column("part")
    for outcome in outcomes:
        table.add_column(label(outcome), justify="right")
    for part in parts:
        table.add_row(part, *(fmt_interval(r["effect"], r["ci_low"], r["ci_high"], kind(o))
                              for o, r in ((o, frame.loc[(o, part)]) for o in outcomes)))
    return table
