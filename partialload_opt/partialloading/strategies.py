"""Hypothesis strategies and assertions for PartialLoading (re-exported by ``partialload_opt.testing``):
instances, near-boundary instances and schedules, and assertions against the one evaluator and the
exact ground truth."""

from __future__ import annotations

from hypothesis import strategies as st

from partialload_opt.partialloading.instance import Block, Instance, LoadRates, Model, User
from partialload_opt.partialloading.schedule import Batch, Schedule, evaluate
from partialload_opt.results import Status
from partialload_opt.testing import span as _span

__all__ = [
    "GroundTruthUnavailable",
    "assert_feasible",
    "assert_optimal",
    "exact_optimum",
    "instances",
    "near_boundary",
    "schedules",
]

LOAD = LoadRates(1e6, 1e9)


@st.composite
def instances(
    draw, case: str = "any", users=7, models=3, layers=4, ties: bool = True, tight: bool = False
):
    """A small instance (blocks in 1..``layers`` layers, ``models`` models, ``users`` users: an int
    n means up to n, a pair (a, b) means a..b).

    ``case``: 'bls' (shared prefixes per cluster), 'general' (random subsets) or 'any'. ``ties``: data
    sizes, block sizes and compute constants come from small sets, so equal values (and ties between
    schedules) are common; else from wide ranges. ``tight``: deadlines of a few slots, on a slot
    boundary or just past one, where slot rounding decides. Also drawn: b_max = 1, zero mu/beta,
    zero-size blocks, users of one model only."""
    if case == "any":
        case = draw(st.sampled_from(["bls", "general"]))
    n_models = draw(st.integers(*_span(models, 1)))
    n_layers = draw(st.integers(*_span(layers, 1)))
    if ties:
        sizes = st.sampled_from([0.0, 1.0, 1000.0, 2000.0, 5000.0, 20000.0])
        data = st.sampled_from([0.0, 1000.0, 2000.0, 3000.0])
        mus, betas = st.sampled_from([0.0, 0.0005, 0.001]), st.sampled_from([0.0, 0.001, 0.002])
    else:
        sizes = st.floats(0.0, 20000.0, allow_nan=False)
        data = st.floats(0.0, 3000.0, allow_nan=False)
        mus, betas = st.floats(0.0, 0.001), st.floats(0.0, 0.002)
    n_clusters = draw(st.integers(1, n_models))
    trunk = [[draw(sizes) for _ in range(n_layers)] for _ in range(n_clusters)]
    blocks: dict[str, float] = {}
    model_list = []
    bmax_one = draw(st.booleans())
    zero = draw(st.booleans())
    for i in range(n_models):
        c = i % n_clusters
        if case == "bls":
            shared = set(range(draw(st.integers(0, n_layers))))
        else:
            shared = set(draw(st.sets(st.integers(0, n_layers - 1))))
        ids = []
        for pos in range(n_layers):
            bid = f"c{c}/L{pos}" if pos in shared else f"m{i}/L{pos}"
            blocks[bid] = trunk[c][pos] if pos in shared else draw(sizes)
            ids.append(bid)
        mu = 0.0 if zero else draw(mus)
        beta = 0.0 if zero else draw(betas)
        per = 600.0 if bmax_one else draw(st.sampled_from([0.0, 100.0, 250.0]))
        model_list.append(Model(f"m{i}", tuple(ids), mu, beta, 400.0, per))
    n_users = draw(st.integers(*_span(users, 0)))
    user_list = [
        User(
            f"u{k}",
            f"m{draw(st.integers(0, n_models - 1))}",
            draw(data),
            draw(st.sampled_from([1.0, 2.0])),
        )
        for k in range(n_users)
    ]
    slot = draw(st.sampled_from([0.001, 0.002, 0.005]))
    n_slots = draw(st.integers(1, 6 if tight else 40))
    on_boundary = draw(st.booleans())
    deadline = n_slots * slot + (0.0 if on_boundary else draw(st.sampled_from([0.0003, 0.0007])))
    return Instance(
        "hyp",
        deadline,
        slot,
        1e6,
        1000.0,
        LOAD,
        tuple(Block(b, s) for b, s in sorted(blocks.items())),
        tuple(model_list),
        tuple(user_list),
        {"case": case},
    )


