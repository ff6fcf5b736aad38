"""Theorem 4: "The proposed Algorithm 2 achieves the optimal solution to P1 in the BLS case with a
polynomial-time computational complexity O(MI^2K)."

P1 is a continuous-time problem (its deadline is eq. (13c)): the continuous reading is the claim as
printed; the slotted reading asks whether Algorithm 2 is optimal in its own slotted time.
without-loss: dp-paper's schedule serves as many users as a proved optimum (continuous: dp-exact,
Theorem 2's form is proved there; slotted: the theorem-free optimum unless Theorem 2's form is
proved); a better feasible schedule is a violation even where no optimum is proved. Every
violation gets exactly one cause (``cause``):
* ``recursion``: dp-paper serves fewer than the exact optimum over its own model order (ascending
  l_i, ties by id: dp-exact's chain DP in slotted time); ``recursion_step`` names the equation;
* ``tie-order``: it attains its own order's optimum, but another order of tied l_i serves more;
* ``slot-rounding-order``: the best ascending-l_i schedule (any tie order) is below a slotted
  schedule that is not ascending (Corollary 1 fails under per-segment rounding);
* ``cost-of-slotting`` (continuous only): dp-paper is slotted-optimal among ascending orders and
  no known slotted schedule beats it, but continuous time serves more.
measured: its running time with M, I, K, T, for the exponent fit in the report."""

from __future__ import annotations

import numpy as np

from partialload_opt.partialloading.claims.context import (
    HELD,
    MEASURED,
    SKIPPED,
    VIOLATED,
    Check,
    Claim,
    Context,
    skipped,
    unusable,
)
from partialload_opt.verify.report import fit

CLAIM = Claim(
    "thm4",
    "The proposed Algorithm 2 achieves the optimal solution to P1 in the BLS case with a "
    "polynomial-time computational complexity O(MI^2K).",
    (("without-loss", "slotted"), ("without-loss", "continuous"), ("measured", "slotted")),
    "a proved optimum (dp-exact / cpsat where Theorem 2's form is proved, else the theorem-free search "
    "or cpsat-batch), or any better feasible schedule as a witness",
)

CAUSES = ("recursion", "tie-order", "slot-rounding-order", "cost-of-slotting")
CAUSE_READINGS = ("without-loss",)  # the report counts these causes even when none occurred


def algorithm_vs_optimum(
    ctx: Context,
    claim: str,
    reading: str,
    semantics: str,
    result,
    label: str,
    loading: str = "shared",
) -> Check:
    """Does an algorithm's schedule (scored in ``semantics``) reach the optimum? A better known
    feasible schedule proves it does not; 'held' needs a proved optimum."""
    from partialload_opt.partialloading.schedule import evaluate

    inst = ctx.inst
    why = unusable(result)
    if why:
        return skipped(claim, reading, semantics, why)
    if loading == "shared":
        proved, known = ctx.optimum(semantics), ctx.best_known(semantics)
    else:
        proved = known = ctx.independent_form(semantics)
    ev = evaluate(inst, result.schedule, semantics=semantics, loading=loading)
    if not ev.feasible:
        ctx.bugs.append(
            f"{claim}: {label}'s schedule breaks the rules in {semantics} time: {ev.violations[0]}"
        )
        return skipped(
            claim, reading, semantics, f"{label}'s schedule breaks the rules (a solver bug)"
        )
    got = ev.served
    vals = {"algorithm": got, "optimum": proved[0], "best_known": known[0]}
    if known[0] is not None and got < known[0]:
        return Check(
            claim,
            reading,
            semantics,
            VIOLATED,
            known[1],
            f"{label} serves {got}, {known[1]} serves {known[0]}",
            vals,
            {
                label: result.schedule.to_dict(),
                **({"optimal": known[2].to_dict()} if known[2] else {}),
            },
        )
    if proved[0] is None:
        return skipped(claim, reading, semantics, f"no proved optimum ({proved[1]})")
    if got > proved[0]:
        ctx.bugs.append(f"{claim}: {label} serves {got} > optimum {proved[0]} ({semantics})")
        return Check(claim, reading, semantics, SKIPPED, proved[1], "solver bug", vals)
    return Check(claim, reading, semantics, HELD, proved[1], values=vals)


def cause(ctx: Context, paper_served: int) -> tuple[str, str]:
    """The one cause of a violation (CAUSES), with a sentence saying what was compared."""
    own = ctx.result("dp-exact", "slotted", method="chain")
    if unusable(own):
        return "undetermined", f"no own-order optimum: {unusable(own)}"
    if paper_served < own.served:
        return "recursion", (
            f"dp-paper serves {paper_served} in slotted time, its own order (ascending l_i, ties by id) "
            f"allows {own.served}; {recursion_step(ctx.inst)}"
        )
    best, how, _ = ctx.best_known("slotted")
    proved = ctx.optimum("slotted")[0] is not None
    if best is None or own.served < best:  # another order is better: which kind?
        ties = ctx.result("dp-exact", "slotted", method="ascending-l")
        if unusable(ties):
            return "undetermined", f"no ascending-l_i optimum over tie orders: {unusable(ties)}"
        if own.served < ties.served:
            return (
                "tie-order",
                f"its own tie order allows {own.served}, another order of tied l_i {ties.served}",
            )
        if best is not None and ties.served < best:
            return "slot-rounding-order", (
                f"the best ascending-l_i schedule serves {ties.served} in slotted time, "
                f"{how} serves {best}"
            )
    if proved and best is not None and paper_served == best:
        return (
            "cost-of-slotting",
            f"dp-paper attains the proved slotted optimum ({best}); continuous time serves more",
        )
    return "cost-of-slotting", (
        f"dp-paper attains the best known slotted count ({paper_served}); continuous time "
        "serves more"
    )


