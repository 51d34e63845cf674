"""Writing files so that nothing half-written is ever left: every file is written under a
hidden name, flushed to disk and then moved in place in one step; a result folder is
written whole under a hidden name beside its place and swapped in whole.

>>> import tempfile
>>> from pathlib import Path
>>> folder = Path(tempfile.mkdtemp())
>>> write_text(folder / "a.txt", "done\\n").read_text()
'done\\n'
>>> sorted(p.name for p in write_folder(folder / "out", {"b.txt": lambda p: p.write_text("b")}).iterdir())
['b.txt']
>>> safe_name("../../etc/x\\n"), safe_name(".hidden"), safe_name("...")
('_.._etc_x_', 'hidden', 'unnamed')
"""

from __future__ import annotations

import ctypes
import errno
import fnmatch
import glob
import hashlib
import os
import re
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

from .errors import ScenarioError

NAME_BYTES = 100   # a folder name made from a scenario's name is at most this long (UTF-8)
TEMP_STEM = 60     # bytes of a folder's name kept in its temporary siblings' names
_TEMP = re.compile(r"(\d+)\.(tmp|old)")


def _flush(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _flush_folder(path: Path) -> None:
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


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


def safe_name(text: str) -> str:
    """``text`` as the name of one folder: no ``/`` or ``\\``, no control character, no
    leading dot or space, at most :data:`NAME_BYTES` bytes; never empty."""
    name = "".join(c if c.isprintable() and c not in "/\\" else "_" for c in text).lstrip(". ").rstrip()
    name = name.encode()[:NAME_BYTES].decode(errors="ignore").rstrip()
    return name or "unnamed"


def strangers(folder: Path, names: Iterable[str]) -> list[str]:
    """What in ``folder`` is not a file of a result made of ``names`` (file names or glob
    patterns): what replacing the folder by such a result would lose."""
    names = tuple(names)
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir()
                  if p.is_symlink() or not p.is_file() or not any(fnmatch.fnmatchcase(p.name, n) for n in names))


def alive(pid: int) -> bool:
    """Whether process ``pid`` is running (on this machine)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _prefix(out: Path) -> str:
    """The start of the hidden siblings' names of ``out``: its name (cut to :data:`TEMP_STEM`
    bytes) and a digest of the whole name, so two folders whose names begin alike never
    take each other's for their own."""
    digest = hashlib.blake2s(os.fsencode(out.name), digest_size=4).hexdigest()
    return "." + out.name.encode()[:TEMP_STEM].decode(errors="ignore") + f"-{digest}-"


def _temp(out: Path, kind: str) -> Path:
    """A hidden sibling of ``out`` that belongs to this process: ``.<name>-<digest>-<pid>.tmp``
    (the folder being written) or ``.old`` (the old folder, while it is swapped out)."""
    return out.with_name(f"{_prefix(out)}{os.getpid()}.{kind}")


def clear_stale(out: Path) -> None:
    """Remove the temporary siblings of ``out`` that a killed writer left (their process
    has ended); an old folder swapped out and never replaced goes back in place."""
    for path in map(Path, glob.glob(glob.escape(str(out.with_name(_prefix(out)))) + "*")):
        found = _TEMP.fullmatch(path.name.removeprefix(_prefix(out)))
        if found is None or int(found[1]) == os.getpid() or alive(int(found[1])):
            continue
        if found[2] == "old" and not out.exists():
            os.rename(path, out)
        else:
            shutil.rmtree(path, ignore_errors=True)


_libc = ctypes.CDLL(None, use_errno=True) if os.name == "posix" else None
RENAME_EXCHANGE = 2
AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap ``a`` and ``b`` in one step (Linux ``renameat2``); False where the system or
    the file system cannot."""
    function = getattr(_libc, "renameat2", None)
    if function is None:
        return False
    if function(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _swap_in(new: Path, out: Path) -> None:
    """Put the complete folder ``new`` at ``out``; a kill at any instant leaves at ``out``
    the old folder or the new one, whole (or, where the file system cannot swap in one
    step, for an instant neither: the old one is then put back by :func:`clear_stale`)."""
    if not out.exists():
        os.rename(new, out)
    elif not _exchange(new, out):
        old = _temp(out, "old")
        os.rename(out, old)
        os.rename(new, out)
        shutil.rmtree(old, ignore_errors=True)
    _flush_folder(out.parent)


def write_folder(out_dir: str | os.PathLike, writers: dict[str, Callable[[Path], object]],
                 replaces: Iterable[str] = ()) -> Path:
    """Write each file ``name`` with ``writers[name](path)`` as the folder ``out_dir``.

    The files are written into a hidden folder beside ``out_dir``, flushed, and the whole
    folder swapped in for the old one: an interrupted or killed command leaves the old
    folder or the new one, never a mix (a killed one's hidden folder is removed by the
    next write). A folder that holds more than an earlier result of the same files (or
    of the glob patterns ``replaces``) is refused, never replaced.
    """
    import matplotlib.pyplot as plt  # matplotlib only when a picture is wanted

    out = Path(os.path.realpath(out_dir))
    if out.exists() and not out.is_dir():
        raise ScenarioError(f"{out_dir}: exists and is not a folder; nothing was written")
    if extra := strangers(out, (*writers, *replaces)):
        raise ScenarioError(f"{out_dir}: holds {', '.join(extra[:5])}, which a result would replace; nothing was "
                            "written: move these away or give another folder")
    out.parent.mkdir(parents=True, exist_ok=True)
    clear_stale(out)
    tmp = _temp(out, "tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        for name, write in writers.items():
            write(tmp / name)
            plt.close("all")
            _flush(tmp / name)
        _flush_folder(tmp)
        _swap_in(tmp, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # after a swap: the old folder
    return Path(out_dir)
