"""A plain, per-agent Mesa implementation of the isolation_sim weekly rules.

Why this file exists
--------------------
``isolation_sim.IsolationModel`` keeps all state in numpy arrays and runs every weekly
process vectorised over the whole population. That is fast, but hard to read and easy to
get subtly wrong. This module implements the *same* rules the ordinary Mesa way:

* every resident, venue and buddy is a ``mesa.Agent`` that holds its own state as plain
  Python attributes;
* a resident's ties are a dict ``{other resident index: [layer, strength, contact]}``;
  the *same* list object is stored at both ends, so a tie is symmetric by construction;
* a week runs the processes in the order of ``isolation_sim.processes.SCHEDULE``, each as
  per-agent methods called through Mesa's AgentSet
  (``self.agents_by_type[Resident].do("choose_venue")``), with per-agent Python loops and
  per-agent random draws (``model.random``).

It serves two purposes:

1. **Speed baseline** for the benchmarks: what the model would cost written naively.
2. **Statistical oracle** for the vectorised model (``tests/test_reference.py``): run with
   the same scenario, the two models must give the same outcome distributions. Their
   random numbers differ (this file does not use the per-process streams), so only
   distributions can be compared, never single runs.

What is shared with the package, and what is not
------------------------------------------------
* Parameters come from the same validated :class:`isolation_sim.scenario.Scenario`
  (``load_scenario(path, overrides=...)``); numeric module constants of the rules are
  imported from the modules that define them, so both models use one value.
* The *initial world* is the package's (``world.build_world``: residents, network, offer,
  buddies, the venues each resident knows, volunteering as it stands), as
  ``IsolationModel.__init__`` builds it, copied into agents. With the same seed both
  models therefore start from the *same* world (the week-0 row of a run without burn-in
  is identical).
* Every weekly rule (burn-in weeks included) is written out below, per agent. Nothing
  here calls ``isolation_sim.processes`` for a rule; only the chance of finding work, a
  number per group derived from the scenario, comes from ``life_events.finding_chance``,
  and the chance that a pensioner living alone leaves, a number per group derived from the
  starting residents, from ``life_events.retired_leaving_chance``.

The rules follow the vectorised code (the reference for "the same rules"); where the code
and ``docs/ODD.md`` disagree, the code is followed. A few rules are easy to miss because
they are about *when* things happen:

* **Staged ties.** A tie made during the week (a buddy match, a light contact at a venue,
  a community manager's visit, help to a neighbour, a street contact) is *staged*: it is
  invisible to the rest of the week and joins the network, with ``contact = True`` and its
  first strength, only at the commit in the ties process, after contact, decay, promotion
  and loss of the existing ties. Ties that end are gone at once.
* **Synchronous updates.** Within a process every resident sees the others' state from
  before the process (loneliness contagion, bridging ties, capacity queues), so those
  processes run as two passes over the agents. So does support: every helper is chosen
  from the care loads as they stand at the start of the step, and only then are the
  loads updated.
* **Societal isolation is assessed twice.** The ties process assesses everyone (the
  bridging ties count the others as it finds them); the isolation types then take each
  resident's own societal isolation afresh, with the ``giving`` of this week's support.

Week numbering is the package's: the model is built at ``week = -burn_in_weeks``, the
burn-in runs weeks ``-burn_in_weeks + 1 .. 0``, the first outcome row is week 0, and levers
and costs act from week 1.

>>> from isolation_sim import load_scenario
>>> s = load_scenario("scenarios/baseline.toml", overrides={"residents": 300, "burn_in_weeks": 2})
>>> m = ReferenceModel(s)
>>> m.run(2)
>>> m.timeseries()["week"].tolist()
[0, 1, 2]
"""

from __future__ import annotations

import math
from collections import defaultdict

import mesa
import numpy as np
import pandas as pd

from isolation_sim.layers import ACQUAINTANCE, BUDDY, FAMILY, FRIEND, HOUSEHOLD, LAYERS, NEIGHBOUR
from isolation_sim.outcomes import COLUMNS
from isolation_sim.population import (
    COLLECTIVE, DOUBLE, FAMILY_WINDOW, INDIVIDUAL, KNOWN_VENUES, MANAGER_ROLE, NO_ROLE, NOT_ISOLATED, VOLUNTEER_ROLE,
)
from isolation_sim.population import SAME_GROUP_WINDOW                   # 30
from isolation_sim.population import FRIEND_WINDOW                       # 60
from isolation_sim.processes.moving import HOUSEHOLD_STRENGTH, PARTNER_TRIES, PARTNER_WINDOW  # 0.9, 3, 20
from isolation_sim.population import NEVER as NEVER_GAVE   # last_gave of a resident who has not given
from isolation_sim.scenario import ACTIVITY_TYPES, BUDDY_KINDS, GROUPS, VENUE_KINDS, Scenario
from isolation_sim.venues import DIVERSITY, FULL_PRESENCE_HOURS, KINDS_FOR_TYPE, SMALL_GROUP_CAPACITY
from isolation_sim.sizes import lever_units, scale
from isolation_sim.world import build_world

# Numeric constants of the rules, from the modules that define them (one value for both models).
from isolation_sim.processes.buddies import FIRST_STRENGTH as BUDDY_FIRST_STRENGTH        # 0.3
from isolation_sim.processes.buddies import FIRST_VISITS, INTRODUCE, TRY_AGAIN   # 0.5, True, 1/13
from isolation_sim.processes.coherence import CONTRACTED_REFERRAL        # 0.5
from isolation_sim.processes.continuity import (
    ANCHORED_FOLD, BOOST_SCALE, EMPTY_FOLD, MAX_START_BOOST, SEASON, SUPPORTED_FOLD,
)
from isolation_sim.processes.discovery import TRIES                       # 6
from isolation_sim.processes.life_events import finding_chance            # per group: keeps its share in work
from isolation_sim.processes.life_events import retired_leaving_chance    # per group: keeps its share retired
from isolation_sim.processes.meeting import FIRST_STRENGTH as MEETING_FIRST_STRENGTH       # 0.1
from isolation_sim.processes.meeting import SUBGROUP                     # 8
from isolation_sim.processes.reciprocity import REACH_PER_WEEK, VOLUNTEER_ACTIVITY, VOLUNTEER_STRENGTH  # 0.25, 0.3, 3
from isolation_sim.processes.support import ASKING_BARRIER, LAYER_OF_TIE, PROFESSIONALS, UNMET  # 0.8, ..., 4, 5
from isolation_sim.processes.thresholds import CONTRACTED_ROOM, INTAKE_DONE, LIFTED_DISTANCE   # 1.2, 0.25, 0.3
from isolation_sim.processes.ties import KIN_TRIES, NEW_FRIEND_STRENGTH, NEXT_DOOR, STREET_WINDOW   # 3, 0.3, 6, 100
from isolation_sim.processes.wellbeing import OVERBURDEN_WEIGHT           # 0.1

# --------------------------------------------------------------------------- codes
PROFESSIONAL, VOLUNTEER, PEER_EXPERT = range(len(BUDDY_KINDS))
DISTANCE, COST, DISCIPLINE, SOCIAL = range(4)
PERSONAL_LAYERS = {HOUSEHOLD, FAMILY, FRIEND, NEIGHBOUR, BUDDY}      # acquaintances are light contacts
WEEKLY_CONTACT_LAYERS = {FAMILY, FRIEND, NEIGHBOUR}                  # CBS: family, friends, neighbours
PSYCHIATRIC = GROUPS.index("psychiatric")
NO_GROUP = GROUPS.index("none")
PRESENCE_KINDS = {VENUE_KINDS.index(k) for k in ("walk_in", "warm_place", "community_centre")}
# Van Delden's action perspectives: the venue kind that fits an isolation type draws more.
ACTION_FIT = {
    INDIVIDUAL: VENUE_KINDS.index("environment_initiative"),
    COLLECTIVE: VENUE_KINDS.index("mild_work"),
    DOUBLE: VENUE_KINDS.index("warm_place"),
}
NEVER = int(np.iinfo(np.int32).max)   # end_week of a venue without project funding
GAVE_WINDOW = 52                      # weeks in which help given counts for the outcomes (outcomes.gave_recently)
HOUSEHOLD_SUPPORT = int(LAYER_OF_TIE[HOUSEHOLD])   # the support layer where a member always helps

# A tie is a list [layer, strength, contact], shared by both ends.
LAYER, STRENGTH, CONTACT = range(3)


