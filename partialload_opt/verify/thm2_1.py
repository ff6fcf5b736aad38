"""Theorem 2.1: "Users requesting the same AI model must be scheduled in the same or consecutive
batches. Moreover, for a given AI model i, users in K_i must be scheduled in ascending order of p_k."

without-loss: the best Theorem-2-form schedule (exhaustive: every model order, prefix counts,
full batches) equals the theorem-free optimum. (The form also builds in Theorem 2.2, so a
violation here is a violation of Theorem 2 as a whole; must-readings separate 2.1 from 2.2.)
must: no optimal schedule breaks contiguity or the ascending-p_k order."""

from partialload_opt.verify.claims import Claim, Context, structural
from partialload_opt.verify.properties import thm2_1_holds

CLAIM = Claim("thm2_1", "Users requesting the same AI model must be scheduled in the same or consecutive batches. "
              "Moreover, for a given AI model i, users in K_i must be scheduled in ascending order of p_k.",
              (("without-loss", "continuous"), ("without-loss", "slotted"), ("must", "continuous"), ("must", "slotted")),
              "exhaustive (Theorem-2 form, any order) vs the theorem-free search (K <= 7) / a schedule attaining the theorem-free relaxation bound or milp-batch (continuous, K <= 12)")


def check(ctx: Context, reading: str, semantics: str):
    return structural(ctx, CLAIM, reading, semantics, thm2_1_holds,
                      lambda: ctx.orders(semantics))
