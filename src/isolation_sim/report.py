"""The comparison written down: a self-contained HTML report, its tables and figures.

:func:`write_comparison` writes, into one folder and atomically:

- ``report.html``: text, tables and figures (embedded), readable without this package;
- ``differences.csv``: at the end, each scenario minus the reference, per outcome
  (``outcome, scenario, mean_diff, ci_low, ci_high``);
- ``differences_over_time.csv``, ``who_gains.csv``, ``cost_effectiveness.csv``, ``levels.csv``;
- ``timeseries.png``, ``differences.png``, ``differences_over_time.png``, ``cost_effectiveness.png``;
- ``runs.parquet`` (every replicate, every week) and ``groups.parquet`` (every replicate,
  every group of residents, at the end): the raw data, for ``pandas.read_parquet``;
- ``comparison.json``: the scenarios, seeds, sizes, version and run time.
"""

from __future__ import annotations

import base64
import html
import io
import json
import os
from pathlib import Path

import pandas as pd

from . import __version__, plots
from .compare import END_WEEKS, KEY, Comparison, cost_effectiveness, differences, differences_over_time, levels, who_gains
from .outcomes import fmt, fmt_interval, kind, label

HEADLINE = ("share_double", "participation_rate_double", "lonely_share")  # the findings in words
OVER_TIME = ("share_double", "participation_rate", "lonely_share")
FIGURES = {  # file name: caption
    "timeseries.png": "Each outcome over time, per scenario: the mean of the replicates and its 95% interval.",
    "differences.png": "At the end: each scenario minus the reference, with its 95% interval. An interval that "
                       "crosses the grey line is not distinguishable from no difference.",
    "differences_over_time.png": "Week by week: each scenario minus the reference (paired over replicates), "
                                 "with its 95% interval.",
    "cost_effectiveness.png": "Left: what each scenario costs a year. Right: the extra cost over the whole run "
                              "against the residents it moves out of double isolation, both against the reference.",
}


def write_comparison(cmp: Comparison, out_dir: str | os.PathLike) -> Path:
    """Write every file of the comparison into ``out_dir`` (nothing half-written)."""
    from .files import write_folder

    tables = {
        "differences": differences(cmp),
        "differences_over_time": differences_over_time(cmp),
        "who_gains": who_gains(cmp),
        "cost_effectiveness": cost_effectiveness(cmp),
        "levels": levels(cmp),
    }
    pictures = _pictures(cmp, tables)
    files = {f"{name}.csv": (lambda path, t=table: t.to_csv(path, index=False)) for name, table in tables.items()}
    files |= {name: (lambda path, data=data: path.write_bytes(data)) for name, data in pictures.items()}
    files |= {
        "report.html": lambda path: path.write_text(render(cmp, tables, pictures), encoding="utf-8"),
        "runs.parquet": lambda path: cmp.runs.to_parquet(path, index=False),
        "groups.parquet": lambda path: cmp.groups.to_parquet(path, index=False),
        "comparison.json": lambda path: path.write_text(json.dumps(_about(cmp), indent=2) + "\n", encoding="utf-8"),
    }
    return write_folder(out_dir, files)


def _pictures(cmp: Comparison, tables: dict[str, pd.DataFrame]) -> dict[str, bytes]:
    figures = {
        "timeseries.png": plots.comparison_timeseries(cmp.runs, cmp.names),
        "differences.png": plots.comparison_differences(tables["differences"], cmp.names,
                                                        [k for k in KEY if k != "cost_cumulative"]),
        "differences_over_time.png": plots.comparison_over_time(tables["differences_over_time"], cmp.names,
                                                                OVER_TIME),
        "cost_effectiveness.png": plots.comparison_costs(tables["cost_effectiveness"], cmp.names),
    }
    pictures = {}
    for name, figure in figures.items():
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=110)
        pictures[name] = buffer.getvalue()
        plots.plt.close(figure)
    return pictures


def _about(cmp: Comparison) -> dict:
    return {
        "version": __version__,
        "reference": cmp.reference,
        "scenarios": [{"name": n, "source": s.source, "description": s.description}
                      for n, s in zip(cmp.names, cmp.scenarios)],
        "replicates": len(cmp.seeds),
        "seeds": cmp.seeds,
        "residents": cmp.residents,
        "weeks": cmp.weeks,
        "burn_in_weeks": cmp.scenarios[0].burn_in_weeks,
        "run_seconds": round(cmp.seconds, 1),
    }


# ----------------------------------------------------------------------------- the words
def _interval(row, outcome: str) -> str:
    return fmt_interval(row["mean_diff"], row["ci_low"], row["ci_high"], kind(outcome))


