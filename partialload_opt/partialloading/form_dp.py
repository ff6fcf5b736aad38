"""The Theorem-2-form DP (written form: formulations/dp-exact.md), shared by dp-exact, the cheap
bounds and the segment decomposition.

Clusters (components of the sharing graph) are visited one after another without loss, and their
costs add, so the optimum is a min-cost knapsack over per-cluster tables best_c[u] = least time
(or slots) to serve exactly u users of cluster c. A cluster's table comes from
* the chain DP (BLS, continuous): models in ascending l_i, state (last model, users) -> min time;
* the subset DP (otherwise): state (visited set, last model, users) -> min cost, layer by layer,
  keeping only two layers of costs and compact back-pointers.
The tables do not depend on the deadline: they are computed once per instance, semantics and method
(``FormTables``), in floats, and in exact rationals only when a deadline test is too close to call."""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np

from partialload_opt.partialloading.bandwidth import parse_bandwidth
from partialload_opt.partialloading.instance import Instance
from partialload_opt.partialloading.results import Unsupported
from partialload_opt.partialloading.segments import SegmentCosts
from partialload_opt.partialloading.timebase import classify

INF = np.inf


class FormCost:
    """Segment cost in the chosen semantics: whole slots (as float, for inf), or seconds: floats, or
    exact rationals in object arrays (``exact``) when floats leave the deadline test undecided."""

    def __init__(self, inst: Instance, costs: SegmentCosts, semantics: str, exact: bool = False):
        self.inst, self.costs, self.slotted = inst, costs, semantics == "slotted"
        self.exact = exact and not self.slotted
        self.dtype = object if self.exact else float
        self.zero = Fraction(0) if self.exact else 0.0

    def segment(self, prev: int, i: int) -> np.ndarray:
        """cost[k] of serving the first k users of model i right after ``prev`` (k = 0: the load)."""
        if self.slotted:
            return self.costs.segment_slots(prev, i).astype(float)
        if self.exact:
            n = len(self.inst.users_of[i])
            return np.array(
                [self.costs.segment_time_exact(prev, i, k) for k in range(n + 1)], dtype=object
            )
        return self.costs.segment_times(prev, i)

    def serve(self, i: int, k: int):
        """serve_i(k): the segment's time without its load."""
        return self.costs.serve_exact[i][k] if self.exact else self.costs.serve[i][k]


def chain_table(cost: FormCost, order: list[int]):
    """Chain DP over models in ascending l_i. Returns best[u] and a function u -> segments."""
    inst = cost.inst
    U = sum(len(inst.users_of[i]) for i in order)
    n = len(order)
    D = np.full((n, U + 1), INF, dtype=cost.dtype)  # D[pos, u]: least cost, order[pos] last
    prev_of = np.full((n, U + 1), -1, dtype=np.int64)  # position of the previous model, -1: none
    k_of = np.zeros((n, U + 1), dtype=np.int64)
    start = np.full(U + 1, INF, dtype=cost.dtype)
    start[0] = cost.zero
    for pos, i in enumerate(order):
        for pp in [-1, *range(pos)]:
            src = start if pp == -1 else D[pp]
            seg = cost.segment(-1 if pp == -1 else order[pp], i)
            for k in range(1, len(seg)):
                cand = np.full(U + 1, INF, dtype=cost.dtype)
                cand[k:] = src[: U + 1 - k] + seg[k]
                better = cand < D[pos]
                D[pos][better] = cand[better]
                prev_of[pos][better] = pp
                k_of[pos][better] = k
    best = (
        np.concatenate([np.array([cost.zero], dtype=cost.dtype), D[:, 1:].min(axis=0)])
        if n
        else np.array([cost.zero], dtype=cost.dtype)
    )
    last = D.argmin(axis=0) if n else np.zeros(1, dtype=np.int64)

    def segments(u: int) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        pos = int(last[u])
        while u > 0:
            k = int(k_of[pos, u])
            out.insert(0, (order[pos], k))
            pos, u = int(prev_of[pos, u]), u - k
        return out

    return best, segments


