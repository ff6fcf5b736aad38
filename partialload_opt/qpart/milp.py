"""qpart-milp: QPART as one MILP (Pyomo + HiGHS), linear after one-hot encoding: x[p] picks the
partition, y[p,g,c] the bit-width choice c of group g (formulations/qpart-milp.md; rows named as
there). The budget row counts whole noise units (C_A = UNITS of them), each choice's share rounded up,
and re-solved rounded down when that is inexact: the rounding proof every exact model shares
(partialload_opt/rounding.py). The objective is in payload bits (divided by beta)."""

from __future__ import annotations

import math

import pyomo.environ as pyo
from pyomo.contrib.solver.common.results import TerminationCondition
from pyomo.contrib.solver.solvers.highs import Highs

from partialload_opt.options import SolveOptions
from partialload_opt.qpart.evaluate import evaluate
from partialload_opt.qpart.instance import QInstance
from partialload_opt.qpart.knapsack import Knapsack, knapsack
from partialload_opt.qpart.solving import QOutcome
from partialload_opt.results import Status
from partialload_opt.rounding import Run, prove_with_rounding

UNITS = 10**9
"""C_A in noise units: eq. (23)'s row has integer coefficients in 0..UNITS + 1, whatever the bit set
and C_A (a row of k 4^-b / C_A spans more than 1e15 on wide bit sets, beyond HiGHS's range)."""


def noise_units(ks: Knapsack, optimistic: bool) -> list[list[float]]:
    """Each choice's share of the budget in whole units: rounded up (never over budget) or down (a
    relaxation); a choice that alone exceeds the budget costs UNITS + 1 (it never fits)."""
    rnd = math.floor if optimistic else math.ceil
    return [
        [float(min(rnd(float(a)), UNITS + 1)) for a in g.acc(ks.bits) / ks.budget * UNITS]
        for g in ks.groups
    ]


def units_exact(ks: Knapsack) -> bool:
    """The shares are whole units already: rounding up and down give the same model."""
    return all(float(a).is_integer() for g in ks.groups for a in g.acc(ks.bits) / ks.budget * UNITS)


def build_qpart_milp(inst: QInstance, optimistic: bool = False):
    """The model and its per-partition knapsacks (``optimistic``: shares rounded down)."""
    ks = {p: knapsack(inst, p) for p in inst.partitions}
    scale = next(iter(ks.values())).beta or 1.0
    units = {p: noise_units(k, optimistic) for p, k in ks.items()}
    m = pyo.ConcreteModel(name=f"qpart-milp[{inst.name}]")
    m.P = pyo.Set(initialize=list(ks), doc="partition points p")
    m.GC = pyo.Set(
        dimen=3,
        initialize=[
            (p, g, c)
            for p, k in ks.items()
            for g in range(len(k.groups))
            for c in range(len(k.bits))
        ],
        doc="(p, group g, choice c)",
    )
    m.PG = pyo.Set(
        dimen=2, initialize=[(p, g) for p, k in ks.items() for g in range(len(k.groups))]
    )
    m.x = pyo.Var(m.P, domain=pyo.Binary, doc="x[p]: the device runs layers 1..p")
    m.y = pyo.Var(m.GC, domain=pyo.Binary, doc="y[p,g,c]: group g takes the c-th bit-width")

    def payload(p, g, c):
        k = ks[p]
        return float(k.groups[g].slope * k.bits[c])

    m.one_partition = pyo.Constraint(
        expr=sum(m.x[p] for p in m.P) == 1, doc="(Q1) one partition point"
    )
    m.one_width = pyo.Constraint(
        m.PG,
        rule=lambda m, p, g: sum(m.y[p, g, c] for c in range(len(ks[p].bits))) == m.x[p],
        doc="(Q2) one bit-width per group of the chosen partition",
    )
    m.budget = pyo.Constraint(
        m.P,
        rule=lambda m, p: (
            sum(units[p][g][c] * m.y[p, g, c] for (pp, g, c) in m.GC if pp == p) <= UNITS * m.x[p]
        ),
        doc="(Q3) eq. (23): the accuracy budget, in noise units (C_A = UNITS)",
    )
    if inst.device.memory_bits is not None:
        mem = inst.device.memory_bits
        m.memory = pyo.Constraint(
            m.P,
            rule=lambda m, p: (
                sum(
                    float(inst.w[ks[p].groups[g].layer - 1] * ks[p].bits[c]) * m.y[p, g, c]
                    for (pp, g, c) in m.GC
                    if pp == p and ks[p].groups[g].role == "layer"
                )
                <= mem * m.x[p]
            ),
            doc="(Q4) the device segment's weights fit the memory",
        )
    m.objective = pyo.Objective(
        expr=sum(
            (ks[p].const / scale + ks[p].fixed_payload * ks[p].beta / scale) * m.x[p] for p in m.P
        )
        + sum(payload(p, g, c) * ks[p].beta / scale * m.y[p, g, c] for (p, g, c) in m.GC),
        sense=pyo.minimize,
        doc="eqs. (17), (24)-(26), in payload bits",
    )
    return m, ks, scale


