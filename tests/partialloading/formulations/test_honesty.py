"""Status honesty of the exact models: optimal only when proved; time limits and rounding."""

from __future__ import annotations

import pyomo.environ as pyo
import pytest

from partialload_opt import Status, solve, solve_isolated
from partialload_opt.partialloading.formulations.compact import CompactData
from partialload_opt.partialloading.formulations.cpsat_compact import TIME_UNIT_S, CompactCpSat
from partialload_opt.partialloading.formulations.highs_run import proved, run_highs
from partialload_opt.partialloading.instance import (
    Block,
    Instance,
    LoadRates,
    Model,
    User,
    load_instance,
)

from conftest import INSTANCES, PAPER, handmade


def test_an_infeasible_model_is_an_error_not_an_exception():
    m = pyo.ConcreteModel()
    m.x = pyo.Var(domain=pyo.Binary)
    m.c = pyo.Constraint(expr=m.x >= 2)
    m.o = pyo.Objective(expr=m.x, sense=pyo.maximize)
    assert run_highs(m).status is Status.ERROR


def test_a_bound_that_rounds_down_to_the_incumbent_is_a_proof():
    assert proved(17.0, 17.9999) and not proved(17.0, 18.01) and not proved(None, 3.0)


def test_milp_batch_at_a_tight_time_limit_never_claims_an_unproved_optimum():
    inst = load_instance(next(p for p in PAPER if "fig9-bls" in p.name))
    r = solve(inst, "milp-batch", time_limit=0.5)
    assert r.status in (Status.OPTIMAL, Status.TIMEOUT)
    if r.status is Status.OPTIMAL:
        assert r.bound == r.served
    else:
        assert r.bound is None or r.bound >= r.served


def _nearly_at_the_deadline(extra_s: float) -> Instance:
    """One model, one user: load 1 ms + upload 1 ms + beta 1.00000005 ms; Tbar = that + extra."""
    m = Model("M", ("x",), 0.0, 0.00100000005, 0.0, 1.0)
    u = User("u", "M", 1000.0, 1.0)
    total = 0.001 + 0.001 + 0.00100000005
    return Instance(
        "tight",
        total + extra_s,
        0.001,
        1e6,
        10.0,
        LoadRates(2e6, 2e6),
        (Block("x", 1000.0),),
        (m,),
        (u,),
    )


def test_rounding_that_could_cut_the_optimum_is_reported_not_hidden():
    """The user is 5 ns late, less than the models' rounding: the conservative model serves nobody,
    the optimistic one serves the user but its schedule is late, so the models prove nothing and say
    so; solve's cheap bound (the continuous optimum, 0) then proves their answer, and says which."""
    inst = _nearly_at_the_deadline(-5e-9)
    assert solve(inst, "dp-exact").served == 0
    r = solve(inst, "cpsat")
    assert r.stats["rounding_could_matter"] is True and r.stats["optimistic_bound"] == 1
    assert r.served == 0 and r.status is Status.OPTIMAL and r.bound == 0
    assert r.proved_by == "bound: continuous optimum"
    # the HiGHS models are handed that bound: it proves their conservative answer without the
    # optimistic re-solve
    for name in ("milp-compact", "milp-batch"):
        r = solve(inst, name)
        assert r.served == 0 and r.status is Status.OPTIMAL and r.bound == 0, name
        assert "optimistic_bound" not in r.stats and "meets a valid bound" in r.stats["proof"], name


def test_an_optimum_hidden_by_rounding_is_proved_when_the_optimistic_schedule_is_on_time():
    """The user fits with 0.01 ns to spare: the conservative model serves nobody, the optimistic
    model (a relaxation) serves the user with a schedule the evaluator finds on time: proved."""
    inst = _nearly_at_the_deadline(1e-11)
    assert solve(inst, "dp-exact").served == 1
    r = solve(inst, "cpsat")
    assert r.status is Status.OPTIMAL and r.served == 1 and r.bound == 1
    assert r.stats["rounding_could_matter"] is False and "optimistic" in r.stats["proof"]
    for name in ("milp-compact", "milp-batch"):
        r = solve(inst, name)
        assert r.status is Status.OPTIMAL and r.served == 1 and "optimistic" in r.stats["proof"], (
            name
        )


def test_exact_units_need_no_second_solve():
    r = solve(handmade("h3-abc"), "cpsat")
    assert r.status is Status.OPTIMAL and r.stats["integer_time_exact"] is True
    assert "optimistic_bound" not in r.stats


