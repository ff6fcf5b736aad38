"""qpart-milp on wide and sparse bit sets: its budget row in whole noise units stays exact where a row
divided by C_A spans more than 1e15 (HiGHS once ended with every partition variable at 0); the exact
solvers agree with brute force, status and objective, with no 'error'."""

from __future__ import annotations

import dataclasses
import math

import pytest
from hypothesis import given, settings

from partialload_opt.qpart import solve
from partialload_opt.qpart.generate import digits, generate
from partialload_opt.testing import QPART_WIDE_BITS, at_least, qpart_instances

EXACT = ("qpart-milp", "qpart-cpsat", "qpart-pareto")


def agree_with_brute(inst) -> None:
    brute = solve(inst, "qpart-brute")
    assert brute.status.value in ("optimal", "infeasible"), brute.message
    for name in EXACT:
        if name == "qpart-pareto" and inst.device.memory_bits is not None:
            continue  # pareto refuses a memory limit
        r = solve(inst, name)
        assert r.status is brute.status, (name, r.status, r.message, r.stats, brute.status)
        if brute.objective is not None:
            assert math.isclose(r.objective, brute.objective, rel_tol=1e-9, abs_tol=1e-15)
            assert r.evaluation.feasible


@settings(max_examples=at_least(40), deadline=None)
@given(qpart_instances(layers=3, wide=True))
def test_exact_solvers_agree_with_brute_force_on_wide_and_sparse_bit_sets(inst):
    agree_with_brute(inst)


@pytest.mark.parametrize("bits", QPART_WIDE_BITS)
@pytest.mark.parametrize("budget", [1e-12, 1e-6, None, 1e3])
@pytest.mark.parametrize("memory", [None, 5000.0])
def test_the_issue_s_bit_sets_and_budgets_on_a_generated_network(bits, budget, memory):
    inst = generate("random", 1, layers=3, price_per_s=100.0)
    device = dataclasses.replace(inst.device, memory_bits=memory)
    agree_with_brute(
        dataclasses.replace(
            inst, bits=bits, budget=inst.budget if budget is None else budget, device=device
        )
    )


@pytest.mark.parametrize("bits", [(2, 28), (1, 2, 3, 4, 16, 32), (2, 4, 8, 16, 32), (1,)])
def test_a_budget_of_1e_minus_15_on_the_trained_network_is_solved_not_an_error(bits):
    """The trained network's sensitivities (hundreds) over C_A = 1e-15: coefficients beyond 1e17."""
    inst = dataclasses.replace(digits(0.01, 300.0), bits=bits, budget=1e-15)
    milp, pareto = solve(inst, "qpart-milp"), solve(inst, "qpart-pareto")
    assert milp.status is pareto.status, (milp.status, milp.message, milp.stats)
    if pareto.objective is not None:
        assert math.isclose(milp.objective, pareto.objective, rel_tol=1e-9)
