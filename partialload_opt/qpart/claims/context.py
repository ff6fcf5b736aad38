"""The ground truths of one QPART instance, computed on demand and cached: the exact optimum (the
Pareto DP, or the MILP under a memory limit), any solver's result, and per-partition exact optima."""

from __future__ import annotations

from partialload_opt.qpart.exact import pareto_partition
from partialload_opt.qpart.instance import QInstance
from partialload_opt.qpart.knapsack import knapsack
from partialload_opt.qpart.solving import QResult, solve
from partialload_opt.results import Status, Unsupported


class QContext:
    def __init__(self, inst: QInstance, time_limit: float = 60.0):
        self.inst, self.time_limit = inst, time_limit
        self._cache: dict = {}
        self.bugs: list[str] = []

    def _memo(self, key, fn):
        if key not in self._cache:
            self._cache[key] = fn()
        return self._cache[key]

    def result(self, solver: str, **options) -> QResult | None:
        def run():
            try:
                return solve(self.inst, solver, time_limit=self.time_limit, **options)
            except Unsupported:
                return None

        return self._memo((solver, tuple(sorted(options.items()))), run)

    def optimum(self) -> QResult | None:
        """The proved optimum (status optimal or infeasible), cross-checked by a second exact solver."""

        def run():
            first = "qpart-milp" if self.inst.device.memory_bits is not None else "qpart-pareto"
            r = self.result(first)
            if r is None or r.status not in (Status.OPTIMAL, Status.INFEASIBLE):
                return None
            other = self.result("qpart-cpsat")
            if (
                other is not None
                and other.status in (Status.OPTIMAL, Status.INFEASIBLE)
                and (
                    other.status is not r.status
                    or (
                        r.objective is not None
                        and other.objective is not None
                        and abs(other.objective - r.objective) > 1e-9 * max(1.0, abs(r.objective))
                    )
                )
            ):
                self.bugs.append(
                    f"{first} says {r.status.value} {r.objective}, qpart-cpsat "
                    f"{other.status.value} {other.objective}"
                )
            return r

        return self._memo("optimum", run)

    def partition_optima_unavailable(self) -> str | None:
        """Why per-partition exact optima are not computed here (the Pareto DP has no memory row)."""
        if self.inst.device.memory_bits is not None:
            return "memory limit: per-partition optima need the MILP"
        return None

    def partition_optimum(self, p: int) -> tuple[float, list] | None:
        """(payload, widths) of partition p's exact optimum (no memory limit), None if infeasible."""
        return self._memo(("p", p), lambda: pareto_partition(knapsack(self.inst, p)))


def versus_optimum(
    claim,
    reading: str,
    semantics: str,
    label: str,
    result: QResult,
    best: QResult,
    values: dict,
    what: str,
):
    """A claim that ``result`` (a paper's method) costs what the exact optimum ``best`` costs: held, or
    violated with the relative gap and both decisions."""
    from partialload_opt.verify.checks import HELD, VIOLATED, Check

    assert result.objective is not None and best.objective is not None  # the callers checked
    assert result.decision is not None and best.decision is not None
    gap = (result.objective - best.objective) / best.objective
    values = dict(values, gap_relative=gap)
    if gap > 1e-9:
        shown = {label: result.decision.to_dict(), "optimum": best.decision.to_dict()}
        return Check(
            claim.id,
            reading,
            semantics,
            VIOLATED,
            claim.ground_truth,
            f"{what} costs {100 * gap:.2f}% more than the optimum",
            values,
            shown,
        )
    return Check(claim.id, reading, semantics, HELD, claim.ground_truth, values=values)
