"""qpart-milp: QPART as one MILP (Pyomo + HiGHS), linear after one-hot encoding: x[p] picks the
partition, y[p,g,c] the bit-width choice c of group g (formulations/qpart-milp.md; rows named as
there). The objective is in payload bits (divided by beta), so HiGHS's gaps are measured in bits."""

from __future__ import annotations

import pyomo.environ as pyo
from pyomo.contrib.solver.common.results import TerminationCondition
from pyomo.contrib.solver.solvers.highs import Highs

from partialload_opt.qpart.instance import QInstance
from partialload_opt.qpart.knapsack import knapsack
from partialload_opt.qpart.solving import QOutcome
from partialload_opt.results import Status


def build_qpart_milp(inst: QInstance):
    """The model and its per-partition knapsacks."""
    ks = {p: knapsack(inst, p) for p in inst.partitions}
    scale = next(iter(ks.values())).beta or 1.0
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

    def used(p, g, c):
        k = ks[p]
        return float(k.groups[g].acc(k.bits[c : c + 1])[0]) / k.budget

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
            sum(used(p, g, c) * m.y[p, g, c] for (pp, g, c) in m.GC if pp == p) <= m.x[p]
        ),
        doc="(Q3) eq. (23): the accuracy budget, divided by C_A",
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


def solve_qpart_milp(
    inst: QInstance, *, time_limit=None, threads=None, log=None, **options
) -> QOutcome:
    """One-hot partition and bit-width MILP (Pyomo + HiGHS), linear."""
    m, ks, scale = build_qpart_milp(inst)
    opt = Highs()
    res = opt.solve(
        m,
        time_limit=time_limit,
        threads=threads,
        rel_gap=0.0,
        abs_gap=0.0,
        load_solutions=False,
        raise_exception_on_nonoptimal_result=False,
        tee=bool(log),
        solver_options={"mip_feasibility_tolerance": 1e-9, "primal_feasibility_tolerance": 1e-9},
    )
    tc = res.termination_condition
    stats = {"termination": tc.name}
    if tc in (TerminationCondition.provenInfeasible, TerminationCondition.infeasibleOrUnbounded):
        return QOutcome(None, Status.INFEASIBLE, stats=stats)
    if res.incumbent_objective is None:
        status = Status.TIMEOUT if tc == TerminationCondition.maxTimeLimit else Status.ERROR
        return QOutcome(None, status, stats=stats)
    res.solution_loader.load_vars()
    p = next(p for p in m.P if m.x[p].value > 0.5)
    k = ks[p]
    widths = [
        int(k.bits[next(c for c in range(len(k.bits)) if m.y[p, g, c].value > 0.5)])
        for g in range(len(k.groups))
    ]
    optimal = tc == TerminationCondition.convergenceCriteriaSatisfied
    bound = None if res.objective_bound is None else res.objective_bound * scale
    value = k.objective(sum(g.slope * b for g, b in zip(k.groups, widths)))
    return QOutcome(
        k.decision(inst, widths),
        Status.OPTIMAL if optimal else Status.TIMEOUT,
        claimed=value,
        bound=value if optimal else bound,
        stats=stats,
    )
