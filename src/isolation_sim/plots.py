"""Report-ready figures.

Functions return a :class:`matplotlib.figure.Figure`; in a notebook it shows inline, on a
machine without a screen matplotlib draws with its Agg backend.
"""

from __future__ import annotations

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
