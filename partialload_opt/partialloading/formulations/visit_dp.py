"""(D2) of formulations/cpsat-segment.md, the visit-count DP: the fewest slots in which a run of one
component can serve a given number of users of each *class* -- a run of a model's users by p_k --
over every order of visits, revisits included.

A visit of model j right after model l (or first, after nothing) serving m_c users of each class c of
j is charged ceil((V(J_j \\ J_l) + the m_c smallest uploads of each class + mu_j m + beta_j
ceil(m / cap_j)) / slot) slots, m = sum of m_c: at most the visit's true slots, so the DP's least
slots to reach a count vector are at most those of every run reaching it, and its table bounds f_c
from above. One class per model is the coarsest (fewest states); a class per user is exact. A path
that visits each model once is charged exactly in any classes, so there the bound is attained."""

from __future__ import annotations

import itertools
import time
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

import numpy as np

from partialload_opt.partialloading.formulations.segment_rows import Segments
from partialload_opt.partialloading.instance import Instance
from partialload_opt.partialloading.segments import SegmentCosts
from partialload_opt.partialloading.timebase import ceil_ratio

Classes = Mapping[int, tuple[int, ...]]  # model -> sizes of its classes, in p_k order


@dataclass(frozen=True, eq=False)
class VisitDP:
    """slots[s, l]: the least slots of a run whose count vector (one count per class) has flat
    index s and whose last visit is model comp[l] (l = len(comp): no visit yet), capped at ``cap``."""

    inst: Instance
    comp: tuple[int, ...]
    classes: dict[int, tuple[int, ...]]
    own_axes: tuple[tuple[int, ...], ...]  # per model position j: the count axes of its classes
    dims: tuple[int, ...]
    strides: np.ndarray
    moves: tuple[
        tuple[tuple[tuple[int, ...], int, np.ndarray], ...], ...
    ]  # per j: (m_c, offset, cost[l])
    slots: np.ndarray
    total: np.ndarray  # users of each count vector
    cap: int

    @cached_property
    def least(self) -> np.ndarray:
        """The least slots of each count vector, whatever the last model."""
        return self.slots.min(axis=1)

    def table(self, T: int) -> np.ndarray:
        """hi[t], t = 0..T: the most users of a count vector reachable within t slots."""
        least = self.least
        hi = np.zeros(T + 1, dtype=np.int64)
        ok = least <= T
        np.maximum.at(hi, least[ok].astype(np.int64), self.total[ok].astype(np.int64))
        return np.maximum.accumulate(hi)

    def path(self, t: int) -> Segments:
        """A least-slot path to the largest count vector within t slots, as segments: each visit
        takes the next users (by p_k) of each class it counts (exact when no model is revisited)."""
        least = self.least
        ok = np.flatnonzero(least <= t)
        if not len(ok):
            return []
        s = int(ok[np.lexsort((least[ok], -self.total[ok].astype(np.int64)))[0]])
        last = int(self.slots[s].argmin())
        M = len(self.comp)
        visits: list[tuple[int, tuple[int, ...]]] = []  # (j, m_c), last visit first
        while last != M:
            j, here = last, int(self.slots[s, last])
            for ms, offset, cost in self.moves[j]:
                if not self._has(s, j, ms):
                    continue
                prev = np.flatnonzero(np.minimum(self.slots[s - offset] + cost, self.cap) == here)
                prev = prev[prev != j]
                if len(prev):
                    s, last = s - offset, int(prev[0])
                    visits.append((j, ms))
                    break
            else:
                raise RuntimeError("visit DP: no predecessor reproduces a state's value (a bug)")
        taken: dict[tuple[int, int], int] = {}
        out: Segments = []
        for j, ms in reversed(visits):
            i = self.comp[j]
            users = self.inst.users_of[i]
            ks: list[int] = []
            start = 0
            for c, (size, m) in enumerate(zip(self.classes[i], ms)):
                got = taken.get((j, c), 0)
                ks += [int(k) for k in users[start + got : start + got + m]]
                taken[(j, c)] = got + m
                start += size
            out.append((i, sorted(ks, key=lambda k: (self.inst.p[k], k))))
        return out

    def _has(self, s: int, j: int, ms: tuple[int, ...]) -> bool:
        """Whether count vector s holds at least m_c users of each class of model j."""
        return all(
            (s // int(self.strides[a])) % self.dims[a] >= m for a, m in zip(self.own_axes[j], ms)
        )


def one_class(inst: Instance, comp: tuple[int, ...]) -> dict[int, tuple[int, ...]]:
    """The coarsest classes: all of a model's users in one."""
    return {i: (len(inst.users_of[i]),) for i in comp}


def states(inst: Instance, comp: tuple[int, ...], classes: Classes | None = None) -> int:
    """Cells of the DP of ``comp``: count vectors times (last model or none)."""
    classes = classes or one_class(inst, comp)
    sizes = [s + 1 for i in comp for s in classes[i]]
    return int(np.prod(sizes, dtype=np.float64)) * (len(comp) + 1)


def widest_gap(inst: Instance, classes: Classes, i: int) -> tuple[Fraction, int, int] | None:
    """(gap, class, where) of the widest gap between consecutive uploads inside one of model i's
    classes (ties: the last), or None when every class of i holds one user."""
    up = inst.exact.upload
    users = [int(k) for k in inst.users_of[i]]
    best, start = None, 0
    for c, size in enumerate(classes[i]):
        for a in range(size - 1):
            gap = up[users[start + a + 1]] - up[users[start + a]]
            if best is None or gap >= best[0]:
                best = (gap, c, a + 1)
        start += size
    return best


def split_widest(inst: Instance, classes: Classes, models) -> dict[int, tuple[int, ...]]:
    """``classes`` with one class split, at the widest gap between consecutive uploads among
    ``models`` (where a revisit's charge is loosest); unchanged when no class there can split."""
    gaps = {i: g for i in models if (g := widest_gap(inst, classes, i)) is not None}
    out = dict(classes)
    if gaps:
        i = max(gaps, key=lambda m: (gaps[m][0], m))
        _, c, at = gaps[i]
        sizes = list(classes[i])
        out[i] = tuple(sizes[:c] + [at, sizes[c] - at] + sizes[c + 1 :])
    return out


def visit_dp(
    inst: Instance,
    comp: tuple[int, ...],
    T: int,
    stop_at: float | None = None,
    classes: Classes | None = None,
) -> VisitDP | None:
    """The DP of ``comp`` in ``classes`` (default one per model), values capped at T + 1 (only
    budgets up to T are asked); None when ``stop_at`` (a time.perf_counter() value) passes first."""
    ex = inst.exact
    costs = SegmentCosts.of(inst, "optimal", "optimal")
    cls = dict(classes or one_class(inst, comp))
    M = len(comp)
    dims = tuple(size + 1 for i in comp for size in cls[i])
    first = np.cumsum([0] + [len(cls[i]) for i in comp])  # model j's axes: first[j]..first[j+1]-1
    own_axes = tuple(tuple(range(first[j], first[j + 1])) for j in range(M))
    P = int(np.prod(dims, dtype=np.int64))
    strides = np.array([int(np.prod(dims[a + 1 :], dtype=np.int64)) for a in range(len(dims))])
    cap = T + 1
    # a value plus a cost never passes 2 cap, so the narrowest type holding that is exact
    dtype = next(t for t in (np.uint8, np.int16, np.int32) if 2 * cap <= np.iinfo(t).max)
    moves = []
    for j, i in enumerate(comp):
        users = [int(k) for k in inst.users_of[i]]
        prefix, start = [], 0  # the smallest uploads of each class, summed
        for size in cls[i]:
            part = [Fraction(0)]
            for k in users[start : start + size]:
                part.append(part[-1] + ex.upload[k])
            prefix.append(part)
            start += size
        loads = [ex.load_after(prev, i) for prev in (*comp, -1)]  # after each model, after nothing
        row = []
        for ms in itertools.product(*(range(size + 1) for size in cls[i])):
            m = sum(ms)
            if not m:
                continue
            serve = sum((prefix[c][mc] for c, mc in enumerate(ms)), Fraction(0))
            serve += ex.compute(i, m, costs.batch_count(i, m))
            cost = np.array(
                [
                    cap if ll == j else min(ceil_ratio(loads[ll] + serve, ex.slot), cap)
                    for ll in range(M + 1)
                ],  # two adjacent visits of one model are one segment
                dtype=dtype,
            )
            offset = int(sum(mc * int(strides[a]) for a, mc in zip(own_axes[j], ms)))
            row.append((ms, offset, cost))
        row.sort(key=lambda r: sum(r[0]))
        moves.append(tuple(row))
    total = np.zeros(dims, dtype=np.int32)  # users of each count vector, without a P-long index
    for a, d in enumerate(dims):
        total += np.arange(d, dtype=np.int32).reshape(
            [d if b == a else 1 for b in range(len(dims))]
        )
    total = total.ravel()
    order = np.argsort(total, kind="stable")
    if P < np.iinfo(np.int32).max:
        order = order.astype(np.int32)
    n_all = int(total[-1]) if P else 0
    starts = np.searchsorted(total[order], np.arange(n_all + 2))
    slots = np.full((P, M + 1), cap, dtype=dtype)
    slots[0, M] = 0
    for N in range(1, n_all + 1):
        if stop_at is not None and time.perf_counter() > stop_at:
            return None
        idx = order[starts[N] : starts[N + 1]]
        for j in range(M):
            have = [(idx // strides[a]) % dims[a] for a in own_axes[j]]
            for ms, offset, cost in moves[j]:
                ok = np.ones(len(idx), dtype=bool)
                for h, mc in zip(have, ms):
                    if mc:
                        ok &= h >= mc
                to = idx[ok]
                if not len(to):
                    continue
                cand = (slots[to - offset] + cost[None, :]).min(axis=1)
                slots[to, j] = np.minimum(slots[to, j], np.minimum(cand, cap))
    return VisitDP(inst, tuple(comp), cls, own_axes, dims, strides, tuple(moves), slots, total, cap)
