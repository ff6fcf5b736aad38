"""Theorem-free exact QPART solvers: brute force (every bit-width combination of every partition,
vectorised) and a Pareto DP per partition (nondominated (payload, budget used) pairs, exact with
real-valued budgets). Both take the best partition by enumeration (formulations/qpart-brute.md, qpart-pareto.md)."""

from __future__ import annotations

import numpy as np

from partialload_opt.options import SolveOptions
from partialload_opt.qpart.evaluate import BUDGET_TOL
from partialload_opt.qpart.instance import QInstance
from partialload_opt.qpart.knapsack import Knapsack, knapsack
from partialload_opt.qpart.solving import QOutcome
from partialload_opt.results import Status, Unsupported

PRUNE_FROM_GROUPS = 8
"""qpart-pareto bounds partitions with more groups than this by the closed form's payload."""
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
    limit = inst.device.memory_bits
    for g in ks.groups:  # outer sums, one axis per group (C order: the last group varies fastest)
        payload = (payload[:, None] + g.payload(bits)[None, :]).ravel()
        used = (used[:, None] + g.acc(bits)[None, :]).ravel()
        if limit is not None:  # the device segment's weights, only where there is a memory limit
            weights = inst.w[g.layer - 1] * bits if g.role == "layer" else np.zeros(len(bits))
            mem = (mem[:, None] + weights[None, :]).ravel()
    ok = ks.within(used)
    if limit is not None:
        ok &= mem <= limit
    if not ok.any():
        return None
    idx = int(np.flatnonzero(ok)[np.argmin(payload[ok])])
    widths = (
        [int(bits[i]) for i in np.unravel_index(idx, (len(bits),) * len(ks.groups))]
        if ks.groups
        else []
    )
    return float(payload[idx]), widths


def solve_brute(inst: QInstance, opts: SolveOptions) -> QOutcome:
    """Every bit-width combination of every partition, vectorised (theorem-free; small networks)."""
    return _best_over_partitions(inst, lambda ks: _brute_partition(inst, ks))


def pareto_partition(ks: Knapsack, upper: float = np.inf):
    """Nondominated (payload, used) after each group (vectorised); back-pointers rebuild the widths.
    Exact pruning: a point that cannot fit the budget even at the widest remaining bits, or whose
    payload at the narrowest remaining bits exceeds ``upper`` (a known decision's payload), goes."""
    pay, used = np.zeros(1), np.zeros(1)
    steps = []  # per group: (parent index, choice index) of every kept point
    nb = len(ks.bits)
    min_acc = [float(g.acc(ks.bits).min()) for g in ks.groups]
    acc_left = np.concatenate([np.cumsum(min_acc[::-1])[::-1], [0.0]])
    lam, dual_left = _dual_bounds(ks)
    cap = ks.budget * (1 + BUDGET_TOL)
    for n, g in enumerate(ks.groups):
        P = (pay[:, None] + g.payload(ks.bits)[None, :]).ravel()
        U = (used[:, None] + g.acc(ks.bits)[None, :]).ravel()
        order = np.lexsort((U, P))  # by payload, then budget used
        P, U = P[order], U[order]
        best_before = np.concatenate([[np.inf], np.minimum.accumulate(U)[:-1]])
        keep = (U < best_before) & ks.within(U + acc_left[n + 1])
        if np.isfinite(upper) and keep.any():  # Lagrangian bound on the rest: exact pruning
            rest = (dual_left[n + 1][None, :] - lam[None, :] * (cap - U[keep])[:, None]).max(axis=1)
            keep[np.flatnonzero(keep)[P[keep] + rest > upper]] = False
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


def _dual_bounds(ks: Knapsack, n_lambda: int = 32) -> tuple[np.ndarray, list[np.ndarray]]:
    """Multipliers lam and, for every suffix of groups, sum_g min_c (payload + lam * used): for any
    lam >= 0 the rest of a decision with budget B left costs at least that minus lam * B (weak
    duality), so a point whose payload plus this exceeds a known decision's cannot be optimal."""
    ratios = []
    for g in ks.groups:
        pay, acc = g.payload(ks.bits), g.acc(ks.bits)
        d_acc = acc[:-1] - acc[1:]
        ok = d_acc > 0
        ratios += list((pay[1:] - pay[:-1])[ok] / d_acc[ok])
    lam = (
        np.concatenate([[0.0], np.quantile(ratios, np.linspace(0, 1, n_lambda))])
        if ratios
        else np.zeros(1)
    )
    per = [
        np.min(g.payload(ks.bits)[None, :] + lam[:, None] * g.acc(ks.bits)[None, :], axis=1)
        for g in ks.groups
    ]
    left = [np.zeros(len(lam))]
    for v in reversed(per):
        left.append(left[-1] + v)
    return lam, left[::-1]


def _closed_form_payload(ks: Knapsack) -> float:
    """The payload of the rounded-up closed form of this partition (a feasible decision), or inf."""
    from partialload_opt.qpart.closed_form import continuous_widths, rounded

    if not ks.groups:
        return np.inf
    b = continuous_widths(ks, np.array([g.slope for g in ks.groups]))
    widths = None if b is None else rounded(ks, b, "ceil")
    return np.inf if widths is None else float(sum(g.slope * w for g, w in zip(ks.groups, widths)))


def solve_pareto(inst: QInstance, opts: SolveOptions) -> QOutcome:
    """Exact DP per partition over nondominated (payload, accuracy budget) pairs."""
    if inst.device.memory_bits is not None:
        raise Unsupported(
            "qpart-pareto",
            "device.memory_bits",
            "a memory limit adds a third dimension: use qpart-milp",
        )

    def one(ks: Knapsack):
        # a known decision's payload bounds the search: worth its cost on long networks only
        upper = (
            _closed_form_payload(ks) * (1 + 1e-12) if len(ks.groups) > PRUNE_FROM_GROUPS else np.inf
        )
        return pareto_partition(ks, upper)

    return _best_over_partitions(inst, one)
