"""Every weekly process moves the world in the direction the field says it does.

Each test changes one thing, keeps the seed (and so all other randomness) the same, and
checks the direction of the effect.
"""

from __future__ import annotations

import numpy as np
import pytest

from isolation_sim.layers import ACQUAINTANCE, BUDDY, FAMILY, FRIEND, HOUSEHOLD, NEIGHBOUR, PERSONAL
from isolation_sim.population import COLLECTIVE, DOUBLE, INDIVIDUAL, NOT_ISOLATED
from isolation_sim.processes import (
    buddies,
    coherence,
    isolation,
    meeting,
    reciprocity,
    steering,
    support,
    thresholds,
    ties,
    wellbeing,
)
from isolation_sim.venues import COST, DISCIPLINE, DISTANCE, PROJECT, SOCIAL

from .conftest import small_model, small_scenario


def run(model, weeks):
    model.run(weeks=weeks)
    return model.timeseries()


# --------------------------------------------------------------------------- 1. thresholds
def test_removing_thresholds_raises_attendance_chance_of_vulnerable(model):
    vulnerable = model.people.vulnerable
    before = thresholds.attendance_probability(model)[vulnerable].sum(axis=1).mean()
    model.venues.lifted[:] = True
    after = thresholds.attendance_probability(model)[vulnerable].sum(axis=1).mean()
    assert after > 1.3 * before


@pytest.mark.parametrize("kind", [COST, DISCIPLINE, SOCIAL])
def test_each_threshold_kind_adds_burden(model, kind):
    before = thresholds.burden(model)
    model.venues.thresholds[:, kind] = True
    assert (thresholds.burden(model) >= before - 1e-6).all()
    assert thresholds.burden(model).mean() > before.mean()


def test_distance_counts_by_how_far_the_venue_is(model):
    p = model.people
    near = model.venues.x.copy()
    model.venues.x[:] = p.x.mean() + 5.0  # every venue 5 km east
    assert thresholds.burden(model).mean() > 0
    far = thresholds.attendance_probability(model).sum()
    model.venues.x[:] = near
    assert thresholds.attendance_probability(model).sum() > far


def test_sensitive_residents_feel_thresholds_more(model):
    before = thresholds.burden(model).mean()
    model.people.sensitivity *= 2.0
    assert thresholds.burden(model).mean() > 1.9 * before


def test_lifting_thresholds_with_levers_raises_participation_of_vulnerable():
    levers = {f"steering.levers.lower_{k}": 200 for k in ("distance", "cost", "discipline", "social")}
    levers["ignore_budget"] = True
    plain, lifted = small_model(), small_model(**levers)
    run(plain, 20)
    run(lifted, 20)
    v = plain.people.vulnerable
    assert lifted.people.participation[v].mean() > 1.2 * plain.people.participation[v].mean()


def test_capacity_is_respected(model):
    model.venues.capacity[:] = 3
    model.venues.contracted[:] = False
    for _ in range(3):
        model.step()
        assert model.venues.attendance.max() <= 3


# --------------------------------------------------------------------------- 2. isolation types
def _isolate(model, i):
    p, net = model.people, model.net
    p.employed[i] = False
    p.role[i] = 0
    p.participation[i] = 0.0
    others, rows = net.ties_of(i)
    mask = np.zeros(len(net), bool)
    mask[rows] = True
    net.remove(mask)


def _classify(model):
    ties.recount(model)  # totals of the changed ties, as the ties process leaves them
    wellbeing.step(model)  # brings personal_strength up to date
    return isolation.situation(model)  # the type the situation gives (before it has to last)


def test_no_participation_and_no_ties_is_double_isolation(model):
    _isolate(model, 0)
    assert _classify(model)[0] == DOUBLE


def test_ties_to_participating_residents_make_it_individual(model):
    _isolate(model, 0)
    public = np.flatnonzero(model.people.employed)[1:4]
    model.net.add(np.zeros(3, int), public, FRIEND, 0.9)
    assert _classify(model)[0] == INDIVIDUAL


def test_ties_only_inside_an_isolated_cluster_make_it_collective(model):
    cluster = [0, 1, 2, 3]
    for i in cluster:
        _isolate(model, i)
    a, b = np.triu_indices(4, 1)
    model.net.add(np.array(cluster)[a], np.array(cluster)[b], FRIEND, 0.9)
    kinds = _classify(model)
    assert (kinds[cluster] == COLLECTIVE).all()


def test_participation_ends_societal_isolation(model):
    _isolate(model, 0)
    model.people.participation[0] = 1.0
    assert _classify(model)[0] == NOT_ISOLATED


