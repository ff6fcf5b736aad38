"""QPART's Section V on the trained digits network: per partition point, QPART's decision (the exact
optimum at that partition) beside no optimization (everything at the 64-bit reference) and, at one
demand, the autoencoder and pruning baselines (baselines.py), with the evaluator's time, energy,
server cost and payload and the measured test accuracy; over accuracy demands and server prices.
``section_v`` computes, ``partialload qpart sweep`` stores, plots draw, and
scripts/qpart_reproduction.py writes docs/QPART-REPRODUCTION.md from the stored results."""

from __future__ import annotations

import dataclasses

from partialload_opt.qpart import baselines
from partialload_opt.qpart import quantize as q
from partialload_opt.qpart.evaluate import Decision, evaluate
from partialload_opt.qpart.exact import pareto_partition
from partialload_opt.qpart.generate import digits
from partialload_opt.qpart.knapsack import knapsack
from partialload_opt.qpart.solving import solve

DEMANDS = (0.005, 0.01, 0.02, 0.05, 0.1)
PRICES = (0.0, 1.0, 10.0, 30.0, 100.0, 300.0, 1000.0, 10000.0)


SCHEMES = ("QPART", "no optimization", "autoencoder", "pruning")
"""Section V's four offloading schemes (Figs. 7-10, Table III)."""


def _row(inst, decision, label, net, X, y, base, accuracy=None) -> dict:
    ev = evaluate(inst, decision)
    if accuracy is None:
        accuracy = q.decision_accuracy(net, inst, decision, X, y)
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
        "accuracy": accuracy,
        "baseline_accuracy": base,
        "budget_used": ev.accuracy_used,
        "feasible": ev.feasible,
    }


def section_v(
    demands=DEMANDS,
    prices=PRICES,
    price_for_partitions: float = 300.0,
    weights=None,
    progress=None,
    scheme_demand: float | None = 0.01,
) -> dict:
    """Every number of the reproduction, computed (about half a minute with the baselines; None as
    ``scheme_demand`` leaves the autoencoder and pruning out)."""
    net = q.load(weights)
    seed = int(net.meta.get("seed", 0))
    Xtr, Xte, ytr, yte = q.digits_split(seed)
    base = q.accuracy(net, Xte, yte)
    ref = None
    per_partition, best_by_price = [], []
    steps = len(demands) + len(prices) + (scheme_demand is not None)
    for n, demand in enumerate(demands):
        inst = digits(demand, price_for_partitions, weights=weights)
        ref = int(inst.reading("reference_bits"))
        per_partition += _partition_rows(inst, demand, ref, net, Xte, yte, base)
        if progress:
            progress(n + 1, steps)
    if scheme_demand is not None:
        per_partition += _baselines(
            digits(scheme_demand, price_for_partitions, weights=weights),
            net,
            per_partition,
            (Xtr, ytr, Xte, yte),
            base,
            seed,
        )
        if progress:
            progress(len(demands) + 1, steps)
    for n, price in enumerate(prices):
        inst = digits(0.01, price, weights=weights)
        best_by_price.append(_best_at(inst, price))
        if progress:
            progress(steps - len(prices) + n + 1, steps)
    return {
        "network": net.meta,
        "widths": list(net.widths),
        "layer_params": [int(w) for w in inst.w],
        "reference_bits": ref,
        "baseline_accuracy": base,
        "price_for_partitions": price_for_partitions,
        "scheme_demand": scheme_demand,
        "autoencoder_bottleneck": baselines.BOTTLENECK,
        "prune_fractions": list(baselines.PRUNE_FRACTIONS),
        "retrain_epochs": baselines.RETRAIN_EPOCHS,
        "per_partition": per_partition,
        "best_by_price": best_by_price,
    }


def _partition_rows(inst, demand: float, ref: int, net, Xte, yte, base) -> list[dict]:
    """Every partition point at one demand: QPART's optimum and no optimization (every layer at
    the reference width), each measured on the held-out digits."""
    rows = []
    for p in inst.partitions:
        ks = knapsack(inst, p)
        got = pareto_partition(ks)
        if got is not None:
            rows.append(
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
        rows.append(
            {"demand": demand, **_row(free, no_opt, "no optimization", net, Xte, yte, base)}
        )
    return rows


def _best_at(inst, price: float) -> dict:
    """QPART's proved optimum at one server price."""
    r = solve(inst, "qpart-pareto")
    d = r.decision
    return {
        "price_per_s": price,
        "status": r.status.value,
        "objective": r.objective,
        "partition": None if d is None else d.partition,
        "bits": None if d is None else list(d.bits),
    }


def _baselines(inst, net, rows, data, base, seed) -> list[dict]:
    """The autoencoder and pruning rows at every partition of ``inst`` (its demand), the pruning
    matched to QPART's measured drop at the same partition (from ``rows``)."""
    Xtr, ytr, Xte, yte = data
    demand = inst.meta["demand"]
    qpart = {r["partition"]: r for r in rows if r["scheme"] == "QPART" and r["demand"] == demand}
    out = []
    for p in inst.partitions:
        ae = baselines.autoencoder(inst, net, p, Xtr, Xte, yte, seed)
        drop = base - qpart[p]["accuracy"] if p in qpart else 0.0
        pr = baselines.pruning(inst, net, p, drop, Xtr, ytr, Xte, yte, seed)
        for label, got in (("autoencoder", ae), ("pruning", pr)):
            row = _row(got.instance, got.decision, label, net, Xte, yte, base, got.accuracy)
            out.append({"demand": demand, **row, "partition": p, **got.detail})
    return out
