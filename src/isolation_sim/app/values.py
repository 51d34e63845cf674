"""What the workshop page takes from a browser. A browser can send any JSON value for any
control (a forged message as easily as a moved slider), so every value is checked here, on
the server, before it reaches a model: each function gives the value the page may use, or
``None`` for a value it refuses.

>>> level("buddies", 40), level("buddies", 2e7), level("buddies", "40"), level("nosuch", 1)
(40.0, None, None, None)
>>> on_grid(0.30000000000000004, 0, 1, 0.1), on_grid(0.35, 0, 1, 0.1), on_grid(True, 0, 1, 1)
(0.3, None, None)
>>> whole("7", 0, 1499), whole(" 7 ", 0, 1499), whole("1e3", 0, 1499), whole(7, 0, 1499)
(7, 7, None, None)
>>> choice("dynamics", ["baseline", "dynamics"]), choice(["dynamics"], ["baseline", "dynamics"])
('dynamics', None)
"""

from __future__ import annotations

import math

from ..levers import LEVER, level_refused

DIGITS = 12  # a whole number typed on the page has at most this many digits


def on_grid(value, low: float, high: float, step: float) -> float | None:
    """``value`` when it is a number from ``low`` to ``high`` on the grid of ``step`` from
    ``low`` (what a slider offers), snapped to the grid; else ``None``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    value = float(value)
    if not (math.isfinite(value) and low <= value <= high):
        return None
    steps = round((value - low) / step)
    if abs((value - low) / step - steps) > 1e-6:
        return None
    return round(low + steps * step, 10)


def level(name, value) -> float | None:
    """``value`` as the level of lever ``name`` when the lever's slider offers it and the
    lever table allows it (:func:`isolation_sim.levers.level_refused`); else ``None``."""
    if not isinstance(name, str) or name not in LEVER:
        return None
    lever = LEVER[name]
    value = on_grid(value, 0.0, lever.slider_max, lever.step)
    if value is None or level_refused(name, value) is not None:
        return None
    return value


def whole(text, low: int, high: int) -> int | None:
    """The whole number typed in ``text`` when it is from ``low`` to ``high``; else ``None``."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not (text.isdigit() and text.isascii() and len(text) <= DIGITS):
        return None
    number = int(text)
    return number if low <= number <= high else None


def choice(value, offered: list[str]) -> str | None:
    """``value`` when it is one of the names ``offered``; else ``None``."""
    return value if isinstance(value, str) and value in offered else None
