"""milp-compact: P2 in Theorem-2 form as a MILP (Pyomo + HiGHS). Written form: formulations/milp-compact.md.

Per cluster, an optional-node circuit from a depot (single-commodity flow), incremental count
variables cnt[i,k] = "model i serves at least k users" with prefix-sum costs, and one time row
(continuous) or integer slot counts per segment (slotted)."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pyomo.environ as pyo
from pyomo.common.collections import ComponentMap

from partialload_opt.partialloading.formulations.compact import DEPOT, CompactData
from partialload_opt.partialloading.formulations.highs_run import highs_outcome
from partialload_opt.partialloading.instance import Instance
from partialload_opt.partialloading.options import RunOptions
from partialload_opt.partialloading.results import Outcome, nobody_to_serve
from partialload_opt.partialloading.schedule import Schedule, segments_of_schedule
from partialload_opt.partialloading.timebase import rational, units, whole_units

CUT_GRID = 10**6
"""(C11) is a redundant strengthening row in slots (scale-free: in seconds, a 0.5 ns slot made HiGHS
cut the optimum). Its coefficients are the exact times in slots rounded down to a multiple of
1/CUT_GRID, less one step: the row is weaker than the exact one by at least 1e-6 slot per term, so
neither float noise nor HiGHS's tolerances can cut a segment that lasts a whole number of slots, and
it carries no near-integer coefficient (1.000000001) and no tiny right-hand side (the earlier slack of
5e-7 slot), with which HiGHS's presolve proved a wrong optimum
(instances/regression/false-optimal-bls-2.json)."""


def cut_coefficient(t: Fraction, slot: Fraction) -> float:
    """The exact time ``t`` in slots, rounded down to the grid of ``CUT_GRID``, less one step."""
    return max(0, math.floor(t / slot * CUT_GRID) - 1) / CUT_GRID


TIME_UNIT_S = 1e-8
"""Continuous time is counted in whole units of 10 ns (coarser when the horizon needs it:
``time_unit``), costs rounded up and the deadline down (so an integral solution is never late for the
evaluator), then checked by an optimistic re-solve when the
data are not whole units (highs_run.run_with_rounding_check)."""


MAX_HORIZON_UNITS = 1e7
"""The deadline in time units stays below this, so that the time rows' coefficients stay below 2e7
and highs_run's 1e-9 tolerances leave a row or integrality slack far below one unit: with 10 ns units,
a 0.2 s slot (horizon 6e7 units) or a 2 s one (4e8) made HiGHS, with presolve, prove a wrong optimum
in milp-batch (instances/regression/milp-batch-big-m*.json, found by
tests/partialloading/test_timebase.py), and a 209 s deadline (2e10 units) gave milp-compact a
schedule 1.02e-10 s late (instances/regression/milp-compact-late-by-1e-10.json)."""


def time_unit(inst: Instance) -> float:
    """TIME_UNIT_S, or a coarser power of ten when the deadline would span more than
    MAX_HORIZON_UNITS units."""
    return max(TIME_UNIT_S, 10.0 ** math.ceil(math.log10(inst.deadline_s / MAX_HORIZON_UNITS)))


def build_milp_compact(
    inst: Instance,
    semantics: str = "continuous",
    bandwidth="optimal",
    data: CompactData | None = None,
    optimistic: bool = False,
    unit: float | None = None,
) -> pyo.ConcreteModel:
    """The compact MILP; constraint names match formulations/milp-compact.md. Continuous time is
    counted in ``unit`` seconds (default ``time_unit(inst)``)."""
    d = data or CompactData(inst, bandwidth)
    unit = time_unit(inst) if unit is None else unit
    m = pyo.ConcreteModel(name=f"milp-compact[{inst.name},{semantics}]")
    m.data = d
    m.semantics = semantics
    m.MODELS = pyo.Set(initialize=d.models, doc="requested models i")
    m.YK = pyo.Set(
        dimen=2,
        initialize=[(i, k) for i in d.models for k in range(1, d.n(i) + 1)],
        doc="(i, k): model i serves at least k users",
    )
    m.ARCS = pyo.Set(
        dimen=3,
        initialize=[(c, j, i) for c in range(len(d.clusters)) for j, i in d.arcs(c)],
        doc="(cluster c, from j, to i); j or i = -1 is the cluster's depot",
    )
    cluster_of = {i: c for c, members in enumerate(d.clusters) for i in members}

    m.cnt = pyo.Var(m.YK, domain=pyo.Binary, doc="cnt[i,k] = 1 iff model i serves >= k users")
    m.arc = pyo.Var(
        m.ARCS, domain=pyo.Binary, doc="arc[c,j,i] = 1 iff model i's segment follows j's"
    )
    m.f = pyo.Var(m.ARCS, domain=pyo.NonNegativeReals, doc="single-commodity flow on arcs")

    _circuit_rows(m, d, cluster_of)
    if semantics == "continuous":
        _time_row(m, inst, d, optimistic, unit)
    else:
        _slot_rows(m, inst, d, cluster_of)
    m.served = pyo.Objective(
        expr=sum(m.cnt[i, k] for (i, k) in m.YK), sense=pyo.maximize, doc="eq. (13a): users served"
    )
    return m


def _circuit_rows(m: pyo.ConcreteModel, d: CompactData, cluster_of: dict[int, int]) -> None:
    """(C1)-(C7), (C12): incremental counts and one optional-node circuit with flow per cluster."""

    @m.Constraint(m.YK, doc="(C1) incremental counts: cnt[i,k] <= cnt[i,k-1]")
    def counts_nested(m, i, k):
        return pyo.Constraint.Skip if k == 1 else m.cnt[i, k] <= m.cnt[i, k - 1]

    def into(c, i):
        return [m.arc[c, j, i] for (cc, j, ii) in m.ARCS if cc == c and ii == i]

    def out_of(c, i):
        return [m.arc[c, i, j] for (cc, ii, j) in m.ARCS if cc == c and ii == i]

    @m.Constraint(m.MODELS, doc="(C2) in-degree = visited: sum_j arc[c,j,i] = cnt[i,1]")
    def degree_in(m, i):
        return sum(into(cluster_of[i], i)) == m.cnt[i, 1]

    @m.Constraint(m.MODELS, doc="(C3) out-degree = visited")
    def degree_out(m, i):
        return sum(out_of(cluster_of[i], i)) == m.cnt[i, 1]

    m.CLUSTERS = pyo.RangeSet(0, len(d.clusters) - 1)

    @m.Constraint(m.CLUSTERS, doc="(C4) the depot starts at most one path")
    def depot_out(m, c):
        return sum(out_of(c, DEPOT)) <= 1

    @m.Constraint(m.CLUSTERS, doc="(C5) the depot is entered as often as left")
    def depot_balance(m, c):
        return sum(into(c, DEPOT)) == sum(out_of(c, DEPOT))

    @m.Constraint(m.ARCS, doc="(C6) flow only on chosen arcs: f <= |I_c| arc")
    def flow_cap(m, c, j, i):
        return m.f[c, j, i] <= len(d.clusters[c]) * m.arc[c, j, i]

    @m.Constraint(
        m.MODELS, doc="(C7) each visited model consumes one unit: no subtour without the depot"
    )
    def flow_balance(m, i):
        c = cluster_of[i]
        inflow = sum(m.f[c, j, ii] for (cc, j, ii) in m.ARCS if cc == c and ii == i)
        outflow = sum(m.f[c, ii, j] for (cc, ii, j) in m.ARCS if cc == c and ii == i)
        return inflow - outflow == m.cnt[i, 1]

    m.ENTRY = pyo.Set(
        dimen=3,
        initialize=[
            (c, g, i)
            for c in range(len(d.clusters))
            for g, owners in enumerate(d.entry_sets(c))
            if len(owners) > 1  # a set of one model: (C2) already says it
            for i in owners
        ],
        doc="(cluster c, owner set g of a block group, model i in it)",
    )
    entry_sets = {c: d.entry_sets(c) for c in range(len(d.clusters))}

    @m.Constraint(
        m.ENTRY,
        doc="(C12) valid: a visited model of owner set O is reached by an arc entering O from outside",
    )
    def group_entry(m, c, g, i):
        owners = set(entry_sets[c][g])
        entering = [
            m.arc[cc, j, ii]
            for (cc, j, ii) in m.ARCS
            if cc == c and ii in owners and j not in owners
        ]
        return sum(entering) >= m.cnt[i, 1]


def _time_row(
    m: pyo.ConcreteModel, inst: Instance, d: CompactData, optimistic: bool, unit: float
) -> None:
    """(C8), continuous: the total time within Tbar, in whole time units."""
    up = not optimistic
    q = rational(unit)

    def u(t):  # exact seconds -> whole units: up (conservative) or down (optimistic)
        return units(t, q, up)

    serve_time = sum(
        (u(d.serve_exact(i, k)) - u(d.serve_exact(i, k - 1))) * m.cnt[i, k] for (i, k) in m.YK
    )
    load_time = sum(u(d.load_exact(j, i)) * m.arc[c, j, i] for (c, j, i) in m.ARCS if i != DEPOT)
    m.deadline = pyo.Constraint(
        expr=serve_time + load_time <= units(inst.exact.deadline, q, not up),
        doc="(C8) eqs. (13c)/(16): total time <= Tbar, in whole time units",
    )


def _slot_rows(
    m: pyo.ConcreteModel, inst: Instance, d: CompactData, cluster_of: dict[int, int]
) -> None:
    """(C9)-(C11), (C13), slotted: each segment's whole slots, T in all."""
    m.s = pyo.Var(m.MODELS, domain=pyo.NonNegativeIntegers, doc="s[i]: slots of model i's segment")
    slot_table = {(j, i): d.slots(j, i) for (c, j, i) in m.ARCS if i != DEPOT}
    # floor[i][k] = min_j slots(j, i, k): the whole slots of i's segment after its cheapest
    # predecessor; extra[j, i] = max_k slots(j, i, k) - floor[i][k]: the most that entering from
    # j adds to them, the big M of (C9)
    floor = {
        i: np.min([slot_table[j, i] for (c, j, ii) in m.ARCS if ii == i], axis=0).astype(int)
        for i in d.models
    }
    extra = {
        (j, i): int(np.max(sl[1:] - floor[i][1:])) if d.n(i) else 0
        for (j, i), sl in slot_table.items()
    }

    @m.Constraint(
        [(c, j, i) for (c, j, i) in m.ARCS if i != DEPOT and extra[j, i] > 0],
        doc="(C9) s[i] >= slots(j, i, k) when j precedes i and i serves k users",
    )
    def segment_slots(m, c, j, i):
        sl = slot_table[j, i]
        expr = sum(
            (int(sl[k]) - (int(sl[k - 1]) if k > 1 else 0)) * m.cnt[i, k]
            for k in range(1, d.n(i) + 1)
        )
        return m.s[i] >= expr - extra[j, i] * (1 - m.arc[c, j, i])

    @m.Constraint(m.MODELS, doc="(C13) s[i] >= min_j slots(j, i, k): the segment's whole slots")
    def slot_floor(m, i):
        fl = floor[i]
        return m.s[i] >= sum(
            (int(fl[k]) - (int(fl[k - 1]) if k > 1 else 0)) * m.cnt[i, k]
            for k in range(1, d.n(i) + 1)
        )

    m.deadline = pyo.Constraint(
        expr=sum(m.s[i] for i in m.MODELS) <= inst.T,
        doc="(C10) total slots <= T = floor(Tbar / slot)",
    )

    slot = inst.exact.slot

    @m.Constraint(m.MODELS, doc="(C11) valid: s[i] >= (load into i + serve_i(k)) / slot, in slots")
    def slot_time_cut(m, i):
        c = cluster_of[i]
        load_in = sum(
            cut_coefficient(d.load_exact(j, ii), slot) * m.arc[cc, j, ii]
            for (cc, j, ii) in m.ARCS
            if cc == c and ii == i
        )
        serve = sum(
            cut_coefficient(d.serve_exact(i, k) - d.serve_exact(i, k - 1), slot) * m.cnt[i, k]
            for k in range(1, d.n(i) + 1)
        )
        return m.s[i] >= load_in + serve


