"""QPART's solve: run a registered QPART solver and re-score its decision with the one QPART evaluator
(statuses as in PartialLoading: optimal only when proved; a claim the evaluator does not confirm, or a
decision that breaks a rule, is an error). ``solve_many`` runs several in turn (`partialload qpart
solve`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from partialload_opt import display
from partialload_opt.options import SolveOptions, build, solver_params, user_keywords
from partialload_opt.qpart.evaluate import Decision, QEvaluation, bits_text, evaluate
from partialload_opt.qpart.instance import QInstance
from partialload_opt.registry import SolverInfo
from partialload_opt.results import BadAnswer, Status, Unsupported, check_number

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


@dataclass(frozen=True, kw_only=True)
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

    def __repr__(self) -> str:
        """One line: solver, status, objective, bound, the decision, wall time (and a message)."""

        d = self.decision
        decision = (
            "no decision" if d is None else f"partition {d.partition}, bits {bits_text(d.bits)}"
        )
        bound = "no bound" if self.bound is None else f"bound {display.number(self.bound)}"
        message = f", {display.shorten(self.message)!r}" if self.message else ""
        return (
            f"QResult({self.solver}, {self.status.value}, objective {display.number(self.objective)}, "
            f"{bound}, {decision}, {display.seconds(self.wall_s)}{message})"
        )

    def _repr_html_(self) -> str:
        """A notebook's summary: status, objective, bound, time, then the decision's terms."""
        summary = display.fields(
            [
                ("solver", self.solver),
                ("status", self.status.value),
                ("objective", display.number(self.objective)),
                ("bound", display.number(self.bound)),
                ("wall time", display.seconds(self.wall_s)),
                *([("message", self.message)] if self.message else []),
            ]
        )
        terms = "" if self.evaluation is None else self.evaluation._repr_html_()
        return display.card(repr(self), summary, terms)

    def plot(self, ax=None, title: str | None = None):
        """Its decision's device, transmission and server times on one axis (QEvaluation.plot)."""
        from partialload_opt import plot

        return plot.gantt(None, self, ax=ax, title=title, problem="qpart")

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


def solve(instance: QInstance, solver: str | None = None, **options) -> QResult:
    """Run one registered QPART solver (default: the problem's, qpart-pareto) and re-score its
    decision (``partialload_opt.solve``)."""
    from partialload_opt.solving import solve as solve_any

    return solve_any(instance, solver, **options)


@dataclass(frozen=True)
class NotRun:
    """A requested solver that refused the instance, and why."""

    solver: str
    reason: str

    def to_dict(self) -> dict:
        return {
            "solver": self.solver,
            "status": "not run",
            "objective": None,
            "message": self.reason,
        }


def solve_many(instance: QInstance, names: list[str], **options) -> list[QResult | NotRun]:
    """Each solver of ``names`` in turn, in order: its QResult, or NotRun with the reason when it
    refuses the instance -- unless it is the only one (then Unsupported propagates)."""
    rows: list[QResult | NotRun] = []
    for name in names:
        try:
            rows.append(solve(instance, name, **options))
        except Unsupported as e:
            if len(names) == 1:
                raise
            rows.append(NotRun(name, e.rule))
    return rows


def best_decision(results: list) -> Decision | None:
    """The decision of least objective among the results that did not end in error (the first of
    equal ones)."""
    done = [
        (r.objective, r.decision)
        for r in results
        if isinstance(r, QResult)
        and r.decision is not None
        and r.objective is not None
        and r.status is not Status.ERROR
    ]
    return min(done, key=lambda pair: pair[0])[1] if done else None


def options(info: SolverInfo, inst: QInstance, given: dict) -> SolveOptions:
    """The run's validated options (QPART has no time semantics and no warm start)."""
    params, open_ = solver_params(info, ())
    return build(SolveOptions, info.name, given, params, open_params=open_)


def start(info: SolverInfo, inst: QInstance, opts: SolveOptions) -> None:
    return None


def call(info: SolverInfo, inst: QInstance, opts: SolveOptions):
    """A built-in solver gets the options object; a user's function gets keywords."""
    if not info.user:
        return info.func(inst, opts)
    return info.func(inst, **user_keywords(info.func, opts))


def failed(
    info: SolverInfo, inst: QInstance, opts: SolveOptions, message: str, trace: str, wall: float
) -> QResult:
    return QResult(
        solver=info.name,
        status=Status.ERROR,
        objective=None,
        bound=None,
        wall_s=wall,
        decision=None,
        evaluation=None,
        stats={"traceback": trace} if trace else {},
        message=message,
    )


def _check_outcome(info: SolverInfo, out: QOutcome) -> None:
    """A user's QOutcome is well formed, else a BadAnswer (that run's error Result)."""
    where = f"{info.origin}: solver {info.name!r} returned a QOutcome whose"
    if out.decision is not None and not isinstance(out.decision, Decision):
        raise BadAnswer(f"{where} decision is {type(out.decision).__name__}, not a Decision")
    if not isinstance(out.status, Status):
        raise BadAnswer(f"{where} status is {out.status!r}, not a Status")
    try:
        check_number(out.claimed, "claimed objective")
        check_number(out.bound, "bound")
    except BadAnswer as e:
        raise BadAnswer(f"{where} {e}") from None


def rescore(info: SolverInfo, inst: QInstance, opts: SolveOptions, out, wall: float) -> QResult:
    """The QResult of what the solver returned, re-scored by the one QPART evaluator."""
    solver = info.name
    if info.user and not isinstance(out, QOutcome):  # a user's solver may return a bare Decision
        if out is None or isinstance(out, Decision):
            out = QOutcome(out, Status.FEASIBLE if out is not None else Status.ERROR)
        else:
            raise BadAnswer(
                f"{info.origin}: solver {solver!r} returned {type(out).__name__}, not a Decision or "
                "a QOutcome"
            )
    if info.user:
        _check_outcome(info, out)
    stats = dict(out.stats, claimed=out.claimed)
    if out.decision is None:
        status: Status = (
            out.status
            if out.status in (Status.INFEASIBLE, Status.TIMEOUT, Status.ERROR)
            else Status.ERROR
        )
        msg = str(out.stats.get("reason") or ("no decision" if status is Status.ERROR else ""))
        return QResult(
            solver=solver,
            status=status,
            objective=None,
            bound=out.bound,
            wall_s=wall,
            decision=None,
            evaluation=None,
            stats=stats,
            message=msg,
        )
    ev = evaluate(inst, out.decision)
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
    return QResult(
        solver=solver,
        status=status,
        objective=ev.objective if not ev.violations else None,
        bound=bound,
        wall_s=wall,
        decision=out.decision,
        evaluation=ev,
        stats=stats,
        message=message,
    )
