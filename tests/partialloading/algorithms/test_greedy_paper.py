"""greedy-paper (Algorithm 3) on hand-worked cases."""

from __future__ import annotations

from partialload_opt.partialloading.algorithms.greedy_paper import greedy_segments
from partialload_opt.partialloading.segments import SegmentCosts

from conftest import handmade


def test_h3_abc_greedy_picks_the_best_rate_each_round():
    """Round 1 (nothing loaded): v(A) = 1/7, v(B) = 1/9, v(C) = 1/5 -> C in 5 slots.
    Round 2 (after C, everything loads in full): A 1/7 vs B 1/9 -> A (7 slots, 12 used).
    Round 3: B after A takes 5 slots -> 17 <= 17: all three served."""
    inst = handmade("h3-abc")
    segs = greedy_segments(inst, SegmentCosts(inst))
    assert [(inst.models[i].id, k) for i, k in segs] == [("C", 1), ("A", 1), ("B", 1)]


def test_h4_greedy_order():
    """Round 1: X 1/6 beats Y, Z at 1/8 -> X; round 2: Y, Z both 1/4 after X -> Y (first);
    round 3: Z after Y 1/2 -> 6 + 4 + 2 = 12 slots."""
    inst = handmade("h4-ascending-l")
    segs = greedy_segments(inst, SegmentCosts(inst))
    assert [inst.models[i].id for i, _ in segs] == ["X", "Y", "Z"]