# =========================================================================== agents
class Resident(mesa.Agent):
    """A resident. Fixed traits and weekly state are plain attributes."""

    def __init__(self, model: "ReferenceModel", index: int, **traits) -> None:
        super().__init__(model)
        self.index = index                  # position in model.residents; the key in ties dicts
        # fixed traits (set from the builders): x, y, hood, group, sensitivity (4),
        # preference (4), self_reliance, employed, trait, support_need, complex_needs,
        # priority, loneliness_bias, strained (household ties), readiness (the group's
        # giving), lives_alone, finding (the group's weekly chance of finding work),
        # household, place (the part of the disposition that comes with the home), retired
        self.__dict__.update(traits)
        # changing state
        self.ties: dict[int, list] = {}
        self.type_candidate, self.type_streak = NOT_ISOLATED, None   # (classify)
        self.participation = 0.0
        self.attending = -1                 # venue index this week, -1 none
        self.last_venue = -1                # venue index the week before
        self.known = [-1] * KNOWN_VENUES    # venue indices, -1 = empty slot
        self.familiar = [0.0] * KNOWN_VENUES
        self.loneliness = 0.0
        self.quality_of_life = 0.0
        self.isolation = NOT_ISOLATED
        self.isolation_at_start = NOT_ISOLATED
        self.buddy: Buddy | None = None
        self.match_week = 0
        self.role = NO_ROLE
        self.weekly_contacts = 0
        self.support_layer = -1
        self.personal_strength = 0.0
        self.protection = 0.0
        self.care_load = 0.0                # help given a week, remembered (support, reciprocity)
        self.giving = 0.0                   # of it, help outside the household: a part in public life
        self.last_gave = NEVER_GAVE         # the last week they did something for others
        self.employment_since = 0           # the week they last started or stopped working
        # scratch values within one week
        self.wish = -1                      # venue wished for this week, before capacity
        self.rank_draw = 0.0                # place in the queue at the venue's door
        self.wants_buddy = False
        self.queue_key = (True, 0.0)        # place in the buddy queue of the neighbourhood
        self.cell = (-1, 0)                 # (venue, subgroup) met in this week
        self.rank = 0                       # place on the spatial (Morton) order
        self.group_place = 0                # place among the own group of the neighbourhood, street order
        self.new_volunteer = False
        self.helped_neighbour = False       # did something for someone nearby this week
        self.asking = False                 # asks for help with a need this week (support)
        self.helper: Resident | None = None # who meets that need this week
        self.support_rank = 0.0             # place in the week's random order of helpers
        self.needs_met = 0                  # needs of others met this week
        self.needs_met_outside = 0          # of them, outside the household layer
        self.was_lonely = False
        self.societal = False
        self.reach = 1.0
        self.lonely_frac = 0.0

    @property
    def vulnerable(self) -> bool:
        return self.group != 0

    @property
    def on_benefits(self) -> bool:
        """Not in work and not in the group with no particular vulnerability (Radar)."""
        return not self.employed and not self.retired and self.group != NO_GROUP  # of working age

    # ------------------------------------------------------------------ start of the week
    def start_week(self) -> None:
        self.isolation_at_start = self.isolation
        for tie in self.ties.values():
            tie[CONTACT] = False

    # ------------------------------------------------------------------ 0 life events
    def life_event(self) -> None:
        """Living alone or as a couple, in a group with pensioners and not yet retired:
        retire with chance ``retire_per_week`` (work ends for good). Otherwise, of working
        age: in work, stop working with chance ``job_loss_per_week``; out of work, find work
        with the group's chance that keeps its share in work (life_events.finding_chance)."""
        b, model = self.model.params.behaviour, self.model
        draw = self.random.random()
        can_retire = (not self.retired and model.household_size[self.household] <= 2
                      and model.params.groups[GROUPS[self.group]].retired > 0)
        if draw < b.retire_per_week:
            if can_retire:
                if self.employed:
                    self.employment_since = model.week
                self.retired, self.employed = True, False
            return
        if self.retired:
            return
        chance = b.job_loss_per_week if self.employed else self.finding
        if draw - b.retire_per_week < chance:
            self.employed = not self.employed
            self.employment_since = model.week

    # ------------------------------------------------------------------ shared: learning a venue
    def learn(self, venue: int, familiarity: float) -> None:
        """Come to know ``venue`` with ``familiarity`` (discovery, coherence, community managers).

        A venue already known keeps its slot and the higher familiarity. Otherwise it takes
        the slot with the lowest score: empty 0, closed venue 1, open venue 2 + U, and 9 for
        the venue attended last week or this week (protected).
        """
        if venue < 0:
            return
        if venue in self.known:
            slot = self.known.index(venue)
            self.familiar[slot] = max(self.familiar[slot], familiarity)
            return
        venues = self.model.venues
        scores = []
        for k in self.known:
            if k < 0:
                score = 0.0
            elif venues[k].is_open:
                score = 2.0 + self.random.random()
            else:
                score = 1.0
            if k >= 0 and (k == self.last_venue or k == self.attending):
                score = 9.0
            scores.append(score)
        slot = scores.index(min(scores))
        self.known[slot] = venue
        self.familiar[slot] = max(0.0, familiarity)

    # ------------------------------------------------------------------ shared: where a companion takes you
    def suitable_venue(self, own: int) -> int:
        """Where a companion (a buddy, a community manager) takes this resident.

        The options are the companion's ``own`` venue (-1 for none) and TRIES random open
        venues of the resident's neighbourhood. Of those that are open, the one with the
        least sum over threshold kinds of the resident's sensitivity times the venue's
        threshold after levers (as it stands now) is taken; the first of equals wins, the
        companion's own first. -1 when none is open.
        """
        venues = self.model.venues
        options = [own] + [self.model.random_open_venue(self.hood) for _ in range(TRIES)]
        best, least = -1, math.inf
        for k in options:
            if k < 0 or not venues[k].is_open:
                continue
            hard = sum(s * t for s, t in zip(self.sensitivity, venues[k].effective_thresholds()))
            if hard < least:
                best, least = k, hard
        return best

    # ------------------------------------------------------------------ 3 buddies
    def review_buddy(self) -> None:
        """A match ends if the buddy is inactive, the match is too long, or by drop-out."""
        if self.buddy is None:
            return
        cfg = self.model.params.buddies
        gone = not self.buddy.active
        over = self.model.week - self.match_week >= cfg.max_match_weeks
        dropped = self.random.random() < cfg.dropout_per_week * (1.0 + self.self_reliance)
        if gone or over or dropped:
            self.model.end_match(self)

    def buddy_tries_again(self) -> None:
        """A matched resident who went nowhere last week: with chance TRY_AGAIN the buddy
        introduces them to a place again (after match endings, before new matches)."""
        if self.buddy is not None and self.attending < 0 and self.random.random() < TRY_AGAIN:
            self.be_introduced()

    def be_introduced(self) -> None:
        """The buddy takes the resident to a place and goes along the first times: the
        resident comes to know it with familiarity FIRST_VISITS. The place is
        ``suitable_venue`` from the buddy's own venue: a resident buddy's venue this week,
        else last week's; none for a professional buddy."""
        if not INTRODUCE:
            return
        mate = self.buddy.resident
        own = -1 if mate is None else (mate.attending if mate.attending >= 0 else mate.last_venue)
        self.learn(self.suitable_venue(own), FIRST_VISITS)

    def seek_buddy(self) -> None:
        """A vulnerable isolated resident without a buddy may be referred and accept one."""
        self.wants_buddy = False
        if self.buddy is not None or not self.vulnerable or self.isolation == NOT_ISOLATED:
            return
        if self.index in self.model.buddy_residents:   # an active resident buddy takes no buddy
            return
        referred = self.random.random() < self.model.params.buddies.referral_per_week
        accepts = self.random.random() >= self.self_reliance
        if referred and accepts:
            self.wants_buddy = True
            # the queue in the neighbourhood: double isolation first, then at random
            self.queue_key = (self.isolation != DOUBLE, self.random.random())

    # ------------------------------------------------------------------ 4 discovery
    def discover(self) -> None:
        """Word of mouth along ties: hear of a random open venue in the neighbourhood."""
        b = self.model.params.behaviour
        if self.random.random() < b.discovery_per_week * (0.5 + self.protection):
            self.learn(self.model.random_open_venue(self.hood), 0.0)

    # ------------------------------------------------------------------ 5 thresholds
    def attendance_probability(self, slot: int) -> float:
        """The weekly chance to attend the venue in known ``slot``."""
        k = self.known[slot]
        if k < 0:
            return 0.0
        venue = self.model.venues[k]
        if not venue.is_open:
            return 0.0
        b = self.model.params.behaviour
        t = venue.effective
        s = self.sensitivity
        d = math.hypot(self.x - venue.x, self.y - venue.y) / b.distance_scale_km
        far = s[DISTANCE] * d * (LIFTED_DISTANCE + (1.0 - LIFTED_DISTANCE) * t[DISTANCE])
        social = s[SOCIAL] * t[SOCIAL] * (1.0 - b.coherence_social_relief * self.familiar[slot])
        # a contracted venue asks a newcomer (familiarity below INTAKE_DONE) for an intake:
        # its discipline threshold then counts in full
        discipline = 1.0 if venue.contracted and self.familiar[slot] < INTAKE_DONE else t[DISCIPLINE]
        accompanied = b.buddy_accompaniment if self.buddy is not None else 0.0
        burden = b.threshold_weight * (
            far + s[COST] * t[COST] + (s[DISCIPLINE] * discipline + social) * (1.0 - accompanied)
        )
        liking = 4.0 * self.preference[venue.activity]
        # Van Delden's action perspectives: the kind that fits last week's isolation type
        fit = b.action_fit if ACTION_FIT.get(self.isolation) == venue.kind else 1.0
        motivation = (1.0 - b.tie_motivation * (1.0 - self.protection)) * (1.0 - 0.5 * self.self_reliance)
        p = b.attendance_base * liking * fit * motivation * math.exp(-burden)
        if k == self.last_venue:   # habit, and a buddy who stays present
            p *= b.habit * (b.buddy_presence if self.buddy is not None else 1.0)
        return min(p, 0.95)

    def choose_venue(self) -> None:
        """Decide whether to go out this week, and where (before capacity)."""
        self.last_venue = self.attending   # last week's venue: habit acts on it
        probs = [self.attendance_probability(j) for j in range(KNOWN_VENUES)]
        stay = 1.0
        for p in probs:
            stay *= 1.0 - p
        self.wish = -1
        if self.random.random() < 1.0 - stay:
            target = self.random.random() * sum(probs)     # roulette in proportion to p
            acc = 0.0
            for j, p in enumerate(probs):
                acc += p
                if p > 0.0 and acc > target:
                    self.wish = self.known[j]
                    break
            else:  # rounding at the very end of the wheel
                self.wish = self.known[max(j for j, p in enumerate(probs) if p > 0.0)]
        self.rank_draw = self.random.random()   # place in the queue at the door

    def settle_attendance(self) -> None:
        """After capacity: familiarity grows where the resident went; participation updates."""
        chosen = self.wish
        if chosen >= 0:
            for j, k in enumerate(self.known):
                if k == chosen:
                    self.familiar[j] += 0.25 * (1.0 - self.familiar[j])
        self.attending = chosen
        active = 1.0 if (chosen >= 0 or self.role > 0) else 0.0
        alpha = 1.0 / self.model.params.behaviour.participation_memory_weeks
        self.participation = (1.0 - alpha) * self.participation + alpha * active

    # ------------------------------------------------------------------ 6 coherence
    def follow_links(self) -> None:
        """An attendee of a linked venue may be introduced to a linked venue (familiarity 1)."""
        if self.attending < 0:
            return
        venue = self.model.venues[self.attending]
        if not venue.linked:
            return
        exposure = self.model.params.behaviour.coherence_exposure
        if venue.contracted:
            exposure *= CONTRACTED_REFERRAL
        if self.random.random() < exposure:
            target = venue.linked[int(self.random.random() * len(venue.linked))]
            if self.model.venues[target].is_open:
                self.learn(target, 1.0)

    # ------------------------------------------------------------------ 7 meeting
    def meet(self) -> None:
        """Meet a few members of this week's cell (the venue, or a subgroup of a small group).

        An existing tie gains ``g * (1 - s)`` meeting by meeting (so the order of meetings
        does not matter: ``1 - s`` is multiplied by ``1 - g`` each time) and is marked as
        contacted. A pair without a tie may make a new light contact; it is staged and
        joins the network when the ties process commits (one tie per pair per week).
        """
        if self.attending < 0:
            return
        model, b = self.model, self.model.params.behaviour
        venue = model.venues[self.attending]
        cell = model.cells[self.cell]
        if len(cell) < 2:
            return
        rounds = b.contacts_per_visit_small_group if venue.small_group else b.contacts_per_visit
        boost = b.small_group_gain if venue.small_group else 1.0
        for _ in range(rounds):
            other = cell[int(self.random.random() * (len(cell) - 1))]
            if other is self:   # a uniform pick among the other members
                other = cell[-1]
            tie = self.ties.get(other.index)
            if tie is not None:
                tie[STRENGTH] += min(1.0, b.contact_gain * boost) * (1.0 - tie[STRENGTH])
                tie[CONTACT] = True
            elif self.random.random() < b.new_contact_chance * boost:
                if self.random.random() < model.openness(self) * model.openness(other):   # time and group allow it
                    model.stage_tie(self, other, ACQUAINTANCE, MEETING_FIRST_STRENGTH)

    # ------------------------------------------------------------------ 8 reciprocity
    def help_chance(self) -> float:
        """The chance this week of doing something for someone nearby: ``help_per_week``
        times the group's giving, less with a job, when lonely (withdrawal, as for ties)
        and with less room left under the care capacity."""
        b = self.model.params.behaviour
        time = b.help_when_employed if self.employed else 1.0
        reach = 1.0 - b.lonely_withdrawal * min(max(self.loneliness / 11.0, 0.0), 1.0)
        room = min(max(1.0 - self.care_load / b.care_capacity, 0.0), 1.0)
        return b.help_per_week * self.readiness * time * reach * room

    def help_neighbour(self) -> None:
        """Maybe do something for someone nearby: contact as a street contact is
        (``meet_someone_nearby``), and giving (support's ``remember_giving``)."""
        self.helped_neighbour = self.random.random() < self.help_chance()
        if self.helped_neighbour:
            self.meet_someone_nearby()

    def meet_someone_nearby(self) -> None:
        """Meet someone within STREET_WINDOW places along the street order (ties.meet_nearby):
        a tie the pair has is in contact this week; with none, a new one is staged if both
        ends' openness allows: a neighbour next door, an acquaintance further away."""
        model = self.model
        made = self.random.random()   # a new tie is made if both ends' openness allows
        other, offset = model.nearby(self, with_offset=True)
        if other is self:
            return
        tie = self.ties.get(other.index)
        if tie is not None:
            tie[CONTACT] = True
        elif made >= model.openness(self) * model.openness(other):
            return
        elif abs(offset) <= NEXT_DOOR:
            model.stage_tie(self, other, NEIGHBOUR, 0.15)
        else:
            model.stage_tie(self, other, ACQUAINTANCE, 0.08)

    def volunteer_chance(self) -> float:
        """The weekly chance of starting to volunteer (any group, isolated or not): the more
        readily the stronger the network and the more they already take part or give."""
        network = min(1.0, self.personal_strength / VOLUNTEER_STRENGTH)
        active = min(1.0, (self.participation + self.giving) / VOLUNTEER_ACTIVITY)
        return self.model.params.behaviour.volunteer_per_week * network * active

    def volunteer(self) -> None:
        """Start volunteering (no role yet) or stop."""
        b = self.model.params.behaviour
        self.new_volunteer = False
        if self.role == NO_ROLE:
            if self.random.random() < self.volunteer_chance():
                self.role = VOLUNTEER_ROLE
                self.new_volunteer = True
        elif self.role == VOLUNTEER_ROLE:
            # buddies quit too; a programme buddy then gets a new resident (reciprocity_step)
            if self.random.random() < b.volunteer_stop_per_week:
                self.role = NO_ROLE

    def become_buddy(self) -> None:
        """A new volunteer may become an (organic) buddy in their neighbourhood."""
        if self.new_volunteer and self.random.random() < self.model.params.behaviour.volunteer_buddy_share:
            cfg = self.model.params.buddies
            self.model.new_buddy(kind=VOLUNTEER, caseload=cfg.caseload.volunteer, hood=self.hood,
                                 resident=self, active=True, organic=True)

    # ------------------------------------------------------------------ 9 ties
    def prepare_ties(self) -> None:
        lonely = min(max(self.loneliness / 11.0, 0.0), 1.0)
        self.lonely_frac = lonely
        self.reach = 1.0 - self.model.params.behaviour.lonely_withdrawal * lonely
        self.attention = self.model.attention(self)
        self.openness = self.model.openness(self)

    def street_contact(self) -> None:
        """A light contact in public space with someone living nearby (spatial order)."""
        if self.random.random() < self.model.params.behaviour.street_contact_per_week * self.reach:
            self.meet_someone_nearby()

    def befriend(self) -> None:
        """A friendship from life outside the offer (ties process): with chance ``homophily``
        someone of one's own group 1 to SAME_GROUP_WINDOW places along, otherwise someone
        living nearby."""
        model = self.model
        if self.random.random() >= model.params.behaviour.new_friend_per_week * self.reach:
            return
        if self.random.random() < model.params.population.homophily:
            offset = self.random.randint(1, SAME_GROUP_WINDOW) * self.random.choice((-1, 1))
            other = model.along_own_group(self, offset)
        else:
            other = model.nearby(self)
        if other is self:
            return
        tie = self.ties.get(other.index)
        if tie is not None:
            tie[CONTACT] = True
        elif self.random.random() < self.openness * model.openness(other):
            model.stage_tie(self, other, FRIEND, NEW_FRIEND_STRENGTH)

    def tend_ties(self) -> None:
        """Contact, strengthening or weakening, promotion and the chance of loss of each tie.

        A household tie is kept up (contact every week, strength at least 0.5) unless an
        end's household ties are strained: then it has contact by chance and weakens without
        it, as other ties do (it never ends). Each tie is handled once, by its end with the
        lower index. Ties staged this week are
        not in the dicts yet: they join after this pass (commit), untouched by it.
        The vectorised code uses one uniform per tie for contact and loss, stretched back to
        a fresh uniform after deciding contact; that is the same as two independent draws.
        """
        model, b = self.model, self.model.params.behaviour
        residents = model.residents
        for j, tie in self.ties.items():
            if j < self.index:
                continue
            other = residents[j]
            layer = tie[LAYER]
            kept_up = layer == HOUSEHOLD and not (self.strained or other.strained)
            if not tie[CONTACT]:
                chance = (b.contact_chance.get(LAYERS[layer], 0.0) * self.reach * other.reach
                          * self.attention * other.attention)
                tie[CONTACT] = kept_up or self.random.random() < chance
            worse = max(self.lonely_frac, other.lonely_frac)
            factor = 1.0 + b.lonely_decay * worse
            s = tie[STRENGTH]
            if tie[CONTACT]:
                s = s + b.contact_gain * (1.0 - s)
            else:
                s = s * (1.0 - b.decay.get(LAYERS[layer], 0.0) * factor)
            if kept_up:
                s = max(s, 0.5)
            tie[STRENGTH] = s
            if layer == ACQUAINTANCE and s >= b.friend_threshold:   # seen often: a friend
                layer = tie[LAYER] = FRIEND
            # loss (moves, quarrels, life events), decided now, applied after counting contacts
            if layer == HOUSEHOLD or layer == BUDDY:
                continue
            loss = b.loss.get(LAYERS[layer], 0.0) * factor * (0.5 if tie[CONTACT] else 1.0)
            if self.random.random() < loss or s < b.tie_floor:
                model.doomed.append((self, other))

    def count_weekly_contacts(self) -> None:
        self.weekly_contacts = sum(
            1 for tie in self.ties.values() if tie[CONTACT] and tie[LAYER] in WEEKLY_CONTACT_LAYERS
        )

    # ------------------------------------------------------------------ 10 support
    def seek_support(self) -> None:
        """A need this week, and whether it is asked for (self-reliance holds back) and
        complex (professionals only). Also the resident's place in the week's random order
        in which equally close helpers are asked."""
        need = self.random.random() < self.support_need
        complex_need = self.random.random() < self.complex_needs
        asks = self.random.random() >= ASKING_BARRIER * self.self_reliance
        self.support_rank = self.random.random()
        self.needs_met = self.needs_met_outside = 0
        self.helper = None
        self.asking = need and asks and not complex_need
        self.support_layer = -1 if not need else UNMET if not asks else PROFESSIONALS

    def find_helper(self) -> None:
        """A need asked for is met by one resident at the other end of a tie strong enough
        to lean on (or a buddy tie), in the closest support layer (LAYER_OF_TIE) among those
        with room left (care load below capacity; a household member always helps); of
        equals, the first in the week's random order. No one: professionals."""
        if not self.asking:
            return
        b = self.model.params.behaviour
        residents = self.model.residents
        best = None
        for j, tie in self.ties.items():
            if tie[STRENGTH] < b.support_tie_strength and tie[LAYER] != BUDDY:
                continue
            k = int(LAYER_OF_TIE[tie[LAYER]])
            other = residents[j]
            if k != HOUSEHOLD_SUPPORT and other.care_load >= b.care_capacity:   # loads at the step's start
                continue
            if best is None or (k, other.support_rank) < best[:2]:
                best = (k, other.support_rank, other)
        if best is not None:
            self.support_layer, _, self.helper = best

    def remember_giving(self) -> None:
        """This week's help into the care load (needs met, a neighbour helped) and giving
        (of it, outside the household layer), both remembered over care_memory_weeks; the
        week they last gave (volunteers and managers give every week)."""
        b = self.model.params.behaviour
        keep = 1.0 - 1.0 / b.care_memory_weeks
        helped = 1.0 if self.helped_neighbour else 0.0
        self.care_load = keep * self.care_load + (1.0 - keep) * (self.needs_met + helped)
        self.giving = keep * self.giving + (1.0 - keep) * (self.needs_met_outside + helped)
        if self.needs_met > 0 or self.helped_neighbour or self.role > 0:
            self.last_gave = self.model.week

    # ------------------------------------------------------------------ 11 wellbeing
    def note_loneliness(self) -> None:
        self.was_lonely = self.loneliness >= self.model.params.behaviour.lonely_cutoff

    def update_wellbeing(self) -> None:
        """Protection by good ties, loneliness (with contagion) and quality of life."""
        model, b = self.model, self.model.params.behaviour
        residents = model.residents
        total = good = 0.0
        count = lonely_contacts = 0
        for j, tie in self.ties.items():
            if tie[LAYER] in PERSONAL_LAYERS:
                s = tie[STRENGTH]
                total += s
                good += min(1.0, s / b.good_tie_strength)
                count += 1
                lonely_contacts += residents[j].was_lonely   # loneliness before this update
        self.protection = 1.0 - math.exp(-good / b.protection_scale)
        self.personal_strength = total
        lonely_share = lonely_contacts / max(count, 1)
        public = max(min(1.0, 2.0 * (self.participation + self.giving)), 0.8 * self.employed,
                     1.0 if self.role > 0 else 0.0)
        target = 11.0 * min(max(
            b.loneliness_base + self.loneliness_bias
            + b.loneliness_network * (1.0 - self.protection)
            + b.loneliness_participation * (1.0 - public)
            + b.loneliness_contagion * lonely_share, 0.0), 1.0) + self.trait
        step = b.loneliness_rate * (target - self.loneliness) + b.loneliness_noise * self.random.gauss(0.0, 1.0)
        self.loneliness = min(max(self.loneliness + step, 0.0), 11.0)
        # Stam: a need met informally (or no need) counts 1, by professionals 0.5, unmet 0
        supported = 0.0 if self.support_layer == UNMET else 0.5 if self.support_layer == PROFESSIONALS else 1.0
        # a carer beyond their capacity loses up to OVERBURDEN_WEIGHT (fully at twice it)
        overburden = min(max(self.care_load / b.care_capacity - 1.0, 0.0), 1.0)
        qol = (0.45 * (1.0 - self.loneliness / 11.0) + 0.2 * self.protection + 0.2 * public + 0.15 * supported
               - OVERBURDEN_WEIGHT * overburden)
        self.quality_of_life = 10.0 * min(max(qol, 0.0), 1.0)

    # ------------------------------------------------------------------ 12 isolation
    def societally_isolated(self) -> bool:
        """No work, no role, and too little part in public life (activities and help given
        outside the household)."""
        b = self.model.params.behaviour
        return not (self.employed or self.role > 0 or self.participation + self.giving >= b.societal_cutoff)

    def assess_societal(self) -> None:
        """Who is in public life as the ties process finds it (the bridging ties use it)."""
        self.societal = self.societally_isolated()

    def classify(self) -> None:
        """Van Delden's types from societal isolation, personal network and bridging ties;
        a type changes once the situation that gives it has lasted (type_persistence_weeks)."""
        weeks = self.model.params.behaviour.type_persistence_weeks
        now = self.situation()
        if self.type_streak is None:   # the first week: the type as it is
            self.isolation, self.type_candidate, self.type_streak = now, now, weeks
            return
        self.type_streak = self.type_streak + 1 if now == self.type_candidate else 1
        self.type_candidate = now
        if self.type_streak >= weeks:
            self.isolation = now

    def situation(self) -> int:
        b = self.model.params.behaviour
        if not self.societally_isolated():  # with this week's giving (support ran after the ties)
            return NOT_ISOLATED
        if self.personal_strength < b.personal_cutoff:
            return DOUBLE
        residents = self.model.residents
        to_public = sum(tie[STRENGTH] for j, tie in self.ties.items()
                        if tie[LAYER] in PERSONAL_LAYERS and not residents[j].societal)
        bridging = to_public / max(self.personal_strength, 1e-9)
        return COLLECTIVE if bridging < b.bridging_cutoff else INDIVIDUAL