def test_isolated_solve_returns_the_same_result_and_survives_a_hard_time_limit():
    inst = handmade("h3-abc")
    r = solve_isolated(inst, "cpsat", semantics="slotted")
    assert r.status is Status.OPTIMAL and r.served == 3
    big = load_instance(next(p for p in PAPER if "fig9-bls" in p.name))
    r = solve_isolated(big, "milp-batch", hard_timeout=0.5, symmetry=False)
    assert r.status is Status.TIMEOUT and "hard time limit" in r.message
    r = solve_isolated(inst, "cpsat", time_unit_s=0.0)  # a crash inside the solver
    assert r.status is Status.ERROR and "ZeroDivisionError" in r.message


@pytest.mark.parametrize("name", ["milp-compact", "cpsat"])
def test_warm_start_from_greedy_is_accepted(name):
    r = solve(handmade("h4-ascending-l"), name, semantics="slotted", warm_start="greedy-paper")
    assert r.status is Status.OPTIMAL and r.served == 3 and r.stats["warm_start"] == "greedy-paper"


def test_cpsat_slotted_uses_enforced_rows_where_unit_rounding_would_cross_a_slot_boundary():
    """Load 1.00000005 ms + upload 1 ms + beta 0.99999995 ms: exactly 3 ms, so 3 slots for the
    evaluator, but 4 if load and serve were each rounded up to 0.1 us units (10000.5 and 19999.5
    units); (K4a) must not be used for this model."""
    m = Model("M", ("x",), 0.0, 0.00099999995, 0.0, 1.0)
    inst = Instance(
        "slot-edge",
        0.003,
        0.001,
        1e6,
        10.0,
        LoadRates(2e6, 2e6),
        (Block("x", 1000.00005),),
        (m,),
        (User("u", "M", 1000.0, 1.0),),
    )
    assert solve(inst, "exhaustive", semantics="slotted").served == 1
    assert CompactCpSat(CompactData(inst), "slotted", TIME_UNIT_S).build().inexact_slot_models == 1
    r = solve(inst, "cpsat", semantics="slotted")
    assert r.status is Status.OPTIMAL and r.served == 1
    assert (
        CompactCpSat(CompactData(handmade("h3-abc")), "slotted", TIME_UNIT_S)
        .build()
        .inexact_slot_models
        == 0
    )


@pytest.mark.parametrize(
    "name", ["p1-deadline-on-batch-end-general", "p1-deadline-on-batch-end-bls", "p1-deadline-404s"]
)
def test_p1_scip_schedule_late_only_by_scip_tolerance_is_polished_and_said(name):
    pytest.importorskip("pyscipopt", reason="needs the [scip] extra")
    from partialload_opt.partialloading.bandwidth import optimal_split
    from partialload_opt.partialloading.formulations.p1_scip import _polish
    from partialload_opt.partialloading.schedule import Schedule, evaluate

    inst = load_instance(INSTANCES / "regression" / f"{name}.json")
    r = solve(inst, "p1-scip")
    assert r.status is Status.OPTIMAL and r.served == solve(inst, "dp-exact").served
    # SCIP's own split may or may not end 1e-9 s late (it depends on its search path): build one that
    # does, from the optimum, and see it polished to eq. (12)'s split
    best = solve(inst, "dp-exact").schedule
    batches = [
        (inst.model_index[b.model], [inst.user_index[u] for u in b.users]) for b in best.batches
    ]
    ev = evaluate(inst, best)
    slack, last_up = inst.deadline_s - ev.makespan_s, ev.batches[-1].upload_s
    shrink = 1 / (1 + (slack + 3e-9) / last_up)  # the last batch's band, late by 3e-9 s
    fractions = [list(optimal_split(inst.p[ks])) for _, ks in batches]
    fractions[-1] = [f * shrink for f in fractions[-1]]
    scip_like = Schedule.from_indices(inst, batches, {"fractions": fractions})
    assert not evaluate(inst, scip_like).feasible
    stats: dict = {}
    polished = _polish(inst, scip_like, batches, stats)
    assert "eq. (12)" in stats["polished"] and polished.bandwidth == "optimal"
    assert evaluate(inst, polished).served == r.served


def test_a_time_limit_reports_no_bound_from_the_conservative_model_when_units_are_inexact(
    monkeypatch,
):
    """The conservative (rounded-up) model's dual bound bounds the rounded problem, not the real one."""
    from partialload_opt.partialloading.formulations import highs_run
    from partialload_opt.rounding import Run, prove_with_rounding

    run, stats = prove_with_rounding(
        lambda optimistic: Run(Status.TIMEOUT, 3, 5), False, lambda a: None
    )
    assert run.bound is None and "bound_withheld" in stats
    run, _ = prove_with_rounding(lambda optimistic: Run(Status.TIMEOUT, 3, 5), True, lambda a: None)
    assert run.bound == 5  # exact units: the conservative model is the problem

    monkeypatch.setattr(
        highs_run, "run_highs", lambda m, **kw: highs_run.MipRun(Status.TIMEOUT, 3.0, 5.0, "", "")
    )
    got, _, stats = highs_run.run_with_rounding_check(lambda optimistic: None, False)
    assert got.bound is None and got.int_bound is None and "bound_withheld" in stats


