"""The command line's arguments: one function a command, argparse types that refuse a bad
number with the option, the value and what is allowed (exit status 2)."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from ..app.server import host_name
from .console import EXIT_BAD_INPUT, error


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own errors, with our exit code
        message = re.sub(r"^argument (--[\w-]+)(?:/\S+)?: ", r"\1 ", message)  # "--seeds 1: must be ..."
        self.print_usage(sys.stderr)
        error(message)
        raise SystemExit(EXIT_BAD_INPUT)


def at_least(least: int):
    """An argparse type: a whole number of at least ``least``."""
    def whole(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text}: not a whole number") from None
        if value < least:
            raise argparse.ArgumentTypeError(f"{value}: must be at least {least}")
        return value
    whole.__name__ = f"at least {least}"
    return whole


def share(text: str) -> float:
    """An argparse type: a share above 0 and at most 1."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text}: not a number") from None
    if not 0.0 < value <= 1.0:
        raise argparse.ArgumentTypeError(f"{value:g}: must be a share above 0 and at most 1")
    return value


def port(text: str) -> int:
    value = at_least(1)(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"{value}: must be 1 to 65535")
    return value


def parser(handlers) -> Parser:
    """The parser of every command; each sets ``handler`` to ``handlers.<command>``."""
    top = Parser(prog="isolation-sim", description="Simulate social marginalisation and how steering changes it.")
    sub = top.add_subparsers(dest="command", required=True, parser_class=Parser)
    for command in (run, describe, validate, calibrate, compare, decompose, sweep, analyse, app):
        command(sub).set_defaults(handler=getattr(handlers, command.__name__))
    return top


def _scenario(p: argparse.ArgumentParser, help: str = "scenario file (TOML)") -> None:
    p.add_argument("scenario", type=Path, help=help)


def _residents(p: argparse.ArgumentParser, default: str = "the scenario's") -> None:
    p.add_argument("--residents", type=at_least(10), help=f"number of residents (default: {default})")


def _workers(p: argparse.ArgumentParser) -> None:
    p.add_argument("--workers", type=at_least(1), default=2, help="processes to run on (default: 2)")
    p.add_argument("--dask", metavar="ADDRESS", help="run on the Dask scheduler at ADDRESS (tcp://host:8786), "
                                                     "or 'local' for a LocalCluster of --workers processes")


def folder(text: str) -> Path:
    """An argparse type: a folder's path, never the empty text (which would be ``.``)."""
    if not text.strip():
        raise argparse.ArgumentTypeError(f"{text!r}: an empty path names no folder; give the output folder's path")
    return Path(text)


def _out(p: argparse.ArgumentParser, default: str) -> None:
    p.add_argument("--out", type=folder, help=f"output folder (default: {default})")


def run(sub):
    p = sub.add_parser("run", help="run a scenario and write its time series, summary and overview plot")
    _scenario(p)
    p.add_argument("--weeks", type=at_least(1), help="weeks to simulate (default: the scenario's)")
    p.add_argument("--seed", type=at_least(0), help="random seed (default: the scenario's)")
    _residents(p)
    _out(p, "results/<scenario name>")
    return p


def describe(sub):
    p = sub.add_parser("describe", help="show a scenario's population and offer, and what its counts mean at "
                                        "the size asked for")
    _scenario(p)
    _residents(p)
    return p


def _horizon(p: argparse.ArgumentParser) -> None:
    p.add_argument("--weeks", type=at_least(1), help="weeks after the burn-in; the last year is the last 52 of them, "
                                                      "and under 104 only the first year is checked (default: the "
                                                      "scenario's)")


def validate(sub):
    p = sub.add_parser("validate", help="hold a scenario's first and last year against the Dutch figures (docs/validation.md)")
    _scenario(p)
    p.add_argument("--seeds", type=at_least(2), default=20, help="seeds to average over (default: 20)")
    _residents(p)
    _horizon(p)
    _workers(p)
    _out(p, "results/<scenario name>-validation")
    return p


