"""Optimality gaps of the paper's algorithms: "the served user ratio of PartialLoading Gen is only
about 3.7% lower than the exhaustive search" (BLS) and "only degrades by about 4.3%" (general), Fig. 9.

measured: (optimum - served) / optimum for greedy-paper (any instance) and dp-paper (BLS), in the
paper's slotted time, against a proved slotted optimum (Theorem 2's form where proved, else the
theorem-free optimum); the report gives mean, quantiles, worst case per case and size. An algorithm
that ended in error or time-out is left out of the gaps and named in the check's values."""

from partialload_opt.partialloading.claims.context import (
    MEASURED,
    Check,
    Claim,
    Context,
    skipped,
    unusable,
)
from partialload_opt.verify.report import gap_stats

CLAIM = Claim(
    "gaps",
    "the served user ratio of PartialLoading Gen is only about 3.7% lower than the "
    "exhaustive search ... [general case] only degrades by about 4.3%",
    (("measured", "slotted"),),
    "a proved slotted optimum (dp-exact / cpsat where Theorem 2's form is "
    "proved, else the theorem-free search or cpsat-batch)",
)


def check(ctx: Context, reading: str, semantics: str) -> Check:
    inst = ctx.inst
    best, name, _ = ctx.optimum("slotted")
    if best is None:
        return skipped(CLAIM.id, reading, semantics, f"no proved slotted optimum ({name})")
    vals: dict[str, object] = {
        "optimum": best,
        "case": "bls" if inst.is_bls else "general",
        "K": inst.K,
        "I": inst.I,
    }
    algos = ["greedy-paper"] + (["dp-paper"] if inst.is_bls else [])
    for a in algos:
        r = ctx.result(a, "slotted")
        why = unusable(r)
        if why:
            vals[f"{a}_skipped"] = why
            continue
        vals[a] = r.served
        vals[f"{a}_gap"] = (best - r.served) / best if best else 0.0
        if r.served > best:
            ctx.bugs.append(f"gaps: {a} serves {r.served} above the proved optimum {best}")
    return Check(CLAIM.id, reading, semantics, MEASURED, name, values=vals)


PAPER_GAPS = {"greedy-paper/bls": 0.037, "greedy-paper/general": 0.043}
"""The paper's "about 3.7%" (BLS) and "about 4.3%" (general) mean gaps of Gen to the optimum."""
GAP_SLACK = 1.5


def gap_verdict(measurement: dict) -> str:
    """violated when a mean gap exceeds GAP_SLACK x the paper's figure on >= 20 instances."""
    judged = {k: v for k, v in measurement.items() if k in PAPER_GAPS and v["n"] >= 20}
    if not judged:
        return "undetermined"
    return (
        "violated"
        if any(v["mean"] > GAP_SLACK * PAPER_GAPS[k] for k, v in judged.items())
        else "held"
    )


def measure(vals: list[dict]) -> dict:
    """The report's gap statistics per algorithm and case, and the verdict against the paper's."""
    m = {}
    for algo in ("greedy-paper", "dp-paper"):
        for case in ("bls", "general"):
            g = [v[f"{algo}_gap"] for v in vals if f"{algo}_gap" in v and v["case"] == case]
            if g:
                m[f"{algo}/{case}"] = gap_stats(g)
    return {"measurement": m, "verdict": gap_verdict(m)}
