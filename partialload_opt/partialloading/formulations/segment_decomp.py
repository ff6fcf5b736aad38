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
    stats: dict = field(default_factory=dict)  # for people: the backend's status words
    settled: bool = False  # every model solve it took reached its optimum: more time cannot help


@dataclass
class VisitState:
    """(D2) of one component: its DP once the knapsack needed it, the budgets where its least path
    was tried, and its user classes (refined one split at a time)."""

    classes: dict[int, tuple[int, ...]]
    dp: VisitDP | None = None
    paths: set[int] = field(default_factory=set)


@dataclass
class Component:
    """One component's bracket lo[t] <= f_c(t) <= hi[t], the runs behind lo, and how far each
    refinement has gone there."""

    models: tuple[int, ...]
    nested: bool  # the form's subset DP gave lo = hi (theorem2-form.md)
    lo: np.ndarray  # lo[t]: users of a known run within t slots
    hi: np.ndarray  # hi[t]: proved bound on every run within t slots
    runs: dict[int, Segments]  # t -> the run giving lo[t] (the smallest t that does)
    by_form: bool = False  # nested, past the subset DP: f_c(t) by the form's compact model
    visit: VisitState | None = None  # (D2); None: not within dp_states
    walks: dict[int, WalkDP] = field(default_factory=dict)  # (D3)'s DP per classes per model
    walked: set[int] = field(default_factory=set)  # t where (D3) ran
    tried: dict[int, int] = field(default_factory=dict)  # t -> segment-model solves there
    settled: set[int] = field(default_factory=set)  # t where the models ran to their optimum

    def gap(self, t: int) -> int:
        return int(self.hi[t] - self.lo[t])


@dataclass(frozen=True)
class Step:
    """What one step of the decomposition did: its name (the stats count them) and whether the
    search must stop (no step can help: a segment model's tries are used up)."""

    name: str
    stop: bool = False


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


def remaining(deadline: float | None) -> float | None:
    """Seconds left until ``deadline`` (time.monotonic; None: no limit), at least 10 ms: a solve
    given none still returns what it has."""
    return None if deadline is None else max(deadline - time.monotonic(), 0.01)


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
    theorem2: bool = True,
) -> Outcome:
    """The slotted optimum by the component knapsack, refining hi_c (and lo_c) where the knapsack
    of the upper bounds needs it, one named step at a time (``Decomposition``). ``theorem2=False``:
    no component counts as nested (Theorem 2's form is never relied on), the route that cross-checks
    the form's proofs."""
    if not inst.requested_models:
        return nobody_to_serve(inst, bandwidth)
    d = Decomposition(
        inst,
        sub,
        form_sub,
        solver=solver,
        time_limit=time_limit,
        max_states=max_states,
        sub_time_limit=sub_time_limit,
        max_tries=max_tries,
        dp_states=dp_states,
        theorem2=theorem2,
    )
    d.run()
    return d.outcome(bandwidth)


