"""Where the command line writes: the console, errors on stderr, progress bars, and the
output folder a command writes into."""

from __future__ import annotations

import os
from pathlib import Path

from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeElapsedColumn,
                           TimeRemainingColumn)
from rich.text import Text

from ..errors import ScenarioError

EXIT_BAD_INPUT = 2
console = Console()
errors = Console(stderr=True)


def error(message: str, style: str = "bold red", label: str = "error:") -> None:
    """Print ``message`` on stderr after a red ``error:``, as plain text: a value in square
    brackets (``[red]``, ``[0, 1]``) is shown as it is, never read as markup."""
    errors.print(Text.assemble((label, style), " ", str(message)), highlight=False, soft_wrap=True)


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
    """``--out``, or ``results/<default>``; refused, before anything runs, if it is a file or
    cannot be made or written."""
    out = given or Path("results") / default
    if out.exists() and not out.is_dir():
        raise ScenarioError(f"--out {out}: exists and is not a folder")
    parent = out.parent
    blocking = next((p for p in (parent, *parent.parents) if p.exists()), None)
    if blocking is not None and not blocking.is_dir():
        raise ScenarioError(f"--out {out}: {blocking} is a file, not a folder")
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ScenarioError(f"--out {out}: its folder cannot be made ({exc.strerror or exc})") from None
    if not os.access(parent, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise ScenarioError(f"--out {out}: cannot be written here (no permission)")
    return out