def _verdict(row) -> str:
    if row["ci_low"] > 0:
        return "higher"
    if row["ci_high"] < 0:
        return "lower"
    return "no clear difference"


def duration(weeks: int) -> str:
    """How long a run is, in words.

    >>> duration(520), duration(78), duration(20)
    ('10 years', '1.5 years', '20 weeks')
    """
    return f"{weeks} weeks" if weeks < 52 else f"{weeks / 52:.3g} years"


def findings(cmp: Comparison, diff: pd.DataFrame, costs: pd.DataFrame, level: pd.DataFrame) -> list[str]:
    """One paragraph (HTML) per scenario against the reference, in plain words."""
    at = level.set_index(["scenario", "outcome"])
    d = diff.set_index(["scenario", "outcome"])
    c = costs.set_index("scenario")
    ref = html.escape(cmp.reference)
    paragraphs = [in_short(cmp, d, c)]
    for name in cmp.names[1:]:
        parts = []
        for outcome in HEADLINE:
            row = d.loc[(name, outcome)]
            k = kind(outcome)
            count = (f" (about {c.loc[cmp.reference, 'double_at_end']:,.0f} &rarr; "
                     f"{c.loc[name, 'double_at_end']:,.0f} residents)" if outcome == "share_double" else "")
            parts.append(f"{html.escape(label(outcome))}: {fmt(at.loc[(cmp.reference, outcome), 'mean'], k)} &rarr; "
                         f"{fmt(at.loc[(name, outcome), 'mean'], k)}{count}, {_interval(row, outcome)}: "
                         f"<em>{_verdict(row)}</em>")
        cost = c.loc[name]
        money = (f"Levers and professional support cost {fmt(cost['cost_per_year'], 'eur')} a year, "
                 f"{fmt(cost['cost_per_year'] - c.loc[cmp.reference, 'cost_per_year'], 'eur', signed=True)} "
                 f"against {ref}. ")
        moved = (f"{cost['moved_out']:+.0f} residents out of double isolation "
                 f"(95% interval {cost['moved_out_low']:+.0f} to {cost['moved_out_high']:+.0f})")
        if cost["cost_per_resident_moved_out"] == cost["cost_per_resident_moved_out"]:
            money += f"That moves {moved}: {fmt(cost['cost_per_resident_moved_out'], 'eur')} per resident moved out."
        elif cost["moved_out_low"] > 0:
            money += f"It moves {moved} and costs no more than {ref}."
        elif cost["moved_out_high"] < 0:
            money += f"It leaves more residents in double isolation than {ref}: {moved}."
        else:
            money += f"It moves {moved}, not clearly more than {ref}: no cost per resident is given."
        paragraphs.append(f"<p><strong>{html.escape(name)}</strong> against {ref}, after "
                          f"{duration(cmp.weeks)}: " + "; ".join(parts) + f". {money}</p>")
    return paragraphs


def in_short(cmp: Comparison, d: pd.DataFrame, c: pd.DataFrame) -> str:
    """The answer first: which scenario moves most residents out of double isolation,
    which does it cheapest, which cannot be told from the reference, which does worse."""
    others = c.loc[cmp.names[1:]]
    better = others[others["moved_out_low"] > 0]
    worse = [n for n in others.index if others.loc[n, "moved_out_high"] < 0]
    unclear = [n for n in others.index if n not in better.index and n not in worse]
    ref = html.escape(cmp.reference)
    def names(ns: list[str]) -> str:
        bold = [f"<strong>{html.escape(n)}</strong>" for n in ns]
        return " and ".join([", ".join(bold[:-1]), bold[-1]] if len(bold) > 1 else bold)

    words = []
    if len(better):
        most = better["moved_out"].idxmax()
        r = better.loc[most]
        words.append(f"<strong>{html.escape(most)}</strong> moves the most residents out of double isolation: "
                     f"{r['moved_out']:.0f} (95% interval {r['moved_out_low']:.0f} to {r['moved_out_high']:.0f}) "
                     f"more than {ref}")
        priced = better["cost_per_resident_moved_out"].dropna()
        if len(priced):
            cheapest = priced.idxmin()
            price = fmt(priced[cheapest], "eur")
            if cheapest == most:
                words[-1] += f", and at the lowest extra cost per resident moved out, {price}"
            else:
                words.append(f"<strong>{html.escape(cheapest)}</strong> moves them at the lowest extra cost per "
                             f"resident, {price}")
    if unclear:
        words.append(f"{names(unclear)} cannot be told from {ref} on double isolation with "
                     f"{len(cmp.seeds)} replicates")
    if worse:
        words.append(f"{names(worse)} leave{'s' if len(worse) == 1 else ''} more residents in double isolation "
                     f"than {ref}")
    lonely = d.xs("lonely_share", level="outcome")
    best = lonely["mean_diff"].idxmin()
    if lonely.loc[best, "ci_high"] < 0:
        words.append(f"loneliness falls most under <strong>{html.escape(best)}</strong>, "
                     f"{_interval(lonely.loc[best], 'lonely_share')}")
    return f"<p class=\"short\"><strong>In short.</strong> {'; '.join(words)}.</p>" if words else ""