def _read(m, ks) -> tuple[int, list[int]] | None:
    """(p, widths) of the loaded solution, or None when it breaks (Q1)-(Q2) (never taken on trust)."""
    chosen = [p for p in m.P if (m.x[p].value or 0) > 0.5]
    if len(chosen) != 1:
        return None
    p = chosen[0]
    k = ks[p]
    widths = []
    for g in range(len(k.groups)):
        picks = [c for c in range(len(k.bits)) if (m.y[p, g, c].value or 0) > 0.5]
        if len(picks) != 1:
            return None
        widths.append(int(k.bits[picks[0]]))
    return p, widths


def _solve(inst: QInstance, optimistic: bool, opts: SolveOptions) -> Run:
    """One HiGHS solve; Run.value is minus the objective (the protocol maximises)."""
    m, ks, scale = build_qpart_milp(inst, optimistic)
    res = Highs().solve(
        m,
        time_limit=opts.remaining(),
        threads=opts.threads,
        rel_gap=0.0,
        abs_gap=0.0,
        load_solutions=False,
        raise_exception_on_nonoptimal_result=False,
        tee=bool(opts.log),
        solver_options={"mip_feasibility_tolerance": 1e-9, "primal_feasibility_tolerance": 1e-9},
    )
    tc = res.termination_condition
    stats = {"termination": tc.name}
    if tc in (TerminationCondition.provenInfeasible, TerminationCondition.infeasibleOrUnbounded):
        return Run(Status.INFEASIBLE, None, None, stats=stats)
    bound = None if res.objective_bound is None else -res.objective_bound * scale
    if tc is TerminationCondition.convergenceCriteriaSatisfied:
        status = Status.OPTIMAL
    elif tc is TerminationCondition.maxTimeLimit:
        status = Status.TIMEOUT
    else:
        return Run(Status.ERROR, None, None, stats=stats | {"reason": f"HiGHS ended {tc.name}"})
    if res.incumbent_objective is None:
        return Run(Status.TIMEOUT, None, bound, stats=stats)
    res.solution_loader.load_vars()
    got = _read(m, ks)
    if got is None:
        return Run(
            Status.ERROR,
            None,
            None,
            stats=stats
            | {"reason": "HiGHS's solution breaks (Q1)-(Q2): not one partition and width"},
        )
    p, widths = got
    k = ks[p]
    value = -k.objective(sum(g.slope * b for g, b in zip(k.groups, widths)))
    return Run(
        status,
        value,  # minus the objective: the protocol only compares values
        value if status is Status.OPTIMAL else bound,
        (p, widths),
        stats=stats,
    )


def solve_qpart_milp(inst: QInstance, opts: SolveOptions) -> QOutcome:
    """One-hot partition and bit-width MILP (Pyomo + HiGHS), linear, with the rounding proof."""
    exact = all(units_exact(knapsack(inst, p)) for p in inst.partitions)

    def on_time(answer):
        p, widths = answer
        k = knapsack(inst, p)
        ev = evaluate(inst, k.decision(inst, widths))
        return (
            -k.objective(sum(g.slope * b for g, b in zip(k.groups, widths)))
            if ev.feasible
            else None
        )

    first = _solve(inst, False, opts)
    if first.status is Status.INFEASIBLE and not exact:
        # rounding up may have cut every decision: ask the relaxation before calling it infeasible
        opt = _solve(inst, True, opts)
        stats = {"conservative": first.stats, "optimistic": opt.stats}
        if opt.status is Status.INFEASIBLE:
            return QOutcome(None, Status.INFEASIBLE, stats=stats)
        if opt.status is Status.OPTIMAL and on_time(opt.answer) == opt.value:
            run = opt
        else:
            return QOutcome(None, Status.TIMEOUT, stats=stats | {"reason": "rounding left it open"})
    elif first.status is Status.INFEASIBLE:
        return QOutcome(None, Status.INFEASIBLE, stats=first.stats)
    else:
        run, extra = prove_with_rounding(
            lambda optimistic: first if not optimistic else _solve(inst, True, opts),
            exact,
            on_time,
        )
        stats = dict(run.stats, **extra)
    if run.answer is None:
        status = Status.ERROR if run.status is Status.ERROR else Status.TIMEOUT
        return QOutcome(None, status, stats=stats | {"reason": run.stats.get("reason", "")})
    answer: tuple[int, list[int]] = run.answer  # type: ignore[assignment]
    p, widths = answer
    k = knapsack(inst, p)
    value = k.objective(sum(g.slope * b for g, b in zip(k.groups, widths)))
    status = run.status if run.status in (Status.OPTIMAL, Status.FEASIBLE) else Status.TIMEOUT
    bound = value if status is Status.OPTIMAL else (None if run.bound is None else -run.bound)
    return QOutcome(k.decision(inst, widths), status, claimed=value, bound=bound, stats=stats)
