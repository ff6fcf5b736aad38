"""Ground truth in slotted time: no exact solver says `optimal`, or reports a bound, that the
theorem-free optimum contradicts -- on the instance that broke four of them, and on generated
instances with three or four models that share blocks, near slot boundaries, with ties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partialload_opt import Status, solve
from partialload_opt.partialloading.claims import search
from partialload_opt.partialloading.generate import slot_edge_instance
from partialload_opt.partialloading.instance import load_instance
from partialload_opt.partialloading.schedule import Batch, Schedule, evaluate
from partialload_opt.partialloading.segments import theorem2_form_unproved
from partialload_opt.testing import at_least, instances

from conftest import INSTANCES

REVISIT = INSTANCES / "regression" / "slotted-revisit-beats-theorem2-form.json"
FORM_SOLVERS = ("dp-exact", "exhaustive", "cpsat", "milp-compact")
FREE_SOLVERS = ("milp-batch", "cpsat-batch")


def test_theorem2_form_solvers_no_longer_prove_a_wrong_slotted_optimum():
    inst = load_instance(REVISIT)
    revisit = Schedule(
        (Batch("A", ("a1",)), Batch("B", ("b1",)), Batch("A", ("a2",)), Batch("V", ("v1",))),
        instance=inst.name,
    )
    ev = evaluate(inst, revisit, semantics="slotted")
    assert ev.feasible and ev.served == 4 and [b.slot_end for b in ev.batches] == [3, 4, 5, 6]
    assert search.best(inst, "slotted")[0] == 4
    for name in FORM_SOLVERS:
        r = solve(inst, name, semantics="slotted", time_limit=30)
        assert r.served == 3 and r.status is Status.FEASIBLE and r.bound >= 4, (
            name,
            r.status,
            r.bound,
        )
        assert r.optimal_over == "theorem-2 form" and r.bound_source != "solver"
        c = solve(inst, name, semantics="continuous", time_limit=30)
        assert c.status is Status.OPTIMAL and c.served == 4
    for name in FREE_SOLVERS:
        for sem in ("slotted", "continuous"):
            r = solve(inst, name, semantics=sem, time_limit=30)
            assert r.status is Status.OPTIMAL and r.served == 4 and r.bound == 4, (name, sem)


def check_against_free(inst, solvers=FORM_SOLVERS + ("cpsat-batch",)):
    for sem in ("slotted", "continuous"):
        free = search.best(inst, sem)[0]
        for name in solvers:
            r = solve(inst, name, semantics=sem, time_limit=30)
            assert r.status is not Status.ERROR, (name, sem, r.message)
            assert r.served <= free, (name, sem)
            if r.bound is not None:
                assert r.bound >= free, (name, sem, r.bound, free)
            if r.status is Status.OPTIMAL:
                assert r.served == free, (name, sem, r.served, free)
            if name in FORM_SOLVERS and theorem2_form_unproved(inst, sem) is None:
                assert r.status is Status.OPTIMAL and r.served == free, (name, sem)


@settings(max_examples=at_least(25))
@given(st.integers(0, 10**6), st.sampled_from(["bls", "general"]), st.integers(3, 4))
def test_exact_solvers_never_contradict_the_theorem_free_optimum_near_slot_boundaries(
    seed, case, models
):
    check_against_free(slot_edge_instance(seed, case, models=models))


@settings(max_examples=at_least(25))
@given(instances(users=6, models=4, layers=3).filter(lambda i: i.I >= 3))
def test_exact_solvers_never_contradict_the_theorem_free_optimum_with_ties(inst):
    check_against_free(inst)


@pytest.mark.parametrize("seed", range(6))
def test_milp_batch_slotted_matches_the_theorem_free_search(seed):
    inst = slot_edge_instance(seed, "general")
    for sem in ("slotted", "continuous"):
        r = solve(inst, "milp-batch", semantics=sem, time_limit=60)
        assert r.status is Status.OPTIMAL and r.served == search.best(inst, sem)[0]


def test_continuous_theorem2_form_is_exact_with_three_and_four_models():
    for seed in range(40):
        inst = slot_edge_instance(
            seed, "general" if seed % 2 else "bls", models=3 + seed % 2, planted=False
        )
        assert (
            solve(inst, "dp-exact", method="subsets").served == search.best(inst, "continuous")[0]
        )
