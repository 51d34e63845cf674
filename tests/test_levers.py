"""Each lever does what its name says, and where stability and dynamics need each other
the mechanism that makes them do so can be switched off and the dependence goes with it.

Each test changes one thing, keeps the seed the same, and checks the direction.
"""

from __future__ import annotations

import numpy as np
import pytest

from isolation_sim.processes import buddies, continuity, steering
from isolation_sim.processes.discovery import suitable_venue
from isolation_sim.population import MANAGER_ROLE, NOT_ISOLATED
from isolation_sim.scenario import ACTIVITY_TYPES
from isolation_sim.venues import DIVERSITY

from .conftest import small_model


def diversity_venues(m):
    return np.flatnonzero(m.venues.origin == DIVERSITY)


# --------------------------------------------------------------------------- diversity
def test_diversity_opens_projects_of_the_kinds_the_neighbourhood_lacks():
    m = small_model(**{"steering.levers.diversity": 6, "ignore_budget": True})
    v = m.venues
    before = {(h, a, k): np.count_nonzero(v.open & (v.hood == h) & (v.activity == a) & (v.kind == k))
              for h in range(m.hoods) for a, k in steering.PAIRS}
    m.step()
    new = diversity_venues(m)
    assert new.size == 6 and v.project[new].all() and (v.end_week[new] < 10_000).all()
    for h in np.unique(v.hood[new]):
        here = new[v.hood[new] == h]
        chosen = [before[h, a, k] for a, k in zip(v.activity[here], v.kind[here])]
        fewest = sorted(before[h, a, k] for a, k in steering.PAIRS)[: here.size]
        assert max(chosen) <= max(fewest)  # the kinds the neighbourhood has least of
        least = sum(before[h, a, k] == min(fewest) for a, k in steering.PAIRS)
        assert len(set(zip(v.activity[here], v.kind[here]))) >= min(here.size, least)  # different ones first


def test_a_new_kind_has_the_thresholds_new_offers_of_its_type_have():
    m = small_model(**{"steering.levers.diversity": 400, "ignore_budget": True})
    m.step()
    new = diversity_venues(m)
    counts = m.venues.thresholds[new].sum(axis=1)
    inventory = m.params.offer.inventory
    for a, activity in enumerate(ACTIVITY_TYPES):
        row = np.array(inventory[activity], float)
        mine = counts[m.venues.activity[new] == a]
        if mine.size > 20 and row.sum() > 0:
            assert abs(mine.mean() - (row * np.arange(5)).sum() / row.sum()) < 0.4
    assert (counts >= 1).mean() > 0.9  # not the threshold-free place of a venue built to be easy


def test_a_diversity_project_ends_and_the_lever_starts_another_kind():
    m = small_model(**{"steering.levers.diversity": 3, "ignore_budget": True, "offer.project_end_weeks": [2, 3]})
    for _ in range(10):
        m.step()
    made = diversity_venues(m)
    assert made.size > 6  # the projects end and others take their place
    assert (m.venues.end_week[made[~m.venues.open[made]]] <= m.week).all()  # closed because their funding ended
    steering.step(m)  # the week after, the lever is back at its level
    assert m.venues.open[diversity_venues(m)].sum() == 3


def test_permanent_funding_keeps_a_diversity_project_open_and_the_lever_starts_another():
    plain = small_model(**{"steering.levers.diversity": 3, "ignore_budget": True,
                           "offer.project_end_weeks": [2, 3]})
    kept = small_model(**{"steering.levers.diversity": 3, "steering.levers.permanent_funding": 1_000,
                          "ignore_budget": True, "offer.project_end_weeks": [2, 3]})
    for m in (plain, kept):
        for _ in range(8):
            m.step()
        steering.step(m)
    open_plain = plain.venues.open[diversity_venues(plain)].sum()
    open_kept = kept.venues.open[diversity_venues(kept)].sum()
    assert open_plain == 3 and open_kept > 3  # stability keeps what dynamics starts
    assert kept.costs["permanent_funding"] > plain.costs["permanent_funding"]  # and pays for it


