"""Where the command line writes: the console, errors on stderr, progress bars, and the
output folder a command writes into."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeElapsedColumn,
                           TimeRemainingColumn)
from rich.text import Text

from ..errors import ScenarioError
from ..files import safe_name, strangers

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


def output_folder(given: Path | None, default: str, files: tuple[str, ...] | None, *,
                  within: Path = Path("results")) -> Path:
    """``--out``, or ``within/<default>`` (``default`` made safe as a folder name); refused,
    before anything runs, if it cannot be a folder written here, or, for a result of
    ``files`` (names or glob patterns) that replaces the folder whole, if the folder holds
    anything else. ``files=None``: a folder written into bit by bit (a sweep's)."""
    out = given if given is not None else within / safe_name(default)
    place = f"--out {out}" if given is not None else f"the output folder {out} (give another with --out)"
    if why := _unusable(out, files):
        raise ScenarioError(f"{place}: {why}")
    return out


def _unusable(out: Path, files: tuple[str, ...] | None) -> str | None:
    """Why ``out`` cannot take a command's output (None: it can)."""
    text = str(out)
    if "\0" in text:
        return "a path cannot hold a NUL character"
    if long := next((part for part in out.parts if len(os.fsencode(part)) > 255), None):
        return f"the name {long[:40]}... is longer than the 255 bytes a file system allows"
    real = Path(os.path.realpath(out))
    if real == Path.cwd() or real in Path.cwd().parents:
        return "is the current folder or holds it; give a folder inside it"
    if out.exists() and not out.is_dir():
        return "exists and is not a folder"
    existing = next(p for p in (out, *out.parents, real) if p.exists())
    if not existing.is_dir():
        return f"{existing} is a file, not a folder"
    if files is not None and (extra := strangers(real, files)):
        return (f"holds what is no file of this result ({', '.join(extra[:5])}{', ...' * (len(extra) > 5)}); "
                "a result replaces its folder whole: give a new or empty folder")
    if files is not None and existing == out:
        existing = real.parent  # the result is written beside it, then swapped in
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".isolation-sim-", dir=existing))
    except OSError as exc:
        return f"cannot be written in {existing} ({exc.strerror or exc})"
    return None