class Decomposition:
    """The search of ``solve_decomposed``: the components' brackets (``start``), then, while the
    knapsacks of hi and lo differ and time is left, a point ``pick``s (component, budget) and one step
    refines it: ``walk`` (D3), ``visit_dp`` (D2), ``try_path`` (D2's least path, and a split of its
    classes), ``solve_point`` (the form's or the segment model)."""

    def __init__(self, inst: Instance, sub, form_sub, *, solver: str, time_limit, max_states,
                 sub_time_limit, max_tries, dp_states, theorem2=True):  # fmt: skip
        self.inst, self.T, self.sub, self.form_sub = inst, inst.T, sub, form_sub
        self.solver, self.time_limit, self.sub_time_limit = solver, time_limit, sub_time_limit
        self.max_tries, self.dp_states = max_tries, dp_states
        self.t0 = time.perf_counter()
        self.steps: dict[str, int] = {}
        self.proofs: list[str] = []
        self.comps = [self.start(models, nested and theorem2, max_states) for models, nested in
                      nested_components(inst)]  # fmt: skip
        self.check("(D1)")
        self.form_value = int(max_plus([c.lo for c in self.comps], self.T)[0][self.T])

    # ---- the brackets ------------------------------------------------------------------------
    def start(self, models: tuple[int, ...], nested: bool, max_states: float) -> Component:
        """lo from the form's subset DP (or the chain DP past it), hi from (D1), hi = lo where the
        component is nested and the DP ran (theorem2-form.md)."""
        inst, T = self.inst, self.T
        got = form_table(inst, models, T, max_states)
        lo, runs = got if got is not None else chain_form_table(inst, models, T)
        hi = lo.copy() if nested and got is not None else slot_knapsack_bound(inst, models, T)
        n = sum(len(inst.users_of[i]) for i in models)
        visit = (
            VisitState(one_class(inst, tuple(models)))
            if states(inst, tuple(models)) <= self.dp_states
            else None
        )
        return Component(
            tuple(models),
            nested and got is not None,
            lo,
            np.minimum(hi, n),
            runs,
            by_form=nested and got is None and self.form_sub is not None,
            visit=visit,
        )

    def check(self, what: str) -> None:
        if any((c.hi < c.lo).any() for c in self.comps):
            raise RuntimeError(f"{self.solver}: a {what} bound below a known run (a bug)")

    def left(self) -> float | None:
        if self.time_limit is None:
            return None
        return self.time_limit - (time.perf_counter() - self.t0)

    def proved(self) -> bool:
        T = self.T
        return bool(
            max_plus([c.hi for c in self.comps], T)[0][T]
            <= max_plus([c.lo for c in self.comps], T)[0][T]
        )

    # ---- the search --------------------------------------------------------------------------
    def run(self) -> None:
        while not self.proved():
            left = self.left()
            if left is not None and left <= 0:
                return
            point = self.pick()
            if point is None:  # the gap is the rounding's, where the models ran to their optimum
                return
            step = self.next_step(*point)(*point)
            self.steps[step.name] = self.steps.get(step.name, 0) + 1
            if step.stop:
                return

    def pick(self) -> tuple[Component, int] | None:
        """A (component, budget) of an optimum of the hi knapsack where hi > lo and models can still
        help: one not yet bounded by (D3) first (cheap), then the least tried, then the widest."""
        want = split(max_plus([c.hi for c in self.comps], self.T)[1], self.T)
        todo = [(c, t) for c, t in zip(self.comps, want) if c.gap(t) > 0 and t not in c.settled]
        if not todo:
            return None
        return min(
            todo,
            key=lambda ct: (
                ct[1] in ct[0].walked or ct[0].by_form or ct[0].nested,
                ct[0].tried.get(ct[1], 0),
                ct[0].gap(ct[1]),
            ),
        )

    def next_step(self, c: Component, t: int) -> Callable[[Component, int], Step]:
        if not c.by_form and not c.nested and t not in c.walked:
            return self.walk
        if not c.by_form and c.visit is not None and c.visit.dp is None:
            return self.visit_dp
        if not c.by_form and c.visit is not None and t not in c.visit.paths:
            return self.try_path
        return self.solve_point

    # ---- the steps ---------------------------------------------------------------------------
    def walk(self, c: Component, t: int) -> Step:
        """(D3) at t: one class per model, then WALK_CLASSES where that leaves a gap."""
        c.walked.add(t)
        left = self.left()
        stop = None if left is None else time.monotonic() + left
        for classes in (1, WALK_CLASSES):
            if c.gap(t) <= 0:
                break
            if classes not in c.walks:
                c.walks[classes] = WalkDP(self.inst, c.models, self.T, classes)
            got = walk_bound(c.walks[classes], t, int(c.lo[t]), stop=stop)
            c.hi[: t + 1] = np.minimum(c.hi[: t + 1], got.bound)
        self.check("(D3)")
        return Step("walk_bounds")

    def visit_dp(self, c: Component, t: int) -> Step:
        """(D2) in the component's current classes (None past the run's time: no (D2) here)."""
        assert c.visit is not None
        stop = None if self.time_limit is None else self.t0 + self.time_limit
        dp = visit_dp(self.inst, c.models, self.T, stop, c.visit.classes)
        if dp is None:
            c.visit = None
            return Step("visit_dp_stopped")
        c.visit.dp = dp
        c.hi = np.minimum(c.hi, dp.table(self.T))
        self.check("(D2)")
        return Step("visit_dp_solves")

    def try_path(self, c: Component, t: int) -> Step:
        """(D2)'s least path at t, re-counted exactly (it raises lo); where it revisits a model and
        misses the bound, one class is split (the widest upload gap) and (D2) is computed again."""
        assert c.visit is not None and c.visit.dp is not None
        c.visit.paths.add(t)
        segs = c.visit.dp.path(t)
        record(self.inst, c, segs)
        if c.gap(t) > 0:  # a revisit was charged cheaper users than it has: finer classes
            seq = [i for i, _ in segs]
            finer = split_widest(self.inst, c.visit.classes, {i for i in seq if seq.count(i) > 1})
            if finer != c.visit.classes and states(self.inst, c.models, finer) <= self.dp_states:
                c.visit = VisitState(finer)
        return Step("visit_dp_paths")

    def solve_point(self, c: Component, t: int) -> Step:
        """The component within t slots by the form's compact model (nested) or the segment model:
        its schedule raises lo, its proved bound lowers hi[t'] for t' <= t; each retry at a point gets
        twice the time; a point where the models ran to their optimum is settled."""
        tries = c.tried.get(t, 0)
        if self.max_tries is not None and tries >= self.max_tries:
            return Step("tries_used", stop=True)
        left = self.left()
        limit = None if self.sub_time_limit is None else self.sub_time_limit * 2**tries
        limit = left if limit is None else (limit if left is None else min(limit, left))
        solve = self.form_sub if c.by_form and self.form_sub is not None else self.sub
        got = solve(c.models, t, limit, run_at(c, t))
        self.proofs.append(got.proof)
        record(self.inst, c, got.segments)
        if got.bound is not None:
            c.hi[: t + 1] = np.minimum(c.hi[: t + 1], got.bound)
        self.check("proved (a modelling bug)")
        c.tried[t] = tries + 1
        if got.settled:
            c.settled.add(t)  # solving again gives the same answer: more time cannot help
        return Step("component_solves")

    # ---- the answer --------------------------------------------------------------------------
    def outcome(self, bandwidth) -> Outcome:
        """The lo knapsack's schedule, with the hi knapsack's value as its bound."""
        inst, T = self.inst, self.T
        upper, _ = max_plus([c.hi for c in self.comps], T)
        lower, args_lo = max_plus([c.lo for c in self.comps], T)
        batches: list[tuple[int, list[int]]] = []
        for c, tc in zip(self.comps, split(args_lo, T)):
            for i, ks in run_at(c, tc):
                cap = int(inst.b_max[i])
                batches += [(i, ks[a : a + cap]) for a in range(0, len(ks), cap)]
        sched = Schedule.from_indices(inst, batches, bandwidth, {"solver": self.solver})
        value, bound = int(lower[T]), int(upper[T])
        left = self.left()
        stopped = left is not None and left <= 0
        status = (
            Status.OPTIMAL
            if bound <= value
            else (Status.TIMEOUT if stopped or self.max_tries is not None else Status.FEASIBLE)
        )
        stats = {
            "components": len(self.comps),
            "nested_components": sum(c.nested for c in self.comps),
            "component_solves": self.steps.get("component_solves", 0),
            "visit_dp_solves": self.steps.get("visit_dp_solves", 0),
            "walk_bounds": self.steps.get("walk_bounds", 0),
            "form_value": self.form_value,
            "proofs": sorted(set(self.proofs)),
        }
        return Outcome(sched, status, claimed=value, bound=bound, stats=stats)
