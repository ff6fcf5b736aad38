"""Theorem 1: "Solving the original problem P1 is equivalent to first solving the below sub-problem
P2 and then determining the optimal spectrum bandwidth allocation using (12)."

without-loss: P1's optimum with the bandwidth fractions as variables (p1-scip, SCIP) equals P2's
optimum (dp-exact). Tiny instances only (p1-scip's guard); needs the [scip] extra."""

from partialload_opt.partialloading.claims.context import (
    HELD,
    SKIPPED,
    VIOLATED,
    Check,
    Claim,
    Context,
    skipped,
)

MAX_USERS = 4

CLAIM = Claim(
    "thm1",
    "Solving the original problem P1 is equivalent to first solving the below sub-problem "
    "P2 and then determining the optimal spectrum bandwidth allocation using (12).",
    (("without-loss", "continuous"),),
    "p1-scip vs dp-exact",
)


def check(ctx: Context, reading: str, semantics: str) -> Check:
    try:
        import pyscipopt  # noqa: F401
    except ImportError:
        return skipped(
            CLAIM.id, reading, semantics, "pyscipopt (the [scip] extra) is not installed"
        )
    if ctx.inst.K > MAX_USERS:
        return skipped(
            CLAIM.id, reading, semantics, f"p1-scip is run for K <= {MAX_USERS} here (SCIP time)"
        )
    r = ctx.result("p1-scip", "continuous")
    best, name, sched = ctx.form("continuous")
    if r is None or r.stats.get("scip_status") != "optimal" or best is None:
        return skipped(
            CLAIM.id,
            reading,
            semantics,
            f"SCIP did not solve P1 to optimality ({r.stats.get('scip_status') if r else 'refused'})",
        )
    vals = {
        "p1": r.served,
        "p2": best,
        "max_split_deviation": r.stats.get("max_split_deviation_from_eq12"),
    }
    if r.served == best:
        return Check(CLAIM.id, reading, semantics, HELD, CLAIM.ground_truth, values=vals)
    if r.served < best:
        ctx.bugs.append(f"thm1: p1-scip {r.served} below P2's {best}: P1 contains P2's solutions")
        return Check(CLAIM.id, reading, semantics, SKIPPED, CLAIM.ground_truth, "solver bug", vals)
    return Check(
        CLAIM.id,
        reading,
        semantics,
        VIOLATED,
        CLAIM.ground_truth,
        "P1 serves more than P2",
        vals,
        {"p1": r.schedule.to_dict(), **({"p2": sched.to_dict()} if sched is not None else {})},
    )
