"""The Lagrangian walk bound (D3) against the theorem-free search, near slot boundaries, with ties,
three or four models, general sharing, where revisits pay: its knapsack over components never falls
below the slotted optimum, in one class per model or finer, at the multipliers column generation
picks and at any others; and a DP that charges each visit a slot too many is caught."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partialload_opt.partialloading.claims import search
from partialload_opt.partialloading.formulations.segment_decomp import max_plus
from partialload_opt.partialloading.formulations.walk_bound import WalkDP, walk_bound
from partialload_opt.partialloading.generate import near_boundary_instance, slot_edge_instance
from partialload_opt.partialloading.instance import load_instance
from partialload_opt.partialloading.segments import requested_components
from partialload_opt.testing import at_least, instances, near_boundary

from conftest import INSTANCES

REVISIT = INSTANCES / "regression" / "slotted-revisit-beats-theorem2-form.json"


def walk_knapsack(inst, classes: int = 1, lam=None) -> int:
    """(D3)'s knapsack over the components within T slots (at ``lam`` when given)."""
    T = inst.T
    tables = []
    for comp in requested_components(inst):
        dp = WalkDP(inst, tuple(comp), T, classes)
        row = np.zeros(T + 1, dtype=np.int64)
        for t in range(T + 1):
            if lam is None:
                row[t] = walk_bound(dp, t, -1).bound
            else:
                row[t] = dp.bound_at(np.full(len(dp.n_users), lam), t)
        tables.append(np.minimum.accumulate(row[::-1])[::-1])
    return int(max_plus(tables, T)[0][T])


def check(inst) -> None:
    free = search.best(inst, "slotted")[0]
    assert walk_knapsack(inst) >= free, (inst.name, free)
    assert walk_knapsack(inst, classes=3) >= free
    assert walk_knapsack(inst, lam=0.3) >= free  # any multipliers give a bound


@settings(max_examples=at_least(25), deadline=None, derandomize=True)
@given(near_boundary(case="general", users=6, models=(3, 4)))
def test_the_walk_bound_is_valid_near_slot_boundaries(inst):
    check(inst)


@settings(max_examples=at_least(25), deadline=None, derandomize=True)
@given(instances(case="general", users=(4, 7), models=(3, 4), tight=True))
def test_the_walk_bound_is_valid_with_ties_and_tight_deadlines(inst):
    check(inst)


@pytest.mark.parametrize("seed", range(12))
def test_the_walk_bound_is_valid_where_a_revisit_pays(seed):
    for case in ("bls", "general"):
        check(slot_edge_instance(seed, case, planted=True))
        check(near_boundary_instance(seed, "general"))


def test_the_walk_bound_holds_on_the_instance_where_a_revisit_beats_the_form():
    inst = load_instance(REVISIT)
    assert walk_knapsack(inst) >= search.best(inst, "slotted")[0] == 4


def test_a_walk_dp_that_counts_a_visit_in_too_many_slots_is_caught():
    """A q table that charges every visit one slot more than it takes is no relaxation: somewhere
    its bound falls below the optimum, which this check sees."""
    caught = False
    for seed in range(40):
        inst = slot_edge_instance(seed, "general", planted=True)
        free = search.best(inst, "slotted")[0]
        wrong = []
        for comp in requested_components(inst):
            dp = WalkDP(inst, tuple(comp), inst.T)
            dp.order = {
                key: (order, slots + (slots > 0)) for key, (order, slots) in dp.order.items()
            }
            row = np.array([walk_bound(dp, t, -1).bound for t in range(inst.T + 1)])
            wrong.append(np.minimum.accumulate(row[::-1])[::-1])
        if int(max_plus(wrong, inst.T)[0][inst.T]) < free:
            caught = True
            break
    assert caught


@settings(max_examples=at_least(10), deadline=None, derandomize=True)
@given(st.integers(0, 10**6))
def test_column_generation_never_reports_more_than_its_best_evaluated_bound(seed):
    inst = near_boundary_instance(seed, "general")
    for comp in requested_components(inst):
        dp = WalkDP(inst, tuple(comp), inst.T)
        got = walk_bound(dp, inst.T, -1)
        if not dp.degenerate:
            assert got.bound <= dp.bound_at(np.asarray(got.lam), inst.T)
