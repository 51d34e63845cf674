"""The pinned baseline (``tests/pinned.py``): the same small runs give the same numbers, bit
for bit. A change that moves them on purpose updates ``tests/pinned.json`` and says why."""

from __future__ import annotations

from . import pinned


def test_the_pinned_runs_give_bit_identical_numbers():
    found = pinned.differences(pinned.stored(), pinned.compute())
    assert not found, f"{len(found)} numbers moved, for example:\n" + "\n".join(found[:20])


def test_the_comparison_of_pinned_numbers_sees_a_change():
    old = {"a": [1.0, {"b": 2}], "c": None}
    assert pinned.differences(old, {"a": [1.0, {"b": 2}], "c": None}) == []
    assert pinned.differences(old, {"a": [1.0000000000000002, {"b": 2}], "c": None}) == [
        ".a[0]: pinned 1.0, now 1.0000000000000002"]
    assert pinned.differences(old, {"a": [1.0, {"b": 2.0}], "c": None})  # int against float
    assert pinned.differences(old, {"a": [1.0], "c": None})