def test_residents_move_between_types(model):
    moved = 0
    for _ in range(10):
        model.step()
        moved += int((model.isolation_at_start != model.people.isolation).sum())
    assert moved > 0


# --------------------------------------------------------------------------- 3. self-reinforcement
def test_ties_weaken_without_contact(model):
    b = model.params.behaviour
    object.__setattr__(b, "contact_chance", {k: 0.0 for k in b.contact_chance})
    net = model.net
    keep = net.layer != HOUSEHOLD
    key, before = net.key[keep], net.strength[keep]
    net.contact[:] = False
    ties.step(model)
    still = np.isin(net.key, key)  # the same ties, those that did not end
    was = before[np.searchsorted(key, net.key[still])]
    assert net.strength[still].mean() < was.mean()


def test_lonely_residents_lose_ties_faster(model):
    p, net = model.people, model.net
    lonely = np.zeros(p.n, bool)
    lonely[::2] = True
    chosen = np.isin(net.layer, [FRIEND, NEIGHBOUR])  # kin renew whoever loses them (ties.renew_kin)
    degree_before = net.degree(mask=chosen).astype(float)
    for _ in range(30):
        p.loneliness[:] = np.where(lonely, 10.0, 0.0)
        net.contact[:] = False
        ties.step(model)
    degree_after = net.degree(mask=np.isin(net.layer, [FRIEND, NEIGHBOUR]))
    kept = degree_after / np.maximum(degree_before, 1)
    has = degree_before > 0
    assert kept[lonely & has].mean() < kept[~lonely & has].mean() - 0.02


def test_fewer_ties_lower_the_chance_to_participate(model):
    model.people.protection[:] = 1.0
    connected = thresholds.attendance_probability(model).sum()
    model.people.protection[:] = 0.0
    assert thresholds.attendance_probability(model).sum() < connected


def test_loneliness_spreads_along_ties():
    results = []
    for others in (0.0, 11.0):
        m = small_model()
        p = m.people
        watched = np.zeros(p.n, bool)
        watched[::2] = True
        p.loneliness[:] = np.where(watched, 4.0, others)
        ties.recount(m)
        wellbeing.step(m)
        results.append(p.loneliness[watched].mean())
    b = m.params.behaviour
    most = b.loneliness_rate * 11.0 * b.loneliness_contagion  # a week's pull if every contact were lonely
    assert results[1] - results[0] > 0.25 * most  # about half of the contacts are


# --------------------------------------------------------------------------- 4. meeting
def test_co_attendance_makes_light_contacts(model):
    model.step()
    p = model.people
    who = np.flatnonzero(p.attending >= 0)
    before = len(model.net)
    model.week += 1  # fresh draws: the same week's draws would repeat the same meetings
    meeting.step(model)
    model.net.commit()
    assert len(model.net) > before
    new_rows = np.flatnonzero(model.net.layer == ACQUAINTANCE)
    same_venue = p.attending[model.net.u[new_rows]] == p.attending[model.net.v[new_rows]]
    assert same_venue.any() and who.size > 0


def test_repeated_contact_strengthens_ties(model):
    p, net = model.people, model.net
    p.attending[:] = -1
    p.attending[[5, 6]] = 0            # two residents at the same venue
    net.remove(np.ones(len(net), bool))
    net.add([5], [6], ACQUAINTANCE, 0.1)
    net.commit()
    strengths = []
    for _ in range(3):
        meeting.step(model)
        strengths.append(float(net.strength[net.find([5], [6])[0]]))
    assert strengths[0] > 0.1 and strengths[1] > strengths[0] and strengths[2] > strengths[1]


def test_small_groups_with_a_leader_bind_faster():
    friends = []
    for small in (False, True):
        m = small_model()
        m.venues.small_base[:] = small
        m.venues.capacity[:] = 60
        before = int((m.net.layer == FRIEND).sum())
        run(m, 30)
        friends.append(int((m.net.layer == FRIEND).sum()) - before)
    assert friends[1] > friends[0]


# --------------------------------------------------------------------------- 5. buddies
def test_buddies_are_matched_within_caseload():
    m = small_model(**{"buddies.referral_per_week": 1.0})
    for _ in range(10):
        m.step()
        counts = np.bincount(m.people.buddy[m.people.buddy >= 0], minlength=len(m.buddies))
        assert (counts <= m.buddies.caseload).all()
        assert (counts == m.buddies.matches).all()
    assert (m.people.buddy >= 0).sum() > 0


