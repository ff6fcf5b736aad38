"""The visit-count DP (D2) against the theorem-free search, near slot boundaries, with ties, three or
four models: its knapsack over components never falls below the slotted optimum in any classes, and
equals it with a class per user (then every charge is exact); it is attained where its path visits each
model once, and it finds the revisit that pays."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partialload_opt.partialloading.claims import search
from partialload_opt.partialloading.formulations.segment_decomp import max_plus
from partialload_opt.partialloading.formulations.segment_rows import segment_slots_exact
from partialload_opt.partialloading.formulations.visit_dp import one_class, split_widest, visit_dp
from partialload_opt.partialloading.generate import slot_edge_instance
from partialload_opt.partialloading.instance import load_instance
from partialload_opt.partialloading.segments import requested_components
from partialload_opt.testing import at_least, instances

from conftest import INSTANCES

REVISIT = INSTANCES / "regression" / "slotted-revisit-beats-theorem2-form.json"


def dp_bound(inst, classes=one_class) -> tuple[int, list]:
    """(D2)'s knapsack over the components within T slots, and each component's DP."""
    dps = [
        visit_dp(inst, comp, inst.T, classes=classes(inst, comp))
        for comp in requested_components(inst)
    ]
    assert all(dp is not None for dp in dps)
    return int(max_plus([dp.table(inst.T) for dp in dps], inst.T)[0][inst.T]), dps


def split_once(inst, comp):
    """One split: the widest upload gap of the component."""
    return split_widest(inst, one_class(inst, comp), comp)


def per_user(inst, comp):
    return {i: (1,) * len(inst.users_of[i]) for i in comp}


def check(inst) -> None:
    """The bound is valid in coarse and split classes and exact per user; a path within T slots that
    visits each model once is a run the table promises."""
    free = search.best(inst, "slotted")[0]
    bound, dps = dp_bound(inst)
    assert bound >= dp_bound(inst, split_once)[0] >= free, (bound, free)
    assert dp_bound(inst, per_user)[0] == free
    for dp in dps:
        segs = dp.path(inst.T)
        models = [i for i, _ in segs]
        if len(models) == len(set(models)):
            assert not segs or segment_slots_exact(inst, segs) <= inst.T
            assert sum(len(ks) for _, ks in segs) == dp.table(inst.T)[inst.T]


@settings(max_examples=at_least(60), deadline=None)
@given(st.integers(0, 10**6), st.sampled_from(["bls", "general"]), st.integers(3, 4))
def test_bounds_the_theorem_free_optimum_near_slot_boundaries(seed, case, models):
    check(slot_edge_instance(seed, case, models=models))


@settings(max_examples=at_least(40), deadline=None)
@given(instances(users=6, models=(3, 4), layers=3, tight=True).filter(lambda i: i.I >= 3))
def test_bounds_the_theorem_free_optimum_with_ties(inst):
    check(inst)


def test_finds_the_revisit_that_pays():
    inst = load_instance(REVISIT)
    bound, dps = dp_bound(inst)
    assert bound == search.best(inst, "slotted")[0] == 4
    (dp,) = dps
    segs = dp.path(inst.T)
    models = [i for i, _ in segs]
    assert len(models) > len(set(models))
    assert segment_slots_exact(inst, segs) <= inst.T and sum(len(ks) for _, ks in segs) == 4


def test_a_wrong_table_is_seen(monkeypatch):
    """A DP that overcharges each visit by one slot bounds below the optimum: the check fails."""
    from partialload_opt.partialloading.formulations import visit_dp as module

    real = module.ceil_ratio
    monkeypatch.setattr(module, "ceil_ratio", lambda a, b: real(a, b) + 1)
    with pytest.raises(AssertionError):
        check(load_instance(REVISIT))


def test_stops_when_asked():
    inst = load_instance(REVISIT)
    (comp,) = requested_components(inst)
    assert visit_dp(inst, comp, inst.T, stop_at=0.0) is None
    assert np.all(visit_dp(inst, comp, inst.T).table(inst.T) >= 0)
