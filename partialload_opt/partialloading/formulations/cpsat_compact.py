"""cpsat: the compact model in OR-Tools CP-SAT (written form: formulations/cpsat.md).

Per cluster an ``add_circuit`` through a depot with optional nodes (self-loop literal = not visited),
one Boolean per (model, count), and either one time row in integer time units (continuous) or one
integer slot count per segment (slotted). CP-SAT needs integers: times are scaled once, here, and
rounded towards feasibility (costs up, deadline down)."""

from __future__ import annotations

import math

import numpy as np
from ortools.sat.python import cp_model

from partialload_opt.cpsat_run import cpsat_solver, status_name
from partialload_opt.partialloading.formulations.compact import DEPOT, CompactData
from partialload_opt.partialloading.instance import Instance
from partialload_opt.partialloading.options import RunOptions
from partialload_opt.partialloading.results import Outcome, Status, nobody_to_serve
from partialload_opt.partialloading.schedule import Schedule, segments_of_schedule, served_on_time
from partialload_opt.partialloading.timebase import rational, units, whole_units
from partialload_opt.rounding import Run, prove_with_rounding

TIME_UNIT_S = 1e-7
"""Continuous semantics: one integer unit = 0.1 us. Every serve and load cost is rounded up and the
deadline down, so a CP-SAT solution is never late for the evaluator; the rounding can cost at most
2 units (0.2 us) per visited model of the total, which `solve` checks by a second, optimistic solve."""
INT_LIMIT = 2**53