def recursion_step(inst) -> str:
    """Instrument Algorithms 1-2: the first g_m(i, tau2) entry below the exact value over the same
    model order (E[i, t]: most users with model i last within t slots), and the term of eq. (19)
    that drops the exact schedule. Rows before it are exact, so the exact schedule's predecessor
    i_hat contributes E[i_hat, t - tau_hat] <= g_m(i_hat, t - tau_hat): only eq. (19)'s two
    conditions on g_m(i_hat, tau2 - tau_hat) can exclude it."""
    from partialload_opt.partialloading.algorithms.dp_paper import dp_paper_tables
    from partialload_opt.partialloading.segments import SegmentCosts

    tables, _ = dp_paper_tables(inst, SegmentCosts.of(inst, "optimal", "paper"))
    T = inst.T
    for c, tab in enumerate(tables):
        q, g, n = tab.q, tab.g, len(tab.order)
        E = np.full((n + 1, T + 1), -1, dtype=np.int64)
        arg: dict = {}
        for i in range(1, n + 1):
            for t in range(1, T + 1):
                best, how = (int(q[0, i, t]), (0, t)) if q[0, i, t] >= 1 else (-1, None)
                for h in range(1, i):
                    th = np.arange(1, t)
                    prev, seg = E[h, t - th], q[h, i, th]
                    v = np.where((prev >= 1) & (seg >= 1), prev + seg, -1)
                    if len(v) and v.max() > best:
                        best, how = int(v.max()), (h, int(th[v.argmax()]))
                E[i, t], arg[i, t] = best, how
        exact = np.maximum.accumulate(np.maximum(E, 0), axis=0)
        bad = np.argwhere(g[1:, 1:] < exact[1:, 1:])
        if len(bad):
            i, t = int(bad[0][0]) + 1, int(bad[0][1]) + 1
            h, th = arg[i, t]
            model = inst.models[tab.order[i - 1]].id
            if h == 0:
                return (
                    f"eq. (19) at g_m(i={i} '{model}', tau2={t}) = {g[i, t]} < {exact[i, t]} (cluster {c}): "
                    f"the exact schedule has no predecessor"
                )
            pred = inst.models[tab.order[h - 1]].id
            rest = t - th
            if g[h, rest] == g[h - 1, rest]:
                cond = (
                    f"excluded by the condition g_m(i_hat, tau2 - tau_hat) != g_m(i_hat - 1, tau2 - tau_hat) "
                    f"(both {g[h, rest]}): the predecessor is not needed to reach that count, but its "
                    f"loading makes model i cheaper"
                )
            else:
                cond = f"excluded by the condition g_m(i_hat, tau2 - tau_hat) > 0 ({g[h, rest]})"
            return (
                f"eq. (19) at g_m(i={i} '{model}', tau2={t}) = {g[i, t]} < {exact[i, t]} (cluster {c}): the "
                f"predecessor i_hat={h} '{pred}' with tau_hat={th} is {cond}"
            )
    return "the g_m tables are exact: the loss is in eq. (20) or Algorithm 1's backtracking"


def measure(vals: list[dict]) -> dict:
    """The report's measurement: the running-time exponents of the paper's DP in K, I and T."""
    return {"measurement": {axis: fit(vals, axis) for axis in ("K", "I", "T")}}


def check(ctx: Context, reading: str, semantics: str) -> Check:
    inst = ctx.inst
    if not inst.is_bls:
        return skipped(CLAIM.id, reading, semantics, "not a BLS instance")
    r, secs = ctx.timed("dp-paper", "slotted")
    if reading == "measured":
        return Check(
            CLAIM.id,
            reading,
            semantics,
            MEASURED,
            "timing",
            values={
                "seconds": secs,
                "M": len(inst.clusters),
                "I": inst.I,
                "K": inst.K,
                "T": inst.T,
            },
        )
    c = algorithm_vs_optimum(ctx, CLAIM.id, reading, semantics, r, "dp-paper")
    c.values["l_ties"] = any(
        len({inst.l[i] for i in cl if len(inst.users_of[i])})
        < sum(1 for i in cl if len(inst.users_of[i]))
        for cl in inst.clusters
    )  # ties are broken by id
    if c.status == VIOLATED:
        c.values["cause"], c.values["cause_detail"] = cause(ctx, r.served)
        c.reason += f"; cause: {c.values['cause']} ({c.values['cause_detail']})"
    return c
