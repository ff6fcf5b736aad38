"""Theorem 5: "The proposed Algorithm 3 solves P1 with a time complexity of O(K)."

measured: greedy-paper's running time with K (and I, T); the report fits the exponent in K and
reports it; no value is asserted."""

from partialload_opt.partialloading.claims.context import MEASURED, Check, Claim, Context
from partialload_opt.verify.report import fit

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


LINEAR_SLACK = 1.5
"""O(K) is read as violated when the fitted log-log slope in K exceeds this (>= 10 points)."""


def complexity_verdict(k_fit: dict) -> str:
    """held / violated / undetermined for a claimed linear running time."""
    if k_fit.get("exponent") is None or k_fit.get("n", 0) < 10:
        return "undetermined"
    return "violated" if k_fit["exponent"] > LINEAR_SLACK else "held"


def measure(vals: list[dict]) -> dict:
    """The report's measurement (time exponents in K, I, T) and its verdict on O(K)."""
    m = {axis: fit(vals, axis) for axis in ("K", "I", "T")}
    return {"measurement": m, "verdict": complexity_verdict(m["K"])}
