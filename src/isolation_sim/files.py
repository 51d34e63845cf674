"""Writing files so that nothing half-written is ever left: every file is written under a
hidden name, flushed to disk and then moved in place in one step.

>>> import tempfile
>>> from pathlib import Path
>>> folder = Path(tempfile.mkdtemp())
>>> write_text(folder / "a.txt", "done\\n").read_text()
'done\\n'
>>> sorted(p.name for p in write_folder(folder / "out", {"b.txt": lambda p: p.write_text("b")}).iterdir())
['b.txt']
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path


def _flush(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def replace(tmp: str | os.PathLike, final: str | os.PathLike) -> Path:
    """Flush ``tmp`` to disk and move it to ``final``: there whole, or not at all."""
    _flush(Path(tmp))
    os.replace(tmp, final)
    return Path(final)


def write_file(path: str | os.PathLike, write: Callable[[Path], object]) -> Path:
    """Write ``path`` with ``write(tmp)`` on a hidden name beside it, then :func:`replace`."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        write(tmp)
        return replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_text(path: str | os.PathLike, text: str) -> Path:
    """:func:`write_file` of a text (UTF-8)."""
    return write_file(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_folder(out_dir: str | os.PathLike, writers: dict[str, Callable[[Path], object]]) -> Path:
    """Write each file ``name`` with ``writers[name](path)`` into ``out_dir``.

    The files are written in a hidden folder next to ``out_dir``, flushed, and moved in
    place only when all are complete, so an interrupted command leaves nothing half-written.
    """
    import matplotlib.pyplot as plt  # matplotlib only when a picture is wanted

    out = Path(out_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        for name, write in writers.items():
            write(tmp / name)
            plt.close("all")
            _flush(tmp / name)
        out.mkdir(exist_ok=True)
        for item in tmp.iterdir():
            os.replace(item, out / item.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out
