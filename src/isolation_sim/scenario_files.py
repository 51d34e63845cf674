"""Reading scenario files: TOML, ``extends`` chains (a variant lists only what differs from
the file it extends, a path relative to the variant), and where each value was set.

>>> s = load_scenario("scenarios/baseline.toml", overrides={"residents": 500})
>>> s.population.residents
500
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from .changes import deep_merge, leaf_paths, resolve, set_path
from .errors import ScenarioError
from .explain import validate
from .memory import check_memory
from .schema import Scenario


def read_toml(path: Path, referrer: str | None) -> dict:
    where = f"{referrer}: extends" if referrer else str(path)
    if not path.exists():
        raise ScenarioError(f"{where}: scenario file '{path}' does not exist")
    if path.is_dir():
        raise ScenarioError(f"{where}: '{path}' is a folder, not a scenario file")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"{where}: cannot read '{path}': {exc}") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{path}: not valid TOML: {exc}") from None


def load_chain(path: Path, referrer: str | None, seen: list[Path]) -> tuple[dict, dict]:
    """Read a file and everything it extends; return merged data and key provenance."""
    resolved = path.resolve()
    if resolved in seen:
        loop = " -> ".join(str(p) for p in seen + [resolved])
        raise ScenarioError(f"{referrer}: extends: the chain of 'extends' loops: {loop}")
    data = read_toml(path, referrer)
    provenance = {p: str(path) for p in leaf_paths(data)}
    parent = data.get("extends")
    if parent is None:
        return data, provenance
    if not isinstance(parent, str):
        raise ScenarioError(f"{path}: extends = {parent!r}: must be a file name (a string)")
    base, base_prov = load_chain(path.parent / parent, str(path), seen + [resolved])
    base.pop("name", None)
    base.pop("description", None)
    merged = deep_merge(base, data)
    return merged, {**base_prov, **provenance}


def extends_chain(path: str | os.PathLike) -> list[Path]:
    """The file and every file it extends, the file itself first and the root last."""
    chain = [Path(path)]
    while (parent := read_toml(chain[-1], None).get("extends")) is not None and len(chain) < 50:
        chain.append(chain[-1].parent / str(parent))
    return chain


def where_set(path: str | os.PathLike) -> dict[str, Path]:
    """The file of the ``extends`` chain that sets each key, by dotted key (the nearest
    file to ``path`` wins, as when loading)."""
    provenance = load_chain(Path(path), None, [])[1]
    return {".".join(key): Path(file) for key, file in provenance.items()}


def load_scenario(path: str | os.PathLike, overrides: dict[str, Any] | None = None) -> Scenario:
    """Load, merge (``extends``) and validate a scenario file.

    ``overrides`` are what the command line gives (``weeks``, ``seed``, ``residents``),
    read as :func:`changes.resolve` reads them; an error in one says so.
    """
    path = Path(path)
    data, provenance = load_chain(path, None, [])
    where = str(path)
    for key, value in resolve(overrides or {}).items():
        keypath = key.split(".")
        set_path(data, keypath, value)
        provenance[tuple(keypath)] = f"{where} (--{keypath[-1]} given on the command line)"
    data["source"] = str(path)
    scenario = validate(data, where, provenance)
    check_memory(scenario)
    return scenario
