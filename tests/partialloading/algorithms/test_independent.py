"""The Independent Loading baseline scores its schedule without sharing and reports both numbers."""

from __future__ import annotations

from partialload_opt import solve

from conftest import handmade


def test_abc_independent_serves_two_and_reports_the_shared_score():
    """Independent: A 7, B 9, C 5 ms: two users fit in 17 slots, three do not (21)."""
    r = solve(handmade("h3-abc"), "independent", semantics="slotted")
    assert r.served == 2
    assert r.loading == "independent" and r.stats["served_with_sharing"] >= 2
