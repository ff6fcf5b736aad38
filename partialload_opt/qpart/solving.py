"""QPART's solve: run a registered QPART solver and re-score its decision with the one QPART evaluator
(statuses as in PartialLoading: optimal only when proved; a claim the evaluator does not confirm, or a
decision that breaks a rule, is an error)."""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass, field

from partialload_opt.qpart.evaluate import Decision, QEvaluation, evaluate
from partialload_opt.qpart.instance import QInstance
from partialload_opt.registry import solver_info
from partialload_opt.results import Status, Unsupported

CLAIM_TOL = 1e-9
"""Relative difference between a solver's claimed objective and the evaluator's that is an error."""


@dataclass(frozen=True)
class QOutcome:
    """What a QPART solver function returns: a decision (None: no feasible decision), its status, the
    objective it claims (checked) and a lower bound (only a proved one)."""

    decision: Decision | None
    status: Status
    claimed: float | None = None
    bound: float | None = None
    stats: dict = field(default_factory=dict)


@dataclass(frozen=True)
class QResult:
    solver: str
    status: Status
    objective: float | None  # the evaluator's
    bound: float | None
    wall_s: float
    decision: Decision | None
    evaluation: QEvaluation | None
    stats: dict = field(default_factory=dict)
    message: str = ""

    def to_dict(self) -> dict:
        ev, d = self.evaluation, self.decision
        return {
            "solver": self.solver,
            "status": self.status.value,
            "objective": self.objective,
            "bound": self.bound,
            "partition": None if d is None else d.partition,
            "bits": None if d is None else list(d.bits),
            "activation_bits": None if ev is None else ev.sent_bits,
            "accuracy_used": None if ev is None else ev.accuracy_used,
            "payload_bits": None if ev is None else ev.payload,
            "wall_s": self.wall_s,
            "message": self.message,
            "stats": self.stats,
        }


def solve(
    instance: QInstance, solver: str = "qpart-pareto", *, time_limit: float | None = None, **options
) -> QResult:
    """Run one registered QPART solver and re-score its decision; a crash is a Result 'error'."""
    info = solver_info(solver)
    if info.problem != "qpart":
        raise Unsupported("solver", solver, f"is a {info.problem} solver, not a qpart one")
    t0 = time.perf_counter()
    try:
        out: QOutcome = info.func(instance, time_limit=time_limit, **options)
    except Unsupported:
        raise
    except Exception as e:  # reported, never propagated into a sweep
        return QResult(
            solver,
            Status.ERROR,
            None,
            None,
            time.perf_counter() - t0,
            None,
            None,
            {"traceback": traceback.format_exc(limit=5)},
            f"{type(e).__name__}: {e}",
        )
    wall = time.perf_counter() - t0
    if info.user and not isinstance(out, QOutcome):  # a user's solver may return a bare Decision
        if out is None or isinstance(out, Decision):
            out = QOutcome(out, Status.FEASIBLE if out is not None else Status.ERROR)
        else:
            from partialload_opt.plugins import PluginError

            raise PluginError(
                info.origin,
                f"solver {solver!r} returned {type(out).__name__}, not a Decision or a QOutcome",
            )
    stats = dict(out.stats, claimed=out.claimed)
    if out.decision is None:
        status: Status = (
            out.status
            if out.status in (Status.INFEASIBLE, Status.TIMEOUT, Status.ERROR)
            else Status.ERROR
        )
        msg = str(out.stats.get("reason") or ("no decision" if status is Status.ERROR else ""))
        return QResult(solver, status, None, out.bound, wall, None, None, stats, msg)
    ev = evaluate(instance, out.decision)
    status, message = out.status, ""
    if ev.violations:
        status, message = Status.ERROR, f"decision violates the rules: {ev.violations[0]}"
    elif out.claimed is not None and abs(out.claimed - ev.objective) > CLAIM_TOL * max(
        1.0, abs(ev.objective)
    ):
        status, message = (
            Status.ERROR,
            f"solver claims objective {out.claimed:.12g}, evaluator {ev.objective:.12g}",
        )
    bound = out.bound
    if status is Status.OPTIMAL and bound is None:
        bound = ev.objective
    objective = ev.objective if not ev.violations else None
    return QResult(solver, status, objective, bound, wall, out.decision, ev, stats, message)
