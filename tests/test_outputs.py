"""Result folders are whole or absent: written beside their place and swapped in whole, so a
kill at any instant leaves the old folder or the new one; names made safe for paths."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from isolation_sim import files
from isolation_sim.cli import main
from isolation_sim.cli.console import output_folder
from isolation_sim.files import safe_name, write_folder
from isolation_sim.scenario import ScenarioError

from .conftest import BASELINE

EVENTS = {"open", "os.rename", "os.remove", "os.rmdir", "os.mkdir", "shutil.rmtree", "ctypes.call_function"}


def contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()} if folder.exists() else {}


def leftovers(parent: Path, keep: str) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name != keep)


def writers(text: str) -> dict:
    return {name: (lambda path, name=name: path.write_text(f"{name} of {text}")) for name in ("a.csv", "b.json", "c.png")}


def _write_and_die(out: Path, text: str, kill_at: int | None, swap_in_one_step: bool, told) -> None:
    """In a child: ``write_folder(out, writers(text))``, killed by SIGKILL at its
    ``kill_at``-th file system event; tells how many events it saw."""
    import matplotlib.pyplot  # noqa: F401 - imported before the count: only the write's own events count

    seen = 0

    def hook(event, _args):
        nonlocal seen
        if event in EVENTS:
            seen += 1
            if seen == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)

    if not swap_in_one_step:
        files._exchange = lambda a, b: False
    sys.addaudithook(hook)
    write_folder(out, writers(text))
    told.send(seen)


def write_in_a_child(out: Path, text: str, kill_at: int | None, swap_in_one_step: bool = True) -> int:
    """:func:`_write_and_die` in a process of its own (forked from a clean one); the number of
    events it saw, or, when killed, its exit code."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["isolation_sim.cli.console", "matplotlib.pyplot", __name__])
    mine, theirs = context.Pipe()
    child = context.Process(target=_write_and_die, args=(out, text, kill_at, swap_in_one_step, theirs))
    child.start()
    child.join(timeout=60)
    if kill_at is None:
        assert child.exitcode == 0
        return mine.recv()
    return child.exitcode


@pytest.mark.parametrize("swap_in_one_step", [True, False], ids=["exchange", "two renames"])
def test_a_write_killed_at_any_instant_leaves_the_old_folder_or_the_new_one_whole(tmp_path, swap_in_one_step):
    out = tmp_path / "out"
    write_folder(out, writers("old"))
    old = contents(out)
    events = write_in_a_child(out, "new", None, swap_in_one_step)
    new = contents(out)
    assert new != old and len(new) == 3 and events > 5
    seen = set()
    for step in range(1, events + 1):
        write_folder(out, writers("old"))
        assert write_in_a_child(out, "new", step, swap_in_one_step) == -signal.SIGKILL
        if not swap_in_one_step:
            files.clear_stale(out)  # between the two renames, the old folder is aside: put back
        found = contents(out)
        assert found in (old, new), f"killed at event {step} of {events}: {sorted(found)}"
        seen.add("old" if found == old else "new")
        write_folder(out, writers("old"))  # the next write clears what the killed one left
        assert leftovers(tmp_path, "out") == [], f"killed at event {step}"
    assert seen == {"old", "new"}  # the kills landed before and after the swap


def test_a_write_that_fails_leaves_the_old_folder_and_nothing_else(tmp_path):
    out = tmp_path / "out"
    write_folder(out, writers("old"))
    old = contents(out)

    def broken(path):
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        write_folder(out, writers("new") | {"d.csv": broken})
    assert contents(out) == old and leftovers(tmp_path, "out") == []


def test_a_folder_with_more_than_a_result_is_never_replaced(tmp_path):
    out = tmp_path / "out"
    write_folder(out, writers("old"))
    (out / "notes.txt").write_text("mine")
    with pytest.raises(ScenarioError, match="notes.txt"):
        write_folder(out, writers("new"))
    assert (out / "notes.txt").read_text() == "mine" and (out / "a.csv").read_text() == "a.csv of old"


def test_a_killed_run_leaves_the_old_folder_or_the_new_one_and_the_next_run_clears_up(tmp_path):
    out = tmp_path / "out"
    command = [sys.executable, "-m", "isolation_sim.cli", "run", str(BASELINE), "--residents", "300", "--weeks", "3",
               "--out", str(out)]
    assert main([*command[3:], "--seed", "1"]) == 0
    old = contents(out)
    run = subprocess.Popen([*command, "--seed", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not list(tmp_path.glob(".out-*")) and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    assert run.poll() is None, "the run ended before it began to write"
    run.kill()  # SIGKILL, while it writes
    run.wait(timeout=30)
    found = contents(out)
    assert found == old or (sorted(found) == sorted(old) and json.loads(found["summary.json"])["seed"] == 2)
    assert main([*command[3:], "--seed", "3"]) == 0
    assert json.loads((out / "summary.json").read_text())["seed"] == 3 and leftovers(tmp_path, "out") == []


@pytest.mark.parametrize("name, folder", [
    ("../../escaped", "_.._escaped"), ("a/b", "a_b"), (".hidden", "hidden"), ("..", "unnamed"),
    ("bell\x07 and\nnewline", "bell_ and_newline"), ("wijk Zuid-Oost", "wijk Zuid-Oost"), ("ü" * 80, "ü" * 50),
])
def test_a_default_folder_is_one_safe_folder_under_results(name, folder):
    assert safe_name(name) == folder
    out = output_folder(None, name, ("a.csv",))
    assert out == Path("results") / folder and out.parent == Path("results")


def test_folders_whose_names_begin_alike_keep_their_own_hidden_siblings(tmp_path):
    stem = "compare-" + "baseline-" * 8
    a, b = tmp_path / (stem + "a"), tmp_path / (stem + "b")
    aside = files._temp(b, "old").with_name(files._temp(b, "old").name.replace(str(os.getpid()), "999999999"))
    aside.mkdir()  # b's old folder, set aside by a writer that was killed (pid gone)
    (aside / "summary.json").write_text("b's")
    files.clear_stale(a)
    assert aside.is_dir() and not a.exists()  # not a's to put back, nor to remove
    files.clear_stale(b)
    assert (b / "summary.json").read_text() == "b's" and not aside.exists()
