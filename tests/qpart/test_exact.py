"""QPART's exact solvers agree with each other and with brute force on every instance small enough
for it; the closed form is never below the optimum; an infeasible budget is 'infeasible' everywhere."""

from __future__ import annotations

import math

from hypothesis import given, settings

from partialload_opt.qpart import solve
from partialload_opt.qpart.generate import generate
from partialload_opt.testing import at_least, qpart_instances

EXACT = ("qpart-brute", "qpart-milp", "qpart-cpsat")


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-15)


@settings(max_examples=at_least(60))
@given(qpart_instances(layers=3, bits=5))
def test_exact_solvers_agree_with_brute_force(inst):
    brute = solve(inst, "qpart-brute")
    assert brute.status.value in ("optimal", "infeasible"), brute.message
    others = [solve(inst, name) for name in EXACT[1:]]
    if inst.device.memory_bits is None:
        others.append(solve(inst, "qpart-pareto"))
    for r in others:
        assert r.status is brute.status, (r.solver, r.status, r.message, brute.status)
        if brute.objective is not None:
            assert close(r.objective, brute.objective), (r.solver, r.objective, brute.objective)
            assert r.evaluation.feasible


@settings(max_examples=at_least(60))
@given(qpart_instances(layers=3, bits=5, memory=False))
def test_the_closed_form_is_never_below_the_optimum_and_infeasible_only_when_nothing_fits(inst):
    best = solve(inst, "qpart-pareto")
    for rounding in ("ceil", "nearest-repair"):
        r = solve(inst, "closed-form", rounding=rounding)
        assert r.status.value != "error", r.message
        if best.objective is None:
            assert r.objective is None and r.status.value == "infeasible"
        elif r.objective is not None:
            assert r.objective >= best.objective * (1 - 1e-12)


def test_the_rounded_closed_form_loses_to_the_exact_optimum_on_generated_networks():
    """qpart-model.md section 9.4, K3: ceil is feasible but not optimal in general."""
    losses = 0
    for seed in range(20):
        inst = generate("random", seed, layers=4, price_per_s=500.0)
        exact, closed = solve(inst, "qpart-pareto"), solve(inst, "closed-form")
        assert closed.objective >= exact.objective * (1 - 1e-12)
        losses += closed.objective > exact.objective * (1 + 1e-9)
    assert losses >= 10


def test_the_mlp_at_the_paper_s_scale_all_exact_solvers_agree():
    inst = generate("mlp", 1, price_per_s=300.0)  # an interior partition point is optimal here
    results = [solve(inst, name) for name in ("qpart-pareto", *EXACT)]
    assert all(r.status.value == "optimal" for r in results), [r.message for r in results]
    assert all(close(r.objective, results[0].objective) for r in results)
    assert 0 < results[0].decision.partition < inst.L


def test_the_pruned_pareto_dp_agrees_with_the_milp_and_cp_sat_on_long_networks():
    """Beyond PRUNE_FROM_GROUPS groups the DP prunes by a closed-form payload and Lagrangian bounds."""
    from partialload_opt.qpart.exact import PRUNE_FROM_GROUPS

    for seed in range(8):
        inst = generate(
            "random", seed, layers=PRUNE_FROM_GROUPS + 4, price_per_s=float(10 ** (seed % 4))
        )
        rs = [solve(inst, name) for name in ("qpart-pareto", "qpart-milp", "qpart-cpsat")]
        assert all(r.status.value == "optimal" for r in rs), [r.message for r in rs]
        assert all(close(r.objective, rs[0].objective) for r in rs), [r.objective for r in rs]
