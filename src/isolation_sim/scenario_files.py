"""Reading scenario files: TOML, ``extends`` chains (a variant lists only what differs from
the file it extends, a path relative to the variant), and where each value was set.

Every file read (a scenario, a file it extends, a sweep spec) is read by
:func:`read_toml`: a regular file of at most :data:`MAX_FILE_BYTES`, UTF-8 text, TOML; a
chain of ``extends`` is at most :data:`MAX_CHAIN` files long and may not loop.

>>> s = load_scenario("scenarios/baseline.toml", overrides={"residents": 500})
>>> s.population.residents
500
"""

from __future__ import annotations

import errno
import os
import stat
import tomllib
from pathlib import Path
from typing import Any

from .changes import deep_merge, leaf_paths, resolve, set_path
from .errors import Given, ScenarioError, shown
from .explain import validate
from .memory import check_memory
from .schema import Scenario

MAX_FILE_BYTES = 2**20  # 1 MB: the shipped scenario files and specs are a few kB each
MAX_CHAIN = 20          # files in a chain of ``extends``, the first one included


def read_toml(path: Path, where: str | None = None) -> dict:
    """The table in the TOML file ``path``. ``where`` is the place that names the file (a
    key of the file that extends it, say); a problem with it is said there."""
    place = f"{where}: '{shown(str(path))[1:-1]}'" if where else shown(str(path))[1:-1]
    data = _read_bytes(path, place)
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"{place}: not UTF-8 text (byte {exc.start:,} is not UTF-8); save it as UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{place}: not valid TOML: {exc}") from None


def _read_bytes(path: Path, place: str) -> bytes:
    """The bytes of a regular file of at most :data:`MAX_FILE_BYTES`; never opens what is not
    a regular file (a device, a FIFO that would block, a socket) nor reads more than that."""
    data = b""
    try:
        info = os.stat(path)
        if stat.S_ISREG(info.st_mode) and info.st_size <= MAX_FILE_BYTES:
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # swapped for a FIFO since: fstat says so
            with os.fdopen(fd, "rb") as fh:
                info = os.fstat(fd)
                data = fh.read(MAX_FILE_BYTES + 1) if stat.S_ISREG(info.st_mode) else b""
    except ValueError:  # the system's own refusal of a name: a NUL byte in it
        raise ScenarioError(f"{place}: the file name holds a NUL byte") from None
    except FileNotFoundError:
        raise ScenarioError(f"{place}: does not exist") from None
    except OSError as exc:  # unreadable, a name too long, a loop of symbolic links
        why = "no permission to read it" if exc.errno in (errno.EACCES, errno.EPERM) else exc.strerror or str(exc)
        raise ScenarioError(f"{place}: cannot be read: {why}") from None
    if stat.S_ISDIR(info.st_mode):
        raise ScenarioError(f"{place}: is a folder, not a scenario file")
    if not stat.S_ISREG(info.st_mode):
        raise ScenarioError(f"{place}: is not a regular file (a device, a pipe or a socket); give a TOML file")
    if info.st_size > MAX_FILE_BYTES or len(data) > MAX_FILE_BYTES:
        raise ScenarioError(f"{place}: is {max(info.st_size, len(data)):,} bytes, more than the 1 MB "
                            f"({MAX_FILE_BYTES:,} bytes) a scenario file or sweep spec may be")
    return data


def read_chain(path: Path, where: str | None = None) -> list[tuple[Path, dict]]:
    """The file and every file it extends, each with its table, the file itself first and
    the root last: at most :data:`MAX_CHAIN` files, none twice."""
    files: list[tuple[Path, dict]] = []
    seen: list[Path] = []
    while True:
        data = read_toml(path, where)
        resolved = path.resolve()
        if resolved in seen:
            loop = " -> ".join(str(p) for p in seen + [resolved])
            raise ScenarioError(f"{where}: the chain of 'extends' loops: {loop}")
        files.append((path, data))
        seen.append(resolved)
        parent = data.get("extends")
        if parent is None:
            return files
        if not isinstance(parent, str):
            raise ScenarioError(f"{path}: extends = {shown(parent)}: must be a file name (a string)")
        if len(files) == MAX_CHAIN:
            raise ScenarioError(f"{files[0][0]}: extends: the chain of 'extends' is more than {MAX_CHAIN} files "
                                f"long (it goes on from {path}); at most {MAX_CHAIN} files may extend each other")
        where, path = f"{path}: extends", path.parent / parent


def load_chain(path: Path, where: str | None = None) -> tuple[dict, dict]:
    """Read a file and everything it extends; return merged data and key provenance."""
    data: dict = {}
    provenance: dict = {}
    for file, given in reversed(read_chain(path, where)):
        for own in ("name", "description"):  # each file's own: never inherited, nor its place
            data.pop(own, None)
            provenance.pop((own,), None)
        data = deep_merge(data, given)
        provenance |= {p: str(file) for p in leaf_paths(given)}
    return data, provenance


def extends_chain(path: str | os.PathLike) -> list[Path]:
    """The file and every file it extends, the file itself first and the root last."""
    return [file for file, _ in read_chain(Path(path))]


def where_set(path: str | os.PathLike) -> dict[str, Path]:
    """The file of the ``extends`` chain that sets each key, by dotted key (the nearest
    file to ``path`` wins, as when loading)."""
    provenance = load_chain(Path(path))[1]
    return {".".join(key): Path(file) for key, file in provenance.items()}


def load_scenario(path: str | os.PathLike, overrides: dict[str, Any] | None = None, *,
                  where: str | None = None, given: dict[str, str] | None = None) -> Scenario:
    """Load, merge (``extends``) and validate a scenario file.

    ``overrides`` are what the command line gives (``weeks``, ``seed``, ``residents``),
    read as :func:`changes.resolve` reads them; an error in one names the flag
    (``--weeks``), or the place ``given`` names for its key. ``where`` is the place that
    names the file (a sweep spec's key, say).
    """
    path = Path(path)
    data, provenance = load_chain(path, where)
    resolve(overrides or {})  # a setting given twice is refused
    for key, value in (overrides or {}).items():
        for dotted, setting in resolve({key: value}).items():
            keypath = dotted.split(".")
            set_path(data, keypath, setting)
            provenance[tuple(keypath)] = Given((given or {}).get(key, f"--{key.replace('_', '-')}"))
    data["source"] = str(path)
    scenario = validate(data, str(path), provenance)
    check_memory(scenario, where=provenance.get(("population", "residents")))
    return scenario
