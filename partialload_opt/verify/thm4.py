"""Theorem 4: "The proposed Algorithm 2 achieves the optimal solution to P1 in the BLS case with a
polynomial-time computational complexity O(MI^2K)."

without-loss (the optimum is attained): dp-paper's schedule serves as many users as the exact
optimum, in the paper's own slotted time and in continuous time (its slotted schedule is feasible
in continuous time too). measured: its running time with M, I, K, T, for the exponent fit in the
report."""

from partialload_opt.verify.claims import (
    HELD,
    MEASURED,
    SKIPPED,
    VIOLATED,
    Check,
    Claim,
    Context,
    skipped,
)

CLAIM = Claim("thm4", "The proposed Algorithm 2 achieves the optimal solution to P1 in the BLS case with a "
              "polynomial-time computational complexity O(MI^2K).",
              (("without-loss", "slotted"), ("without-loss", "continuous"), ("measured", "slotted")),
              "dp-exact (or cpsat) optimum")


def algorithm_vs_optimum(ctx: Context, claim: str, reading: str, semantics: str, result, label: str,
                         loading: str = "shared") -> Check:
    """Does an algorithm's schedule (scored in ``semantics``) reach the exact optimum?"""
    from partialload_opt.schedule import evaluate

    inst = ctx.inst
    best, name, sched = ctx.form(semantics) if loading == "shared" else ctx.independent_form(semantics)
    if best is None:
        return skipped(claim, reading, semantics, "no exact optimum (solvers refused or timed out)")
    got = evaluate(inst, result.schedule, semantics=semantics, loading=loading).served
    vals = {"algorithm": got, "optimum": best}
    if got > best:
        ctx.bugs.append(f"{claim}: {label} serves {got} > optimum {best} ({semantics})")
        return Check(claim, reading, semantics, SKIPPED, name, "solver bug", vals)
    if got == best:
        return Check(claim, reading, semantics, HELD, name, values=vals)
    return Check(claim, reading, semantics, VIOLATED, name, f"{label} serves {got}, the optimum is {best}", vals,
                 {label: result.schedule.to_dict(), "optimal": sched.to_dict()})


def check(ctx: Context, reading: str, semantics: str) -> Check:
    inst = ctx.inst
    if not inst.is_bls:
        return skipped(CLAIM.id, reading, semantics, "not a BLS instance")
    r, secs = ctx.timed("dp-paper", "slotted")
    if reading == "measured":
        return Check(CLAIM.id, reading, semantics, MEASURED, "timing",
                     values={"seconds": secs, "M": len(inst.clusters), "I": inst.I, "K": inst.K, "T": inst.T})
    c = algorithm_vs_optimum(ctx, CLAIM.id, reading, semantics, r, "dp-paper")
    c.values["l_ties"] = any(len({inst.l[i] for i in cl if len(inst.users_of[i])}) < sum(
        1 for i in cl if len(inst.users_of[i])) for cl in inst.clusters)  # ties are broken by id
    return c
