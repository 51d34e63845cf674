"""Where the command line writes: the console, errors on stderr, progress bars, and the
output folder a command writes into."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeElapsedColumn,
                           TimeRemainingColumn)
from rich.text import Text

from ..errors import ScenarioError

EXIT_BAD_INPUT = 2
console = Console()
errors = Console(stderr=True)


def progress(unit: str, *extra: ProgressColumn) -> Progress:
    """A progress bar on stderr: done of total ``unit``, elapsed and remaining time."""
    columns = (TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn(unit),
               *extra, TimeElapsedColumn(), TimeRemainingColumn())
    return Progress(*columns, console=errors, transient=False)


class PerHour(ProgressColumn):
    """The rate of the last half minute, per hour."""

    def render(self, task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{3600 * speed:,.0f}/hour" if speed else "-/hour", style="progress.data.speed")


def output_folder(given: Path | None, default: str) -> Path:
    """``--out``, or ``results/<default>``; refused if it is a file."""
    out = given or Path("results") / default
    if out.exists() and not out.is_dir():
        raise ScenarioError(f"--out {out}: exists and is not a folder")
    return out
