"""qpart-partition (K6): the partition point the paper's method picks is the optimal one. Its
derivative in p treats an integer as continuous; the method as run picks p by enumerating partitions
with the closed form's bit-widths (Algorithm 2's loop).

without-loss: that partition point is one where the exact optimum is attained (the exact optimum
restricted to it equals the overall optimum)."""

from partialload_opt.verify.checks import HELD, VIOLATED, Check, Claim, skipped

CLAIM = Claim(
    "qpart-partition",
    "the optimal value of ... partition point can be derived",
    (("without-loss", "-"),),
    "per-partition exact optima (the Pareto DP) and the overall optimum",
)


def check(ctx, reading: str, semantics: str) -> Check:
    inst = ctx.inst
    why = ctx.partition_optima_unavailable()
    if why:
        return skipped(CLAIM.id, reading, semantics, why)
    best = ctx.optimum()
    closed = ctx.result("closed-form")
    if best is None or best.objective is None or closed is None or closed.decision is None:
        return skipped(CLAIM.id, reading, semantics, "no optimum or no closed-form decision")
    from partialload_opt.qpart.knapsack import knapsack

    p = closed.decision.partition
    got = ctx.partition_optimum(p)
    at_p = None if got is None else knapsack(inst, p).objective(got[0])
    vals = {
        "paper_partition": p,
        "optimal_partition": best.decision.partition,
        "optimum": best.objective,
        "optimum_at_paper_partition": at_p,
    }
    if at_p is None or at_p > best.objective * (1 + 1e-9):
        return Check(
            CLAIM.id,
            reading,
            semantics,
            VIOLATED,
            CLAIM.ground_truth,
            f"partition {p} (the closed form's) cannot reach the optimum of partition "
            f"{best.decision.partition}",
            vals,
            {"closed-form": closed.decision.to_dict(), "optimum": best.decision.to_dict()},
        )
    return Check(CLAIM.id, reading, semantics, HELD, CLAIM.ground_truth, values=vals)
