"""What a scenario is: the schema of a scenario file, as typed, validated values.

A scenario is a TOML file validated into a :class:`Scenario` (see ``scenario_files`` for
how files are read, ``explain`` for how a bad value is said).

Every number has bounds the model can hold: no number may be infinite or NaN (they would
reach ``summary.json`` as ``Infinity``, which strict JSON readers refuse), every count and
every week has a highest value, and cut-offs that come in pairs are in order. A name is
a safe folder name (results are written under it) and no text holds control characters.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from .changes import deep_merge, resolve, set_path
from .errors import check_keys
from .levers import LEVERS, default_unit_costs, level_refused

ACTIVITY_TYPES = ("meeting", "exercise", "creative", "work")
THRESHOLD_KINDS = ("distance", "cost", "discipline", "social")
GROUPS = (
    "none",
    "unemployed_or_retired",
    "intellectual_disability",
    "migrant",
    "psychiatric",
    "multiproblem",
)
VENUE_KINDS = (
    "walk_in",
    "warm_place",
    "mild_work",
    "environment_initiative",
    "care_farm",
    "recovery_academy",
    "neighbourhood_enterprise",
    "sports_club",
    "community_centre",
)
BUDDY_KINDS = ("professional", "volunteer", "peer_expert")
MAX_RESIDENTS = 20_000_000  # beyond any municipality; memory.check_memory holds them to this machine
MAX_WEEKS = 5200            # a century of weeks; with the burn-in, the longest run
MAX_BURN_IN_WEEKS = 1040
MAX_EUROS = 1e12            # a budget or a cost a year: a thousand times a large city's social budget
NAME_CHARACTERS = 100       # a name is a folder name (results/<name>-validation): well within 255 bytes


def _model_config() -> ConfigDict:
    # allow_inf_nan: no float may be infinite or NaN, anywhere in a scenario
    return ConfigDict(extra="forbid", validate_default=True, frozen=True, allow_inf_nan=False)


def _control(text: str) -> str | None:
    """The first control or format character in ``text`` (a line break and a tab excepted)."""
    return next((c for c in text if c not in "\n\t" and unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")), None)


def text_refused(text: str) -> str:
    if (c := _control(text)) is not None:
        raise ValueError(f"holds the control character U+{ord(c):04X}; write plain text")
    return text


def name_refused(name: str) -> str:
    """A name that is safe as a folder name: no path separator, no leading dot, no control
    character, not blank, at most :data:`NAME_CHARACTERS` characters (200 bytes)."""
    if "\n" in name or "\t" in name:
        raise ValueError("holds a line break or a tab; a name is one line")
    text_refused(name)
    if "/" in name or "\\" in name:
        raise ValueError("holds '/' or '\\'; a name is a folder name, give one without them")
    if name.startswith("."):
        raise ValueError("starts with '.'; a name is a folder name that is not hidden (nor '..')")
    if not name.strip():
        raise ValueError("is blank; give a name")
    if len(name) > NAME_CHARACTERS or len(name.encode("utf-8")) > 2 * NAME_CHARACTERS:
        raise ValueError(f"is {len(name):,} characters long: a name (a folder name) may be {NAME_CHARACTERS} at most")
    return name


FolderName = Annotated[str, AfterValidator(name_refused)]
Text = Annotated[str, Field(max_length=10_000), AfterValidator(text_refused)]


class Strict(BaseModel):
    model_config = _model_config()


Share = Annotated[float, Field(ge=0.0, le=1.0)]
Weeks = Annotated[int, Field(ge=1, le=MAX_WEEKS)]
BurnIn = Annotated[int, Field(ge=0, le=MAX_BURN_IN_WEEKS)]
Seed = Annotated[int, Field(ge=0, le=2**63 - 1)]  # numpy's seeds are 64-bit
Residents = Annotated[int, Field(ge=10, le=MAX_RESIDENTS)]
Euros = Annotated[float, Field(ge=0.0, le=MAX_EUROS)]
Week = Annotated[int, Field(ge=0, le=MAX_WEEKS + MAX_BURN_IN_WEEKS)]  # a week of the longest run


# --------------------------------------------------------------------------- population
class Sensitivity(Strict):
    """How strongly a threshold kind keeps a resident away (0 = not at all)."""

    distance: Annotated[float, Field(ge=0.0, le=5.0)] = 0.5
    cost: Annotated[float, Field(ge=0.0, le=5.0)] = 0.5
    discipline: Annotated[float, Field(ge=0.0, le=5.0)] = 0.5
    social: Annotated[float, Field(ge=0.0, le=5.0)] = 0.5

    def as_tuple(self) -> tuple[float, float, float, float]:
        return (self.distance, self.cost, self.discipline, self.social)


class GroupProfile(Strict):
    """What is typical of a vulnerability group.

    Residents vary around the group's sensitivity and self-reliance; retirement and then
    employment are drawn with the given chances; the rest holds for every member.
    """

    sensitivity: Sensitivity = Sensitivity()
    # the share in work of the members who are not retired
    employed: Share = 0.5
    # the share retired (past the state pension age) of the members living alone or as a
    # couple; households of three or more are families of working age (life_events.py)
    retired: Share = 0.0
    self_reliance: Share = 0.2
    tie_multiplier: Annotated[float, Field(ge=0.0, le=3.0)] = 1.0
    support_need: Annotated[float, Field(ge=0.0, le=1.0)] = 0.02
    complex_needs: Share = 0.1
    loneliness_bias: Annotated[float, Field(ge=-1.0, le=1.0)] = 0.0
    # the chance that a member's household ties are strained: weak, seldom a real contact,
    # not kept up by living together (seed 000's multi-problem households; population.py)
    household_strain: Share = 0.0
    # how readily a member does something for others, against the situation's chance
    # (reciprocity.py); no source separates the groups, so it is 1 for every group and the
    # groups differ by their situations
    giving: Annotated[float, Field(ge=0.0, le=10.0)] = 1.0


def _default_groups() -> dict[str, GroupProfile]:
    S = Sensitivity
    return {
        "none": GroupProfile(
            sensitivity=S(distance=0.3, cost=0.2, discipline=0.15, social=0.25),
            employed=0.84, self_reliance=0.15, tie_multiplier=1.0, support_need=0.02, complex_needs=0.1,
            loneliness_bias=0.0,
        ),
        "unemployed_or_retired": GroupProfile(
            sensitivity=S(distance=0.6, cost=0.7, discipline=0.3, social=0.5),
            employed=0.17, retired=0.8, self_reliance=0.3, tie_multiplier=0.85, support_need=0.03,
            complex_needs=0.15, loneliness_bias=0.06,
        ),
        "intellectual_disability": GroupProfile(
            sensitivity=S(distance=0.8, cost=0.8, discipline=0.9, social=0.8),
            employed=0.3, self_reliance=0.2, tie_multiplier=0.7, support_need=0.06, complex_needs=0.35,
            loneliness_bias=0.08,
        ),
        "migrant": GroupProfile(
            sensitivity=S(distance=0.5, cost=0.8, discipline=0.4, social=0.9),
            employed=0.45, self_reliance=0.3, tie_multiplier=0.9, support_need=0.03, complex_needs=0.15,
            loneliness_bias=0.05,
        ),
        "psychiatric": GroupProfile(
            sensitivity=S(distance=1.0, cost=0.9, discipline=1.0, social=1.2),
            employed=0.15, self_reliance=0.6, tie_multiplier=0.5, support_need=0.08, complex_needs=0.5,
            loneliness_bias=0.15, household_strain=0.3,
        ),
        "multiproblem": GroupProfile(
            sensitivity=S(distance=0.9, cost=1.2, discipline=1.1, social=1.0),
            employed=0.08, self_reliance=0.55, tie_multiplier=0.55, support_need=0.1, complex_needs=0.5,
            loneliness_bias=0.15, household_strain=0.5,
        ),
    }


def _default_shares() -> dict[str, float]:
    return {
        "none": 0.62,
        "unemployed_or_retired": 0.17,
        "intellectual_disability": 0.03,
        "migrant": 0.14,
        "psychiatric": 0.017,
        "multiproblem": 0.023,
    }


class TieCounts(Strict):
    """Mean number of ties per resident by layer, before the group's multiplier."""

    family: Annotated[float, Field(ge=0.0, le=50.0)] = 3.0
    friend: Annotated[float, Field(ge=0.0, le=50.0)] = 3.0
    neighbour: Annotated[float, Field(ge=0.0, le=50.0)] = 1.5
    acquaintance: Annotated[float, Field(ge=0.0, le=50.0)] = 4.0


