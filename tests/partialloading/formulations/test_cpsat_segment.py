"""cpsat-segment against the theorem-free ground truth: the search (K <= 7) and cpsat-batch
(K <= 12), on instances with three or four models that share blocks, near slot boundaries and with
ties; the instance where a revisit pays; and a wrong answer is seen as one."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partialload_opt import Status, solve
from partialload_opt.partialloading.claims import search
from partialload_opt.partialloading.formulations import segment_decomp
from partialload_opt.partialloading.formulations.segment_rows import SegmentData, max_positions
from partialload_opt.partialloading.generate import slot_edge_instance
from partialload_opt.partialloading.instance import load_instance
from partialload_opt.partialloading.segments import requested_components
from partialload_opt.testing import at_least, instances

from conftest import INSTANCES

REVISIT = INSTANCES / "regression" / "slotted-revisit-beats-theorem2-form.json"


def check(result, free: int) -> None:
    """What an exact slotted solver must satisfy against the theorem-free optimum ``free``."""
    assert result.status is not Status.ERROR, result.message
    assert result.served <= free
    assert result.bound is None or result.bound >= free, (result.bound, free)
    if result.status is Status.OPTIMAL:
        assert result.served == free, (result.served, free)


def run(inst, dp_states=2e7):
    """cpsat-segment; ``dp_states=0`` leaves the visit-count DP (D2) out, so the segment model
    itself has to prove."""
    return solve(inst, "cpsat-segment", semantics="slotted", time_limit=60, dp_states=dp_states)


@pytest.mark.parametrize("dp_states", [2e7, 0])
def test_a_revisit_that_pays_is_found_and_proved(dp_states):
    inst = load_instance(REVISIT)
    r = run(inst, dp_states)
    assert r.status is Status.OPTIMAL and r.served == 4 and r.bound == 4
    assert (r.stats["component_solves"] > 0) == (dp_states == 0)  # (D2)'s path is the revisit
    models = [b.model for b in r.schedule.batches]
    assert len(models) > len(set(models))  # the optimum revisits a model
    assert r.stats["form_value"] == 3


def test_a_revisit_pays_at_the_papers_scale():
    """Fig. 7, Tbar = 500 ms, realization 9 (K = 80, I = 25): the slotted optimum, proved, serves
    75 by visiting one ResNet-18 model twice; the best Theorem-2-form schedule serves 74."""
    inst = load_instance(INSTANCES / "paper" / "fig7-t500-seed9.json")
    r = run(inst)
    assert r.status is Status.OPTIMAL and r.served == r.bound == 75
    assert r.stats["form_value"] == 74
    models = [b.model for b in r.schedule.batches]
    runs = [m for n, m in enumerate(models) if n == 0 or models[n - 1] != m]
    assert len(runs) > len(set(runs))
    form = solve(inst, "dp-exact", semantics="slotted")
    assert form.served == 74 and form.status is not Status.OPTIMAL


@settings(max_examples=at_least(25), deadline=None)
@given(
    st.integers(0, 10**6),
    st.sampled_from(["bls", "general"]),
    st.integers(3, 4),
    st.sampled_from([2e7, 0]),
)
def test_matches_the_theorem_free_search_near_slot_boundaries(seed, case, models, dp_states):
    inst = slot_edge_instance(seed, case, models=models)
    r = run(inst, dp_states)
    check(r, search.best(inst, "slotted")[0])
    assert r.status is Status.OPTIMAL


@settings(max_examples=at_least(25), deadline=None)
@given(instances(users=6, models=(3, 4), layers=3, tight=True).filter(lambda i: i.I >= 3))
def test_matches_the_theorem_free_search_with_ties(inst):
    r = run(inst)
    check(r, search.best(inst, "slotted")[0])
    assert r.status is Status.OPTIMAL


@settings(max_examples=at_least(4), deadline=None)
@given(instances(users=(8, 10), models=(3, 4), layers=3, tight=True).filter(lambda i: i.I >= 3))
def test_matches_cpsat_batch_beyond_the_search(inst):
    ref = solve(inst, "cpsat-batch", semantics="slotted", time_limit=120)
    r = run(inst)
    assert r.status is Status.OPTIMAL
    if ref.status is Status.OPTIMAL:
        check(r, ref.served)
        assert r.served == ref.served


def test_a_wrong_answer_is_seen():
    inst = load_instance(REVISIT)
    r = run(inst)
    with pytest.raises(AssertionError):
        check(dataclasses.replace(r, bound=3), 4)  # a bound below the optimum
    with pytest.raises(AssertionError):
        check(dataclasses.replace(r, served=3), 4)  # 'optimal' below the optimum


def test_a_bound_below_a_known_run_is_an_error():
    inst = load_instance(REVISIT)

    def sub(comp, t, limit, hint):  # a 'proof' that no run serves anyone
        return segment_decomp.Sub(0, 0, [])

    with pytest.raises(RuntimeError, match="bound below a known run"):
        segment_decomp.solve_decomposed(inst, sub, solver="test", dp_states=0)


def test_positions_cover_zero_time_segments():
    inst = load_instance(REVISIT)
    comp = requested_components(inst)[0]
    assert max_positions(inst, comp, inst.T) <= sum(len(inst.users_of[i]) for i in comp)
    d = SegmentData(inst, [comp], inst.T)
    assert {row.family for row in d.rows()} >= {"seg_slots", "arc_in", "model_slots"}


def test_the_highs_twin_proves_the_same_optimum():
    inst = load_instance(REVISIT)
    r = solve(inst, "milp-segment", semantics="slotted", time_limit=60, dp_states=0)
    assert r.status is Status.OPTIMAL and r.served == 4 and r.bound == 4
    assert r.stats["component_solves"] > 0  # HiGHS proved it, not the visit-count DP


@settings(max_examples=at_least(8), deadline=None)
@given(st.integers(0, 10**6), st.sampled_from(["bls", "general"]))
def test_the_highs_twin_matches_the_theorem_free_search(seed, case):
    inst = slot_edge_instance(seed, case, models=3)
    r = solve(inst, "milp-segment", semantics="slotted", time_limit=60, dp_states=0)
    check(r, search.best(inst, "slotted")[0])
    assert r.status is Status.OPTIMAL


@pytest.mark.parametrize("fmt", ["mps", "lp"])
def test_the_exported_whole_model_round_trips_through_plain_highspy(tmp_path, fmt):
    import highspy

    from partialload_opt.partialloading.formulations.export import export_model, import_solution
    from partialload_opt.partialloading.schedule import evaluate

    inst = load_instance(REVISIT)
    path = export_model(inst, "milp-segment", "slotted", fmt, tmp_path / f"m.{fmt}")
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.readModel(str(path))
    h.run()
    # the conservative model rounds costs up to 10 ns units; here it keeps the optimum
    assert h.getInfo().objective_function_value == pytest.approx(4)
    h.writeSolution(str(tmp_path / "m.sol"), 0)
    sched = import_solution(
        inst, "milp-segment", tmp_path / "m.sol", tmp_path / f"m.{fmt}.names.json"
    )
    ev = evaluate(inst, sched, semantics="slotted")
    assert ev.feasible and ev.served == 4
