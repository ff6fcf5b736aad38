"""Theorem 3 (BLS): "users requesting models from the same cluster must be scheduled in the same or
consecutive batches."

without-loss: the best schedule with clusters contiguous equals the theorem-free optimum -- the
theorem-free search restricted to that property (K <= 7), or dp-exact's optimum (clusters
contiguous and Theorem 2's form) where it attains the theorem-free optimum. must: no optimal
schedule interleaves two clusters."""

from partialload_opt.verify.claims import Claim, Context, property_optimum, skipped, structural
from partialload_opt.verify.properties import thm3_holds

CLAIM = Claim(
    "thm3",
    "In X~*, users requesting models from the same cluster must be scheduled in the same "
    "or consecutive batches.",
    (
        ("without-loss", "continuous"),
        ("without-loss", "slotted"),
        ("must", "continuous"),
        ("must", "slotted"),
    ),
    "the theorem-free search over cluster-contiguous schedules (K <= 7) or dp-exact vs the theorem-free "
    "optimum (search, relaxation bound attained, or cpsat-batch for K <= 12)",
)


def check(ctx: Context, reading: str, semantics: str):
    if not ctx.inst.is_bls:
        return skipped(CLAIM.id, reading, semantics, "not a BLS instance")
    return structural(
        ctx,
        CLAIM,
        reading,
        semantics,
        thm3_holds,
        lambda: property_optimum(ctx, semantics, thm3_holds, lambda: ctx.form(semantics)),
    )
