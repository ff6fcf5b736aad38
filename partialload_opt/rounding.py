"""The rounding-proof protocol of the exact models that count time in whole units, backend-neutral.

A conservative model (costs rounded up, deadline and slot down) never returns a late schedule; when
the data are not whole units it may cut a better one. So: solve it; if it is proved optimal and the
rounding was not exact, solve the optimistic model (costs down, deadline and slot up: a relaxation).
Equal optima prove the conservative optimum; an optimistic optimum that the evaluator finds on time
is attained, so it is proved too; otherwise the answer is 'feasible' with the optimistic bound. A
bound of the conservative model is never reported unless the rounding is exact."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from partialload_opt.results import Status


@dataclass
class Run:
    """One solve of one model: status, incumbent value, dual bound (users), and its answer."""

    status: Status
    value: int | None
    bound: int | None
    answer: object = None  # what the caller needs to rebuild the schedule
    proof: str = ""
    stats: dict = field(default_factory=dict)


def prove_with_rounding(
    solve: Callable[[bool], Run],
    exact: bool,
    on_time: Callable[[object], int | None],
    known_bound: int | None = None,
) -> tuple[Run, dict]:
    """``solve(optimistic)`` -> Run; ``on_time(answer)`` -> the evaluator's served count, None if late.
    ``known_bound``: a valid bound on every schedule (bounds.py), which proves a conservative answer
    that meets it without the optimistic solve."""
    run = solve(False)
    stats: dict = {"integer_time_exact": exact}
    if exact:
        return run, stats
    if known_bound is not None and run.value is not None and run.value >= known_bound:
        stats["rounding_could_matter"] = False
        run.status, run.bound = Status.OPTIMAL, known_bound
        run.proof = "meets a valid bound (bounds.py): no optimistic solve needed"
        return run, stats
    if run.status is not Status.OPTIMAL:
        if run.bound is not None:
            stats["bound_withheld"] = (
                "time units are not exact: the conservative model's bound is no bound"
            )
        run.bound = None
        return run, stats
    opt = solve(True)
    upper = opt.value if opt.status is Status.OPTIMAL else opt.bound
    stats["optimistic_bound"] = upper
    if upper is not None and upper <= (run.value or 0):
        stats["rounding_could_matter"] = False
        return run, stats
    if opt.status is Status.OPTIMAL and on_time(opt.answer) == upper:
        stats["rounding_could_matter"] = False
        opt.proof = "optimistic model's optimum is on time for the evaluator"
        return opt, stats
    stats["rounding_could_matter"] = True
    run.status, run.bound = Status.FEASIBLE, upper
    run.proof = "rounding to time units may have cut a better schedule"
    return run, stats
