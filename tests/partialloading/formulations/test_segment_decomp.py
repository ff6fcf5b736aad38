"""The decomposition of cpsat-segment (segment_decomp.py) one named step at a time: the brackets it
starts from, the point it picks, (D3), (D2), (D2)'s path and class split, a component solve, and the
answer; each step keeps lo <= f_c <= hi (the theorem-free search says f_c)."""

from __future__ import annotations

import numpy as np

from partialload_opt.partialloading.claims import search
from partialload_opt.partialloading.formulations.segment_decomp import (
    Decomposition,
    Step,
    Sub,
    max_plus,
)
from partialload_opt.partialloading.generate import slot_edge_instance
from partialload_opt.partialloading.instance import load_instance
from partialload_opt.results import Status

from conftest import INSTANCES

REVISIT = INSTANCES / "regression" / "slotted-revisit-beats-theorem2-form.json"


def never(comp, t, limit, hint):  # a sub-solver the step under test must not call
    raise AssertionError("no segment model expected here")


def decomposition(inst, sub=never, **kw) -> Decomposition:
    opts = dict(solver="test", time_limit=None, max_states=6e7, sub_time_limit=10.0,
                max_tries=None, dp_states=3e8)  # fmt: skip
    opts.update(kw)
    return Decomposition(inst, sub, None, **opts)


def brackets_hold(d: Decomposition, truth: int) -> None:
    T = d.T
    lo = max_plus([c.lo for c in d.comps], T)[0][T]
    hi = max_plus([c.hi for c in d.comps], T)[0][T]
    assert lo <= truth <= hi, (lo, truth, hi)


def gapped():
    """A general planted instance whose (D1) bracket is open somewhere the knapsack looks."""
    for seed in range(60):
        inst = slot_edge_instance(seed, "general", planted=True)
        d = decomposition(inst)
        if d.pick() is not None:
            return inst, d
    raise AssertionError("no instance with an open bracket")


def test_start_brackets_each_component_and_closes_the_nested_ones():
    for seed in range(8):
        for case in ("bls", "general"):
            inst = slot_edge_instance(seed, case, planted=True)
            d = decomposition(inst)
            brackets_hold(d, search.best(inst, "slotted")[0])
            for c in d.comps:
                assert (c.lo <= c.hi).all()
                if c.nested:
                    assert (c.lo == c.hi).all()


def test_pick_takes_an_open_point_of_the_upper_knapsack_not_yet_walked_first():
    inst, d = gapped()
    c, t = d.pick()
    assert c.gap(t) > 0 and t not in c.walked and not c.nested
    assert d.next_step(c, t) == d.walk


def test_walk_lowers_hi_at_the_budget_and_never_below_the_optimum():
    inst, d = gapped()
    truth = search.best(inst, "slotted")[0]
    c, t = d.pick()
    before = c.hi.copy()
    assert d.walk(c, t) == Step("walk_bounds")
    assert t in c.walked and (c.hi <= before).all()
    brackets_hold(d, truth)


def test_visit_dp_then_its_path_then_a_split_where_a_revisit_was_charged_too_little():
    inst = load_instance(REVISIT)  # the revisit pays: 4 served, the form 3
    d = decomposition(inst)
    c = d.comps[0]
    t = d.T
    assert d.visit_dp(c, t) == Step("visit_dp_solves") and c.visit.dp is not None
    brackets_hold(d, 4)
    classes = c.visit.classes
    assert d.try_path(c, t) == Step("visit_dp_paths")
    brackets_hold(d, 4)
    assert c.lo[t] == 4 or c.visit.classes != classes  # the revisit found, or finer classes


def test_solve_point_applies_a_proved_bound_and_stops_when_tries_are_used_up():
    inst, d0 = gapped()
    c, t = d0.pick()
    bound = int(c.lo[t])  # a sub-solver that "proves" lo[t]: the step's mechanics only
    calls = []

    def sub(comp, tt, limit, hint):
        calls.append(tt)
        return Sub(0, max(bound, c.lo[tt]), [], "fake", settled=True)

    d = decomposition(inst, sub, max_tries=1)
    c, t = d.pick()
    assert d.solve_point(c, t) == Step("component_solves") and calls == [t]
    assert c.hi[t] == max(bound, c.lo[t]) and t in c.settled
    assert d.solve_point(c, t) == Step("tries_used", stop=True)


def test_the_outcome_is_the_lo_knapsacks_schedule_with_the_hi_knapsacks_bound():
    for seed in range(6):
        inst = slot_edge_instance(seed, "bls", planted=True)
        d = decomposition(inst)
        d.run()
        out = d.outcome("optimal")
        truth = search.best(inst, "slotted")[0]
        assert out.claimed <= truth <= out.bound
        if out.status is Status.OPTIMAL:
            assert out.claimed == out.bound == truth
        assert np.all([(c.lo <= c.hi).all() for c in d.comps])