def test_a_buddy_accompanies_and_keeps_the_resident_coming(model):
    p, v = model.people, model.venues
    v.thresholds[:, SOCIAL] = True
    v.thresholds[:, DISCIPLINE] = True
    alone = thresholds.burden(model)
    p.last_venue[:] = p.known[:, 0]
    alone_prob = thresholds.attendance_probability(model)[:, 0]
    p.buddy[:] = 0
    assert (thresholds.burden(model) <= alone + 1e-6).all()
    assert thresholds.burden(model).mean() < alone.mean()
    assert thresholds.attendance_probability(model)[:, 0].mean() > alone_prob.mean()


def test_more_buddies_mean_more_matches():
    plain = small_model(**{"buddies.referral_per_week": 0.3})
    more = small_model(**{"steering.levers.buddies": 60, "ignore_budget": True,
                          "buddies.referral_per_week": 0.3})
    run(plain, 20)
    run(more, 20)
    assert (more.people.buddy >= 0).sum() > (plain.people.buddy >= 0).sum() + 20


def test_matches_end_after_the_maximum_duration():
    m = small_model(**{"buddies.max_match_weeks": 3, "buddies.referral_per_week": 1.0})
    for _ in range(8):
        m.step()
        matched = m.people.buddy >= 0
        assert ((m.week - m.people.match_week[matched]) < 3).all()


def test_ended_volunteer_match_stays_as_friendship_only_when_strong(model):
    p, net = model.people, model.net
    volunteer = int(np.flatnonzero(model.buddies.resident >= 0)[0])
    friend = int(model.buddies.resident[volunteer])
    a, b = 10, 11
    for who, strength in ((a, 0.9), (b, 0.1)):
        p.buddy[who] = volunteer
        model.buddies.matches[volunteer] += 1
        row = net.find([who], [friend])[0]
        if row < 0:
            net.add([who], [friend], BUDDY, strength)
            net.commit()
            row = net.find([who], [friend])[0]
        net.layer[row] = BUDDY
        net.strength[row] = strength
    ending = np.zeros(p.n, bool)
    ending[[a, b]] = True
    buddies.end_matches(model, ending)
    net.commit()
    assert net.layer[net.find([a], [friend])[0]] == FRIEND
    assert net.find([b], [friend])[0] == -1


# --------------------------------------------------------------------------- 6. coherence
def test_links_between_venues_open_linked_venues(model):
    model.step()
    v, p = model.venues, model.people
    familiar_before = (p.familiar >= 1.0).sum()
    coherence.step(model)
    assert (p.familiar >= 1.0).sum() == familiar_before  # no links, no stepping stones
    v.link_active[:] = True
    object.__setattr__(model.params.behaviour, "coherence_exposure", 1.0)
    coherence.step(model)
    assert (p.familiar >= 1.0).sum() > familiar_before


def test_familiarity_lowers_the_social_threshold(model):
    model.venues.thresholds[:, SOCIAL] = True
    before = thresholds.burden(model).mean()
    model.people.familiar[:] = 1.0
    assert thresholds.burden(model).mean() < before


# --------------------------------------------------------------------------- 7. continuity
def test_project_funded_venues_close_when_funding_ends_unless_funded_for_good():
    counts = []
    for permanent in (0, 1000):
        m = small_model(**{"steering.levers.permanent_funding": permanent, "ignore_budget": True})
        projects = np.flatnonzero(m.venues.project)
        m.venues.end_week[projects] = 2
        run(m, 3)
        counts.append(int(m.venues.open[projects].sum()))
    assert counts[0] == 0 and counts[1] > 0


def test_with_new_project_money_the_offer_holds_and_without_it_shrinks():
    offered = {}
    for renewed in (True, False):
        m = small_model(residents=3000, **{"offer.new_projects": renewed, "behaviour.initiative_start_per_1000": 0.0,
                                           "behaviour.initiative_fold_per_week": 0.0})
        ending = m.venues.project & m.venues.open
        m.venues.end_week[ending] = 2
        before = int(m.venues.open.sum())
        run(m, 3)
        offered[renewed] = int(m.venues.open.sum()) - before
        fresh = (m.venues.origin == PROJECT) & (m.venues.opened_week >= 1)  # not in the burn-in
        assert fresh.sum() == (ending.sum() if renewed else 0)
    assert offered[True] == 0 and offered[False] < -20


