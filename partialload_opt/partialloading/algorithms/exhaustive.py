"""The paper's exhaustive-search baseline: every model order and per-model user count in Theorem-2
form (ordered subsets of requested models x counts), either semantics. Guarded by a search-space
limit; its running time is what Fig. 9's speed-ups are measured against."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np

from partialload_opt.partialloading.instance import Instance
from partialload_opt.partialloading.options import RunOptions
from partialload_opt.partialloading.results import Outcome, Status, Unsupported
from partialload_opt.partialloading.schedule import Schedule
from partialload_opt.partialloading.segments import SegmentCosts
from partialload_opt.partialloading.timebase import classify


def search_space(inst: Instance) -> int:
    """Number of (order, counts) candidates: sum over ordered subsets S of prod_{i in S} n_i."""
    n = [len(inst.users_of[i]) for i in inst.requested_models]
    # elementary symmetric polynomials e_s(n), times s! orderings
    e = [1] + [0] * len(n)
    for x in n:
        for s in range(len(n), 0, -1):
            e[s] += e[s - 1] * x
    return sum(math.factorial(s) * e[s] for s in range(1, len(n) + 1))


def solve_exhaustive(inst: Instance, opts: RunOptions) -> Outcome:
    """Exhaustive search over model orders and per-model counts (the paper's baseline)."""
    semantics, bandwidth = opts.semantics, opts.bandwidth
    max_candidates = opts["max_candidates"]
    size = search_space(inst)
    if size > max_candidates:
        raise Unsupported(
            "exhaustive",
            "max_candidates",
            f"search space {size:.3g} candidates > max_candidates = {max_candidates:.3g}",
        )
    costs = SegmentCosts.of(inst, bandwidth, "optimal")
    slotted = semantics == "slotted"
    models = list(inst.requested_models)
    best_u, best_plan = 0, []
    for s in range(1, len(models) + 1):
        for order in itertools.permutations(models, s):
            total = np.zeros(())
            count = np.zeros((), dtype=np.int64)
            prev = -1
            for i in order:  # broadcast one axis per model: k_i = 1..n_i
                c = (costs.segment_slots(prev, i) if slotted else costs.segment_times(prev, i))[1:]
                total = total[..., None] + c
                count = count[..., None] + np.arange(1, len(c) + 1)
                prev = i
            ok = total <= inst.T if slotted else _on_time(costs, order, total, inst)
            if ok.any():
                masked = np.where(ok, count, -1)
                idx = np.unravel_index(int(masked.argmax()), masked.shape)
                if masked[idx] > best_u:
                    best_u = int(masked[idx])
                    best_plan = [(i, int(k) + 1) for i, k in zip(order, idx)]
    sched = Schedule.from_indices(
        inst, costs.schedule_batches(best_plan), bandwidth, {"solver": "exhaustive"}
    )
    return Outcome(sched, Status.OPTIMAL, claimed=best_u, bound=best_u, stats={"candidates": size})


def _on_time(costs: SegmentCosts, order, total: np.ndarray, inst: Instance) -> np.ndarray:
    """total <= Tbar on the exact times: the floats decide, but for candidates too close to call."""
    ok, undecided = classify(total, inst.deadline_s)
    for idx in zip(*np.nonzero(undecided)):
        prevs = (-1, *order[:-1])
        exact = sum(
            (costs.segment_time_exact(p, i, int(k) + 1) for p, i, k in zip(prevs, order, idx)),
            Fraction(0),
        )
        ok[idx] = exact <= inst.exact.deadline
    return ok
