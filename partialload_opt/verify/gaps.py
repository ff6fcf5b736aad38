"""Optimality gaps of the paper's algorithms: "the served user ratio of PartialLoading Gen is only
about 3.7% lower than the exhaustive search" (BLS) and "only degrades by about 4.3%" (general), Fig. 9.

measured: (optimum - served) / optimum for greedy-paper (any instance) and dp-paper (BLS), in the
paper's slotted time, against the exact slotted optimum; the report gives mean, quantiles, worst case
per case (BLS / general) and size."""

from partialload_opt.verify.claims import MEASURED, Check, Claim, Context, skipped

CLAIM = Claim("gaps", "the served user ratio of PartialLoading Gen is only about 3.7% lower than the "
              "exhaustive search ... [general case] only degrades by about 4.3%",
              (("measured", "slotted"),), "dp-exact (or cpsat) slotted optimum")


def check(ctx: Context, reading: str, semantics: str) -> Check:
    inst = ctx.inst
    best, name, _ = ctx.form("slotted")
    if best is None:
        return skipped(CLAIM.id, reading, semantics, "no exact slotted optimum")
    vals = {"optimum": best, "case": "bls" if inst.is_bls else "general", "K": inst.K, "I": inst.I}
    algos = ["greedy-paper"] + (["dp-paper"] if inst.is_bls else [])
    for a in algos:
        served = ctx.result(a, "slotted").served
        vals[a] = served
        vals[f"{a}_gap"] = (best - served) / best if best else 0.0
    return Check(CLAIM.id, reading, semantics, MEASURED, name, values=vals)