class Population(Strict):
    residents: Residents = 15_000
    # the residents of one neighbourhood as the scenario describes it: its offer, buddy pool,
    # links and lever levels are counts for such neighbourhoods, scaled to the residents run
    # (sizes.py)
    represents: Annotated[int | None, Field(ge=10, le=MAX_RESIDENTS)] = None
    neighbourhoods: Annotated[int, Field(ge=1, le=10_000)] = 1
    radius_km: Annotated[float, Field(gt=0.0, le=20.0)] = 1.0
    household_size: Annotated[float, Field(ge=1.0, le=6.0)] = 2.1
    homophily: Share = 0.6
    clustering: Share = 0.5
    family_nearby: Share = 0.5
    # the share of the starting friendships made at an activity (with someone who knows one of
    # the same venues), not with someone nearby; set to the share the baseline keeps (ODD 5)
    friends_met_at_activities: Share = 0.0
    # how strongly the starting friends follow the disposition to loneliness
    # (population.by_disposition); fitted with the other free parameters (ODD 5)
    ties_follow_disposition: Annotated[float, Field(ge=0.0, le=3.0)] = 0.0
    shares: dict[str, Share] = Field(default_factory=_default_shares)
    ties: TieCounts = TieCounts()

    @model_validator(mode="after")
    def _a_resident_per_neighbourhood(self) -> "Population":
        if self.residents < self.neighbourhoods:
            raise ValueError(f"residents ({self.residents:,}) must be at least neighbourhoods ({self.neighbourhoods:,})")
        return self

    @field_validator("shares")
    @classmethod
    def _known_groups(cls, v: dict[str, float]) -> dict[str, float]:
        check_keys(v, GROUPS)
        full = {g: float(v.get(g, 0.0)) for g in GROUPS}
        total = sum(full.values())
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"shares must add up to 1, they add up to {total:.4g}")
        return full