@st.composite
def near_boundary(draw, case: str = "any", users=6, models=(3, 3)):
    """An ``instances`` draw rescaled (slots from 1 us to 1,000 s) and given a slot so that one
    Theorem-2 segment lasts n slots plus or minus 1e-12..1e-6 slot, or exactly n: where exact slot
    counting and any rounding of time disagree."""
    from dataclasses import replace

    from partialload_opt.partialloading.generate import time_scaled
    from partialload_opt.partialloading.segments import SegmentCosts
    from partialload_opt.partialloading.timebase import rational

    inst = draw(instances(case, users=_span(users, 2), models=models, tight=True))
    req = list(inst.requested_models)
    if not req:
        return inst
    i = draw(st.sampled_from(req))
    prev = draw(st.sampled_from([-1, *(j for j in req if j != i)]))
    k = draw(st.integers(1, len(inst.users_of[i])))
    t = SegmentCosts.of(inst, "optimal", "optimal").segment_time_exact(prev, i, k)
    if t == 0:
        return inst
    n = draw(st.integers(1, 3))
    slot = 10 ** draw(st.floats(-6.0, 3.0))  # the segment then lasts about n such slots
    factor = float(f"{slot * n / float(t):.3g}")
    scaled = time_scaled(inst, factor)
    t = SegmentCosts.of(scaled, "optimal", "optimal").segment_time_exact(prev, i, k)
    offset = draw(st.sampled_from([-1, 0, 1])) * 10 ** draw(st.floats(-12.0, -6.0))
    slot = float(t / (n + rational(offset)))
    deadline = float(rational(slot) * draw(st.integers(n, n + 3)))
    return replace(scaled, slot_s=slot, deadline_s=deadline, name="near-boundary")


@st.composite
def schedules(draw, instance, bandwidth="optimal"):
    """A schedule of ``instance``: batches of one model's users, each user at most once, batch sizes
    within b_max, models revisited or not, in any order. Not necessarily on time."""
    left = {i: list(instance.users_of[i]) for i in instance.requested_models}
    batches = []
    while any(left.values()) and draw(st.booleans()):
        i = draw(st.sampled_from(sorted(m for m, ks in left.items() if ks)))
        size = draw(st.integers(1, max(1, min(len(left[i]), int(instance.b_max[i])))))
        chosen = draw(st.permutations(left[i]))[:size]
        left[i] = [k for k in left[i] if k not in chosen]
        batches.append(Batch(instance.models[i].id, tuple(instance.users[k].id for k in chosen)))
    return Schedule(tuple(batches), bandwidth, instance.name)


class GroundTruthUnavailable(Exception):
    """No proved optimum here (in slotted time beyond K = 12 the ground truth is cpsat-segment, where it
    proves its optimum within the time limit)."""


def exact_optimum(instance: Instance, semantics: str = "slotted", time_limit: float = 60.0) -> int:
    """The proved optimum of the problem as stated (no theorem assumed where it is not proved)."""
    from partialload_opt.partialloading.claims.context import Context

    value, how, _ = Context(instance, time_limit).optimum(semantics)
    if value is None:
        raise GroundTruthUnavailable(f"{instance.name}: {how}")
    return value


def assert_feasible(instance: Instance, schedule, semantics: str = "slotted") -> None:
    """Every rule of the problem holds (a Result's schedule may be passed as the Result)."""
    schedule = getattr(schedule, "schedule", schedule)
    ev = evaluate(instance, schedule, semantics=semantics)
    assert ev.feasible, f"{instance.name} ({semantics}): " + "; ".join(ev.violations)


def assert_optimal(instance: Instance, solver: str, semantics: str | None = None, **options):
    """``solver`` serves the proved optimum on ``instance``; returns its Result. Fails with both counts
    and the solver's schedule; raises GroundTruthUnavailable beyond the ground truth's reach."""
    from partialload_opt.solving import solve

    r = solve(instance, solver, semantics=semantics, **options)
    assert r.status is not Status.ERROR, f"{solver} ({r.semantics}) ended in error: {r.message}"
    best = exact_optimum(instance, r.semantics)
    assert r.served == best, (
        f"{solver} serves {r.served}, the optimum is {best} ({r.semantics}); "
        f"its schedule: {[(b.model, list(b.users)) for b in r.schedule.batches]}"
    )
    return r