def test_new_projects_are_drawn_as_the_inventory_is():
    from isolation_sim.scenario import ACTIVITY_TYPES

    m = small_model(residents=600)
    v, offer = m.venues, m.params.offer
    v.add_from_inventory(np.zeros(20_000, np.int32), offer, 1, np.random.default_rng(4))
    new = v.origin == PROJECT
    table = np.zeros((len(ACTIVITY_TYPES), 5))
    np.add.at(table, (v.activity[new], v.threshold_count()[new]), 1)
    inventory = np.array([offer.inventory[t] for t in ACTIVITY_TYPES], float)
    assert np.abs(table / table.sum() - inventory / inventory.sum()).max() < 0.01
    assert v.project[new].all() and (v.end_week[new] > 1).all() and v.open[new].all()
    far = v.thresholds[new, 0]
    distance = np.hypot(v.x[new] - v.centres[0, 0], v.y[new] - v.centres[0, 1])
    assert (distance[far] > offer.walk_radius_km).all() and (distance[~far] < offer.walk_radius_km).all()


def test_supported_initiatives_fold_less():
    survivors = []
    for support_level in (0, 1000):
        m = small_model(**{"steering.levers.initiative_support": support_level, "ignore_budget": True,
                           "behaviour.initiative_fold_per_week": 0.1, "behaviour.initiative_start_per_1000": 0.0})
        start = m.venues.open & m.venues.resident_run
        run(m, 12)
        survivors.append(int((m.venues.open[: start.size] & start).sum()))
    assert survivors[1] > survivors[0]


def test_supporting_initiatives_raises_starts_up_to_a_ceiling():
    def started(support_level):
        m = small_model(**{"steering.levers.initiative_support": support_level, "ignore_budget": True,
                           "behaviour.initiative_start_per_1000": 5.0, "behaviour.initiative_fold_per_week": 0.0})
        run(m, 20)
        return int((m.venues.origin == 2).sum())

    none, some, huge = started(0), started(10), started(5_000)
    assert none < some <= huge <= 3.5 * none + 10


def test_initiatives_nobody_comes_to_fold_sooner():
    m = small_model(**{"behaviour.initiative_fold_per_week": 0.02, "behaviour.initiative_start_per_1000": 0.0})
    run(m, 1)
    v = m.venues
    initiatives = np.flatnonzero(v.open & v.resident_run)
    v.attendance[initiatives[::2]] = 0                      # half nobody comes to
    v.attendance[initiatives[1::2]] = 10
    empty, busy = initiatives[::2], initiatives[1::2]
    for _ in range(10):
        m.step()
        v.attendance[empty] = 0
        v.attendance[busy] = 10
    closed = (~v.open[empty]).mean(), (~v.open[busy]).mean()
    assert closed[0] > 2 * closed[1]


def test_active_residents_start_new_initiatives():
    m = small_model(**{"behaviour.initiative_start_per_1000": 20.0})
    before = len(m.venues)
    run(m, 5)
    assert len(m.venues) > before
    assert (m.venues.origin == 2).sum() > 0 and len(m.venue_agents) == len(m.venues)


# --------------------------------------------------------------------------- 8. reciprocity
def test_well_connected_residents_become_volunteers():
    few, many = small_model(), small_model(**{"behaviour.volunteer_per_week": 0.05})
    run(few, 6)
    run(many, 6)
    assert (many.people.role > 0).sum() > (few.people.role > 0).sum()


def test_community_managers_bring_isolated_neighbours_along():
    plain = small_model()
    managed = small_model(**{"steering.levers.community_managers": 40, "ignore_budget": True})
    run(plain, 8)
    run(managed, 8)
    isolated = managed.people.isolation != NOT_ISOLATED
    assert (managed.people.role == 2).sum() == 40
    assert (managed.people.familiar[isolated] >= 1).sum() > (plain.people.familiar[isolated] >= 1).sum()


# --------------------------------------------------------------------------- 9. layered support
def test_support_comes_from_the_closest_layer_first(model):
    net, b = model.net, model.params.behaviour
    net.commit()
    alone = int(np.flatnonzero(model.lives_alone)[0])  # one resident with nobody to lean on
    net.remove((net.u == alone) | (net.v == alone))
    net.commit()
    strong = (net.strength >= b.support_tie_strength) | (net.layer == BUDDY)
    layer = support.LAYER_OF_TIE[net.layer]
    closest = np.full(model.people.n, support.PROFESSIONALS)
    np.minimum.at(closest, net.u[strong], layer[strong])
    np.minimum.at(closest, net.v[strong], layer[strong])
    model.people.support_need[:] = 1.0
    model.people.self_reliance[:] = 0.0
    model.complex_needs[:] = 0.0
    model.people.care_load[:] = 0.0  # every carer has room
    support.step(model)
    assert (closest == 0).any() and (closest == support.PROFESSIONALS).any()
    assert np.array_equal(model.people.support_layer, closest)