# --------------------------------------------------------------------------- offer
def _default_inventory() -> dict[str, list[int]]:
    return {t: [0, 0, 0, 0, 0] for t in ACTIVITY_TYPES}


class Offer(Strict):
    """The activity offer: venue counts by activity type and number of thresholds."""

    inventory: dict[str, Annotated[list[Annotated[int, Field(ge=0, le=100_000)]], Field(min_length=5, max_length=5)]] = Field(
        default_factory=_default_inventory
    )
    threshold_weights: Sensitivity = Sensitivity(distance=0.6, cost=0.9, discipline=1.0, social=1.0)
    capacity: Annotated[int, Field(ge=2, le=10_000)] = 60
    small_group_share: Share = 0.05
    resident_run_share: Share = 0.3
    project_share: Share = 0.4
    project_end_weeks: Annotated[list[Annotated[int, Field(ge=0, le=100_000)]], Field(min_length=2, max_length=2)] = [26, 260]
    new_projects: bool = True  # each project that ends is succeeded by a new one (the money goes on)
    links: Annotated[int, Field(ge=0, le=1_000_000)] = 0
    contracted_share: Share = 0.0
    walk_radius_km: Annotated[float, Field(gt=0.0, le=50.0)] = 1.0

    @field_validator("inventory")
    @classmethod
    def _known_types(cls, v: dict[str, list[int]]) -> dict[str, list[int]]:
        check_keys(v, ACTIVITY_TYPES)
        return {t: list(v.get(t, [0, 0, 0, 0, 0])) for t in ACTIVITY_TYPES}

    @model_validator(mode="after")
    def _end_range(self) -> "Offer":
        lo, hi = self.project_end_weeks
        if lo > hi:
            raise ValueError(f"project_end_weeks must be [first, last] with first <= last, got {[lo, hi]}")
        return self

    @property
    def venue_count(self) -> int:
        return sum(sum(row) for row in self.inventory.values())


