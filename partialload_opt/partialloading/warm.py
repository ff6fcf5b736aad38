"""Warm starts: the schedule an exact model starts from, computed by ``solve`` (never by the model)
from another solver, within the run's budget."""

from __future__ import annotations

from partialload_opt.partialloading.instance import Instance
from partialload_opt.partialloading.schedule import Schedule, evaluate
from partialload_opt.partialloading.solvers import supports
from partialload_opt.registry import solver_info
from partialload_opt.results import Status, Unsupported

WARM_AUTO_STATES = 2e6
"""warm_start='auto': dp-exact's subset DP is used only up to this many states (milliseconds); beyond
it (BLS clusters of ~17 models in slotted time took 5-7 s, longer than cpsat's own proof) the hint
comes from dp-exact's chain DP (BLS) or greedy-paper."""


def warm_schedule(
    inst: Instance, solver: str, semantics: str, bandwidth, time_limit: float | None = None
) -> Schedule | None:
    """A starting schedule feasible in ``semantics``, from ``solver`` or from 'auto' (the first of a
    small dp-exact, dp-exact's chain DP and greedy-paper that applies); None when none applies."""
    if solver == "auto":
        for name, opts in (
            ("dp-exact", {"max_states": WARM_AUTO_STATES}),
            ("dp-exact", {"method": "chain"}),
            ("greedy-paper", {}),
        ):
            got = _warm(inst, name, semantics, bandwidth, opts, time_limit)
            if got is not None:
                return got
        return None
    return _warm(inst, solver, semantics, bandwidth, {}, time_limit)


def _warm(
    inst: Instance, solver: str, semantics: str, bandwidth, opts: dict, time_limit
) -> Schedule | None:
    from partialload_opt.solving import solve

    info = solver_info(solver, "warm_start")
    sem = (
        semantics if semantics in info.semantics else "slotted"
    )  # slotted-feasible is continuous-feasible
    if supports(info, inst, sem, bandwidth):
        return None
    try:
        result = solve(
            inst, solver, semantics=sem, bandwidth=bandwidth, time_limit=time_limit, **opts
        )
    except Unsupported:
        return None
    if result.status is Status.ERROR:
        return None
    schedule = result.schedule
    ev = evaluate(inst, schedule, semantics=semantics)
    return schedule if ev.feasible else None
