"""QPART's Algorithms 1-2 as the paper describes them (formulations/qpart-alg.md): offline, a pattern
of bit-widths for every partition point at each precomputed accuracy level, from the closed form at
the partition layer and the backward recursion of eq. (27); online, the level that meets the
request's demand and the partition whose pattern costs least."""

from __future__ import annotations

import numpy as np

from partialload_opt.options import SolveOptions
from partialload_opt.qpart.closed_form import allocation_slopes
from partialload_opt.qpart.instance import QInstance
from partialload_opt.qpart.knapsack import Knapsack, knapsack, memory_ok
from partialload_opt.qpart.solving import QOutcome
from partialload_opt.results import Status, Unsupported


def recursion_widths(ks: Knapsack, budget: float, slopes: np.ndarray) -> np.ndarray:
    """Algorithm 1, lines 9-11, unclipped: b at the partition layer from the closed form, then
    b_{i-1} = b_i + (1/2) log2(k_{i-1} s_i / (k_i s_{i-1})) backwards (eq. (27) with alpha = ln 4)."""
    k = np.array([g.k for g in ks.groups], dtype=float)
    s = np.asarray(slopes, dtype=float)
    b = np.empty(len(k))
    with np.errstate(divide="ignore"):
        b[-1] = 0.5 * np.log2(k[-1] * s.sum() / (s[-1] * budget))
        for i in range(len(k) - 1, 0, -1):
            b[i - 1] = b[i] + 0.5 * np.log2(k[i - 1] * s[i] / (k[i] * s[i - 1]))
    return b


def pattern(ks: Knapsack, budget: float, slopes: np.ndarray) -> list[int]:
    """Algorithm 1, line 12: the recursion's widths rounded up and clamped to the bit set."""
    b = np.nan_to_num(recursion_widths(ks, budget, slopes), nan=-np.inf)
    idx = np.minimum(np.searchsorted(ks.bits, b - 1e-9, side="left"), len(ks.bits) - 1)
    return [int(ks.bits[i]) for i in idx]


def offline_patterns(inst: QInstance, levels) -> dict[tuple[int, int], list[int]]:
    """Algorithm 1: S[p, k] for every partition point p and level k."""
    out = {}
    for p in inst.partitions:
        ks = knapsack(inst, p)
        for n, c in enumerate(levels):
            out[p, n] = pattern(ks, c, allocation_slopes(inst, ks)) if ks.groups else []
    return out


def solve_qpart_alg(inst: QInstance, opts: SolveOptions) -> QOutcome:
    """QPART's Algorithms 1-2: five precomputed accuracy levels, the cheapest partition online."""
    levels = tuple(sorted(opts["levels"] or inst.levels))
    if not levels:
        raise Unsupported(
            "qpart-alg", "accuracy_levels", "the instance gives no precomputed levels"
        )
    meeting = [n for n, c in enumerate(levels) if c <= inst.budget * (1 + 1e-12)]
    if not meeting:  # line 1: no level meets the demand: Algorithm 2 serves nothing (a result)
        return QOutcome(
            None,
            Status.INFEASIBLE,
            stats={"reason": f"no precomputed level is within C_A = {inst.budget:g}"},
        )
    level = meeting[-1]  # the largest budget that still meets the demand
    patterns = offline_patterns(inst, levels)
    best = None
    for p in inst.partitions:  # lines 3-7
        ks = knapsack(inst, p)
        widths = patterns[p, level]
        if not memory_ok(inst, ks, widths):
            continue
        used = sum(float(g.acc(np.array([w]))[0]) for g, w in zip(ks.groups, widths))
        if not ks.within(used):  # clamping to the bit set can break the level's budget: skip (ours)
            continue
        value = ks.objective(float(sum(g.slope * w for g, w in zip(ks.groups, widths))))
        if best is None or value < best[0]:
            best = (value, ks, widths)
    if best is None:
        return QOutcome(
            None,
            Status.INFEASIBLE,
            stats={"reason": "no partition's pattern fits its level's budget", "level": level},
        )
    value, ks, widths = best
    return QOutcome(
        ks.decision(inst, widths),
        Status.FEASIBLE,
        claimed=value,
        stats={"level": level, "level_budget": levels[level]},
    )
