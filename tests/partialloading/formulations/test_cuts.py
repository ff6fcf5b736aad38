"""The valid inequalities and tightened big Ms of milp-compact ((C9), (C11)-(C13)) and the batch models
((B10), (B16), (B17)) never cut a schedule of the problem.

The direct test: the optimistic model (costs rounded down, deadline and slot up) is a relaxation, so
every schedule that the evaluator finds on time, written as the model's variables (``warm_values``),
must satisfy every row, old and new. That catches an invalid cut even where it does not change the
optimum. The indirect test: optima against dp-exact and the theorem-free search on small instances
with ties and deadlines on or just past slot boundaries."""

from __future__ import annotations

import pyomo.environ as pyo
from hypothesis import given, settings
from hypothesis import strategies as st

from partialload_opt import Status, solve
from partialload_opt.partialloading.claims import search
from partialload_opt.partialloading.formulations import milp_batch, milp_compact
from partialload_opt.partialloading.formulations.compact import CompactData
from partialload_opt.partialloading.generate import slot_edge_instance
from partialload_opt.partialloading.schedule import Schedule, evaluate
from partialload_opt.testing import at_least, instances, schedules

SEMANTICS = ("continuous", "slotted")


def broken_rows(m: pyo.ConcreteModel) -> list[str]:
    """Rows of ``m`` that its variables' current values break (tolerance far below one time unit)."""
    out = []
    for c in m.component_data_objects(pyo.Constraint, active=True):
        body = pyo.value(c.body)
        if (c.has_lb() and body < pyo.value(c.lower) - 1e-6) or (
            c.has_ub() and body > pyo.value(c.upper) + 1e-6
        ):
            out.append(f"{c.name}: {pyo.value(c.lower)} <= {body} <= {pyo.value(c.upper)}")
    return out


def load(m: pyo.ConcreteModel, values) -> None:
    for v, val in values.items():
        v.set_value(val, skip_validation=True)


def on_time(inst, sched: Schedule, semantics: str) -> bool:
    ev = evaluate(inst, sched, semantics=semantics)
    return ev.feasible and ev.served == sum(len(b.users) for b in sched.batches)


@settings(max_examples=at_least(60), deadline=None)
@given(st.data(), instances(users=6, models=3, layers=3, tight=True), st.sampled_from(SEMANTICS))
def test_every_schedule_on_time_satisfies_every_milp_batch_row(data, inst, semantics):
    sched = data.draw(schedules(inst))
    if not sched.batches or not on_time(inst, sched, semantics):
        return
    m = milp_batch.build_milp_batch(inst, semantics, optimistic=True, symmetry=False)
    batches = [
        (inst.model_index[b.model], [inst.user_index[u] for u in b.users]) for b in sched.batches
    ]
    load(m, milp_batch.warm_values(m, batches))
    assert broken_rows(m) == [], sched.to_dict()


@st.composite
def form_segments(draw, inst):
    """A Theorem-2-form schedule: per cluster, an ordered subset of its requested models, each with
    a count of its (ascending-p) users."""
    d = CompactData(inst)
    segs = []
    for members in d.clusters:
        order = draw(st.permutations(members))
        for i in order[: draw(st.integers(0, len(order)))]:
            segs.append((i, draw(st.integers(1, d.n(i)))))
    return segs


@settings(max_examples=at_least(60), deadline=None)
@given(st.data(), instances(users=7, models=4, layers=3, tight=True), st.sampled_from(SEMANTICS))
def test_every_form_schedule_on_time_satisfies_every_milp_compact_row(data, inst, semantics):
    if not inst.requested_models:
        return
    d = CompactData(inst)
    segs = data.draw(form_segments(inst))
    sched = Schedule.from_indices(inst, d.costs.schedule_batches(segs))
    if not segs or not on_time(inst, sched, semantics):
        return
    m = milp_compact.build_milp_compact(inst, semantics, data=d, optimistic=True)
    load(m, milp_compact.warm_values(m, segs))
    assert broken_rows(m) == [], segs


def check_optima(inst) -> None:
    for sem in SEMANTICS:
        free = search.best(inst, sem)[0]
        for name in ("milp-batch", "cpsat-batch"):
            r = solve(inst, name, semantics=sem, time_limit=60)
            assert r.status is Status.OPTIMAL and r.served == free, (name, sem, r.served, free)
        form = solve(inst, "dp-exact", semantics=sem, method="subsets")
        r = solve(inst, "milp-compact", semantics=sem, time_limit=60)
        assert r.served == form.served, (sem, r.served, form.served)


@settings(max_examples=at_least(25), deadline=None)
@given(instances(users=6, models=3, layers=3, tight=True))
def test_milp_optima_match_the_search_and_dp_exact_with_ties_and_tight_slots(inst):
    check_optima(inst)


@settings(max_examples=at_least(10), deadline=None)
@given(st.integers(0, 10**6), st.sampled_from(["bls", "general"]))
def test_milp_optima_match_the_search_and_dp_exact_near_slot_boundaries(seed, case):
    check_optima(slot_edge_instance(seed, case))
