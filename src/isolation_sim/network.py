"""The social graph: who knows whom, how strongly, in which layer.

Ties live in flat arrays, one row per tie ``(u, v)`` with ``u < v``, kept sorted by the key
``u * n + v``. That single store makes the weekly processes vectorised (sums over ties are
one compiled pass; a resident's ties as the lower end are one block of rows, so finding
a tie scans a handful of rows). :meth:`SocialNetwork.to_networkx`
gives the same graph as a :class:`networkx.Graph` for analysis and display.

>>> import numpy as np
>>> from isolation_sim.layers import FAMILY, FRIEND
>>> net = SocialNetwork(4, np.array([0, 1]), np.array([1, 2]), np.array([FRIEND, FAMILY]), np.array([0.5, 0.8]))
>>> net.degree().tolist()
[1, 2, 1, 0]
>>> sorted(net.to_networkx().edges(data="layer"))
[(0, 1, 'friend'), (1, 2, 'family')]
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from . import parallel
from .kernels import end_touching, find_ties, merge_ties, sum_both_ends
from .layers import LAYERS



class SocialNetwork:
    """All ties between ``n`` residents, as sorted parallel arrays.

    Changes are cheap to ask for and applied together: :meth:`add` stages new ties and
    :meth:`remove` marks ties dead; :meth:`commit` applies both in one pass over the
    store (the ties process commits every week; every sum over ties commits first).
    :meth:`find` sees committed, living ties only.
    """

    def __init__(self, n: int, u, v, layer, strength) -> None:
        self.n = int(n)
        u = np.asarray(u, dtype=np.int64)
        v = np.asarray(v, dtype=np.int64)
        layer = np.asarray(layer, dtype=np.int8)
        strength = np.asarray(strength, dtype=np.float32)
        keep = u != v
        lo, hi = np.minimum(u, v)[keep], np.maximum(u, v)[keep]
        key = lo * self.n + hi
        # One row per pair; where a pair was drawn twice, the closest layer wins.
        order = np.lexsort((layer[keep], key))
        key = key[order]
        first = np.ones(key.size, dtype=bool)
        first[1:] = key[1:] != key[:-1]
        self.key = key[first]
        self.u = (self.key // self.n).astype(np.int32)
        self.v = (self.key % self.n).astype(np.int32)
        self.layer = layer[keep][order][first]
        self.strength = strength[keep][order][first]
        self.contact = np.zeros(self.key.size, dtype=bool)
        self.alive = np.ones(self.key.size, dtype=bool)
        self.first = np.searchsorted(self.u, np.arange(self.n + 1)).astype(np.int64)
        self._staged: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []

    # ------------------------------------------------------------------ size
    def __len__(self) -> int:
        return int(self.key.size)

    @property
    def nbytes(self) -> int:
        arrays = (self.key, self.u, self.v, self.layer, self.strength, self.contact, self.alive)
        return sum(a.nbytes for a in arrays)

    @property
    def pending(self) -> bool:
        return bool(self._staged) or not self.alive.all()

    # ------------------------------------------------------------------ change
    def find(self, a, b) -> np.ndarray:
        """Row index of each living tie ``(a[i], b[i])``, or -1 where they have none."""
        a = np.asarray(a, dtype=np.int64).ravel()
        b = np.asarray(b, dtype=np.int64).ravel()
        return find_ties(self.first, self.v, self.alive, a, b)

    def add(self, a, b, layer, strength) -> None:
        """Stage ties for pairs; at commit, pairs that have a tie (or were staged earlier
        this week) are skipped, as are self-pairs."""
        a = np.asarray(a, dtype=np.int64)
        b = np.asarray(b, dtype=np.int64)
        keep = a != b
        if not keep.any():
            return
        key = np.minimum(a, b)[keep] * self.n + np.maximum(a, b)[keep]
        self._staged.append((
            key,
            np.broadcast_to(np.asarray(layer, dtype=np.int8), a.shape)[keep],
            np.broadcast_to(np.asarray(strength, dtype=np.float32), a.shape)[keep],
        ))

    def unstage(self, a, b, layer: int) -> None:
        """Withdraw ties of ``layer`` staged this week for the pairs ``(a[i], b[i])``."""
        a = np.asarray(a, dtype=np.int64)
        b = np.asarray(b, dtype=np.int64)
        gone = np.minimum(a, b) * self.n + np.maximum(a, b)
        self._staged = [(key[keep], kind[keep], strength[keep])
                        for key, kind, strength in self._staged
                        for keep in [~(np.isin(key, gone) & (kind == layer))]]

    def remove(self, mask) -> int:
        """Mark the ties selected by ``mask`` as ended; returns how many were living."""
        ended = int(np.count_nonzero(mask & self.alive))
        self.alive &= ~mask
        return ended

    def remove_touching(self, gone: np.ndarray) -> None:
        """Mark as ended every tie of the residents ``gone`` (a boolean mask), in one pass."""
        parallel.run(end_touching, parallel.parts(len(self)), self.u, self.v, self.alive, gone)

    def commit(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Apply staged additions and removals in one pass; the store stays sorted.

        Returns the ties added, as ``(u, v, layer, strength)``."""
        if not self.pending:
            return np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0, np.int8), np.zeros(0, np.float32)
        if self._staged:
            key = np.concatenate([s[0] for s in self._staged])
            layer = np.concatenate([s[1] for s in self._staged])
            strength = np.concatenate([s[2] for s in self._staged])
            key, first = np.unique(key, return_index=True)  # the first staged wins
            layer, strength = layer[first], strength[first]
            new = self.find(key // self.n, key % self.n) < 0
            key, layer, strength = key[new], layer[new], strength[new]
        else:
            key = np.zeros(0, np.int64)
            layer = np.zeros(0, np.int8)
            strength = np.zeros(0, np.float32)
        u, v = (key // self.n).astype(np.int32), (key % self.n).astype(np.int32)
        merged = merge_ties(self.key, self.u, self.v, self.layer, self.strength, self.contact, self.alive,
                            key, u, v, layer, strength, self.n)
        self.key, self.u, self.v, self.layer, self.strength, self.contact, self.first = merged
        self.alive = np.ones(self.key.size, dtype=bool)
        self._staged = []
        return u, v, layer, strength

    # ------------------------------------------------------------------ sums over ties
    def per_resident(self, weights=None, mask=None) -> np.ndarray:
        """Sum of ``weights`` over each resident's ties (a count when no weights)."""
        self.commit()
        w = np.ones(len(self), np.float64) if weights is None else np.asarray(weights, np.float64)
        select = np.ones(len(self), bool) if mask is None else np.asarray(mask, bool)
        return sum_both_ends(self.u, self.v, w, select, self.n)

    def degree(self, mask=None) -> np.ndarray:
        return self.per_resident(mask=mask).astype(np.int64)

    # ------------------------------------------------------------------ views
    def ties_of(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """(other residents, row indices) of resident ``i``'s ties."""
        self.commit()
        as_u = np.arange(self.first[i], self.first[i + 1])
        as_v = np.flatnonzero(self.v == i)
        rows = np.concatenate([as_u, as_v])
        others = np.concatenate([self.v[as_u], self.u[as_v]])
        return others.astype(np.int64), rows

    def to_networkx(self, nodes=None, rows=None) -> nx.Graph:
        """The graph as a :class:`networkx.Graph` with ``strength`` and ``layer`` on each edge."""
        self.commit()
        g = nx.Graph()
        g.add_nodes_from(range(self.n) if nodes is None else nodes)
        rows = np.arange(len(self)) if rows is None else rows
        g.add_edges_from(
            (int(a), int(b), {"strength": float(s), "layer": LAYERS[int(k)]})
            for a, b, s, k in zip(self.u[rows], self.v[rows], self.strength[rows], self.layer[rows])
        )
        return g

    def ego_graph(self, i: int, radius: int = 1) -> nx.Graph:
        """Resident ``i``'s ego network: everyone within ``radius`` steps and the ties among them."""
        members = {int(i)}
        frontier = {int(i)}
        for _ in range(radius):
            found = set()
            for j in frontier:
                found.update(self.ties_of(j)[0].tolist())
            frontier = found - members
            members |= found
        nodes = np.fromiter(sorted(members), dtype=np.int64)
        inside = np.isin(self.u, nodes) & np.isin(self.v, nodes)
        return self.to_networkx(nodes=nodes.tolist(), rows=np.flatnonzero(inside))
