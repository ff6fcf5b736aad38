"""Valid upper bounds on the users any schedule serves, cheap enough for ``solve`` to attach the best
of them to every answer (and to call an answer optimal when one meets its served count)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from partialload_opt.partialloading.instance import Instance
from partialload_opt.results import Unsupported

BOUND_MAX_STATES = 2e6
"""DP states the continuous-optimum bound may use (a few tenths of a second); beyond, it is skipped."""


@dataclass(frozen=True)
class Bound:
    """An upper bound on the users served by every schedule, and which argument gives it."""

    value: int
    source: str


def slot_knapsack(inst: Instance) -> int:
    """Slotted time: every segment of model i loads i's private blocks (held by no other requested
    model), and the users of i, however split into segments and batches, take at least serve_i(n)
    (the n smallest uploads, mu_i n, beta_i per full batch); so i's segments take at least
    ceil((V(private_i) + serve_i(n)) / slot) slots in all. The best knapsack of those costs in T."""
    from partialload_opt.partialloading.form_dp import knapsack
    from partialload_opt.partialloading.segments import prefix_slots, private_blocks

    tables = [
        prefix_slots(inst, i, private_blocks(inst, i)).astype(float) for i in inst.requested_models
    ]
    return knapsack(tables, float(inst.T))[0]


def continuous_bound(inst: Instance, deadline: Fraction) -> int | None:
    """The continuous-time optimum by ``deadline`` (Theorem 2's form is exact there), or None when
    the DP would be too large."""
    from partialload_opt.partialloading.form_dp import continuous_optimum

    try:
        return continuous_optimum(inst, deadline, BOUND_MAX_STATES)
    except Unsupported:
        return None


def cheap_bounds(inst: Instance, semantics: str) -> list[Bound]:
    """Every cheap valid bound for ``semantics``. A slotted schedule within T slots ends by T * slot in
    continuous time, so the continuous optimum with deadline T * slot bounds it; Proposition 1's split
    is never slower than another, so these bound every bandwidth rule."""
    out = [Bound(inst.K, "users (K)")]
    ex = inst.exact
    if semantics == "slotted":
        out.append(Bound(slot_knapsack(inst), "slot knapsack"))
        got = continuous_bound(inst, ex.T * ex.slot)
        if got is not None:
            out.append(Bound(got, "continuous optimum by T * slot"))
    else:
        got = continuous_bound(inst, ex.deadline)
        if got is not None:
            out.append(Bound(got, "continuous optimum"))
    return out


def best_bound(inst: Instance, semantics: str) -> Bound:
    """The smallest of ``cheap_bounds`` (computed once per instance and semantics)."""
    per_inst = inst.derived.setdefault("best_bound", {})
    key = str(semantics)
    if key not in per_inst:
        per_inst[key] = min(cheap_bounds(inst, semantics), key=lambda b: b.value)
    return per_inst[key]


@dataclass(frozen=True)
class Witness:
    """A schedule the evaluator found feasible, by the users it serves: the optimum is at least
    ``served``, so any bound below it is refuted (``solving.refute``)."""

    served: int
    source: str


def cheap_witness(inst: Instance, semantics: str, bandwidth) -> Witness | None:
    """greedy-paper's schedule (Algorithm 3, any instance, a fraction of a millisecond at the paper's
    scale) as the evaluator scores it in ``semantics`` (a slotted schedule on time is on time in
    continuous time too); computed once per instance, semantics and rule. None for a rule it does
    not take (explicit fractions)."""
    from partialload_opt.partialloading.algorithms.greedy_paper import greedy_segments
    from partialload_opt.partialloading.bandwidth import BandwidthRule
    from partialload_opt.partialloading.schedule import Schedule, evaluate
    from partialload_opt.partialloading.segments import SegmentCosts

    rule = BandwidthRule.parse(bandwidth)
    if rule.kind == "fractions" or not inst.requested_models:
        return None
    per_inst = inst.derived.setdefault("cheap_witness", {})
    key = (str(semantics), str(rule))
    if key not in per_inst:
        costs = SegmentCosts.of(inst, rule.spec, "paper")
        batches = costs.schedule_batches(greedy_segments(inst, costs))
        ev = evaluate(inst, Schedule.from_indices(inst, batches, rule.spec), semantics)
        per_inst[key] = Witness(ev.served, "greedy-paper") if ev.feasible else None
    return per_inst[key]
