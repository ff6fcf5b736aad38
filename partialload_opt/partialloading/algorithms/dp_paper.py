"""PartialLoading Spec: the paper's Algorithms 1 and 2 (eqs. (15)-(21)), transcribed literally.

Faithful to the paper, not corrected: it is the verification layer's job to find where it is not
optimal. Reading choices where the paper is ambiguous are in formulations/dp-paper.md."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from partialload_opt.partialloading.instance import Instance
from partialload_opt.partialloading.options import RunOptions
from partialload_opt.partialloading.results import Outcome, Status
from partialload_opt.partialloading.schedule import Schedule
from partialload_opt.partialloading.segments import SegmentCosts

NEG = -(10**9)  # "no admissible (i_hat, tau_hat)" in gamma_m


@dataclass
class ClusterTables:
    order: tuple[int, ...]  # model index at positions 1..I_m (position 0 = no model)
    q: np.ndarray  # q[i_hat, i, tau_hat], eq. (15)
    g: np.ndarray  # g[i, tau2], eq. (18)


def _q_table(inst: Instance, costs: SegmentCosts, order, T: int) -> np.ndarray:
    """eq. (15): q_m(i_hat, i, tau_hat) = max{k : Phi_m(i_hat, i, k) <= tau_hat * slot}, 0 if none,
    for every position pair at once (counts beyond a model's users padded with a time past T slots)."""
    n = len(order)
    width = max(len(costs.serve[i]) for i in order)
    slots = np.full((n + 1, n, width), T + 1, dtype=np.int64)  # past T: counts beyond n_i
    for a, prev in enumerate([-1, *order]):  # i_hat = 0 (nothing loaded), then positions 1..n
        for b, i in enumerate(order):
            row = costs.segment_slots(prev, i)  # eq. (16), in whole slots
            slots[a, b, : len(row)] = row
    fits = (slots[:, :, :, None] <= np.arange(1, T + 1)).sum(
        axis=2
    ) - 1  # max k (nondecreasing); -1: none
    q = np.zeros((n + 1, n + 1, T + 1), dtype=np.int64)
    q[:, 1:, 1:] = np.maximum(fits, 0)
    pos = np.arange(n + 1)
    return q * (pos[:, None] < pos[None, :])[:, :, None]  # only i_hat <= i - 1


def _gamma_candidates(q, g, ip: int, t2) -> np.ndarray:
    """eq. (19)'s gamma_m(i, tau2) terms: cand[i_hat - 1, tau2, tau_hat] = g(i_hat, tau2 - tau_hat)
    + q(i_hat, i, tau_hat) for i_hat in (0, i-1], tau_hat in [1, tau2), NEG where the conditions
    g(i_hat, tau2 - tau_hat) > 0 and g(i_hat, tau2 - tau_hat) != g(i_hat - 1, .) fail.
    ``t2`` is an array of tau2 values (all of them while filling g, one while backtracking)."""
    T = g.shape[1] - 1
    th = np.arange(T + 1)[None, :]
    t2 = np.asarray(t2)[:, None]
    valid = (th >= 1) & (th < t2)
    rest = np.where(valid, t2 - th, 0)
    G = g[1:ip][:, rest]  # (i-1, len(t2), T+1)
    ok = valid & (G > 0) & (G != g[: ip - 1][:, rest])
    return np.where(ok, G + q[1:ip, ip][:, None, :], NEG)


def _gamma(q, g, ip: int, T: int) -> np.ndarray:
    """gamma_m(i, tau2) for all tau2, eq. (19), in O(I_m T K) instead of O(I_m T^2): q(i_hat, i, .)
    is a nondecreasing step function, so max over tau_hat of A[tau2 - tau_hat] + q[tau_hat] is the
    max over its steps (tau_s, v_s) of v_s + max_{tau' <= tau2 - tau_s} A[tau'], with A = g(i_hat, .)
    where both printed conditions hold, NEG elsewhere. (Same values as the literal double max; the
    backtracking scans the literal terms in ``_gamma_candidates``.)"""
    out = np.full(T + 1, NEG, dtype=np.int64)
    t2 = np.arange(T + 1)
    for hp in range(1, ip):
        A = np.where((g[hp] > 0) & (g[hp] != g[hp - 1]), g[hp], NEG)
        P = np.maximum.accumulate(A)
        row = q[hp, ip]
        starts = np.concatenate([[1], np.nonzero(np.diff(row[1:]) > 0)[0] + 2])  # tau_s
        idx = t2[None, :] - starts[:, None]  # tau2 - tau_s = largest admissible tau'
        best_a = P[np.maximum(idx, 0)]
        vals = np.where((idx >= 1) & (best_a > NEG), best_a + row[starts][:, None], NEG)
        out = np.maximum(out, vals.max(axis=0))
    return out


def _g_table(q: np.ndarray, n: int, T: int) -> np.ndarray:
    """eqs. (18)-(19): g_m(i, tau2) = max{gamma_m(i, tau2), q_m(0, i, tau2), g_m(i - 1, tau2)}."""
    g = np.zeros((n + 1, T + 1), dtype=np.int64)
    for ip in range(1, n + 1):
        g[ip] = np.maximum(np.maximum(_gamma(q, g, ip, T), q[0, ip]), g[ip - 1])
        g[ip, 0] = 0  # g_m(i, 0) = 0
    return g


def _f_table(tables: list[ClusterTables], T: int) -> np.ndarray:
    """eq. (20): f(m, tau1) = max_{tau~ in [0, tau1]} f(m-1, tau1 - tau~) + g_m(I_m, tau~)."""
    f = np.zeros((len(tables) + 1, T + 1), dtype=np.int64)
    t1 = np.arange(T + 1)[:, None]
    tt = np.arange(T + 1)[None, :]
    ok = tt <= t1
    rest = np.where(ok, t1 - tt, 0)
    for m, tab in enumerate(tables, start=1):
        f[m] = np.where(ok, f[m - 1][rest] + tab.g[-1][None, :], NEG).max(axis=1)
        f[m, 0] = 0
    return f


def _argmax_gamma(tab: ClusterTables, ip: int, t2: int) -> tuple[int, int]:
    """Algorithm 1, line 12: {i_hat*, tau_hat*} = argmax Gamma_m(i, tau2). Ties: skip model i
    (third term) first, then the gamma pairs in (i_hat, tau_hat) order, then q_m(0, i, tau2)."""
    best = tab.g[ip, t2]
    if tab.g[ip - 1, t2] == best:
        return ip - 1, 0  # third term: model i is not loaded
    if ip > 1:
        cand = _gamma_candidates(tab.q, tab.g, ip, [t2])[:, 0, :]
        hits = np.argwhere(cand == best)
        if len(hits):
            return int(hits[0][0]) + 1, int(hits[0][1])
    return 0, t2  # second term: model i is the first model of the cluster


def dp_paper_tables(inst: Instance, costs: SegmentCosts):
    T = inst.T
    tables = []
    for order in inst.cluster_order:  # Corollary 1: clusters in index order, models by l_i
        q = _q_table(inst, costs, order, T)
        tables.append(ClusterTables(order, q, _g_table(q, len(order), T)))
    return tables, _f_table(tables, T)


def backtrack(inst: Instance, costs: SegmentCosts, tables, f) -> list[tuple[int, int]]:
    """Algorithm 1: from f(M, T) back to (model, k) segments, in schedule order."""
    T = inst.T
    segments: list[tuple[int, int]] = []
    m, t1 = len(tables), T
    while m > 0:
        if t1 <= 0:
            break
        tab = tables[m - 1]
        gm = tab.g[-1]
        tt = int(np.argmax(f[m - 1, t1 - np.arange(t1 + 1)] + gm[: t1 + 1]))  # line 6
        ip, t2 = len(tab.order), tt  # line 7
        cluster_segments: list[tuple[int, int]] = []
        while ip > 0:
            if t2 <= 0:
                break
            hp, th = _argmax_gamma(tab, ip, t2)  # line 12
            k = int(tab.q[hp, ip, th]) if th > 0 else 0  # line 13
            if k > 0:
                cluster_segments.insert(0, (tab.order[ip - 1], k))  # lines 14-24
            ip, t2 = hp, t2 - th  # line 25
        segments = cluster_segments + segments
        m, t1 = m - 1, t1 - tt  # line 27
    return segments


def solve_dp_paper(inst: Instance, opts: RunOptions) -> Outcome:
    """PartialLoading Spec (Algorithms 1-2): the paper's slotted DP for BLS instances."""
    bandwidth = opts.bandwidth
    costs = SegmentCosts.of(inst, bandwidth, "paper")
    tables, f = dp_paper_tables(inst, costs)
    segments = backtrack(inst, costs, tables, f)
    sched = Schedule.from_indices(
        inst, costs.schedule_batches(segments), bandwidth, {"solver": "dp-paper"}
    )
    return Outcome(
        sched,
        Status.FEASIBLE,
        claimed=int(f[-1, -1]),
        stats={"f_MT": int(f[-1, -1]), "T": inst.T, "segments": len(segments)},
    )
