"""Theorem 2.2: "For consecutive batches requiring the same model, all batches except the last one
should admit the maximum number of users within the GPU memory constraint."

without-loss: the best schedule with Theorem 2.2's property alone (in every run of one model's
batches, all but the last are full; any users, any order, revisits allowed) equals the
theorem-free optimum -- the theorem-free search restricted to the property (K <= 7), or Theorem
2's whole form where it attains the theorem-free optimum. must: no optimal schedule has a non-full
batch before the last of its run."""

from partialload_opt.partialloading.claims.context import Claim, property_check
from partialload_opt.partialloading.claims.properties import thm2_2_holds

CLAIM = Claim(
    "thm2_2",
    "For consecutive batches requiring the same model, all batches except the last one "
    "should admit the maximum number of users within the GPU memory constraint.",
    (
        ("without-loss", "continuous"),
        ("without-loss", "slotted"),
        ("must", "continuous"),
        ("must", "slotted"),
    ),
    "the theorem-free search over schedules with full batches first (K <= 7) or exhaustive (Theorem-2 form) "
    "vs the theorem-free optimum (search, relaxation bound attained, cpsat-batch for K <= 12, or cpsat-segment in slotted time)",
)


check = property_check(CLAIM, thm2_2_holds)
