"""Solve a Pyomo model with HiGHS through Pyomo's contrib (persistent) interface, honestly.

The objective of every P2 model is an integer count, so a dual bound that rounds down to the
incumbent is a proof of optimality, whether HiGHS stopped on its gap or on its time limit.
Infeasibility and time limits never raise (Pyomo would, by default: we ask it not to)."""

from __future__ import annotations

import io
import math
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

import pyomo.environ as pyo
from pyomo.contrib.solver.common.results import TerminationCondition
from pyomo.contrib.solver.solvers.highs import Highs

from partialload_opt.partialloading.results import Status
from partialload_opt.rounding import Run, prove_with_rounding

if TYPE_CHECKING:
    from partialload_opt.partialloading.instance import Instance
    from partialload_opt.partialloading.options import RunOptions
    from partialload_opt.partialloading.results import Outcome
    from partialload_opt.partialloading.schedule import Schedule

BOUND_TOL = 1e-6
TIGHT_TOLERANCES = {
    # integer time units: a row or integrality slack of 1e-9 x (coefficients < 1e6 units) stays far
    # below one unit, so a returned schedule is never later than the rounded model says
    "mip_feasibility_tolerance": 1e-9,
    "primal_feasibility_tolerance": 1e-9,
}
HIGHS_OPTIONS: dict = dict(TIGHT_TOLERANCES)
"""Every HiGHS option the exact models set, in one place (measured: benchmarks/RESULTS.md);
``run_highs(highs_options=...)`` adds or overrides per call."""
INTEGER_GAP = 1 - 1e-4
"""HiGHS's absolute gap: below one user, and far enough below it that the bound's floor is exact."""


@dataclass
class MipRun:
    status: Status
    incumbent: float | None
    bound: float | None
    proof: str  # how optimality was established, or why not
    log: str

    @property
    def int_bound(self) -> int | None:
        """The dual bound rounded down: the objective counts users."""
        return None if self.bound is None else math.floor(self.bound + BOUND_TOL)


def proved(incumbent: float | None, bound: float | None) -> bool:
    """Integer objective (maximised): the bound rounds down to the incumbent."""
    return (
        incumbent is not None
        and bound is not None
        and math.floor(bound + BOUND_TOL) <= round(incumbent)
    )


def run_highs(
    model: pyo.ConcreteModel,
    *,
    time_limit=None,
    threads=None,
    mip_gap: float = 0.0,
    seed=None,
    log=None,
    warm: dict | None = None,
    highs_options: dict | None = None,
    second_opinion: bool = True,
) -> MipRun:
    """Solve ``model`` (maximisation); values are loaded into the model when a solution exists.

    ``warm`` maps Pyomo VarData -> value for a starting solution (passed to HiGHS' setSolution);
    ``log``: None (quiet), True (terminal) or a path (solver log written there). A proved optimum
    is solved again at HiGHS's default tolerances (``second_opinion``): where the two disagree, the
    answer depends on a tolerance and is not a proof."""
    time_limit = None if time_limit is None else float(time_limit)
    started = time.monotonic()
    opt = Highs()
    opt.set_instance(model)
    if warm:
        _set_start(opt, warm)
    stream = io.StringIO()
    tee = [stream] + ([sys.stdout] if log is True else [])
    options = {**HIGHS_OPTIONS, **(highs_options or {})}
    if seed is not None:
        options["random_seed"] = int(seed)
    res = _solve(opt, model, time_limit, threads, mip_gap, options, tee)
    text = stream.getvalue()
    if log not in (None, True, False):
        with open(log, "w", encoding="utf-8") as f:
            f.write(text)
    tc = res.termination_condition
    has_solution = res.incumbent_objective is not None
    if has_solution:
        res.solution_loader.load_vars()
    inc, bound = res.incumbent_objective, res.objective_bound
    if bound is not None and not math.isfinite(bound):  # stopped before a bound: none
        bound = None
    got = _classify(tc, inc, bound, mip_gap, text)
    if got.status is Status.OPTIMAL and second_opinion:
        left = None if time_limit is None else time_limit - (time.monotonic() - started)
        doubt = _second_opinion(model, inc, left, threads, mip_gap, seed)
        if doubt is not None:
            return MipRun(Status.FEASIBLE, inc, None, doubt, text)
        got.proof += "; confirmed at HiGHS's default tolerances"
    return got


