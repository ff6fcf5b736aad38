"""Theorem 3 (BLS): "users requesting models from the same cluster must be scheduled in the same or
consecutive batches."

without-loss: the best schedule with clusters contiguous (dp-exact, which also assumes Theorem 2)
equals the theorem-free optimum. must: no optimal schedule interleaves two clusters."""

from partialload_opt.verify.claims import Claim, Context, skipped, structural
from partialload_opt.verify.properties import thm3_holds

CLAIM = Claim("thm3", "In X~*, users requesting models from the same cluster must be scheduled in the same "
              "or consecutive batches.",
              (("without-loss", "continuous"), ("without-loss", "slotted"), ("must", "continuous"), ("must", "slotted")),
              "dp-exact (clusters contiguous) vs the theorem-free search (K <= 7) / a schedule attaining the theorem-free relaxation bound or milp-batch (continuous, K <= 12)")


def check(ctx: Context, reading: str, semantics: str):
    if not ctx.inst.is_bls:
        return skipped(CLAIM.id, reading, semantics, "not a BLS instance")
    return structural(ctx, CLAIM, reading, semantics, thm3_holds, lambda: ctx.form(semantics))
