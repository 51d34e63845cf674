"""The pinned baseline: a few small runs through every door into the model, stored so that
any change to their numbers is seen.

Each entry is computed through the package's public API (a run, a comparison, a
validation check, a sweep) and stored in ``tests/pinned.json`` with every float written in
full (``repr`` round-trips exactly), so the test asks for bit-identical numbers. A change
to the model that moves them on purpose updates the file with::

    .venv/bin/python tests/pinned.py

and the commit says why the numbers moved.
"""

from __future__ import annotations

import json
import math
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STORE = Path(__file__).with_name("pinned.json")
SMALL = {"residents": 800, "burn_in_weeks": 8, "seed": 11}
STRATEGIES = ("baseline", "stability", "dynamics", "arena")


def _plain(value):
    """Numbers as Python floats or ints, NaN as None, so JSON holds them exactly."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _records(frame) -> list[dict]:
    return _plain(frame.to_dict("records"))


def runs() -> dict:
    """Each strategy, 26 weeks: the whole time series."""
    from isolation_sim.run import run_scenario

    out = {}
    for name in STRATEGIES:
        result = run_scenario(ROOT / "scenarios" / f"{name}.toml", weeks=26, **SMALL)
        out[name] = _records(result.timeseries)
    return out


def comparison() -> dict:
    """Baseline against dynamics, two replicates of 20 weeks: the end states, the groups, the
    differences and the levels with their intervals."""
    from isolation_sim.compare import compare, differences, levels

    cmp = compare([ROOT / "scenarios" / "baseline.toml", ROOT / "scenarios" / "dynamics.toml"], replicates=2,
                  weeks=20, workers=1, residents=600, burn_in_weeks=6, seed=4)
    return {"ends": _records(cmp.ends), "groups": _records(cmp.groups), "differences": _records(differences(cmp)),
            "levels": _records(levels(cmp))}


def validation() -> list[dict]:
    """The first-year check of the baseline, two seeds."""
    from isolation_sim.scenario import load_scenario
    from isolation_sim.validation import check

    scenario = load_scenario(ROOT / "scenarios" / "baseline.toml",
                             overrides={"residents": 600, "burn_in_weeks": 6})
    return _records(check(scenario, seeds=2, workers=1))


def sweep() -> list[dict]:
    """The Sobol' lever sweep with N = 1 (8 runs), tiny: every run's rows."""
    import pandas as pd

    from isolation_sim.sweep import load_sweep, run_sweep

    spec = load_sweep(ROOT / "scenarios" / "sweeps" / "levers_sobol.toml", samples=1, residents=300,
                      weeks=8, burn_in_weeks=2)
    with tempfile.TemporaryDirectory() as folder:
        run_sweep(spec, Path(folder) / "sweep", workers=1)
        frame = pd.read_parquet(Path(folder) / "sweep" / "runs")
    return _records(frame.sort_values(["run", "kept", "week"], kind="stable").reset_index(drop=True))


def compute() -> dict:
    return {"runs": runs(), "comparison": comparison(), "validation": validation(), "sweep": sweep()}


def stored() -> dict:
    return json.loads(STORE.read_text(encoding="utf-8"))


def differences(old, new, where: str = "") -> list[str]:
    """Where ``new`` differs from ``old``: a path and both values, for each difference."""
    if isinstance(old, dict) and isinstance(new, dict):
        found = [f"{where}.{k}: only in one" for k in sorted(set(old) ^ set(new))]
        for key in old.keys() & new.keys():
            found += differences(old[key], new[key], f"{where}.{key}")
        return found
    if isinstance(old, list) and isinstance(new, list):
        if len(old) != len(new):
            return [f"{where}: {len(old)} entries pinned, {len(new)} now"]
        return [d for i, (a, b) in enumerate(zip(old, new)) for d in differences(a, b, f"{where}[{i}]")]
    return [] if old == new and type(old) is type(new) else [f"{where}: pinned {old!r}, now {new!r}"]


if __name__ == "__main__":
    STORE.write_text(json.dumps(compute(), indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {STORE.relative_to(ROOT)}", file=sys.stderr)
