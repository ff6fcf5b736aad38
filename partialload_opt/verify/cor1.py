"""Corollary 1 (BLS): "The edge server schedules the model loading order across clusters in ascending
order of cluster index m. For each cluster m, it schedules the model loading order for models in I_m
in ascending order of l_i."

Checked separately in continuous time and in the paper's slotted time. without-loss: the best
schedule restricted to ascending l_i inside each cluster, ties in any order (dp-exact's subset DP
with only l-monotone arcs, which also assumes Theorems 2-3) equals the best without that restriction (dp-exact's subset DP / cpsat). The order
across clusters is a labelling (clusters share nothing), so only the order inside clusters is
checked. must: no optimal schedule (theorem-free search) loads a cluster's models out of order."""

from partialload_opt.verify.claims import (
    HELD,
    SKIPPED,
    VIOLATED,
    Check,
    Claim,
    Context,
    skipped,
    structural,
)
from partialload_opt.verify.properties import cor1_holds

CLAIM = Claim("cor1", "For each cluster m, it schedules the model loading order for models in I_m in "
              "ascending order of l_i.",
              (("without-loss", "continuous"), ("without-loss", "slotted"), ("must", "continuous"), ("must", "slotted")),
              "dp-exact over ascending-l_i orders vs dp-exact subset DP / cpsat")


def check(ctx: Context, reading: str, semantics: str) -> Check:
    inst = ctx.inst
    if not inst.is_bls:
        return skipped(CLAIM.id, reading, semantics, "not a BLS instance")
    if reading == "must":
        chain = ctx.result("dp-exact", semantics, method="ascending-l")
        return structural(ctx, CLAIM, reading, semantics, cor1_holds,
                          lambda: (chain.served, "dp-exact ascending-l", chain.schedule) if chain else (None, "", None))
    chain = ctx.result("dp-exact", semantics, method="ascending-l")
    best, name, sched = ctx.form(semantics)
    if chain is None or best is None:
        return skipped(CLAIM.id, reading, semantics, "an exact solver refused the instance")
    gt = f"dp-exact over ascending-l_i orders (ties in any order) vs {name}"
    vals = {"ascending_optimum": chain.served, "unrestricted_optimum": best}
    if chain.served > best:
        ctx.bugs.append(f"cor1: ascending-order optimum {chain.served} above the optimum {best} ({semantics})")
        return Check(CLAIM.id, reading, semantics, SKIPPED, gt, "solver bug", vals)
    if chain.served == best:
        return Check(CLAIM.id, reading, semantics, HELD, gt, values=vals)
    return Check(CLAIM.id, reading, semantics, VIOLATED, gt,
                 f"ascending l_i serves {chain.served}, another order {best}", vals,
                 {"ascending": chain.schedule.to_dict(), "optimal": sched.to_dict()})