def test_without_a_network_support_goes_to_paid_professionals(model):
    model.people.support_need[:] = 0.2
    model.week = 1
    support.step(model)
    with_network = model.costs.get("professional_support", 0.0)
    model.costs.clear()
    model.net.remove(np.ones(len(model.net), bool))
    ties.recount(model)
    support.step(model)
    assert model.costs["professional_support"] > 2 * with_network


def test_self_reliance_leaves_needs_unmet(model):
    model.people.support_need[:] = 1.0
    model.people.self_reliance[:] = 1.0
    support.step(model)
    assert (model.people.support_layer == support.UNMET).mean() > 0.7


# --------------------------------------------------------------------------- 10. loneliness and quality of life
def test_good_ties_protect_with_diminishing_returns(model):
    net = model.net
    net.remove(np.ones(len(net), bool))
    gains = []
    for k in range(1, 8):
        net.add(np.zeros(1, int), np.array([k]), FRIEND, 1.0)
        ties.recount(model)
        gains.append(wellbeing.protection(model)[0])
    steps = np.diff([0.0] + gains)
    assert (steps > 0).all() and steps[0] > 2 * steps[5]
    assert gains[4] > 0.85  # 4-5 good contacts protect


def test_fewer_ties_and_less_participation_mean_more_loneliness_and_lower_quality_of_life():
    rich, poor = small_model(), small_model()
    poor.net.remove(PERSONAL[poor.net.layer] & (poor.net.layer != HOUSEHOLD) & (poor.net.layer != FAMILY))
    poor.people.participation[:] = 0.0
    poor.people.employed[:] = False
    for m in (rich, poor):
        ties.recount(m)
        for _ in range(10):
            wellbeing.step(m)
    assert poor.people.loneliness.mean() > rich.people.loneliness.mean() + 0.5
    assert poor.people.quality_of_life.mean() < rich.people.quality_of_life.mean()


# --------------------------------------------------------------------------- steering costs
def test_levers_cost_money_every_week():
    m = small_model(**{"steering.levers.buddies": 10, "steering.levers.links": 20})
    run(m, 4)
    unit = m.params.steering.unit_costs
    expected = 4 * (10 * unit["buddies"] + 20 * unit["links"]) / 52
    assert m.timeseries()["cost_levers_cumulative"].iloc[-1] == pytest.approx(expected)
    assert m.timeseries()["cost_levers_cumulative"].iloc[0] == 0.0


def test_a_lever_that_ends_is_undone():
    m = small_model(**{"steering.levers.lower_cost": {"level": 30, "end_week": 3},
                       "ignore_budget": True})
    run(m, 2)
    assert m.venues.lifted[:, COST].sum() > 0
    run(m, 2)
    assert m.venues.lifted[:, COST].sum() == 0


def test_presence_hours_lower_discipline_and_social_thresholds():
    m = small_model(**{"steering.levers.presence_hours": 100, "ignore_budget": True})
    before = m.venues.effective_thresholds().sum()
    m.step()
    assert m.venues.effective_thresholds().sum() < before


def test_distance_lever_lowers_the_distance_burden(model):
    model.venues.thresholds[:, DISTANCE] = True
    before = thresholds.burden(model).mean()
    model.venues.lifted[:, DISTANCE] = True
    assert thresholds.burden(model).mean() < before


def test_diversity_adds_venues_and_small_groups_convert_them():
    m = small_model(**{"steering.levers.diversity": 5, "steering.levers.small_groups": 7,
                       "ignore_budget": True})
    open_before = int(m.venues.open.sum())
    m.step()
    assert int(m.venues.open.sum()) >= open_before + 5 - 2  # some project venues may close
    assert int((m.venues.small_group & ~m.venues.small_base).sum()) == 7


# --------------------------------------------------------------------------- details that keep the rules honest
def test_the_venue_kind_that_fits_the_isolation_type_draws_more(model):
    from isolation_sim.scenario import VENUE_KINDS

    p, v = model.people, model.venues
    v.kind[:] = VENUE_KINDS.index("warm_place")
    p.isolation[:] = NOT_ISOLATED
    other = thresholds.attendance_probability(model)
    p.isolation[:] = DOUBLE
    fits = thresholds.attendance_probability(model)
    usable = other > 0
    ratio = (fits[usable] / other[usable])
    assert np.allclose(np.minimum(ratio, 10), np.minimum(fits[usable], 0.95) / other[usable])
    assert ratio.mean() > 1.2


def test_tie_strengths_stay_between_zero_and_one():
    m = small_model(**{"steering.levers.small_groups": 500, "ignore_budget": True,
                       "behaviour.contact_gain": 0.5})
    for _ in range(15):
        m.step()
        assert m.net.strength.max() <= 1.0 and m.net.strength.min() >= 0.0


