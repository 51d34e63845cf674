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
import io
import json
import os
from functools import cache
from pathlib import Path

import pandas as pd
from markupsafe import Markup, escape

from . import __version__, plots
from .compare import (END_WEEKS, KEY, Comparison, cost_effectiveness, differences, differences_over_time, levels, mixes,
                      ranking, who_gains)
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


TABLES = {"differences": differences, "differences_over_time": differences_over_time, "who_gains": who_gains,
          "cost_effectiveness": cost_effectiveness, "levels": levels}
DATA = ("report.html", "runs.parquet", "groups.parquet", "comparison.json")
FILES = (*(f"{name}.csv" for name in TABLES), *FIGURES, *DATA)  # what write_comparison writes


def write_comparison(cmp: Comparison, out_dir: str | os.PathLike) -> Path:
    """Write :data:`FILES`, every file of the comparison, as the folder ``out_dir`` (the old
    folder or the new one, whole)."""
    from .files import write_folder

    tables = {name: table(cmp) for name, table in TABLES.items()}
    pictures = _pictures(cmp, tables)
    files = {f"{name}.csv": (lambda path, t=table: t.to_csv(path, index=False)) for name, table in tables.items()}
    files |= {name: (lambda path, data=data: path.write_bytes(data)) for name, data in pictures.items()}
    files |= dict(zip(DATA, (
        lambda path: path.write_text(render(cmp, tables, pictures), encoding="utf-8"),
        lambda path: cmp.runs.to_parquet(path, index=False),
        lambda path: cmp.groups.to_parquet(path, index=False),
        lambda path: path.write_text(json.dumps(_about(cmp), indent=2) + "\n", encoding="utf-8"),
    )))
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
    ref = cmp.reference
    paragraphs = [in_short(cmp, d, c), cost_range(cmp, costs), *mixed(cmp)]
    for name in cmp.names[1:]:
        parts = []
        for outcome in HEADLINE:
            row = d.loc[(name, outcome)]
            k = kind(outcome)
            count = (Markup(" (about {:,.0f} &rarr; {:,.0f} residents)").format(
                c.loc[cmp.reference, "double_at_end"], c.loc[name, "double_at_end"]) if outcome == "share_double" else "")
            parts.append(Markup("{}: {} &rarr; {}{}, {}: <em>{}</em>").format(
                label(outcome), fmt(at.loc[(cmp.reference, outcome), "mean"], k), fmt(at.loc[(name, outcome), "mean"], k),
                count, _interval(row, outcome), _verdict(row)))
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
        paragraphs.append(Markup("<p><strong>{}</strong> against {}, after {}: {}. {}</p>").format(
            name, ref, duration(cmp.weeks), Markup("; ").join(parts), money))
    return paragraphs


def cost_range(cmp: Comparison, costs: pd.DataFrame) -> Markup:
    """What the range of the unit costs (docs/costs.md) does to the cost and to the order
    of the scenarios by extra cost per extra resident taking part."""
    c = costs.set_index("scenario")
    spans = Markup("; ").join(
        Markup("{} {} ({} to {})").format(n, fmt(c.loc[n, "cost_per_year"], "eur"),
                                         fmt(c.loc[n, "cost_per_year_at_low"], "eur"),
                                         fmt(c.loc[n, "cost_per_year_at_high"], "eur")) for n in cmp.names)
    order = ranking(costs)
    if len(order["central"]) < 2:
        said = Markup("Fewer than two scenarios raise participation beyond chance, so there is no order to keep.")
    elif order["low"] == order["central"] == order["high"]:
        said = Markup("By extra cost over the run per extra resident taking part at the end, the order is {}, "
                      "with every lever at its central, its low or its high unit cost alike. That is an order of "
                      "mean values: the gains have intervals, and levers whose costs fall at different ends of "
                      "their ranges can change it.").format(" < ".join(order["central"]))
    else:
        said = Markup("By extra cost over the run per extra resident taking part at the end, the order is {} at "
                      "the central costs, but {} with every lever at its low and {} with every lever at its high "
                      "unit cost: within the cost range the ranking changes.").format(
            *(" < ".join(order[e]) for e in ("central", "low", "high")))
    return Markup("<p><strong>What the costs are worth.</strong> A year, at the central unit costs and (in "
                  "brackets) at the low and the high ones of docs/costs.md: {}. {}</p>").format(spans, said)


