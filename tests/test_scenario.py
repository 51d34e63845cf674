"""Scenario files: loading, ``extends``, and one clear error for each kind of bad input."""

from __future__ import annotations

import pytest

from isolation_sim.cli import main
from isolation_sim.scenario import LEVERS, ScenarioError, check_memory, load_scenario

from .conftest import BASELINE, SCENARIOS


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path, capsys, *extra) -> str:
    """Run ``isolation-sim describe`` (or ``run``) on ``path``; return stderr, expecting exit 2."""
    code = main([*(extra or ("describe",)), str(path)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err
    return " ".join(err.split())


def test_baseline_extends_oud_charlois():
    s = load_scenario(BASELINE)
    assert s.name == "baseline"
    assert s.extends == "oud_charlois.toml"
    assert s.offer.venue_count == 94              # inherited from the parent
    assert s.offer.contracted_share == 0.8        # set by the variant


def test_overrides_from_the_command_line():
    s = load_scenario(BASELINE, overrides={"weeks": 10, "seed": 9, "residents": 700})
    assert (s.weeks, s.seed, s.population.residents) == (10, 9, 700)


def test_every_shipped_scenario_loads():
    for path in sorted(SCENARIOS.glob("*.toml")):
        assert load_scenario(path).name


def test_lever_as_number_or_table(tmp_path):
    path = write(tmp_path, "s.toml", f'''extends = "{BASELINE}"
name = "x"
[steering.levers]
buddies = 5
links = {{ level = 10, start_week = 4, end_week = 20 }}
''')
    s = load_scenario(path)
    assert s.steering.level("buddies", 1) == 5
    assert [s.steering.level("links", w) for w in (3, 4, 19, 20)] == [0, 10, 10, 0]


def test_missing_file(tmp_path, capsys):
    err = error_of(tmp_path / "nope.toml", capsys)
    assert "nope.toml" in err and "does not exist" in err


def test_unreadable_file(tmp_path, capsys):
    path = write(tmp_path, "bin.toml", "")
    path.write_bytes(b"\xff\xfe\x00name")
    assert "not UTF-8" in error_of(path, capsys)


def test_toml_syntax_error(tmp_path, capsys):
    path = write(tmp_path, "bad.toml", 'name = "x"\nweeks = = 3\n')
    err = error_of(path, capsys)
    assert "bad.toml" in err and "not valid TOML" in err and "line 2" in err


def test_shares_must_add_up(tmp_path, capsys):
    path = write(tmp_path, "s.toml", f'''extends = "{BASELINE}"
name = "x"
[population.shares]
none = 0.9
''')
    err = error_of(path, capsys)
    assert "population.shares" in err and "add up to 1" in err and "1.3" in err


def test_extends_points_nowhere(tmp_path, capsys):
    path = write(tmp_path, "s.toml", 'extends = "missing.toml"\nname = "x"\n')
    err = error_of(path, capsys)
    assert "s.toml: extends" in err and "missing.toml" in err and "does not exist" in err


def test_extends_loop(tmp_path, capsys):
    write(tmp_path, "a.toml", 'extends = "b.toml"\nname = "a"\n')
    path = write(tmp_path, "b.toml", 'extends = "a.toml"\nname = "b"\n')
    err = error_of(path, capsys)
    assert "loops" in err and "a.toml" in err and "b.toml" in err


def test_error_names_the_file_that_set_the_key(tmp_path, capsys):
    write(tmp_path, "parent.toml", f'extends = "{BASELINE}"\nname = "p"\n[behaviour]\ncontact_gain = 7\n')
    path = write(tmp_path, "child.toml", 'extends = "parent.toml"\nname = "c"\n')
    err = error_of(path, capsys)
    assert "parent.toml: behaviour.contact_gain" in err and "0.0 to 1.0" in err


def test_levers_over_budget(tmp_path, capsys):
    path = write(tmp_path, "s.toml", f'''extends = "{BASELINE}"
name = "x"
[steering]
budget_per_year = 1000
[steering.levers]
buddies = 10
''')
    err = error_of(path, capsys)
    assert "budget_per_year" in err and "20,000" in err


def test_production_contracts_is_a_share(tmp_path, capsys):
    path = write(tmp_path, "s.toml", f'extends = "{BASELINE}"\nname = "x"\n[steering.levers]\nproduction_contracts = 3\n')
    assert "0 to 1" in error_of(path, capsys)


def test_bad_command_line_value(capsys):
    code = main(["run", str(BASELINE), "--residents", "-5"])
    err = capsys.readouterr().err
    assert code == 2 and "--residents -5: must be at least 10" in err


def test_population_too_large_for_memory_is_refused_before_allocating():
    s = load_scenario(BASELINE)
    with pytest.raises(ScenarioError, match="GiB.*at most"):
        check_memory(s.with_overrides(**{"population.residents": 2_000_000}), available=2**30)
    check_memory(s, available=2**34)  # fits


def test_cli_refuses_a_population_that_does_not_fit(capsys, monkeypatch):
    import isolation_sim.memory as memory

    monkeypatch.setattr(memory, "available_memory", lambda: 2**30)
    code = main(["run", str(BASELINE), "--residents", "5000000", "--out", "out"])
    err = capsys.readouterr().err
    assert code == 2 and "residents fit on this machine" in err


def test_all_levers_have_a_unit_cost():
    s = load_scenario(BASELINE)
    assert set(s.steering.unit_costs) == set(LEVERS)


@pytest.mark.parametrize("body, expected", [
    ('[population]\nresident = 100', "population.resident: unknown key 'resident'; did you mean 'residents'"),
    ('[steering.levers]\nbuddys = 3', "steering.levers: unknown key 'buddys'; did you mean 'buddies'"),
    ('weeks = "many"', "weeks: value = 'many' has the wrong type: expected a whole number"),
    ('[population]\nresidents = 3', "population.residents: value = 3 is out of range: allowed 10 to 20,000,000"),
    ('nmae = "x"', "did you mean 'name'"),
    ('[offer.inventory]\nmeting = [1, 2, 3, 4, 5]', "offer.inventory: unknown key 'meting'; did you mean 'meeting'"),
    ('[groups.psychiatric]\nsensitivity = { socal = 1 }', "groups.psychiatric.sensitivity.socal: unknown key"),
    ('[offer.inventory]\nmeeting = [1, 2, 3]', "must have 5 items, it has 3"),
    ('[steering.levers]\nbuddies = "lots"', "expected a number (the level) or a table"),
    ('weeks = 3.5', "weeks: value = 3.5 has the wrong type: expected a whole number"),
    ('[steering.levers.links]\nlevel = -3', "steering.levers.links.level: value = -3 is out of range: allowed 0.0 or more"),
    ('[population]\nradius_km = 0', "allowed more than 0.0 and at most 20.0"),
])
def test_messages_name_key_value_and_what_is_allowed(tmp_path, capsys, body, expected):
    path = write(tmp_path, "s.toml", f'extends = "{BASELINE}"\nname = "x"\n{body}\n')
    err = error_of(path, capsys)
    assert f"{path}: " in err and expected in err


def test_a_missing_name_is_reported(tmp_path, capsys):
    assert "name: is required but missing" in error_of(write(tmp_path, "s.toml", "weeks = 3\n"), capsys)


def test_a_partial_layer_table_keeps_the_other_layers(tmp_path):
    path = write(tmp_path, "s.toml", f'extends = "{BASELINE}"\nname = "x"\n[behaviour.decay]\nfriend = 0.5\n')
    decay = load_scenario(path).behaviour.decay
    defaults = load_scenario(BASELINE).behaviour.decay
    assert decay["friend"] == 0.5 and decay["family"] == defaults["family"] > 0


# --------------------------------------------------------------------------- limits
def chain_of(tmp_path, depth: int):
    """``depth`` files, each extending the next, the last extending the baseline."""
    tmp_path.mkdir(exist_ok=True)
    write(tmp_path, f"c{depth}.toml", f'name = "c{depth}"\nextends = "{BASELINE}"\n')
    for i in range(depth - 1, 0, -1):
        write(tmp_path, f"c{i}.toml", f'name = "c{i}"\nextends = "c{i + 1}.toml"\n')
    return tmp_path / "c1.toml"


def test_a_chain_is_at_most_max_chain_files_long(tmp_path):
    from isolation_sim.scenario import extends_chain, where_set
    from isolation_sim.scenario_files import MAX_CHAIN

    longest = chain_of(tmp_path / "ok", MAX_CHAIN - len(extends_chain(BASELINE)))
    assert len(extends_chain(longest)) == MAX_CHAIN and load_scenario(longest).name == "c1"
    too_long = chain_of(tmp_path / "long", MAX_CHAIN - len(extends_chain(BASELINE)) + 1)
    for read in (load_scenario, extends_chain, where_set):  # one reading of a chain for all three
        with pytest.raises(ScenarioError, match=f"more than {MAX_CHAIN} files"):
            read(too_long)


def test_a_file_at_the_size_limit_is_read_and_one_byte_more_is_not(tmp_path):
    from isolation_sim.scenario_files import MAX_FILE_BYTES

    head = f'name = "big"\nextends = "{BASELINE}"\n'
    path = write(tmp_path, "big.toml", head + "#" * (MAX_FILE_BYTES - len(head) - 1) + "\n")
    assert path.stat().st_size == MAX_FILE_BYTES and load_scenario(path).name == "big"
    path.write_text(head + "#" * (MAX_FILE_BYTES - len(head)) + "\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="1 MB"):
        load_scenario(path)


def test_a_file_of_many_unknown_keys_gives_a_short_message(tmp_path):
    body = "".join(f"unknown_key_{i:07d} = {'[' + '1, ' * 30 + ']'}\n" for i in range(8_000))
    path = write(tmp_path, "many.toml", f'name = "many"\nextends = "{BASELINE}"\n{body}')
    assert 0.5e6 < path.stat().st_size < 2**20
    with pytest.raises(ScenarioError) as refused:
        load_scenario(path)
    message = str(refused.value)
    assert len(message) < 3_000 and "unknown_key_0000000" in message and "and 7,990 more problems" in message


def test_a_long_value_is_cut_in_the_message(tmp_path):
    path = write(tmp_path, "long.toml", f'name = "long"\nextends = "{BASELINE}"\nweeks = "{"w" * 100_000}"\n')
    with pytest.raises(ScenarioError) as refused:
        load_scenario(path)
    assert len(str(refused.value)) < 300 and "www...www" in str(refused.value)


def numbers():
    """Every number of a scenario, by dotted key, with its type."""
    from isolation_sim.changes import leaf_paths
    from isolation_sim.scenario import setting_type

    data = load_scenario(SCENARIOS / "dynamics.toml").model_dump()
    keys = [".".join(p) for p in leaf_paths(data)]
    return [(k, setting_type(k)) for k in keys if setting_type(k) in (int, float)]


@pytest.mark.parametrize("key, kind", numbers())
def test_no_number_may_be_infinite_nan_or_beyond_what_the_model_holds(key, kind):
    s = load_scenario(SCENARIOS / "dynamics.toml").with_overrides(ignore_budget=True)
    huge = [float("inf"), float("-inf"), float("nan"), 1e300] if kind is float else [2**63]
    for value in huge:
        with pytest.raises(ScenarioError, match=key.split(".")[-1] if key.split(".")[0] != "steering" else "steering"):
            s.with_overrides(**{key: value})


@pytest.mark.parametrize("name", ["baseline", "Oud Charlois 2025", "buurt-noord_v2", "café", "a.b"])
def test_a_plain_name_is_a_name(name):
    assert load_scenario(BASELINE).with_overrides(name=name).name == name


@pytest.mark.parametrize("name", ["../x", "a/b", "a\\b", ".", "..", ".x", "a\x00b", "a\x1b[31m", "a\nb", "",
                                  " ", "n" * 101, "\u202ename", "é" * 101])
def test_a_name_that_is_no_safe_folder_name_is_refused(name):
    with pytest.raises(ScenarioError, match="name"):
        load_scenario(BASELINE).with_overrides(name=name)


def test_cutoffs_in_pairs_are_in_order():
    s = load_scenario(BASELINE)
    s.with_overrides(**{"behaviour.lonely_cutoff": 9.0, "behaviour.severe_cutoff": 9.0})  # equal is in order
    with pytest.raises(ScenarioError, match="lonely_cutoff .* must be at most severe_cutoff"):
        s.with_overrides(**{"behaviour.lonely_cutoff": 9.5, "behaviour.severe_cutoff": 9.0})
    with pytest.raises(ScenarioError, match="tie_floor .* must be at most friend_threshold"):
        s.with_overrides(**{"behaviour.tie_floor": 0.5, "behaviour.friend_threshold": 0.4})


def test_a_value_from_the_command_line_names_the_flag_and_never_the_file(tmp_path):
    with pytest.raises(ScenarioError) as refused:
        load_scenario(BASELINE, overrides={"weeks": 99_999})
    assert str(refused.value).startswith("--weeks: value = 99999 is out of range") and ".toml" not in str(refused.value)
    bad = write(tmp_path, "bad.toml", f'name = "bad"\nextends = "{BASELINE}"\nweeks = 99999\n')
    with pytest.raises(ScenarioError) as refused:
        load_scenario(bad, overrides={"residents": 500})
    assert str(refused.value).startswith(f"{bad}: weeks: ") and "--" not in str(refused.value)


def test_counts_scaled_beyond_memory_are_refused_before_allocating():
    s = load_scenario(BASELINE)
    dense = {"population.represents": 10, "population.residents": 1000, "offer.inventory.meeting": [100_000] * 5}
    with pytest.raises(ScenarioError, match="50,004,900 venues, buddies, links and lever units"):
        check_memory(_unchecked(s, dense), available=2**34)
    check_memory(s, available=2**30)  # today's offer for 15,000 residents fits in 1 GiB


def _unchecked(scenario, changes):
    """``scenario`` with ``changes``, validated but not held to this machine's memory."""
    from isolation_sim.explain import validate
    from isolation_sim.changes import set_path

    data = scenario.model_dump()
    for key, value in changes.items():
        set_path(data, key.split("."), value)
    return validate(data, "s.toml", {})


def test_a_file_that_cannot_be_read_is_named(tmp_path, monkeypatch):
    import isolation_sim.scenario_files as files

    path = write(tmp_path, "locked.toml", f'name = "locked"\nextends = "{BASELINE}"\n')
    monkeypatch.setattr(files.os, "open", lambda *a: (_ for _ in ()).throw(PermissionError(13, "Permission denied")))
    with pytest.raises(ScenarioError, match="locked.toml: cannot be read: no permission to read it"):
        load_scenario(path)
