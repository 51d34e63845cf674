"""The compiled loops give what plain numpy would give, on random inputs."""

from __future__ import annotations

import numpy as np
import pytest

from isolation_sim import kernels
from isolation_sim.layers import PERSONAL, WEEKLY_CONTACT
from isolation_sim.network import SocialNetwork


def random_network(n=300, ties=1500, seed=0) -> SocialNetwork:
    rng = np.random.default_rng(seed)
    return SocialNetwork(n, rng.integers(0, n, ties), rng.integers(0, n, ties),
                         rng.integers(0, 6, ties), rng.random(ties))


def test_ties_are_sorted_unique_and_indexed_by_lower_end():
    net = random_network()
    assert (np.diff(net.key) > 0).all() and (net.u < net.v).all()
    for i in (0, 7, 150, 299):
        rows = np.arange(net.first[i], net.first[i + 1])
        assert (net.u[rows] == i).all() and rows.size == (net.u == i).sum()


def test_commit_merges_staged_ties_and_drops_removed_ones():
    net = random_network()
    rng = np.random.default_rng(1)
    before = {(int(a), int(b)) for a, b in zip(net.u, net.v)}
    dead = rng.random(len(net)) < 0.2
    gone = {(int(a), int(b)) for a, b in zip(net.u[dead], net.v[dead])}
    net.remove(dead)
    a, b = rng.integers(0, net.n, 400), rng.integers(0, net.n, 400)
    net.add(a, b, 4, 0.1)
    net.commit()
    staged = {(int(min(x, y)), int(max(x, y))) for x, y in zip(a, b) if x != y}
    after = {(int(x), int(y)) for x, y in zip(net.u, net.v)}
    living = before - gone
    assert after == living | staged  # a removed pair staged again comes back as new
    assert (np.diff(net.key) > 0).all()
    assert (net.first[1:] >= net.first[:-1]).all() and net.first[-1] == len(net)
    kept_old = np.array([pair in living for pair in zip(net.u.tolist(), net.v.tolist())])
    assert (net.layer[~kept_old] == 4).all() and net.contact[~kept_old].all()


def test_the_first_staging_of_a_pair_wins_and_unstage_withdraws():
    net = SocialNetwork(10, [0], [1], [2], [0.5])
    net.add([3], [4], 5, 0.3)
    net.add([4], [3], 4, 0.1)
    net.add([5], [6], 5, 0.1)
    net.add([7], [8], 4, 0.1)
    net.unstage([6, 8], [5, 7], 5)  # only buddy-layer ties are withdrawn
    net.commit()
    row = net.find([3], [4])[0]
    assert net.layer[row] == 5 and net.strength[row] == pytest.approx(0.3)
    assert net.find([5], [6])[0] == -1 and net.find([7], [8])[0] >= 0


def test_find_matches_a_brute_force_search():
    net = random_network()
    rng = np.random.default_rng(2)
    a, b = rng.integers(0, net.n, 2000), rng.integers(0, net.n, 2000)
    rows = net.find(a, b)
    index = {(int(x), int(y)): r for r, (x, y) in enumerate(zip(net.u, net.v))}
    expected = [index.get((int(min(x, y)), int(max(x, y))), -1) for x, y in zip(a, b)]
    assert rows.tolist() == expected


def test_tie_totals_match_numpy_sums():
    net = random_network(seed=3)
    rng = np.random.default_rng(3)
    net.contact = rng.random(len(net)) < 0.5
    lonely = (rng.random(net.n) < 0.3).astype(np.float32)
    public = (rng.random(net.n) < 0.6).astype(np.float32)
    table, bits = np.zeros((net.n, len(kernels.TOTALS)), np.float32), np.zeros(net.n, np.uint8)
    kernels.tie_totals(net.u, net.v, net.layer, net.strength, net.contact, PERSONAL, WEEKLY_CONTACT,
                       np.float32(0.5), np.float32(0.3), lonely, public, table, bits, 0, len(net))
    u, v, s = net.u, net.v, net.strength.astype(np.float64)
    own = PERSONAL[net.layer]

    def both(w):
        return np.bincount(u, w, net.n) + np.bincount(v, w, net.n)

    assert np.allclose(table[:, 0], both(s * own), atol=1e-4)
    assert np.allclose(table[:, 1], both(np.minimum(1, s / 0.5) * own), atol=1e-4)
    assert np.allclose(table[:, 2], both(own * 1.0))
    lonely_contacts = np.bincount(u, own * lonely[v], net.n) + np.bincount(v, own * lonely[u], net.n)
    assert np.allclose(table[:, 3], lonely_contacts)
    to_public = np.bincount(u, own * s * public[v], net.n) + np.bincount(v, own * s * public[u], net.n)
    assert np.allclose(table[:, 4], to_public, atol=1e-4)
    assert np.allclose(table[:, 5], both(np.ones(len(net))))
    assert np.allclose(table[:, 6], both((net.contact & WEEKLY_CONTACT[net.layer]) * 1.0))
    for layer in range(6):
        strong = (net.layer == layer) & (net.strength >= np.float32(0.3))
        has = np.zeros(net.n, bool)
        has[u[strong]] = has[v[strong]] = True
        assert ((bits >> layer) & 1 == 1).tolist() == has.tolist()


def test_turn_away_keeps_exactly_the_room_with_the_lowest_draws():
    rng = np.random.default_rng(4)
    chosen = rng.integers(-1, 5, 1000)
    room = np.array([10, 500, 0, 50, 1000])
    draw = rng.random(1000)
    before = chosen.copy()
    count = kernels.turn_away(chosen, room, draw, 5)
    for w in range(5):
        wanted = np.flatnonzero(before == w)
        kept = np.flatnonzero(chosen == w)
        assert count[w] == kept.size == min(wanted.size, room[w])
        assert set(kept) == set(wanted[np.argsort(draw[wanted])][: room[w]])


def test_one_draw_decides_contact_and_an_independent_loss():
    """Contact and loss from one uniform: their rates and independence are as if drawn apart."""
    n = 200_000
    rng = np.random.default_rng(5)
    u = np.zeros(n, np.int32)
    v = np.ones(n, np.int32)
    layer = np.full(n, 2, np.int8)
    strength = np.full(n, 0.9, np.float32)
    contact = np.zeros(n, bool)
    lonely = np.zeros(2, np.float32)
    chance = np.full(6, 0.4, np.float32)
    loss = np.full(6, 0.1, np.float32)
    lose = np.empty(n, bool)
    kernels.ties_week(u, v, layer, strength, contact, np.ones(n, bool), lonely, 0.0, np.ones(2, np.float32), chance,
                      np.zeros(6, np.float32), loss, 0.0, 0.0, 0.99, 0.0, rng.random(n), np.zeros(2, bool), lose, True,
                      PERSONAL, WEEKLY_CONTACT, np.float32(0.5), np.float32(0.3), lonely, lonely,
                      np.zeros((2, len(kernels.TOTALS)), np.float32), np.zeros(2, np.uint8), 0, n)
    assert contact.mean() == pytest.approx(0.4, abs=0.005)
    assert lose[contact].mean() == pytest.approx(0.05, abs=0.003)   # halved with contact
    assert lose[~contact].mean() == pytest.approx(0.10, abs=0.003)