def mixed(cmp: Comparison) -> list[Markup]:
    """For each scenario that mixes two others: its difference with each and with their mean."""
    table = mixes(cmp, ["participation_rate", "hortulanus_isolated"])
    out = []
    for mix, rows in table.groupby("scenario", sort=False):
        r = rows.set_index(["outcome", "against"])
        pairs = list(dict.fromkeys(rows["against"]))
        words = Markup("; ").join(
            Markup("{} against {}: {}").format(label(o), a, _interval(r.loc[(o, a)], o))
            for o in ("participation_rate", "hortulanus_isolated") for a in pairs)
        out.append(Markup("<p><strong>{} as a mix.</strong> It takes its levers from {} and {}. {}.</p>").format(
            mix, pairs[0], pairs[1], words))
    return out


def in_short(cmp: Comparison, d: pd.DataFrame, c: pd.DataFrame) -> str:
    """The answer first: which scenario moves most residents out of double isolation,
    which does it cheapest, which cannot be told from the reference, which does worse."""
    others = c.loc[cmp.names[1:]]
    better = others[others["moved_out_low"] > 0]
    worse = [n for n in others.index if others.loc[n, "moved_out_high"] < 0]
    unclear = [n for n in others.index if n not in better.index and n not in worse]
    ref = cmp.reference

    def names(ns: list[str]) -> Markup:
        bold = [Markup("<strong>{}</strong>").format(n) for n in ns]
        return Markup(" and ").join([Markup(", ").join(bold[:-1]), bold[-1]] if len(bold) > 1 else bold)

    words = []
    if len(better):
        most = better["moved_out"].idxmax()
        r = better.loc[most]
        words.append(Markup("<strong>{}</strong> moves the most residents out of double isolation: {:.0f} (95% "
                            "interval {:.0f} to {:.0f}) more than {}").format(
            most, r["moved_out"], r["moved_out_low"], r["moved_out_high"], ref))
        priced = better["cost_per_resident_moved_out"].dropna()
        if len(priced):
            cheapest = priced.idxmin()
            price = fmt(priced[cheapest], "eur")
            if cheapest == most:
                words[-1] += Markup(", and at the lowest extra cost per resident moved out, {}").format(price)
            else:
                words.append(Markup("<strong>{}</strong> moves them at the lowest extra cost per resident, {}").format(
                    cheapest, price))
    if unclear:
        words.append(Markup("{} cannot be told from {} on double isolation with {} replicates").format(
            names(unclear), ref, len(cmp.seeds)))
    if worse:
        words.append(Markup("{} leave{} more residents in double isolation than {}").format(
            names(worse), "s" if len(worse) == 1 else "", ref))
    lonely = d.xs("lonely_share", level="outcome")
    best = lonely["mean_diff"].idxmin()
    if lonely.loc[best, "ci_high"] < 0:
        words.append(Markup("loneliness falls most under <strong>{}</strong>, {}").format(
            best, _interval(lonely.loc[best], "lonely_share")))
    return Markup('<p class="short"><strong>In short.</strong> {}.</p>').format(Markup("; ").join(words)) \
        if words else Markup("")


def _html(rows: list[dict]) -> Markup:
    """Rows as an HTML table: every value and heading escaped, except what is already markup
    (escaped before pandas sees the cells, which would otherwise turn markup into text)."""
    safe = [{str(escape(k)): str(v if isinstance(v, Markup) else escape(v)) for k, v in row.items()} for row in rows]
    return Markup(pd.DataFrame(safe, dtype=object).to_html(index=False, escape=False, classes="data", border=0))


def _differences_table(cmp: Comparison, diff: pd.DataFrame, level: pd.DataFrame) -> Markup:
    rows = []
    at = level.set_index(["scenario", "outcome"])
    for outcome in KEY:
        k = kind(outcome)
        row = {"outcome": label(outcome), cmp.reference: fmt(at.loc[(cmp.reference, outcome), "mean"], k)}
        for name in cmp.names[1:]:
            r = diff[(diff["outcome"] == outcome) & (diff["scenario"] == name)].iloc[0]
            row[name] = Markup("{}<br><small>{}</small>").format(fmt(at.loc[(name, outcome), "mean"], k),
                                                                 _interval(r, outcome))
        rows.append(row)
    return _html(rows)


