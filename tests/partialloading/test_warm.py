"""partialload_opt/partialloading/warm.py: the warm start solve computes -- feasible, from the solver
asked for or the first of 'auto' that applies, None where none applies."""

from __future__ import annotations

from partialload_opt import evaluate, load_instance
from partialload_opt.partialloading.warm import warm_schedule

from conftest import INSTANCES, SMALL, handmade


def test_auto_gives_a_feasible_schedule_in_either_semantics():
    for path in SMALL[:4]:
        inst = load_instance(path)
        for semantics in ("continuous", "slotted"):
            s = warm_schedule(inst, "auto", semantics, "optimal")
            assert s is not None and evaluate(inst, s, semantics=semantics).feasible


def test_a_named_solver_that_cannot_handle_the_instance_gives_none():
    general = next(i for i in map(load_instance, SMALL) if not i.is_bls)
    assert not general.is_bls
    assert warm_schedule(general, "dp-paper", "slotted", "optimal") is None  # BLS only
    assert warm_schedule(general, "greedy-paper", "slotted", "optimal") is not None


def test_a_continuous_warm_start_from_a_slotted_heuristic_is_feasible():
    inst = handmade("h4-ascending-l")
    s = warm_schedule(inst, "greedy-paper", "continuous", "optimal", time_limit=5.0)
    assert s is not None and evaluate(inst, s, semantics="continuous").feasible
    assert (INSTANCES / "handmade" / "h4-ascending-l.json").is_file()
