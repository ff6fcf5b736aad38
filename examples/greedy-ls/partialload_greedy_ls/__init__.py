"""greedy-ls: hill climbing over segment lists, started from the paper's greedy (Algorithm 3).

A schedule is a list of segments (model, k): the model's k users with the smallest data, in batches
of at most b_max. Moves: serve one more user in a segment, insert a one-user segment of a model not
yet served at any position, swap two adjacent segments. A move is taken when it serves more users,
or as many in fewer slots (less time in continuous semantics); every candidate is scored by the
toolkit's evaluator, so the schedule returned is feasible by construction."""

from __future__ import annotations

import time

from partialload_opt import Instance, Schedule, evaluate, register_solver, solve
from partialload_opt.partialloading.schedule import segments_of_schedule


def to_schedule(inst: Instance, segments: list[tuple[int, int]]) -> Schedule:
    """(model index, k) segments -> a Schedule: first k users by ascending data, b_max per batch."""
    batches = []
    for i, k in segments:
        users = [int(u) for u in inst.users_of[i][:k]]  # users_of is sorted by ascending p_k
        cap = max(1, int(inst.b_max[i]))
        batches += [(i, users[s : s + cap]) for s in range(0, k, cap)]
    return Schedule.from_indices(inst, batches)


def score(inst: Instance, segments, semantics: str):
    """(served, -slots or -makespan) of a feasible schedule; None if any batch is late."""
    ev = evaluate(inst, to_schedule(inst, segments), semantics=semantics)
    if not ev.feasible:
        return None
    return ev.served, -(ev.slots_used if semantics == "slotted" else ev.makespan_s)


def moves(inst: Instance, segments):
    used = {i for i, _ in segments}
    for n, (i, k) in enumerate(segments):  # serve one more user
        if k < len(inst.users_of[i]):
            yield segments[:n] + [(i, k + 1)] + segments[n + 1 :]
    for j in inst.requested_models:  # a new one-user segment, anywhere
        if int(j) not in used:
            for n in range(len(segments) + 1):
                yield segments[:n] + [(int(j), 1)] + segments[n:]
    for n in range(len(segments) - 1):  # swap neighbours
        yield segments[:n] + [segments[n + 1], segments[n]] + segments[n + 2 :]


@register_solver(
    "greedy-ls",
    problem="partialload",
    semantics=("continuous", "slotted"),
    cases="any",
    bandwidths=("optimal",),
)
def greedy_ls(
    instance: Instance, *, semantics: str, time_limit: float | None = None, **options
) -> Schedule:
    """Local search from the paper's greedy: grow, insert and swap segments while it serves more."""
    start = solve(
        instance, "greedy-paper", semantics="slotted"
    ).schedule  # slotted-feasible: feasible in both
    current = segments_of_schedule(instance, start)  # (model, users) runs
    best = score(instance, current, semantics)
    deadline = None if time_limit is None else time.perf_counter() + time_limit
    improved = best is not None
    while improved and (deadline is None or time.perf_counter() < deadline):
        improved = False
        for cand in moves(instance, current):
            s = score(instance, cand, semantics)
            if s is not None and s > best:
                current, best, improved = cand, s, True
                break
    return to_schedule(instance, current)
