"""(D2) of formulations/cpsat-segment.md, the visit-count DP: the fewest slots in which a run of one
component can serve c_i users of each of its models i, over every order of visits, revisits included.

A visit of model j right after model l (or first, after nothing) serving m users is charged
ceil((V(J_j \\ J_l) + serve_j(m)) / slot) slots, serve_j(m) the least serve time of any m users of j:
at most the visit's true slots, so the DP's least slots to reach a count vector are at most those of
every run reaching it, and its table bounds f_c from above. A path that visits each model once is
charged exactly (its users are the first c_i), so there the bound is attained."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from partialload_opt.partialloading.instance import Instance
from partialload_opt.partialloading.segments import prefix_slots

Segments = list[tuple[int, list[int]]]  # (model, users) per segment


@dataclass(frozen=True, eq=False)
class VisitDP:
    """slots[s, l]: the least slots of a run whose count vector has flat index s and whose last
    visit is model comp[l] (l = len(comp): no visit yet), capped at ``cap``."""

    inst: Instance
    comp: tuple[int, ...]
    dims: tuple[int, ...]  # n_i + 1 per model
    strides: np.ndarray
    cost: np.ndarray  # cost[l, j, m]: slots of a visit of comp[j] after comp[l] serving m users
    slots: np.ndarray
    total: np.ndarray  # users of each count vector
    cap: int

    def table(self, T: int) -> np.ndarray:
        """hi[t], t = 0..T: the most users of a count vector reachable within t slots."""
        least = self.slots.min(axis=1)
        hi = np.zeros(T + 1, dtype=np.int64)
        ok = least <= T
        np.maximum.at(hi, least[ok].astype(np.int64), self.total[ok].astype(np.int64))
        return np.maximum.accumulate(hi)

    def path(self, t: int) -> Segments:
        """A least-slot path to the largest count vector within t slots, as segments: each model's
        visits take its users by p_k in visit order (exact when no model is revisited)."""
        least = self.slots.min(axis=1)
        ok = np.flatnonzero(least <= t)
        if not len(ok):
            return []
        s = int(ok[np.lexsort((least[ok], -self.total[ok].astype(np.int64)))[0]])
        last = int(self.slots[s].argmin())
        M = len(self.comp)
        visits: list[tuple[int, int]] = []  # (j, m), last visit first
        while last != M:
            j, here = last, int(self.slots[s, last])
            cj = (s // int(self.strides[j])) % self.dims[j]
            step = None
            for m in range(1, cj + 1):
                src = s - m * int(self.strides[j])
                prev = np.flatnonzero(
                    np.minimum(self.slots[src] + self.cost[:, j, m], self.cap) == here
                )
                prev = prev[prev != j]
                if len(prev):
                    step = (m, src, int(prev[0]))
                    break
            if step is None:
                raise RuntimeError("visit DP: no predecessor reproduces a state's value (a bug)")
            m, s, last = step
            visits.append((j, m))
        taken = dict.fromkeys(range(M), 0)
        out: Segments = []
        for j, m in reversed(visits):
            i = self.comp[j]
            ks = self.inst.users_of[i][taken[j] : taken[j] + m]
            taken[j] += m
            out.append((i, [int(k) for k in ks]))
        return out


def states(inst: Instance, comp: tuple[int, ...]) -> int:
    """Cells of the DP of ``comp``: count vectors times (last model or none)."""
    return int(np.prod([len(inst.users_of[i]) + 1 for i in comp], dtype=np.float64)) * (
        len(comp) + 1
    )


def visit_dp(
    inst: Instance, comp: tuple[int, ...], T: int, stop_at: float | None = None
) -> VisitDP | None:
    """The DP of ``comp`` (values capped at T + 1: only budgets up to T are asked), or None when
    ``stop_at`` (a time.perf_counter() value) passes first."""
    ex = inst.exact
    M = len(comp)
    n = [len(inst.users_of[i]) for i in comp]
    dims = tuple(x + 1 for x in n)
    P = int(np.prod(dims, dtype=np.int64))
    cap = T + 1
    # a value plus a cost never passes 2 cap, so the narrowest type holding that is exact
    dtype = next(t for t in (np.uint8, np.int16, np.int32) if 2 * cap <= np.iinfo(t).max)
    cost = np.full((M + 1, M, max(n) + 1), cap, dtype=dtype)
    for j, i in enumerate(comp):
        for ll in range(M + 1):
            if ll != j:  # two adjacent visits of one model are one segment
                prev = -1 if ll == M else comp[ll]
                cost[ll, j, : n[j] + 1] = np.minimum(
                    prefix_slots(inst, i, ex.load_after(prev, i)), cap
                )
    strides = np.array([int(np.prod(dims[a + 1 :], dtype=np.int64)) for a in range(M)], np.int64)
    flat = np.arange(P, dtype=np.int64)
    total = np.zeros(P, dtype=np.int32)
    for j in range(M):
        total += ((flat // strides[j]) % dims[j]).astype(np.int32)
    order = np.argsort(total, kind="stable")
    starts = np.searchsorted(total[order], np.arange(sum(n) + 2))
    slots = np.full((P, M + 1), cap, dtype=dtype)
    slots[0, M] = 0
    for N in range(1, sum(n) + 1):
        if stop_at is not None and time.perf_counter() > stop_at:
            return None
        idx = order[starts[N] : starts[N + 1]]
        for j in range(M):
            cj = (idx // strides[j]) % dims[j]
            for m in range(1, n[j] + 1):
                to = idx[cj >= m]
                if not len(to):
                    break
                cand = (slots[to - m * strides[j]] + cost[:, j, m][None, :]).min(axis=1)
                slots[to, j] = np.minimum(slots[to, j], np.minimum(cand, cap))
    return VisitDP(inst, tuple(comp), dims, strides, cost, slots, total, cap)