def calibrate(sub):
    p = sub.add_parser("calibrate", help="fit the free parameters to the Dutch figures in the first and the last "
                                         "year (ABC) and write them into the scenario files")
    _scenario(p, "scenario file (TOML) to fit, e.g. scenarios/baseline.toml")
    p.add_argument("--samples", type=at_least(10), default=300,
                   help="points of the Latin hypercube in each round (default: 300)")
    p.add_argument("--rounds", type=at_least(1), default=2,
                   help="rounds, each sampling the box of the points kept in the one before (default: 2)")
    p.add_argument("--accept", type=share, default=0.1,
                   help="share of the closest points kept as the posterior (default: 0.1)")
    p.add_argument("--best", type=at_least(1), default=6, help="closest points run again on more seeds (default: 6)")
    p.add_argument("--seeds", type=at_least(1), default=4, help="seeds for each of those (default: 4)")
    p.add_argument("--check-seeds", type=at_least(2), default=20,
                   help="seeds for the final check of the written values (default: 20)")
    p.add_argument("--seed", type=at_least(0), default=1, help="seed of the sample and of its runs (default: 1)")
    _residents(p)
    _horizon(p)
    _workers(p)
    p.add_argument("--write", type=Path, help="scenario file to write the fitted values into (default: the root of "
                                              "the scenario's 'extends' chain, so every scenario built on it uses them)")
    p.add_argument("--dry-run", action="store_true", help="fit and report, but write no scenario file")
    _out(p, "results/<scenario name>-calibration")
    return p


def compare(sub):
    p = sub.add_parser("compare", help="run scenarios side by side with common random numbers and write a report "
                                       "of their differences")
    p.add_argument("scenarios", type=Path, nargs="+", metavar="SCENARIO",
                   help="scenario files (TOML); the first is the reference the others are held against")
    _paired(p, "scenario", "the first scenario's")
    _residents(p, "the scenarios', which must be the same")
    _workers(p)
    _out(p, "results/compare-<names>")
    return p


def _paired(p: argparse.ArgumentParser, each: str, whose: str) -> None:
    """Replicates with common random numbers: how many, how long, from which seed."""
    p.add_argument("--replicates", type=at_least(2), default=10,
                   help=f"runs of each {each}; replicate i uses seed SEED+i in all of them (default: 10)")
    p.add_argument("--weeks", type=at_least(1), help=f"weeks to simulate (default: {whose})")
    p.add_argument("--seed", type=at_least(0), help=f"seed of the first replicate (default: {whose})")


def decompose(sub):
    p = sub.add_parser("decompose", help="what each lever of a strategy does alone and within it, and how much "
                                         "the whole differs from the sum of its parts")
    _scenario(p, "the strategy (TOML)")
    p.add_argument("--reference", type=Path, help="scenario the levers are held against (default: the file the "
                                                  "strategy extends)")
    _paired(p, "part", "the reference's")
    _residents(p, "the strategy's")
    _workers(p)
    _out(p, "results/decompose-<name>")
    return p


def sweep(sub):
    p = sub.add_parser("sweep", help="run a parameter sweep (a sweep spec, TOML) into a Parquet dataset; run it "
                                     "again to finish an interrupted sweep")
    p.add_argument("spec", type=Path, help="sweep spec (TOML), e.g. scenarios/sweeps/levers_sobol.toml")
    _out(p, "results/sweep-<name>")
    _workers(p)
    return p


def analyse(sub):
    p = sub.add_parser("analyse", help="sensitivity indices (Sobol', Morris) of a finished sweep, as CSV and figures")
    p.add_argument("folder", type=Path, help="the sweep's output folder")
    _out(p, "FOLDER/analysis")
    return p


def app(sub):
    p = sub.add_parser("app", help="start the live workshop app: two strategies side by side in a browser")
    p.add_argument("scenario", type=Path, nargs="?", default=Path("scenarios/baseline.toml"),
                   help="scenario file of strategy A (default: scenarios/baseline.toml); the page offers every "
                        "scenario in its folder")
    p.add_argument("--second", default="dynamics", help="scenario name of strategy B (default: dynamics)")
    _residents(p, "the scenarios'")
    p.add_argument("--mesa", action="store_true", help="serve Mesa's own page (SolaraViz: Mesa's controls and "
                                                       "plots) of the scenario instead of the workshop page")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only; "
                                                       "0.0.0.0: every address, with --allow-host)")
    p.add_argument("--allow-host", metavar="NAME", type=host_name, action="append", default=[],
                   help="a name or address other machines open the page by (this machine's address in the room's "
                        "network, e.g. 192.168.1.20); repeatable. The server refuses requests by any other name, "
                        "and websockets from any other page")
    p.add_argument("--port", type=port, default=8765, help="port (default: 8765)")
    p.add_argument("--language", choices=("nl", "en"), default="nl",
                   help="language the page opens in (default: nl); switchable on the page")
    return p