def test_nobody_knows_a_venue_twice(model):
    known = np.sort(model.people.known, axis=1)
    same = (known[:, 1:] == known[:, :-1]) & (known[:, 1:] >= 0)
    assert not same.any()


def test_a_programme_replaces_a_buddy_who_stops_volunteering(model):
    from isolation_sim.buddies import VOLUNTEER

    b = int(np.flatnonzero((model.buddies.kind == VOLUNTEER) & (model.buddies.resident >= 0))[0])
    leaving = int(model.buddies.resident[b])
    r = int(np.flatnonzero(model.people.buddy < 0)[0])
    model.people.buddy[r] = b
    model.buddies.matches[b] += 1
    model.people.role[leaving] = 0
    reciprocity.replace_leaving_buddies(model, np.random.default_rng(0))
    assert not (model.people.buddy == b).any() and model.buddies.matches[b] == 0
    assert model.buddies.resident[b] not in (leaving, -1) and model.buddies.active[b]
    assert model.people.role[model.buddies.resident[b]] == 1


def test_links_join_open_venues_only_and_reach_new_venues():
    m = small_model(**{"steering.levers.links": 400, "steering.levers.diversity": 6,
                       "ignore_budget": True})
    run(m, 3)
    steering.step(m)  # as steering leaves them: a venue closing later in the week is skipped by coherence
    v = m.venues
    active = v.links[v.link_active]
    assert v.open[active].all()
    new = np.flatnonzero(v.origin == 1)
    assert np.isin(v.links, new).any()


def test_the_burn_in_leaves_the_offer_as_it_is_today():
    from isolation_sim.run import Run

    from .conftest import SCENARIOS

    m = Run(small_scenario(path=SCENARIOS / "oud_charlois.toml", burn_in=30)).model()
    assert m.timeseries()["venues_open"].iloc[0] == 94
    assert m.timeseries()["venues_threshold_free"].iloc[0] == 2


# --------------------------------------------------------------------------- a network with a budget
def test_a_resident_with_many_ties_makes_new_ones_less_readily():
    from isolation_sim.processes.ties import attention, welcome

    m = small_model()
    m.tie_multiplier = np.ones(m.people.n)  # every group as open as the general population
    budget = m.params.behaviour.network_budget
    m.totals.all_ties[:] = budget / 2
    m.totals.all_ties[::2] = 3 * budget
    share = attention(m)
    assert (share[1::2] == 1.0).all() and (share[::2] < 0.2).all()
    a = np.repeat(np.arange(0, 200, 2), 200)          # residents with three times the budget
    b = np.repeat(np.arange(1, 201, 2), 200)          # residents within it
    made = welcome(m, a, b, np.random.default_rng(1)).mean()
    assert made < 0.2 and welcome(m, b, b[::-1], np.random.default_rng(1)).all()


def test_a_group_that_made_fewer_ties_at_the_start_makes_fewer_new_ones_each_week():
    from isolation_sim.scenario import GROUPS

    gained = {}
    for multiplier in (1.0, 0.3):
        # the same start; only the multiplier the weekly rules read differs (kin renewal
        # reads it too, but the ties counted here leave family out)
        m = small_model(residents=3000)
        group = m.people.group == GROUPS.index("psychiatric")
        m.tie_multiplier = np.where(group, multiplier, m.tie_multiplier)
        new_layers = (m.net.layer == ACQUAINTANCE) | (m.net.layer == NEIGHBOUR) | (m.net.layer == FRIEND)
        before = m.net.degree(mask=new_layers)
        run(m, 13)
        new_layers = (m.net.layer == ACQUAINTANCE) | (m.net.layer == NEIGHBOUR) | (m.net.layer == FRIEND)
        gained[multiplier] = (m.net.degree(mask=new_layers) - before)[group].mean()
    assert gained[0.3] < gained[1.0] - 0.5


def test_groups_keep_their_network_sizes_where_the_start_put_them(monkeypatch):
    from isolation_sim.scenario import GROUPS

    def relative(m) -> float:  # network size of the groups with few ties, against the mean
        few = np.isin(m.people.group, [GROUPS.index(g) for g in ("psychiatric", "multiproblem")])
        return float(m.totals.all_ties[few].mean() / m.totals.all_ties.mean())

    drift = {}
    for weekly_rule_follows_groups in (True, False):
        m = small_model(residents=3000, seed=4, burn_in=26)
        if not weekly_rule_follows_groups:  # new ties at one rate for all, as before ties.openness
            monkeypatch.setattr(ties, "openness", ties.attention)
        start = relative(m)
        run(m, 130)
        drift[weekly_rule_follows_groups] = relative(m) / start - 1
    # two and a half years of weekly ties keep the start's make-up (seeds 4-13: -6% on average,
    # -10.5% at seed 4, at this size; at 15,000 residents the groups' share moves by +2% in
    # ten years) ...
    assert start < 0.6 and abs(drift[True]) < 0.12
    assert drift[False] > drift[True] + 0.15       # ... where one rule for all pulls the groups to the mean