# --------------------------------------------------------------------------- buddies
class BuddyCounts(Strict):
    professional: Annotated[int, Field(ge=0, le=1_000_000)] = 1
    volunteer: Annotated[int, Field(ge=0, le=1_000_000)] = 6
    peer_expert: Annotated[int, Field(ge=0, le=1_000_000)] = 2


class Caseloads(Strict):
    professional: Annotated[int, Field(ge=1, le=100)] = 8
    volunteer: Annotated[int, Field(ge=1, le=100)] = 1
    peer_expert: Annotated[int, Field(ge=1, le=100)] = 3


class Buddies(Strict):
    pool: BuddyCounts = BuddyCounts()
    caseload: Caseloads = Caseloads()
    max_match_weeks: Annotated[int, Field(ge=1, le=5200)] = 104
    dropout_per_week: Annotated[float, Field(ge=0.0, le=1.0)] = 0.012
    referral_per_week: Annotated[float, Field(ge=0.0, le=1.0)] = 0.05


# --------------------------------------------------------------------------- behaviour
# Weekly rates per tie layer (household ties neither weaken nor end).
LAYER_DEFAULTS = {
    # household: only for strained household ties (the others are in contact every week,
    # keep at least 0.5 and never end: processes/ties.py)
    "decay": {"household": 0.05, "family": 0.004, "friend": 0.02, "neighbour": 0.03, "acquaintance": 0.06,
              "buddy": 0.02},
    "contact_chance": {"household": 0.15, "family": 0.6, "friend": 0.45, "neighbour": 0.5, "acquaintance": 0.15,
                       "buddy": 0.6},
    # loss: besides a move out of the municipality, which ends a tie when either end's
    # household moves (2 * move_per_week, processes/moving.py): the rates of the local ties,
    # which held every ending, are lower by that much (neighbour 0.003, acquaintance 0.03);
    # family and friends who move out are made up by those newcomers bring, so theirs stay
    "loss": {"household": 0.0, "family": 0.0002, "friend": 0.002, "neighbour": 0.0014, "acquaintance": 0.0284,
             "buddy": 0.0},
}


# cut-offs that come in pairs, the first at most the second
CUTOFF_PAIRS = (
    ("lonely_cutoff", "severe_cutoff", "the severely lonely are some of the lonely"),
    ("tie_floor", "friend_threshold", "a tie weaker than the floor ends, so a friendship starts above it"),
)


