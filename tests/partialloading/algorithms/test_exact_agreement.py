"""dp-exact = exhaustive (both semantics, both bandwidth rules) on the shipped small instances and on
hypothesis instances; exhaustive = the theorem-free brute force on tiny ones."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from partialload_opt import Status, solve
from partialload_opt.testing import at_least, instances

from bruteforce import brute_force


def _agree(inst, semantics, bandwidth="optimal"):
    a = solve(inst, "dp-exact", semantics=semantics, bandwidth=bandwidth)
    b = solve(inst, "exhaustive", semantics=semantics, bandwidth=bandwidth)
    # both are exact over Theorem 2's form; 'optimal' for the problem only where that form is proved
    assert a.optimal_over is not None and b.optimal_over is not None, (a.message, b.message)
    assert a.status is b.status
    assert a.served == b.served, (inst.name, semantics, a.schedule, b.schedule)
    return a.served


@pytest.mark.parametrize("semantics", ["continuous", "slotted"])
def test_dp_exact_equals_exhaustive_on_every_small_instance(small_instance, semantics):
    _agree(small_instance, semantics)
    _agree(small_instance, semantics, "equal:2")


def test_chain_dp_equals_subset_dp_on_bls_small_instances(small_instance):
    if not small_instance.is_bls:
        pytest.skip("the chain DP is for BLS instances")
    a = solve(small_instance, "dp-exact", method="chain")
    b = solve(small_instance, "dp-exact", method="subsets")
    assert a.served == b.served and a.status is b.status is Status.OPTIMAL


@settings(max_examples=at_least(200))
@given(instances(users=7, models=3))
def test_dp_exact_equals_exhaustive_on_generated_instances(inst):
    for semantics in ("continuous", "slotted"):
        _agree(inst, semantics)


@settings(max_examples=at_least(60))
@given(instances(users=5, models=2, layers=2))
def test_exhaustive_equals_the_theorem_free_brute_force(inst):
    for semantics in ("continuous", "slotted"):
        assert solve(inst, "exhaustive", semantics=semantics).served == brute_force(inst, semantics)


@settings(max_examples=at_least(25))
@given(instances(users=5, models=2, layers=2))
def test_equal_bandwidth_exact_solvers_equal_the_brute_force(inst):
    """Equal split (r = 2): the DP's batching puts the partial batch at the small-p end."""
    assert _agree(inst, "continuous", "equal:2") == brute_force(inst, "continuous", "equal:2")
