"""``isolation-sim app`` given a strategy the page would not offer, an address it cannot
serve the room on, or a port in use: refused by the flag before the page is announced, and
no server started."""

from __future__ import annotations

import socket

from ..conftest import BASELINE
from . import Case, write

HELD: list[socket.socket] = []  # ports held in use while the corpus runs


def port_in_use(tmp) -> list[str]:
    """A port another program listens on."""
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    HELD.append(taken)
    return ["app", str(BASELINE), "--port", str(taken.getsockname()[1])]


def broken_second(tmp) -> list[str]:
    first = write(tmp, "first.toml", f'extends = "{BASELINE}"\nname = "first"\n')
    write(tmp, "broken.toml", "weeks = \n")
    return ["app", str(first), "--second", "broken"]


CASES = [
    Case("app: --second of a scenario in another folder",
         lambda tmp: ["app", str(BASELINE), "--second", "../scenarios/dynamics"],
         names=("--second ../scenarios/dynamics",), never=("baseline.toml", "Open http")),
    Case("app: --second of a file in the folder that does not load",
         broken_second, names=("--second broken",), never=("first.toml", "Open http")),
    Case("app: --second of no scenario",
         lambda tmp: ["app", str(BASELINE), "--second", "nosuch"], names=("--second nosuch",)),
    Case("app: a port in use", port_in_use, names=("--port", "already in use"), never=("Open http",)),
    Case("app: every address, with no name for the room",
         lambda tmp: ["app", str(BASELINE), "--host", "0.0.0.0"], names=("--host 0.0.0.0", "--allow-host")),
    Case("app: --allow-host that is not a host name",
         lambda tmp: ["app", str(BASELINE), "--allow-host", "evil.example/x"], names=("--allow-host evil.example/x",)),
    Case("app: --host that is not an address of this machine",
         lambda tmp: ["app", str(BASELINE), "--host", "192.0.2.1"], names=("--host 192.0.2.1",)),
]
