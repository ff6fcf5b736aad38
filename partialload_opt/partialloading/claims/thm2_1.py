"""Theorem 2.1: "Users requesting the same AI model must be scheduled in the same or consecutive
batches. Moreover, for a given AI model i, users in K_i must be scheduled in ascending order of p_k."

without-loss: the best schedule with Theorem 2.1's property (users of a model contiguous, each
batch taking the lowest-p_k users of its model not yet served; nothing about batch sizes) equals
the theorem-free optimum -- the theorem-free search restricted to the property (K <= 7), or
Theorem 2's whole form (exhaustive) where it attains the theorem-free optimum.
must: no optimal schedule breaks contiguity or the ascending-p_k order."""

from partialload_opt.partialloading.claims.context import Claim, property_check
from partialload_opt.partialloading.claims.properties import thm2_1_holds

CLAIM = Claim(
    "thm2_1",
    "Users requesting the same AI model must be scheduled in the same or consecutive batches. "
    "Moreover, for a given AI model i, users in K_i must be scheduled in ascending order of p_k.",
    (
        ("without-loss", "continuous"),
        ("without-loss", "slotted"),
        ("must", "continuous"),
        ("must", "slotted"),
    ),
    "the theorem-free search over schedules with the property (K <= 7) or exhaustive (Theorem-2 form) vs "
    "the theorem-free optimum (search, relaxation bound attained, cpsat-batch for K <= 12, or cpsat-segment in slotted time)",
)


check = property_check(CLAIM, thm2_1_holds)
