"""cpsat-batch: milp-batch's theorem-free P2 in OR-Tools CP-SAT, continuous or slotted time.

The same batch positions and rows (B1)-(B15) as formulations/milp-batch.md, with the rows that the
MILP writes with a big M written as CP-SAT enforced rows. Integer time units, rounded towards
feasibility and checked by partialload_opt/rounding.py."""

from __future__ import annotations

import math
from typing import Any

from ortools.sat.python import cp_model

from partialload_opt.cpsat_run import cpsat_solver, status_name
from partialload_opt.partialloading import bandwidth as bw
from partialload_opt.partialloading.formulations.batch_rows import position_rows, require_positions
from partialload_opt.partialloading.formulations.milp_batch import (
    batch_times_whole,
    block_groups,
    group_loads,
    identical_pairs,
)
from partialload_opt.partialloading.formulations.milp_compact import TIME_UNIT_S
from partialload_opt.partialloading.instance import Instance
from partialload_opt.partialloading.options import RunOptions
from partialload_opt.partialloading.results import Outcome, Status, nobody_to_serve
from partialload_opt.partialloading.schedule import Schedule, served_on_time
from partialload_opt.partialloading.timebase import rational, units
from partialload_opt.rounding import Run, prove_with_rounding


class BatchCpSat:
    """Builds the model; names as in milp-batch (b, x, w, t_up; a, st, en, sigma for segments)."""

    def __init__(
        self, inst: Instance, semantics: str, rule, optimistic: bool, symmetry: bool = True
    ):
        self.inst, self.semantics, self.rule, self.opt = inst, semantics, rule, optimistic
        self.m = cp_model.CpModel()
        models = list(inst.requested_models)
        N = inst.K
        self.N, self.models = N, models
        up = not optimistic
        ex, q = inst.exact, rational(TIME_UNIT_S)
        u = lambda t: units(t, q, up)  # noqa: E731 - exact seconds -> whole units
        m = self.m
        self.b = {(n, i): m.new_bool_var(f"b[{n},{i}]") for n in range(N) for i in models}
        self.x = {(n, k): m.new_bool_var(f"x[{n},{k}]") for n in range(N) for k in range(inst.K)}
        groups = block_groups(inst, models)
        self.w = {
            (n, g): m.new_bool_var(f"w[{n},{g}]") for n in range(N) for g in range(len(groups))
        }
        var = {"b": self.b, "x": self.x, "w": self.w}
        r = bw.batch_cap(rule)
        cap = {i: int(inst.b_max[i]) if r is None else min(int(inst.b_max[i]), r) for i in models}
        pairs = identical_pairs(inst) if symmetry else ()
        for row in position_rows(inst, models, groups, N, cap, pairs):  # (B1)-(B7), (S1)
            m.add(row.expr(lambda key: var[key[0]][key[1:]])).with_name(row.name)
        tb = []
        loads = [u(t) for t in group_loads(inst, models)]
        uploads = [u(t * (r or 1)) for t in ex.upload]
        for n in range(N):
            load: Any = sum(loads[g] * self.w[n, g] for g in range(len(groups)))  # eq. (8)
            if r is None:
                t_up = sum(uploads[k] * self.x[n, k] for k in range(inst.K))  # (B8) eq. (11)
            else:
                t_up = m.new_int_var(0, max(uploads), f"t_up[{n}]")
                for k in range(inst.K):
                    m.add(t_up >= uploads[k] * self.x[n, k])  # (B8')
            comp = sum(
                u(ex.mu[i]) * sum(self.x[n, k] for k in inst.users_of[i])
                + u(ex.beta[i]) * self.b[n, i]
                for i in models
            )
            tb.append(t_up + load + comp)
        m.add(sum(tb) <= units(ex.deadline, q, not up))  # (B9) eq. (13c)
        if semantics == "slotted":
            self._slot_rows(tb)
        m.maximize(sum(self.x.values()))  # eq. (13a)

    def _slot_rows(self, tb) -> None:
        """(B10)-(B15) as enforced rows: a[n] accumulates a segment's time, sigma[n] rounds it up."""
        m, inst, N = self.m, self.inst, self.N
        slot = units(inst.exact.slot, rational(TIME_UNIT_S), self.opt)
        horizon = inst.T * slot + (1 if self.opt else 0)
        a = [m.new_int_var(0, horizon, f"a[{n}]") for n in range(N)]
        st = [m.new_bool_var(f"st[{n}]") for n in range(N)]
        en = [m.new_bool_var(f"en[{n}]") for n in range(N)]
        sig = [m.new_int_var(0, inst.T, f"sigma[{n}]") for n in range(N)]
        for n in range(N):
            m.add(a[n] >= tb[n])  # (B11)
            if n:
                m.add(a[n] >= a[n - 1] + tb[n]).only_enforce_if(st[n].Not())  # (B10)
                for i in self.models:
                    m.add_bool_or(
                        [st[n].Not(), self.b[n - 1, i].Not(), self.b[n, i].Not()]
                    )  # (B12)
            for i in self.models:  # (B13)
                if n + 1 < N:
                    m.add_bool_or([en[n], self.b[n, i].Not(), self.b[n + 1, i]])
                else:
                    m.add_implication(self.b[n, i], en[n])
            m.add(slot * sig[n] >= a[n] - (1 if self.opt else 0)).only_enforce_if(en[n])  # (B14)
        m.add(sum(sig) <= inst.T)  # (B15)
        m.add(sum(tb) <= inst.T * slot)  # (B17)

    def batches(self, solver: cp_model.CpSolver) -> list[tuple[int, list[int]]]:
        out = []
        for n in range(self.N):
            i = next((i for i in self.models if solver.value(self.b[n, i])), None)
            if i is None:
                break
            out.append((i, [k for k in range(self.inst.K) if solver.value(self.x[n, k])]))
        return out

    def hint(self, sched: Schedule) -> None:
        inst = self.inst
        chosen = {}
        for n, b in enumerate(sched.batches[: self.N]):
            chosen[n] = (inst.model_index[b.model], {inst.user_index[u] for u in b.users})
        for (n, i), lit in self.b.items():
            self.m.add_hint(lit, n in chosen and chosen[n][0] == i)
        for (n, k), lit in self.x.items():
            self.m.add_hint(lit, n in chosen and k in chosen[n][1])