class Venue(mesa.Agent):
    """An activity venue: its offer, thresholds, funding, flags set by steering, attendance."""

    def __init__(self, model: "ReferenceModel", index: int, **state) -> None:
        super().__init__(model)
        self.index = index
        # activity, kind, x, y, hood, capacity, small_base, resident_run, project, end_week,
        # is_open, priority, thresholds (4 bools), origin, opened_week
        self.small_group = False
        self.contracted = False
        self.permanent = False
        self.supported = False
        self.presence = 0.0
        self.lifted = [False] * 4
        self.attendance = 0
        self.anchored = False         # at, or linked to, a permanent or staffed place (continuity)
        self.has_candidates = False   # link candidates made for this venue
        self.linked: list[int] = []   # venues linked to it by an active link (this week)
        self.effective = [0.0] * 4
        self.__dict__.update(state)
        if "small_group" not in state:
            self.small_group = self.small_base

    def effective_thresholds(self) -> list[float]:
        """Thresholds after levers: lifted ones vanish; presence softens discipline and social."""
        t = [1.0 if (self.thresholds[k] and not self.lifted[k]) else 0.0 for k in range(4)]
        relief = min(self.presence / FULL_PRESENCE_HOURS, 1.0)
        t[DISCIPLINE] *= 1.0 - relief
        t[SOCIAL] *= 1.0 - 0.5 * relief
        return t

    def prepare(self) -> None:
        self.effective = self.effective_thresholds()

    def threshold_count(self) -> int:
        return sum(1 for t in self.effective_thresholds() if t > 0.5)

    def admit(self, wishers: list[Resident]) -> None:
        """Capacity: room for ``capacity`` (CONTRACTED_ROOM times it at contracted venues);
        the rest, in a random queue order, is turned away and attends nothing this week. A
        contracted venue keeps those who least risk its numbers: the vulnerable go to the
        back of its queue."""
        room = int(self.capacity * CONTRACTED_ROOM) if self.contracted else self.capacity
        creams = 1.0 if self.contracted else 0.0
        wishers.sort(key=lambda r: r.rank_draw + (creams if r.vulnerable else 0.0))
        for r in wishers[room:]:
            r.wish = -1
        self.attendance = min(len(wishers), room)

    def staffed(self) -> bool:
        """Open and funded for good or with professional presence."""
        return self.is_open and (self.permanent or self.presence > 0)

    def note_anchored(self) -> None:
        """Anchored: staffed, or linked by an active link to a staffed venue (all venues as
        they stand before any closes this week)."""
        venues = self.model.venues
        self.anchored = self.staffed() or any(venues[j].staffed() for j in self.linked)

    def fold_or_end(self) -> None:
        """Project funding ends; resident initiatives fold now and then (continuity). A
        closed project is succeeded by a new one, except the diversity lever's own."""
        model, b = self.model, self.model.params.behaviour
        draw = self.random.random()
        if not self.is_open:
            return
        if self.project and not self.permanent and self.end_week <= model.week:
            self.is_open = False
        elif self.resident_run and draw < self.fold_chance():
            self.is_open = False
        if self.is_open:
            return
        if self.project:
            if self.origin == DIVERSITY:
                return                       # the lever starts another new kind (steering)
            if model.params.offer.new_projects or model.week <= 0:
                model.renewed.append(self)   # succeeded by a new project in its place
        else:
            model.folded.append(self)

    def fold_chance(self) -> float:
        """The chance a resident-run venue folds this week (less when supported, less when
        anchored; last week's attendance: a new venue gets a season before few coming counts
        against it)."""
        model, b = self.model, self.model.params.behaviour
        fold = b.initiative_fold_per_week * (SUPPORTED_FOLD if self.supported else 1.0)
        fold *= ANCHORED_FOLD if self.anchored else 1.0
        empty = self.attendance < 3 and (self.origin == 0 or model.week - self.opened_week >= SEASON)
        return fold * (EMPTY_FOLD if empty else 1.0)


