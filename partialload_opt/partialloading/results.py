"""What a PartialLoading solver run produces: the Outcome a solver function returns, and the Result
that ``solve`` makes of it after re-scoring the schedule with the one evaluator."""

from __future__ import annotations

from dataclasses import dataclass, field

from partialload_opt import display
from partialload_opt.partialloading.instance import Instance
from partialload_opt.partialloading.schedule import Schedule
from partialload_opt.results import Status, Unsupported

__all__ = ["Outcome", "Result", "Status", "Unsupported", "nobody_to_serve"]


@dataclass(frozen=True)
class Outcome:
    """What a solver function may return instead of a bare Schedule; ``solve`` turns it into a
    Result. ``claimed`` is checked against the evaluator; ``bound`` must bound every schedule."""

    schedule: Schedule
    status: Status
    claimed: int | None = None  # the solver's own objective, checked against the evaluator
    bound: float | None = None
    stats: dict = field(default_factory=dict)  # free-form, for people: nothing steers on it
    loading: str = "shared"  # how the schedule is scored: 'independent' is Remark 4's view
    restricted: str | None = None  # what narrows the optimum it proved (an order), if anything


@dataclass(frozen=True, kw_only=True)
class Result:
    """One solver run, re-scored: ``served`` is always the evaluator's count."""

    solver: str
    semantics: str
    status: Status
    served: int
    bound: float | None
    wall_s: float
    schedule: Schedule
    stats: dict = field(default_factory=dict)  # free-form, for people: nothing steers on it
    message: str = ""
    loading: str = "shared"  # 'independent': scored without sharing (Remark 4), never promoted
    restricted: str | None = None  # the solver's optimum is over a narrower set (an order)
    not_proved: str | None = None  # why Theorem 2's form is no proof here (its bound withheld)
    form_optimal: bool = False  # it proved an optimum over Theorem 2's form only (not_proved)
    bound_source: str | None = None  # "solver", a cheap bound's name, or "NAME's bound" (a run's)
    proved_by: str | None = None  # "bound: ..." when a bound it meets, not its solver, proved it
    refuted_bound: float | None = None  # the solver's bound a verified schedule refuted (an error)
    infeasible: bool = False  # its schedule breaks a rule (an error, served 0)

    @property
    def optimal_over(self) -> str | None:
        """'all schedules' when proved optimal; 'theorem-2 form' when optimal over Theorem 2's form
        only (formulations/theorem2-form.md: not a proof about the problem); else None."""
        if self.status is Status.OPTIMAL:
            return "all schedules"
        if self.status is Status.FEASIBLE and self.form_optimal:
            return "theorem-2 form"
        return None

    @property
    def gap(self) -> float | None:
        """Users between the bound and the answer (None without a bound)."""
        return None if self.bound is None else self.bound - self.served

    def __repr__(self) -> str:
        """One line: solver, semantics, status, served, bound, wall time (and an error's message)."""

        status = self.status.value
        if self.optimal_over == "theorem-2 form":
            status += " (optimal over theorem-2 form)"
        bound = "no bound" if self.bound is None else f"bound {display.number(self.bound)}"
        message = f", {display.shorten(self.message)!r}" if self.message else ""
        return (
            f"Result({self.solver}, {self.semantics}, {status}, served {self.served}, {bound}, "
            f"{display.seconds(self.wall_s)}{message})"
        )

    def _repr_html_(self) -> str:
        """A notebook's summary: status, served, bound and where it came from, time, schedule."""
        return display.card(
            repr(self),
            display.fields(
                [
                    ("solver", self.solver),
                    ("semantics", self.semantics),
                    ("status", self.status.value),
                    ("optimal over", self.optimal_over or "-"),
                    ("served", self.served),
                    ("bound", display.number(self.bound)),
                    ("bound from", self.bound_source or "-"),
                    *([("proved by", self.proved_by)] if self.proved_by else []),
                    ("gap (users)", display.number(self.gap)),
                    ("wall time", display.seconds(self.wall_s)),
                    ("schedule", repr(self.schedule)),
                    *([("message", self.message)] if self.message else []),
                ]
            ),
        )

    def plot(self, instance: Instance, ax=None, title: str | None = None):
        """The Gantt chart of this result's schedule on ``instance``, in its semantics, on ``ax``
        (a new figure if None); returns the Axes."""
        from partialload_opt import plot

        return plot.gantt(instance, self, ax=ax, title=title)

    def to_dict(self) -> dict:
        return {
            "solver": self.solver,
            "semantics": self.semantics,
            "status": self.status.value,
            "optimal_over": self.optimal_over,
            "served": self.served,
            "bound": self.bound,
            "gap": self.gap,
            "bound_source": self.bound_source,
            "proved_by": self.proved_by,
            "loading": self.loading,
            "restricted": self.restricted,
            "not_proved": self.not_proved,
            "refuted_bound": self.refuted_bound,
            "infeasible": self.infeasible,
            "wall_s": self.wall_s,
            "message": self.message,
            "stats": self.stats,
            "schedule": self.schedule.to_dict(),
        }


def nobody_to_serve(inst: Instance, bandwidth) -> Outcome:
    """No user requests any model: the empty schedule is optimal (no model to build)."""
    return Outcome(Schedule((), bandwidth, inst.name), Status.OPTIMAL, claimed=0, bound=0)
