"""The theorem-free search equals the brute force kept in the tests, and finds violating optima."""

from __future__ import annotations

from hypothesis import given, settings

from partialload_opt.schedule import Schedule, evaluate
from partialload_opt.verify import search
from partialload_opt.verify.properties import thm2_1_holds

from bruteforce import brute_force
from conftest import handmade
from strategies import at_least, instances


@settings(max_examples=at_least(60))
@given(instances(max_users=5, max_models=2, max_layers=2))
def test_search_optimum_equals_the_brute_force_and_its_schedule_scores_it(inst):
    for semantics in ("continuous", "slotted"):
        value, batches = search.best(inst, semantics)
        assert value == brute_force(inst, semantics)
        ev = evaluate(inst, Schedule.from_indices(inst, [(i, list(ks)) for i, ks in batches]), semantics=semantics)
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
