"""Segment cost tables in Theorem-2 form, shared by the solvers (never by the evaluator).

A segment serves the first k users of one model (ascending p_k, Theorem 2.1) in ceil(k/cap)
consecutive batches. Its time is load + serve(k), with serve(k) = upload + mu*k + beta*#batches."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from partialload_opt import bandwidth as bw
from partialload_opt.instance import TIME_TOL, Instance


def slots_needed(seconds, slot_s: float):
    """Whole slots a segment of ``seconds`` occupies: ceil(t / slot), an exact multiple not rounded up
    (the same tolerance as the evaluator)."""
    x = np.ceil(np.asarray(seconds, dtype=float) / slot_s - TIME_TOL)
    return np.maximum(x, 0).astype(np.int64) if np.ndim(x) else max(int(x), 0)


@dataclass(frozen=True, eq=False)
class SegmentCosts:
    """serve[i][k] for k = 0..n_i, the batches that realise it, and the per-batch cap.

    ``grouping='paper'`` fills batches from the smallest p_k (eq. (16)-(17): z(n,i,k) = min(n b, k));
    ``grouping='optimal'`` puts the partial batch at the small end, which minimises the sum of
    per-batch maxima under the equal split. With Proposition 1's split both give the same time."""

    inst: Instance
    bandwidth: str | dict = "optimal"
    grouping: str = "paper"

    @cached_property
    def cap(self) -> np.ndarray:
        r = bw.batch_cap(self.bandwidth)
        return np.minimum(self.inst.b_max, r) if r is not None else self.inst.b_max.copy()

    def sizes(self, i: int, k: int) -> list[int]:
        """Batch sizes, in schedule order, that serve the first k users of model i."""
        b = int(self.cap[i])
        full, rest = divmod(k, b)
        if rest == 0:
            return [b] * full
        return [b] * full + [rest] if self.grouping == "paper" else [rest] + [b] * full

    def batches(self, i: int, k: int) -> list[list[int]]:
        """User indices of each batch serving the first k users of model i (Theorem 2 form)."""
        users = self.inst.users_of[i][:k].tolist()
        out, pos = [], 0
        for s in self.sizes(i, k):
            out.append(users[pos:pos + s])
            pos += s
        return out

    @cached_property
    def serve(self) -> tuple[np.ndarray, ...]:
        """serve[i][k]: upload + compute time of the first k users of model i, without loading."""
        inst = self.inst
        B = inst.bandwidth_hz
        r = bw.batch_cap(self.bandwidth)
        out = []
        for i, m in enumerate(inst.models):
            ks = inst.users_of[i]
            n = len(ks)
            t = np.zeros(n + 1)
            p = inst.p[ks]
            for k in range(1, n + 1):
                sizes = self.sizes(i, k)
                if r is None:
                    up = float(np.sum(p[:k])) / B  # eq. (11): the sum, whatever the batching
                else:
                    ends = np.cumsum(sizes) - 1
                    up = float(np.sum(p[ends])) * r / B  # slowest user of each batch, B/r each
                t[k] = up + m.mu_s * k + m.beta_s * len(sizes)  # eq. (17)
            out.append(t)
        return tuple(out)

    def segment_time(self, prev: int, i: int, k: int) -> float:
        """Phi(prev, i, k), eq. (16) with the sum upload: load after ``prev`` (-1: nothing) + serve."""
        return float(self.inst.load_time[prev + 1, i]) + float(self.serve[i][k])

    def schedule_batches(self, segments) -> list[tuple[int, list[int]]]:
        """(model, k) segments -> (model, users) batches, in order."""
        out = []
        for i, k in segments:
            out += [(i, b) for b in self.batches(i, k)]
        return out


def max_users_within(costs: np.ndarray, budget) -> np.ndarray | int:
    """Largest k with costs[k] <= budget (costs nondecreasing in k), for a scalar or an array of
    budgets; -1 where even k = 0 does not fit. Continuous costs get the evaluator's 1e-9 s slack;
    integer slot counts are compared exactly."""
    slack = TIME_TOL if costs.dtype.kind == "f" else 0
    return np.searchsorted(costs, np.asarray(budget) + slack, side="right") - 1
