"""Remark 4: "while Algorithm 2 is designed for the BLS case, it also guarantees an optimal solution
for independent model loading with the same computational time complexity."

without-loss: dp-paper run on the Independent view (nothing shared: the `independent` solver) serves
as many users, scored without sharing, as the exact optimum of the Independent view."""

from partialload_opt.partialloading.claims.context import Check, Claim, Context
from partialload_opt.partialloading.claims.thm4 import algorithm_vs_optimum

CLAIM = Claim(
    "remark4",
    "while Algorithm 2 is designed for the BLS case, it also guarantees an optimal "
    "solution for independent model loading with the same computational time complexity.",
    (("without-loss", "slotted"), ("without-loss", "continuous")),
    "dp-exact on the Independent view",
)


def check(ctx: Context, reading: str, semantics: str) -> Check:
    r = ctx.result("independent", "slotted")
    return algorithm_vs_optimum(
        ctx, CLAIM.id, reading, semantics, r, "independent", loading="independent"
    )