def test_a_smaller_budget_keeps_networks_smaller_but_not_below_it():
    ties = {}
    for budget in (8.0, 60.0):
        m = small_model(**{"behaviour.network_budget": budget})
        run(m, 26)
        ties[budget] = m.totals.all_ties
    assert ties[8.0].mean() < ties[60.0].mean()
    assert np.mean(ties[8.0] > 3 * 8.0) < np.mean(ties[60.0] > 3 * 8.0)


def test_a_project_that_folds_is_succeeded_by_a_new_project():
    m = small_model(residents=3000, **{"behaviour.initiative_start_per_1000": 0.0,
                                       "behaviour.initiative_fold_per_week": 1.0})
    folding = m.venues.project & m.venues.resident_run & m.venues.open
    before = int((m.venues.open & m.venues.project).sum())
    run(m, 1)
    assert folding.any() and not m.venues.open[: folding.size][folding].any()
    assert int((m.venues.open & m.venues.project).sum()) == before


def test_initiatives_that_fold_come_back_while_as_many_are_active():
    from isolation_sim.processes.continuity import initiatives, kept_going

    m = small_model(residents=3000)
    run(m, 1)  # week 1: today's active residents and initiatives are counted
    today = m.initiatives_today.copy()
    assert today.sum() > 10 and (initiatives(m) <= today).all()
    assert kept_going(m, 2 * m.active_today, 1.0) == pytest.approx(2 * today)  # more active, more kept going
    assert kept_going(m, 0 * m.active_today, 1.0).sum() == 0
    b = m.params.behaviour
    object.__setattr__(b, "initiative_fold_per_week", 1.0)  # every initiative folds ...
    run(m, 1)
    assert initiatives(m).sum() <= today.sum() / 5  # a few started the same week
    object.__setattr__(b, "initiative_fold_per_week", 0.0)  # ... and residents start new ones
    run(m, 52)
    from isolation_sim.processes.continuity import active_residents

    active = np.bincount(m.people.hood[active_residents(m)], minlength=m.hoods)
    wanted = kept_going(m, active, 1.0).sum()  # today's, in proportion to the residents active now
    assert abs(int(initiatives(m).sum()) - wanted) <= 0.25 * wanted


def test_the_burn_in_renews_the_offer_and_week_0_has_the_oud_charlois_table():
    from isolation_sim.venues import build_venues

    m = small_model(residents=3000, burn_in=104)
    v = m.venues
    assert ((v.origin == PROJECT) & (v.opened_week <= 0)).sum() > 10  # projects ended and were followed
    assert (v.threshold_table() == build_venues(m.params).threshold_table()).all()


# --------------------------------------------------------------------------- size-free scenarios
def test_a_third_of_the_residents_is_a_third_of_the_offer_buddies_and_levers():
    from isolation_sim import load_scenario
    from isolation_sim.sizes import apportion
    from isolation_sim.venues import build_venues

    from .conftest import BASELINE

    full = load_scenario(BASELINE)
    third = full.with_overrides(residents=5000)
    table = build_venues(third).threshold_table()
    assert table.sum() == 31 and (table == apportion(build_venues(full).threshold_table(), 1 / 3)).all()
    m = small_model(residents=5000, **{"population.represents": 15000, "steering.levers.buddies": 30,
                                       "steering.levers.production_contracts": 0.3})
    assert int((~m.buddies.organic).sum()) == 3  # the pool of 1 + 6 + 2 buddies, a third of it
    assert m.lever("buddies") == 0.0  # levers act from week 1
    run(m, 1)
    assert m.lever("buddies") == pytest.approx(10) and m.lever("production_contracts") == pytest.approx(0.3)
    assert int(m.buddies.from_lever.sum()) == 10


def test_friends_made_outside_the_offer_are_often_of_ones_own_group():
    """New friendships from life outside the offer follow homophily, as the starting ones do."""
    same = {}
    for homophily in (0.0, 0.9):
        m = small_model(**{"population.homophily": homophily, "behaviour.new_friend_per_week": 0.2})
        m.net.commit()
        before = m.net.key.copy()
        run(m, 3)
        net, group = m.net, m.people.group
        new = (net.layer == FRIEND) & ~np.isin(net.key, before)
        same[homophily] = float((group[net.u[new]] == group[net.v[new]]).mean())
    assert same[0.9] > same[0.0] + 0.2


