"""Values given on the command line that must be refused, naming the flag typed and never
the scenario file: every command's number flags with bad values (a table), and values that
pass the flag's own check but not the scenario's bounds."""

from __future__ import annotations

from ..conftest import BASELINE, SCENARIOS
from . import Case, write

DYNAMICS = SCENARIOS / "dynamics.toml"
SPEC = SCENARIOS / "sweeps" / "levers_morris.toml"

# the arguments before the flag, for each command
COMMANDS = {
    "run": ["run", str(BASELINE)],
    "describe": ["describe", str(BASELINE)],
    "validate": ["validate", str(BASELINE)],
    "calibrate": ["calibrate", str(BASELINE), "--dry-run"],
    "compare": ["compare", str(BASELINE), str(DYNAMICS)],
    "decompose": ["decompose", str(DYNAMICS)],
    "sweep": ["sweep", str(SPEC)],
}
# the flags of each command that take a number, and values each refuses (argparse's check)
FLAGS = {
    "run": {"--weeks": ("0", "-1", "1.5", "ten"), "--seed": ("-1", "x"), "--residents": ("3", "0", "1e4")},
    "describe": {"--residents": ("9", "-5", "many")},
    "validate": {"--seeds": ("1", "0"), "--residents": ("5",), "--weeks": ("0",), "--workers": ("0", "two")},
    "calibrate": {"--samples": ("9",), "--rounds": ("0",), "--accept": ("0", "1.5", "nan", "inf", "-0.1", "half"),
                  "--best": ("0",), "--seeds": ("0",), "--check-seeds": ("1",), "--seed": ("-3",),
                  "--residents": ("2",), "--weeks": ("0",), "--workers": ("0",)},
    "compare": {"--replicates": ("1", "0"), "--weeks": ("0", "-2"), "--seed": ("-1",), "--residents": ("0", "9"),
                "--workers": ("0",)},
    "decompose": {"--replicates": ("1",), "--weeks": ("0",), "--seed": ("-1",), "--residents": ("1",),
                  "--workers": ("-1",)},
    "sweep": {"--workers": ("0", "1.5")},
}


def _flag_case(command: str, flag: str, value: str) -> Case:
    return Case(f"{command} {flag} {value}", lambda tmp: [*COMMANDS[command], flag, value],
                names=(flag, value), never=(".toml",))


FLAG_CASES = [_flag_case(c, f, v) for c, flags in FLAGS.items() for f, values in flags.items() for v in values]

# values the flag lets through but the scenario's bounds do not: the message still names
# the flag typed, never the scenario file's key
BEYOND = [
    ("run", "--weeks", "99999"), ("run", "--residents", "100000000000"), ("run", "--seed", "99999999999999999999"),
    ("describe", "--residents", "100000000000"),
    ("validate", "--weeks", "99999"),
    ("compare", "--weeks", "99999"), ("compare", "--residents", "100000000000"),
    ("compare", "--seed", "99999999999999999999"),
    ("decompose", "--weeks", "99999"), ("decompose", "--residents", "100000000000"),
    ("calibrate", "--weeks", "99999"),
]
BEYOND_CASES = [Case(f"{c} {f} {v} beyond the scenario's bounds", lambda tmp, c=c, f=f, v=v: [*COMMANDS[c], f, v],
                     names=(f,), never=(".toml", "population.residents", " weeks:"))
                for c, f, v in BEYOND]

CASES = [
    *FLAG_CASES,
    *BEYOND_CASES,
    Case("--residents fewer than the scenario's neighbourhoods",
         lambda tmp: ["describe", str(SCENARIOS / "rotterdam.toml"), "--residents", "20"],
         names=("--residents", "neighbourhoods"), never=(".toml",)),
    Case("compare --residents fewer than the neighbourhoods",
         lambda tmp: ["compare", str(SCENARIOS / "rotterdam.toml"), str(SCENARIOS / "rotterdam.toml"), "--residents",
                      "20"], names=("--residents", "neighbourhoods"), never=(".toml",)),
    Case("--residents too few for one venue of the offer",
         lambda tmp: ["run", str(BASELINE), "--residents", "50", "--weeks", "2"],
         names=("--residents", "no venue", "at least 80 residents"), never=(".toml",)),
    Case("a file without its own name (the name is never inherited)",
         lambda tmp: ["run", str(write(tmp, "nameless.toml", f'extends = "{BASELINE}"\nweeks = 3\n'))],
         names=("nameless.toml", "name"), never=("baseline.toml",)),
    Case("residents too few for one venue of the offer, in a file",
         lambda tmp: ["run", str(write(tmp, "few.toml", f'extends = "{BASELINE}"\nname = "few"\n[population]\nresidents = 50\n'))],
         names=("few.toml", "population.residents", "no venue"), never=("--residents",)),
    Case("a flag's text in square brackets is shown as typed",
         lambda tmp: ["run", str(BASELINE), "--weeks", "[bold]x[/bold]"], names=("[bold]x[/bold]",)),
    Case("a scenario named in square brackets is shown as typed",
         lambda tmp: ["describe", str(tmp / "[red]missing[/].toml")], names=("[red]missing[/].toml",)),
    Case("an unknown command", lambda tmp: ["simulate", str(BASELINE)], names=("simulate",)),
    Case("a flag no command has", lambda tmp: ["run", str(BASELINE), "--weeks-", "3"], names=("--weeks-",)),
]
