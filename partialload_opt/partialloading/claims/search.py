"""Theorem-free exact search over all schedules of a tiny instance (any subsets, any batching, any
order), continuous or slotted: the ground truth that assumes nothing the paper proves.

``best(inst)`` is the optimum; ``find(inst, target, violates)`` looks for a schedule serving
``target`` users whose batches satisfy ``violates`` (the "must" readings: is there an optimal
schedule without the property?). Depth-first with an upper-bound prune; times are summed here for
speed, and every schedule reported is re-scored by the evaluator."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from itertools import combinations

from partialload_opt.partialloading.bounds import slot_knapsack
from partialload_opt.partialloading.instance import Instance
from partialload_opt.partialloading.timebase import FILTER, at_most, slots

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
        # the float filter's tables (timebase.py decides near a boundary), read once: the search
        # evaluates them at every node
        self.p = [float(x) for x in inst.p]
        self.load = inst.load_time.tolist()  # row prev + 1: t_load after prev (-1: nothing)
        self.mu = [m.mu_s for m in inst.models]
        self.beta = [m.beta_s for m in inst.models]
        # a bound for pruning: every further user adds at least its upload and its compute time, and
        # the schedule ends by Tbar (slotted: its segments' times sum to at most T slots)
        model_of = [int(inst.user_model[k]) for k in range(inst.K)]
        self.least = [self.p[k] / self.B + self.mu[model_of[k]] for k in range(inst.K)]
        self.by_least = sorted(range(inst.K), key=self.least.__getitem__)
        self.horizon = inst.T * inst.slot_s if self.slotted else inst.deadline_s

    def batch_time(self, prev: int, i: int, ks: tuple[int, ...]) -> float:
        load = 0.0 if prev == i else self.load[prev + 1][i]
        p = self.p
        return sum(p[k] for k in ks) / self.B + load + self.mu[i] * len(ks) + self.beta[i]

    def exact_time(self, seq: Batches, start: int = 0) -> Fraction:
        """The exact time of batches seq[start:] (timebase.py), each loading after its predecessor."""
        ex = self.inst.exact
        return sum(
            (
                ex.batch(seq[j - 1][0] if j else -1, i, ks, None)
                for j, (i, ks) in enumerate(seq)
                if j >= start
            ),
            Fraction(0),
        )

    def segment_slots(self, seg_time: float, seq: Batches, start: int) -> int:
        """Whole slots of the segment seq[start:], on its exact time."""
        ex = self.inst.exact
        return slots(seg_time, self.inst.slot_s, lambda: self.exact_time(seq, start), ex.slot)

    def fits(
        self, seq: Batches, used_slots: int, seg_time: float, start: int, total: float
    ) -> bool:
        """Whether seq (its last segment seq[start:], seg_time long) ends in time."""
        if not self.slotted:
            ex = self.inst.exact
            return at_most(total, self.inst.deadline_s, lambda: (self.exact_time(seq), ex.deadline))
        return used_slots + self.segment_slots(seg_time, seq, start) <= self.inst.T

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
            start: int,
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
            room = self.horizon - (used * self.inst.slot_s + seg if self.slotted else total)
            room = room * (1 + 1e-9) + 1e-15  # a float bound may only prune more loosely
            more, spent = 0, 0.0
            for k in self.by_least:
                if k in left:
                    spent += self.least[k]
                    if spent > room:
                        break
                    more += 1
            if served + more <= goal:
                return
            for i in range(self.inst.I):
                mine = [k for k in self.users_by_model[i] if k in left]
                for size in range(1, min(self.cap[i], len(mine)) + 1):
                    for ks in combinations(mine, size):
                        t = self.batch_time(prev, i, ks)
                        if i == prev:
                            n_used, n_seg, n_start = used, seg + t, start
                        else:  # seq[start:] closes as a segment; (i, ks) opens the next one
                            closed = self.segment_slots(seg, seq, start) if seq else 0
                            n_used, n_seg, n_start = used + closed, t, len(seq)
                        seq.append((i, ks))
                        if not self.fits(seq, n_used, n_seg, n_start, total + t) or (
                            allowed is not None and not allowed(seq)
                        ):
                            seq.pop()
                            continue
                        dfs(
                            seq, left - set(ks), i, n_used, n_seg, n_start, total + t, served + size
                        )
                        seq.pop()

        dfs([], frozenset(range(self.inst.K)), -1, 0, 0.0, 0, 0.0, 0)
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
    from partialload_opt.partialloading.form_dp import knapsack
    from partialload_opt.partialloading.segments import SegmentCosts

    models = list(inst.requested_models)
    if len(models) > MAX_BOUND_MODELS:
        return None
    serve = SegmentCosts.of(inst, "optimal", "optimal").serve
    deadline = inst.T * inst.slot_s if semantics == "slotted" else inst.deadline_s
    cap = slot_knapsack(inst) if semantics == "slotted" else None
    best = 0
    for r in range(1, len(models) + 1):
        for subset in combinations(models, r):
            union = inst.block_mask[list(subset)].any(axis=0)
            load = float(inst.load.time(inst.block_size[union].sum()))
            # widened by timebase.FILTER: float rounding can only loosen the bound, never tighten it
            budget = deadline - load + FILTER * (deadline + load)
            if budget >= 0:
                best = max(best, knapsack([serve[i] for i in subset], budget)[0])
    return best if cap is None else min(best, cap)
