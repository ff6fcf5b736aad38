"""PartialLoading Gen: the paper's Algorithm 3 (eqs. (22)-(23)), transcribed literally."""

from __future__ import annotations

import numpy as np

from partialload_opt.partialloading.instance import Instance
from partialload_opt.partialloading.options import RunOptions
from partialload_opt.partialloading.results import Outcome, Status
from partialload_opt.partialloading.schedule import Schedule
from partialload_opt.partialloading.segments import SegmentCosts, max_users_within


def greedy_segments(inst: Instance, costs: SegmentCosts) -> list[tuple[int, int]]:
    """Algorithm 3's (model, k) segments, computed once per instance and segment-cost rule (the
    solver and the witness that ``solve`` tests bounds against share them)."""
    key = ("greedy-paper", id(costs))
    got = inst.derived.get(key)
    if got is None or got[0] is not costs:
        got = inst.derived[key] = (costs, _greedy(inst, costs))
    return list(got[1])


def _greedy(inst: Instance, costs: SegmentCosts) -> list[tuple[int, int]]:
    """Algorithm 3: repeatedly take the (model, tau) with the most users served per slot."""
    T = inst.T
    remaining = list(range(inst.I))  # I' = I (line 1)
    tau_used, prev = 0, -1  # tau' = 0, i' = 0 (nothing loaded)
    segments: list[tuple[int, int]] = []
    while tau_used < T:  # line 2
        if not remaining:  # lines 3-5
            break
        taus = np.arange(1, T - tau_used + 1)  # tau in (0, T - tau']
        best: tuple[float, int | None, int, int] = (0.0, None, 0, 0)  # v, i*, tau*, k*
        for i in remaining:  # line 6: argmax over i in I', tau (first maximum in scan order)
            phi_slots = costs.segment_slots(prev, i)  # eq. (23), in whole slots
            k = np.maximum(max_users_within(phi_slots, taus), 0)
            v = k / taus  # eq. (22)
            j = int(np.argmax(v))
            if v[j] > best[0]:
                best = (float(v[j]), i, int(taus[j]), int(k[j]))
        _, i_found, tau_star, k_star = best  # line 10: k* = v * tau*
        if i_found is None:  # lines 7-9: i* does not exist
            break
        i_star: int = i_found
        segments.append((i_star, k_star))  # lines 11-15
        prev = i_star  # line 16
        remaining.remove(i_star)
        tau_used += tau_star
    return segments


def solve_greedy_paper(inst: Instance, opts: RunOptions) -> Outcome:
    """PartialLoading Gen (Algorithm 3): greedy by users served per slot, any instance."""
    bandwidth = opts.bandwidth
    costs = SegmentCosts.of(inst, bandwidth, "paper")
    segments = greedy_segments(inst, costs)
    sched = Schedule.from_indices(
        inst, costs.schedule_batches(segments), bandwidth, {"solver": "greedy-paper"}
    )
    return Outcome(
        sched,
        Status.FEASIBLE,
        claimed=sum(k for _, k in segments),
        stats={"segments": len(segments)},
    )
