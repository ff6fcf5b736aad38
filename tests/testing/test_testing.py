"""partialload_opt.testing: the strategies draw what they promise, the assertions can fail, and the
pytest plugin's fixtures reach a user's test file."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from partialload_opt import Schedule, load_instance, register_solver, solve
from partialload_opt.registry import unregister_solver
from partialload_opt.testing import (
    assert_feasible,
    assert_optimal,
    at_least,
    exact_optimum,
    instances,
    schedules,
)

from conftest import INSTANCES

pytest_plugins = ["pytester"]


@settings(max_examples=at_least(60))
@given(
    instances(users=(2, 5), models=(2, 3), layers=2, ties=False, tight=True).flatmap(
        lambda i: schedules(i).map(lambda s: (i, s))
    )
)
def test_instances_and_schedules_keep_their_promises(pair):
    inst, sched = pair
    assert 2 <= inst.K <= 5 and 2 <= inst.I <= 3 and inst.T <= 7
    seen = [u for b in sched.batches for u in b.users]
    assert len(seen) == len(set(seen))
    for b in sched.batches:
        i = inst.model_index[b.model]
        assert 1 <= len(b.users) <= inst.b_max[i]
        assert all(inst.users[inst.user_index[u]].model == b.model for u in b.users)


@settings(max_examples=at_least(40))
@given(instances(case="bls", users=5, models=2))
def test_an_exact_solver_passes_assert_optimal(inst):
    assert_optimal(
        inst, "dp-exact", "slotted"
    )  # BLS: Theorem 2's form is proved, dp-exact is exact


def test_assert_optimal_and_assert_feasible_fail_on_a_wrong_answer():
    inst = load_instance(INSTANCES / "handmade" / "h3-abc.json")

    @register_solver("drop-last-batch", problem="partialload", semantics=("slotted",))
    def drop(instance, *, semantics, time_limit=None):
        return Schedule(solve(instance, "dp-exact", semantics=semantics).schedule.batches[:-1])

    try:
        with pytest.raises(AssertionError, match=r"drop-last-batch serves \d+, the optimum is"):
            assert_optimal(inst, "drop-last-batch", "slotted")
    finally:
        unregister_solver("drop-last-batch")
    h1 = load_instance(INSTANCES / "handmade" / "h1-batching.json")
    with pytest.raises(AssertionError, match="h1-batching.*b_max"):
        assert_feasible(h1, Schedule([("M", ("u1", "u2", "u3"))]), "slotted")  # b_max = 2
    assert exact_optimum(inst, "continuous") == solve(inst, "dp-exact").served


def test_the_pytest_plugin_gives_a_user_s_test_file_the_fixtures(pytester):
    pytester.makepyfile(f"""
        from partialload_opt import load_instance, solve

        def test_uses_fixtures(exact_optimum, ground_truth):
            inst = load_instance({str(INSTANCES / "handmade" / "h3-abc.json")!r})
            assert exact_optimum(inst, "slotted") == solve(inst, "dp-exact", semantics="slotted").served
            assert ground_truth(inst).optimum("continuous")[0] == exact_optimum(inst, "continuous")
    """)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
