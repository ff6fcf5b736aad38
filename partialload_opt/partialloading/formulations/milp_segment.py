"""milp-segment: cpsat-segment's model in Pyomo + HiGHS (written form: formulations/cpsat-segment.md).

The same rows (G1)-(G16) from ``segment_rows.py``, the same decomposition (``segment_decomp.py``) and
rounding protocol; ``build_milp_segment`` is also what ``partialload export --model milp-segment``
writes (every component in one model, within T slots: the whole slotted P2)."""

from __future__ import annotations

import time
from collections import defaultdict

import pyomo.environ as pyo

from partialload_opt.partialloading.formulations.cpsat_segment import component_solver
from partialload_opt.partialloading.formulations.highs_run import run_highs
from partialload_opt.partialloading.formulations.segment_decomp import (
    Segments,
    remaining,
    solve_decomposed,
)
from partialload_opt.partialloading.formulations.segment_rows import FAMILIES, SegmentData
from partialload_opt.partialloading.instance import Instance
from partialload_opt.partialloading.options import RunOptions
from partialload_opt.partialloading.results import Outcome, Status, Unsupported
from partialload_opt.partialloading.schedule import Semantics
from partialload_opt.partialloading.segments import requested_components

DOC = {
    "b": "b[c,s,i]: segment s of component c runs model i",
    "x": "x[c,s,k]: user k is served in segment s (eq. (10f))",
    "z": "z[c,s,j,i]: model j at s-1 and model i at s (the load of eq. (8) on the arc)",
    "nb": "nb[c,s,i]: batches of segment s (eq. (10c))",
    "sigma": "sigma[c,s]: whole slots of segment s",
    "ms": "ms[c,s,i]: sigma[c,s] charged to model i",
    "y": "y[c,i,n]: model i serves exactly its first n users by p_k",
}


def build_milp_segment(d: SegmentData) -> pyo.ConcreteModel:
    """The Pyomo model of ``d``; constraint names match formulations/cpsat-segment.md."""
    m = pyo.ConcreteModel(name=f"milp-segment[{d.inst.name}]")
    m.data = d
    keys: dict[str, list] = defaultdict(list)
    integer: dict[str, dict] = defaultdict(dict)
    for v in d.variables():
        keys[v.key[0]].append(v.key[1:])
        integer[v.key[0]][v.key[1:]] = (v.integer, v.ub)
    for fam, idx in keys.items():
        ints = integer[fam]
        setattr(m, f"{fam.upper()}_INDEX", pyo.Set(initialize=idx, dimen=len(idx[0])))
        setattr(
            m,
            fam,
            pyo.Var(
                getattr(m, f"{fam.upper()}_INDEX"),
                domain=lambda m, *k, ints=ints: (
                    pyo.NonNegativeIntegers if ints[k][0] else pyo.Binary
                ),
                bounds=lambda m, *k, ints=ints: (0, ints[k][1]),
                doc=DOC[fam],
            ),
        )
    for family, label in FAMILIES.items():
        setattr(m, family, pyo.ConstraintList(doc=label))
    for row in d.rows():
        getattr(m, row.family).add(row.expr(lambda key: getattr(m, key[0])[key[1:]]))
    m.served = pyo.Objective(
        expr=sum(m.x[k[1:]] for k in d.objective()), sense=pyo.maximize, doc="eq. (13a)"
    )
    return m


def segments_of(m: pyo.ConcreteModel, c: int = 0) -> Segments:
    d: SegmentData = m.data
    out = []
    for s in range(d.positions[c]):  # type: ignore[index]
        i = next((i for i in d.comps[c] if (m.b[c, s, i].value or 0) > 0.5), None)
        if i is None:
            break
        ks = [k for k in d.users(c) if (m.x[c, s, k].value or 0) > 0.5]
        out.append((i, sorted(ks, key=lambda k: d.inst.p[k])))
    return out


def whole_model(inst: Instance, optimistic: bool = False) -> SegmentData:
    """Every component of the requested models, within T slots: the slotted P2 as one model."""
    from partialload_opt.partialloading.formulations.segment_rows import heavy_models

    comps = requested_components(inst)
    heavy = frozenset().union(*(heavy_models(inst, c) for c in comps)) if comps else frozenset()
    return SegmentData(inst, comps, inst.T, optimistic=optimistic, heavy=heavy)


def highs_backend(inst: Instance, *, threads=None, seed=None, log=None):
    """solve(data, limit, hint) for component_solver: HiGHS on the Pyomo model."""

    def solve(data: SegmentData, limit, hint: Segments):
        deadline = None if limit is None else time.monotonic() + limit
        m = build_milp_segment(data)  # building counts against the limit too
        r = run_highs(m, time_limit=remaining(deadline), threads=threads, seed=seed, log=log)
        if r.status is Status.ERROR:
            raise RuntimeError(f"HiGHS: {r.proof}")
        code = {Status.OPTIMAL: "optimal", Status.TIMEOUT: "timeout"}.get(r.status, "feasible")
        segs = segments_of(m) if r.incumbent is not None else []
        return code, r.int_bound, segs

    return solve


def solve_milp_segment(inst: Instance, opts: RunOptions) -> Outcome:
    """cpsat-segment's model and decomposition, each component solved by HiGHS (Pyomo)."""
    bandwidth = opts.bandwidth
    if Semantics.parse(opts.semantics) != "slotted":
        raise Unsupported("milp-segment", "semantics", "slotted time only")
    return solve_decomposed(
        inst,
        component_solver(
            inst, backend=highs_backend(inst, threads=opts.threads, seed=opts.seed, log=opts.log)
        ),
        solver="milp-segment",
        time_limit=opts.remaining(),
        bandwidth=bandwidth,
        max_states=opts["max_states"],
        sub_time_limit=opts["sub_time_limit"],
        max_tries=opts["max_tries"],
        dp_states=opts["dp_states"],
        theorem2=opts["theorem2"],
    )
