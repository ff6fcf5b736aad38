"""QPART's closed form (formulations/qpart-closed-form.md): for a fixed partition the continuous
bit-widths b_g = (1/2) log2(k_g S / (s_g C_A)) share the budget in proportion to payload weight; with
the bit set's bounds, clipped water-filling (bisection on the common marginal cost) gives the exact
continuous optimum. Rounded up (``rounding='ceil'``, always within the budget) or to the nearest
width and then repaired (``'nearest-repair'``); the partition is chosen by enumeration."""

from __future__ import annotations

import math

import numpy as np

from partialload_opt.options import SolveOptions
from partialload_opt.qpart.instance import QInstance
from partialload_opt.qpart.knapsack import Knapsack, knapsack, memory_ok
from partialload_opt.qpart.solving import QOutcome
from partialload_opt.results import Status, Unsupported

ROUNDINGS = ("ceil", "nearest-repair")


def allocation_slopes(inst: QInstance, ks: Knapsack) -> np.ndarray:
    """The s_g the closed form shares the budget by: each group's payload slope, or under the 's_i'
    reading 'all' (the literal "connecting parameter size and activation size") w_l + a_l per layer."""
    if inst.reading("s_i") == "all":
        return np.array(
            [
                float(inst.w[g.layer - 1] + inst.a[g.layer]) if g.role == "layer" else g.slope
                for g in ks.groups
            ]
        )
    return np.array([g.slope for g in ks.groups])


def continuous_widths(ks: Knapsack, slopes: np.ndarray) -> np.ndarray | None:
    """The continuous optimum of min sum s_g b_g s.t. sum k_g 4^-b_g <= C_A, b in [min, max] of the
    bit set (None: even the widest bits break the budget). ``slopes`` are the s_g the allocation uses
    (the 's_i' reading); KKT: k_g 4^-b_g = lam s_g wherever b_g is not clipped."""
    lo, hi = float(ks.bits.min()), float(ks.bits.max())
    k = np.array([g.k for g in ks.groups], dtype=float)
    s = np.asarray(slopes, dtype=float)

    def widths(lam: float) -> np.ndarray:
        with np.errstate(divide="ignore"):
            b = 0.5 * np.log2(np.where((k > 0) & (s > 0), k / (lam * np.maximum(s, 1e-300)), 0.0))
        b = np.where(k <= 0, lo, np.where(s <= 0, hi, b))
        return np.clip(b, lo, hi)

    def used(b: np.ndarray) -> float:
        return float(np.sum(k * np.power(4.0, -b)))

    if used(np.full(len(k), hi)) > ks.budget:
        return None
    if used(np.full(len(k), lo)) <= ks.budget:
        return np.full(len(k), lo)
    a, z = 1e-300, 1e300  # used(widths(lam)) rises with lam: find the largest lam within the budget
    for _ in range(400):
        mid = math.sqrt(a * z)
        if used(widths(mid)) <= ks.budget:
            a = mid
        else:
            z = mid
        if z / a < 1 + 1e-15:
            break
    return widths(a)


def rounded(ks: Knapsack, b: np.ndarray, rounding: str) -> list[int] | None:
    """Integer widths from the continuous ones: up to the next width of the set, or nearest then
    repaired by raising, one step at a time, the width that buys the most budget per payload bit."""
    bits = ks.bits
    if rounding == "ceil":
        idx = np.searchsorted(bits, b - 1e-9, side="left")
    else:
        idx = np.abs(bits[None, :] - b[:, None]).argmin(axis=1)
    idx = np.minimum(idx, len(bits) - 1)
    acc = [g.acc(bits) for g in ks.groups]
    pay = [g.payload(bits) for g in ks.groups]
    while not ks.within(sum(float(acc[g][i]) for g, i in enumerate(idx))):
        gains = [
            ((acc[g][i] - acc[g][i + 1]) / max(pay[g][i + 1] - pay[g][i], 1e-300), g)
            for g, i in enumerate(idx)
            if i + 1 < len(bits)
        ]
        if not gains:
            return None
        idx[max(gains)[1]] += 1
    return [int(bits[i]) for i in idx]


def solve_closed_form(inst: QInstance, opts: SolveOptions) -> QOutcome:
    """QPART's closed form per partition (clipped water-filling), rounded up; best partition by enumeration."""
    rounding = opts["rounding"]
    if rounding not in ROUNDINGS:
        raise Unsupported("closed-form", "rounding", f"must be one of {', '.join(ROUNDINGS)}")
    best, continuous_feasible = None, False
    for p in inst.partitions:
        ks = knapsack(inst, p)
        slopes = allocation_slopes(inst, ks)
        b = continuous_widths(ks, slopes) if ks.groups else np.zeros(0)
        if b is None or (not ks.groups and not ks.within(0.0)):
            continue
        continuous_feasible = True
        widths = rounded(ks, b, rounding) if ks.groups else []
        if widths is None or not memory_ok(inst, ks, widths):
            continue
        value = ks.objective(float(sum(g.slope * w for g, w in zip(ks.groups, widths))))
        if best is None or value < best[0]:
            best = (value, ks, widths, b)
    if best is None:
        # the continuous relaxation over [min, max] bits contains every integer decision: no decision
        # exists when it is infeasible for every partition (a proof); otherwise the heuristic failed
        return QOutcome(
            None,
            Status.ERROR if continuous_feasible else Status.INFEASIBLE,
            stats={"reason": "no partition's rounded closed form fits"},
        )
    value, ks, widths, b = best
    return QOutcome(
        ks.decision(inst, widths),
        Status.FEASIBLE,
        claimed=value,
        stats={"rounding": rounding, "continuous_bits": [float(x) for x in b]},
    )
