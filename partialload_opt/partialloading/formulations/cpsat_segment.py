"""cpsat-segment: the theorem-free slotted P2 by segment positions, in OR-Tools CP-SAT.

Written form: formulations/cpsat-segment.md. Rows (G1)-(G16) of ``segment_rows.py`` per component,
solved one (component, slot budget) at a time inside the component knapsack of ``segment_decomp.py``.
Integer time units of 10 ns; the optimistic model (costs down, slot up) gives the bounds, its
schedules count only after an exact re-count, and the conservative model (costs up, slot down) is
solved when the optimistic schedule is not on time (partialload_opt/rounding.py's protocol)."""

from __future__ import annotations

import math
import time
from dataclasses import replace

from ortools.sat.python import cp_model

from partialload_opt.cpsat_run import cpsat_solver, status_name
from partialload_opt.partialloading.formulations.segment_decomp import (
    Segments,
    Sub,
    remaining,
    solve_decomposed,
)
from partialload_opt.partialloading.formulations.segment_rows import (
    SegmentData,
    heavy_models,
    segment_slots_exact,
)
from partialload_opt.partialloading.instance import Instance
from partialload_opt.partialloading.options import RunOptions
from partialload_opt.partialloading.results import Outcome, Unsupported
from partialload_opt.partialloading.schedule import Semantics
from partialload_opt.partialloading.segments import theorem2_form_unproved


class SegmentCpSat:
    """The CP-SAT model of a ``SegmentData``: the rows of segment_rows.py, names as there."""

    def __init__(self, d: SegmentData):
        self.d = d
        self.m = cp_model.CpModel()
        self.var: dict[tuple, cp_model.IntVar] = {}
        for v in d.variables():
            name = f"{v.key[0]}[{','.join(map(str, v.key[1:]))}]"
            self.var[v.key] = (
                self.m.new_int_var(0, v.ub, name) if v.integer else self.m.new_bool_var(name)
            )
        for row in d.rows():
            self.m.add(row.expr(self.var.__getitem__)).with_name(row.name)
        self.m.maximize(sum(self.var[k] for k in d.objective()))

    def segments(self, solver: cp_model.CpSolver, c: int = 0) -> Segments:
        d, out = self.d, []
        for s in range(d.positions[c]):  # type: ignore[index]
            i = next((i for i in d.comps[c] if solver.value(self.var["b", c, s, i])), None)
            if i is None:
                break
            ks = [k for k in d.users(c) if solver.value(self.var["x", c, s, k])]
            out.append((i, sorted(ks, key=lambda k: d.inst.p[k])))
        return out

    def hint(self, segs: Segments, c: int = 0) -> None:
        d = self.d
        chosen = {s: (i, set(ks)) for s, (i, ks) in enumerate(segs[: d.positions[c]])}  # type: ignore[index]
        for key, var in self.var.items():
            if key[0] == "b" and key[1] == c:
                self.m.add_hint(var, key[2] in chosen and chosen[key[2]][0] == key[3])
            elif key[0] == "x" and key[1] == c:
                self.m.add_hint(var, key[2] in chosen and key[3] in chosen[key[2]][1])


def cpsat_backend(*, threads=None, seed=None, log=None):
    """solve(data, limit, hint) -> (status, bound, segments) of the CP-SAT model of ``data``."""

    def solve(data: SegmentData, limit, hint: Segments):
        deadline = None if limit is None else time.monotonic() + limit
        model = SegmentCpSat(data)  # building counts against the limit too
        if hint:
            model.hint(hint)
        solver = cpsat_solver(remaining(deadline), threads, seed, 0.0, log)
        code = solver.solve(model.m)
        if code in (cp_model.INFEASIBLE, cp_model.MODEL_INVALID):
            raise RuntimeError(
                f"CP-SAT returned {status_name(code)} (the empty run is feasible: a modelling bug)"
            )
        # CP-SAT's objective bound bounds the model once it has a solution; stopped before one
        # (UNKNOWN) it reads 0, which is no bound (formulations/cpsat.md)
        found = code in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        bound = math.floor(solver.best_objective_bound + 1e-6) if found else None
        segs = model.segments(solver) if code in (cp_model.OPTIMAL, cp_model.FEASIBLE) else []
        return status_name(code).lower(), bound, segs

    return solve


def component_solver(inst: Instance, *, backend=None, threads=None, seed=None, log=None):
    """sub(comp, t, time_limit, hint) for segment_decomp: the segment model of one component within
    t slots, by ``backend`` (default CP-SAT), with the rounding protocol of the written form: the
    optimistic model's bound; its schedule if on time by the exact count, else the conservative
    model's."""
    solve = backend or cpsat_backend(threads=threads, seed=seed, log=log)

    def sub(comp: tuple[int, ...], t: int, time_limit, hint: Segments) -> Sub:
        deadline = None if time_limit is None else time.monotonic() + time_limit  # both models'
        heavy = heavy_models(inst, comp)
        opt = SegmentData(inst, [comp], t, optimistic=True, heavy=heavy)
        if opt.exact_units():  # rounding changes nothing: one (exact) model
            data = SegmentData(inst, [comp], t, heavy=heavy)
            code, bound, segs = solve(data, remaining(deadline), hint)
            return _sub(inst, t, code, bound, segs, "whole units")
        code, bound, segs = solve(opt, remaining(deadline), hint)
        if segs and segment_slots_exact(inst, segs) <= t:
            return _sub(inst, t, code, bound, segs, "optimistic model, on time")
        if deadline is not None and time.monotonic() >= deadline:  # no time for a schedule
            return _sub(inst, t, "timeout", bound, [], "optimistic bound, no time left")
        cons = SegmentData(inst, [comp], t, heavy=heavy)  # a schedule on time, by construction
        code2, _, segs2 = solve(cons, remaining(deadline), hint)
        got = _sub(inst, t, code, bound, segs2, "optimistic bound, conservative schedule")
        return replace(
            got,
            stats=dict(got.stats, conservative=code2),
            settled=got.settled and code2 == "optimal",
        )

    return sub


