"""Theorem 5: "The proposed Algorithm 3 solves P1 with a time complexity of O(K)."

measured: greedy-paper's running time with K (and I, T); the report fits the exponent in K and
reports it; no value is asserted."""

from partialload_opt.verify.claims import MEASURED, Check, Claim, Context

CLAIM = Claim(
    "thm5",
    "The proposed Algorithm 3 solves P1 with a time complexity of O(K).",
    (("measured", "slotted"),),
    "timing",
)


def check(ctx: Context, reading: str, semantics: str) -> Check:
    inst = ctx.inst
    _, secs = ctx.timed("greedy-paper", "slotted")
    return Check(
        CLAIM.id,
        reading,
        semantics,
        MEASURED,
        "timing",
        values={"seconds": secs, "K": inst.K, "I": inst.I, "T": inst.T},
    )