class Buddy(mesa.Agent):
    """A support buddy: a professional, or a resident volunteer / peer expert."""

    def __init__(self, model: "ReferenceModel", index: int, *, kind: int, caseload: int, hood: int,
                 resident: Resident | None, active: bool, from_lever: bool = False, organic: bool = False) -> None:
        super().__init__(model)
        self.index = index
        self.kind = kind
        self.caseload = caseload
        self.hood = hood
        self.resident = resident       # the resident who is the buddy; None for professionals
        self.active = active
        self.from_lever = from_lever
        self.organic = organic
        self.matches = 0

    def free_places(self) -> int:
        return max(self.caseload - self.matches, 0) if self.active else 0


# =========================================================================== the model
class ReferenceModel(mesa.Model):
    """The isolation_sim rules, one agent at a time. ``scenario`` is a validated Scenario."""

    def __init__(self, scenario: Scenario) -> None:
        super().__init__(rng=scenario.seed)
        self.params = scenario
        self.steering = scenario.steering
        self.hoods = scenario.population.neighbourhoods
        self.week = -scenario.burn_in_weeks
        self.active_today: dict[int, int] = {}       # per neighbourhood in week 1 (continuity):
        self.initiatives_today: dict[int, int] = {}  # active residents and initiatives
        self.costs: dict[str, float] = {}
        self.residents: list[Resident] = []
        self.venues: list[Venue] = []
        self.buddies: list[Buddy] = []
        self.link_candidates: list[tuple[int, int]] = []   # in their fixed order
        self.link_active: list[bool] = []
        self.staged: dict[tuple[int, int], tuple[int, float]] = {}   # new ties of this week, in order
        self._build_world()

        self.latest: dict[str, float] = {}
        self.datacollector = mesa.DataCollector(
            model_reporters={c: (lambda m, c=c: m.latest[c]) for c in COLUMNS}
        )
        while self.week < 0:      # burn-in: weeks -burn_in_weeks + 1 .. 0
            self._advance()
        self._collect()

    # ------------------------------------------------------------------ building the world
    def _build_world(self) -> None:
        """The world the model starts from (``world.build_world``), copied into agents."""
        s = self.params
        world = build_world(s)
        people, net, venues, buddies = world.people, world.net, world.venues, world.buddies
        n = people.n
        priority = world.resident_priority
        household_size = np.bincount(people.household)
        self.household_size = {h: int(c) for h, c in enumerate(household_size) if c}
        self.next_household = int(household_size.size)
        finding = finding_chance(s)
        self.finding = finding
        self.retired_leaving = [float(c) for c in retired_leaving_chance(s, people, household_size)]

        for i in range(n):
            group = int(people.group[i])
            profile = s.groups[GROUPS[group]]
            self.residents.append(Resident(
                self, i,
                x=float(people.x[i]), y=float(people.y[i]), hood=int(people.hood[i]), group=group,
                sensitivity=[float(v) for v in people.sensitivity[i]],
                preference=[float(v) for v in people.preference[i]],
                self_reliance=float(people.self_reliance[i]), employed=bool(people.employed[i]),
                trait=float(people.trait[i]), support_need=float(people.support_need[i]),
                complex_needs=profile.complex_needs, loneliness_bias=profile.loneliness_bias,
                priority=float(priority[i]), strained=bool(people.strained[i]), readiness=profile.giving,
                lives_alone=bool(household_size[people.household[i]] == 1), finding=float(finding[group]),
                household=int(people.household[i]), place=float(people.place[i]), retired=bool(people.retired[i]),
            ))
            self.residents[i].employment_since = int(people.employment_since[i])
            self.residents[i].role = int(people.role[i])   # buddies' residents and volunteering as it stands
            self.residents[i].known = [int(k) for k in people.known[i]]   # the venues each knows
            self.residents[i].loneliness = float(people.loneliness[i])
        # the spread of the starting dispositions and the mean factor on friends (by_disposition)
        strength = s.population.ties_follow_disposition
        traits = [r.trait for r in self.residents]
        spread = float(np.std(traits))
        self.trait_spread = spread
        self.friend_mean = (sum(math.exp(-strength * t / spread) for t in traits) / n) if spread > 0 else 1.0
        # residents neighbourhood by neighbourhood, Morton order within (nearby = nearby in space)
        self.spatial_order = [self.residents[i] for i in world.spatial_order]
        self.hood_ranks: dict[int, tuple[int, int]] = {}
        for rank, r in enumerate(self.spatial_order):
            r.rank = rank
            first, _ = self.hood_ranks.get(r.hood, (rank, rank))
            self.hood_ranks[r.hood] = (first, rank)
        # each neighbourhood's groups, each in street order (friends of one's own group)
        self.same_group: dict[tuple[int, int], list[Resident]] = {}
        for r in self.spatial_order:
            self.same_group.setdefault((r.hood, r.group), []).append(r)
        for members in self.same_group.values():
            for place, r in enumerate(members):
                r.group_place = place

        for a, b, data in net.to_networkx().edges(data=True):
            self.add_tie(self.residents[a], self.residents[b], LAYERS.index(data["layer"]), data["strength"],
                         contact=False)

        for k in range(len(venues)):
            self.venues.append(Venue(
                self, k,
                activity=int(venues.activity[k]), kind=int(venues.kind[k]), x=float(venues.x[k]),
                y=float(venues.y[k]), hood=int(venues.hood[k]), capacity=int(venues.capacity[k]),
                small_base=bool(venues.small_base[k]), small_group=bool(venues.small_group[k]),
                resident_run=bool(venues.resident_run[k]), project=bool(venues.project[k]),
                end_week=int(venues.end_week[k]), is_open=bool(venues.open[k]),
                priority=float(venues.priority[k]), thresholds=[bool(t) for t in venues.thresholds[k]],
                origin=int(venues.origin[k]), opened_week=int(venues.opened_week[k]),
                contracted=bool(venues.contracted[k]), has_candidates=k < venues.candidates_made,
            ))
        self.link_candidates = [(int(a), int(b)) for a, b in venues.links]
        self.link_active = [bool(x) for x in venues.link_active]
        self.walk_radius_km = venues.walk_radius_km
        self.centres = venues.centres

        for k in range(len(buddies)):
            r = int(buddies.resident[k])
            self.buddies.append(Buddy(
                self, k, kind=int(buddies.kind[k]), caseload=int(buddies.caseload[k]), hood=int(buddies.hood[k]),
                resident=self.residents[r] if r >= 0 else None, active=bool(buddies.active[k]),
            ))


    # ------------------------------------------------------------------ helpers
    def add_tie(self, a: Resident, b: Resident, layer: int, strength: float, contact: bool = True) -> bool:
        """Add a tie now if the pair has none (building the world, and the weekly commit)."""
        if a is b or b.index in a.ties:
            return False
        tie = [layer, float(strength), contact]
        a.ties[b.index] = tie
        b.ties[a.index] = tie
        return True

    def stage_tie(self, a: Resident, b: Resident, layer: int, strength: float) -> None:
        """A new tie for the pair, applied at the commit in the ties process. Until then it
        is invisible (a meeting does not strengthen it, a street contact does not find it);
        when a pair is staged twice in a week the first staging wins, and at the commit a
        pair that has a tie keeps it."""
        if a is not b:
            self.staged.setdefault((min(a.index, b.index), max(a.index, b.index)), (layer, strength))

    def commit_ties(self) -> None:
        for (i, j), (layer, strength) in self.staged.items():
            self.add_tie(self.residents[i], self.residents[j], layer, strength, contact=True)
        self.staged = {}

    def remove_tie(self, a: Resident, b: Resident) -> None:
        a.ties.pop(b.index, None)
        b.ties.pop(a.index, None)

    def lever(self, name: str) -> float:
        """What a lever deploys this week (its level scaled to the residents run); levers act
        from week 1, never in the burn-in."""
        level = self.steering.level(name, self.week) if self.week > 0 else 0.0
        return lever_units(name, level, scale(self.params))

    def nearby(self, r: Resident, with_offset: bool = False):
        """Someone within STREET_WINDOW places of ``r`` along the spatial order of the
        neighbourhood (wrapping round at its ends), and the offset."""
        offset = int((self.random.random() * 2.0 - 1.0) * STREET_WINDOW)   # truncated toward 0
        if offset == 0:
            offset = 1
        other = self.along(r, offset)
        return (other, offset) if with_offset else other

    def along(self, r: Resident, offset: int) -> Resident:
        """The resident ``offset`` places from ``r`` along the spatial order of the
        neighbourhood (wrapping round at its ends)."""
        first, last = self.hood_ranks[r.hood]
        return self.spatial_order[first + (r.rank - first + offset) % (last - first + 1)]

    def along_own_group(self, r: Resident, offset: int) -> Resident:
        """The resident ``offset`` places from ``r`` among the residents of their own
        neighbourhood and group, in street order (wrapping round at its ends)."""
        members = self.same_group[(r.hood, r.group)]
        return members[(r.group_place + offset) % len(members)]

    def renew_kin(self, count: int) -> None:
        """As many new family ties as ended, drawn as the starting ones are: one end in
        proportion to the group's tie multiplier, the other 1 to FAMILY_WINDOW places away
        (``family_nearby``) or anyone of the same background, kept as often as its group
        makes ties; a pair rejected, of one resident or with a tie is drawn again
        (KIN_TRIES draws)."""
        if count == 0:
            return
        people = self.residents
        mult = [self.params.groups[GROUPS[r.group]].tie_multiplier for r in people]
        migrant = GROUPS.index("migrant")
        for _ in range(count):
            for _ in range(KIN_TRIES):
                r = self.random.choices(people, weights=mult)[0]
                if self.random.random() < self.params.population.family_nearby:
                    other = self.along(r, self.random.randint(1, FAMILY_WINDOW) * self.random.choice((-1, 1)))
                else:
                    other = self.random.choice([o for o in people if (o.group == migrant) == (r.group == migrant)])
                if (self.random.random() < min(1.0, mult[other.index]) and other is not r
                        and other.index not in r.ties):
                    self.stage_tie(r, other, FAMILY, self.random.uniform(0.3, 0.8))
                    break

    def attention(self, r: Resident) -> float:
        """The share of contact and of new ties a resident's time allows."""
        budget = self.params.behaviour.network_budget
        return min(1.0, (budget / max(len(r.ties), 1)) ** 2)

    def openness(self, r: Resident) -> float:
        """How readily a resident takes a new tie: their attention times their group's
        tie multiplier (at most 1), the rate at which the starting network gave them ties."""
        return self.attention(r) * min(1.0, self.params.groups[GROUPS[r.group]].tie_multiplier)

    def book_cost(self, item: str, euro: float) -> None:
        self.costs[item] = self.costs.get(item, 0.0) + float(euro)

    def open_venues_by_hood(self) -> dict[int, list[int]]:
        out: dict[int, list[int]] = defaultdict(list)
        for v in self.venues:
            if v.is_open:
                out[v.hood].append(v.index)
        return out

    def random_open_venue(self, hood: int) -> int:
        options = self._open_by_hood.get(hood)
        if not options:
            return -1
        return options[int(self.random.random() * len(options))]

    def pick_residents(self, hoods: list[int], eligible) -> list[Resident | None]:
        """One eligible resident per requested neighbourhood, cycling through a random order
        of the eligible residents there (repeats only when the neighbourhood runs out)."""
        pools: dict[int, list[Resident]] = defaultdict(list)
        if hoods:
            for r in self.residents:
                if eligible(r):
                    pools[r.hood].append(r)
        for pool in pools.values():
            self.random.shuffle(pool)
        used: dict[int, int] = defaultdict(int)
        out = []
        for h in hoods:
            pool = pools.get(h)
            if not pool:
                out.append(None)
                continue
            out.append(pool[used[h] % len(pool)])
            used[h] += 1
        return out

    def draw_threshold_kinds(self, count: int, weights) -> list[bool]:
        """``count`` threshold kinds drawn without replacement, in proportion to ``weights``."""
        w = [max(x, 1e-12) for x in weights]
        has = [False] * 4
        for _ in range(count):
            total = sum(w[k] for k in range(4) if not has[k])
            u, acc = self.random.random() * total, 0.0
            pick = max(k for k in range(4) if not has[k])
            for k in range(4):
                if not has[k]:
                    acc += w[k]
                    if u < acc:
                        pick = k
                        break
            has[pick] = True
        return has

    def new_project(self, hood: int, project: bool = True) -> Venue:
        """A new project-funded venue, drawn as the inventory is (type and number of
        thresholds in its proportions; a distance threshold means beyond walking distance).
        Without ``project``, a new resident initiative drawn the same way."""
        offer = self.params.offer
        cells = [(a, k) for a, t in enumerate(ACTIVITY_TYPES) for k in range(5) for _ in range(offer.inventory[t][k])]
        activity, nthresholds = cells[int(self.random.random() * len(cells))]
        small = self.random.random() < offer.small_group_share
        resident_run = self.random.random() < offer.resident_run_share or not project
        return self._venue_in_place(hood, activity, nthresholds, small, resident_run, project)

    def new_kind_project(self, hood: int, activity: int, kind: int) -> Venue:
        """A diversity project of the given activity type and kind of venue: its number of
        thresholds drawn from the inventory's row for that type (evenly where the row is
        empty), the rest as a new project's."""
        offer = self.params.offer
        row = offer.inventory[ACTIVITY_TYPES[activity]]
        nthresholds = self.random.choices(range(5), weights=[c + 1e-12 for c in row])[0]
        small = self.random.random() < offer.small_group_share
        resident_run = self.random.random() < offer.resident_run_share
        return self._venue_in_place(hood, activity, nthresholds, small, resident_run, True, kind=kind,
                                    origin=DIVERSITY)

    def successor(self, old: Venue) -> Venue:
        """A new venue in the place of ``old``: the same neighbourhood, activity type, number
        of thresholds, size and way of running; the rest drawn afresh."""
        return self._venue_in_place(old.hood, old.activity, sum(old.thresholds), old.small_base, old.resident_run,
                                    old.project)

    def _venue_in_place(self, hood: int, activity: int, nthresholds: int, small: bool, resident_run: bool,
                        project: bool, kind: int | None = None, origin: int | None = None) -> Venue:
        """A new open venue near the neighbourhood centre (beyond walking distance with a
        distance threshold); the kind of venue drawn for its type unless given."""
        offer = self.params.offer
        thresholds = self.draw_threshold_kinds(nthresholds, offer.threshold_weights.as_tuple())
        w = offer.walk_radius_km
        lo, hi = (1.25 * w, 2.5 * w) if thresholds[0] else (0.0, 0.9 * w)
        r, a = math.sqrt(self.random.uniform(lo**2, hi**2)), self.random.random() * 2 * math.pi
        options = KINDS_FOR_TYPE[ACTIVITY_TYPES[activity]]
        first, last = offer.project_end_weeks
        if kind is None:
            kind = VENUE_KINDS.index(options[int(self.random.random() * len(options))])
        if origin is None:
            origin = 3 if project else 2
        venue = Venue(self, len(self.venues), activity=activity, kind=kind,
                      x=float(self.centres[hood, 0] + r * math.cos(a)), y=float(self.centres[hood, 1] + r * math.sin(a)),
                      hood=hood, capacity=SMALL_GROUP_CAPACITY if small else offer.capacity, small_base=small,
                      small_group=small, resident_run=resident_run,
                      project=project, end_week=self.week + self.random.randint(max(first, 1), max(last, 1))
                      if project else NEVER, is_open=True,
                      priority=self.random.random(), thresholds=thresholds, origin=origin,
                      opened_week=self.week)
        self.venues.append(venue)
        return venue

    def new_buddy(self, **kwargs) -> Buddy:
        buddy = Buddy(self, len(self.buddies), **kwargs)
        self.buddies.append(buddy)
        return buddy

    def end_match(self, resident: Resident) -> None:
        """End a buddy match; a resident buddy's tie stays as a friendship if strong enough.

        A tie still staged for the pair (a match made this same week) is withdrawn.
        """
        buddy = resident.buddy
        buddy.matches -= 1
        friend = buddy.resident
        if friend is not None and friend is not resident:
            self.staged.pop((min(resident.index, friend.index), max(resident.index, friend.index)), None)
            tie = resident.ties.get(friend.index)
            if tie is not None and tie[LAYER] == BUDDY:
                if tie[STRENGTH] >= self.params.behaviour.friend_threshold:
                    tie[LAYER] = FRIEND
                else:
                    self.remove_tie(resident, friend)
        resident.buddy = None

    @staticmethod
    def first_by_priority(items: list, count: int) -> list:
        """The ``count`` items with the lowest priority: the same level, the same venues."""
        return sorted(items, key=lambda x: x.priority)[: max(count, 0)]

    # ------------------------------------------------------------------ the week
    def _advance(self) -> None:
        self.week += 1
        residents = self.agents_by_type[Resident]
        residents.do("start_week")
        self.life_events_step()   # 0
        self.moving_step()        # 0b
        self.steering_step()      # 1
        self.continuity_step()    # 2
        self.buddies_step()       # 3
        self.discovery_step()     # 4
        self.thresholds_step()    # 5
        self.coherence_step()     # 6
        self.meeting_step()       # 7
        self.reciprocity_step()   # 8
        self.ties_step()          # 9
        self.support_step()       # 10
        self.wellbeing_step()     # 11
        self.isolation_step()     # 12

    def step(self) -> None:
        """One week, then the outcomes are measured."""
        self._advance()
        self._collect()

    def run(self, weeks: int | None = None) -> None:
        for _ in range(self.params.weeks if weeks is None else weeks):
            self.step()

    # ------------------------------------------------------------------ 0 life events
    def life_events_step(self) -> None:
        """Residents lose work and find it."""
        self.agents_by_type[Resident].do("life_event")

    # ------------------------------------------------------------------ 0b moving
    def moving_step(self) -> None:
        """Households move out (each with chance ``move_per_week``) and a household like it
        moves into the same homes; a resident living as a couple loses their partner
        (``partner_loss_per_week``), whose home goes to a newcomer living alone; as many
        pairs living alone as couples ended move in together."""
        b = self.params.behaviour
        households: dict[int, list[Resident]] = defaultdict(list)
        for r in self.residents:
            households[r.household].append(r)
        moving = {h for h in households if self.random.random() < b.move_per_week}
        # pensioners living alone who die or move into care: their household of one moves out
        moving |= {r.household for r in self.residents
                   if r.retired and r.lives_alone and self.random.random() < self.retired_leaving[r.group]}
        survivors = [r for r in self.residents if len(households[r.household]) == 2 and r.household not in moving
                     and self.random.random() < b.partner_loss_per_week]
        drawn = {r.index for r in survivors}
        lost = [o for r in survivors for o in households[r.household] if o is not r and o.index not in drawn]
        for o in lost:   # the partner's home: a household of its own
            self.household_size[o.household] -= 1
            for r in households[o.household]:
                r.lives_alone = self.household_size[o.household] == 1
            o.household = self.next_household
            self.household_size[o.household] = 1
            self.next_household += 1
        leaving = [r for h in sorted(moving) for r in households[h]] + lost
        if leaving:
            self.leave(leaving)
            self.arrive(leaving, moved={r.index for r in leaving if r.household in moving})
        self.move_in_together(len(lost))

    def leave(self, leaving: list[Resident]) -> None:
        """Residents leave: buddy matches and roles end (programme buddies are replaced, never
        by someone moving), and every tie they had."""
        for r in leaving:
            if r.buddy is not None:
                self.end_match(r)
        for r in leaving:
            r.role = NO_ROLE
        self._replace_leaving_buddies(passing={r.index for r in leaving})
        for r in leaving:
            for j in list(r.ties):
                self.remove_tie(r, self.residents[j])

    def poisson(self, mean: float) -> int:
        """A Poisson draw (Knuth's method: the means here are a few)."""
        limit, k, product = math.exp(-mean), 0, self.random.random()
        while product > limit:
            k += 1
            product *= self.random.random()
        return k

    def friendly(self, r: Resident) -> float:
        """How often ``r`` makes friends: the group's multiplier times the disposition factor."""
        strength = self.params.population.ties_follow_disposition
        factor = math.exp(-strength * r.trait / self.trait_spread) / self.friend_mean if self.trait_spread > 0 else 1.0
        return self.params.groups[GROUPS[r.group]].tie_multiplier * factor

    def arrive(self, leaving: list[Resident], moved: set[int]) -> None:
        """A newcomer, a new agent, in each home of ``leaving``: traits drawn as the starting
        residents' are (the disposition's part of the home kept), the venues around them,
        household ties (households that moved in whole), family and friends as the starting
        residents have them."""
        s, b = self.params, self.params.behaviour
        self._open_by_hood = self.open_venues_by_hood()
        newcomers = []
        for old in leaving:
            profile = s.groups[GROUPS[old.group]]
            preference = [self.random.gammavariate(1.0, 1.0) for _ in range(4)]
            sr = profile.self_reliance
            r = Resident(
                self, old.index, x=old.x, y=old.y, hood=old.hood, group=old.group,
                sensitivity=[m * self.random.lognormvariate(0.0, 0.3) for m in profile.sensitivity.as_tuple()],
                preference=[p / sum(preference) for p in preference],
                self_reliance=self.random.betavariate(max(sr * 6.0, 1e-3), max((1 - sr) * 6.0, 1e-3)),
                employed=self.random.random() < profile.employed,
                trait=b.loneliness_trait * (math.sqrt(1.0 - b.loneliness_place) * self.random.gauss(0.0, 1.0)
                                            + math.sqrt(b.loneliness_place) * old.place),
                support_need=old.support_need, complex_needs=old.complex_needs, loneliness_bias=old.loneliness_bias,
                priority=old.priority, strained=self.random.random() < profile.household_strain,
                readiness=old.readiness, lives_alone=old.lives_alone, finding=old.finding,
                household=old.household, place=old.place,
            )
            r.retired = self.household_size[old.household] <= 2 and self.random.random() < profile.retired
            r.employed = r.employed and not r.retired
            leave = b.job_loss_per_week if r.employed else r.finding
            r.employment_since = int(self.week - min(self.random.expovariate(max(leave, 1e-6)), 2**24))
            known = sorted(self.random_open_venue(r.hood) for _ in range(KNOWN_VENUES))
            r.known = [k if i == 0 or k != known[i - 1] else -1 for i, k in enumerate(known)]
            r.loneliness = min(max(3.0 + r.trait, 0.0), 11.0)
            r.rank, r.group_place = old.rank, old.group_place
            self.residents[old.index] = r
            self.spatial_order[old.rank] = r
            self.same_group[(r.hood, r.group)][old.group_place] = r
            old.remove()
            newcomers.append(r)
        by_household: dict[int, list[Resident]] = defaultdict(list)
        for r in newcomers:
            if r.index in moved:
                by_household[r.household].append(r)
        for members in by_household.values():
            for i, a in enumerate(members):
                for c in members[i + 1:]:
                    self.stage_tie(a, c, HOUSEHOLD, HOUSEHOLD_STRENGTH)
        pop = s.population
        for r in newcomers:
            for _ in range(self.poisson(pop.ties.family * s.groups[GROUPS[r.group]].tie_multiplier)):
                self.kin_for(r)
        for r in newcomers:
            for _ in range(self.poisson(pop.ties.friend * self.friendly(r))):
                self.friend_for(r)

    def kin_for(self, r: Resident) -> None:
        """A family tie for ``r``, drawn as in renew_kin (KIN_TRIES draws)."""
        mult = self.params.groups
        migrant = GROUPS.index("migrant")
        for _ in range(KIN_TRIES):
            if self.random.random() < self.params.population.family_nearby:
                other = self.along(r, self.random.randint(1, FAMILY_WINDOW) * self.random.choice((-1, 1)))
            else:
                other = self.random.choice([o for o in self.residents if (o.group == migrant) == (r.group == migrant)])
            if (self.random.random() < min(1.0, mult[GROUPS[other.group]].tie_multiplier) and other is not r
                    and other.index not in r.ties):
                self.stage_tie(r, other, FAMILY, self.random.uniform(0.3, 0.8))
                return

    def friend_for(self, r: Resident) -> None:
        """A friend for ``r``, drawn as the starting friends are: nearby, of one's own group a
        little way along (``homophily``), or someone who knows one of the same venues
        (``friends_met_at_activities``)."""
        pop = self.params.population
        side = self.random.choice((-1, 1))
        if self.random.random() < pop.homophily:
            other = self.along_own_group(r, self.random.randint(1, SAME_GROUP_WINDOW) * side)
        else:
            other = self.along(r, self.random.randint(1, FRIEND_WINDOW) * side)
        mine = [k for k in r.known if k >= 0]
        if mine and self.random.random() < pop.friends_met_at_activities:
            venue = self.random.choice(mine)
            other = self.random.choice([o for o in self.residents if venue in o.known])
        if other is not r and self.random.random() < min(1.0, self.friendly(other)):
            self.stage_tie(r, other, FRIEND, self.random.uniform(0.4, 0.9))

    def move_in_together(self, count: int) -> None:
        """``count`` pairs living alone move in together: one drawn among all who live alone,
        the other one of the PARTNER_WINDOW living alone nearest along the street order on
        either side, in the same neighbourhood; pairs that clash are drawn again
        (PARTNER_TRIES draws)."""
        for _ in range(PARTNER_TRIES):
            alone = [r for r in self.spatial_order if r.lives_alone]
            if count == 0 or len(alone) < 2:
                return
            at = sorted({self.random.randrange(len(alone)) for _ in range(count)})
            pairs = []
            for i in at:
                step = self.random.randint(1, PARTNER_WINDOW) * self.random.choice((-1, 1))
                a, c = alone[i], alone[(i + step) % len(alone)]
                if a.hood == c.hood:
                    pairs.append((a, c))
            seen: dict[int, int] = defaultdict(int)
            for a, c in pairs:
                seen[a.index] += 1
                seen[c.index] += 1
            for a, c in pairs:
                if seen[a.index] == 1 and seen[c.index] == 1:
                    self.together(a, c)
                    count -= 1

    def together(self, a: Resident, c: Resident) -> None:
        """``c`` joins ``a``'s household; a tie between them becomes a household tie."""
        self.household_size[c.household] -= 1
        c.household = a.household
        self.household_size[a.household] += 1
        a.lives_alone = c.lives_alone = False
        tie = a.ties.get(c.index)
        if tie is not None:
            tie[LAYER] = HOUSEHOLD
            tie[STRENGTH] = max(tie[STRENGTH], HOUSEHOLD_STRENGTH)
        else:   # a newcomer's tie staged this week gives way to the household's
            self.staged[(min(a.index, c.index), max(a.index, c.index))] = (HOUSEHOLD, HOUSEHOLD_STRENGTH)

    # ------------------------------------------------------------------ 1 steering
    def contracted_share(self) -> float:
        lever = self.steering.levers.get("production_contracts")
        week = self.week
        if week > 0 and lever is not None and week >= lever.start_week and (lever.end_week is None or week < lever.end_week):
            return lever.level   # also when that level is 0
        return self.params.offer.contracted_share

    def steering_step(self) -> None:
        """Levers bring the world in line with their levels; the cost of what is deployed is booked."""
        venues, buddies = self.venues, self.buddies
        level = {name: self.lever(name) for name in self.steering.unit_costs}
        deployed = dict(level)

        # the new kinds first, so the other levers see this week's offer
        deployed["diversity"] = self._keep_diversity(int(round(level["diversity"])))

        professional = [v for v in venues if v.is_open and not v.resident_run]
        chosen = set(id(v) for v in self.first_by_priority(professional, int(round(self.contracted_share() * len(professional)))))
        for v in venues:
            v.contracted = id(v) in chosen

        deployed["permanent_funding"] = self._fund_for_good(int(round(level["permanent_funding"])))

        for name, kind in (("lower_distance", DISTANCE), ("lower_cost", COST),
                           ("lower_discipline", DISCIPLINE), ("lower_social", SOCIAL)):
            chosen = set(id(v) for v in self.first_by_priority([v for v in venues if v.is_open and v.thresholds[kind]],
                                                               int(round(level[name]))))
            for v in venues:
                v.lifted[kind] = id(v) in chosen
            deployed[name] = len(chosen)

        self._place_presence(level["presence_hours"])
        deployed["presence_hours"] = level["presence_hours"] if any(v.presence > 0 for v in venues) else 0.0

        chosen = set(id(v) for v in self.first_by_priority([v for v in venues if v.is_open and not v.small_base],
                                                           int(round(level["small_groups"]))))
        for v in venues:
            v.small_group = v.small_base or id(v) in chosen
        deployed["small_groups"] = len(chosen)

        self._add_link_candidates()   # for venues opened since last week
        base_links = self.params.offer.links * self.hoods
        allowed = base_links + int(round(level["links"]))
        rank = 0
        for c, (a, b) in enumerate(self.link_candidates):
            both_open = venues[a].is_open and venues[b].is_open
            self.link_active[c] = both_open and rank < allowed
            rank += both_open
        for v in venues:
            v.linked = []
        for c, (a, b) in enumerate(self.link_candidates):
            if self.link_active[c]:
                venues[a].linked.append(b)
                venues[b].linked.append(a)
        deployed["links"] = max(sum(self.link_active) - base_links, 0)

        wanted = int(round(level["buddies"]))
        self._grow_buddies(wanted)
        extra = [b for b in buddies if b.from_lever]
        for position, b in enumerate(extra):
            b.active = position < wanted and b.resident is not None
        deployed["buddies"] = sum(b.active for b in extra)

        # charged: the managers actually appointed
        deployed["community_managers"] = self._appoint_community_managers(int(round(level["community_managers"])))

        chosen = set(id(v) for v in self.first_by_priority([v for v in venues if v.is_open and v.resident_run],
                                                           int(round(level["initiative_support"]))))
        for v in venues:
            v.supported = id(v) in chosen
        deployed["initiative_support"] = len(chosen)

        if self.week > 0:
            for name, units in deployed.items():
                self.book_cost(name, units * self.steering.unit_costs[name] / 52.0)

    def _keep_diversity(self, wanted: int) -> int:
        """``wanted`` diversity projects open at any time. Those open beyond the level close
        (the youngest first); permanently funded ones no longer count. Each one missing is
        made round-robin over neighbourhoods (counting every diversity venue ever made), of
        the (activity type, kind of venue) pair its neighbourhood has fewest open venues of,
        counting those made before it this week, ties at random. Returns the level, the
        projects the lever funds."""
        mine = [v for v in self.venues if v.is_open and v.origin == DIVERSITY and not v.permanent]
        for v in mine[wanted:]:
            v.is_open = False
        missing = wanted - len(mine)
        if missing <= 0:
            return wanted
        made = sum(1 for v in self.venues if v.origin == DIVERSITY)
        counts = defaultdict(int)
        for v in self.venues:
            if v.is_open:
                counts[(v.hood, v.activity, v.kind)] += 1
        pairs = [(a, VENUE_KINDS.index(k)) for a, t in enumerate(ACTIVITY_TYPES) for k in KINDS_FOR_TYPE[t]]
        for j in range(missing):
            hood = (made + j) % self.hoods
            keyed = [(counts[(hood, a, k)] + self.random.random(), a, k) for a, k in pairs]
            _, activity, kind = min(keyed)
            counts[(hood, activity, kind)] += 1
            self.new_kind_project(hood, activity, kind)
        return wanted

    def _fund_for_good(self, wanted: int) -> int:
        """Open project venues funded for good: those funded already stay (the youngest lose
        it if the level falls); more are taken in priority order among the open projects.
        Returns how many are funded."""
        kept = [v for v in self.venues if v.permanent and v.is_open][:wanted]
        keep = set(id(v) for v in kept)
        more = self.first_by_priority([v for v in self.venues if v.project and v.is_open and id(v) not in keep],
                                      wanted - len(kept))
        funded = keep | set(id(v) for v in more)
        for v in self.venues:
            v.permanent = id(v) in funded
        return len(funded)

    def _place_presence(self, hours: float) -> None:
        """``hours`` of presence go to the open walk-in places, warm places and community
        centres in priority order, FULL_PRESENCE_HOURS at each and what is left at the next;
        hours beyond what they can all take are shared among them."""
        hosts = [v for v in self.venues if v.is_open and v.kind in PRESENCE_KINDS]
        for v in self.venues:
            v.presence = 0.0
        if hours <= 0 or not hosts:
            return
        extra = max(hours - FULL_PRESENCE_HOURS * len(hosts), 0.0) / len(hosts)
        for rank, v in enumerate(self.first_by_priority(hosts, len(hosts))):
            v.presence = min(max(hours - FULL_PRESENCE_HOURS * rank, 0.0), FULL_PRESENCE_HOURS) + extra

    def _appoint_community_managers(self, wanted: int) -> int:
        """Last week's managers stop (role none); the first ``wanted`` residents on benefits,
        in the fixed resident order and whatever their role or isolation, become managers.
        Returns the number appointed."""
        for r in self.residents:
            if r.role == MANAGER_ROLE:
                r.role = NO_ROLE
        eligible = sorted((r for r in self.residents if r.on_benefits), key=lambda r: r.priority)
        for r in eligible[:wanted]:
            r.role = MANAGER_ROLE
        return min(wanted, len(eligible))

    def _grow_buddies(self, wanted: int) -> None:
        """Lever buddies: volunteers of any group with no role and not isolated, round-robin
        over neighbourhoods."""
        have = sum(1 for b in self.buddies if b.from_lever)
        if wanted <= have:
            return
        hoods = [(have + k) % self.hoods for k in range(wanted - have)]
        picked = self.pick_residents(hoods, lambda r: r.role == NO_ROLE and r.isolation == NOT_ISOLATED)
        for hood, r in zip(hoods, picked):
            self.new_buddy(kind=VOLUNTEER, caseload=self.params.buddies.caseload.volunteer, hood=hood,
                           resident=r, active=False, from_lever=True)
            if r is not None:
                r.role = VOLUNTEER_ROLE

    def _add_link_candidates(self, per_venue: int = 3) -> None:
        """Each venue without candidates draws 3 partners among the open venues of its
        neighbourhood; new pairs join the list, pairs of different activity types first."""
        new = [v for v in self.venues if not v.has_candidates]
        if not new:
            return
        open_by_hood = self.open_venues_by_hood()
        pairs = set()
        for v in new:
            v.has_candidates = True
            options = open_by_hood.get(v.hood, [])
            for _ in range(per_venue):
                if not options:
                    continue
                other = options[int(self.random.random() * len(options))]
                if other != v.index:
                    pairs.add((min(v.index, other), max(v.index, other)))
        keyed = []
        for a, b in sorted(pairs):
            different = self.venues[a].activity != self.venues[b].activity
            keyed.append((self.random.random() + (0.0 if different else 1.0), (a, b)))
        keyed.sort()
        self.link_candidates += [pair for _, pair in keyed]
        self.link_active += [False] * len(keyed)

    # ------------------------------------------------------------------ 2 continuity
    def continuity_step(self) -> None:
        """Project funding ends, initiatives fold, and both are followed by new ones; in the
        burn-in one for one in their place, so today's offer holds."""
        b = self.params.behaviour
        active = defaultdict(int)
        for r in self.residents:
            if r.participation >= 0.5 and r.personal_strength >= 2.0:
                active[r.hood] += 1
        if self.week == 1:   # today, before any lever acts
            self.active_today, self.initiatives_today = dict(active), self.initiatives()
        self.renewed: list[Venue] = []
        self.folded: list[Venue] = []
        self.agents_by_type[Venue].do("note_anchored")   # before any venue closes
        self.agents_by_type[Venue].do("fold_or_end")
        for venue in self.renewed:
            self.successor(venue)
        if self.week <= 0:
            for venue in self.folded:
                self.successor(venue)
            return
        supported = sum(1 for v in self.venues if v.supported)   # as deployed this week
        boost = 1.0 + MAX_START_BOOST * (1.0 - math.exp(-supported / self.hoods / BOOST_SCALE))
        now = self.initiatives()
        for hood in range(self.hoods):
            if b.initiative_start_per_1000 is not None:
                starts = int(self.rng.poisson(b.initiative_start_per_1000 / 1000.0 * active[hood] * boost))
            else:   # those kept going: today's, as many more or fewer as residents are active, times the boost
                today = self.active_today.get(hood, 0)
                ratio = active[hood] / today if today > 0 else 1.0
                gap = max(self.initiatives_today.get(hood, 0) * ratio * boost - now.get(hood, 0), 0.0)
                starts = int(math.floor(gap / SEASON + self.random.random()))
            for _ in range(starts):
                self.new_project(hood, project=False)   # a resident initiative, drawn as the inventory is

    def initiatives(self) -> dict[int, int]:
        """Open resident initiatives (resident-run, not projects) per neighbourhood."""
        count: dict[int, int] = defaultdict(int)
        for v in self.venues:
            if v.is_open and v.resident_run and not v.project:
                count[v.hood] += 1
        return count

    # ------------------------------------------------------------------ 3 buddies
    def buddies_step(self) -> None:
        residents = self.agents_by_type[Resident]
        residents.do("review_buddy")
        self._open_by_hood = self.open_venues_by_hood()
        residents.do("buddy_tries_again")
        if sum(b.free_places() for b in self.buddies) == 0:
            return
        self.buddy_residents = {b.resident.index for b in self.buddies if b.active and b.resident is not None}
        residents.do("seek_buddy")
        # per neighbourhood: the queue meets the free places, in buddy order
        queues: dict[int, list[Resident]] = defaultdict(list)
        for r in self.residents:
            if r.wants_buddy:
                queues[r.hood].append(r)
        places: dict[int, list[Buddy]] = defaultdict(list)
        for b in self.buddies:
            places[b.hood] += [b] * b.free_places()
        matched = []
        for hood, queue in queues.items():
            queue.sort(key=lambda r: r.queue_key)
            for r, buddy in zip(queue, places[hood]):
                r.buddy = buddy
                r.match_week = self.week
                buddy.matches += 1
                matched.append(r)
                if buddy.resident is not None and buddy.resident is not r:
                    # staged; an existing tie keeps its layer and strength
                    self.stage_tie(r, buddy.resident, BUDDY, BUDDY_FIRST_STRENGTH)
        for r in matched:   # when all matches are made: the buddy introduces
            r.be_introduced()

    # ------------------------------------------------------------------ 4 discovery
    def discovery_step(self) -> None:
        self._open_by_hood = self.open_venues_by_hood()
        self.agents_by_type[Resident].do("discover")

    # ------------------------------------------------------------------ 5 thresholds
    def thresholds_step(self) -> None:
        self.agents_by_type[Venue].do("prepare")
        residents = self.agents_by_type[Resident]
        residents.do("choose_venue")
        wishers: dict[int, list[Resident]] = defaultdict(list)
        for r in self.residents:
            if r.wish >= 0:
                wishers[r.wish].append(r)
        for v in self.venues:
            v.attendance = 0
        for k, queue in wishers.items():
            self.venues[k].admit(queue)
        residents.do("settle_attendance")

    # ------------------------------------------------------------------ 6 coherence
    def coherence_step(self) -> None:
        if not any(self.link_active):
            return
        self.agents_by_type[Resident].do("follow_links")

    # ------------------------------------------------------------------ 7 meeting
    def meeting_step(self) -> None:
        """Co-attendance: existing ties strengthen, new light contacts are made."""
        cells: dict[tuple[int, int], list[Resident]] = defaultdict(list)
        for r in self.residents:
            if r.attending >= 0:
                venue = self.venues[r.attending]
                groups = max(1, -(-venue.capacity // SUBGROUP)) if venue.small_group else 1
                r.cell = (venue.index, (r.index * 2654435761 % 2**32) % groups)   # fixed subgroup
                cells[r.cell].append(r)
        if sum(len(c) for c in cells.values()) < 2:
            return
        self.cells = cells
        self.agents_by_type[Resident].do("meet")

    # ------------------------------------------------------------------ 8 reciprocity
    def reciprocity_step(self) -> None:
        residents = self.agents_by_type[Resident]
        residents.do("help_neighbour")   # before volunteering
        residents.do("volunteer")
        self._replace_leaving_buddies()
        residents.do("become_buddy")
        self._community_managers()

    def _replace_leaving_buddies(self, passing: set[int] = frozenset()) -> None:
        """A buddy whose resident stopped volunteering: matches end; a programme buddy (pool,
        lever) recruits another resident of the neighbourhood (no role, not isolated, of any
        group; a peer expert from the psychiatric group; never one of ``passing``, moving out
        or in), an organic buddy stops."""
        left = [b for b in self.buddies if b.resident is not None and b.active and b.resident.role == NO_ROLE]
        if not left:
            return
        leaving = set(id(b) for b in left)
        for r in self.residents:
            if r.buddy is not None and id(r.buddy) in leaving:
                self.end_match(r)
        for b in left:
            if b.organic:
                b.active = False
        taken = {b.resident.index for b in self.buddies if b.resident is not None}

        def free(r: Resident) -> bool:
            return r.role == NO_ROLE and r.isolation == NOT_ISOLATED and r.index not in taken and r.index not in passing

        for kind, eligible in ((VOLUNTEER, free), (PEER_EXPERT, lambda r: free(r) and r.group == PSYCHIATRIC)):
            again = [b for b in left if not b.organic and b.kind == kind]
            if not again:
                continue
            fresh = self.pick_residents([b.hood for b in again], eligible)
            for b, r in zip(again, fresh):
                b.resident = r
                if r is None:
                    b.active = False
                else:
                    r.role = VOLUNTEER_ROLE

    def _community_managers(self) -> None:
        """Each manager reaches Binomial(reach, 1/4) isolated neighbours this week, takes them
        along to a venue (``suitable_venue`` from the manager's own: this week's, else last
        week's), which they then know with familiarity 1, and becomes a light contact."""
        b = self.params.behaviour
        managers = [r for r in self.residents if r.role == MANAGER_ROLE]
        if not managers or b.community_manager_reach == 0:
            return
        visits = []
        for m in managers:
            reached = sum(self.random.random() < REACH_PER_WEEK for _ in range(b.community_manager_reach))
            visits += [m] * reached
        targets = self.pick_residents([m.hood for m in visits], lambda r: r.isolation != NOT_ISOLATED)
        self._open_by_hood = self.open_venues_by_hood()
        taught = set()
        pairs = []
        for m, t in zip(visits, targets):
            if t is None:
                continue
            if t.index not in taught:   # one venue per resident per week: the first visit's that finds one
                venue = t.suitable_venue(m.attending if m.attending >= 0 else m.last_venue)
                if venue >= 0:
                    taught.add(t.index)
                    t.learn(venue, 1.0)
            pairs.append((t, m))
        for t, m in pairs:
            self.stage_tie(t, m, ACQUAINTANCE, 0.2)

    # ------------------------------------------------------------------ 9 ties
    def ties_step(self) -> None:
        residents = self.agents_by_type[Resident]
        residents.do("assess_societal")   # as the ties process finds it; the isolation types use it
        residents.do("prepare_ties")
        residents.do("street_contact")
        residents.do("befriend")
        self.doomed: list[tuple[Resident, Resident]] = []
        residents.do("tend_ties")
        kin_lost = sum(1 for a, c in self.doomed if a.ties[c.index][LAYER] == FAMILY)
        for a, c in self.doomed:
            self.remove_tie(a, c)
        self.renew_kin(kin_lost)
        self.commit_ties()                      # the week's new ties join, with contact
        residents.do("count_weekly_contacts")   # after promotion, loss and commit

    # ------------------------------------------------------------------ 10 support
    def support_step(self) -> None:
        """Needs, and who meets them: all helpers are chosen from the care loads as they
        stand at the start of the step, then every resident remembers what they gave."""
        residents = self.agents_by_type[Resident]
        residents.do("seek_support")
        residents.do("find_helper")
        for r in self.residents:
            if r.helper is not None:
                r.helper.needs_met += 1
                r.helper.needs_met_outside += int(r.support_layer != HOUSEHOLD_SUPPORT)
        residents.do("remember_giving")
        if self.week > 0:
            professional = sum(1 for r in self.residents if r.support_layer == PROFESSIONALS)
            self.book_cost("professional_support", professional * self.params.behaviour.professional_support_cost)

    # ------------------------------------------------------------------ 11 wellbeing
    def wellbeing_step(self) -> None:
        residents = self.agents_by_type[Resident]
        residents.do("note_loneliness")
        residents.do("update_wellbeing")

    # ------------------------------------------------------------------ 12 isolation
    def isolation_step(self) -> None:
        """The types: one's own societal isolation now, the bridging ties as the ties process
        assessed the others (ties_step)."""
        self.agents_by_type[Resident].do("classify")

    # ------------------------------------------------------------------ outcomes
    def measure(self) -> dict[str, float]:
        """One row of ``isolation_sim.outcomes.COLUMNS`` (same definitions, from agent state)."""
        b = self.params.behaviour
        rs = self.residents
        n = len(rs)

        def share(count: int) -> float:
            return count / max(n, 1)

        def mean_of(flags: list[bool]) -> float:
            return sum(flags) / len(flags) if flags else float("nan")

        took_part = [r.attending >= 0 or r.role > 0 for r in rs]
        gave = [self.week - r.last_gave < GAVE_WINDOW for r in rs]   # this week included
        was_double = [tp for r, tp in zip(rs, took_part) if r.isolation_at_start == DOUBLE]
        personal = [sum(1 for t in r.ties.values() if t[LAYER] in PERSONAL_LAYERS) for r in rs]
        lonely = [r.loneliness >= b.lonely_cutoff for r in rs]
        small = [len(r.ties) < b.small_network for r in rs]
        met = sum(1 for r in rs if r.support_layer >= 0 and r.support_layer != UNMET)
        informal = sum(1 for r in rs if 0 <= r.support_layer < PROFESSIONALS)
        levers = sum(c for k, c in self.costs.items() if k != "professional_support")
        support = self.costs.get("professional_support", 0.0)
        return {
            "week": self.week,
            "residents": n,
            "share_none": share(sum(r.isolation == NOT_ISOLATED for r in rs)),
            "share_individual": share(sum(r.isolation == INDIVIDUAL for r in rs)),
            "share_collective": share(sum(r.isolation == COLLECTIVE for r in rs)),
            "share_double": share(sum(r.isolation == DOUBLE for r in rs)),
            "changed_type_share": share(sum(r.isolation != r.isolation_at_start for r in rs)),
            "participation_rate": share(sum(took_part)),
            "participation_rate_double": sum(was_double) / len(was_double) if was_double else float("nan"),
            "mean_ties": sum(personal) / n,
            "lonely_share": share(sum(lonely)),
            "severely_lonely_share": share(sum(r.loneliness >= b.severe_cutoff for r in rs)),
            "mean_loneliness": sum(r.loneliness for r in rs) / n,
            "hortulanus_competent": share(sum(not s and not l for s, l in zip(small, lonely))),
            "hortulanus_lonely": share(sum(not s and l for s, l in zip(small, lonely))),
            "hortulanus_contact_poor": share(sum(s and not l for s, l in zip(small, lonely))),
            "hortulanus_isolated": share(sum(s and l for s, l in zip(small, lonely))),
            "no_weekly_contact_share": share(sum(r.weekly_contacts == 0 for r in rs)),
            "quality_of_life": sum(r.quality_of_life for r in rs) / n,
            "venues_open": sum(v.is_open for v in self.venues),
            "venues_threshold_free": sum(1 for v in self.venues if v.is_open and v.threshold_count() == 0),
            "buddy_matches": sum(r.buddy is not None for r in rs),
            "volunteers": sum(r.role > 0 for r in rs),
            "informal_support_share": informal / met if met else float("nan"),
            "gave_help_share": share(sum(gave)),
            **{f"gave_help_share_{g}": mean_of([x for r, x in zip(rs, gave) if r.group == code])
               for code, g in enumerate(GROUPS)},
            "gave_help_share_benefits_alone": mean_of([x for r, x in zip(rs, gave) if r.on_benefits and r.lives_alone]),
            "overburdened_share": share(sum(r.care_load > b.care_capacity for r in rs)),
            "cost_levers_cumulative": float(levers),
            "cost_support_cumulative": float(support),
            "cost_cumulative": float(levers + support),
        }

    def _collect(self) -> None:
        self.latest = self.measure()
        self.datacollector.collect(self)

    def timeseries(self) -> pd.DataFrame:
        """The weekly outcomes, one row per week from week 0, columns ``COLUMNS``."""
        frame = self.datacollector.get_model_vars_dataframe().reset_index(drop=True)
        return frame[list(COLUMNS)]
