"""Residents who give: help to neighbours, support with a giver, carers who can be
overburdened, volunteering open to all, and households whose ties are strained.

Each test changes one thing, keeps the seed (and so all other randomness) the same, and
checks the direction of the effect.
"""

from __future__ import annotations

import numpy as np

from isolation_sim.layers import HOUSEHOLD
from isolation_sim.population import DOUBLE, NEVER, NO_ROLE
from isolation_sim.processes import isolation, reciprocity, support, ties, wellbeing
from isolation_sim.scenario import GROUPS

from .conftest import small_model


def run(model, weeks):
    model.run(weeks=weeks)
    return model.timeseries()


def societally_isolated_share(model) -> float:
    return float(isolation.societally_isolated(model).mean())


# --------------------------------------------------------------------------- giving
def test_giving_lowers_the_givers_isolation():
    """Residents who help their neighbours often are less often societally isolated: the
    help is a part in public life, and it builds ties (everything else the same)."""
    none, often = small_model(**{"behaviour.help_per_week": 0.0}), small_model(**{"behaviour.help_per_week": 0.6})
    run(none, 20)
    run(often, 20)
    assert often.people.giving.mean() > 0.1 > none.people.giving.mean()
    assert societally_isolated_share(often) < societally_isolated_share(none) - 0.05
    assert often.totals.personal_ties.mean() > none.totals.personal_ties.mean()


def test_help_given_outside_the_household_is_a_part_in_public_life(model):
    p = model.people
    p.employed[:], p.role[:], p.participation[:], p.giving[:] = False, NO_ROLE, 0.0, 0.0
    assert isolation.societally_isolated(model).all()
    p.giving[:] = model.params.behaviour.societal_cutoff
    assert not isolation.societally_isolated(model).any()
    assert (wellbeing.public_life(model) > 0).all()


def test_helping_a_neighbour_is_contact_and_counts_as_giving(model):
    model.params.behaviour.__dict__["help_per_week"] = 1.0  # every resident helps this week
    p, net = model.people, model.net
    p.care_load[:], p.employed[:] = 0.0, False
    model.week = 5
    net.commit()
    net.contact[:] = False
    reciprocity.step(model)
    assert model.neighbour_help.mean() > 0.8
    net.commit()  # new ties (between strangers) start in contact
    assert net.contact.sum() > 0.5 * model.neighbour_help.sum()
    support.step(model)
    assert (model.people.last_gave[model.neighbour_help] == 5).all()
    assert model.people.giving[model.neighbour_help].min() > 0


def test_isolated_and_vulnerable_residents_do_something_for_others():
    """No group and no isolation type is kept from giving (Radar, Stam's BIOS)."""
    m = small_model()
    run(m, 30)
    gave = m.week - m.people.last_gave < 52
    for code in range(len(GROUPS)):
        assert gave[m.people.group == code].mean() > 0.3, GROUPS[code]
    assert gave[m.people.isolation != 0].mean() > 0.3
    assert (m.people.last_gave == NEVER).any()  # and not everyone has given


def test_a_job_leaves_less_time_to_help(model):
    chance = reciprocity.help_chance(model)
    working = model.people.employed
    model.people.employed[:] = False
    assert (reciprocity.help_chance(model)[working] > chance[working]).all()


def test_isolated_residents_can_start_volunteering(model):
    p = model.people
    p.role[:] = NO_ROLE
    p.participation[:], p.giving[:] = 0.1, 0.0  # below the societal cut-off: isolated
    p.personal_strength[:] = 2.0
    chance = reciprocity.start_chance(model)
    assert (chance > 0).all()
    p.participation[:] = 0.3
    assert (reciprocity.start_chance(model) > chance).all()


# --------------------------------------------------------------------------- support has a giver
def test_support_met_informally_has_a_giver_among_the_ties(model):
    p = model.people
    p.support_need[:], p.self_reliance[:] = 1.0, 0.0
    model.complex_needs[:] = 0.0
    model.week = 3
    asking = np.ones(p.n, bool)
    helper, layer = support.helpers(model, asking, np.uint64(7))
    met = np.flatnonzero(helper >= 0)
    assert met.size > 0.5 * p.n
    assert (model.net.find(met, helper[met]) >= 0).all()
    before = p.care_load.copy()
    support.step(model)
    informal = np.flatnonzero(p.support_layer < support.PROFESSIONALS)
    assert informal.size > 0 and (p.care_load > before).sum() > 0
    assert (p.last_gave == 3).sum() > 0


