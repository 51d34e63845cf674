"""Scenario files, ``extends`` chains, numbers and flags that must be refused."""

from __future__ import annotations

from ..conftest import BASELINE
from . import Case, write

CASES = [
    Case("weeks negative in a file",
         lambda tmp: ["run", str(write(tmp, "bad.toml", f'extends = "{BASELINE}"\nweeks = -1\n'))],
         names=("bad.toml", "weeks")),
    Case("residents below ten on the command line",
         lambda tmp: ["run", str(BASELINE), "--residents", "3"],
         names=("--residents",), never=("baseline.toml",)),
]
