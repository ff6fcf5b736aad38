"""A tiny theorem-free brute force (K <= 6): every subset of users, every batching into single-model
batches within the batch cap, every order, scored by the evaluator. Kept in the tests on purpose:
it assumes nothing the paper proves, so it can check Theorem 2's form."""

from __future__ import annotations

from itertools import combinations

from partialload_opt.partialloading import bandwidth as bw
from partialload_opt.partialloading.instance import Instance
from partialload_opt.partialloading.schedule import Schedule, evaluate


def brute_force(inst: Instance, semantics: str = "continuous", bandwidth="optimal") -> int:
    assert inst.K <= 6, "brute force is for tiny instances"
    rule = bw.parse_bandwidth(bandwidth)
    r = bw.batch_cap(rule)
    cap = [min(int(b), r) if r else int(b) for b in inst.b_max]
    best = 0

    def extend(batches, left):
        nonlocal best
        if batches:
            ev = evaluate(inst, Schedule.from_indices(inst, batches, rule), semantics=semantics)
            if not ev.feasible:
                return  # appending batches never makes an earlier late batch on time
            best = max(best, ev.served)
        for i in range(inst.I):
            mine = [k for k in left if inst.user_model[k] == i]
            for size in range(1, min(cap[i], len(mine)) + 1):
                for group in combinations(mine, size):
                    extend(batches + [(i, list(group))], [k for k in left if k not in group])

    extend([], list(range(inst.K)))
    return best
