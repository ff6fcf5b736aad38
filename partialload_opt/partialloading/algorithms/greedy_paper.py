"""PartialLoading Gen: the paper's Algorithm 3 (eqs. (22)-(23)), line by line; line 6 scans tau only where
k(tau) steps (`best_rate`: the same first maximum as every tau, tested against that literal scan)."""

from __future__ import annotations

from partialload_opt.partialloading.instance import Instance
from partialload_opt.partialloading.options import RunOptions
from partialload_opt.partialloading.results import Outcome, Status
from partialload_opt.partialloading.schedule import Schedule
from partialload_opt.partialloading.segments import SegmentCosts


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
        best: tuple[float, int | None, int, int] = (0.0, None, 0, 0)  # v, i*, tau*, k*
        for i in remaining:  # line 6: argmax over i in I', tau (first maximum in scan order)
            phi = costs.segment_slots_list(prev, i)  # eq. (23), in whole slots
            v, tau, k = best_rate(phi, T - tau_used)
            if v > best[0]:
                best = (v, i, tau, k)
        _, i_found, tau_star, k_star = best  # line 10: k* = v * tau*
        if i_found is None:  # lines 7-9: i* does not exist
            break
        i_star: int = i_found
        segments.append((i_star, k_star))  # lines 11-15
        prev = i_star  # line 16
        remaining.remove(i_star)
        tau_used += tau_star
    return segments


def best_rate(phi: list[int], budget: int) -> tuple[float, int, int]:
    """max over tau in 1..budget of v = k(tau) / tau, eq. (22), with k(tau) the most users whose
    segment fits in tau slots (``phi`` nondecreasing): (v, tau, k) at the first maximum in ascending
    tau, (0.0, 0, 0) where nobody fits. k(tau) is a step function, so v falls between the steps and
    the first maximum lies where a step starts, tau = max(1, phi[k]): only those taus are scanned,
    with the same float k / tau the scan over every tau compares (on a plateau, phi[k] = phi[k + 1],
    the larger k at the same tau wins the strict comparison, as k(tau) counts it)."""
    best = (0.0, 0, 0)
    for k in range(1, len(phi)):
        tau = phi[k] if phi[k] > 1 else 1
        if tau > budget:
            break
        v = k / tau
        if v > best[0]:
            best = (v, tau, k)
    return best


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
