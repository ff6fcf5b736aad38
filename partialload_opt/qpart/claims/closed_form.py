"""qpart-closed-form (K2): "the optimal value of quantization bit-width ... can be derived" -- the
closed form is the optimum of the continuous relaxation for a fixed partition.

must: for every partition, the clipped water-filling widths satisfy the KKT conditions of
min sum s_g b_g s.t. sum k_g 4^-b_g <= C_A, b in [min, max] (a common multiplier for the unclipped
groups, the clipped ones on the right side of it, the budget used exactly when any group is not at
its lowest width), and no feasible continuous point among 200 random ones per partition pays less."""

import numpy as np

from partialload_opt.qpart.closed_form import continuous_widths
from partialload_opt.qpart.knapsack import knapsack
from partialload_opt.verify.checks import HELD, VIOLATED, Check, Claim

CLAIM = Claim(
    "qpart-closed-form",
    "the optimal value of quantization bit-width and partition point can be derived",
    (("must", "-"),),
    "KKT conditions and random feasible continuous points, per partition",
)
TOL = 1e-6


def kkt_residual(k, s, b, lo, hi, budget) -> float:
    """Largest relative violation of the KKT conditions at b."""
    marg = k * np.power(4.0, -b) / s  # budget per payload bit bought at the margin
    free = (b > lo + 1e-9) & (b < hi - 1e-9) & (k > 0)
    worst = 0.0
    if free.any():
        lam = np.median(marg[free])
        worst = max(worst, float(np.max(np.abs(marg[free] - lam) / lam)))
        at_lo, at_hi = (b <= lo + 1e-9) & (k > 0), b >= hi - 1e-9
        if at_lo.any():  # raising b there would buy less than lam: the marginal is at most lam
            worst = max(worst, float(np.max((marg[at_lo] - lam) / lam)))
        if at_hi.any():
            worst = max(worst, float(np.max((lam - marg[at_hi]) / lam)))
        used = float(np.sum(k * np.power(4.0, -b)))
        worst = max(worst, abs(used - budget) / budget)
    return worst


def check(ctx, reading: str, semantics: str) -> Check:
    inst = ctx.inst
    rng = np.random.default_rng(inst.L)
    worst, beaten = 0.0, None
    for p in inst.partitions:
        ks = knapsack(inst, p)
        if not ks.groups:
            continue
        s = np.array([g.slope for g in ks.groups])
        k = np.array([g.k for g in ks.groups])
        b = continuous_widths(ks, s)
        if b is None:
            continue
        lo, hi = float(ks.bits.min()), float(ks.bits.max())
        worst = max(worst, kkt_residual(k, s, b, lo, hi, ks.budget))
        pts = rng.uniform(lo, hi, (200, len(k)))
        ok = np.sum(k * np.power(4.0, -pts), axis=1) <= ks.budget
        if ok.any() and float((pts[ok] @ s).min()) < float(b @ s) * (1 - 1e-9):
            beaten = p
    vals = {"kkt_residual": worst, "partitions": len(inst.partitions)}
    if worst > TOL or beaten is not None:
        why = (
            f"a random feasible point pays less at partition {beaten}"
            if beaten is not None
            else f"KKT residual {worst:.3g}"
        )
        return Check(CLAIM.id, reading, semantics, VIOLATED, CLAIM.ground_truth, why, vals)
    return Check(CLAIM.id, reading, semantics, HELD, CLAIM.ground_truth, values=vals)