def test_a_venue_funded_for_good_stays_funded():
    m = small_model(**{"steering.levers.permanent_funding": 4, "ignore_budget": True,
                       "offer.project_end_weeks": [2, 3]})
    m.step()
    first = set(np.flatnonzero(m.venues.permanent))
    for _ in range(10):
        m.step()
    now = np.flatnonzero(m.venues.permanent)
    assert len(first) == 4 and first <= set(now) and m.venues.open[now].all()


# --------------------------------------------------------------------------- presence
def test_presence_hours_go_to_places_in_order_with_a_full_dose_each():
    m = small_model(**{"steering.levers.presence_hours": 20, "ignore_budget": True})
    m.step()
    staffed = m.venues.presence[m.venues.presence > 0]
    assert staffed.size == 5 and np.allclose(staffed, 4.0)
    assert sorted(steering.presence(m.venues, 10)[m.venues.presence > 0].tolist()) == [0, 0, 2, 4, 4]
    spread = m.venues.effective_thresholds()
    assert spread[m.venues.presence > 0, 2].max() == 0.0  # the discipline threshold is gone there


# --------------------------------------------------------------------------- buddies
def _buddy_gain(m, monkeypatch, introduce: bool) -> float:
    """What being matched to a buddy adds to 150 isolated vulnerable residents' summed
    chance to attend: the buddy's company, and the place the buddy takes them to."""
    from isolation_sim.processes import thresholds

    monkeypatch.setattr(buddies, "INTRODUCE", introduce)
    p = m.people
    who = np.flatnonzero(p.vulnerable & (p.isolation != NOT_ISOLATED))[:150]
    alone = thresholds.attendance_probability(m)[who].sum()
    p.buddy[who] = 0
    buddies.introduce(m, who, np.random.default_rng(5))
    return thresholds.attendance_probability(m)[who].sum() - alone


def test_a_buddy_s_introduction_leads_further_where_the_offer_has_low_thresholds(monkeypatch):
    gain = {}
    for lowered in (False, True):
        for introduce in (False, True):
            m = small_model()
            m.venues.lifted[:, 1:] = lowered  # cost, discipline and social thresholds lowered everywhere
            gain[lowered, introduce] = _buddy_gain(m, monkeypatch, introduce)
    introduction = {lowered: gain[lowered, True] - gain[lowered, False] for lowered in (False, True)}
    assert introduction[False] > 0 and introduction[True] > 1.2 * introduction[False]
    # switched off, a buddy's company helps most where thresholds are high: the dependence is gone
    assert gain[True, False] <= gain[False, False]


def test_the_place_a_companion_chooses_is_the_easiest_of_those_weighed(model):
    p, v = model.people, model.venues
    who = np.arange(200)
    chosen = suitable_venue(model, who, np.full(who.size, -1), np.random.default_rng(1))
    hard = np.einsum("ik,ik->i", p.sensitivity[who], v.effective_thresholds()[chosen])
    other = v.random_open(p.hood[who], np.random.default_rng(2).random(who.size))
    hard_other = np.einsum("ik,ik->i", p.sensitivity[who], v.effective_thresholds()[other])
    assert (chosen >= 0).all() and hard.mean() < hard_other.mean()


def test_lever_buddies_raise_the_participation_of_those_they_are_matched_with(monkeypatch):
    results = {}
    for introduce in (True, False):
        monkeypatch.setattr(buddies, "INTRODUCE", introduce)
        m = small_model(**{"steering.levers.buddies": 60, "ignore_budget": True,
                           "buddies.referral_per_week": 0.3})
        for _ in range(20):
            m.step()
        matched = m.people.buddy >= 0
        results[introduce] = m.people.participation[matched].mean()
    assert results[True] > results[False] + 0.02


