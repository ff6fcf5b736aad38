"""Theorem 2.2: "For consecutive batches requiring the same model, all batches except the last one
should admit the maximum number of users within the GPU memory constraint."

without-loss: as Theorem 2.1 (the Theorem-2-form optimum, which batches full-first, equals the
theorem-free optimum). must: no optimal schedule has a non-full batch before the last of its run."""

from partialload_opt.verify.claims import Claim, Context, structural
from partialload_opt.verify.properties import thm2_2_holds

CLAIM = Claim("thm2_2", "For consecutive batches requiring the same model, all batches except the last one "
              "should admit the maximum number of users within the GPU memory constraint.",
              (("without-loss", "continuous"), ("without-loss", "slotted"), ("must", "continuous"), ("must", "slotted")),
              "exhaustive (Theorem-2 form) vs the theorem-free search (K <= 7) / a schedule attaining the theorem-free relaxation bound or milp-batch (continuous, K <= 12)")


def check(ctx: Context, reading: str, semantics: str):
    return structural(ctx, CLAIM, reading, semantics, thm2_2_holds,
                      lambda: ctx.orders(semantics))
