"""qpart-levels (K5): serving requests from patterns precomputed at five accuracy levels loses
nothing: Algorithm 2 "selects the quantization pattern that meets the requirement".

without-loss: qpart-alg (the level that meets the demand, the cheapest partition) costs what the
exact optimum at the request's own budget costs."""

from partialload_opt.qpart.claims.context import versus_optimum
from partialload_opt.verify.checks import VIOLATED, Check, Claim, skipped

CLAIM = Claim(
    "qpart-levels",
    "select the quantization pattern that meets the requirement of the accuracy degradation",
    (("without-loss", "-"),),
    "the exact optimum at the request's budget",
)


def check(ctx, reading: str, semantics: str) -> Check:
    if not ctx.inst.levels:
        return skipped(CLAIM.id, reading, semantics, "the instance gives no accuracy levels")
    best = ctx.optimum()
    if best is None or best.objective is None:
        return skipped(
            CLAIM.id, reading, semantics, "no proved optimum, or no decision meets the budget"
        )
    alg = ctx.result("qpart-alg")
    vals = {"optimum": best.objective, "levels": list(ctx.inst.levels), "budget": ctx.inst.budget}
    if alg is None or alg.objective is None:
        why = (alg.stats.get("reason") if alg is not None else None) or "no decision"
        return Check(
            CLAIM.id,
            reading,
            semantics,
            VIOLATED,
            CLAIM.ground_truth,
            f"Algorithm 2 serves nothing: {why}",
            dict(vals, cause="no-level"),
        )
    vals.update(algorithm=alg.objective, level=alg.stats.get("level"), cause="between-levels")
    return versus_optimum(CLAIM, reading, semantics, "qpart-alg", alg, best, vals, "Algorithm 2")
