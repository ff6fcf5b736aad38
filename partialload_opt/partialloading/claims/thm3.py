"""Theorem 3 (BLS): "users requesting models from the same cluster must be scheduled in the same or
consecutive batches."

without-loss: the best schedule with clusters contiguous equals the theorem-free optimum -- the
theorem-free search restricted to that property (K <= 7), or dp-exact's optimum (clusters
contiguous and Theorem 2's form) where it attains the theorem-free optimum. must: no optimal
schedule interleaves two clusters."""

from partialload_opt.partialloading.claims.context import Claim, property_check
from partialload_opt.partialloading.claims.properties import thm3_holds

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
    "optimum (search, relaxation bound attained, cpsat-batch for K <= 12, or cpsat-segment in slotted time)",
)


check = property_check(CLAIM, thm3_holds, lambda ctx, semantics: ctx.form(semantics), bls_only=True)
