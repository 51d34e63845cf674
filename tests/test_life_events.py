"""Lives that change: residents lose work and find it, retire, and isolation follows.

Each test changes one thing, keeps the seed (and so all other randomness) the same, and
checks the direction of the effect.
"""

from __future__ import annotations

import numpy as np

from isolation_sim.population import INDIVIDUAL, NOT_ISOLATED
from isolation_sim.processes import isolation, life_events
from isolation_sim.scenario import GROUPS

from .conftest import small_model


def test_losing_a_job_raises_the_chance_of_individual_isolation():
    """The same residents, the same draws: where they lose their jobs (and find none), more
    of them end up in individual isolation than where they keep them."""
    keep = small_model(**{"behaviour.job_loss_per_week": 0.0})
    lose = small_model(**{"behaviour.job_loss_per_week": 0.05})
    worked = keep.people.employed.copy()
    lose.finding_chance[:] = 0.0  # who loses work stays out of it
    keep.run(weeks=40)
    lose.run(weeks=40)
    lost = worked & ~lose.people.employed
    assert lost.sum() > 0.5 * worked.sum()
    assert (keep.people.isolation[lost] == NOT_ISOLATED).mean() > 0.95
    assert (lose.people.isolation[lost] == INDIVIDUAL).mean() > 0.05 + (keep.people.isolation[lost] == INDIVIDUAL).mean()


def test_a_job_is_a_part_in_public_life(model):
    p = model.people
    p.role[:], p.participation[:], p.giving[:] = 0, 0.0, 0.0
    p.employed[:], p.retired[:] = True, False
    assert not isolation.societally_isolated(model).any()
    model.week = 1
    model.params.behaviour.__dict__["job_loss_per_week"] = 1.0
    model.params.behaviour.__dict__["retire_per_week"] = 0.0
    life_events.step(model)
    assert isolation.societally_isolated(model).all()
    assert (p.employment_since == 1).all()


def test_finding_work_keeps_each_groups_share_in_work():
    m = small_model(residents=4000)
    start = np.array([m.people.employed[m.people.group == g].mean() for g in range(len(GROUPS))])
    m.run(weeks=150)
    end = np.array([m.people.employed[m.people.group == g].mean() for g in range(len(GROUPS))])
    moved = (m.people.employment_since > 0).mean()
    assert moved > 0.1  # lives changed
    big = np.bincount(m.people.group, minlength=len(GROUPS)) > 300
    assert np.abs(end - start)[big].max() < 0.05


def test_long_term_unemployed_have_been_out_of_work_a_year(model):
    p = model.people
    model.week = 100
    p.employed[:], p.retired[:] = False, False
    p.employment_since[:] = 100 - life_events.LONG_TERM_WEEKS
    assert life_events.long_term_unemployed(model).all()
    p.retired[::2] = True  # pensioners are not unemployed
    assert (life_events.long_term_unemployed(model) == ~p.retired).all()
    p.employment_since[:] += 1
    assert not life_events.long_term_unemployed(model).any()


def _retiring(model) -> np.ndarray:
    """Residents who can retire in ``model``: not retired, living alone or as a couple, of
    a group with pensioners."""
    return life_events.can_retire(model.people, np.arange(model.people.n), model.household_size, model.retired_share)


def test_retiring_ends_work_for_good():
    m = small_model(burn_in=0, **{"behaviour.retire_per_week": 1.0, "behaviour.move_per_week": 0.0,
                                  "behaviour.partner_loss_per_week": 0.0})
    p = m.people
    can = _retiring(m)
    assert can.sum() > 20 and p.employed[can].any()
    m.finding_chance[:] = 1.0  # work is there for whoever may take it
    m.retired_leaving[:] = 0.0  # and the same residents stay
    m.run(weeks=30)
    assert p.retired[can].all() and not p.employed[p.retired].any()
    assert not p.retired[m.household_size[p.household] > 2].any()  # families of working age


def test_retiring_raises_the_chance_of_individual_isolation():
    """The same residents (nobody moves), the same draws but for those of retiring: where
    they retire, more of those in work end up in individual isolation than where they do
    not."""
    same = {"behaviour.job_loss_per_week": 0.0, "behaviour.move_per_week": 0.0, "behaviour.partner_loss_per_week": 0.0,
            "groups.none.retired": 0.3}  # residents of every kind may reach the age
    stay = small_model(residents=3000, **{"behaviour.retire_per_week": 0.0}, **same)
    retire = small_model(residents=3000, **{"behaviour.retire_per_week": 0.05}, **same)
    retire.retired_leaving[:] = 0.0  # pensioners stay
    working = _retiring(retire) & retire.people.employed
    assert working.sum() > 100
    stay.run(weeks=40)
    retire.run(weeks=40)
    retired = working & retire.people.retired
    assert retired.sum() > 0.5 * working.sum()
    individual = (retire.people.isolation[retired] == INDIVIDUAL).mean()
    before = (stay.people.isolation[retired] == INDIVIDUAL).mean()
    assert individual > 0.02 + before and individual > 2 * before


def test_retired_residents_living_alone_leave_and_the_share_holds_still():
    """Pensioners living alone leave (and newcomers take their homes) as fast as others
    retire: the group's retired share stays where it started; without retiring, none leave."""
    m = small_model(residents=5000)
    g = GROUPS.index("unemployed_or_retired")
    mine = m.people.group == g
    start = m.people.retired[mine].mean()
    assert 0.3 < start < 0.6 and m.retired_leaving[g] > 0 and (m.retired_leaving[np.arange(len(GROUPS)) != g] == 0).all()
    alone = np.flatnonzero(m.people.retired & m.lives_alone)
    m.run(weeks=200)
    assert (m.people.arrived[alone] > 0).mean() > 0.15  # many of their homes have newcomers
    assert abs(m.people.retired[mine].mean() - start) < 0.04
    none = small_model(residents=2000, **{"behaviour.retire_per_week": 0.0})
    assert (none.retired_leaving == 0).all()
