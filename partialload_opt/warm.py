"""Warm starts: the one path by which an exact model gets a starting schedule from another solver."""

from __future__ import annotations

from partialload_opt.instance import Instance
from partialload_opt.registry import solver_info, supports
from partialload_opt.results import Unsupported
from partialload_opt.schedule import Schedule, evaluate, segments_of_schedule

WARM_AUTO_STATES = 2e6
"""warm_start='auto': dp-exact's subset DP is used only up to this many states (milliseconds); beyond
it (BLS clusters of ~17 models in slotted time took 5-7 s, longer than cpsat's own proof) the hint
comes from dp-exact's chain DP (BLS) or greedy-paper."""


def warm_schedule(inst: Instance, solver: str, semantics: str, bandwidth) -> Schedule | None:
    """A starting schedule for an exact model, feasible in ``semantics``, from ``solver`` or from
    'auto' (the first of a small dp-exact, dp-exact's chain DP and greedy-paper that applies); None
    when the solver does not support the instance."""
    if solver == "auto":
        for name, opts in (
            ("dp-exact", {"max_states": WARM_AUTO_STATES}),
            ("dp-exact", {"method": "chain"}),
            ("greedy-paper", {}),
        ):
            got = _warm(inst, name, semantics, bandwidth, opts)
            if got is not None:
                return got
        return None
    return _warm(inst, solver, semantics, bandwidth, {})


def warm_segments(
    inst: Instance, solver: str, semantics: str, bandwidth
) -> list[tuple[int, int]] | None:
    """``warm_schedule`` as (model, users) segments, for the Theorem-2-form models."""
    sched = warm_schedule(inst, solver, semantics, bandwidth)
    return segments_of_schedule(inst, sched) if sched is not None else None


def _warm(inst: Instance, solver: str, semantics: str, bandwidth, opts: dict) -> Schedule | None:
    from partialload_opt.solving import solve

    info = solver_info(solver, "warm_start")
    sem = (
        semantics if semantics in info.semantics else "slotted"
    )  # slotted-feasible is continuous-feasible
    if supports(info, inst, sem, bandwidth):
        return None
    try:
        result = solve(inst, solver, semantics=sem, bandwidth=bandwidth, **opts)
    except Unsupported:
        return None
    if result.status.value == "error":
        return None
    schedule = result.schedule
    ev = evaluate(inst, schedule, semantics=semantics)
    return schedule if ev.feasible else None
