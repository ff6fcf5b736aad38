"""The solver interface: registry, Result honesty, every solver on every shipped small instance."""

from __future__ import annotations

import pytest

from partialload_opt import Outcome, Result, Status, Unsupported, register_solver, solve, solvers
from partialload_opt.partialloading.instance import load_instance
from partialload_opt.partialloading.schedule import Schedule, evaluate
from partialload_opt.partialloading.segments import theorem2_form_unproved
from partialload_opt.registry import unregister_solver

from conftest import HANDMADE, INSTANCES, SMALL

EXPECTED = {  # instances/handmade/README.md, worked by hand
    "h1-batching": {"continuous": 3, "slotted": 2},
    "h2-eq16-sum-vs-max": {"continuous": 1, "slotted": 1},
    "h3-abc": {"continuous": 3, "slotted": 3},
    "h4-ascending-l": {"continuous": 3, "slotted": 3},
}


def test_registry_lists_every_solver_with_its_contract():
    table = solvers()
    assert {"dp-paper", "greedy-paper", "independent", "exhaustive", "dp-exact"} <= set(table)
    assert table["dp-exact"].exact and not table["greedy-paper"].exact
    assert table["dp-paper"].cases == "bls" and table["dp-paper"].semantics == ("slotted",)


@pytest.mark.parametrize("path", HANDMADE, ids=lambda p: p.stem)
@pytest.mark.parametrize("semantics", ["continuous", "slotted"])
def test_exact_solvers_reach_the_hand_worked_optimum(path, semantics):
    inst = load_instance(path)
    for name in ("dp-exact", "exhaustive"):
        r = solve(inst, name, semantics=semantics)
        assert r.served == EXPECTED[inst.name][semantics]
        if theorem2_form_unproved(inst, semantics):  # e.g. h4: three models share blocks
            # optimal over the form; proved for all schedules only by a cheap bound that meets it
            assert r.bound is not None and r.bound >= r.served
            assert r.bound_source != "solver"
            if r.bound > r.served:
                assert r.optimal_over == "theorem-2 form"
            else:
                assert r.optimal_over == "all schedules" and (r.proved_by or "").startswith("bound")
        else:
            assert r.status is Status.OPTIMAL and r.served == r.bound


SLOW_EXACT = {
    "p1-scip",
    "milp-batch",
}  # exercised on every small instance in tests/partialloading/formulations


def _every_run(inst):
    for name, info in solvers().items():
        if name in SLOW_EXACT:
            continue
        for semantics in info.semantics:
            if info.cases == "bls" and not inst.is_bls:
                continue
            yield name, semantics


def test_every_solver_on_every_small_instance_is_valid_and_never_above_the_optimum(small_instance):
    inst = small_instance
    opt = {s: solve(inst, "dp-exact", semantics=s).served for s in ("continuous", "slotted")}
    for name, semantics in _every_run(inst):
        r = solve(inst, name, semantics=semantics)
        assert r.status is not Status.ERROR, (name, semantics, r.message)
        loading = r.loading
        ev = evaluate(inst, r.schedule, semantics=semantics, loading=loading)
        assert ev.feasible and r.served == ev.served
        assert r.stats["claimed"] == r.served
        if loading == "shared":
            assert r.served <= opt[semantics], (name, semantics)


def test_a_solver_whose_claim_disagrees_with_the_evaluator_is_an_error():
    @register_solver(
        "test-liar", problem="partialload", exact=True, semantics=("continuous", "slotted")
    )
    def liar(inst, **kw):
        """Claims one more user than it schedules."""
        return Outcome(Schedule(instance=inst.name), Status.OPTIMAL, claimed=1)

    try:
        r = solve(load_instance(HANDMADE[0]), "test-liar")
        assert r.status is Status.ERROR and "claims 1 served, evaluator counts 0" in r.message
    finally:
        unregister_solver("test-liar")


def test_a_crashing_solver_is_reported_not_raised():
    @register_solver("test-crash", problem="partialload")
    def crash(inst, **kw):
        """Always fails."""
        raise RuntimeError("boom")

    try:
        r = solve(load_instance(HANDMADE[0]), "test-crash")  # its own semantics: slotted
        assert isinstance(r, Result) and r.status is Status.ERROR and "boom" in r.message
        assert r.served == 0 and r.schedule.batches == ()
    finally:
        unregister_solver("test-crash")


def test_unsupported_pairs_raise():
    general = next(load_instance(p) for p in SMALL if not load_instance(p).is_bls)
    with pytest.raises(Unsupported, match="needs a BLS instance"):
        solve(general, "dp-paper", semantics="slotted")
    with pytest.raises(Unsupported, match="supports slotted semantics only"):
        solve(general, "greedy-paper", semantics="continuous")


def test_a_schedule_that_breaks_a_rule_serves_nobody():
    from partialload_opt.partialloading.schedule import Batch, Schedule

    inst = load_instance(INSTANCES / "handmade" / "h1-batching.json")

    @register_solver("overfull-for-test", problem="partialload", semantics=("continuous",))
    def overfull(inst, *, semantics, time_limit=None, bandwidth="optimal", **kw):
        """Puts three users in a batch of b_max = 2."""
        return Schedule((Batch("M", ("u1", "u2", "u3")),))

    try:
        r = solve(inst, "overfull-for-test")
        assert r.status is Status.ERROR and r.served == 0 and "b_max" in r.message
    finally:
        unregister_solver("overfull-for-test")


def test_optimal_over_says_what_an_optimum_is_over():
    inst = load_instance(INSTANCES / "regression" / "slotted-revisit-beats-theorem2-form.json")
    assert solve(inst, "dp-exact", semantics="slotted").optimal_over == "theorem-2 form"
    assert solve(inst, "dp-exact", semantics="continuous").optimal_over == "all schedules"
    assert solve(inst, "greedy-paper", semantics="slotted").optimal_over is None
