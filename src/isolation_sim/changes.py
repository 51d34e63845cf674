"""Changes to a scenario by key path, and the one reading of changes given to a run, a
model or a tool: ``residents``, a lever by its name, ``a__b`` keywords and dotted keys.

>>> resolve({"buddies": 12, "residents": 600, "seed": None, "ignore_budget": True})
{'steering.levers.buddies.level': 12, 'population.residents': 600, 'steering.budget_per_year': UNSET}
"""

from __future__ import annotations

import typing
from collections.abc import Mapping
from typing import Any

import numpy as np

from .errors import ScenarioError, shown
from .levers import LEVERS


class _Unset:
    """The value that unsets a setting (``None`` in the scenario), as ``budget_per_year``."""

    def __repr__(self) -> str:
        return "UNSET"

    def __reduce__(self):
        return "UNSET"


UNSET = _Unset()
ALIASES = {"residents": "population.residents", "budget": "steering.budget_per_year"}


def setting(key: str) -> str:
    """The dotted scenario key that a change names: a lever's name stands for its level,
    ``residents`` for ``population.residents``, and ``a__b`` (a keyword) for ``a.b``.

    >>> setting("buddies"), setting("residents"), setting("behaviour__contact_gain")
    ('steering.levers.buddies.level', 'population.residents', 'behaviour.contact_gain')
    """
    if key in LEVERS:
        return f"steering.levers.{key}.level"
    return ALIASES.get(key, key.replace("__", "."))


def resolve(given: Mapping[str, Any]) -> dict[str, Any]:
    """The one reading of changes, as dotted keys.

    Keys are read by :func:`setting`. ``None`` means "not given" and is left out;
    :data:`UNSET` stays, and sets ``None`` in the scenario (no budget, say: see
    :func:`set_path`); ``ignore_budget=True`` is ``steering.budget_per_year = UNSET``.
    Reading changes twice gives the same changes. A setting named twice is refused.
    """
    out: dict[str, Any] = {}
    named: dict[str, str] = {}
    for key, value in given.items():
        path = setting(key)
        if key == "ignore_budget":
            if not isinstance(value, (bool, np.bool_)):
                raise ScenarioError(f"ignore_budget = {shown(value)}: expected true or false")
            path, value = ALIASES["budget"], UNSET if value else None
        elif _is_lever(path) and isinstance(value, (int, float, np.number)) and not isinstance(value, bool):
            path += ".level"  # a lever given as a number is its level, as in a scenario file
        if value is None:
            continue
        if path in named:
            raise ScenarioError(f"{named[path]} and {key} set the same setting, {path}; give it once")
        named[path] = key
        out[path] = value
    return out


def deep_merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def _is_lever(path: str) -> bool:
    parts = path.split(".")
    return len(parts) == 3 and parts[:2] == ["steering", "levers"] and parts[2] in LEVERS


def set_path(data: dict, path: list[str], value: Any) -> None:
    """Set ``value`` at the key ``path`` of nested tables (:data:`UNSET` sets ``None``). A
    lever written as a number (its level) becomes a table when a key of it is set."""
    for depth, key in enumerate(path[:-1]):
        inner = data.setdefault(key, {})
        if not isinstance(inner, dict):
            if _is_lever(".".join(path[: depth + 1])) and isinstance(inner, (int, float)):
                inner = data[key] = {"level": inner}
            else:
                raise ScenarioError(f"{'.'.join(path)}: {'.'.join(path[: depth + 1])} = {shown(inner)} is a value, "
                                    "not a table of settings")
        data = inner
    data[path[-1]] = None if value is UNSET else value


def leaf_paths(data: dict, prefix: tuple = ()) -> typing.Iterator[tuple]:
    for key, value in data.items():
        if isinstance(value, dict) and value:
            yield from leaf_paths(value, prefix + (key,))
        yield prefix + (key,)
