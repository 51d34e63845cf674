"""The vectorised model agrees with the plain per-agent Mesa reference (benchmarks/reference_mesa.py).

The reference implements every weekly rule one agent at a time, with its own random
numbers, so single runs differ; the two models must agree in distribution. Both build the
same initial world from the same seed (the package's builders), so a run of each model
with the same seed starts from the same residents, network, offer and buddy pool.
"""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from isolation_sim import load_scenario
from isolation_sim.run import Run
from isolation_sim.outcomes import COLUMNS

ROOT = Path(__file__).resolve().parents[1]


def _load_reference():
    """benchmarks/ is not a package: import the reference from its path."""
    name = "reference_mesa"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / "reference_mesa.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


reference = _load_reference()

OUTCOMES = (
    "share_double", "share_individual", "participation_rate", "mean_ties", "lonely_share",
    "severely_lonely_share", "hortulanus_isolated", "no_weekly_contact_share", "quality_of_life", "changed_type_share",
    "gave_help_share", "overburdened_share", "informal_support_share", "volunteers",
)
SEEDS = range(1, 21)   # 20 runs per model, seed s of one model paired with seed s of the other
WEEKS = 52


def _scenario(seed: int, burn_in: int = 10):
    """The baseline at 400 residents, with two levers so that steering, coherence
    (links between venues) and community managers (reciprocity) are exercised too, and
    households moving, partners lost and residents retiring 12, 50 and 25 times as often as
    in the baseline, and pensioners in the largest group too, so that newcomers (moving),
    residents retiring and pensioners leaving are more than a handful."""
    return load_scenario(ROOT / "scenarios" / "baseline.toml", overrides={
        "residents": 400, "population.represents": 400, "burn_in_weeks": burn_in, "seed": seed,
        "steering.levers.links": 15, "steering.levers.community_managers": 2,
        "behaviour.move_per_week": 0.01, "behaviour.partner_loss_per_week": 0.01,
        "behaviour.retire_per_week": 0.01, "groups.none.retired": 0.3,
    })


def _year_means(model) -> np.ndarray:
    """Mean of each outcome over weeks 1..52 (``last_year_mean`` of ``run.summarise``)."""
    model.run(WEEKS)
    frame = model.timeseries()
    return frame.loc[frame["week"] >= 1, list(OUTCOMES)].mean().to_numpy(float)


def test_week_zero_is_the_same_world():
    """Without burn-in, the week-0 row of both models is the same (same builders, same setup)."""
    for seed in (1, 2):
        scenario = _scenario(seed, burn_in=0)
        vec = Run(scenario).model().timeseries().iloc[0]
        ref = reference.ReferenceModel(scenario).timeseries().iloc[0]
        assert list(ref.index) == list(COLUMNS)
        for column in COLUMNS:
            a, b = float(vec[column]), float(ref[column])
            assert (math.isnan(a) and math.isnan(b)) or b == pytest.approx(a, rel=1e-5, abs=1e-9), column


def test_vectorised_model_agrees_with_the_per_agent_reference():
    """Statistical agreement of the vectorised model and the per-agent reference.

    Design: the baseline scenario at 400 residents, 10 burn-in weeks, levers ``links = 15``
    and ``community_managers = 2``, moving at 1% a week (households and partners), retiring at 1% a week with pensioners in
    the group ``none`` too; 20 seeds (1..20) per model, the same seeds for both, so
    run s of each model starts from the same world. Each run lasts 52 weeks after the
    burn-in; its statistic per outcome is the mean over weeks 1..52 (the package's
    ``last_year_mean``).

    Criterion, for every outcome in ``OUTCOMES``: run s of each model starts from the same
    world, so the test is on the paired differences ``d_s = vec_s - ref_s``. With ``m`` and
    ``sd`` their mean and standard deviation over the 20 seeds, the two-sided t interval
    ``m ± t(1 - a / 2, 19) * sd / sqrt(20)`` must contain 0, with ``a = 0.05 / len(OUTCOMES)``
    (Bonferroni): two models that follow the same rules fail the test as a whole at most 5% of
    the time, however many outcomes it holds.

    Why the year mean and shared worlds: the value of a share in one single week at 400
    residents is dominated by week-to-week noise that the two models do not share, and
    pairing runs on the same world takes the world's own variation out of the differences.
    The outcomes of giving and volunteering are there so that the test sees neighbours' help
    or carers' loads switched off in the reference, which the others do not. Strained
    households, and giving left out of public life, change too little at 400 residents for
    it to see (checked by switching each off in the reference); ``tests/test_giving.py``
    shows their directions. So do retiring and pensioners leaving, even with pensioners in
    the largest group and retiring at 1% a week (checked the same way);
    ``tests/test_life_events.py`` shows theirs. Newcomers who bring no friends in the reference make nine
    outcomes differ (mean ties by +2.1, ± 0.15). (Until the outcomes of giving
    joined, the criterion was that each model's mean lie in the other's unpaired 95%
    interval: with fourteen outcomes that fails about a time in four for two models that
    agree, and did, on ``gave_help_share`` at seeds 1-20, while seeds 21-60 gave a paired
    difference of +0.2 points, 95% interval +-0.6.)
    """
    vec = np.array([_year_means(Run(_scenario(s)).model()) for s in SEEDS])
    ref = np.array([_year_means(reference.ReferenceModel(_scenario(s))) for s in SEEDS])
    diff = vec - ref
    n = diff.shape[0]
    t = stats.t.ppf(1 - 0.05 / len(OUTCOMES) / 2, n - 1)
    mean, half = diff.mean(axis=0), t * diff.std(axis=0, ddof=1) / math.sqrt(n)
    rows, failed = [], []
    for k, name in enumerate(OUTCOMES):
        ok = abs(mean[k]) <= half[k]
        rows.append(f"{name:26s} vectorised {vec[:, k].mean():9.4f}   reference {ref[:, k].mean():9.4f}   "
                    f"paired difference {mean[k]:+.4f} ± {half[k]:.4f}   {'ok' if ok else 'DIFFERENT'}")
        if not ok:
            failed.append(name)
    table = "\n".join(rows)
    print(table)
    assert not failed, f"outcomes whose paired difference is not 0 (Bonferroni 95%): {failed}\n{table}"
