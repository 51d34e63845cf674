"""Sweep specs that must be refused before any point is built or checked: designs too large,
numbers out of the scenario's bounds (named as the spec's keys, not the base scenario's),
and spec files that point at what a scenario file must not."""

from __future__ import annotations

import os
from pathlib import Path

from ..conftest import BASELINE
from . import Case, write


def spec(tmp: Path, sweep: str = "", parameters: str = "buddies = [0, 10]\n", name: str = "spec.toml") -> Path:
    """A sweep spec on the baseline with ``sweep`` lines added to its [sweep] table."""
    return write(tmp, name, f'[sweep]\nname = "s"\nscenario = "{BASELINE}"\n{sweep}\n[parameters]\n{parameters}')


def _case(id: str, sweep: str = "", parameters: str = "buddies = [0, 10]\n", names: tuple[str, ...] = (),
          never: tuple[str, ...] = ("baseline.toml",)) -> Case:
    return Case(f"sweep: {id}", lambda tmp: ["sweep", str(spec(tmp, sweep, parameters))],
                names=("spec.toml", *names), never=never)


def _grid(factors: int, values: int) -> str:
    keys = ["behaviour.contact_gain", "behaviour.tie_motivation", "behaviour.new_contact_chance",
            "behaviour.friend_threshold", "behaviour.loneliness_rate", "behaviour.loneliness_place",
            "behaviour.coherence_exposure", "behaviour.help_per_week", "behaviour.bridging_cutoff",
            "behaviour.lonely_withdrawal", "behaviour.loneliness_base", "behaviour.loneliness_network"]
    row = "[" + ", ".join(f"{0.01 * (i + 1):.2f}" for i in range(values)) + "]"
    return "".join(f'"{k}" = {row}\n' for k in keys[:factors])


def _fifo_spec(tmp: Path) -> list[str]:
    os.mkfifo(tmp / "spec.toml")
    return ["sweep", str(tmp / "spec.toml")]


def _large_spec(tmp: Path) -> list[str]:
    path = spec(tmp)
    with path.open("a", encoding="utf-8") as fh:
        fh.write("# padding\n" * 200_000)
    return ["sweep", str(path)]


CASES = [
    _case("a grid of 50^12 points", parameters=_grid(12, 50), names=("1,000,000",)),
    _case("a grid just over the limit", parameters=_grid(6, 11), names=("1,000,000", "1,771,561")),
    _case("replicates that take the design over the limit", "replicates = 10_000\n",
          parameters=f"buddies = [{', '.join(map(str, range(102)))}]\n",
          names=("1,000,000",)),
    _case("a Sobol' sample over the limit", 'sampler = "sobol"\nsamples = 524288\n',
          parameters="buddies = { low = 0, high = 10 }\nlinks = { low = 0, high = 10 }\n", names=("1,000,000",)),
    _case("samples over the limit", 'sampler = "lhs"\nsamples = 2_000_000\n',
          parameters="buddies = { low = 0, high = 10 }\n", names=("sweep.samples",)),
    _case("residents below the scenario's least", "residents = 3\n", names=("sweep.residents",)),
    _case("residents beyond the scenario's most", "residents = 100_000_000_000\n", names=("sweep.residents",)),
    _case("weeks beyond the scenario's most", "weeks = 99_999\n", names=("sweep.weeks",)),
    _case("burn_in_weeks negative", "burn_in_weeks = -1\n", names=("sweep.burn_in_weeks",)),
    _case("keep.every beyond the horizon", "\n[keep]\nevery = 9223372036854775807\n", names=("keep.every",)),
    _case("a lever range beyond the lever's most", 'sampler = "lhs"\nsamples = 4\n',
          parameters="buddies = { low = 0, high = 1e12 }\n", names=("parameters.buddies",)),
    _case("a lever list with an infinite value", parameters="buddies = [0, inf]\n", names=("parameters.buddies",)),
    _case("a whole-number setting beyond what a whole number holds", parameters="'offer.links' = [0, 1e20]\n",
          names=("parameters.offer.links", "1e+20", "out of range")),
    _case("a lever list with NaN", parameters="buddies = [0, nan]\n", names=("parameters.buddies",)),
    _case("a range low above high", 'sampler = "lhs"\nsamples = 4\n',
          parameters="buddies = { low = 10, high = 0 }\n", names=("parameters.buddies", "low")),
    _case("a huge list with a value given twice", parameters=f"buddies = [{', '.join(['1'] * 200_000)}]\n",
          names=("parameters.buddies", "...")),
    Case("sweep: a name with a slash",
         lambda tmp: ["sweep", str(write(tmp, "spec.toml", f'[sweep]\nname = "../x"\nscenario = "{BASELINE}"\n'
                                                          "[parameters]\nbuddies = [0, 1]\n"))],
         names=("spec.toml", "sweep.name")),
    Case("sweep: a base scenario that is a device",
         lambda tmp: ["sweep", str(write(tmp, "spec.toml", '[sweep]\nname = "s"\nscenario = "/dev/zero"\n'
                                                          "[parameters]\nbuddies = [0, 1]\n"))],
         names=("spec.toml", "/dev/zero", "not a regular file")),
    Case("sweep: the spec is a FIFO", _fifo_spec, names=("spec.toml", "not a regular file")),
    Case("sweep: the spec is over the size limit", _large_spec, names=("spec.toml", "1 MB")),
    Case("sweep: the spec is a folder", lambda tmp: ["sweep", str(tmp)], names=("is a folder",)),
    Case("sweep: the spec is not UTF-8",
         lambda tmp: ["sweep", str(_bytes(tmp / "spec.toml", b'[sweep]\nname = "caf\xe9"\n'))],
         names=("spec.toml", "UTF-8")),
]


def _bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