def subset_table(cost: FormCost, models: list[int], max_states: float, monotone_l: bool = False):
    """Subset DP over the visited set of one cluster; exact for any sharing pattern and order.

    cur[row, last, u] holds the layer of sets of one size (column n: nothing visited yet); only two
    layers of costs are alive, plus int8/int32 back-pointers for every state."""
    inst = cost.inst
    n = len(models)
    n_users = [len(inst.users_of[i]) for i in models]
    U = sum(n_users)
    states = subset_states(inst, models)
    if states > max_states:
        raise Unsupported(
            "dp-exact",
            "max_states",
            f"a cluster of {n} models and {U} users needs {states:.3g} DP states "
            f"> max_states = {max_states:.3g}: {_who_proves(inst, cost.slotted)}",
        )
    seg = _segment_costs(cost, models, monotone_l)
    by_size, row = _layers(n)
    cur = np.full((1, n + 1, U + 1), INF, dtype=cost.dtype)
    cur[0, n, 0] = cost.zero
    best = np.full(U + 1, INF, dtype=cost.dtype)
    best[0] = cost.zero
    best_at: dict[int, tuple[int, int, int]] = {}  # u -> (size, row, last)
    ptr_prev: list = [None]
    ptr_k: list = [None]
    separable = not cost.slotted  # continuous: load and serve add, so min over last first
    for size in range(1, n + 1):
        layer = np.array(by_size[size], dtype=np.int64)
        nxt = np.full((len(layer), n + 1, U + 1), INF, dtype=cost.dtype)
        pprev = np.full((len(layer), n, U + 1), -1, dtype=np.int8)
        pk = np.zeros((len(layer), n, U + 1), dtype=np.int32)
        for j in range(n):
            have = layer[(layer >> j) & 1 == 1]
            src = cur[row[have & ~(1 << j)]]  # (r, n + 1, U + 1)
            acc, acc_k, acc_i = _last_is(cost, models, seg, src, j, separable)
            r = row[have]
            nxt[r, j, :] = acc
            pprev[r, j, :] = np.where(acc_i == n, -1, acc_i)
            pk[r, j, :] = acc_k
        ptr_prev.append(pprev)
        ptr_k.append(pk)
        flat = nxt[:, :n, :].reshape(-1, U + 1)
        lb = flat.min(axis=0)
        for u in np.nonzero(lb < best)[0]:
            f = int(flat[:, u].argmin())
            best_at[int(u)] = (size, f // n, f % n)
        best = np.minimum(best, lb)
        cur = nxt

    def segments(u: int) -> list[tuple[int, int]]:
        if u == 0:
            return []
        size, r, last = best_at[u]
        mask = by_size[size][r]
        out: list[tuple[int, int]] = []
        while u > 0 and last >= 0:
            k = int(ptr_k[size][r, last, u])
            prev = int(ptr_prev[size][r, last, u])
            out.insert(0, (models[last], k))
            mask &= ~(1 << last)
            u, size, r, last = u - k, size - 1, int(row[mask]), prev
        return out

    return best, segments


def _last_is(cost: FormCost, models: list[int], seg: np.ndarray, src: np.ndarray, j: int,
             separable: bool):  # fmt: skip
    """The states whose last model is models[j], from the layer below (``src``): least cost per
    users served, and the count k and previous model that give it. Continuous time is separable
    (load and serve add), so the minimum over the previous model is taken once, before k."""
    U = src.shape[2] - 1
    acc = np.full((len(src), U + 1), INF, dtype=cost.dtype)
    acc_k = np.zeros((len(src), U + 1), dtype=np.int32)
    acc_i = np.full((len(src), U + 1), -1, dtype=np.int64)
    if separable:
        base = src + seg[:, j, 0][None, :, None]  # seg[., j, 0] = load time alone (serve[0] = 0)
        arg = base.argmin(axis=1)
        base_min = base.min(axis=1)
    for k in range(1, len(cost.inst.users_of[models[j]]) + 1):
        if separable:
            cand_k = base_min[:, : U + 1 - k] + cost.serve(models[j], k)
            cand_i = arg[:, : U + 1 - k]
        else:
            tot = src[:, :, : U + 1 - k] + seg[:, j, k][None, :, None]
            cand_i = tot.argmin(axis=1)
            cand_k = tot.min(axis=1)
        better = cand_k < acc[:, k:]
        acc[:, k:] = np.where(better, cand_k, acc[:, k:])
        acc_k[:, k:] = np.where(better, k, acc_k[:, k:])
        acc_i[:, k:] = np.where(better, cand_i, acc_i[:, k:])
    return acc, acc_k, acc_i


def _segment_costs(cost: FormCost, models: list[int], monotone_l: bool) -> np.ndarray:
    """seg[prev, j, k]: the cost of the first k users of models[j] after models[prev] (prev = n:
    nothing loaded); ``monotone_l``: only orders ascending in l_i (ties in any order)."""
    n = len(models)
    kmax = max(len(cost.inst.users_of[i]) for i in models)
    seg = np.full((n + 1, n, kmax + 1), INF, dtype=cost.dtype)
    for j, i in enumerate(models):
        for pp in range(n + 1):
            c = cost.segment(-1 if pp == n else models[pp], i)
            seg[pp, j, : len(c)] = c
            if monotone_l and pp < n and cost.inst.l[models[pp]] > cost.inst.l[i]:
                seg[pp, j, :] = INF
    return seg


def _layers(n: int) -> tuple[list[list[int]], np.ndarray]:
    """The subsets of n models by size, and each subset's row within its size's layer."""
    by_size: list[list[int]] = [[] for _ in range(n + 1)]
    for mask in range(1 << n):
        by_size[bin(mask).count("1")].append(mask)
    row = np.zeros(1 << n, dtype=np.int64)
    for same_size in by_size:
        row[same_size] = np.arange(len(same_size))
    return by_size, row


def _who_proves(inst: Instance, slotted: bool) -> str:
    """Which solver proves this instance's optimum when the subset DP is too large."""
    from partialload_opt.partialloading.segments import theorem2_form_unproved

    if not slotted:
        return "cpsat proves its continuous optimum (Theorem 2's form is exact in continuous time)"
    if theorem2_form_unproved(inst, "slotted") is None:
        return (
            "cpsat (or cpsat-segment) proves its slotted optimum (its shared blocks are nested, so "
            "Theorem 2's form is exact)"
        )
    return "cpsat-segment proves its theorem-free slotted optimum (the sharing is not nested)"


def knapsack_table(tables: list[np.ndarray]) -> tuple[np.ndarray, list[np.ndarray]]:
    """F[u] = least total cost of u users over per-cluster tables, and the choices that give it."""
    dtype = object if any(t.dtype == object for t in tables) else float
    F = np.array([Fraction(0) if dtype is object else 0.0], dtype=dtype)
    choice = []
    for best in tables:
        size = len(F) + len(best) - 1
        G = np.full(size, INF, dtype=dtype)
        arg = np.zeros(size, dtype=np.int64)
        for v, c in enumerate(best):
            if not c < INF:
                continue
            cand = F + c
            better = cand < G[v : v + len(F)]
            G[v : v + len(F)] = np.where(better, cand, G[v : v + len(F)])
            arg[v : v + len(F)] = np.where(better, v, arg[v : v + len(F)])
        choice.append(arg)
        F = G
    return F, choice


def knapsack(tables: list[np.ndarray], budget):
    """Min-cost combination of per-cluster tables within ``budget``; returns (best u, u per
    cluster). Exact when the tables and budget are whole slots or exact rationals."""
    F, choice = knapsack_table(tables)
    return pick(F, choice, np.nonzero(F <= budget)[0])


def pick(F: np.ndarray, choice: list[np.ndarray], feasible: np.ndarray):
    u = int(feasible.max()) if len(feasible) else 0
    per: list[int] = []
    rest = u
    for arg in reversed(choice):
        v = int(arg[rest])
        per.insert(0, v)
        rest -= v
    return u, per


CACHE_STATES = 2e6
"""The DP tables of clusters of at most this many states in all are kept with their instance
(``Instance.derived``), so the bounds (deadlines Tbar and T * slot) and dp-exact itself share one DP
per instance and semantics; larger ones (up to hundreds of MB of back-pointers) are not kept."""


def best_form(
    inst: Instance,
    costs: SegmentCosts,
    semantics: str,
    groups,
    use_chain: bool,
    monotone: bool,
    max_states: float,
    deadline: Fraction,
) -> tuple[int, list[tuple[int, int]], int]:
    """The best Theorem-2-form (u, segments) within ``deadline`` (continuous) or T slots, and the
    number of clusters with users."""
    tables = FormTables(inst, costs, semantics, groups, use_chain, monotone, max_states)
    F, choice, rebuild, cost = tables.get(False)
    if cost.slotted:
        u, per = pick(F, choice, np.nonzero(F <= float(inst.T))[0])
    else:  # the deadline test on exact times: floats decide unless some count is too close to call
        sure, undecided = classify(F, float(deadline))
        top = np.flatnonzero(sure).max(initial=0)
        if undecided[top + 1 :].any():
            F, choice, rebuild, cost = tables.get(True)
            u, per = pick(F, choice, np.nonzero(F <= deadline)[0])
        else:
            u, per = pick(F, choice, np.flatnonzero(sure))
    return u, [s for seg, v in zip(rebuild, per) for s in seg(v)], len(rebuild)


class FormTables:
    """The per-cluster DP tables of one instance, semantics and method, and their knapsack; they do
    not depend on the deadline, so they are computed once (in floats, and in exact rationals when a
    deadline test needs them) and kept with the instance when small (``CACHE_STATES``)."""

    def __init__(self, inst, costs, semantics, groups, use_chain, monotone, max_states):
        self.inst, self.costs, self.semantics = inst, costs, semantics
        self.use_chain, self.monotone, self.max_states = use_chain, monotone, max_states
        self.groups = [[i for i in group if len(inst.users_of[i]) > 0] for group in groups]
        self.groups = [g for g in self.groups if g]
        states = 0.0 if use_chain else sum(subset_states(inst, g) for g in self.groups)
        self.key = (
            "dp-tables",
            semantics,
            json.dumps(parse_bandwidth(costs.bandwidth), sort_keys=True),
            costs.grouping,
            use_chain,
            monotone,
        )
        self.keep = states <= CACHE_STATES

    def get(self, exact: bool):
        key = (*self.key, exact)
        per_inst = self.inst.derived
        if self.keep and key in per_inst:
            return per_inst[key]
        got = self._run(exact)
        if self.keep:
            per_inst[key] = got
        return got

    def _run(self, exact: bool):
        cost = FormCost(self.inst, self.costs, self.semantics, exact)
        tables, rebuild = [], []
        for members in self.groups:
            best, seg = (
                chain_table(cost, members)
                if self.use_chain
                else subset_table(cost, members, self.max_states, monotone_l=self.monotone)
            )
            tables.append(best)
            rebuild.append(seg)
        F, choice = knapsack_table(tables)
        return F, choice, rebuild, cost


def subset_states(inst: Instance, models: list[int]) -> float:
    """States of the subset DP of one cluster: 2^n (last model) (users + 1)."""
    n = len(models)
    return float(2**n) * n * (sum(len(inst.users_of[i]) for i in models) + 1)


def continuous_optimum(inst: Instance, deadline: Fraction, max_states: float = 2e6) -> int:
    """The most users any schedule serves by ``deadline`` in continuous time with Proposition 1's
    split: Theorem 2's form loses nothing there (formulations/theorem2-form.md), so the best
    Theorem-2-form schedule is the optimum. Unsupported when a cluster is too large for the DP."""
    costs = SegmentCosts.of(inst, "optimal", "optimal")
    chain = inst.is_bls
    groups = inst.cluster_order if chain else inst.clusters
    return best_form(inst, costs, "continuous", groups, chain, False, max_states, deadline)[0]
