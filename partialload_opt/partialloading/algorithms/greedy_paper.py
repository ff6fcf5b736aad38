"""PartialLoading Gen: the paper's Algorithm 3 (eqs. (22)-(23)), line by line; line 6's argmax over
(i, tau) is one vectorised scan, equal to the one-pair-at-a-time transcription kept in the tests
(``tests/partialloading/algorithms/test_greedy_paper.py``)."""

from __future__ import annotations

import numpy as np

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
        taus = np.arange(1, T - tau_used + 1)  # tau in (0, T - tau']
        k = _users_within(costs.slot_table[prev + 1, remaining], taus)  # k(i, tau), eq. (23)
        v = k / taus  # eq. (22), one row per i in I'
        # line 6: argmax over i in I', tau, the first maximum in scan order (i, then tau)
        r, j = np.unravel_index(int(np.argmax(v)), v.shape)
        if not v[r, j] > 0.0:  # lines 7-9: i* does not exist
            break
        i_star, tau_star, k_star = remaining[r], int(taus[j]), int(k[r, j])  # line 10: k* = v tau*
        segments.append((i_star, k_star))  # lines 11-15
        prev = i_star  # line 16
        remaining.remove(i_star)
        tau_used += tau_star
    return segments


def _users_within(slots: np.ndarray, taus: np.ndarray) -> np.ndarray:
    """k[r, t]: the most users of row r's model whose segment fits in taus[t] slots (0 if none):
    ``max_users_within`` of every row at once. Each row of ``slots`` (whole slots of the segment of
    the first k users, nondecreasing in k, ``NEVER`` past the model's users) is clipped to T + 1 and
    offset by its row, so all rows form one sorted array and one ``searchsorted`` answers them all."""
    rows, width = slots.shape
    cap = int(taus[-1]) + 1  # nothing above the largest budget can fit
    offset = (np.arange(rows) * (cap + 1))[:, None]
    flat = (np.minimum(slots, cap) + offset).ravel()
    ends = np.searchsorted(flat, (taus[None, :] + offset).ravel(), side="right")
    counts = ends.reshape(rows, len(taus)) - (np.arange(rows) * width)[:, None]
    return np.maximum(counts - 1, 0)


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
