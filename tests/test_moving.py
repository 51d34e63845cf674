"""Moving out and in, and losing a partner: newcomers against established residents.

Each test changes one thing and checks the direction of its effect, or checks what the
process must keep (the population's make-up).
"""

from __future__ import annotations

import numpy as np

from isolation_sim.layers import ACQUAINTANCE, FRIEND, HOUSEHOLD, NEIGHBOUR
from isolation_sim.population import NEVER, NO_ROLE
from isolation_sim.processes import moving

from .conftest import small_model


def _ties(model, layers) -> np.ndarray:
    net = model.net
    net.commit()
    mine = np.isin(net.layer, layers)
    return np.bincount(np.concatenate([net.u[mine], net.v[mine]]), minlength=model.people.n)


def _local(model) -> np.ndarray:
    """Each resident's ties on the street: neighbours and acquaintances."""
    return _ties(model, [NEIGHBOUR, ACQUAINTANCE])


def test_newcomers_start_with_fewer_local_ties_and_gain_them():
    m = small_model(residents=3000, **{"behaviour.move_per_week": 0.01})
    m.run(weeks=10)
    p = m.people
    new = p.arrived >= m.week - 2  # moved in in the last three weeks
    established = p.arrived == NEVER
    at_arrival, of_established = _local(m)[new].mean(), _local(m)[established].mean()
    assert new.sum() > 30
    assert at_arrival < 0.25 * of_established
    m.run(weeks=52)
    a_year_on = _local(m)[new & (p.arrived >= m.week - 54)].mean()  # those of them still here
    assert a_year_on > at_arrival + 0.3 * (of_established - at_arrival)


def test_newcomers_bring_their_household_family_and_friends():
    m = small_model(residents=3000, **{"behaviour.move_per_week": 0.02})
    m.run(weeks=3)
    p = m.people
    new = (p.arrived == m.week - 1) & ~m.lives_alone
    assert new.sum() > 20
    household = _ties(m, [HOUSEHOLD])
    assert (household[new] == m.household_size[p.household[new]] - 1).all()  # everybody in it
    friends = _ties(m, [FRIEND])
    assert friends[new].mean() > 0.5 * friends[p.arrived == NEVER].mean()


def test_more_moving_leaves_fewer_ties_on_the_street():
    still = {"behaviour.partner_loss_per_week": 0.0, "behaviour.retire_per_week": 0.0}  # no pensioner leaves
    stay = small_model(residents=3000, **{"behaviour.move_per_week": 0.0}, **still)
    move = small_model(residents=3000, **{"behaviour.move_per_week": 0.01}, **still)
    stay.run(weeks=52)
    move.run(weeks=52)
    assert (stay.people.arrived == NEVER).all()
    assert _local(move).mean() < _local(stay).mean() - 0.2


def test_the_population_keeps_its_make_up():
    m = small_model(residents=3000, **{"behaviour.move_per_week": 0.01, "behaviour.partner_loss_per_week": 0.01})
    group = m.people.group.copy()
    sizes = np.bincount(np.bincount(m.people.household))
    alone = m.lives_alone.sum()
    m.run(weeks=52)
    p = m.people
    assert (p.arrived > NEVER).mean() > 0.3  # many moved
    assert (p.group == group).all()          # each home to a household like the one before
    assert abs(int(m.lives_alone.sum()) - int(alone)) <= 0.02 * alone
    now = np.bincount(np.bincount(p.household)[np.unique(p.household)])
    assert abs(int(now[2]) - int(sizes[2])) <= 0.05 * sizes[2]
    assert (now[3:] == sizes[3:len(now)]).all()  # families of three or more lose no partner


def test_losing_a_partner_leaves_the_survivor_living_alone():
    m = small_model(residents=2000, **{"behaviour.partner_loss_per_week": 0.05, "behaviour.move_per_week": 0.0})
    p = m.people
    before = p.household.copy()
    couples = np.flatnonzero(m.household_size[before] == 2)
    singles = int(m.lives_alone.sum())
    m.step()
    lost = couples[p.arrived[couples] == m.week]  # a newcomer lives in the partner's home
    partner = np.array([c for h in before[lost] for c in couples[before[couples] == h] if c not in lost])
    assert lost.size > 10 and partner.size == lost.size
    assert (p.arrived[partner] < m.week).all()
    assert (p.household[lost] != before[lost]).all()          # the home next door is another household
    alone = m.lives_alone[partner]
    assert alone.mean() > 0.6  # the survivor lives alone (unless they moved in with someone this week)
    assert abs(int(m.lives_alone.sum()) - singles) <= 0.1 * lost.size  # as many pairs moved in together


def test_a_newcomer_takes_over_the_disposition_of_the_home():
    """The part of the disposition that comes with the street stays with the home."""
    m = small_model(residents=3000, **{"behaviour.move_per_week": 0.05})
    m.run(weeks=20)
    p = m.people
    new = p.arrived > NEVER
    b = m.params.behaviour
    own = p.trait[new] / b.loneliness_trait - np.sqrt(b.loneliness_place) * p.place[new]
    assert abs(np.corrcoef(p.trait[new], p.place[new])[0, 1] - np.sqrt(b.loneliness_place)) < 0.1
    assert abs(own.std() - np.sqrt(1 - b.loneliness_place)) < 0.1


def test_leaving_residents_end_their_roles_and_no_newcomer_fills_a_buddy_place():
    m = small_model(residents=2000, **{"behaviour.move_per_week": 0.0})
    bud = m.buddies
    volunteer = bud.resident[(bud.resident >= 0) & bud.active]
    assert volunteer.size > 0
    gone = np.isin(m.people.household, m.people.household[volunteer])
    moving._leave(m, gone, m.rng_for(moving.NAME))
    assert (m.people.role[gone] == NO_ROLE).all()
    still = bud.resident[(bud.resident >= 0) & bud.active]
    assert not np.isin(still, np.flatnonzero(gone)).any()
    m.net.commit()
    assert not (gone[m.net.u] | gone[m.net.v]).any()