def _table(frame: pd.DataFrame, formats: dict[str, callable], names: dict[str, str]) -> str:
    shown = pd.DataFrame({names.get(col, col): frame[col].map(formats[col]) if col in formats else frame[col]
                          for col in frame.columns})
    return _html(shown, escape=True)


def _html(frame: pd.DataFrame, escape: bool = False) -> str:
    return frame.to_html(index=False, escape=escape, classes="data", border=0)


def _differences_table(cmp: Comparison, diff: pd.DataFrame, level: pd.DataFrame) -> str:
    rows = []
    at = level.set_index(["scenario", "outcome"])
    for outcome in KEY:
        k = kind(outcome)
        row = {"outcome": label(outcome), cmp.reference: fmt(at.loc[(cmp.reference, outcome), "mean"], k)}
        for name in cmp.names[1:]:
            r = diff[(diff["outcome"] == outcome) & (diff["scenario"] == name)].iloc[0]
            row[name] = (f"{fmt(at.loc[(name, outcome), 'mean'], k)}<br><small>{_interval(r, outcome)}</small>")
        rows.append(row)
    return _html(pd.DataFrame(rows))


def _who_gains_table(cmp: Comparison, gains: pd.DataFrame) -> str:
    blocks = []
    order = cmp.groups.drop_duplicates(["by", "group"])  # as by_group lists them
    for by in order["by"].unique():
        for outcome in ("share_double", "participation_rate"):
            part = gains[(gains["by"] == by) & (gains["outcome"] == outcome)]
            rows = []
            for group in order.loc[order["by"] == by, "group"]:
                g = part[part["group"] == group]
                k = kind(outcome)
                row = {by: group.replace("_", " "), "residents": f"{g['residents'].iloc[0]:,.0f}",
                       cmp.reference: fmt(g["reference"].iloc[0], k)}
                for name in cmp.names[1:]:
                    r = g[g["scenario"] == name].iloc[0]
                    row[name] = "-" if r["mean_diff"] != r["mean_diff"] else _interval(r, outcome)
                rows.append(row)
            blocks.append(f"<h3>{html.escape(label(outcome))}, by {html.escape(by)}</h3>"
                          + _html(pd.DataFrame(rows)))
    return "\n".join(blocks)


def _costs_table(costs: pd.DataFrame) -> str:
    euro = lambda v: fmt(v, "eur")  # noqa: E731
    count = lambda v: "-" if v != v else f"{v:,.0f}"  # noqa: E731
    frame = costs.assign(moved=[fmt_interval(r.moved_out, r.moved_out_low, r.moved_out_high, "int")
                                for r in costs.itertuples()])
    frame = frame[["scenario", "cost_per_year", "cost_levers", "cost_support", "cost_total", "extra_cost",
                   "double_at_end", "left_double", "moved", "cost_per_resident_moved_out"]]
    return _table(frame, {"cost_per_year": euro, "cost_levers": euro, "cost_support": euro, "cost_total": euro,
                          "extra_cost": lambda v: fmt(v, "eur", signed=True), "double_at_end": count,
                          "left_double": count, "cost_per_resident_moved_out": euro},
                  {"cost_per_year": "cost a year", "cost_levers": "levers, whole run",
                   "cost_support": "professional support, whole run", "cost_total": "total, whole run",
                   "extra_cost": "extra cost against the reference", "double_at_end": "in double isolation at the end",
                   "left_double": "left double isolation by the last week (of those in it at week 0)",
                   "moved": "moved out of double isolation against the reference (95% interval)",
                   "cost_per_resident_moved_out": "extra cost per resident moved out"})


def _figure(name: str, data: bytes) -> str:
    encoded = base64.b64encode(data).decode("ascii")
    return (f'<figure><img src="data:image/png;base64,{encoded}" alt="{html.escape(FIGURES[name])}">'
            f"<figcaption>{html.escape(FIGURES[name])}</figcaption></figure>")


