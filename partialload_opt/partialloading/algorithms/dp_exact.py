"""dp-exact (ours): an exact DP over Theorem-2-form schedules, in continuous or slotted time
(form_dp.py: the chain DP for BLS in continuous time, the subset DP otherwise, a knapsack across
clusters). The derivation and the proof that ascending l_i is optimal in continuous time:
formulations/dp-exact.md."""

from __future__ import annotations

from partialload_opt.partialloading.form_dp import best_form
from partialload_opt.partialloading.instance import Instance
from partialload_opt.partialloading.options import RunOptions
from partialload_opt.partialloading.results import Outcome, Status, Unsupported
from partialload_opt.partialloading.schedule import Schedule
from partialload_opt.partialloading.segments import SegmentCosts


def solve_dp_exact(inst: Instance, opts: RunOptions) -> Outcome:
    """Exact DP (ours): chain DP for BLS in continuous time, subset DP otherwise; proves optimality."""
    semantics, bandwidth = opts.semantics, opts.bandwidth
    method, max_states = opts["method"], opts["max_states"]
    costs = SegmentCosts.of(inst, bandwidth, "optimal")
    use_chain = method == "chain" or (
        method == "auto" and inst.is_bls and semantics == "continuous"
    )
    monotone = method == "ascending-l"
    if (use_chain or monotone) and not inst.is_bls:
        raise Unsupported("dp-exact", "method", "the chain DP needs a BLS instance")
    # In slotted time the chain DP (ties by id) and the ascending-l subset DP (ties in any order)
    # are optima over restricted orders only (cor1 checks what that loses): not reported as proved.
    proved = not ((use_chain or monotone) and semantics == "slotted")
    groups = inst.cluster_order if use_chain else inst.clusters
    u, segments, clusters = best_form(
        inst, costs, semantics, groups, use_chain, monotone, max_states, inst.exact.deadline
    )
    sched = Schedule.from_indices(
        inst, costs.schedule_batches(segments), bandwidth, {"solver": "dp-exact"}
    )
    stats = {"method": "chain" if use_chain else "subsets", "clusters": clusters}
    if monotone:
        stats["method"] = "subsets, ascending l_i"
    status = Status.OPTIMAL if proved else Status.FEASIBLE
    restricted = None if proved else "ascending l_i inside clusters"
    return Outcome(
        sched, status, claimed=u, bound=u if proved else None, stats=stats, restricted=restricted
    )
