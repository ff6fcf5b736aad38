"""qpart-levels (K5): serving requests from patterns precomputed at five accuracy levels loses
nothing: Algorithm 2 "selects the quantization pattern that meets the requirement".

without-loss: qpart-alg (the level that meets the demand, the cheapest partition) costs what the
exact optimum at the request's own budget costs."""

from partialload_opt.verify.claims import HELD, VIOLATED, Check, Claim, skipped

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
    gap = (alg.objective - best.objective) / best.objective
    vals.update(
        algorithm=alg.objective,
        gap_relative=gap,
        level=alg.stats.get("level"),
        cause="between-levels",
    )
    if gap > 1e-9:
        return Check(
            CLAIM.id,
            reading,
            semantics,
            VIOLATED,
            CLAIM.ground_truth,
            f"Algorithm 2 costs {100 * gap:.2f}% more than the optimum",
            vals,
            {"qpart-alg": alg.decision.to_dict(), "optimum": best.decision.to_dict()},
        )
    return Check(CLAIM.id, reading, semantics, HELD, CLAIM.ground_truth, values=vals)
