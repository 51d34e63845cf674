"""Output folders that cannot take a result, and sweep folders that are damaged or hold
another sweep's files: refused before any run, naming the flag or the file."""

from __future__ import annotations

import json
import shutil
import tempfile
from functools import cache
from pathlib import Path

from ..conftest import BASELINE
from . import Case, write

SMALL = ["--residents", "300", "--weeks", "2"]


def run_into(out: str) -> list[str]:
    return ["run", str(BASELINE), *SMALL, "--out", out]


def holding(tmp: Path, name: str, *files: str) -> Path:
    """A folder ``name`` in ``tmp`` holding ``files`` (files, or folders for names ending in /)."""
    folder = tmp / name
    folder.mkdir()
    for file in files:
        (folder / file).mkdir() if file.endswith("/") else (folder / file).write_text("mine", encoding="utf-8")
    return folder


@cache
def _sweeps() -> Path:
    """Two tiny finished sweeps, ``ours`` and ``theirs`` (another spec), made once."""
    from isolation_sim.sweep import load_sweep, run_sweep

    home = Path(tempfile.mkdtemp(prefix="isolation-sim-corpus-"))
    for name, values in (("ours", "[0, 10]"), ("theirs", "[0, 30]")):
        spec = write(home, f"{name}.toml", f'[sweep]\nname = "{name}"\nscenario = "{BASELINE}"\nresidents = 300\n'
                                           f'weeks = 2\nburn_in_weeks = 1\n[keep]\noutcomes = ["share_double"]\n'
                                           f'[parameters]\nbuddies = {values}\n')
        run_sweep(load_sweep(spec), home / name, workers=1)
        (home / name / ".lock").unlink()
    return home


def sweep_folder(tmp: Path, damage=None) -> Path:
    """A copy of the finished sweep ``ours`` in ``tmp``, then ``damage(folder)`` done to it."""
    folder = tmp / "sweep"
    shutil.copytree(_sweeps() / "ours", folder)
    if damage is not None:
        damage(folder)
    return folder


def manifest(change):
    """A damage: the manifest's JSON, changed by ``change(manifest)`` (its result, if any, replaces it)."""
    def damage(folder: Path) -> None:
        data = json.loads((folder / "manifest.json").read_text())
        data = change(data) or data
        (folder / "manifest.json").write_text(json.dumps(data), encoding="utf-8")
    return damage


def run_file(change):
    def damage(folder: Path) -> None:
        path = folder / "runs" / "run-000001.parquet"
        path.write_bytes(change(path.read_bytes()))
    return damage


def foreign(name: str):
    def damage(folder: Path) -> None:
        shutil.copy(_sweeps() / "theirs" / name, folder / name)
    return damage


def analyse(damage) -> callable:
    return lambda tmp: ["analyse", str(sweep_folder(tmp, damage))]


def resume(damage) -> callable:
    return lambda tmp: ["sweep", str(_sweeps() / "ours.toml"), "--out", str(sweep_folder(tmp, damage))]


