"""The theorem-free search equals the brute force kept in the tests, and finds violating optima."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from partialload_opt import solve
from partialload_opt.partialloading.claims import search
from partialload_opt.partialloading.claims.properties import thm2_1_holds
from partialload_opt.partialloading.schedule import Schedule, evaluate
from partialload_opt.testing import at_least, instances

from bruteforce import brute_force
from conftest import handmade


@settings(max_examples=at_least(60))
@given(instances(users=5, models=2, layers=2))
def test_search_optimum_equals_the_brute_force_and_its_schedule_scores_it(inst):
    for semantics in ("continuous", "slotted"):
        value, batches = search.best(inst, semantics)
        assert value == brute_force(inst, semantics)
        ev = evaluate(
            inst,
            Schedule.from_indices(inst, [(i, list(ks)) for i, ks in batches]),
            semantics=semantics,
        )
        assert ev.feasible and ev.served == value


def test_find_returns_an_optimal_schedule_that_breaks_the_property_or_none():
    """h1: {u1,u3} then {u2} also ends at 15 ms (uploads 4 + 2 ms: the sum of a model's run does not
    depend on how its users are split), so an optimal schedule out of p_k order exists; with the
    deadline met by nobody beyond u1..u3 there is none serving 4."""
    inst = handmade("h1-batching")
    found = search.find(inst, 3, lambda b: not thm2_1_holds(inst, b))
    assert found is not None and not thm2_1_holds(inst, found)
    ev = evaluate(inst, Schedule.from_indices(inst, [(i, list(ks)) for i, ks in found]))
    assert ev.feasible and ev.served == 3
    assert search.find(inst, 4, lambda b: True) is None


@settings(max_examples=at_least(100))
@given(instances(users=7, models=4, layers=3))
def test_relaxation_bound_is_never_below_the_theorem_free_optimum(inst):
    assert search.relaxation_bound(inst) >= search.best(inst, "continuous")[0]
    assert search.relaxation_bound(inst, "slotted") >= search.best(inst, "slotted")[0]


@settings(max_examples=at_least(100))
@given(instances(users=12, models=4, layers=3, case="bls"))
def test_relaxation_bound_is_attained_in_bls_continuous_time(inst):
    """In a BLS cluster the ascending-l order loads exactly the union of the visited models' blocks,
    so the bound is the optimum (formulations/dp-exact.md)."""
    assert search.relaxation_bound(inst) == solve(inst, "dp-exact").served


def test_the_theorem_free_optimum_beyond_the_search_comes_from_the_bound_or_milp_batch():
    from partialload_opt.partialloading.claims.context import Context
    from partialload_opt.partialloading.generate import generated

    ways = set()
    for inst in generated(12, "both", (8, 12), (2, 4), 7):
        ctx = Context(inst)
        value, how, batches = ctx.free("continuous")
        ways.add(how.split(" by ")[0])
        assert value == solve(inst, "milp-batch").served and not ctx.bugs
        ev = evaluate(inst, Schedule.from_indices(inst, [(i, list(ks)) for i, ks in batches]))
        assert ev.feasible and ev.served == value
    assert "relaxation bound attained" in ways


@pytest.mark.slow  # cpsat-batch's proof at K = 13..18 takes about a minute
def test_past_k12_the_slotted_ground_truth_is_cpsat_segment_and_agrees_with_cpsat_batch():
    """Issue 19 section 4: verification's theorem-free slotted ground truth goes past K = 12."""
    from partialload_opt.partialloading.claims.context import Context
    from partialload_opt.partialloading.generate import generated

    insts = list(generated(31, "general", (13, 18), (3, 4), seed=5))
    decided = []  # instances where neither the search nor the relaxation bound decides
    for inst in insts:
        assert inst.K > 12
        ctx = Context(inst, 60.0)
        value, how, batches = ctx.free("slotted")
        if how.startswith("relaxation bound"):
            continue
        assert how == "cpsat-segment" and not ctx.bugs, (inst.name, how, ctx.bugs)
        ev = evaluate(
            inst,
            Schedule.from_indices(inst, [(i, list(ks)) for i, ks in batches]),
            semantics="slotted",
        )
        assert ev.feasible and ev.served == value
        decided.append(inst)
        if len(decided) == 2:
            break
    assert decided, "every generated instance was decided by the relaxation bound: pick others"
    last = decided[-1]
    r = solve(last, "cpsat-batch", semantics="slotted", time_limit=120)
    assert r.status.value == "optimal" and r.served == Context(last, 60.0).free("slotted")[0]