def _who_gains_tables(cmp: Comparison, gains: pd.DataFrame) -> list[dict]:
    """Per way of grouping residents and outcome: a title and a table of the groups."""
    blocks = []
    order = cmp.groups.drop_duplicates(["by", "group"])  # as by_group lists them
    for by in order["by"].unique():
        for outcome in ("share_double", "participation_rate"):
            part = gains[(gains["by"] == by) & (gains["outcome"] == outcome)]
            rows = []
            for group in order.loc[order["by"] == by, "group"]:
                g = part[part["group"] == group]
                row = {by: group.replace("_", " "), "residents": f"{g['residents'].iloc[0]:,.0f}",
                       cmp.reference: fmt(g["reference"].iloc[0], kind(outcome))}
                for name in cmp.names[1:]:
                    r = g[g["scenario"] == name].iloc[0]
                    row[name] = "-" if r["mean_diff"] != r["mean_diff"] else _interval(r, outcome)
                rows.append(row)
            blocks.append({"title": f"{label(outcome)}, by {by}", "table": _html(rows)})
    return blocks


COST_COLUMNS = {  # column: heading, format
    "scenario": ("scenario", str),
    "cost_per_year": ("cost a year", "eur"),
    "cost_levers": ("levers, whole run", "eur"),
    "cost_support": ("professional support, whole run", "eur"),
    "cost_total": ("total, whole run", "eur"),
    "extra_cost": ("extra cost against the reference", "signed_eur"),
    "double_at_end": ("in double isolation at the end", "count"),
    "left_double": ("left double isolation by the last week (of those in it at week 0)", "count"),
    "moved": ("moved out of double isolation against the reference (95% interval)", str),
    "cost_per_resident_moved_out": ("extra cost per resident moved out", "eur"),
}


def _cost_cell(value, how) -> str:
    if how == "eur":
        return fmt(value, "eur")
    if how == "signed_eur":
        return fmt(value, "eur", signed=True)
    if how == "count":
        return "-" if value != value else f"{value:,.0f}"
    return str(value)


def _costs_table(costs: pd.DataFrame) -> Markup:
    frame = costs.assign(moved=[fmt_interval(r.moved_out, r.moved_out_low, r.moved_out_high, "int")
                                for r in costs.itertuples()])
    return _html([{heading: _cost_cell(row[col], how) for col, (heading, how) in COST_COLUMNS.items()}
                  for row in frame.to_dict("records")])


def _figure(name: str, data: bytes) -> Markup:
    encoded = base64.b64encode(data).decode("ascii")
    return Markup('<figure><img src="data:image/png;base64,{}" alt="{}"><figcaption>{}</figcaption></figure>').format(
        encoded, FIGURES[name], FIGURES[name])


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


@cache
def _template():
    from jinja2 import Environment, PackageLoader, StrictUndefined

    environment = Environment(loader=PackageLoader("isolation_sim", "templates"), autoescape=True,
                              undefined=StrictUndefined, keep_trailing_newline=True)
    return environment.get_template("report.html")


def render(cmp: Comparison, tables: dict[str, pd.DataFrame], pictures: dict[str, bytes]) -> str:
    """The report as one HTML page (``templates/report.html``; every value escaped)."""
    diff, costs, level = tables["differences"], tables["cost_effectiveness"], tables["levels"]
    return _template().render(
        names=cmp.names, ref=cmp.reference, replicates=len(cmp.seeds), residents=cmp.residents, weeks=cmp.weeks,
        duration=duration(cmp.weeks), burn_in=cmp.scenarios[0].burn_in_weeks, runs=len(cmp.names) * len(cmp.seeds),
        seconds=cmp.seconds, style=Markup(STYLE), version=__version__, seeds=cmp.seeds,
        scenarios=[{"name": n, "description": s.description,
                    "file": Path(s.source).name if s.source else "built in Python"}
                   for n, s in zip(cmp.names, cmp.scenarios)],
        findings=findings(cmp, diff, costs, level), end_from=cmp.weeks - min(END_WEEKS, cmp.weeks) + 1,
        differences=_differences_table(cmp, diff, level), who_gains=_who_gains_tables(cmp, tables["who_gains"]),
        costs=_costs_table(costs), figures={name: _figure(name, data) for name, data in pictures.items()})