def form_solver(inst: Instance, *, threads=None, seed=None):
    """sub(comp, t, time_limit, hint) for a nested component: cpsat's compact model of Theorem 2's
    form (each model visited once) on the component alone within t slots. The form loses nothing
    where the shared blocks are nested (formulations/theorem2-form.md), so its proved optimum is
    f_c(t); slot counts are whole numbers, so the model is exact (no rounding protocol)."""
    from partialload_opt.partialloading.formulations.compact import CompactData
    from partialload_opt.partialloading.formulations.cpsat_compact import TIME_UNIT_S, CompactCpSat

    def sub(comp: tuple[int, ...], t: int, time_limit, hint: Segments) -> Sub:
        if t <= 0:
            return Sub(0, 0, [], "no slot", {"status": "optimal"}, settled=True)
        part = within(inst, comp, t)
        model = CompactCpSat(CompactData(part), "slotted", TIME_UNIT_S).build()
        if hint:
            model.hint([(i, len(ks)) for i, ks in hint])
        solver = cpsat_solver(time_limit, threads, seed)
        code = solver.solve(model.m)
        if code in (cp_model.INFEASIBLE, cp_model.MODEL_INVALID):
            raise RuntimeError(f"CP-SAT returned {status_name(code)} on a component's form model")
        found = code in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        bound = math.floor(solver.best_objective_bound + 1e-6) if found else None
        segs = (
            [(i, [int(k) for k in inst.users_of[i][:k]]) for i, k in model.segments(solver)]
            if found
            else []
        )
        return _sub(inst, t, status_name(code).lower(), bound, segs, "Theorem 2's form, nested")

    return sub


def within(inst: Instance, comp: tuple[int, ...], t: int) -> Instance:
    """``inst`` with only the users of ``comp``'s models and a deadline of exactly t slots (model
    indices unchanged; each model keeps all its users, in the same order)."""
    mine = set(comp)
    users = tuple(u for k, u in enumerate(inst.users) if int(inst.user_model[k]) in mine)
    part = replace(inst, users=users, name=f"{inst.name}[component,{t}]")
    return part.with_deadline_slots(t)


def _sub(inst: Instance, t: int, code: str, bound, segs: Segments, how: str) -> Sub:
    """The model is exact or a relaxation, so its bound bounds f_c(t); a schedule counts only when
    its exact slot count is within t."""
    value = sum(len(ks) for _, ks in segs) if segs and segment_slots_exact(inst, segs) <= t else 0
    return Sub(value, bound, segs, how, {"status": code}, settled=code == "optimal")


def solve_cpsat_segment(inst: Instance, opts: RunOptions) -> Outcome:
    """Theorem-free slotted P2: component knapsack + CP-SAT segment model per (component, slots)."""
    bandwidth = opts.bandwidth
    if Semantics.parse(opts.semantics) != "slotted":
        raise Unsupported("cpsat-segment", "semantics", "slotted time only")
    use_form = opts["theorem2"]
    if use_form and inst.requested_models and theorem2_form_unproved(inst, "slotted") is None:
        return _whole_form(inst, opts)
    return solve_decomposed(
        inst,
        component_solver(inst, threads=opts.threads, seed=opts.seed, log=opts.log),
        form_sub=form_solver(inst, threads=opts.threads, seed=opts.seed) if use_form else None,
        solver="cpsat-segment",
        time_limit=opts.remaining(),
        bandwidth=bandwidth,
        max_states=opts["max_states"],
        sub_time_limit=opts["sub_time_limit"],
        max_tries=opts["max_tries"],
        dp_states=opts["dp_states"],
        theorem2=use_form,
    )


def _whole_form(inst: Instance, opts: RunOptions) -> Outcome:
    """Every component nested: Theorem 2's form loses nothing (formulations/theorem2-form.md), so
    cpsat's compact model of the whole instance is the theorem-free optimum, in one solve."""
    from dataclasses import replace

    from partialload_opt.partialloading.formulations.cpsat_compact import TIME_UNIT_S, solve_cpsat

    params = {**opts.params, "time_unit_s": TIME_UNIT_S, "presolve": True}
    got = solve_cpsat(inst, replace(opts, params=params))
    stats = dict(got.stats, method="Theorem 2's form (every component nested): cpsat's model")
    return replace(got, stats=stats)