def _classify(tc, inc: float | None, bound: float | None, mip_gap: float, text: str) -> MipRun:
    """The run's status from HiGHS's termination, incumbent and bound (a proof only where the bound
    rounds down to the incumbent)."""
    if tc in (TerminationCondition.provenInfeasible, TerminationCondition.infeasibleOrUnbounded):
        why = "HiGHS says infeasible: the empty schedule is feasible, so this is a bug"
        return MipRun(Status.ERROR, None, None, why, text)
    if inc is None:
        status = Status.TIMEOUT if tc == TerminationCondition.maxTimeLimit else Status.ERROR
        return MipRun(status, None, bound, f"no solution ({tc.name})", text)
    if proved(inc, bound):
        how = (
            "gap closed"
            if tc == TerminationCondition.convergenceCriteriaSatisfied
            else f"bound = incumbent at {tc.name}"
        )
        return MipRun(Status.OPTIMAL, inc, bound, how, text)
    if tc == TerminationCondition.maxTimeLimit:
        return MipRun(Status.TIMEOUT, inc, bound, "time limit", text)
    if tc == TerminationCondition.convergenceCriteriaSatisfied:
        return MipRun(Status.FEASIBLE, inc, bound, f"stopped within mip_gap = {mip_gap}", text)
    return MipRun(Status.ERROR, inc, bound, f"HiGHS stopped: {tc.name}", text)


def _solve(opt: Highs, model, time_limit, threads, mip_gap: float, options: dict, tee=False):
    """One HiGHS solve through Pyomo, solutions not loaded, never raising on a non-optimal end. The
    objective counts users: an absolute gap below 1 already proves optimality (floor(bound) =
    incumbent), so HiGHS need not close the last fraction of a user."""
    return opt.solve(
        model,
        time_limit=time_limit,
        threads=threads,
        rel_gap=mip_gap,
        abs_gap=INTEGER_GAP if mip_gap == 0 else None,
        load_solutions=False,
        raise_exception_on_nonoptimal_result=False,
        tee=tee,
        solver_options=options,
    )


def _second_opinion(model, value, time_limit, threads, mip_gap, seed) -> str | None:
    """None when HiGHS at its own default tolerances, from no start, proves no more than ``value``
    on ``model``; else why the first proof is not taken (HiGHS disagrees with itself, or did not
    finish in the time left). Leaves the model's loaded values alone."""
    if time_limit is not None and time_limit <= 0:
        return "no time was left for the second opinion"
    opt = Highs()
    opt.set_instance(model)
    options = {} if seed is None else {"random_seed": int(seed)}
    res = _solve(opt, model, time_limit, threads, mip_gap, options)
    bound = res.objective_bound
    if bound is None or not math.isfinite(bound):
        return f"the second opinion ({res.termination_condition.name}) gave no bound"
    if math.floor(bound + BOUND_TOL) > round(value):
        inc = res.incumbent_objective
        return (
            f"HiGHS proved {round(value)} at tolerances {TIGHT_TOLERANCES} but bounds "
            f"{math.floor(bound + BOUND_TOL)} at its defaults (incumbent {inc}): the answer depends "
            "on a tolerance"
        )
    return None


