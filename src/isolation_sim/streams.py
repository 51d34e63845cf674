"""Random streams: one per process and week, so scenarios share their randomness.

Every random process draws from its own generator, seeded by the run's seed, the
process name and the week. Two scenarios that differ in one lever therefore keep the
rest of their randomness aligned (common random numbers), and a change in how often one
process draws cannot shift what another process draws.

>>> a = stream(7, "meeting", 3).random(2)
>>> b = stream(7, "meeting", 3).random(2)
>>> bool((a == b).all()), bool((a == stream(7, "ties", 3).random(2)).any())
(True, False)
"""

from __future__ import annotations

import zlib

import numpy as np

def stream(seed: int, name: str, week: int | None = None) -> np.random.Generator:
    """A generator for process ``name`` in ``week`` of the run with ``seed``.

    Without a week it is the stream of building the world (``population``, ``venues``,
    ...), which never coincides with a weekly stream.
    """
    tag = zlib.crc32(name.encode("utf-8"))
    key = (tag,) if week is None else (tag, int(week) + 2**20)
    return np.random.default_rng(np.random.SeedSequence(int(seed), spawn_key=key))
