"""Every case of the refusal corpus (tests/corpus) ends in exit status 2, no traceback, a
message that names where the bad value came from, and nothing written."""

from __future__ import annotations

import pytest

from isolation_sim.cli import main

from .corpus import app, extends, folders, inputs, numbers, specs

CASES = inputs.CASES + extends.CASES + numbers.CASES + specs.CASES + folders.CASES + app.CASES


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_refused_by_name(case, tmp_path, capsys):
    given = tmp_path / "given"
    given.mkdir()
    argv = case.make(given)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2, f"exit {code}: {err}"
    assert "Traceback" not in err
    for name in case.names:
        assert name in err, f"{name!r} not named in: {err}"
    for name in case.never:
        assert name not in err, f"{name!r} wrongly named in: {err}"
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before, "something was written"
