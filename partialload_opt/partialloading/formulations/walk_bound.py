"""(D3) The Lagrangian walk bound: an upper bound on f_c(t), the most users a run of component c
serves within t slots, over every visit order (revisits included), that does not grow with the
number of users (written form and proof: formulations/cpsat-segment.md, F7).

A run is a walk over c's models, each visit v a segment of model i_v after i_{v-1} (the first after
nothing: its load in full) serving m_v users in ceil((load + serve) / slot) slots. Relaxation: a
visit of model i serving m users is charged the time of i's m cheapest users (no more than any m of
its users take), whatever earlier visits served, so a visit within s slots after j serves at most
q(j, i, s) = max{m : slots(j, i, m) <= s} (the evaluator's exact slot counts); the cap "model i
serves at most n_i users in all" is moved into the objective with a multiplier lambda_i >= 0:

    f_c(t) <= UB(lambda, t) = sum_i lambda_i n_i + max over walks within t slots of
                              sum_v (1 - lambda_{i_v}) m_v,

for every lambda >= 0 (a run's users satisfy the caps, so the added term is >= 0 on it). The inner
max is a DP over (slots used, last model): O(t^2 I_c^2), independent of the users' number. lambda
comes from column generation (``walk_bound``): an LP over the walks found so far, whose capacity
duals are the next lambda, until the bound's floor meets a target or no walk improves the LP."""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from partialload_opt.partialloading.instance import Instance
from partialload_opt.partialloading.segments import SegmentCosts
from partialload_opt.partialloading.timebase import slots_array

NEG = -1e18
WALK_CLASSES = 3
"""The finer relaxation the decomposition tries where one class per model leaves a gap: each model's
users in 3 runs by p_k (on 320-user instances it closed a further third of the gaps)."""
MARGIN = 1e-6
"""UB is a sum of floats: its floor is taken after adding this (a bound a hair too high is still a
bound; one a hair too low would not be)."""


@dataclass(frozen=True)
class WalkBound:
    """The bound at one budget t, the multipliers that gave it, and the iterations spent."""

    t: int
    bound: int
    value: float
    lam: tuple[float, ...]
    iterations: int