def test_theorem2_form_solvers_report_no_form_bound_where_the_form_is_unproved_even_on_a_time_limit():
    """Their own bound is over the form only (3 here); the bound they carry is a cheap valid one."""
    inst = load_instance(INSTANCES / "regression" / "slotted-revisit-beats-theorem2-form.json")
    for name in ("cpsat", "milp-compact"):
        r = solve(inst, name, semantics="slotted", time_limit=1e-3)
        assert r.bound is not None and r.bound >= 4, (name, r.status, r.bound)
        assert r.bound_source != "solver", name


def _with_issue_27s_cut(inst):
    """milp-compact's slotted model with (C11) as it was before issue 27: float coefficients in slots
    (1.0000000009999999, ...) and a slack of 5e-7 slot, which HiGHS's presolve, at tolerances of 1e-9,
    reduced to a wrong optimum of 1 (the optimum is 2)."""
    from partialload_opt.partialloading.formulations.milp_compact import build_milp_compact

    d = CompactData(inst, "optimal")
    m = build_milp_compact(inst, "slotted", "optimal", d)
    m.slot_time_cut.deactivate()
    slot = inst.slot_s

    def old_cut(m, i):
        load_in = sum(d.load(j, ii) / slot * m.arc[c, j, ii] for (c, j, ii) in m.ARCS if ii == i)
        serve = sum(
            (d.serve(i, k) - d.serve(i, k - 1)) / slot * m.cnt[i, k] for k in range(1, d.n(i) + 1)
        )
        return m.s[i] >= load_in + serve - 1e-7 * (inst.T + 1)

    m.old_cut = pyo.Constraint(m.MODELS, rule=old_cut)
    return m


def test_a_highs_optimum_that_depends_on_a_tolerance_is_not_a_proof():
    inst = load_instance(INSTANCES / "regression" / "false-optimal-bls-2.json")
    alone = run_highs(_with_issue_27s_cut(inst), second_opinion=False)
    assert alone.status is Status.OPTIMAL and alone.incumbent == 1  # HiGHS's wrong proof
    checked = run_highs(_with_issue_27s_cut(inst))
    assert checked.status is Status.FEASIBLE and checked.bound is None
    assert "depends on a tolerance" in checked.proof


def test_milp_compacts_cut_has_no_near_integer_coefficient_and_no_tiny_right_hand_side():
    from pyomo.repn import generate_standard_repn

    from partialload_opt.partialloading.formulations.milp_compact import build_milp_compact

    inst = load_instance(INSTANCES / "regression" / "false-optimal-bls-2.json")
    m = build_milp_compact(inst, "slotted", "optimal")
    for row in m.slot_time_cut.values():
        repn = generate_standard_repn(row.body - row.upper)
        assert repn.constant == 0
        for coef in repn.linear_coefs:
            assert coef * 10**6 == round(coef * 10**6)  # on the 1e-6 grid


@pytest.mark.parametrize("name", ["cpsat-batch", "cpsat"])
def test_cp_sat_is_safe_from_the_presolve_overflow_of_or_tools_9_15(name):
    """A 26 s slot in 10 ns units: Boolean terms of an enforced row sum past 2^31, OR-Tools 9.15's
    presolve wrapped the sum and cpsat-batch proved 2 where 4 are served (cpsat_run.py)."""
    inst = load_instance(INSTANCES / "regression" / "cpsat-presolve-overflow.json")
    r = solve(inst, name, semantics="slotted")
    assert r.status is Status.OPTIMAL and r.served == 4 and r.bound == 4


def test_milp_compact_at_a_209_s_horizon_proves_the_optimum_on_time():
    """Found by benchmarks/false_proofs.py (near_boundary_instance(1325, "nested"), continuous): the
    optimum is 2; with 10 ns units (2e10 at this deadline) milp-compact's schedule ended 1.02e-10 s
    after the deadline (the evaluator made it an `error`). In milp_compact.time_unit's units (the
    deadline below 1e7) it proves 2 with a schedule the evaluator finds on time."""
    from partialload_opt.partialloading.formulations.milp_compact import (
        MAX_HORIZON_UNITS,
        time_unit,
    )

    inst = load_instance(INSTANCES / "regression" / "milp-compact-late-by-1e-10.json")
    assert inst.deadline_s / time_unit(inst) <= MAX_HORIZON_UNITS
    for name in ("cpsat", "dp-exact", "milp-batch", "milp-compact"):
        r = solve(inst, name, semantics="continuous")
        assert r.status is Status.OPTIMAL and r.served == 2, (name, r.status, r.served, r.message)
