"""Corollary 1 (BLS): "The edge server schedules the model loading order across clusters in ascending
order of cluster index m. For each cluster m, it schedules the model loading order for models in I_m
in ascending order of l_i."

Checked separately in continuous time and in the paper's slotted time. without-loss: the best
Theorem-2-form schedule restricted to ascending l_i inside each cluster, ties in any order
(dp-exact's subset DP with only l-monotone arcs) equals the best Theorem-2-form schedule in any
model order (dp-exact's unrestricted subset DP; exhaustive when its state guard refuses). The
order across clusters is a labelling (clusters share nothing), so only the order inside clusters
is checked. must: no optimal schedule (theorem-free search) loads a cluster's models out of order."""

from partialload_opt.partialloading.claims.context import (
    HELD,
    SKIPPED,
    VIOLATED,
    Check,
    Claim,
    Context,
    form_exact,
    skipped,
    structural,
    unusable,
)
from partialload_opt.partialloading.claims.properties import cor1_holds

CLAIM = Claim(
    "cor1",
    "For each cluster m, it schedules the model loading order for models in I_m in "
    "ascending order of l_i.",
    (
        ("without-loss", "continuous"),
        ("without-loss", "slotted"),
        ("must", "continuous"),
        ("must", "slotted"),
    ),
    "dp-exact over ascending-l_i orders (ties in any order) vs dp-exact's subset DP over every order "
    "(or exhaustive), both in Theorem 2's form",
)


def any_order(ctx: Context, semantics: str):
    """The Theorem-2-form optimum over every model order: (value, name, schedule)."""
    r = ctx.result("dp-exact", semantics, method="subsets")
    if form_exact(r):
        return r.served, "dp-exact subset DP", r.schedule
    return ctx.orders(semantics)


def check(ctx: Context, reading: str, semantics: str) -> Check:
    inst = ctx.inst
    if not inst.is_bls:
        return skipped(CLAIM.id, reading, semantics, "not a BLS instance")
    chain = ctx.result("dp-exact", semantics, method="ascending-l")
    why = unusable(chain)
    if why:
        return skipped(CLAIM.id, reading, semantics, why)
    if reading == "must":
        return structural(
            ctx,
            CLAIM,
            reading,
            semantics,
            cor1_holds,
            lambda: (chain.served, "dp-exact ascending-l", chain.schedule),
        )
    best, name, sched = any_order(ctx, semantics)
    if best is None:
        return skipped(CLAIM.id, reading, semantics, "no Theorem-2-form optimum over every order")
    gt = f"dp-exact over ascending-l_i orders (ties in any order) vs {name}"
    vals = {"ascending_optimum": chain.served, "any_order_optimum": best}
    if chain.served > best:
        ctx.bugs.append(
            f"cor1: ascending-order optimum {chain.served} above the any-order optimum {best} ({semantics})"
        )
        return Check(CLAIM.id, reading, semantics, SKIPPED, gt, "solver bug", vals)
    if chain.served == best:
        return Check(CLAIM.id, reading, semantics, HELD, gt, values=vals)
    return Check(
        CLAIM.id,
        reading,
        semantics,
        VIOLATED,
        gt,
        f"ascending l_i serves {chain.served}, another order {best}",
        vals,
        {"ascending": chain.schedule.to_dict(), "optimal": sched.to_dict()},
    )