def test_a_carer_at_capacity_is_asked_only_in_their_own_household(model):
    p = model.people
    p.support_need[:], p.self_reliance[:] = 1.0, 0.0
    model.complex_needs[:] = 0.0
    support.step(model)
    informal = (p.support_layer > 0) & (p.support_layer < support.PROFESSIONALS)
    assert informal.any()
    p.care_load[:] = model.params.behaviour.care_capacity  # everyone carries all they can
    support.step(model)
    assert not ((p.support_layer > 0) & (p.support_layer < support.PROFESSIONALS)).any()
    assert (p.support_layer == 0).any()  # households still care for their own


def test_an_overburdened_carers_quality_of_life_falls(model):
    p = model.people
    loneliness = p.loneliness.copy()
    wellbeing.step(model)
    light = p.quality_of_life.copy()
    p.loneliness[:] = loneliness
    heavy = np.arange(p.n) % 2 == 0
    p.care_load[heavy] = 2 * model.params.behaviour.care_capacity
    wellbeing.step(model)  # the same week: the same draws
    assert (p.quality_of_life[heavy] < light[heavy]).all()
    assert np.array_equal(p.quality_of_life[~heavy], light[~heavy])


def test_caring_for_others_fills_the_carers_load():
    many = small_model(**{"groups.none.support_need": 0.5})
    few = small_model()
    run(many, 10)
    run(few, 10)
    assert many.people.care_load.mean() > 2 * few.people.care_load.mean()
    assert (many.people.care_load > many.params.behaviour.care_capacity).mean() > \
        (few.people.care_load > few.params.behaviour.care_capacity).mean()


# --------------------------------------------------------------------------- strained households
def _alone_with_household(model):
    """A multiproblem resident living with two others, with only those household ties, out
    of work and of everything public."""
    p, net = model.people, model.net
    size = np.bincount(p.household)[p.household]
    who = int(np.flatnonzero((p.group == GROUPS.index("multiproblem")) & (size == 3))[0])
    net.commit()
    mine = ((net.u == who) | (net.v == who)) & (net.layer != HOUSEHOLD)
    net.remove(mine)
    net.commit()
    p.employed[who], p.role[who], p.participation[who] = False, NO_ROLE, 0.0
    p.attending[who] = -1
    return who


def _double_after(model, who, weeks=40):
    p = model.people
    b = model.params.behaviour
    b.__dict__.update(street_contact_per_week=0.0, new_friend_per_week=0.0, help_per_week=0.0)
    for week in range(1, weeks + 1):
        model.week = week
        p.participation[who], p.giving[who] = 0.0, 0.0
        model.net.contact[:] = False  # as each week starts (model._advance)
        ties.step(model)
        wellbeing.step(model)
    return isolation.situation(model)[who] == DOUBLE


def test_a_multiproblem_household_member_can_be_in_double_isolation():
    strained = small_model()
    who = _alone_with_household(strained)
    strained.people.strained[who] = True
    kept_up = small_model()
    same = _alone_with_household(kept_up)
    kept_up.people.strained[same] = False
    assert _double_after(strained, who)
    assert not _double_after(kept_up, same)


def test_strained_household_ties_weaken_and_the_others_hold(model):
    p, net = model.people, model.net
    net.commit()
    household = net.layer == HOUSEHOLD
    strained = household & (p.strained[net.u] | p.strained[net.v])
    assert strained.any() and (household & ~strained).any()
    for week in range(1, 30):
        model.week = week
        net.contact[:] = False  # as each week starts (model._advance)
        ties.step(model)
    net.commit()
    household = net.layer == HOUSEHOLD
    strained = household & (p.strained[net.u] | p.strained[net.v])
    assert net.strength[household & ~strained].min() >= 0.5
    assert net.strength[strained].mean() < 0.5
