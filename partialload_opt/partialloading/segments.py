"""Segment cost tables in Theorem-2 form, shared by the solvers (never by the evaluator).

A segment serves the first k users of one model (ascending p_k, Theorem 2.1) in ceil(k/cap)
consecutive batches. Its time is load + serve(k), with serve(k) = upload + mu*k + beta*#batches."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

import numpy as np

from partialload_opt.partialloading import bandwidth as bw
from partialload_opt.partialloading.instance import Instance, sharing_components
from partialload_opt.partialloading.timebase import (
    FILTER,
    NEVER,
    LazyRows,
    ceil_ratio,
    slots_array,
)


@dataclass(frozen=True, eq=False)
class SegmentCosts:
    """serve[i][k] for k = 0..n_i, the batches that realise it, and the per-batch cap.

    ``grouping='paper'`` fills batches from the smallest p_k (eq. (16)-(17): z(n,i,k) = min(n b, k));
    ``grouping='optimal'`` puts the partial batch at the small end, which minimises the sum of
    per-batch maxima under the equal split. With Proposition 1's split both give the same time."""

    inst: Instance
    bandwidth: str | dict = "optimal"
    grouping: str = "paper"

    @classmethod
    def of(cls, inst: Instance, bandwidth="optimal", grouping: str = "paper") -> SegmentCosts:
        """The tables of ``inst`` for this rule, computed once per instance (derived data)."""
        per_inst = inst.derived.setdefault("segment_costs", {})
        key = (json.dumps(bw.parse_bandwidth(bandwidth), sort_keys=True), grouping)
        if key not in per_inst:
            per_inst[key] = cls(inst, bandwidth, grouping)
        return per_inst[key]

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
            out.append(users[pos : pos + s])
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
            p = inst.p[inst.users_of[i]]
            k = np.arange(len(p) + 1)
            n_batches = -(-k // int(self.cap[i]))
            if r is None:
                up = np.concatenate([[0.0], np.cumsum(p)]) / B  # eq. (11): the sum, any batching
            else:
                ends = [np.cumsum(np.array(self.sizes(i, int(kk)), dtype=np.int64)) - 1 for kk in k]
                up = np.array([float(np.sum(p[e])) for e in ends]) * r / B  # slowest user per batch
            out.append(up + m.mu_s * k + m.beta_s * n_batches)  # eq. (17)
        return tuple(out)

    def segment_times(self, prev: int, i: int) -> np.ndarray:
        """Phi(prev, i, k) for k = 0..n_i, eq. (16) with the sum upload: load after ``prev`` (-1:
        nothing) + serve; the one segment-time formula of every solver."""
        return self.inst.load_after(prev, i) + self.serve[i]

    def segment_time(self, prev: int, i: int, k: int) -> float:
        """Phi(prev, i, k) for one count k."""
        return self.inst.load_after(prev, i) + float(self.serve[i][k])

    @cached_property
    def serve_exact(self) -> Sequence[tuple[Fraction, ...]]:
        """``serve`` in exact rationals (timebase.py): what every float of ``serve`` approximates;
        a model's row is computed when a decision first needs it."""
        return LazyRows(self.inst.I, self._serve_exact_row)

    def _serve_exact_row(self, i: int) -> tuple[Fraction, ...]:
        ex = self.inst.exact
        r = bw.batch_cap(self.bandwidth)
        users = [int(k) for k in self.inst.users_of[i]]
        row, up = [Fraction(0)], Fraction(0)
        for k in range(1, len(users) + 1):
            if r is None:
                up += ex.upload[users[k - 1]]  # eq. (11): the sum, any batching
            else:  # the slowest (last, by ascending p_k) user of each batch
                up = sum((ex.upload[b[-1]] * r for b in self.batches(i, k)), Fraction(0))
            row.append(up + ex.compute(i, k, self.batch_count(i, k)))  # eq. (17)
        return tuple(row)

    def batch_count(self, i: int, k: int) -> int:
        """Batches that serve k users of model i: ceil(k / cap)."""
        return -(-k // int(self.cap[i]))

    def segment_time_exact(self, prev: int, i: int, k: int) -> Fraction:
        """Phi(prev, i, k), exactly."""
        return self.inst.exact.load_after(prev, i) + self.serve_exact[i][k]

    def segment_slots(self, prev: int, i: int) -> np.ndarray:
        """Whole slots of the segment of the first k users of model i after ``prev``, k = 0..n_i:
        ceil(Phi / slot) of the exact time, the evaluator's count (a read-only view of
        ``slot_table``)."""
        return self.slot_table[prev + 1, i, : len(self.serve[i])]

    def segment_slots_list(self, prev: int, i: int) -> list[int]:
        """``segment_slots(prev, i)`` as a Python list, for scalar scans that would spend more on
        numpy calls than on arithmetic (Algorithm 3 at the paper's scale)."""
        return self._slot_lists[prev + 1][i]

    @cached_property
    def _slot_lists(self) -> list[list[list[int]]]:
        widths = [len(row) for row in self.serve]
        return [[row[i][:w] for i, w in enumerate(widths)] for row in self.slot_table.tolist()]

    @cached_property
    def slot_table(self) -> np.ndarray:
        """slot_table[prev + 1, i, k] = ``segment_slots(prev, i)[k]`` for every predecessor (row 0:
        nothing loaded), model and count at once (NEVER past a model's users): one float pass, and
        exact rationals only for the entries the floats leave near a slot boundary."""
        inst = self.inst
        width = max((len(row) for row in self.serve), default=1)
        serve = np.full((inst.I, width), np.inf)
        for i, row in enumerate(self.serve):
            serve[i, : len(row)] = row
        with np.errstate(invalid="ignore"):
            x = (inst.load_time[:, :, None] + serve[None, :, :]) / inst.slot_s
        table = np.full(x.shape, NEVER, dtype=np.int64)
        finite = np.isfinite(x)
        table[finite] = np.maximum(np.ceil(x[finite]), 0)
        near = finite & (x != 0.0)
        near &= np.abs(x - np.round(np.where(finite, x, 0))) <= FILTER * np.maximum(1.0, np.abs(x))
        slot = inst.exact.slot
        for a, i, k in zip(*np.nonzero(near)):
            t = self.segment_time_exact(int(a) - 1, int(i), int(k))
            table[a, i, k] = max(ceil_ratio(t, slot), 0)
        table.flags.writeable = False
        return table

    def schedule_batches(self, segments) -> list[tuple[int, list[int]]]:
        """(model, k) segments -> (model, users) batches, in order."""
        out = []
        for i, k in segments:
            out += [(i, b) for b in self.batches(i, k)]
        return out


def private_blocks(inst: Instance, i: int) -> np.ndarray:
    """The mask of model i's private blocks (held by no other requested model): every segment of i
    loads them, whatever precedes it."""
    held = inst.block_mask[list(inst.requested_models)].sum(axis=0)
    return inst.block_mask[i] & (held == 1)


def private_load(inst: Instance, i: int) -> Fraction:
    """V of model i's private blocks, exactly."""
    return inst.exact.load_time(private_blocks(inst, i))


def prefix_slots(inst: Instance, i: int, blocks: np.ndarray) -> np.ndarray:
    """ceil((V(blocks) + serve_i(n)) / slot) for n = 0..n_i users, exactly (n = 0: no segment, 0
    slots); serve_i(n) is the least serve time of n users (Proposition 1's split). Floats decide,
    exact rationals only near a slot boundary."""
    costs = SegmentCosts.of(inst, "optimal", "optimal")
    load = float(inst.load.time(float(inst.block_size[blocks].sum())))
    seconds = load + costs.serve[i]
    ex = inst.exact
    out = slots_array(
        seconds,
        inst.slot_s,
        lambda n: ex.load_time(blocks) + costs.serve_exact[i][n],
        ex.slot,
    )
    out[0] = 0
    return out


def max_users_within(slot_costs: np.ndarray, budget) -> np.ndarray | int:
    """Largest k with slot_costs[k] <= budget (whole slots, nondecreasing in k), for a scalar or an
    array of budgets; -1 where even k = 0 does not fit."""
    return np.searchsorted(slot_costs, np.asarray(budget), side="right") - 1


def requested_components(inst: Instance) -> list[tuple[int, ...]]:
    """Connected components of the sharing graph restricted to requested models (the models a
    schedule can visit)."""
    req = list(inst.requested_models)
    return [tuple(req[t] for t in comp) for comp in sharing_components(inst.block_mask[req])]


THEOREM2_FORM_DOC = "formulations/theorem2-form.md"


def nested_components(inst: Instance) -> list[tuple[tuple[int, ...], bool]]:
    """(component, nested?) for each component of the requested models' sharing graph: nested when
    the models' shared blocks -- blocks also held by another requested model of the component --
    form a chain under inclusion (BLS among the requested models; always true for <= 2 models)."""
    out = []
    for comp in requested_components(inst):
        mask = inst.block_mask[list(comp)]
        held = mask.sum(axis=0)
        shared = mask & (held > 1)[None, :]
        order = np.argsort(shared.sum(axis=1), kind="stable")
        chain = all(not (shared[a] & ~shared[b]).any() for a, b in zip(order, order[1:]))
        out.append((comp, bool(chain)))
    return out


def theorem2_form_unproved(inst: Instance, semantics: str) -> str | None:
    """None where the best Theorem-2-form schedule (each model visited once, a prefix of its users by
    p_k, full batches first) is proved optimal for the problem as stated, else why it is not.

    Proved (formulations/theorem2-form.md): continuous time, any instance; slotted time when in every
    component of the requested models' sharing graph the shared block sets are nested (every BLS
    instance, every component of at most two models). Refuted in slotted time otherwise
    (instances/regression/slotted-revisit-beats-theorem2-form.json)."""
    if semantics == "continuous":
        return None
    for comp, nested in nested_components(inst):
        if not nested:
            names = ", ".join(inst.models[i].id for i in comp[:4]) + (
                ", ..." if len(comp) > 4 else ""
            )
            return (
                f"slotted time, and the shared blocks of requested models {names} are not nested: a model "
                f"revisit can serve more than any Theorem-2-form schedule ({THEOREM2_FORM_DOC})"
            )
    return None