class Behaviour(Strict):
    """The model's free parameters: weekly rates and weights (see docs/ODD.md)."""

    attendance_base: Share = 0.5
    threshold_weight: Annotated[float, Field(ge=0.0, le=10.0)] = 1.6
    distance_scale_km: Annotated[float, Field(gt=0.0, le=50.0)] = 1.0
    habit: Annotated[float, Field(ge=1.0, le=10.0)] = 2.0
    action_fit: Annotated[float, Field(ge=1.0, le=10.0)] = 1.5
    tie_motivation: Share = 0.5
    discovery_per_week: Share = 0.03
    contacts_per_visit: Annotated[int, Field(ge=1, le=10)] = 2
    contacts_per_visit_small_group: Annotated[int, Field(ge=1, le=10)] = 4
    new_contact_chance: Share = 0.3
    contact_gain: Share = 0.08
    small_group_gain: Annotated[float, Field(ge=1.0, le=10.0)] = 2.0
    friend_threshold: Share = 0.4
    tie_floor: Share = 0.05
    street_contact_per_week: Share = 0.05
    new_friend_per_week: Share = 0.003
    decay: dict[str, Share] = Field(default_factory=lambda: dict(LAYER_DEFAULTS["decay"]))
    contact_chance: dict[str, Share] = Field(default_factory=lambda: dict(LAYER_DEFAULTS["contact_chance"]))
    loss: dict[str, Share] = Field(default_factory=lambda: dict(LAYER_DEFAULTS["loss"]))
    lonely_withdrawal: Share = 0.4
    # ties a resident's time and attention keep up, and friendships made outside the offer a
    # week: both set so the baseline's networks keep their size (docs/validation.md)
    network_budget: Annotated[float, Field(gt=0.0, le=500.0)] = 20.0
    lonely_decay: Annotated[float, Field(ge=0.0, le=10.0)] = 1.0
    good_tie_strength: Annotated[float, Field(gt=0.0, le=1.0)] = 0.5
    protection_scale: Annotated[float, Field(gt=0.0, le=20.0)] = 2.0
    loneliness_base: Share = 0.04
    loneliness_network: Share = 0.55
    loneliness_participation: Share = 0.15
    loneliness_contagion: Share = 0.2
    loneliness_rate: Share = 0.1
    loneliness_noise: Annotated[float, Field(ge=0.0, le=11.0)] = 0.6
    loneliness_trait: Annotated[float, Field(ge=0.0, le=11.0)] = 3.2
    loneliness_place: Share = 0.4
    lonely_cutoff: Annotated[float, Field(ge=0.0, le=11.0)] = 3.0
    severe_cutoff: Annotated[float, Field(ge=0.0, le=11.0)] = 9.0
    participation_memory_weeks: Annotated[float, Field(ge=1.0, le=520.0)] = 8.0
    societal_cutoff: Share = 0.2
    personal_cutoff: Annotated[float, Field(ge=0.0, le=50.0)] = 1.0
    # a type changes when the situation that gives it has held this long (isolation.py)
    type_persistence_weeks: Annotated[int, Field(ge=1, le=520)] = 13
    bridging_cutoff: Share = 0.5
    small_network: Annotated[int, Field(ge=1, le=100)] = 6
    support_tie_strength: Share = 0.3
    professional_support_cost: Euros = 150.0
    volunteer_per_week: Share = 0.001
    volunteer_stop_per_week: Share = 0.01
    volunteer_buddy_share: Share = 0.02
    # giving (reciprocity.py, support.py): a chance a week of doing something for someone
    # nearby (Radar, seed 003), the share of it that a job leaves, what a carer can carry
    # (needs met a week, on average) and how long the load is remembered
    # life events (life_events.py): the weekly chance of stopping work (CBS 2015) and of
    # reaching the state pension age (CBS: some 200,000 a year of 10 million aged 20 to 67)
    job_loss_per_week: Share = 0.0027
    retire_per_week: Share = 0.0004
    # moving (moving.py): the weekly chance that a household moves out of the municipality
    # (CLO 2015: one in ten residents moved house, four in ten of them to another
    # municipality) and that a resident living as a couple loses their partner (CBS 2020:
    # 6.4 of 1,000 married men and 13.3 of 1,000 married women a year were widowed)
    move_per_week: Share = 0.0008
    partner_loss_per_week: Share = 0.0002
    help_per_week: Share = 0.015
    help_when_employed: Share = 0.5
    care_capacity: Annotated[float, Field(gt=0.0, le=10.0)] = 0.2
    care_memory_weeks: Annotated[float, Field(ge=1.0, le=520.0)] = 13.0
    coherence_exposure: Share = 0.3
    coherence_social_relief: Share = 0.6
    buddy_accompaniment: Share = 0.6
    buddy_presence: Annotated[float, Field(ge=1.0, le=10.0)] = 1.5
    # None: the rate that keeps today's initiatives (processes/continuity.py)
    initiative_start_per_1000: Annotated[float | None, Field(ge=0.0, le=100.0)] = None
    initiative_fold_per_week: Share = 0.004
    community_manager_reach: Annotated[int, Field(ge=0, le=100)] = 5

    @model_validator(mode="after")
    def _cutoffs_in_order(self) -> "Behaviour":
        for low, high, why in CUTOFF_PAIRS:
            if getattr(self, low) > getattr(self, high):
                raise ValueError(f"{low} ({getattr(self, low):g}) must be at most {high} "
                                 f"({getattr(self, high):g}): {why}")
        return self

    @field_validator("decay", "contact_chance", "loss")
    @classmethod
    def _layers(cls, v: dict[str, float], info) -> dict[str, float]:
        defaults = LAYER_DEFAULTS[info.field_name]
        check_keys(v, tuple(defaults))
        return {**defaults, **v}


