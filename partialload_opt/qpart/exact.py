"""Theorem-free exact QPART solvers: brute force (every bit-width combination of every partition,
vectorised) and a Pareto DP per partition (nondominated (payload, budget used) pairs, exact with
real-valued budgets). Both take the best partition by enumeration (formulations/qpart.md)."""

from __future__ import annotations

import numpy as np

from partialload_opt.qpart.instance import QInstance
from partialload_opt.qpart.knapsack import Knapsack, knapsack
from partialload_opt.qpart.solving import QOutcome
from partialload_opt.results import Status, Unsupported

MAX_COMBINATIONS = 3e7
"""qpart-brute refuses a partition with more bit-width combinations than this (memory: two float
arrays of this length)."""


def _best_over_partitions(inst: QInstance, per_partition) -> QOutcome:
    """min over partitions of (objective, widths) from ``per_partition(ks)`` (None: infeasible p)."""
    best = None
    for p in inst.partitions:
        ks = knapsack(inst, p)
        got = per_partition(ks)
        if got is None:
            continue
        payload, widths = got
        value = ks.objective(payload)
        if best is None or value < best[0]:
            best = (value, ks, widths)
    if best is None:
        return QOutcome(
            None, Status.INFEASIBLE, stats={"reason": "no decision meets the accuracy budget"}
        )
    value, ks, widths = best
    return QOutcome(ks.decision(inst, widths), Status.OPTIMAL, claimed=value, bound=value)


def _brute_partition(inst: QInstance, ks: Knapsack):
    bits = ks.bits
    n = len(bits) ** len(ks.groups)
    if n > MAX_COMBINATIONS:
        raise Unsupported(
            "qpart-brute", "partition", f"{ks.p}: {n:.3g} combinations > {MAX_COMBINATIONS:.0e}"
        )
    payload = np.zeros(1)
    used = np.zeros(1)
    mem = np.zeros(1)
    for g in ks.groups:  # outer sums, one axis per group (C order: the last group varies fastest)
        payload = (payload[:, None] + g.payload(bits)[None, :]).ravel()
        used = (used[:, None] + g.acc(bits)[None, :]).ravel()
        w = g.slope if g.role == "layer" and inst.device.memory_bits is not None else 0.0
        mem = (
            mem[:, None] + (inst.w[g.layer - 1] * bits if w else np.zeros(len(bits)))[None, :]
        ).ravel()
    ok = ks.within(used)
    if inst.device.memory_bits is not None:
        ok &= mem <= inst.device.memory_bits
    if not ok.any():
        return None
    idx = int(np.flatnonzero(ok)[np.argmin(payload[ok])])
    widths = (
        [int(bits[i]) for i in np.unravel_index(idx, (len(bits),) * len(ks.groups))]
        if ks.groups
        else []
    )
    return float(payload[idx]), widths


def solve_brute(inst: QInstance, *, time_limit=None, **options) -> QOutcome:
    """Every bit-width combination of every partition, vectorised (theorem-free; small networks)."""
    return _best_over_partitions(inst, lambda ks: _brute_partition(inst, ks))


def _pareto_partition(ks: Knapsack):
    """Nondominated (payload, used) after each group (vectorised); back-pointers rebuild the widths."""
    pay, used = np.zeros(1), np.zeros(1)
    steps = []  # per group: (parent index, choice index) of every kept point
    nb = len(ks.bits)
    for g in ks.groups:
        P = (pay[:, None] + g.payload(ks.bits)[None, :]).ravel()
        U = (used[:, None] + g.acc(ks.bits)[None, :]).ravel()
        order = np.lexsort((U, P))  # by payload, then budget used
        P, U = P[order], U[order]
        best_before = np.concatenate([[np.inf], np.minimum.accumulate(U)[:-1]])
        keep = (U < best_before) & ks.within(U)  # strictly less budget than every cheaper point
        if not keep.any():
            return None
        kept = order[keep]
        steps.append((kept // nb, kept % nb))
        pay, used = P[keep], U[keep]
    k = 0  # the cheapest point within the budget is the first kept one
    widths = []
    for parent, choice in reversed(steps):
        widths.append(int(ks.bits[choice[k]]))
        k = int(parent[k])
    return float(pay[0]), widths[::-1]


def solve_pareto(inst: QInstance, *, time_limit=None, **options) -> QOutcome:
    """Exact DP per partition over nondominated (payload, accuracy budget) pairs."""
    if inst.device.memory_bits is not None:
        raise Unsupported(
            "qpart-pareto",
            "device.memory_bits",
            "a memory limit adds a third dimension: use qpart-milp",
        )
    return _best_over_partitions(inst, _pareto_partition)