def test_residents_who_take_no_part_still_make_friends_outside_the_offer():
    made = {}
    for rate in (0.0, 0.05):
        m = small_model(**{"behaviour.new_friend_per_week": rate})
        out = m.people.participation < 0.05
        before = m.net.degree(mask=m.net.layer == FRIEND)
        run(m, 8)
        made[rate] = (m.net.degree(mask=m.net.layer == FRIEND) - before)[out].mean()
    assert made[0.05] > made[0.0] + 0.2


def _family_pairs(m) -> set:
    m.net.commit()
    own = m.net.layer == FAMILY
    return set(zip(m.net.u[own].tolist(), m.net.v[own].tolist()))


def test_kin_that_are_lost_are_renewed_so_the_family_keeps_its_number():
    m = small_model(**{"behaviour.loss.family": 0.05})  # a twentieth of family ties end a week
    start = _family_pairs(m)
    run(m, 26)
    now = _family_pairs(m)
    assert len(start & now) < 0.4 * len(start)         # most of the starting kin are gone ...
    assert abs(len(now) - len(start)) < 0.05 * len(start)  # ... and as many have come


def test_renewed_kin_go_to_the_groups_the_starting_kin_went_to():
    from isolation_sim.scenario import GROUPS

    def kin_share(m, groups) -> float:  # family ties of these groups against the mean
        family = m.net.degree(mask=m.net.layer == FAMILY)
        few = np.isin(m.people.group, [GROUPS.index(g) for g in groups])
        return family[few].mean() / family.mean()

    m = small_model(residents=4000, **{"behaviour.loss.family": 0.05})
    vulnerable = ("psychiatric", "multiproblem", "intellectual_disability")
    before = kin_share(m, vulnerable)
    run(m, 40)  # nearly every starting family tie has ended and been renewed
    assert before < 0.8 and abs(kin_share(m, vulnerable) - before) < 0.15 * before


def test_friends_met_at_activities_share_a_venue_and_live_further_away():
    from isolation_sim.world import build_world

    def starting_friends(share: float):  # the network as drawn, before any burn-in
        w = build_world(small_scenario(residents=3000, **{"population.friends_met_at_activities": share}))
        own = w.net.layer == FRIEND
        u, v = w.net.u[own], w.net.v[own]
        far = np.abs(w.spatial_rank[u] - w.spatial_rank[v]) > 100
        known = w.people.known
        shared = np.array([np.intersect1d(known[a][known[a] >= 0], known[b]).size > 0 for a, b in zip(u, v)])
        return far.mean(), shared.mean()

    far_none, shared_none = starting_friends(0.0)
    far_all, shared_all = starting_friends(1.0)
    assert far_all > far_none + 0.5 and shared_all > shared_none + 0.4


def test_residents_prone_to_loneliness_start_with_fewer_friends_when_the_network_starts_sorted():
    from isolation_sim.world import build_world

    def friends_by_disposition(strength: float):  # the network as drawn, before any burn-in
        w = build_world(small_scenario(residents=3000, **{"population.ties_follow_disposition": strength}))
        friends = w.net.degree(mask=w.net.layer == FRIEND)
        prone = w.people.trait > np.quantile(w.people.trait, 0.8)
        least = w.people.trait < np.quantile(w.people.trait, 0.2)
        return friends[prone].mean(), friends[least].mean(), friends.mean()

    prone_flat, least_flat, mean_flat = friends_by_disposition(0.0)
    prone, least, mean = friends_by_disposition(0.5)
    assert prone_flat / least_flat > 0.8 and prone / least < 0.5  # sorted by disposition ...
    assert 0.8 * mean_flat < mean < mean_flat                      # ... with somewhat fewer in all (ODD 5)


def test_a_type_does_not_change_on_one_weeks_absence_but_on_a_situation_that_lasts(model):
    run(model, 2)
    p, weeks = model.people, model.params.behaviour.type_persistence_weeks
    who = np.flatnonzero(p.isolation == NOT_ISOLATED)[:50]
    def out_of_public_life():  # no work, no role, no activity, no help given
        p.employed[who], p.role[who], p.participation[who], p.giving[who] = False, 0, 0.0, 0.0

    out_of_public_life()
    isolation.step(model)
    assert (p.isolation[who] == NOT_ISOLATED).all()  # one week changes nothing
    for _ in range(weeks - 1):  # ... the same situation, week after week
        out_of_public_life()
        isolation.step(model)
    assert (p.isolation[who] != NOT_ISOLATED).all()