def segments_of(m: pyo.ConcreteModel) -> list[tuple[int, int]]:
    """Read (model, k) segments from the loaded solution, cluster by cluster."""
    d: CompactData = m.data
    out = []
    for c in range(len(d.clusters)):
        succ = {j: i for (cc, j, i) in m.ARCS if cc == c and (m.arc[cc, j, i].value or 0) > 0.5}
        counts = {
            i: sum(1 for k in range(1, d.n(i) + 1) if (m.cnt[i, k].value or 0) > 0.5)
            for i in d.clusters[c]
        }
        out += d.segments_from_tour(succ, counts)
    return out


def warm_values(m: pyo.ConcreteModel, segments: list[tuple[int, int]]) -> dict:
    """A full starting point (y, x, f, s) from (model, k) segments grouped by cluster."""
    d: CompactData = m.data
    vals = ComponentMap((v, 0.0) for v in m.component_data_objects(pyo.Var))
    cluster_of = {i: c for c, members in enumerate(d.clusters) for i in members}
    by_cluster: dict[int, list[tuple[int, int]]] = {}
    for i, k in segments:
        by_cluster.setdefault(cluster_of[i], []).append((i, k))
    for c, segs in by_cluster.items():
        path = [DEPOT] + [i for i, _ in segs] + [DEPOT]
        for pos, (a, b) in enumerate(zip(path, path[1:])):
            vals[m.arc[c, a, b]] = 1.0
            vals[m.f[c, a, b]] = float(len(segs) - pos)
        prev = DEPOT
        for i, k in segs:
            for kk in range(1, k + 1):
                vals[m.cnt[i, kk]] = 1.0
            if m.semantics == "slotted":
                vals[m.s[i]] = float(d.slots(prev, i)[k])
            prev = i
    return vals


def solve_milp_compact(inst: Instance, opts: RunOptions) -> Outcome:
    """Compact MILP in Theorem-2 form (Pyomo + HiGHS): circuit with flow, incremental counts."""
    semantics, bandwidth = opts.semantics, opts.bandwidth
    if not inst.requested_models:
        return nobody_to_serve(inst, bandwidth)
    d = CompactData(inst, bandwidth)
    unit = time_unit(inst)  # one unit for both roundings and the exactness test
    m0 = build_milp_compact(inst, semantics, bandwidth, d, unit=unit)
    segs = segments_of_schedule(inst, opts.start) if opts.start is not None else None
    warm = warm_values(m0, segs) if segs is not None else None
    exact = semantics == "slotted" or whole_units(d.all_times(), rational(unit))

    def schedule_of(model) -> Schedule:
        segs = segments_of(model) if model is not None else []
        return Schedule.from_indices(
            inst, d.costs.schedule_batches(segs), bandwidth, {"solver": "milp-compact"}
        )

    return highs_outcome(
        inst,
        opts,
        m0,
        lambda: build_milp_compact(inst, semantics, bandwidth, d, True, unit),
        exact,
        schedule_of,
        warm=warm,
    )
