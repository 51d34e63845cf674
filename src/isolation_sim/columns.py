"""A growable table of numpy columns: the store behind venues and buddies.

>>> class Pets(Columns):
...     FIELDS = {"legs": np.int8, "weight": np.float32}
>>> pets = Pets()
>>> pets.append(legs=[4, 2], weight=3.5).tolist()
[0, 1]
>>> pets.legs.tolist(), pets.weight.tolist(), len(pets)
([4, 2], [3.5, 3.5], 2)
"""

from __future__ import annotations

import numpy as np


class Columns:
    """Rows are entities (one venue, one buddy); each field is a numpy column.

    ``FIELDS`` maps a column name to its dtype, or to ``(dtype, width)`` for a column
    of ``width`` values per row. Unspecified values in :meth:`append` are zero.
    """

    FIELDS: dict[str, object] = {}

    def __init__(self) -> None:
        self.size = 0
        for name, spec in self.FIELDS.items():
            dtype, shape = self._spec(spec)
            setattr(self, name, np.zeros((0, *shape), dtype))

    @staticmethod
    def _spec(spec) -> tuple[object, tuple[int, ...]]:
        return (spec[0], (spec[1],)) if isinstance(spec, tuple) else (spec, ())

    def __len__(self) -> int:
        return self.size

    def append(self, **values) -> np.ndarray:
        """Add rows; returns their indices. The row count is the longest value given."""
        unknown = set(values) - set(self.FIELDS)
        if unknown:
            raise KeyError(f"unknown columns: {sorted(unknown)}")
        count = max(np.shape(v)[0] if np.ndim(v) else 1 for v in values.values())
        start = self.size
        for name, spec in self.FIELDS.items():
            dtype, shape = self._spec(spec)
            add = np.broadcast_to(np.asarray(values.get(name, 0), dtype=dtype), (count, *shape))
            setattr(self, name, np.concatenate([getattr(self, name), add]))
        self.size += count
        return np.arange(start, self.size)