class CompactCpSat:
    """Builds the CP-SAT model; one private method per constraint family, in ``build`` order."""

    def __init__(self, d: CompactData, semantics: str, unit: float, optimistic: bool = False):
        self.d, self.semantics, self.up = d, semantics, not optimistic
        self.unit = rational(unit)
        self.m = cp_model.CpModel()
        self.z: dict[tuple[int, int], cp_model.IntVar] = {}
        self.v: dict[int, cp_model.IntVar] = {}
        self.arc: dict[tuple[int, int, int], cp_model.IntVar] = {}
        self.s: dict[int, cp_model.IntVar] = {}

    def build(self) -> CompactCpSat:
        self._count_choice()
        self._circuits()
        if self.semantics == "continuous":
            self._time_row()
        else:
            self._slot_rows()
        self._objective()
        return self

    def _count_choice(self) -> None:
        """(K1) z[i,k]: model i serves exactly k users; sum_k z[i,k] = v[i] (visited)."""
        for i in self.d.models:
            self.v[i] = self.m.new_bool_var(f"v[{i}]")
            for k in range(1, self.d.n(i) + 1):
                self.z[i, k] = self.m.new_bool_var(f"z[{i},{k}]")
            self.m.add(sum(self.z[i, k] for k in range(1, self.d.n(i) + 1)) == self.v[i])

    def _circuits(self) -> None:
        """(K2) one circuit per cluster through its depot (node 0); unvisited models self-loop."""
        for c, members in enumerate(self.d.clusters):
            node = {DEPOT: 0, **{i: p + 1 for p, i in enumerate(members)}}
            arcs: list = []
            for j, i in self.d.arcs(c):
                lit = self.m.new_bool_var(f"arc[{c},{j},{i}]")
                self.arc[c, j, i] = lit
                arcs.append((node[j], node[i], lit))
            for i in members:
                arcs.append((node[i], node[i], ~self.v[i]))
            empty = self.m.new_bool_var(f"empty[{c}]")
            self.m.add_bool_or([self.v[i] for i in members] + [empty])
            for i in members:
                self.m.add_implication(empty, ~self.v[i])
            arcs.append((0, 0, empty))
            self.m.add_circuit(arcs)

    def _time_row(self) -> None:
        """(K3) continuous: sum of serve and load costs (units, rounded up) <= Tbar (units, down)."""
        terms, total_max = [], 0
        for (i, k), lit in self.z.items():
            w = units(self.d.serve_exact(i, k), self.unit, self.up)
            terms.append(w * lit)
            total_max += w
        for (_c, j, i), lit in self.arc.items():
            if i != DEPOT:
                w = units(self.d.load_exact(j, i), self.unit, self.up)
                terms.append(w * lit)
                total_max += w
        if total_max >= INT_LIMIT:
            raise OverflowError(f"time costs sum to {total_max} units >= 2^53: raise time_unit_s")
        inst = self.d.inst
        self.deadline_units = units(inst.exact.deadline, self.unit, up=not self.up)
        self.m.add(sum(terms) <= self.deadline_units)

    def _slot_rows(self) -> None:
        """Slotted: s[i] whole slots for model i's segment, sum s[i] <= T. (K4a) one exact linear row
        per model, s[i] * W >= load_in(i) + serve_i(k) in units rounded up (W: the slot in units),
        for a model where this rounding gives the evaluator's ceil((load + serve) / slot) on every
        incoming arc and every k (checked here); otherwise (K4) s[i] >= slots(j, i, k) enforced by
        each arc j -> i, with (K5)."""
        T = self.d.inst.T
        W = units(self.d.inst.exact.slot, self.unit, up=False)
        into: dict[int, list] = {i: [] for i in self.d.models}  # (j, arc literal, slots(j, i, .))
        for (_c, j, i), lit in self.arc.items():
            if i != DEPOT:
                into[i].append((j, lit, self.d.slots(j, i)))
        inexact = []
        for i in self.d.models:
            self.s[i] = self.m.new_int_var(0, T + 1, f"s[{i}]")
            n = self.d.n(i)
            serve_u = np.array(
                [units(self.d.serve_exact(i, k), self.unit, True) for k in range(1, n + 1)]
            )
            load_u = [units(self.d.load_exact(j, i), self.unit, True) for j, _, _ in into[i]]
            if (
                W > 0
                and all(  # W = 0: a slot shorter than one unit, (K4) rows only
                    np.array_equal(-(-(lu + serve_u) // W), sl[1:])
                    for lu, (_, _, sl) in zip(load_u, into[i])
                )
            ):
                self.m.add(
                    self.s[i] * W
                    >= sum(lu * lit for lu, (_, lit, _) in zip(load_u, into[i]))
                    + sum(int(serve_u[k - 1]) * self.z[i, k] for k in range(1, n + 1))
                )
                continue
            inexact.append(i)
            for _, lit, sl in into[i]:
                self.m.add(
                    self.s[i] >= sum(int(sl[k]) * self.z[i, k] for k in range(1, n + 1))
                ).only_enforce_if(lit)
        self.m.add(sum(self.s.values()) <= T)
        self.inexact_slot_models = len(inexact)
        self._slot_time_cuts(inexact)
        self._slot_floor_cuts(into)

    def _slot_floor_cuts(self, into) -> None:
        """(K6) valid inequalities: s[i] >= sum_k z[i,k] * min_j slots(j, i, k), the whole slots of
        model i's segment after its cheapest predecessor (the evaluator's table, no rounding); they
        put each segment's rounding up to whole slots into the LP bound."""
        for i in self.d.models:
            floor = np.min([sl for _, _, sl in into[i]], axis=0)
            self.m.add(
                self.s[i] >= sum(int(floor[k]) * self.z[i, k] for k in range(1, self.d.n(i) + 1))
            )

    def _slot_time_cuts(self, models) -> None:
        """(K5) valid inequalities for the models with (K4) rows: a segment's slots cover its time,
        s[i] * slot >= load into i + serve_i(k), with costs rounded down (never cuts a solution);
        they give the LP the continuous-time bound that (K4)'s enforced rows hide."""
        slot_u = units(self.d.inst.exact.slot, self.unit, up=True)
        for i in models:
            load_in = [
                units(self.d.load_exact(j, ii), self.unit, up=False) * lit
                for (c, j, ii), lit in self.arc.items()
                if ii == i
            ]
            serve = [
                units(self.d.serve_exact(i, k), self.unit, up=False) * self.z[i, k]
                for k in range(1, self.d.n(i) + 1)
            ]
            self.m.add(self.s[i] * slot_u >= sum(load_in) + sum(serve) - 1)

    def _objective(self) -> None:
        """eq. (13a): maximise the users served."""
        self.m.maximize(sum(k * lit for (i, k), lit in self.z.items()))

    def hint(self, segments: list[tuple[int, int]]) -> None:
        """Hint a complete solution (dp-exact's or greedy-paper's) to CP-SAT."""
        chosen = dict(segments)
        cluster_of = {i: c for c, members in enumerate(self.d.clusters) for i in members}
        succ = set()
        for c in range(len(self.d.clusters)):
            path = [DEPOT] + [i for i, _ in segments if cluster_of[i] == c]
            if len(path) > 1:
                path.append(DEPOT)
                succ |= {(c, a, b) for a, b in zip(path, path[1:])}
        for (i, k), lit in self.z.items():
            self.m.add_hint(lit, chosen.get(i) == k)
        for i, lit in self.v.items():
            self.m.add_hint(lit, i in chosen)
        for key, lit in self.arc.items():
            self.m.add_hint(lit, key in succ)

    def segments(self, solver: cp_model.CpSolver) -> list[tuple[int, int]]:
        out = []
        for c in range(len(self.d.clusters)):
            succ = {j: i for (cc, j, i), lit in self.arc.items() if cc == c and solver.value(lit)}
            counts = {i: k for (i, k), lit in self.z.items() if solver.value(lit)}
            out += self.d.segments_from_tour(succ, counts)
        return out


def solve_cpsat(inst: Instance, opts: RunOptions) -> Outcome:
    """Compact model in CP-SAT: add_circuit per cluster, one Boolean per (model, count)."""
    semantics, bandwidth = opts.semantics, opts.bandwidth
    time_unit_s = opts["time_unit_s"]
    if not inst.requested_models:
        return nobody_to_serve(inst, bandwidth)
    d = CompactData(inst, bandwidth)
    warm = segments_of_schedule(inst, opts.start) if opts.start is not None else None
    stats: dict = {}

    def run(optimistic: bool) -> Run:
        """One CP-SAT solve of the conservative (or optimistic) rounding; its segments as the answer."""
        model = CompactCpSat(d, semantics, time_unit_s, optimistic=optimistic).build()
        if warm:
            model.hint(warm)
        solver = cpsat_solver(
            opts.remaining(),
            opts.threads,
            opts.seed,
            0 if optimistic else opts.gap,
            None if optimistic else opts.log,
        )
        solver.parameters.cp_model_presolve = opts["presolve"]
        code = solver.solve(model.m)
        if code in (cp_model.INFEASIBLE, cp_model.MODEL_INVALID):
            raise RuntimeError(
                f"CP-SAT returned {status_name(code)} (the empty schedule is feasible: "
                f"a modelling bug); {model.m.validate() or 'no validation message'}"
            )
        if not optimistic:
            stats.update(cp_status=status_name(code), wall_cpsat_s=solver.wall_time)
        if code == cp_model.UNKNOWN:  # its best_objective_bound is then 0, no bound (cpsat.md)
            return Run(Status.TIMEOUT, None, None)
        bound = math.floor(solver.best_objective_bound + 1e-6)
        value = int(round(solver.objective_value))
        proved = code == cp_model.OPTIMAL and (opts.gap == 0 or bound <= value)
        status = (
            Status.OPTIMAL
            if proved
            else (Status.FEASIBLE if code == cp_model.OPTIMAL else Status.TIMEOUT)
        )
        return Run(status, value, bound, model.segments(solver))

    def on_time(segs) -> int | None:
        cand = Schedule.from_indices(inst, d.costs.schedule_batches(segs), bandwidth)
        return served_on_time(inst, cand, semantics)

    exact = whole_units(d.all_times(), rational(time_unit_s)) if semantics == "continuous" else True
    got, proof_stats = prove_with_rounding(run, exact, on_time)  # partialload_opt/rounding.py
    stats.update(proof_stats)
    if got.proof:
        stats["proof"] = got.proof
    if got.answer is None:  # no incumbent: the empty schedule, and the bound where it is one
        return Outcome(
            Schedule((), bandwidth, inst.name), Status.TIMEOUT, bound=got.bound, stats=stats
        )
    sched = Schedule.from_indices(
        inst, d.costs.schedule_batches(got.answer), bandwidth, {"solver": "cpsat"}
    )
    return Outcome(sched, got.status, claimed=got.value, bound=got.bound, stats=stats)