STYLE = """
body { font-family: system-ui, sans-serif; max-width: 76rem; margin: 2rem auto; padding: 0 1rem; color: #222;
       line-height: 1.5; }
h1 { font-size: 1.8rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #ccc; }
table.data { border-collapse: collapse; margin: 1rem 0; font-size: 0.92rem; }
table.data th, table.data td { padding: 0.35rem 0.7rem; border-bottom: 1px solid #e3e3e3; text-align: right;
                               vertical-align: top; }
table.data th:first-child, table.data td:first-child { text-align: left; }
small { color: #555; } figure { margin: 1.5rem 0; } img { max-width: 100%; }
figcaption { color: #444; font-size: 0.92rem; } .note { background: #f6f6f6; padding: 0.8rem 1rem; }
.short { font-size: 1.08rem; border-left: 4px solid #1f77b4; padding-left: 0.8rem; }
"""


def render(cmp: Comparison, tables: dict[str, pd.DataFrame], pictures: dict[str, bytes]) -> str:
    """The report as one HTML page."""
    diff, costs, level = tables["differences"], tables["cost_effectiveness"], tables["levels"]
    ref = html.escape(cmp.reference)
    scenarios = "".join(f"<li><strong>{html.escape(n)}</strong>: {html.escape(s.description)} "
                        f"<small>({html.escape(Path(s.source).name) if s.source else 'built in Python'})</small></li>"
                        for n, s in zip(cmp.names, cmp.scenarios))
    runs = len(cmp.names) * len(cmp.seeds)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>What-if comparison: {', '.join(map(html.escape, cmp.names))}</title>
<style>{STYLE}</style></head><body>
<h1>What-if comparison: {' / '.join(map(html.escape, cmp.names[1:]))} against {ref}</h1>
<p>Each scenario was run {len(cmp.seeds)} times (replicates) on the same neighbourhood of
{cmp.residents:,} residents for {cmp.weeks} weeks ({duration(cmp.weeks)}), after a burn-in of
{cmp.scenarios[0].burn_in_weeks} weeks. Replicate <em>i</em> of every scenario used the same seed, so the
scenarios meet the same chance events and differ by their steering. {runs} runs took {cmp.seconds:.0f} s.</p>
<ul>{scenarios}</ul>

<h2>Findings</h2>
{''.join(findings(cmp, diff, costs, level))}
<p class="note">How to read an interval: it shows how much the result varies with chance alone, for these
parameter values. If it includes zero, this number of replicates cannot tell the scenario from {ref}.
It does not include the uncertainty in the model's parameters or in its assumptions (see the last section).</p>

<h2>At the end: every scenario against {ref}</h2>
<p>The value in each scenario at the end (the mean of weeks {cmp.weeks - min(END_WEEKS, cmp.weeks) + 1}-{cmp.weeks},
over the replicates; costs: what was spent by week {cmp.weeks}), and below it the difference with
{ref} and, in brackets, its 95% interval. Shares are in percent of residents, their differences in
percentage points (pt).</p>
{_differences_table(cmp, diff, level)}
{_figure("differences.png", pictures["differences.png"])}

<h2>Over time</h2>
{_figure("timeseries.png", pictures["timeseries.png"])}
{_figure("differences_over_time.png", pictures["differences_over_time.png"])}

<h2>Who gains</h2>
<p>The difference with {ref} at the end, for each vulnerability group and for the residents by the type of
isolation they were in at week 0 (the same residents in every scenario). Small groups have wide intervals.</p>
{_who_gains_table(cmp, tables["who_gains"])}

<h2>Cost and cost-effectiveness</h2>
<p>Cost is what the steering levers cost plus the professional support given, over the whole run. A resident
<em>moved out of double isolation</em> is one fewer resident in double isolation at the end than under {ref};
the extra cost per resident moved out is given only where that number is above zero beyond chance.</p>
{_costs_table(costs)}
{_figure("cost_effectiveness.png", pictures["cost_effectiveness.png"])}

<h2>What this comparison does and does not show</h2>
<ul>
<li>The intervals are over replicates with common random numbers: they show the variation from chance
for one set of parameter values. Several parameter sets fit the Dutch figures equally well
(docs/validation.md); a decision that hinges on a small difference should be checked at the ends of that
range too.</li>
<li>The model is calibrated on the first year of the baseline only; over the years the baseline itself drifts
(participation falls). Differences late in the run rest on the model's mechanisms, not on data.</li>
<li>Lever levels are counts for this neighbourhood (venues, hours, buddies); the same file on another population
means a different intensity.</li>
<li>Groups below about 300 residents give wide intervals; read their rows as direction, not size.</li>
</ul>
<p><small>isolation-sim {__version__}; seeds {cmp.seeds[0]}-{cmp.seeds[-1]}. The raw data is in runs.parquet
and groups.parquet; every table is also a CSV file beside this report.</small></p>
</body></html>
"""
