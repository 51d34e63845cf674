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


def candidates(rng: np.random.Generator, n: int, rate: float) -> np.ndarray:
    """The indices among ``0..n-1`` that a Bernoulli(``rate``) draw each picks, independently,
    in increasing order: drawn as the geometric gaps between them, so a rare event costs
    about ``n * rate`` draws instead of ``n``. A process keeps candidate i with chance
    ``p_i / rate`` to draw events of chance ``p_i <= rate`` (thinning: each resident is then
    picked with chance ``p_i``, independently).

    >>> picked = candidates(np.random.default_rng(1), 100_000, 0.01)
    >>> 900 < picked.size < 1100, bool((np.diff(picked) > 0).all()), int(picked.max()) < 100_000
    (True, True, True)
    >>> candidates(np.random.default_rng(1), 10, 0.0).size, candidates(np.random.default_rng(1), 5, 1.0).tolist()
    (0, [0, 1, 2, 3, 4])
    """
    if n <= 0 or rate <= 0.0:
        return np.zeros(0, np.int64)
    if rate >= 1.0:
        return np.arange(n, dtype=np.int64)
    expected = n * rate
    chunk = int(expected + 6.0 * np.sqrt(expected) + 16)
    at = np.cumsum(rng.geometric(rate, chunk)) - 1
    while at[-1] < n:  # rare: the gaps fell short of the end
        at = np.concatenate([at, at[-1] + np.cumsum(rng.geometric(rate, chunk))])
    return at[at < n].astype(np.int64)