def solve_cpsat_batch(inst: Instance, opts: RunOptions) -> Outcome:
    """milp-batch's theorem-free P2 (batch positions, revisits allowed) in CP-SAT."""
    semantics, bandwidth = opts.semantics, opts.bandwidth
    symmetry, max_users = opts["symmetry"], opts["max_users"]
    require_positions(inst, "cpsat-batch", max_users)
    if not inst.requested_models:
        return nobody_to_serve(inst, bandwidth)
    rule = bw.parse_bandwidth(bandwidth)
    start = opts.start
    exact = batch_times_whole(inst, semantics, rule)

    def schedule_of(batches) -> Schedule:
        return Schedule.from_indices(inst, batches or [], rule, {"solver": "cpsat-batch"})

    def run(optimistic: bool) -> Run:
        model = BatchCpSat(inst, semantics, rule, optimistic, symmetry)
        if start is not None:
            model.hint(start)
        solver = cpsat_solver(
            opts.remaining(),
            opts.threads,
            opts.seed,
            opts.gap,
            opts.log if not optimistic else None,
        )
        code = solver.solve(model.m)
        name = status_name(code)
        if code in (cp_model.INFEASIBLE, cp_model.MODEL_INVALID):
            raise RuntimeError(
                f"CP-SAT returned {name} (the empty schedule is feasible: a modelling bug)"
            )
        if code == cp_model.UNKNOWN:  # its best_objective_bound is then 0, no bound (cpsat.md)
            return Run(Status.TIMEOUT, None, None, None, name)
        bound = math.floor(solver.best_objective_bound + 1e-6)
        value = int(round(solver.objective_value))
        status = (
            Status.OPTIMAL
            if code == cp_model.OPTIMAL and bound <= value
            else (Status.TIMEOUT if code == cp_model.FEASIBLE else Status.FEASIBLE)
        )
        return Run(status, value, bound, model.batches(solver), name)

    got, stats = prove_with_rounding(
        run, exact, lambda b: served_on_time(inst, schedule_of(b), semantics)
    )
    bound = got.bound if got.status is not Status.OPTIMAL else got.value
    return Outcome(
        schedule_of(got.answer),
        got.status,
        claimed=got.value,
        bound=bound,
        stats={
            "cp_status": got.proof,
            "positions": inst.K,
            **stats,
        },
    )
