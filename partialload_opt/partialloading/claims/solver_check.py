"""``verify --solver NAME``: any registered solver checked like a claim of the paper ("NAME serves the
optimum"), against a proved optimum of the problem as stated (Context.optimum: Theorem 2's form where
it is proved to lose nothing, else the theorem-free ground truth).

held: it serves the optimum. violated, with a cause: ``gap`` (it serves fewer), ``infeasible`` (its
schedule breaks a rule; counted apart), ``error`` (it crashed, or its claim disagreed with the
evaluator). skipped: it refused the instance or timed out, or no proved optimum exists at this size.
An exact solver whose 'optimal' is contradicted by the proved optimum is also a solver bug."""

from __future__ import annotations

from partialload_opt.partialloading.claims.context import (
    HELD,
    VIOLATED,
    Check,
    Claim,
    Context,
    skipped,
)
from partialload_opt.registry import solver_info
from partialload_opt.results import Status

READING = "optimal"
CAUSES = ("gap", "infeasible", "error")


class SolverClaim:
    """The claim "solver NAME serves the optimum", in each semantics NAME supports."""

    def __init__(self, name: str):
        self.name = name
        info = solver_info(name)
        self.CLAIM = Claim(
            f"solver:{name}",
            f"{name} serves the optimum ({info.doc})",
            tuple((READING, s) for s in info.semantics),
            "a proved optimum (dp-exact / cpsat where Theorem 2's form is proved, else the "
            "theorem-free search, relaxation bound or cpsat-batch)",
        )
        self.exact = info.exact

    def check(self, ctx: Context, reading: str, semantics: str) -> Check:
        cid, name = self.CLAIM.id, self.name
        r = ctx.result(name, semantics)
        if r is None:
            return skipped(cid, reading, semantics, f"{name} does not handle this instance")
        if r.status is Status.TIMEOUT:
            return skipped(cid, reading, semantics, f"{name} timed out")
        if r.status is not Status.ERROR:  # a proved optimum refutes a bound below it (Context.saw)
            ctx.optimum(semantics)
            r = ctx.result(name, semantics)
        mine = {name: r.schedule.to_dict()}
        if r.status is Status.ERROR:
            cause = "infeasible" if r.infeasible else "error"
            return Check(
                cid,
                reading,
                semantics,
                VIOLATED,
                self.CLAIM.ground_truth,
                r.message,
                {"cause": cause, "served": r.served},
                mine if cause == "infeasible" else {},
            )
        opt, how, sched = ctx.optimum(semantics)
        if opt is None:
            return skipped(cid, reading, semantics, f"no proved {semantics} optimum ({how})")
        vals = {
            "served": r.served,
            "optimum": opt,
            "gap_users": opt - r.served,
            "gap_relative": (opt - r.served) / opt if opt else 0.0,
            "status": r.status.value,
        }
        if r.served > opt:
            ctx.bugs.append(
                f"{name} serves {r.served}, above the proved optimum {opt} ({how}, {semantics})"
            )
            return skipped(cid, reading, semantics, "solver bug: above the proved optimum")
        if self.exact and r.status is Status.OPTIMAL and r.served != opt:
            ctx.bugs.append(
                f"exact solver {name} says optimal {r.served}; {how} proves {opt} ({semantics})"
            )
        if r.served == opt:
            return Check(cid, reading, semantics, HELD, how, values=vals)
        shown = dict(mine, **({"optimum": sched.to_dict()} if sched is not None else {}))
        return Check(
            cid,
            reading,
            semantics,
            VIOLATED,
            how,
            f"{name} serves {r.served}, the optimum is {opt}",
            dict(vals, cause="gap"),
            shown,
        )
