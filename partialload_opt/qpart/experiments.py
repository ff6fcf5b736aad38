"""QPART's Section V on the trained digits network: per partition point, QPART's decision (the exact
optimum at that partition) beside no optimization (everything at the 64-bit reference), with the
evaluator's time, energy, server cost and payload and the measured test accuracy; over accuracy
demands and server prices. ``section_v`` computes, ``partialload qpart sweep`` stores, plots draw,
and scripts/qpart_reproduction.py writes docs/QPART-REPRODUCTION.md from the stored results."""

from __future__ import annotations

import dataclasses

from partialload_opt.qpart import quantize as q
from partialload_opt.qpart.evaluate import Decision, evaluate
from partialload_opt.qpart.exact import _pareto_partition
from partialload_opt.qpart.generate import digits
from partialload_opt.qpart.knapsack import knapsack
from partialload_opt.qpart.solving import solve

DEMANDS = (0.005, 0.01, 0.02, 0.05, 0.1)
PRICES = (0.0, 1.0, 10.0, 30.0, 100.0, 300.0, 1000.0, 10000.0)


def _row(inst, decision, label, net, X, y, base) -> dict:
    ev = evaluate(inst, decision)
    return {
        "scheme": label,
        "partition": decision.partition,
        "bits": list(decision.bits),
        "sent_bits": ev.sent_bits,
        "time_s": ev.t_local + ev.t_tx + ev.t_server,
        "energy_j": ev.e_local + ev.e_tx,
        "server_cost": ev.c_server,
        "objective": ev.objective,
        "payload_bits": ev.payload,
        "weights_bits": ev.payload_weights,
        "accuracy": q.decision_accuracy(net, inst, decision, X, y),
        "baseline_accuracy": base,
        "budget_used": ev.accuracy_used,
        "feasible": ev.feasible,
    }


def section_v(
    demands=DEMANDS, prices=PRICES, price_for_partitions: float = 300.0, weights=None, progress=None
) -> dict:
    """Every number of the reproduction, computed (a few seconds)."""
    net = q.load(weights)
    _, Xte, _, yte = q.digits_split(int(net.meta.get("seed", 0)))
    base = q.accuracy(net, Xte, yte)
    ref = None
    per_partition, best_by_price = [], []
    steps = len(demands) + len(prices)
    for n, demand in enumerate(demands):
        inst = digits(demand, price_for_partitions, weights=weights)
        ref = int(inst.reading("reference_bits"))
        for p in inst.partitions:
            ks = knapsack(inst, p)
            got = _pareto_partition(ks)
            if got is not None:
                per_partition.append(
                    {
                        "demand": demand,
                        **_row(inst, ks.decision(inst, got[1]), "QPART", net, Xte, yte, base),
                    }
                )
            no_opt = Decision(
                p,
                (ref,) * p,
                ref if p == 0 or inst.reading("activation_bits") == "separate" else None,
            )
            free = dataclasses.replace(
                inst, bits=tuple(sorted(set(inst.bits) | {ref})), budget=float("inf")
            )
            per_partition.append(
                {"demand": demand, **_row(free, no_opt, "no optimization", net, Xte, yte, base)}
            )
        if progress:
            progress(n + 1, steps)
    for n, price in enumerate(prices):
        inst = digits(0.01, price, weights=weights)
        r = solve(inst, "qpart-pareto")
        d = r.decision
        best_by_price.append(
            {
                "price_per_s": price,
                "status": r.status.value,
                "objective": r.objective,
                "partition": None if d is None else d.partition,
                "bits": None if d is None else list(d.bits),
            }
        )
        if progress:
            progress(len(demands) + n + 1, steps)
    return {
        "network": net.meta,
        "widths": list(net.widths),
        "layer_params": [int(w) for w in inst.w],
        "reference_bits": ref,
        "baseline_accuracy": base,
        "price_for_partitions": price_for_partitions,
        "per_partition": per_partition,
        "best_by_price": best_by_price,
    }
