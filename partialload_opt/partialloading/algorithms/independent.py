"""Independent Loading (Remark 4): the paper's DP on the Independent view, where nothing is shared."""

from __future__ import annotations

from partialload_opt.partialloading.algorithms.dp_paper import backtrack, dp_paper_tables
from partialload_opt.partialloading.instance import Instance
from partialload_opt.partialloading.options import RunOptions
from partialload_opt.partialloading.results import Outcome, Status
from partialload_opt.partialloading.schedule import Schedule, evaluate
from partialload_opt.partialloading.segments import SegmentCosts


def solve_independent(inst: Instance, opts: RunOptions) -> Outcome:
    """Independent Loading baseline: Algorithm 2 without parameter sharing (scored unshared)."""
    semantics, bandwidth = opts.semantics, opts.bandwidth
    view = inst.independent_view()
    costs = SegmentCosts.of(view, bandwidth, "paper")
    tables, f = dp_paper_tables(view, costs)
    segments = backtrack(view, costs, tables, f)
    sched = Schedule.from_indices(
        inst, costs.schedule_batches(segments), bandwidth, {"solver": "independent"}
    )
    with_sharing = evaluate(inst, sched, semantics=semantics).served
    return Outcome(
        sched,
        Status.FEASIBLE,
        claimed=int(f[-1, -1]),
        stats={"served_with_sharing": with_sharing},
        loading="independent",
    )
