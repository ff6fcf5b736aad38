"""The decomposition of formulations/cpsat-segment.md, backend-neutral: the slotted optimum as a
knapsack over components of f_c(t) (the most users a run of component c serves in t slots), with
f_c bracketed by lo_c <= f_c <= hi_c and refined where the knapsack of the upper bounds needs it.

* lo_c: the Theorem-2-form subset DP (dp-exact's table; schedules, so lower bounds), then every
  schedule a segment model finds (re-counted on exact times).
* hi_c: the slot knapsack bound (D1) at first; exactly lo_c on a nested component (theorem2-form.md);
  lowered by the visit-count DP (D2, visit_dp.py) where the knapsack needs it, whose least path is
  tried there (re-counted exactly: an optimum where no model is revisited) and whose user classes are
  split where a revisit was charged too little; then the proved bound of a segment model of (c, t)
  (rows (G1)-(G16)).

A backend solves one ``(component, t)``: ``sub(comp, t, time_limit, hint) -> Sub``."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from partialload_opt.partialloading.form_dp import FormCost, chain_table, subset_table
from partialload_opt.partialloading.formulations.segment_rows import Segments, segment_slots_exact
from partialload_opt.partialloading.formulations.visit_dp import (
    VisitDP,
    one_class,
    split_widest,
    states,
    visit_dp,
)
from partialload_opt.partialloading.formulations.walk_bound import (
    WALK_CLASSES,
    WalkDP,
    walk_bound,
)
from partialload_opt.partialloading.instance import Instance
from partialload_opt.partialloading.results import Outcome, Status, Unsupported, nobody_to_serve
from partialload_opt.partialloading.schedule import Schedule
from partialload_opt.partialloading.segments import (
    SegmentCosts,
    nested_components,
    prefix_slots,
    private_blocks,
)


@dataclass
class Sub:
    """One solve of one component within t slots: a schedule's users (re-counted exactly), a proved
    bound on every run of the component within t slots, and the schedule."""

    value: int
    bound: int | None
    segments: Segments
    proof: str = ""
    stats: dict = field(default_factory=dict)


@dataclass
class Component:
    models: tuple[int, ...]
    nested: bool
    lo: np.ndarray  # lo[t]: users of a known run within t slots
    hi: np.ndarray  # hi[t]: proved bound on every run within t slots
    runs: dict[int, Segments]  # t -> the run giving lo[t] (the smallest t that does)
    tried: dict[int, int] = field(default_factory=dict)  # t -> solves there so far
    settled: set[int] = field(default_factory=set)  # t where the models ran to their optimum
    dp: VisitDP | None = None  # (D2), once the knapsack needed it
    dp_paths: set[int] | None = None  # t where (D2)'s path was tried; None: no (D2) here
    classes: dict[int, tuple[int, ...]] = field(default_factory=dict)  # (D2)'s user classes
    by_form: bool = False  # nested, past the subset DP: f_c(t) by the form's compact model
    walks: dict[int, WalkDP] = field(default_factory=dict)  # (D3)'s DP per classes per model
    walked: set[int] = field(default_factory=set)  # t where (D3) ran


def max_plus(tables: Sequence[np.ndarray], T: int) -> tuple[np.ndarray, list[np.ndarray]]:
    """best[t] = max sum of tables[c][t_c] over sum t_c <= t (tables nondecreasing in t), with the
    argmax t_c of each stage for ``split``."""
    best = np.zeros(T + 1, dtype=np.int64)
    args = []
    for tab in tables:
        new = np.full(T + 1, -1, dtype=np.int64)
        arg = np.zeros(T + 1, dtype=np.int64)
        for tc in range(T + 1):
            cand = np.full(T + 1, -1, dtype=np.int64)
            cand[tc:] = best[: T + 1 - tc] + tab[tc]
            better = cand > new
            new[better], arg[better] = cand[better], tc
        best = new
        args.append(arg)
    return best, args


def split(args: list[np.ndarray], T: int) -> list[int]:
    """The budgets t_c of an optimum of ``max_plus`` at budget T."""
    out: list[int] = []
    rest = T
    for arg in reversed(args):
        tc = int(arg[rest])
        out.insert(0, tc)
        rest -= tc
    return out


def slot_knapsack_bound(inst: Instance, comp: Sequence[int], T: int) -> np.ndarray:
    """(D1) hi[t], t = 0..T: a run of ``comp`` whose first segment is model f spends on each model i
    at least ceil((V_i + serve_i(n_i)) / slot) slots, V_f = V(J_f) (the first load is in full) and
    V_i = V(private blocks of i) otherwise (every visit reloads them), serve_i(n) the least serve
    time of n users; the best knapsack of those costs, over every first model f."""
    own = {i: prefix_slots(inst, i, private_blocks(inst, i)) for i in comp}
    full = {i: prefix_slots(inst, i, inst.block_mask[i]) for i in comp}
    out = np.zeros(T + 1, dtype=np.int64)
    for f in comp:  # f first: it serves a user, its cost table loads J_f in full
        best = np.full(T + 1, -(10**9), dtype=np.int64)  # max users within t slots
        for n in range(1, len(full[f])):
            c = int(full[f][n])
            if c <= T:
                best[c:] = np.maximum(best[c:], n)
        for i in comp:
            if i == f:
                continue
            new = best.copy()
            for n in range(1, len(own[i])):
                c = int(own[i][n])
                if c <= T:
                    new[c:] = np.maximum(new[c:], best[: T + 1 - c] + n)
            best = new
        out = np.maximum(out, best)  # and 0: the empty run
    return out


def form_table(inst: Instance, comp: Sequence[int], T: int, max_states: float):
    """The Theorem-2-form optimum of ``comp`` within t slots (dp-exact's subset DP): lo[t] and the
    segments (model, prefix count) of each; None past the DP's state guard."""
    cost = FormCost(inst, SegmentCosts.of(inst, "optimal", "optimal"), "slotted")
    try:
        best, segs = subset_table(cost, list(comp), max_states)
    except Unsupported:
        return None
    return _runs_within(inst, best, segs, T)


def _runs_within(inst: Instance, best: np.ndarray, segs, T: int):
    """lo[t] (the most users within t slots, best[u] the least slots of u users) and the run of
    each t where it rises; ``segs(u)`` -> (model, prefix count) segments."""
    lo = np.zeros(T + 1, dtype=np.int64)
    at: dict[int, int] = {}
    for u, c in enumerate(best):
        if c <= T:
            t = int(c)
            if u > lo[t]:
                lo[t], at[t] = u, u
    runs: dict[int, Segments] = {}
    for t in range(T + 1):
        if t and lo[t - 1] >= lo[t]:
            lo[t] = lo[t - 1]
    for t, u in at.items():
        if lo[t] == u:
            runs[t] = [(i, [int(k) for k in inst.users_of[i][:k]]) for i, k in segs(u)]
    return lo, runs


def chain_form_table(inst: Instance, comp: Sequence[int], T: int):
    """Known runs of ``comp`` when its subset DP is too large: the chain DP over one order (models
    by how many of their blocks other models of the component share: the nesting order where the
    component is nested), lo[t] and the segments of each; runs in one order, so lower bounds only."""
    mask = inst.block_mask[list(comp)]
    shared = mask & (mask.sum(axis=0) >= 2)
    order = [i for _, i in sorted(zip(shared.sum(axis=1).tolist(), comp))]
    cost = FormCost(inst, SegmentCosts.of(inst, "optimal", "optimal"), "slotted")
    best, segs = chain_table(cost, order)
    return _runs_within(inst, best, segs, T)


def run_at(comp: Component, t: int) -> Segments:
    """The known run with lo[t] users within t slots."""
    best = max(
        (tt for tt in comp.runs if tt <= t),
        default=None,
        key=lambda tt: (len_users(comp.runs[tt]), -tt),
    )
    return comp.runs[best] if best is not None else []


def len_users(segs: Segments) -> int:
    return sum(len(ks) for _, ks in segs)


def record(inst: Instance, comp: Component, segs: Segments) -> None:
    """A run found by a model: re-counted on exact times, it raises lo from its slot count on."""
    if not segs:
        return
    t = segment_slots_exact(inst, segs)
    n = len_users(segs)
    if t < len(comp.lo) and n > comp.lo[t]:
        comp.runs[t] = segs
        comp.lo[t:] = np.maximum(comp.lo[t:], n)


def solve_decomposed(
    inst: Instance,
    sub: Callable[[tuple[int, ...], int, float | None, Segments], Sub],
    *,
    solver: str,
    form_sub: Callable[[tuple[int, ...], int, float | None, Segments], Sub] | None = None,
    time_limit: float | None = None,
    bandwidth="optimal",
    max_states: float = 6e7,
    sub_time_limit: float | None = 10.0,
    max_tries: int | None = None,
    dp_states: float = 3e8,
) -> Outcome:
    """The slotted optimum by the component knapsack, refining hi_c by ``sub`` where needed."""
    t0 = time.perf_counter()
    if not inst.requested_models:
        return nobody_to_serve(inst, bandwidth)
    T = inst.T
    comps: list[Component] = []
    for models, nested in nested_components(inst):
        got = form_table(inst, models, T, max_states)
        lo, runs = got if got is not None else chain_form_table(inst, models, T)
        hi = slot_knapsack_bound(inst, models, T)
        if nested and got is not None:  # theorem2-form.md: the form loses nothing here
            hi = lo.copy()
        n = sum(len(inst.users_of[i]) for i in models)
        comp = Component(tuple(models), nested and got is not None, lo, np.minimum(hi, n), runs)
        comp.by_form = nested and got is None and form_sub is not None
        comp.classes = one_class(inst, comp.models)
        comp.dp_paths = set() if states(inst, comp.models) <= dp_states else None
        comps.append(comp)
    if any((c.hi < c.lo).any() for c in comps):
        raise RuntimeError(f"{solver}: a (D1) bound below a known run (a bug)")
    solves, dp_solves, walk_solves, proofs = 0, 0, 0, []
    form_value = int(max_plus([c.lo for c in comps], T)[0][T])
    while True:
        upper, args_hi = max_plus([c.hi for c in comps], T)
        lower, args_lo = max_plus([c.lo for c in comps], T)
        if upper[T] <= lower[T]:
            break
        left = None if time_limit is None else time_limit - (time.perf_counter() - t0)
        if left is not None and left <= 0:
            break
        want = split(args_hi, T)
        todo = [(c, t) for c, t in zip(comps, want) if c.hi[t] > c.lo[t] and t not in c.settled]
        if not todo:  # the gap is the rounding's, where the models ran to their optimum
            break
        # (D3) first wherever the knapsack needs it (cheap), then the least-tried point; a point
        # tried before gets twice the time it had
        c, t = min(
            todo,
            key=lambda ct: (
                ct[1] in ct[0].walked or ct[0].by_form or ct[0].nested,
                ct[0].tried.get(ct[1], 0),
                ct[0].hi[ct[1]] - ct[0].lo[ct[1]],
            ),
        )
        if not c.by_form and not c.nested and t not in c.walked:  # (D3) at t, where needed:
            c.walked.add(t)  # one class per model, then WALK_CLASSES where that leaves a gap
            for classes in (1, WALK_CLASSES):
                if c.hi[t] <= c.lo[t]:
                    break
                if classes not in c.walks:
                    c.walks[classes] = WalkDP(inst, c.models, T, classes)
                stop = None if left is None else time.monotonic() + left
                got3 = walk_bound(c.walks[classes], t, int(c.lo[t]), stop=stop)
                walk_solves += 1
                c.hi[: t + 1] = np.minimum(c.hi[: t + 1], got3.bound)
            if (c.hi < c.lo).any():
                raise RuntimeError(f"{solver}: a (D3) bound below a known run (a bug)")
            continue
        if c.by_form:  # nested, past the subset DP: the form's optimum by its compact model
            pass
        elif c.dp_paths is not None and c.dp is None:  # (D2) first, where the knapsack needs it
            stop = None if time_limit is None else t0 + time_limit
            c.dp = visit_dp(inst, c.models, T, stop, c.classes)
            if c.dp is None:
                c.dp_paths = None
                continue
            dp_solves += 1
            c.hi = np.minimum(c.hi, c.dp.table(T))
            if (c.hi < c.lo).any():
                raise RuntimeError(f"{solver}: a (D2) bound below a known run (a bug)")
            continue
        if (
            not c.by_form and c.dp is not None and c.dp_paths is not None and t not in c.dp_paths
        ):  # its path next
            c.dp_paths.add(t)
            segs = c.dp.path(t)
            record(inst, c, segs)
            if c.hi[t] > c.lo[t]:  # a revisit was charged cheaper users than it has: finer classes
                seq = [i for i, _ in segs]
                finer = split_widest(inst, c.classes, {i for i in seq if seq.count(i) > 1})
                if finer != c.classes and states(inst, c.models, finer) <= dp_states:
                    c.classes, c.dp, c.dp_paths = finer, None, set()
            continue
        tries = c.tried.get(t, 0)
        if max_tries is not None and tries >= max_tries:
            break
        limit = None if sub_time_limit is None else sub_time_limit * 2**tries
        limit = left if limit is None else (limit if left is None else min(limit, left))
        got = (form_sub if c.by_form and form_sub is not None else sub)(
            c.models, t, limit, run_at(c, t)
        )
        solves += 1
        proofs.append(got.proof)
        record(inst, c, got.segments)
        if got.bound is not None:
            c.hi[: t + 1] = np.minimum(c.hi[: t + 1], got.bound)
        if (c.hi < c.lo).any():
            raise RuntimeError(f"{solver}: a proved bound below a known run (a modelling bug)")
        c.tried[t] = tries + 1
        if all(v == "optimal" for k, v in got.stats.items() if k in ("status", "conservative")):
            c.settled.add(t)  # solving again gives the same answer: more time cannot help
    upper, args_hi = max_plus([c.hi for c in comps], T)
    lower, args_lo = max_plus([c.lo for c in comps], T)
    batches: list[tuple[int, list[int]]] = []
    for c, tc in zip(comps, split(args_lo, T)):
        for i, ks in run_at(c, tc):
            cap = int(inst.b_max[i])
            batches += [(i, ks[a : a + cap]) for a in range(0, len(ks), cap)]
    sched = Schedule.from_indices(inst, batches, bandwidth, {"solver": solver})
    value, bound = int(lower[T]), int(upper[T])
    stopped_early = time_limit is not None and time.perf_counter() - t0 >= time_limit
    status = (
        Status.OPTIMAL
        if bound <= value
        else (Status.TIMEOUT if stopped_early or max_tries is not None else Status.FEASIBLE)
    )
    stats = {
        "components": len(comps),
        "nested_components": sum(c.nested for c in comps),
        "component_solves": solves,
        "visit_dp_solves": dp_solves,
        "walk_bounds": walk_solves,
        "form_value": form_value,
        "proofs": sorted(set(proofs)),
    }
    return Outcome(sched, status, claimed=value, bound=bound, stats=stats)
