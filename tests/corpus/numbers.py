"""Numbers that pass a type check but cannot run: infinite, NaN or beyond what the model
can hold, cut-offs in the wrong order, and names and descriptions that are unsafe (control
characters, or a name that is no folder name). Each is refused naming the file and key."""

from __future__ import annotations

from ..conftest import BASELINE
from . import Case, write

# (key, TOML value): each set alone in a file that extends the baseline
VALUES = [
    ("steering.levers.buddies", "inf"), ("steering.levers.buddies", "nan"), ("steering.levers.buddies", "1e12"),
    ("steering.levers.buddies", "-1"), ("steering.levers.buddies", "12.5"),
    ("steering.levers.presence_hours", "-inf"), ("steering.levers.production_contracts", "1.5"),
    ("steering.levers.buddies.start_week", "9223372036854775807"),
    ("steering.levers.buddies.end_week", "9223372036854775807"),
    ("steering.unit_costs.buddies", "inf"), ("steering.unit_costs.buddies", "nan"),
    ("steering.unit_costs.links", "1e300"),
    ("steering.budget_per_year", "inf"), ("steering.budget_per_year", "nan"), ("steering.budget_per_year", "1e300"),
    ("behaviour.professional_support_cost", "inf"), ("behaviour.professional_support_cost", "1e300"),
    ("behaviour.contact_gain", "nan"), ("behaviour.initiative_start_per_1000", "nan"),
    ("behaviour.decay.friend", "nan"), ("behaviour.network_budget", "inf"),
    ("population.radius_km", "inf"), ("population.radius_km", "nan"), ("population.household_size", "nan"),
    ("population.shares.none", "nan"), ("population.residents", "100000000000"),
    ("population.represents", "9223372036854775807"), ("weeks", "1000000000"),
    ("seed", "-1"), ("burn_in_weeks", "9223372036854775807"),
    ("offer.links", "9223372036854775807"), ("offer.capacity", "1e9"), ("offer.walk_radius_km", "nan"),
    ("offer.inventory.meeting", "[0, 0, 0, 0, 9223372036854775807]"),
    ("offer.threshold_weights.cost", "inf"),
    ("buddies.pool.volunteer", "9223372036854775807"), ("buddies.dropout_per_week", "nan"),
    ("groups.migrant.giving", "inf"), ("groups.psychiatric.sensitivity.social", "nan"),
]


def _value_case(key: str, value: str, command: str) -> Case:
    *table, last = key.split(".")
    text = (f'name = "numbers"\nextends = "{BASELINE}"\n' + (f"[{'.'.join(table)}]\n" if table else "")
            + f"{last} = {value}\n")
    return Case(f"{command}: {key} = {value}", lambda tmp: [command, str(write(tmp, "numbers.toml", text))],
                names=("numbers.toml", last))


def _argv(command: str, path) -> list[str]:
    if command == "compare-first":
        return ["compare", str(path), str(BASELINE)]
    return [command, str(path)]


def _case(id: str, text: str, names: tuple[str, ...], command: str = "describe") -> Case:
    return Case(f"{command}: {id}", lambda tmp: _argv(command, write(tmp, "bad.toml", text)),
                names=("bad.toml", *names))


def _base(extra: str) -> str:
    return f'name = "bad"\nextends = "{BASELINE}"\n{extra}'


CASES = [_value_case(k, v, "describe" if i % 2 else "run") for i, (k, v) in enumerate(VALUES)]
CASES += [
    _case("lonely_cutoff above severe_cutoff", _base("[behaviour]\nlonely_cutoff = 9.5\nsevere_cutoff = 3.0\n"),
          ("lonely_cutoff", "severe_cutoff"), "run"),
    _case("tie_floor above friend_threshold", _base("[behaviour]\ntie_floor = 0.6\nfriend_threshold = 0.4\n"),
          ("tie_floor", "friend_threshold"), "validate"),
    _case("project_end_weeks the wrong way round", _base("[offer]\nproject_end_weeks = [300, 20]\n"),
          ("project_end_weeks",)),
    _case("a lever that ends before it starts",
          _base("[steering.levers]\nbuddies = { level = 3, start_week = 50, end_week = 10 }\n"),
          ("end_week", "start_week"), "compare-first"),
    _case("a name with a control character", 'name = "base\\u0007line"\nextends = "' + str(BASELINE) + '"\n',
          ("name",), "run"),
    _case("a name with an escape sequence", 'name = "\\u001b[31mred"\nextends = "' + str(BASELINE) + '"\n',
          ("name",)),
    _case("a name with a slash", _base("").replace('name = "bad"', 'name = "../../outside"'), ("name", "/"), "run"),
    _case("a name with a backslash", _base("").replace('name = "bad"', 'name = "a\\\\b"'), ("name",), "validate"),
    _case("a name that is '..'", _base("").replace('name = "bad"', 'name = ".."'), ("name",), "run"),
    _case("a name that starts with a dot", _base("").replace('name = "bad"', 'name = ".hidden"'), ("name",)),
    _case("a name of 300 characters", _base("").replace('name = "bad"', f'name = "{"n" * 300}"'), ("name",), "run"),
    _case("a name that is only spaces", _base("").replace('name = "bad"', 'name = "   "'), ("name",), "run"),
    _case("a description with a control character", _base('description = "a\\u0000b"\n'), ("description",)),
    _case("a description of a million characters", _base(f'description = "{"d" * 1_000_000}"\n'),
          ("description",)),
    _case("a value as long as the file", _base(f'weeks = "{"w" * 500_000}"\n'), ("weeks", "...")),
    _case("a key as long as the file", _base(f'{"k" * 500_000} = 1\n'), ("unknown key", "...")),
    _case("thousands of unknown keys", _base("".join(f"unknown_{i} = 1\n" for i in range(20_000))),
          ("unknown key", "more")),
]
