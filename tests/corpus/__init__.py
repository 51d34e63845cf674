"""The refusal corpus: inputs a careless user, an unlucky disk or a hostile page can give,
each one a :class:`Case` that must end in exit status 2, no traceback, and a message that
names the place the bad value came from (the file and key, or the flag typed).

Each module here holds the cases of one class of input and lists them in ``CASES``;
``tests/test_refusals.py`` runs them all as one table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Case:
    """``make(tmp)`` builds what the case needs in the folder ``tmp`` and returns the command
    line; the message must contain every text in ``names`` (the place: a file, a key, a flag)
    and none in ``never`` (the wrong place)."""

    id: str
    make: Callable[[Path], list[str]]
    names: tuple[str, ...]
    never: tuple[str, ...] = ()


def write(tmp: Path, name: str, text: str) -> Path:
    """A file ``name`` in ``tmp`` holding ``text``; its path."""
    path = tmp / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