# --------------------------------------------------------------------------- anchoring
def _anchor_world(presence: bool, links: bool):
    m = small_model()
    v = m.venues
    v.supported[:] = False
    v.presence[:] = 0.0
    run = np.flatnonzero(v.open & v.resident_run)
    staffed = np.flatnonzero(v.open & ~v.resident_run)
    pairs = np.column_stack([run, staffed[np.arange(run.size) % staffed.size]])
    v.links = pairs.astype(np.int32)
    v.link_active = np.full(len(pairs), links)
    if presence:
        v.presence[staffed] = 4.0
    return m, run


@pytest.mark.parametrize("factor", [continuity.ANCHORED_FOLD, 1.0])
def test_initiatives_linked_to_a_staffed_place_fold_less_only_with_both(monkeypatch, factor):
    monkeypatch.setattr(continuity, "ANCHORED_FOLD", factor)
    chance = {}
    for presence in (False, True):
        for links in (False, True):
            m, run = _anchor_world(presence, links)
            chance[presence, links] = continuity.fold_chance(m)[run].mean()
    if factor < 1.0:  # anchored: the presence of stability and the links of dynamics together
        assert chance[True, True] < 0.7 * min(chance[True, False], chance[False, True])
        assert chance[True, False] == pytest.approx(chance[False, False])
    else:  # switched off: neither helps, so neither needs the other
        assert len({round(c, 12) for c in chance.values()}) == 1
    m, run = _anchor_world(False, False)
    before = continuity.fold_chance(m)[run[0]]
    m.venues.presence[run[0]] = 4.0  # an initiative run at a staffed place needs no link
    assert continuity.fold_chance(m)[run[0]] == pytest.approx(factor * before)


# --------------------------------------------------------------------------- community managers
def test_community_managers_are_residents_on_benefits_whatever_their_isolation():
    m = small_model(**{"steering.levers.community_managers": 60, "ignore_budget": True})
    m.step()
    managers = m.people.role == MANAGER_ROLE
    assert managers.sum() == 60
    assert steering.on_benefits(m)[managers].all()
    assert (m.people.isolation[managers] != NOT_ISOLATED).any()  # precarious residents are part of the solution


def test_community_managers_stop_when_the_lever_ends():
    m = small_model(**{"steering.levers.community_managers": {"level": 30, "end_week": 3}, "ignore_budget": True})
    m.step()
    assert (m.people.role == MANAGER_ROLE).sum() == 30
    for _ in range(3):
        m.step()
    assert (m.people.role == MANAGER_ROLE).sum() == 0


# --------------------------------------------------------------------------- production contracts
def test_a_venue_contracted_on_production_asks_newcomers_for_an_intake(model):
    from isolation_sim.processes import thresholds

    p, v = model.people, model.venues
    v.thresholds[:, 2] = False  # no discipline threshold of their own anywhere
    p.familiar[:] = 0.0
    v.contracted[:] = False
    coherence = thresholds.burden(model)
    v.contracted[:] = True
    production = thresholds.burden(model)
    assert (production >= coherence - 1e-9).all() and production.mean() > coherence.mean() + 0.05
    p.familiar[:] = thresholds.INTAKE_DONE  # after a first visit the intake is done
    after = thresholds.burden(model)
    v.contracted[:] = False
    assert np.allclose(after, thresholds.burden(model))


@pytest.mark.parametrize("contracted", [True, False])
def test_a_full_venue_on_production_turns_the_vulnerable_away_first(model, contracted):
    from isolation_sim.processes import thresholds

    v, p = model.venues, model.people
    v.contracted[:] = contracted
    v.capacity[:] = 50
    chosen = np.zeros(p.n, np.int32)  # everybody wants venue 0
    thresholds.admit(model, chosen, np.random.default_rng(4).random(p.n))
    admitted = chosen >= 0
    share = admitted[p.vulnerable].mean() / admitted[~p.vulnerable].mean()
    if contracted:
        assert admitted.sum() == 60 and admitted[p.vulnerable].sum() == 0  # places to target, none for them
    else:
        assert admitted.sum() == 50 and 0.5 < share < 2.0  # a random part, whoever they are
