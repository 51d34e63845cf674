"""The one kind of error bad input gives: a :class:`ScenarioError` whose message names the
file, the key path, the value and what is allowed (the command line prints it and exits
with status 2), the wording of an unknown key, and how a value is shown in a message
(:func:`shown`: never longer than a line, however long the value).

>>> unknown_key("resident", ["residents", "neighbourhoods"])
"unknown key 'resident'; did you mean 'residents'? (allowed: residents, neighbourhoods)"
>>> shown("w" * 500)
"'wwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww...wwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww'"
>>> shown(list(range(1000)))
'[0, 1, 2, 3, 4, 5, ...]'
"""

from __future__ import annotations

import difflib
import reprlib
import typing

# a message shows a value in at most about this many characters (reprlib cuts strings and
# numbers in the middle and lists, tables and sets after their first items, with "...")
SHOWN_CHARACTERS = 70
_REPR = reprlib.Repr(maxlevel=3, maxtuple=6, maxlist=6, maxarray=6, maxdict=6, maxset=6, maxfrozenset=6,
                     maxdeque=6, maxstring=SHOWN_CHARACTERS, maxlong=SHOWN_CHARACTERS, maxother=SHOWN_CHARACTERS)


class ScenarioError(Exception):
    """A scenario file, or a value given for it, is not valid. The message says why."""


class Given(str):
    """A place that names a value's key itself: the flag typed (``--residents``), or a key
    of another file (``spec.toml: sweep.residents``). A message says ``place: what is
    wrong``, where a file's place is followed by the key path."""


def shown(value: typing.Any) -> str:
    """``value`` as a message shows it: its ``repr``, cut with "..." when it is long."""
    return _REPR.repr(value)


def cut(text: str) -> str:
    """``text`` as a message shows a name or key: whole, or cut in the middle with "..."."""
    return shown(text)[1:-1] if len(text) > SHOWN_CHARACTERS else text


def check_keys(given: dict, allowed: tuple[str, ...]) -> None:
    for key in given:
        if key not in allowed:
            raise ValueError(unknown_key(key, allowed))


def unknown_key(key: str, allowed: typing.Iterable[str]) -> str:
    allowed = list(allowed)
    close = difflib.get_close_matches(key[:100], allowed, n=1, cutoff=0.5)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"unknown key {shown(key)}{hint} (allowed: {', '.join(allowed)})"