class WalkDP:
    """The visit tables of one component and the inner DP of UB(lambda, t).

    With ``classes`` > 1 each model's users (by p_k) are cut into that many runs of about equal size,
    a visit takes a count from each, charged the cheapest of each run, and the cap (and lambda) is
    per run: the same relaxation, tighter (a revisit can no longer take the cheapest users again at
    no penalty), with prod(run sizes + 1) visit shapes per model."""

    def __init__(self, inst: Instance, comp: tuple[int, ...], T: int, classes: int = 1):
        self.inst, self.comp, self.T = inst, comp, T
        costs = SegmentCosts.of(inst, "optimal", "optimal")
        ex = inst.exact
        self.shapes: list[np.ndarray] = []  # per model: (visit shapes, runs) user counts
        self.owner: list[int] = []  # per lambda entry: its model's position in comp
        caps: list[int] = []
        cut: list[list[np.ndarray]] = []
        for b, i in enumerate(comp):
            users = inst.users_of[i]
            runs = [r for r in np.array_split(users, min(classes, max(len(users), 1))) if len(r)]
            cut.append(runs)
            caps += [len(r) for r in runs]
            self.owner += [b] * len(runs)
            grids = np.meshgrid(*[np.arange(len(r) + 1) for r in runs], indexing="ij")
            self.shapes.append(np.stack([g.ravel() for g in grids], 1))
        self.n_users = np.array(caps, dtype=float)
        self.first = np.cumsum([0] + [len(r) for r in cut])  # lambda entries of model b
        self.order: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}
        self.degenerate = False  # some visit takes 0 slots: no (D3) bound here
        for b, i in enumerate(comp):
            shapes, runs = self.shapes[b], cut[b]
            up = [np.concatenate([[0.0], np.cumsum(inst.p[r])]) / inst.bandwidth_hz for r in runs]
            exact_up = [self._prefix_exact(r) for r in runs]
            k = shapes.sum(axis=1)
            batches = -(-k // int(costs.cap[i]))
            m = inst.models[i]
            serve = sum(up[c][shapes[:, c]] for c in range(len(runs))) + m.mu_s * k
            serve = serve + m.beta_s * batches
            for a, prev in enumerate([-1, *comp]):
                if prev == i:  # the same model again is the same segment
                    continue

                def exact_at(x, prev=prev, shapes=shapes, k=k, batches=batches, i=i, up=exact_up):
                    t = ex.load_after(prev, i) + ex.compute(i, int(k[x]), int(batches[x]))
                    return t + sum(up[c][int(shapes[x, c])] for c in range(shapes.shape[1]))

                slots = slots_array(
                    inst.load_after(prev, i) + serve, inst.slot_s, exact_at, ex.slot
                )
                slots[k == 0] = 0
                if (slots[k > 0] == 0).any():  # a visit in no time: the DP over slots needs >= 1
                    self.degenerate = True
                order = np.argsort(slots, kind="stable")
                self.order[a, b] = (order, slots[order])

    def _prefix_exact(self, users: np.ndarray) -> list[Fraction]:
        up = self.inst.exact.upload
        out, acc = [Fraction(0)], Fraction(0)
        for k in users:
            acc += up[int(k)]
            out.append(acc)
        return out

    def gains(self, lam: np.ndarray, t: int) -> tuple[np.ndarray, dict]:
        """G[a, b, s]: the best (1 - lambda)-weighted users of a visit of comp[b] within s slots
        after row a (0: nothing; NEG: none, or the same model), and the shape that gives it."""
        n = len(self.comp)
        G = np.full((n + 1, n, t + 1), NEG)
        pick: dict = {}
        budgets = np.arange(t + 1)
        for (a, b), (order, slots) in self.order.items():
            w = 1.0 - lam[self.first[b] : self.first[b + 1]]
            value = self.shapes[b][order] @ w
            value = np.where(self.shapes[b][order].sum(axis=1) > 0, value, NEG)
            run = np.maximum.accumulate(value)
            arg = np.maximum.accumulate(np.where(value >= run, np.arange(len(value)), 0))
            pos = np.searchsorted(slots, budgets, side="right") - 1
            ok = pos >= 0
            G[a, b, ok] = run[pos[ok]]
            pick[a, b] = (order, arg, pos)
        return G, pick

    def bound_at(self, lam: np.ndarray, t: int) -> int:
        """floor(UB(lambda, t)), capped by the users in all; the cap alone where a visit takes no
        time (``degenerate``)."""
        cap = int(self.n_users.sum())
        if self.degenerate:
            return cap
        return min(math.floor(self.solve(lam, t)[0] + MARGIN), cap)

    def solve(self, lam: np.ndarray, t: int) -> tuple[float, np.ndarray]:
        """UB(lambda, t) and the users the best walk takes from each run (lambda's entries)."""
        n = len(self.comp)
        G, pick = self.gains(lam, t)
        V = np.full((t + 1, n), NEG)
        src = np.full((t + 1, n, 3), -1, dtype=np.int64)  # (slots before, last before, s2)
        for s in range(1, t + 1):  # the first visit, after nothing
            better = G[0, :, s] > V[s]
            V[s][better] = G[0, better, s]
            src[s][better] = (0, -1, s)
        for s in range(1, t):
            if V[s].max() <= NEG / 2:
                continue
            for s2 in range(1, t - s + 1):
                cand = V[s][:, None] + G[1:, :, s2]  # (last a, next b)
                a = cand.argmax(axis=0)
                best = cand[a, np.arange(n)]
                better = best > V[s + s2]
                if better.any():
                    V[s + s2][better] = best[better]
                    src[s + s2][better] = np.stack([np.full(n, s), a, np.full(n, s2)], 1)[better]
        used = np.zeros(len(lam))
        top = V.max()
        if top <= 0:  # the empty walk
            return float((lam * self.n_users).sum()), used
        at, last = (int(x) for x in np.unravel_index(int(V.argmax()), V.shape))
        while last >= 0 and at > 0:
            before, prev, s2 = (int(x) for x in src[at, last])
            order, arg, pos = pick[prev + 1, last]
            shape = self.shapes[last][order[arg[pos[s2]]]]
            used[self.first[last] : self.first[last + 1]] += shape
            at, last = before, prev
        return float(top + (lam * self.n_users).sum()), used


def walk_bound(
    dp: WalkDP, t: int, target: int, iterations: int = 100, stop: float | None = None
) -> WalkBound:
    """min over lambda of UB(lambda, t), by column generation: the restricted master LP over the
    walks found so far (max sum_W x_W users(W) subject to sum_W x_W users_i(W) <= n_i and
    sum_W x_W <= 1) gives lambda as its capacity duals, the DP prices the best walk at them; at the
    LP's optimum no walk prices out and UB(lambda, t) is the Lagrangian dual. Every UB evaluated is a
    valid bound (whatever lambda is), so the smallest is kept; the LP only steers lambda. Stops once
    the bound's floor is <= ``target``, no new walk improves the LP, or at ``stop``
    (``time.monotonic()``: the run's deadline)."""
    import time

    import highspy

    n = len(dp.n_users)
    if dp.degenerate:  # zero-slot visits (every time of a visit exactly 0): the plain cap only
        return WalkBound(t, int(dp.n_users.sum()), math.inf, (), 0)
    lam = np.zeros(n)
    best_val, best_lam = math.inf, lam.copy()
    lp = highspy.Highs()
    lp.setOptionValue("output_flag", False)
    inf = highspy.kHighsInf
    for i in range(n):  # capacity rows, then the convexity row
        lp.addRow(-inf, float(dp.n_users[i]), 0, np.array([], np.int32), np.array([]))
    lp.addRow(-inf, 1.0, 0, np.array([], np.int32), np.array([]))
    rows = np.arange(n + 1, dtype=np.int32)
    it = 0
    for it in range(1, iterations + 1):
        val, used = dp.solve(lam, t)
        if val < best_val:
            best_val, best_lam = val, lam.copy()
        if math.floor(best_val + MARGIN) <= target:
            break
        if stop is not None and time.monotonic() >= stop:
            break
        lp.addCol(-float(used.sum()), 0.0, inf, n + 1, rows, np.append(used, 1.0))
        lp.run()
        duals = -np.asarray(lp.getSolution().row_dual)[:n]
        new = np.maximum(duals, 0.0)
        if it > 1 and np.allclose(new, lam, atol=1e-12):
            break  # the LP's optimum: no walk prices out
        lam = new
    bound = min(math.floor(best_val + MARGIN), int(dp.n_users.sum()))
    return WalkBound(t, bound, best_val, tuple(best_lam.tolist()), it)