def run_with_rounding_check(
    build, exact: bool, on_time=None, known_bound: int | None = None, remaining=None, **kw
) -> tuple[MipRun, pyo.ConcreteModel, dict]:
    """partialload_opt/rounding.py's protocol on HiGHS: ``build(optimistic)`` makes the conservative
    (costs rounded up, deadline down) or optimistic model; ``on_time(model)`` is the evaluator's
    served count of the model's loaded solution (None if late); ``remaining()`` gives each solve what
    is left of the run's budget. Returns the run that decides, its model, and the protocol's stats."""

    solved: list[pyo.ConcreteModel] = []

    def solve(optimistic: bool) -> Run:
        m = build(optimistic)
        # The optimistic model is solved from no start: started from the conservative solution,
        # HiGHS (with its absolute gap just under one user) once proved a wrong optimum of the
        # relaxation (instances/regression/milp-batch-optimistic-start.json), which would make
        # the protocol's proof wrong.
        args = dict(kw, warm=None, log=None) if optimistic else dict(kw)
        if remaining is not None:
            args["time_limit"] = remaining()
        r = run_highs(m, **args)
        solved.append(m)
        return Run(
            r.status,
            None if r.incumbent is None else round(r.incumbent),
            r.int_bound,
            (r, m),
            r.proof,
        )

    got, stats = prove_with_rounding(
        solve,
        exact,
        lambda answer: on_time(cast(tuple, answer)[1]) if on_time else None,
        known_bound,
    )
    run, m = cast("tuple[MipRun, pyo.ConcreteModel]", got.answer)
    if got.bound != run.int_bound:  # withheld, or the optimistic model's bound
        run.bound = got.bound
    run.status, run.proof = got.status, got.proof
    return run, m, stats


def _set_start(opt: Highs, warm: dict) -> None:
    """Hand HiGHS a full starting point (unset columns at 0); HiGHS checks it and ignores a bad one.

    Pyomo's contrib Highs has no public warm start, so this reads two of its private attributes (the
    column of each Pyomo variable, the highspy model); pyproject.toml bounds pyomo above for it and
    tests/partialloading/formulations/test_highs_warm_start.py fails when a release moves them."""
    import highspy

    col_of = opt._pyomo_var_to_solver_var_map  # noqa: SLF001 (Pyomo var id -> HiGHS column)
    n = opt._solver_model.getNumCol()  # noqa: SLF001 (no public warm start: see above)
    values = [0.0] * n
    for var, val in warm.items():
        col = col_of.get(id(var))
        if col is not None:
            values[col] = float(val)
    sol = highspy.HighsSolution()
    sol.col_value = values
    sol.value_valid = True
    opt._solver_model.setSolution(sol)  # noqa: SLF001 (no public warm start: see above)


def highs_outcome(
    inst: Instance,
    opts: RunOptions,
    m0: pyo.ConcreteModel,
    build_optimistic: Callable[[], pyo.ConcreteModel],
    exact: bool,
    schedule_of: Callable[[pyo.ConcreteModel | None], Schedule],
    stats: dict | None = None,
    warm: dict | None = None,
) -> Outcome:
    """A HiGHS model's Outcome: ``m0`` solved with the rounding proof (``build_optimistic()`` makes the
    relaxation) within the run's budget (``opts``: RunOptions), its schedule ``schedule_of(model)``
    (None: no incumbent) re-scored for the proof."""
    semantics = opts.semantics
    from partialload_opt.partialloading.bounds import best_bound
    from partialload_opt.partialloading.results import Outcome
    from partialload_opt.partialloading.schedule import served_on_time

    run, m, rstats = run_with_rounding_check(
        lambda optimistic: build_optimistic() if optimistic else m0,
        exact,
        on_time=lambda mo: served_on_time(inst, schedule_of(mo), semantics),
        known_bound=best_bound(inst, semantics).value,
        remaining=opts.remaining,
        threads=opts.threads,
        mip_gap=opts.gap,
        seed=opts.seed,
        log=opts.log,
        warm=warm,
    )
    sched = schedule_of(m if run.incumbent is not None else None)
    claimed = None if run.incumbent is None else int(round(run.incumbent))
    return Outcome(
        sched,
        run.status,
        claimed=claimed,
        bound=run.int_bound,
        stats={"proof": run.proof, **rstats, **(stats or {})},
    )
