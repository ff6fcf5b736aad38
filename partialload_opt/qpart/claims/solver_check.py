"""``verify --problem qpart --solver NAME``: any registered QPART solver checked like a claim ("NAME
costs what the exact optimum costs"), against the proved optimum of QContext.

held: it finds the optimum (or agrees that no decision meets the budget). violated, with a cause:
``gap`` (it costs more), ``no-decision`` (it finds none although one exists), ``error`` (it crashed,
broke a rule or claimed a cost the evaluator does not confirm). skipped: it refused the instance or
timed out, or no proved optimum exists."""

from __future__ import annotations

from partialload_opt.qpart.claims.context import versus_optimum
from partialload_opt.registry import solver_info
from partialload_opt.results import Status
from partialload_opt.verify.checks import HELD, VIOLATED, Check, Claim, skipped


class QSolverClaim:
    def __init__(self, name: str):
        self.name = name
        info = solver_info(name)
        self.CLAIM = Claim(
            f"solver:{name}",
            f"{name} finds the optimum ({info.doc})",
            (("optimal", "-"),),
            "the exact optimum (qpart-pareto or qpart-milp, cross-checked by qpart-cpsat)",
        )
        self.exact = info.exact

    def check(self, ctx, reading: str, semantics: str) -> Check:
        cid, name = self.CLAIM.id, self.name
        r = ctx.result(name)
        if r is None:
            return skipped(cid, reading, semantics, f"{name} does not handle this instance")
        if r.status is Status.TIMEOUT:
            return skipped(cid, reading, semantics, f"{name} timed out")
        if r.status is Status.ERROR:
            return Check(
                cid,
                reading,
                semantics,
                VIOLATED,
                self.CLAIM.ground_truth,
                r.message or "error",
                {"cause": "error"},
            )
        best = ctx.optimum()
        if best is None:
            return skipped(cid, reading, semantics, "no proved optimum")
        if best.objective is None:  # nothing meets the budget
            ok = r.objective is None
            return Check(
                cid,
                reading,
                semantics,
                HELD if ok else VIOLATED,
                self.CLAIM.ground_truth,
                "" if ok else "a decision where none meets the budget",
                {"cause": "no-decision"},
            )
        if r.objective is None:
            return Check(
                cid,
                reading,
                semantics,
                VIOLATED,
                self.CLAIM.ground_truth,
                f"{name} finds no decision; the optimum costs {best.objective:.6g}",
                {"cause": "no-decision"},
            )
        if r.objective < best.objective * (1 - 1e-9):
            ctx.bugs.append(
                f"{name} costs {r.objective}, below the proved optimum {best.objective}"
            )
            return skipped(cid, reading, semantics, "solver bug: below the proved optimum")
        if self.exact and r.status is Status.OPTIMAL and r.objective > best.objective * (1 + 1e-9):
            ctx.bugs.append(
                f"exact solver {name} says optimal {r.objective}; the optimum is {best.objective}"
            )
        vals = {
            "objective": r.objective,
            "optimum": best.objective,
            "status": r.status.value,
            "cause": "gap",
        }
        return versus_optimum(self.CLAIM, reading, semantics, name, r, best, vals, name)
