"""The social graph: who knows whom, how strongly, in which layer.

Ties live in flat arrays, one row per tie ``(u, v)`` with ``u < v``, kept sorted by the key
``u * n + v``. That single store makes the weekly processes vectorised (sums over ties are
``np.bincount``; finding a tie is ``np.searchsorted``). :meth:`SocialNetwork.to_networkx`
gives the same graph as a :class:`networkx.Graph` for analysis and display.

>>> import numpy as np
>>> net = SocialNetwork(4, np.array([0, 1]), np.array([1, 2]), np.array([FRIEND, FAMILY]), np.array([0.5, 0.8]))
>>> net.degree().tolist()
[1, 2, 1, 0]
>>> sorted(net.to_networkx().edges(data="layer"))
[(0, 1, 'friend'), (1, 2, 'family')]
"""

from __future__ import annotations

import networkx as nx
import numpy as np

LAYERS = ("household", "family", "friend", "neighbour", "acquaintance", "buddy")
HOUSEHOLD, FAMILY, FRIEND, NEIGHBOUR, ACQUAINTANCE, BUDDY = range(len(LAYERS))
# Layers that make the personal network (acquaintances are light contacts).
PERSONAL = np.array([True, True, True, True, False, True])
# Layers that count for "weekly contact with family, friends or neighbours" (CBS).
WEEKLY_CONTACT = np.array([False, True, True, True, False, False])


class SocialNetwork:
    """All ties between ``n`` residents, as sorted parallel arrays."""

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

    # ------------------------------------------------------------------ size
    def __len__(self) -> int:
        return int(self.key.size)

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in (self.key, self.u, self.v, self.layer, self.strength, self.contact))

    # ------------------------------------------------------------------ sums over ties
    def per_resident(self, weights=None, mask=None) -> np.ndarray:
        """Sum of ``weights`` over each resident's ties (a count when no weights)."""
        u, v, w = self.u, self.v, weights
        if mask is not None:
            u, v = u[mask], v[mask]
            w = None if w is None else w[mask]
        return np.bincount(u, w, self.n) + np.bincount(v, w, self.n)

    def degree(self, mask=None) -> np.ndarray:
        return self.per_resident(mask=mask).astype(np.int64)

    def neighbour_sum(self, values: np.ndarray, weights=None, mask=None) -> np.ndarray:
        """For each resident, the sum over ties of ``weight * values[other end]``."""
        u, v = self.u, self.v
        w = np.ones(u.size) if weights is None else weights
        if mask is not None:
            u, v, w = u[mask], v[mask], w[mask]
        return np.bincount(u, w * values[v], self.n) + np.bincount(v, w * values[u], self.n)

    def has_tie(self, mask) -> np.ndarray:
        """For each resident, whether any of their ties is selected by ``mask``."""
        out = np.zeros(self.n, dtype=bool)
        out[self.u[mask]] = True
        out[self.v[mask]] = True
        return out

    # ------------------------------------------------------------------ change
    def find(self, a, b) -> np.ndarray:
        """Row index of each tie ``(a[i], b[i])``, or -1 where they have no tie."""
        a = np.asarray(a, dtype=np.int64)
        b = np.asarray(b, dtype=np.int64)
        key = np.minimum(a, b) * self.n + np.maximum(a, b)
        pos = np.searchsorted(self.key, key)
        pos_c = np.minimum(pos, max(self.key.size - 1, 0))
        found = (pos < self.key.size) & (self.key[pos_c] == key) if self.key.size else np.zeros(key.size, bool)
        return np.where(found, pos_c, -1)

    def add(self, a, b, layer, strength) -> int:
        """Add ties for pairs that have none yet (duplicates and self-pairs are skipped).

        Returns the number of ties added.
        """
        a = np.asarray(a, dtype=np.int64)
        b = np.asarray(b, dtype=np.int64)
        layer = np.broadcast_to(np.asarray(layer, dtype=np.int8), a.shape)
        strength = np.broadcast_to(np.asarray(strength, dtype=np.float32), a.shape)
        keep = (a != b) & (self.find(a, b) < 0)
        if not keep.any():
            return 0
        key = np.minimum(a, b)[keep] * self.n + np.maximum(a, b)[keep]
        key, first = np.unique(key, return_index=True)
        pos = np.searchsorted(self.key, key)
        self.key = np.insert(self.key, pos, key)
        self.u = np.insert(self.u, pos, (key // self.n).astype(np.int32))
        self.v = np.insert(self.v, pos, (key % self.n).astype(np.int32))
        self.layer = np.insert(self.layer, pos, layer[keep][first])
        self.strength = np.insert(self.strength, pos, strength[keep][first])
        self.contact = np.insert(self.contact, pos, True)
        return int(key.size)

    def remove(self, mask) -> int:
        """Remove the ties selected by ``mask``; returns how many were removed."""
        gone = int(np.count_nonzero(mask))
        if gone:
            keep = ~mask
            for name in ("key", "u", "v", "layer", "strength", "contact"):
                setattr(self, name, getattr(self, name)[keep])
        return gone

    # ------------------------------------------------------------------ views
    def ties_of(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """(other residents, row indices) of resident ``i``'s ties."""
        lo, hi = np.searchsorted(self.key, [i * self.n, (i + 1) * self.n])
        as_u = np.arange(lo, hi)
        as_v = np.flatnonzero(self.v == i)
        rows = np.concatenate([as_u, as_v])
        others = np.concatenate([self.v[as_u], self.u[as_v]])
        return others.astype(np.int64), rows

    def to_networkx(self, nodes=None, rows=None) -> nx.Graph:
        """The graph as a :class:`networkx.Graph` with ``strength`` and ``layer`` on each edge."""
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
