"""A sweep spec: the TOML file that names a base scenario, the parameters to vary (a list
of values, run as a full factorial, or a range ``{ low, high }`` for a sampler) and what to
keep of each run; read and checked by pydantic (see ``docs/sweeps.md``)."""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import Field, FiniteFloat, field_validator, model_validator

from .changes import setting
from .errors import shown, unknown_key
from .outcomes import KEY, OUTCOMES
from .schema import MAX_BURN_IN_WEEKS, MAX_WEEKS, BurnIn, FolderName, Residents, Seed, Strict, Text, Weeks

SAMPLERS = ("grid", "lhs", "sobol", "morris")
RUN_COLUMNS = ("run", "point", "replicate", "seed")
ROW_COLUMNS = ("kept", "week")  # "end": the end state; "week": the value in that week


class Range(Strict):
    """A parameter sampled between ``low`` and ``high`` (uniformly, by the sampler)."""

    low: FiniteFloat
    high: FiniteFloat

    @model_validator(mode="after")
    def _high_above_low(self) -> "Range":
        if not self.high > self.low:
            raise ValueError(f"high ({self.high:g}) must be above low ({self.low:g})")
        return self


class Settings(Strict):
    name: Annotated[FolderName, Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")]
    description: Text = ""
    scenario: Annotated[str, Field(min_length=1)]
    sampler: Literal["grid", "lhs", "sobol", "morris"] = "grid"
    samples: Annotated[int, Field(ge=1, le=1_000_000)] | None = None
    replicates: Annotated[int, Field(ge=1, le=10_000)] = 1
    seed: Seed = 1
    common_seeds: bool = False
    # the bounds of a scenario's, so that a bad one is named as the spec's key
    weeks: Weeks | None = None
    burn_in_weeks: BurnIn | None = None
    residents: Residents | None = None
    ignore_budget: bool = False
    second_order: bool = False
    levels: Annotated[int, Field(ge=2, le=100)] = 4


class Keep(Strict):
    outcomes: Annotated[list[str], Field(min_length=1)] = Field(default_factory=lambda: list(KEY))
    every: Annotated[int, Field(ge=1, le=MAX_WEEKS + MAX_BURN_IN_WEEKS)] | None = None

    @field_validator("outcomes")
    @classmethod
    def _known(cls, v: list[str]) -> list[str]:
        for name in v:
            if name not in OUTCOMES:
                raise ValueError(unknown_key(name, OUTCOMES).replace("unknown key", "unknown outcome"))
        return list(dict.fromkeys(v))


class SweepSpec(Strict):
    sweep: Settings
    keep: Keep = Keep()
    parameters: Annotated[dict[str, list[int | float] | Range], Field(min_length=1)]
    source: str = Field(default="", exclude=True)

    @field_validator("parameters", mode="before")
    @classmethod
    def _list_or_range(cls, v: Any) -> Any:
        if not isinstance(v, dict):
            return v
        for key, given in v.items():
            wrong = (f"parameters.{key} = {shown(given)}: expected a list of numbers (run as a full factorial) "
                     "or a table { low = ..., high = ... } (sampled by sweep.sampler)")
            if isinstance(given, list):
                if not given or any(isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x)
                                    for x in given):
                    raise ValueError(wrong + "; a list needs at least one value, every one a finite number")
                if len(set(given)) != len(given):
                    raise ValueError(f"parameters.{key} = {shown(given)}: a value is given twice")
            elif isinstance(given, dict) and not set(given) <= {"low", "high"}:
                inner = next(iter(set(given) - {"low", "high"}))
                raise ValueError(f"parameters.{key}: a table with '{inner}', not a range {{ low, high }}; "
                                 f"write a dotted key in quotes: \"{key}.{inner}\" = ...")
            elif not isinstance(given, (dict, Range)):
                raise ValueError(wrong)
            if key in RUN_COLUMNS + ROW_COLUMNS or key in OUTCOMES:
                raise ValueError(f"parameters.{key}: the name is taken by a column of the results")
        return v

    @model_validator(mode="after")
    def _sampler_fits(self) -> "SweepSpec":
        s = self.sweep
        for key, sampler in (("second_order", "sobol"), ("levels", "morris")):
            if getattr(s, key) != Settings.model_fields[key].default and s.sampler != sampler:
                raise ValueError(f"sweep.{key} is for sampler = '{sampler}'; this sweep's sampler is '{s.sampler}'")
        settings: dict[str, str] = {}
        for key in self.parameters:
            if setting(key) in settings:
                raise ValueError(f"parameters {settings[setting(key)]} and {key} set the same setting, "
                                 f"{setting(key)}; give it once")
            settings[setting(key)] = key
        sampled = [k for k, v in self.parameters.items() if isinstance(v, Range)]
        if s.sampler == "grid" and sampled:
            raise ValueError(f"parameters {', '.join(sampled)} are ranges, which need a sampler: set "
                             "sweep.sampler to lhs, sobol or morris (or give them as lists of values)")
        if s.sampler != "grid":
            if not sampled:
                raise ValueError(f"sweep.sampler = '{s.sampler}' samples ranges, but no parameter is a range "
                                 "{ low = ..., high = ... }; use sampler = 'grid' for lists of values")
            if s.samples is None:
                raise ValueError(f"sweep.samples is required with sampler = '{s.sampler}' ({SAMPLES_MEAN})")
            if s.sampler == "sobol" and s.samples & (s.samples - 1):
                raise ValueError(f"sweep.samples = {s.samples}: Sobol' sampling needs a power of two "
                                 "(16, 32, 64, ...) to keep its convergence properties")
        return self

    @property
    def points(self) -> int:
        """The points of the design (before it is drawn): every combination of the listed
        values, each with the sampled points (``sweep.samples`` and :data:`SAMPLES_MEAN`)."""
        s, ranges = self.sweep, len(self.sampled)
        per_sample = {"sobol": 2 * ranges + 2 if s.second_order else ranges + 2, "morris": ranges + 1}
        sampled = s.samples * per_sample.get(s.sampler, 1) if ranges else 1
        return math.prod(len(v) for v in self.listed.values()) * sampled

    @property
    def sampled(self) -> dict[str, Range]:
        return {k: v for k, v in self.parameters.items() if isinstance(v, Range)}

    @property
    def listed(self) -> dict[str, list]:
        return {k: v for k, v in self.parameters.items() if isinstance(v, list)}


SAMPLES_MEAN = ("lhs: the number of points; sobol: the base sample N, N x (ranges + 2) points, or "
                "N x (2 x ranges + 2) with second_order; morris: trajectories of ranges + 1 points each; "
                "every combination of listed values runs all the points, each point replicates times")
