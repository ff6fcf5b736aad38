"""greedy-ls tested with partialload-opt's own property-testing tools."""

from pathlib import Path

import partialload_greedy_ls  # noqa: F401 - registers greedy-ls (installed, the entry point does it too)
from hypothesis import given, settings

from partialload_opt import load_instance, solve
from partialload_opt.testing import assert_feasible, assert_optimal, instances


@settings(max_examples=40, deadline=None)
@given(instances(users=6, models=3))
def test_greedy_ls_is_feasible_and_never_below_the_paper_s_greedy(inst):
    mine = solve(inst, "greedy-ls", semantics="slotted")
    assert_feasible(inst, mine, "slotted")
    assert mine.served >= solve(inst, "greedy-paper", semantics="slotted").served


@settings(max_examples=40, deadline=None)
@given(instances(users=6, models=1, tight=True))
def test_greedy_ls_is_optimal_with_one_model(inst):
    # Algorithm 3 takes the best users-per-slot ratio and may stop short; growing the segment cannot
    assert_optimal(inst, "greedy-ls", "slotted")


def test_it_reaches_the_optimum_of_the_three_model_example(exact_optimum):
    inst = load_instance(
        Path(__file__).with_name("h3-abc.json")
    )  # exact_optimum: partialload-opt's pytest plugin
    for semantics in ("continuous", "slotted"):
        assert solve(inst, "greedy-ls", semantics=semantics).served == exact_optimum(
            inst, semantics
        )
