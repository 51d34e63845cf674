"""Report-ready figures.

Functions return a :class:`matplotlib.figure.Figure`; in a notebook it shows inline, on a
machine without a screen matplotlib draws with its Agg backend.
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import pandas as pd

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
        ax.grid(alpha=0.3)
        ax.spines[["top", "right"]].set_visible(False)
    if summary:
        fig.suptitle(f"Scenario '{summary.get('scenario', '')}': {summary.get('residents', 0):,} residents, "
                     f"seed {summary.get('seed', '')}", fontsize=13)
    return fig


def targets(comparison: pd.DataFrame) -> plt.Figure:
    """Target bands against the simulated means with their 95% intervals
    (``validation.compare_with_targets``): the Dutch figures left, the contagion gradient right."""
    contagion = comparison["pattern"].str.startswith("contagion_")
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 4.6), constrained_layout=True,
                                      gridspec_kw={"width_ratios": [3, 2]})
    for ax, rows, scale, unit in ((left, comparison[~contagion], 100, "% of residents"),
                                  (right, comparison[contagion], 100, "extra chance of being lonely (%)")):
        y = range(len(rows))
        for i, row in zip(y, rows.itertuples()):
            ax.barh(i, scale * (row.high - row.low), left=scale * row.low, height=0.5, color="#c7e9c0",
                    label="target band" if i == 0 else None)
            ax.errorbar(scale * row.simulated, i, xerr=[[scale * (row.simulated - row.ci_low)],
                                                        [scale * (row.ci_high - row.simulated)]],
                        fmt="o", color="#08519c" if row.holds else "#cb181d", capsize=4,
                        label=("simulated (95% interval)" if i == 0 else None))
        ax.set_yticks(list(y), [textwrap.fill(label, 26) for label in rows["label"]])
        ax.invert_yaxis()
        ax.set_xlabel(unit)
        ax.grid(axis="x", alpha=0.3)
    left.set_xlim(left=0)
    left.set_title("Dutch figures: target band and model")
    right.set_title("Loneliness spreading along ties")
    right.axvline(0, color="grey", lw=0.8)
    left.legend(loc="lower right", fontsize=8)
    return fig
