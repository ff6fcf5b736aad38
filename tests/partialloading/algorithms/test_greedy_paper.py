"""greedy-paper (Algorithm 3) on hand-worked cases."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partialload_opt import load_instance
from partialload_opt.partialloading.algorithms.greedy_paper import best_rate, greedy_segments
from partialload_opt.partialloading.generate import near_boundary_instance
from partialload_opt.partialloading.segments import SegmentCosts, max_users_within
from partialload_opt.testing import at_least

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


def rate_over_every_tau(phi, budget):
    """Eq. (22) literally: v = k(tau) / tau for every tau in 1..budget, the first maximum (v, tau, k)."""
    taus = np.arange(1, budget + 1)
    k = np.maximum(max_users_within(np.asarray(phi), taus), 0)
    v = k / taus
    j = int(np.argmax(v))
    return float(v[j]), int(taus[j]), int(k[j])


def literal_greedy(inst, costs):
    """Algorithm 3 line by line, every (model, tau) with numpy: the reference for the step scan."""
    T, remaining, tau_used, prev, segments = inst.T, list(range(inst.I)), 0, -1, []
    while tau_used < T and remaining:
        best = (0.0, None, 0, 0)
        for i in remaining:
            v, tau, k = rate_over_every_tau(costs.segment_slots(prev, i), T - tau_used)
            if v > best[0]:
                best = (v, i, tau, k)
        _, i_star, tau_star, k_star = best
        if i_star is None:
            break
        segments.append((i_star, k_star))
        prev = i_star
        remaining.remove(i_star)
        tau_used += tau_star
    return segments


def _paper_and_small():
    root = Path(__file__).resolve().parents[3] / "instances"
    return sorted((root / "paper").glob("*.json")) + sorted((root / "small").glob("*.json"))


@pytest.mark.parametrize("rule", ["paper", "optimal"])
def test_the_step_scan_equals_the_literal_algorithm_on_every_shipped_instance(rule):
    """Every paper-scale and small instance, both segment-cost rules: the same segments."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        insts = [load_instance(p) for p in _paper_and_small()]
    for inst in insts:
        costs = SegmentCosts.of(inst, "optimal", rule)
        assert greedy_segments(inst, costs) == literal_greedy(inst, costs), inst.name


@settings(max_examples=at_least(150), deadline=None)
@given(seed=st.integers(0, 2**31 - 1), case=st.sampled_from(["bls", "nested", "general"]))
def test_the_step_scan_equals_the_literal_algorithm_near_slot_boundaries(seed, case):
    """Fresh near-boundary instances (ties, zero-size blocks, segments a hair from a boundary)."""
    inst = near_boundary_instance(seed, case)
    costs = SegmentCosts.of(inst, "optimal", "paper")
    assert greedy_segments(inst, costs) == literal_greedy(inst, costs)


@settings(max_examples=at_least(300), deadline=None)
@given(
    steps=st.lists(st.integers(0, 6), min_size=1, max_size=12),
    first=st.integers(0, 4),
    budget=st.integers(1, 40),
)
def test_best_rate_is_the_first_maximum_over_every_tau(steps, first, budget):
    """Slot rows with plateaus, zeros and ties: the step scan picks the (v, tau, k) that the scan
    over every tau in 1..budget picks."""
    phi = [int(x) for x in np.cumsum([first, *steps])]
    v, tau, k = rate_over_every_tau(phi, budget)
    assert best_rate(phi, budget) == ((v, tau, k) if v > 0 else (0.0, 0, 0))


def test_best_rate_sees_a_wrong_step_start():
    """A plateau: phi = [0, 2, 2, 5]: at tau = 2 two users fit (v = 1), not one; nobody in 2 slots."""
    assert best_rate([0, 2, 2, 5], 10) == (1.0, 2, 2)
    assert best_rate([0, 3, 4, 5], 2) == (0.0, 0, 0)
