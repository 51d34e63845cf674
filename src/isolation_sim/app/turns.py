"""Sessions take turns: one server process serves every browser session, and Python runs one
thread at a time, so playing sessions step and draw their weeks one after another, first
come first served. Each playing session gets an equal share, and anything else the server
does (opening a page, moving a lever) competes with one playing session at a time, not
with all of them.

>>> turns = Turns()
>>> with turns.take():
...     turns.waiting
1
>>> turns.waiting
0
"""

from __future__ import annotations

import threading
from collections import deque
from contextlib import contextmanager


class Turns:
    """A first-come-first-served turn for one holder at a time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queue: deque[threading.Event] = deque()

    @property
    def waiting(self) -> int:
        """Holders in the queue, the one whose turn it is included."""
        return len(self._queue)

    @contextmanager
    def take(self):
        mine = threading.Event()
        with self._lock:
            self._queue.append(mine)
            if len(self._queue) == 1:
                mine.set()
        mine.wait()
        try:
            yield
        finally:
            with self._lock:
                self._queue.popleft()
                if self._queue:
                    self._queue[0].set()
