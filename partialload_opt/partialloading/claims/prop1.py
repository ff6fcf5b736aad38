"""Proposition 1: "Given any user scheduling decision in batch n, the corresponding optimal spectrum
bandwidth allocation in batch n must minimize t_n^up. For given X, the minimum value of t_n^up is
(11) ... and the corresponding optimal spectrum bandwidth allocation under X is (12)."

must: for every batch of the instance's optimal schedule and for each model's whole user set as one
batch, no bandwidth split is faster than eq. (12): 200 random (Dirichlet) splits per batch, and (with
the [scip] extra, once per instance) SCIP's solution of the convex program min t s.t. y_k t >= p_k / B,
sum y <= 1."""

import numpy as np

from partialload_opt.partialloading import bandwidth as bw
from partialload_opt.partialloading.claims.context import HELD, VIOLATED, Check, Claim, Context

CLAIM = Claim(
    "prop1",
    "the minimum value of t_n^up is (11) ... and the corresponding optimal spectrum "
    "bandwidth allocation under X is (12).",
    (("must", "continuous"),),
    "random splits, SCIP convex solve",
)


def convex_min(p, B: float) -> float | None:
    """min t s.t. y_k t >= p_k / B, sum y <= 1 on SCIP; the true upload time of SCIP's split
    (None without pyscipopt)."""
    try:
        from pyscipopt import SCIP_PARAMSETTING, Model, quicksum
    except ImportError:
        return None
    m = Model()
    m.hideOutput()
    for setting in (m.setPresolve, m.setHeuristics, m.setSeparating):  # a 1-row program: 4x faster
        setting(SCIP_PARAMSETTING.OFF)
    t = m.addVar(lb=0.0)
    y = [m.addVar(lb=1e-9, ub=1.0) for _ in p]
    m.addCons(quicksum(y) <= 1)
    for pk, yk in zip(p, y):
        m.addCons(yk * t >= 1000.0 * pk / B)  # milliseconds
    m.setObjective(t, "minimize")
    m.optimize()
    if m.getStatus() != "optimal":
        return None
    # SCIP meets rows to its tolerance: score its split exactly, as the evaluator would
    split = np.array([m.getVal(v) for v in y])
    return bw.fractions_upload_time(p, split / split.sum(), B)


def check(ctx: Context, reading: str, semantics: str) -> Check:
    inst = ctx.inst
    rng = np.random.default_rng(len(inst.users))
    groups = [list(inst.users_of[i]) for i in inst.requested_models]
    _, _, sched = ctx.form("continuous")
    if sched is not None:
        groups += [[inst.user_index[u] for u in b.users] for b in sched.batches]
    worst = 0.0
    convex_checked = 0
    for ks in groups:
        p = inst.p[ks]
        if p.sum() == 0:
            continue
        best = bw.optimal_upload_time(p, inst.bandwidth_hz)
        trials = bw.fractions_upload_time(p, rng.dirichlet(np.ones(len(p)), 200), inst.bandwidth_hz)
        worst = max(worst, (best - float(trials.min())) / best)
        if len(p) > 1 and convex_checked < 1:
            c = convex_min(p, inst.bandwidth_hz)
            if c is not None:
                convex_checked += 1
                worst = max(worst, (best - c) / best)
    vals = {
        "batches": len(groups),
        "largest_improvement_over_eq11": worst,
        "convex_solves": convex_checked,
    }
    if worst > 1e-6:
        return Check(
            CLAIM.id,
            reading,
            semantics,
            VIOLATED,
            CLAIM.ground_truth,
            "a split beat eq. (12)",
            vals,
        )
    return Check(CLAIM.id, reading, semantics, HELD, CLAIM.ground_truth, values=vals)
