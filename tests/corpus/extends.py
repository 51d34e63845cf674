"""What a scenario file, or its ``extends``, can point at: devices, FIFOs, sockets, folders,
symlink loops, chains too deep, files too large, names the system refuses, bytes that are
not UTF-8 or TOML. Each is refused naming the file and the limit, without blocking or
reading more than the limit."""

from __future__ import annotations

import os
import socket
from pathlib import Path

from ..conftest import BASELINE
from . import Case, write


def variant(tmp: Path, target: str, name: str = "variant.toml") -> Path:
    """A scenario file that extends ``target`` (written as a TOML basic string)."""
    path = tmp / name
    path.write_text(f'name = "variant"\nextends = "{target}"\n', encoding="utf-8")
    return path


def fifo(tmp: Path) -> Path:
    os.mkfifo(tmp / "pipe.toml")
    return tmp / "pipe.toml"


def unix_socket(tmp: Path) -> Path:
    path = tmp / "socket.toml"
    with socket.socket(socket.AF_UNIX) as s:
        s.bind(str(path))
    return path


def symlink_loop(tmp: Path) -> Path:
    (tmp / "a.toml").symlink_to(tmp / "b.toml")
    (tmp / "b.toml").symlink_to(tmp / "a.toml")
    return tmp / "a.toml"


def chain(tmp: Path, depth: int) -> Path:
    """``depth`` files, each extending the next, the last extending the baseline."""
    write(tmp, f"c{depth}.toml", f'name = "c{depth}"\nextends = "{BASELINE}"\n')
    for i in range(depth - 1, 0, -1):
        write(tmp, f"c{i}.toml", f'name = "c{i}"\nextends = "c{i + 1}.toml"\n')
    return tmp / "c1.toml"


def large(tmp: Path, megabytes: int, line: str = "# padding\n") -> Path:
    path = tmp / "large.toml"
    with path.open("w", encoding="utf-8") as fh:
        fh.write(f'name = "large"\nextends = "{BASELINE}"\n')
        fh.write(line * (megabytes * 2**20 // len(line) + 1))
    return path


def unknown_keys(tmp: Path, megabytes: int) -> Path:
    path = tmp / "unknown.toml"
    with path.open("w", encoding="utf-8") as fh:
        fh.write(f'name = "unknown"\nextends = "{BASELINE}"\n')
        for i in range(megabytes * 2**20 // 24):
            fh.write(f"unknown_key_{i:09d} = 1\n")
    return path


def raw(tmp: Path, name: str, data: bytes) -> Path:
    path = tmp / name
    path.write_bytes(data)
    return path


# the things ``extends`` can point at, each with what the message must name
TARGETS = {
    "a device (/dev/zero)": (lambda tmp: "/dev/zero", ("/dev/zero", "not a regular file")),
    "a device (/dev/null)": (lambda tmp: "/dev/null", ("/dev/null", "not a regular file")),
    "a FIFO": (lambda tmp: str(fifo(tmp)), ("pipe.toml", "not a regular file")),
    "a socket": (lambda tmp: str(unix_socket(tmp)), ("socket.toml", "not a regular file")),
    "a folder": (lambda tmp: str(tmp), ("is a folder",)),
    "the empty name": (lambda tmp: "", ("is a folder",)),
    "a missing file": (lambda tmp: "missing.toml", ("missing.toml", "does not exist")),
    "a symlink loop": (lambda tmp: str(symlink_loop(tmp)), ("a.toml", "symbolic links")),
    "a symlink to itself": (lambda tmp: str(_self_link(tmp)), ("self.toml", "symbolic links")),
    "a NUL byte in the name": (lambda tmp: "base\\u0000.toml", ("NUL",)),
    "an over-long file name": (lambda tmp: "x" * 300 + ".toml", ("name too long",)),
    "an over-long path": (lambda tmp: "/".join(["d" * 200] * 30) + ".toml", ("name too long",)),
    "a file over the size limit": (lambda tmp: str(large(tmp, 2)), ("large.toml", "1 MB")),
    "a 50 MB file of unknown keys": (lambda tmp: str(unknown_keys(tmp, 50)), ("unknown.toml", "1 MB")),
    "a file that is not UTF-8": (lambda tmp: str(raw(tmp, "latin.toml", 'name = "caf\xe9"\n'.encode("latin-1"))),
                                 ("latin.toml", "UTF-8")),
    "a binary file": (lambda tmp: str(raw(tmp, "binary.toml", bytes(range(256)) * 4)), ("binary.toml",)),
    "a file that is not TOML": (lambda tmp: str(write(tmp, "broken.toml", "name = \n[[[")), ("broken.toml", "TOML")),
    "a file with a NUL byte": (lambda tmp: str(raw(tmp, "nul.toml", b'name = "a"\x00\n')), ("nul.toml",)),
}


def _self_link(tmp: Path) -> Path:
    (tmp / "self.toml").symlink_to(tmp / "self.toml")
    return tmp / "self.toml"


def _extends_case(what: str, command: str) -> Case:
    target, names = TARGETS[what]
    return Case(f"{command}: extends {what}", lambda tmp: [command, str(variant(tmp, target(tmp)))],
                names=("variant.toml", "extends", *names))


def _given_case(what: str, command: str) -> Case:
    """The same thing given as the scenario file itself."""
    target, names = TARGETS[what]
    return Case(f"{command}: the scenario file is {what}",
                lambda tmp: [command, _unescaped(target(tmp))], names=names)


def _unescaped(text: str) -> str:
    return text.replace("\\u0000", "\0")


COMMANDS = ("describe", "run", "validate", "calibrate", "decompose")
CASES = [_extends_case(what, COMMANDS[i % len(COMMANDS)]) for i, what in enumerate(TARGETS)]
CASES += [_given_case(what, COMMANDS[(i + 2) % len(COMMANDS)]) for i, what in enumerate(TARGETS)
          if what not in ("the empty name", "a missing file")]
CASES += [
    Case("a chain of 1,000 files", lambda tmp: ["describe", str(chain(tmp, 1000))], names=("c1.toml", "20")),
    Case("a chain one file deeper than the limit", lambda tmp: ["run", str(chain(tmp, 21))],
         names=("c1.toml", "20", "extends")),
    Case("a chain that loops", lambda tmp: ["describe", str(_loop(tmp))], names=("loops", "one.toml", "two.toml")),
    Case("extends is a number", lambda tmp: ["describe", str(write(tmp, "n.toml", 'name = "n"\nextends = 5\n'))],
         names=("n.toml", "extends")),
    Case("a decomposed strategy that extends a FIFO", lambda tmp: ["decompose", str(variant(tmp, str(fifo(tmp))))],
         names=("pipe.toml", "not a regular file")),
    Case("a compared scenario that extends a device",
         lambda tmp: ["compare", str(BASELINE), str(variant(tmp, "/dev/zero"))], names=("variant.toml", "/dev/zero")),
    Case("a decompose reference that is a folder",
         lambda tmp: ["decompose", str(BASELINE), "--reference", str(tmp)], names=("is a folder",)),
    Case("a calibrate target in a chain too deep", lambda tmp: ["calibrate", str(chain(tmp, 30)), "--dry-run"],
         names=("20",)),
]


def _loop(tmp: Path) -> Path:
    write(tmp, "one.toml", 'name = "one"\nextends = "two.toml"\n')
    write(tmp, "two.toml", 'name = "two"\nextends = "one.toml"\n')
    return tmp / "one.toml"
