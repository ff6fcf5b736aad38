"""qpart-rounding (K3): the closed form, rounded to integer bit-widths, is optimal. The paper does not
say how it rounds; the check uses rounding up (always within the budget).

without-loss: the rounded closed form (best partition by enumeration) costs what the exact integer
optimum costs (qpart-pareto / qpart-milp, cross-checked by qpart-cpsat)."""

from partialload_opt.qpart.claims.context import versus_optimum
from partialload_opt.verify.checks import VIOLATED, Check, Claim, skipped

CLAIM = Claim(
    "qpart-rounding",
    "the optimal quantization bit-width for layer i with given partition point p",
    (("without-loss", "-"),),
    "the exact integer optimum (qpart-pareto or qpart-milp, and qpart-cpsat)",
)


def check(ctx, reading: str, semantics: str) -> Check:
    best = ctx.optimum()
    if best is None:
        return skipped(CLAIM.id, reading, semantics, "no proved optimum")
    closed = ctx.result("closed-form")
    if best.objective is None:
        return skipped(CLAIM.id, reading, semantics, "no decision meets the budget")
    if closed is None or closed.objective is None:
        return Check(
            CLAIM.id,
            reading,
            semantics,
            VIOLATED,
            CLAIM.ground_truth,
            "the rounded closed form finds no decision although one exists",
            {"cause": "no-decision"},
        )
    vals = {"closed_form": closed.objective, "optimum": best.objective, "cause": "suboptimal"}
    return versus_optimum(
        CLAIM, reading, semantics, "closed-form", closed, best, vals, "the rounded closed form"
    )
