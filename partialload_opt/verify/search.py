"""Theorem-free exact search over all schedules of a tiny instance (any subsets, any batching, any
order), continuous or slotted: the ground truth that assumes nothing the paper proves.

``best(inst)`` is the optimum; ``find(inst, target, violates)`` looks for a schedule serving
``target`` users whose batches satisfy ``violates`` (the "must" readings: is there an optimal
schedule without the property?). Depth-first with an upper-bound prune; times are summed here for
speed, and every schedule reported is re-scored by the evaluator."""

from __future__ import annotations

import math
from collections.abc import Callable
from itertools import combinations

from partialload_opt.instance import TIME_TOL, Instance

MAX_USERS = 7
MAX_BOUND_MODELS = 12
MAX_MODEL_USERS = 12
"""Beyond the search, cpsat-batch (the theorem-free model) is the ground truth up to this many users."""

Batches = list[tuple[int, tuple[int, ...]]]


class _Search:
    def __init__(self, inst: Instance, semantics: str):
        if inst.K > MAX_USERS:
            raise ValueError(f"theorem-free search is for K <= {MAX_USERS} (got {inst.K})")
        self.inst, self.slotted = inst, semantics == "slotted"
        self.B = inst.bandwidth_hz
        self.cap = [int(b) for b in inst.b_max]
        self.users_by_model = [tuple(int(k) for k in inst.users_of[i]) for i in range(inst.I)]

    def batch_time(self, prev: int, i: int, ks: tuple[int, ...]) -> float:
        m = self.inst.models[i]
        load = 0.0 if prev == i else self.inst.load_after(prev, i)
        return sum(self.inst.p[k] for k in ks) / self.B + load + m.mu_s * len(ks) + m.beta_s

    def fits(self, used_slots: int, seg_time: float, total: float) -> bool:
        if not self.slotted:
            return total <= self.inst.deadline_s + TIME_TOL
        return used_slots + math.ceil(seg_time / self.inst.slot_s - TIME_TOL) <= self.inst.T

    def run(
        self,
        target: int | None,
        violates: Callable[[Batches], bool] | None,
        allowed: Callable[[Batches], bool] | None = None,
    ):
        """Max served (target None) or the first schedule serving >= target that violates; only
        over schedules every prefix of which is ``allowed`` (a prefix-closed property)."""
        best: list = [0, []]
        found: list[Batches] = []

        def dfs(
            seq: Batches,
            left: frozenset,
            prev: int,
            used: int,
            seg: float,
            total: float,
            served: int,
        ):
            if found:
                return
            if target is None and served > best[0]:
                best[0], best[1] = served, list(seq)
            if target is not None and served >= target and violates is not None and violates(seq):
                found.append(list(seq))
                return
            goal = best[0] if target is None else target - 1
            if served + len(left) <= goal:
                return
            for i in range(self.inst.I):
                mine = [k for k in self.users_by_model[i] if k in left]
                for size in range(1, min(self.cap[i], len(mine)) + 1):
                    for ks in combinations(mine, size):
                        t = self.batch_time(prev, i, ks)
                        if i == prev:
                            n_used, n_seg = used, seg + t
                        else:
                            closed = math.ceil(seg / self.inst.slot_s - TIME_TOL) if seq else 0
                            n_used, n_seg = used + closed, t
                        if not self.fits(n_used, n_seg, total + t):
                            continue
                        seq.append((i, ks))
                        if allowed is not None and not allowed(seq):
                            seq.pop()
                            continue
                        dfs(seq, left - set(ks), i, n_used, n_seg, total + t, served + size)
                        seq.pop()

        dfs([], frozenset(range(self.inst.K)), -1, 0, 0.0, 0.0, 0)
        return (best[0], best[1]) if target is None else (found[0] if found else None)


def best(
    inst: Instance, semantics: str = "continuous", allowed: Callable[[Batches], bool] | None = None
) -> tuple[int, Batches]:
    """The theorem-free optimum and one schedule attaining it; with ``allowed`` (a property that
    holds for every prefix of a schedule that has it), the optimum over schedules with it."""
    return _Search(inst, semantics).run(None, None, allowed)


def find(
    inst: Instance, target: int, violates: Callable[[Batches], bool], semantics: str = "continuous"
) -> Batches | None:
    """A schedule serving >= target users with ``violates(batches)`` true, or None."""
    return _Search(inst, semantics).run(target, violates)


def relaxation_bound(inst: Instance, semantics: str = "continuous") -> int | None:
    """An upper bound on the users any schedule serves, assuming no theorem. In slotted time the
    same bound with the deadline T * slot: a schedule within T slots ends by then.

    Serving n users of model i takes at least serve_i(n): the n smallest uploads (P2's upload of a
    batch is the sum of its users' p_k / B), mu_i per user and beta_i per batch for at least
    ceil(n / b_max) batches, however they are batched and ordered; and every block of every visited
    model is loaded at least once (the GPU starts empty), so loading takes at least V(bytes of the
    union of their block sets). The bound is the best knapsack of serve_i over the models of each
    subset M of requested models, within Tbar minus V(union of M's blocks). None beyond
    MAX_BOUND_MODELS requested models (2^I subsets)."""
    from partialload_opt.algorithms.dp_exact import knapsack
    from partialload_opt.segments import SegmentCosts

    models = list(inst.requested_models)
    if len(models) > MAX_BOUND_MODELS:
        return None
    serve = SegmentCosts.of(inst, "optimal", "optimal").serve
    deadline = inst.T * inst.slot_s if semantics == "slotted" else inst.deadline_s
    cap = slot_bound(inst, serve) if semantics == "slotted" else None
    best = 0
    for r in range(1, len(models) + 1):
        for subset in combinations(models, r):
            union = inst.block_mask[list(subset)].any(axis=0)
            load = float(inst.load.time(inst.block_size[union].sum()))
            budget = deadline + TIME_TOL + 1e-12 - load  # 1 ps: floating order never tightens it
            if budget >= 0:
                best = max(best, knapsack([serve[i] for i in subset], budget)[0])
    return best if cap is None else min(best, cap)


def slot_bound(inst: Instance, serve) -> int:
    """A second slotted bound: every segment of model i follows another model, so it loads i's
    unshared blocks (those no other requested model holds); the slots of i's segments add up to at
    least ceil((V(unshared_i) + serve_i(n_i)) / slot), and different models' segments are disjoint.
    The best knapsack of those per-model slot costs within T slots."""
    from partialload_opt.algorithms.dp_exact import knapsack
    from partialload_opt.segments import slots_needed

    req = list(inst.requested_models)
    held = inst.block_mask[req].sum(axis=0)
    tables = []
    for i in req:
        own = float(inst.load.time(inst.block_size[inst.block_mask[i] & (held == 1)].sum()))
        cost = slots_needed(own + serve[i], inst.slot_s).astype(float)
        cost[0] = 0.0
        tables.append(cost)
    return knapsack(tables, float(inst.T))[0]
