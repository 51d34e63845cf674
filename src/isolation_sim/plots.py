"""Report-ready figures.

Functions return a :class:`matplotlib.figure.Figure`; in a notebook it shows inline, on a
machine without a screen matplotlib draws with its Agg backend.
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .intervals import band
from .outcomes import kind, label

TYPE_COLOURS = {
    "share_none": ("#9ecae1", "not isolated"),
    "share_individual": ("#fdae6b", "individual societal isolation"),
    "share_collective": ("#a1d99b", "collective societal isolation"),
    "share_double": ("#d6604d", "double isolation"),
}


def overview(frame: pd.DataFrame, summary: dict | None = None) -> plt.Figure:
    """Isolation types, participation and loneliness over time, in three panels."""
    summary = summary or {}
    years = frame["week"] / 52.0
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.6), constrained_layout=True)

    ax = axes[0]
    isolated = [c for c in TYPE_COLOURS if c != "share_none"]
    ax.stackplot(years, [100 * frame[c] for c in isolated],
                 colors=[TYPE_COLOURS[c][0] for c in isolated], labels=[TYPE_COLOURS[c][1] for c in isolated])
    ax.set_title("Residents in isolation, by type")
    ax.set_ylabel("% of residents")
    ax.legend(loc="upper left", fontsize=9, frameon=False)
    ax.set_ylim(0, max(5.0, 100 * frame[isolated].sum(axis=1).max() * 1.35))

    ax = axes[1]
    ax.plot(years, 100 * frame["participation_rate"], color="#3182bd", lw=2, label="all residents")
    ax.plot(years, 100 * frame["participation_rate_double"].rolling(4, min_periods=1).mean(),
            color="#d6604d", lw=2, label="those in double isolation (4-week mean)")
    ax.set_title("Taking part in an activity this week")
    ax.set_ylabel("% of the group")
    ax.set_ylim(0, 100)
    ax.legend(loc="upper right", fontsize=9, frameon=False)

    ax = axes[2]
    ax.plot(years, 100 * frame["lonely_share"], color="#756bb1", lw=2, label="lonely")
    ax.plot(years, 100 * frame["severely_lonely_share"], color="#54278f", lw=2, ls="--", label="severely lonely")
    ax.plot(years, 100 * frame["hortulanus_isolated"], color="#636363", lw=2, ls=":",
            label="socially isolated (small network, lonely)")
    ax.set_title("Loneliness")
    ax.set_ylabel("% of residents")
    ax.set_ylim(0, 100)
    ax.legend(loc="upper right", fontsize=9, frameon=False)

    for ax in axes:
        ax.set_xlabel("years from today")
        _tidy(ax)
    if summary:
        fig.suptitle(f"Scenario '{summary.get('scenario', '')}': {summary.get('residents', 0):,} residents, "
                     f"seed {summary.get('seed', '')}", fontsize=13)
    return fig


def targets(comparison: pd.DataFrame) -> plt.Figure:
    """Target bands against the simulated means with their 95% intervals
    (``validation.compare_with_targets``): the Dutch figures top left, the contagion
    gradient top right, the typology's over-representations below (times the population's
    share, on a log scale); with a last year as well, its means below the first year's, as
    squares."""
    periods = list(dict.fromkeys(comparison["period"])) if "period" in comparison else ["first"]
    first = comparison[comparison["period"] == periods[0]] if "period" in comparison else comparison
    contagion = first["pattern"].str.startswith("contagion_")
    ratio = (first["unit"] == "ratio") if "unit" in first else np.zeros(len(first), bool)
    fig = plt.figure(figsize=(13, 8.4), constrained_layout=True)
    heights = [int((~contagion & ~ratio).sum()), max(int(ratio.sum()), 1)]
    grid = fig.add_gridspec(2, 2, width_ratios=[3, 2], height_ratios=heights)
    left, right, below = fig.add_subplot(grid[0, 0]), fig.add_subplot(grid[0, 1]), fig.add_subplot(grid[1, :])
    panels = ((left, first[~contagion & ~ratio], 100, "% of residents"),
              (right, first[contagion], 100, "extra chance of being lonely (%)"),
              (below, first[ratio], 1, "times the share of all residents (log scale)"))
    for ax, rows, scale, unit in panels:
        y = range(len(rows))
        finite = rows["ci_high"].replace(np.inf, np.nan)
        top = max(float(np.nanmax(finite.to_numpy(float), initial=1.0)) * 1.5, 2.0)
        for i, row in zip(y, rows.itertuples()):
            high = min(row.high, top) if np.isinf(row.high) else row.high
            ax.barh(i, scale * (high - row.low), left=scale * row.low, height=0.6, color="#c7e9c0",
                    label="target band" if i == 0 else None)
        for k, period in enumerate(periods):
            mine = comparison[comparison["period"] == period] if "period" in comparison else comparison
            mine = mine.set_index("pattern").loc[rows["pattern"]]
            shift = 0.0 if len(periods) == 1 else (k - 0.5) * 0.3
            for i, row in zip(y, mine.itertuples()):
                low = max(row.ci_low, LOG_FLOOR) if ax is below else row.ci_low  # a log axis starts above 0
                ax.errorbar(scale * row.simulated, i + shift, xerr=[[scale * max(row.simulated - low, 0.0)],
                                                                    [scale * (row.ci_high - row.simulated)]],
                            fmt="os"[k % 2], color="#08519c" if row.holds else "#cb181d", capsize=4)
        ax.set_yticks(list(y), [textwrap.fill(label, 26 if ax is not below else 60) for label in rows["label"]])
        ax.invert_yaxis()
        ax.set_xlabel(unit)
        ax.grid(axis="x", alpha=0.3)
        if ax is below and len(rows):
            ax.set_xscale("log")
            ax.set_xlim(LOG_FLOOR, top)
            ticks = [x for x in (0.5, 1, 2, 5, 10, 20, 50, 100, 200) if x <= top]
            ax.set_xticks(ticks, [f"{x:g}x" for x in ticks])
            ax.minorticks_off()
            ax.axvline(1, color="grey", lw=0.8)
    left.set_xlim(left=0)
    left.set_title("Dutch figures: target band and model")
    right.set_title("Loneliness spreading along ties")
    below.set_title("Who is in which isolation type (seed 000's typical circumstances)")
    right.axvline(0, color="grey", lw=0.8)
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = [Patch(color="#c7e9c0", label="target band")]
    handles += [Line2D([], [], marker="os"[k % 2], ls="", color="#555555", label=f"{period} year (95% interval)")
                for k, period in enumerate(periods)]
    handles += [Line2D([], [], marker="o", ls="", color=c, label=t) for c, t in (("#08519c", "in band"),
                                                                               ("#cb181d", "not in band"))]
    fig.legend(handles=handles, loc="outside lower center", ncol=len(handles), fontsize=9)
    return fig


LOG_FLOOR = 0.5  # where the typology's axis starts (times the population's share)


def _tidy(ax, axis: str = "both") -> None:
    ax.grid(axis=axis, alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)


# --------------------------------------------------------------------------- comparison
REFERENCE_COLOUR = "#404040"
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf")
SMOOTH = {"participation_rate_double": 13}  # weeks of a rolling mean for outcomes noisy week to week
PANELS = ("share_double", "participation_rate_double", "participation_rate", "lonely_share", "quality_of_life",
          "cost_cumulative")


def scenario_colours(names: list[str]) -> dict[str, str]:
    """The reference in dark grey, the others in distinct colours, the same in every figure."""
    return {name: REFERENCE_COLOUR if i == 0 else PALETTE[(i - 1) % len(PALETTE)] for i, name in enumerate(names)}


def _scale(outcome: str) -> tuple[float, str]:
    """Factor and unit to show an outcome (or its difference) with."""
    return {"pct": (100.0, "%"), "eur": (1e-3, "thousand euro")}.get(kind(outcome), (1.0, ""))


def comparison_timeseries(runs: pd.DataFrame, names: list[str], outcomes=PANELS) -> plt.Figure:
    """Each outcome over time: per scenario the mean over replicates and its 95% band
    (outcomes in :data:`SMOOTH` as a rolling mean of each replicate)."""
    colours = scenario_colours(names)
    cols = 3
    rows = -(-len(outcomes) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(15, 4.2 * rows), constrained_layout=True, squeeze=False)
    for ax, outcome in zip(axes.flat, outcomes):
        factor, unit = _scale(outcome)
        window = SMOOTH.get(outcome, 1)
        for name in names:
            mine = runs[runs["scenario"] == name]
            smooth = mine.groupby("replicate")[outcome].transform(lambda x: x.rolling(window, min_periods=1).mean())
            weekly = smooth.groupby(mine["week"])
            mean = weekly.mean()
            low, high = band(mean, weekly.sem(), weekly.count())
            years = mean.index / 52.0
            ax.fill_between(years, factor * low, factor * high, color=colours[name], alpha=0.2, lw=0)
            ax.plot(years, factor * mean, color=colours[name], lw=2 if name == names[0] else 1.6, label=name)
        ax.set_title(label(outcome) + (f" ({window}-week mean)" if window > 1 else ""))
        ax.set_xlabel("years from today")
        ax.set_ylabel(unit)
        _tidy(ax)
    for ax in axes.flat[len(outcomes):]:
        ax.set_visible(False)
    axes.flat[0].legend(fontsize=9, frameon=False)
    fig.suptitle("Over time: mean of the replicates, with its 95% interval", fontsize=13)
    return fig


def comparison_differences(diff: pd.DataFrame, names: list[str], outcomes, cols: int = 3,
                           colours: dict[str, str] | None = None) -> plt.Figure:
    """At the end: each scenario minus the reference, per outcome, with 95% intervals."""
    colours = colours or scenario_colours(names)
    others = names[1:]
    rows = -(-len(outcomes) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(5 * cols, 0.5 * len(others) * rows + 2.0 * rows),
                             constrained_layout=True, squeeze=False)
    for ax, outcome in zip(axes.flat, outcomes):
        factor, unit = _scale(outcome)
        part = diff[diff["outcome"] == outcome].set_index("scenario")
        for i, name in enumerate(others):
            row = part.loc[name]
            ax.errorbar(factor * row["mean_diff"], i, fmt="o", color=colours[name], capsize=4,
                        xerr=[[factor * (row["mean_diff"] - row["ci_low"])], [factor * (row["ci_high"] - row["mean_diff"])]])
        ax.axvline(0, color=REFERENCE_COLOUR, lw=1)
        ax.set_yticks(range(len(others)), others)
        ax.set_ylim(len(others) - 0.5, -0.5)
        ax.set_title(label(outcome))
        ax.set_xlabel(f"difference with {names[0]}" + (" (points)" if unit == "%" else f" ({unit})" if unit else ""))
        _tidy(ax, "x")
    for ax in axes.flat[len(outcomes):]:
        ax.set_visible(False)
    fig.suptitle(f"At the end: difference with '{names[0]}' (mean over replicates, 95% interval)", fontsize=13)
    return fig


def comparison_over_time(over_time: pd.DataFrame, names: list[str], outcomes) -> plt.Figure:
    """Each scenario minus the reference, week by week, with the 95% band."""
    colours = scenario_colours(names)
    fig, axes = plt.subplots(1, len(outcomes), figsize=(5 * len(outcomes), 4.2), constrained_layout=True,
                             squeeze=False)
    for ax, outcome in zip(axes.flat, outcomes):
        factor, unit = _scale(outcome)
        part = over_time[over_time["outcome"] == outcome]
        for name in names[1:]:
            line = part[part["scenario"] == name]
            years = line["week"] / 52.0
            ax.fill_between(years, factor * line["ci_low"], factor * line["ci_high"], color=colours[name],
                            alpha=0.2, lw=0)
            ax.plot(years, factor * line["mean_diff"], color=colours[name], lw=1.6, label=name)
        ax.axhline(0, color=REFERENCE_COLOUR, lw=1)
        ax.set_title(label(outcome))
        ax.set_xlabel("years from today")
        ax.set_ylabel(f"difference with {names[0]}" + (" (points)" if unit == "%" else f" ({unit})" if unit else ""))
        _tidy(ax)
    axes.flat[0].legend(fontsize=9, frameon=False)
    fig.suptitle(f"Over time: difference with '{names[0]}' (paired, 95% interval)", fontsize=13)
    return fig


def comparison_costs(costs: pd.DataFrame, names: list[str]) -> plt.Figure:
    """Left: what each scenario costs a year (levers, professional support). Right: extra
    cost against residents moved out of double isolation, both against the reference."""
    colours = scenario_colours(names)
    fig, (left, right) = plt.subplots(1, 2, figsize=(14, 4.8), constrained_layout=True)
    y = np.arange(len(costs))
    levers = costs["levers_per_year"] / 1e3
    support = costs["support_per_year"] / 1e3
    left.barh(y, levers, color="#6baed6", label="steering levers")
    left.barh(y, support, left=levers, color="#fdae6b", label="professional support")
    left.set_yticks(y, costs["scenario"])
    left.invert_yaxis()
    left.set_xlabel("thousand euro a year")
    left.set_title("Cost a year")
    left.legend(fontsize=9, frameon=False, loc="upper right")
    _tidy(left, "x")
    for i, row in enumerate(costs.iloc[1:].sort_values("moved_out").itertuples()):
        right.errorbar(row.extra_cost / 1e3, row.moved_out, fmt="o", color=colours[row.scenario], capsize=4, ms=8,
                       yerr=[[row.moved_out - row.moved_out_low], [row.moved_out_high - row.moved_out]])
        right.annotate(row.scenario, (row.extra_cost / 1e3, row.moved_out), xytext=(-8 if i % 2 else 8, 4),
                       ha="right" if i % 2 else "left", textcoords="offset points", fontsize=10)
    right.axhline(0, color=REFERENCE_COLOUR, lw=1)
    right.axvline(0, color=REFERENCE_COLOUR, lw=1)
    right.set_xlabel(f"extra cost over the run against '{names[0]}' (thousand euro)")
    right.set_ylabel("residents moved out of double isolation")
    right.set_title("What the extra money buys (95% interval)")
    _tidy(right)
    return fig


# --------------------------------------------------------------------------- sensitivity
INDEX_BARS = {  # per method: (index, its half-interval or None, how it reads, colour)
    "sobol": (("S1", "S1_conf", "first order S1: alone", "#9ecae1"),
              ("ST", "ST_conf", "total order ST: with interactions", "#08519c")),
    "morris": (("mu_star", "mu_star_conf", "mu*: mean absolute effect", "#08519c"),
               ("sigma", None, "sigma: interaction or non-linearity", "#fdae6b")),
    "lhs": (("S1", "S1_conf", "first order S1 (RBD-FAST)", "#08519c"),),
    "grid": (("S1", None, "first-order share S1", "#08519c"),),
}


def sensitivity(analysis, outcome: str) -> plt.Figure:
    """Left: the indices of each parameter for ``outcome``, most important on top.
    Right: the outcome at the end of every point against the most important parameter,
    coloured by the second."""
    method = analysis.method
    rows = analysis.indices[analysis.indices["outcome"] == outcome].copy()
    if analysis.by:  # ranges swept within each combination of listed values
        rows["parameter"] = rows["parameter"] + rows[analysis.by].astype(str).apply(
            lambda r: " (" + ", ".join(f"{k} {v}" for k, v in r.items()) + ")", axis=1)
    rows = rows.sort_values(analysis.ranked_by, ascending=True, na_position="first")
    factor, unit = _scale(outcome)
    fig, (left, right) = plt.subplots(1, 2, figsize=(14, 0.45 * len(rows) + 3.2), constrained_layout=True)
    bars = INDEX_BARS[method]
    height = 0.8 / len(bars)
    at = np.arange(len(rows))
    for j, (index, conf, text, colour) in enumerate(bars):
        scale = factor if method == "morris" else 1.0  # Morris effects are in the outcome's unit
        err = scale * rows[conf].to_numpy() if conf else None
        left.barh(at + (j - (len(bars) - 1) / 2) * height, scale * rows[index].to_numpy(), height, xerr=err,
                  color=colour, label=text, error_kw={"lw": 1, "capsize": 2})
    left.set_yticks(at, rows["parameter"].str.replace("_", " "))
    left.set_xlabel("index (share of variance)" if method != "morris" else
                    f"effect over the whole range{f' ({unit})' if unit else ''}"
                    .replace("(%)", "(points)"))
    left.axvline(0, color=REFERENCE_COLOUR, lw=0.8)
    left.legend(fontsize=9, frameon=False, loc="lower right")
    left.set_title(f"What moves '{label(outcome)}'")
    _tidy(left, "x")

    ranked = rows.dropna(subset=[analysis.ranked_by])["parameter"].tolist()[::-1]
    params = [p for p in dict.fromkeys(r.split(" (")[0] for r in ranked) if p in analysis.points]
    points = analysis.points
    if params:
        first = params[0]
        colour = points[params[1]] if len(params) > 1 else None
        shown = right.scatter(points[first], factor * points[outcome], c=colour, cmap="viridis", s=22,
                              alpha=0.85, edgecolors="none", color=None if colour is not None else "#08519c")
        if colour is not None:
            fig.colorbar(shown, ax=right, label=params[1].replace("_", " "))
        right.set_xlabel(first.replace("_", " "))
    else:
        right.text(0.5, 0.5, "the outcome did not vary", ha="center", va="center", transform=right.transAxes)
    right.set_ylabel(f"{label(outcome)} at the end" + (f" ({unit})" if unit else ""))
    right.set_title("every point of the sweep against the most important parameter")
    _tidy(right)
    fig.suptitle(f"Sweep '{analysis.name}': {method} sensitivity of {label(outcome)}", fontsize=13)
    return fig


def decomposition(table: pd.DataFrame, outcomes) -> plt.Figure:
    """A strategy's decomposition: each part's effect against the reference, per outcome,
    with 95% intervals (``decompose.table``)."""
    parts = list(dict.fromkeys(table["part"]))
    frame = table.rename(columns={"part": "scenario", "effect": "mean_diff"})
    colour = {"all": "#222222", "alone": PALETTE[0], "without": PALETTE[1], "family": PALETTE[2],
              "interaction": PALETTE[3]}
    colours = {part: colour[part.split(":")[0]] for part in parts}
    return comparison_differences(frame, ["reference", *parts], outcomes, cols=len(outcomes), colours=colours)
