"""Lives that change: residents lose work and find it, and isolation follows.

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
    p.employed[:] = True
    assert not isolation.societally_isolated(model).any()
    model.week = 1
    model.params.behaviour.__dict__["job_loss_per_week"] = 1.0
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
    p.employed[:] = False
    p.employment_since[:] = 100 - life_events.LONG_TERM_WEEKS
    assert life_events.long_term_unemployed(model).all()
    p.employment_since[:] += 1
    assert not life_events.long_term_unemployed(model).any()