# --------------------------------------------------------------------------- steering
class Lever(Strict):
    """A steering lever: a level held from ``start_week`` until ``end_week`` (exclusive)."""

    # finite, at most the lever's most and whole for a count: levers.level_refused, the one
    # check of a level (the app's too), says so for an infinite one as for any other
    level: Annotated[float, Field(ge=0.0, allow_inf_nan=True)] = 0.0
    start_week: Week = 0
    end_week: Week | None = None

    @model_validator(mode="before")
    @classmethod
    def _number_is_level(cls, v: Any) -> Any:
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return {"level": v}
        return v

    @model_validator(mode="after")
    def _ends_after_start(self) -> "Lever":
        if self.end_week is not None and self.end_week <= self.start_week:
            raise ValueError(f"end_week ({self.end_week}) must come after start_week ({self.start_week})")
        return self

    def active_at(self, week: int) -> bool:
        return week >= self.start_week and (self.end_week is None or week < self.end_week)

    def level_at(self, week: int) -> float:
        return self.level if self.active_at(week) else 0.0


class Steering(Strict):
    budget_per_year: Euros | None = None
    levers: dict[str, Lever] = Field(default_factory=dict)
    unit_costs: dict[str, Euros] = Field(default_factory=default_unit_costs)

    @field_validator("levers")
    @classmethod
    def _known_levers(cls, v: dict[str, Lever]) -> dict[str, Lever]:
        check_keys(v, LEVERS)
        for name, lever in v.items():
            if (why := level_refused(name, lever.level)) is not None:
                raise ValueError(why)
        return v

    @field_validator("unit_costs")
    @classmethod
    def _known_costs(cls, v: dict[str, float]) -> dict[str, float]:
        check_keys(v, LEVERS)
        return {**default_unit_costs(), **v}

    def level(self, lever: str, week: int) -> float:
        """The level of a lever in a week (0 where the scenario does not set it)."""
        given = self.levers.get(lever)
        return given.level_at(week) if given is not None else 0.0

    def cost_per_year(self, week: int = 0) -> float:
        return sum(self.level(k, week) * self.unit_costs[k] for k in LEVERS)

    @model_validator(mode="after")
    def _within_budget(self) -> "Steering":
        if self.budget_per_year is None:
            return self
        weeks = {0} | {lv.start_week for lv in self.levers.values()}
        worst = max(self.cost_per_year(w) for w in weeks)
        if worst > self.budget_per_year * (1 + 1e-9):
            raise ValueError(
                f"the levers cost {worst:,.0f} euro a year, more than budget_per_year "
                f"{self.budget_per_year:,.0f}; lower a lever or raise the budget"
            )
        return self


# --------------------------------------------------------------------------- scenario
class Scenario(Strict):
    name: Annotated[FolderName, Field(min_length=1)]
    description: Text = ""
    extends: str | None = None
    weeks: Weeks = 520
    seed: Seed = 1
    burn_in_weeks: BurnIn = 52
    population: Population = Population()
    groups: dict[str, GroupProfile] = Field(default_factory=_default_groups)
    offer: Offer = Offer()
    buddies: Buddies = Buddies()
    behaviour: Behaviour = Behaviour()
    steering: Steering = Steering()
    source: str = Field(default="", exclude=True)

    @field_validator("groups", mode="before")
    @classmethod
    def _merge_groups(cls, v: Any) -> Any:
        if not isinstance(v, dict):
            return v
        check_keys(v, GROUPS)
        defaults = _default_groups()
        merged = {}
        for g in GROUPS:
            base = defaults[g].model_dump()
            given = v.get(g, {})
            if isinstance(given, GroupProfile):
                given = given.model_dump()
            if isinstance(given, dict):
                base = deep_merge(base, given)
            else:
                base = given
            merged[g] = base
        return merged

    def with_overrides(self, **changes: Any) -> "Scenario":
        """A copy with values changed (read as :func:`changes.resolve` reads them), validated again.

        >>> from isolation_sim.scenario import load_scenario
        >>> s = load_scenario("scenarios/baseline.toml")
        >>> s.with_overrides(**{"population.residents": 800}).population.residents, s.with_overrides(buddies=3).steering.levers["buddies"].level
        (800, 3.0)
        """
        from .explain import validate
        from .memory import check_memory

        data = self.model_dump()
        for key, value in resolve(changes).items():
            set_path(data, key.split("."), value)
        data["source"] = self.source
        changed = validate(data, self.source or "<scenario>", {})
        check_memory(changed)
        return changed
