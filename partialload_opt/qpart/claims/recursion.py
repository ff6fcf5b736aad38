"""qpart-recursion (K4): Algorithm 1 "solves the bit-widths sequentially from layer p to layer 1" --
its backward recursion (eq. (27)) gives the joint closed-form solution.

must: for every partition and level, the recursion's unclipped widths equal
b_g = (1/2) log2(k_g S / (s_g C)) of the joint solution (to 1e-9 bits)."""

import numpy as np

from partialload_opt.qpart.algorithms import recursion_widths
from partialload_opt.qpart.knapsack import knapsack
from partialload_opt.verify.checks import HELD, VIOLATED, Check, Claim, skipped

CLAIM = Claim(
    "qpart-recursion",
    "solved sequentially from layer p to layer 1",
    (("must", "-"),),
    "the joint closed form b_g = (1/2) log2(k_g S / (s_g C_A))",
)


def check(ctx, reading: str, semantics: str) -> Check:
    inst = ctx.inst
    worst, compared = 0.0, 0
    for p in inst.partitions:
        ks = knapsack(inst, p)
        s = np.array([g.slope for g in ks.groups])
        k = np.array([g.k for g in ks.groups])
        if not ks.groups or (k <= 0).any():
            continue  # a tensor without noise has no interior width
        for c in (inst.budget, *inst.levels):
            joint = 0.5 * np.log2(k * s.sum() / (s * c))
            worst = max(worst, float(np.max(np.abs(recursion_widths(ks, c, s) - joint))))
            compared += 1
    if not compared:
        return skipped(CLAIM.id, reading, semantics, "no partition with noisy tensors only")
    vals = {"max_difference_bits": worst, "compared": compared}
    if worst > 1e-9:
        return Check(
            CLAIM.id,
            reading,
            semantics,
            VIOLATED,
            CLAIM.ground_truth,
            f"the recursion differs by {worst:.3g} bits",
            vals,
        )
    return Check(CLAIM.id, reading, semantics, HELD, CLAIM.ground_truth, values=vals)
