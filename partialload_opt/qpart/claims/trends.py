"""qpart-trends (K7), Fig. 5: "as the partition point moves towards the output, the total time and
energy increase and the server cost decreases".

must: along the partition points, with each partition's exact optimal bit-widths, time and device
energy never fall and server cost never rises (one reading of the figure; a property of the network
and the constants, not a theorem)."""

from partialload_opt.qpart.evaluate import evaluate
from partialload_opt.qpart.knapsack import knapsack
from partialload_opt.verify.checks import HELD, VIOLATED, Check, Claim, skipped

CLAIM = Claim(
    "qpart-trends",
    "time and energy increase, server cost decreases as the partition point moves",
    (("must", "-"),),
    "the evaluator at each partition's exact optimum",
)


def check(ctx, reading: str, semantics: str) -> Check:
    inst = ctx.inst
    why = ctx.partition_optima_unavailable()
    if why:
        return skipped(CLAIM.id, reading, semantics, why)
    rows = []
    for p in inst.partitions:
        got = ctx.partition_optimum(p)
        if got is None:
            continue
        ev = evaluate(inst, knapsack(inst, p).decision(inst, got[1]))
        rows.append((p, ev.t_local + ev.t_tx + ev.t_server, ev.e_local + ev.e_tx, ev.c_server))
    if len(rows) < 2:
        return skipped(CLAIM.id, reading, semantics, "fewer than two feasible partitions")
    broken = [
        (a[0], b[0], what)
        for a, b in zip(rows, rows[1:])
        for what, i, up in (("time", 1, True), ("energy", 2, True), ("server cost", 3, False))
        if (b[i] < a[i] * (1 - 1e-12)) == up and b[i] != a[i]
    ]
    vals: dict[str, object] = {
        "partitions": [r[0] for r in rows],
        "time": [r[1] for r in rows],
        "energy": [r[2] for r in rows],
        "server_cost": [r[3] for r in rows],
    }
    if broken:
        p, q, what = broken[0]
        vals["cause"] = what
        return Check(
            CLAIM.id,
            reading,
            semantics,
            VIOLATED,
            CLAIM.ground_truth,
            f"{what} goes the other way from partition {p} to {q}",
            vals,
        )
    return Check(CLAIM.id, reading, semantics, HELD, CLAIM.ground_truth, values=vals)
