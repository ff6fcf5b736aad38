"""qpart-cpsat: one CP-SAT model per partition point minimising the (integer) payload, with the
accuracy row scaled to integers -- rounded up (conservative: never over budget) and, when that is
inexact, re-solved rounded down (a relaxation): the rounding proof every exact model shares
(partialload_opt/rounding.py). The best partition is chosen by the evaluator's objective."""

from __future__ import annotations

import math
from typing import Any

from ortools.sat.python import cp_model

from partialload_opt.cpsat_run import cpsat_solver
from partialload_opt.options import SolveOptions
from partialload_opt.qpart.evaluate import evaluate
from partialload_opt.qpart.instance import QInstance
from partialload_opt.qpart.knapsack import Knapsack, knapsack
from partialload_opt.qpart.solving import QOutcome
from partialload_opt.results import Status
from partialload_opt.rounding import Run, prove_with_rounding

SCALE = 10**9
"""The budget is SCALE units; each choice's share is rounded to whole units."""


def _solve_partition(inst: QInstance, ks: Knapsack, opts: SolveOptions, optimistic: bool) -> Run:
    m = cp_model.CpModel()
    nb = len(ks.bits)
    y = [[m.new_bool_var(f"y[{g},{c}]") for c in range(nb)] for g in range(len(ks.groups))]
    rnd = math.floor if optimistic else math.ceil
    units = []
    for g, grp in enumerate(ks.groups):
        m.add_exactly_one(y[g])  # (Q2)
        acc = grp.acc(ks.bits) / ks.budget * SCALE
        units += [
            (min(rnd(float(a)), SCALE + 1), y[g][c]) for c, a in enumerate(acc)
        ]  # > SCALE: never fits
    m.add(sum(u * v for u, v in units) <= SCALE)  # (Q3), integer-scaled
    if inst.device.memory_bits is not None:  # (Q4)
        m.add(
            sum(
                int(inst.w[grp.layer - 1] * ks.bits[c]) * y[g][c]
                for g, grp in enumerate(ks.groups)
                if grp.role == "layer"
                for c in range(nb)
            )
            <= math.floor(inst.device.memory_bits)
        )
    m.minimize(
        sum(
            int(grp.slope * ks.bits[c]) * y[g][c]
            for g, grp in enumerate(ks.groups)
            for c in range(nb)
        )
    )
    solver = cpsat_solver(opts.remaining(), opts.threads, opts.seed)  # the run's one budget
    code = solver.solve(m)
    if code == cp_model.INFEASIBLE:
        return Run(Status.INFEASIBLE, None, None)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Run(Status.TIMEOUT, None, None)
    widths = [
        int(ks.bits[next(c for c in range(nb) if solver.value(y[g][c]))])
        for g in range(len(ks.groups))
    ]
    payload = int(round(solver.objective_value))
    lower = math.ceil(solver.best_objective_bound - 1e-6)
    status = Status.OPTIMAL if code == cp_model.OPTIMAL else Status.TIMEOUT
    return Run(status, -payload, -lower, widths)  # maximise -payload: the protocol's sense


def _partition(inst: QInstance, ks: Knapsack, opts: SolveOptions) -> tuple[str, Any, float | None]:
    """('proved' | 'infeasible' | 'unproved', widths, lower bound on the payload) of one partition."""
    if not ks.groups:  # nothing to choose: the fixed decision
        return ("proved", [], 0.0) if ks.within(0.0) else ("infeasible", None, None)

    def on_time(widths):
        ev = evaluate(inst, ks.decision(inst, widths))
        return -int(round(ev.payload - ks.fixed_payload)) if ev.feasible else None

    run = _solve_partition(inst, ks, opts, optimistic=False)
    if (
        run.status is Status.INFEASIBLE
    ):  # rounding up may have cut every decision: ask the relaxation
        opt = _solve_partition(inst, ks, opts, optimistic=True)
        if opt.status is Status.INFEASIBLE:
            return "infeasible", None, None
        if (
            opt.status is Status.OPTIMAL
            and opt.value is not None
            and on_time(opt.answer) == opt.value
        ):
            return "proved", opt.answer, float(-opt.value)
        return "unproved", None, None if opt.bound is None else float(-opt.bound)
    got, _ = prove_with_rounding(
        lambda optimistic: run if not optimistic else _solve_partition(inst, ks, opts, True),
        False,
        on_time,
    )
    if got.answer is None:
        return "unproved", None, None
    if got.status is Status.OPTIMAL and got.value is not None:
        return "proved", got.answer, float(-got.value)
    return "unproved", got.answer, None if got.bound is None else float(-got.bound)


def solve_qpart_cpsat(inst: QInstance, opts: SolveOptions) -> QOutcome:
    """Per-partition CP-SAT with integer-scaled accuracy rows and the rounding proof."""
    best, all_settled, lower, stats = None, True, math.inf, {}
    for p in inst.partitions:
        ks = knapsack(inst, p)
        state, widths, low = _partition(inst, ks, opts)
        stats[f"p{p}"] = state
        if state != "proved" and state != "infeasible":
            all_settled = False
        if low is not None:
            lower = min(lower, ks.objective(low))
        elif state == "unproved":
            lower = -math.inf  # no bound for this partition
        if widths is not None:
            value = ks.objective(float(sum(g.slope * b for g, b in zip(ks.groups, widths))))
            if best is None or value < best[0]:
                best = (value, ks, widths)
    if best is None:
        return QOutcome(None, Status.INFEASIBLE if all_settled else Status.TIMEOUT, stats=stats)
    value, ks, widths = best
    status = Status.OPTIMAL if all_settled else Status.FEASIBLE
    bound = value if all_settled else (lower if math.isfinite(lower) else None)
    return QOutcome(ks.decision(inst, widths), status, claimed=value, bound=bound, stats=stats)