RUN_1 = "run-000001.parquet"
DAMAGES = {  # what is done to the sweep's folder, and what the refusal must name
    "a run file cut short": (run_file(lambda data: data[: len(data) // 2]), (RUN_1, "cut short")),
    "a run file of garbage": (run_file(lambda data: b"not parquet at all\n" * 40), (RUN_1, "cannot be read")),
    "an empty run file": (run_file(lambda data: b""), (RUN_1,)),
    "a run file of another sweep": (foreign("runs/run-000001.parquet"), (RUN_1, "not run 1 of this sweep")),
    "a run file of another run": (lambda f: shutil.copy(f / "runs/run-000000.parquet", f / "runs" / RUN_1),
                                  (RUN_1, "not run 1 of this sweep")),
    "a manifest that is a list": (manifest(lambda m: [m]), ("manifest.json", "an array")),
    "a manifest that is not JSON": (lambda f: (f / "manifest.json").write_text("{runs_total: 2"),
                                    ("manifest.json", "cannot be read")),
    "a manifest without runs_total": (manifest(lambda m: m.pop("runs_total") and None), ("manifest.json",
                                                                                      "runs_total is missing")),
    "a manifest with runs_total as text": (manifest(lambda m: m.update(runs_total="2")),
                                           ("manifest.json", 'runs_total = "2"')),
    "a manifest with runs_total beyond its runs": (manifest(lambda m: m.update(runs_total=10**12)),
                                                   ("manifest.json", "runs_total = 1000000000000")),
    "a design of another sweep": (foreign("design.parquet"), ("design.parquet", "another sweep")),
}

CASES = [
    Case("--out under a file", lambda tmp: run_into(str(write(tmp, "a file", "") / "out")),
         names=("--out", "is a file, not a folder")),
    Case("--out the empty text", lambda tmp: run_into(""), names=("--out", "empty path")),
    Case("--out blank", lambda tmp: run_into("  "), names=("--out", "empty path")),
    Case("--out where nothing can be written", lambda tmp: run_into("/proc/isolation-sim-out"),
         names=("--out /proc/isolation-sim-out", "cannot be written")),
    Case("--out the current folder", lambda tmp: run_into("."), names=("--out .", "current folder")),
    Case("--out a file", lambda tmp: run_into(str(write(tmp, "taken", "mine"))),
         names=("--out", "not a folder")),
    Case("--out with a NUL byte", lambda tmp: run_into(f"{tmp}/a\0b"), names=("--out", "NUL")),
    Case("--out with an over-long name", lambda tmp: run_into(str(tmp / ("x" * 300))),
         names=("--out", "longer than the 255 bytes")),
    Case("--out a folder of the user's files",
         lambda tmp: run_into(str(holding(tmp, "mine", "notes.txt", "summary.json"))),
         names=("--out", "notes.txt"), never=("summary.json",)),
    Case("--out a folder with a subfolder", lambda tmp: run_into(str(holding(tmp, "mine", "data/"))),
         names=("--out", "data")),
    Case("--out a sweep's folder", lambda tmp: run_into(str(sweep_folder(tmp))), names=("--out", "manifest.json")),
    Case("compare --out a folder of the user's files",
         lambda tmp: ["compare", str(BASELINE), str(BASELINE), *SMALL, "--replicates", "2",
                      "--out", str(holding(tmp, "mine", "notes.txt"))], names=("--out", "notes.txt")),
    Case("analyse --out a folder of the user's files",
         lambda tmp: ["analyse", str(sweep_folder(tmp)), "--out", str(holding(tmp, "mine", "notes.txt"))],
         names=("--out", "notes.txt")),
    Case("analyse --out inside runs/",
         lambda tmp: ["analyse", str(sweep_folder(tmp)), "--out", str(tmp / "sweep" / "runs" / "x")],
         names=("--out", "runs/")),
    Case("sweep --out a folder of the user's files",
         lambda tmp: ["sweep", str(_sweeps() / "ours.toml"), "--out", str(holding(tmp, "mine", "notes.txt"))],
         names=("--out", "notes.txt", "holds no sweep")),
    Case("analyse a file, not a folder",
         lambda tmp: ["analyse", str(holding(tmp, "mine", "notes.txt") / "notes.txt")],
         names=("notes.txt", "not a sweep folder"), never=("--out", "output folder")),
    Case("sweep --out a folder of another sweep",
         lambda tmp: ["sweep", str(_sweeps() / "theirs.toml"), "--out", str(sweep_folder(tmp))],
         names=("--out", "holds runs of another spec")),
    *(Case(f"analyse {what}", analyse(damage), names=names) for what, (damage, names) in
      DAMAGES.items()),
    *(Case(f"resume {what}", resume(damage), names=names) for what, (damage, names) in DAMAGES.items()),
]
