"""The one kind of error bad input gives: a :class:`ScenarioError` whose message names the
file, the key path, the value and what is allowed (the command line prints it and exits
with status 2), and the wording of an unknown key.

>>> unknown_key("resident", ["residents", "neighbourhoods"])
"unknown key 'resident'; did you mean 'residents'? (allowed: residents, neighbourhoods)"
"""

from __future__ import annotations

import difflib
import typing


class ScenarioError(Exception):
    """A scenario file, or a value given for it, is not valid. The message says why."""


def check_keys(given: dict, allowed: tuple[str, ...]) -> None:
    for key in given:
        if key not in allowed:
            raise ValueError(unknown_key(key, allowed))


def unknown_key(key: str, allowed: typing.Iterable[str]) -> str:
    allowed = list(allowed)
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.5)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"unknown key '{key}'{hint} (allowed: {', '.join(allowed)})"
