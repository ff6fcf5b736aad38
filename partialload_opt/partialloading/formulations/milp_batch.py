"""milp-batch: P2 as the paper states it, with no theorem built in (Pyomo + HiGHS).
Written form: formulations/milp-batch.md.

N batch positions; a position holds one model and any of its users (at most b_max); used positions
are contiguous from the first; the bytes loaded at a position are those of its model's blocks that
the previous position's model lacks (eq. (8), linearised exactly); every scheduled user finishes by
Tbar (eq. (13c)). The verification layer tests Theorems 2 and 3 against this model."""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction

import pyomo.environ as pyo
from pyomo.common.collections import ComponentMap

from partialload_opt.partialloading import bandwidth as bw
from partialload_opt.partialloading.formulations.batch_rows import (
    FAMILIES,
    position_rows,
    require_positions,
)
from partialload_opt.partialloading.formulations.highs_run import highs_outcome
from partialload_opt.partialloading.formulations.milp_compact import time_unit
from partialload_opt.partialloading.instance import Instance
from partialload_opt.partialloading.options import RunOptions
from partialload_opt.partialloading.results import Outcome, nobody_to_serve
from partialload_opt.partialloading.schedule import Schedule, Semantics
from partialload_opt.partialloading.timebase import rational, units, whole_units


def block_groups(inst: Instance, models: list[int]) -> list[tuple[float, tuple[int, ...]]]:
    """Blocks of the given models merged by the set of models holding them: (bytes, models).
    Blocks held by the same models are always loaded together, so merging them is exact."""
    groups: dict[tuple[int, ...], float] = defaultdict(float)
    mask = inst.block_mask
    for j in range(inst.J):
        owners = tuple(i for i in models if mask[i, j])
        if owners:
            groups[owners] += float(inst.block_size[j])
    return [(size, owners) for owners, size in sorted(groups.items())]


def group_loads(inst: Instance, models: list[int]) -> list[Fraction]:
    """Exact V(S) of each of ``block_groups``' groups, in the same order (eq. (8))."""
    ex = inst.exact
    sizes: dict[tuple[int, ...], Fraction] = defaultdict(Fraction)
    mask = inst.block_mask
    for j in range(inst.J):
        owners = tuple(i for i in models if mask[i, j])
        if owners:
            sizes[owners] += ex.block_size[j]
    return [size * ex.seconds_per_byte for _, size in sorted(sizes.items())]


def identical_pairs(inst: Instance) -> list[tuple[int, int]]:
    """Consecutive users (by id) of the same model with exactly the same p_k: interchangeable."""
    up = inst.exact.upload
    pairs = []
    for i in range(inst.I):
        ks = inst.users_of[i].tolist()  # ascending exact p_k, ties by id
        pairs += [(a, b) for a, b in zip(ks, ks[1:]) if up[a] == up[b]]
    return pairs


def build_milp_batch(
    inst: Instance,
    semantics: str = "continuous",
    bandwidth="optimal",
    positions: int | None = None,
    symmetry: bool = True,
    optimistic: bool = False,
    unit: float | None = None,
) -> pyo.ConcreteModel:
    """The theorem-free MILP; constraint names match formulations/milp-batch.md."""
    semantics = Semantics.parse(semantics)
    rule = bw.parse_bandwidth(bandwidth)
    r = bw.batch_cap(rule)
    models = list(inst.requested_models)
    N = positions if positions is not None else inst.K
    m = pyo.ConcreteModel(name=f"milp-batch[{inst.name}]")
    m.inst, m.rule = inst, rule
    m.N = pyo.RangeSet(0, N - 1, doc="batch positions n")
    m.MODELS = pyo.Set(initialize=models, doc="requested models i")
    m.USERS = pyo.Set(initialize=range(inst.K), doc="users k")
    groups = block_groups(inst, models)
    m.G = pyo.RangeSet(0, len(groups) - 1, doc="block groups g (blocks held by the same models)")

    m.b = pyo.Var(m.N, m.MODELS, domain=pyo.Binary, doc="b[n,i]: batch n runs model i")
    m.x = pyo.Var(m.N, m.USERS, domain=pyo.Binary, doc="x[n,k]: user k in batch n (eq. (10f))")
    m.w = pyo.Var(m.N, m.G, domain=pyo.NonNegativeReals, doc="w[n,g] >= rho[n,g] - rho[n-1,g]")
    m.t_up = pyo.Var(m.N, domain=pyo.NonNegativeReals, doc="upload time of batch n")
    var = {"b": m.b, "x": m.x, "w": m.w}
    cap = {i: int(inst.b_max[i]) if r is None else min(int(inst.b_max[i]), r) for i in models}
    pairs = identical_pairs(inst) if symmetry else ()
    for (
        family,
        label,
    ) in FAMILIES.items():  # (B1)-(B7), (S1): batch_rows.py, shared with P1 and CP-SAT
        setattr(m, family, pyo.ConstraintList(doc=label))
    for row in position_rows(inst, models, groups, N, cap, pairs):
        getattr(m, row.family).add(row.expr(lambda key: var[key[0]][key[1:]]))
    unit = unit or time_unit(inst)
    t_batch = _time_rows(m, inst, models, groups, r, unit, optimistic)
    if semantics == "slotted":
        _slot_rows(m, inst, t_batch, unit, optimistic)
    m.served = pyo.Objective(
        expr=sum(m.x[n, k] for n in m.N for k in m.USERS), sense=pyo.maximize, doc="eq. (13a)"
    )
    return m


def _time_rows(m: pyo.ConcreteModel, inst: Instance, models: list[int], groups, r, unit: float,
               optimistic: bool):  # fmt: skip
    """(B8)/(B8'), each position's time t_n in whole time units, and (B9); returns t_n."""
    ex = inst.exact
    q = rational(unit)
    up = not optimistic
    loads = group_loads(inst, models)

    def u(t):  # exact seconds -> whole time units, towards feasibility unless optimistic
        return units(t, q, up)

    if r is None:
        m.upload = pyo.Constraint(
            m.N,
            rule=lambda m, n: m.t_up[n] >= sum(u(ex.upload[k]) * m.x[n, k] for k in m.USERS),
            doc="(B8) eq. (11): upload time = sum p_k / B",
        )
    else:
        m.upload = pyo.Constraint(
            m.N,
            m.USERS,
            rule=lambda m, n, k: m.t_up[n] >= u(ex.upload[k] * r) * m.x[n, k],
            doc="(B8') equal split: upload time >= p_k r / B of each user",
        )

    m.upload_units = [u(ex.upload[k] * (r or 1)) for k in range(inst.K)]
    m.equal_split = r is not None
    m.group_owners = [owners for _, owners in groups]

    def t_batch_rule(m, n):  # t_n = t_up + t_load + t_comp of position n, in whole time units
        return (
            m.t_up[n]
            + sum(u(loads[g]) * m.w[n, g] for g in m.G)
            + sum(
                u(ex.mu[i]) * sum(m.x[n, k] for k in inst.users_of[i]) + u(ex.beta[i]) * m.b[n, i]
                for i in models
            )
        )

    m.t_batch = pyo.Expression(m.N, rule=t_batch_rule, doc="t_n of position n, in time units")

    def t_batch(n):
        return m.t_batch[n]

    total = sum(t_batch(n) for n in m.N)
    # in slotted time (B9) is a valid cut: a schedule within T slots ends by T * slot <= Tbar
    m.deadline = pyo.Constraint(
        expr=total <= units(ex.deadline, q, not up),
        doc="(B9) eq. (13c): the last used batch ends by Tbar (in whole time units)",
    )
    return t_batch


def _slot_rows(
    m: pyo.ConcreteModel, inst: Instance, t_batch, unit: float, optimistic: bool
) -> None:
    """(B10)-(B15): segments are maximal runs of one model; each takes ceil(segment time / slot)
    whole slots, as the evaluator counts them, and their slots add up to at most T. A model may come
    back in a later segment. Conservative: slot rounded down to time units (costs are rounded up);
    optimistic: slot rounded up and one unit of slack per segment, a relaxation."""
    N = len(m.N)
    slot = units(inst.exact.slot, rational(unit), optimistic)  # floor (conservative) or ceil
    m.slot_units = slot
    horizon = inst.T * slot + (
        1 if optimistic else 0
    )  # no segment of a feasible schedule is longer
    big = horizon  # (B10) with a[n] >= t_n (B11): a[n-1] <= horizon is all a start must relax
    m.seg_start = pyo.Var(m.N, domain=pyo.Binary, doc="st[n]: position n starts a segment")
    m.seg_end = pyo.Var(m.N, domain=pyo.Binary, doc="en[n]: position n ends a segment")
    m.seg_time = pyo.Var(
        m.N, bounds=(0, horizon), doc="a[n]: time of the segment so far, through batch n"
    )
    m.seg_slots = pyo.Var(
        m.N,
        domain=pyo.NonNegativeIntegers,
        bounds=(0, inst.T),
        doc="sigma[n]: slots of the segment that ends at position n",
    )
    m.seg_accumulate = pyo.Constraint(
        m.N,
        rule=lambda m, n: (
            m.seg_time[n]
            >= t_batch(n) - (0 if n == 0 else big * m.seg_start[n] - m.seg_time[n - 1])
        ),
        doc="(B10) a[n] >= a[n-1] + t_n - H st[n]; a[0] >= t_0",
    )
    m.seg_first = pyo.Constraint(
        m.N, rule=lambda m, n: m.seg_time[n] >= t_batch(n), doc="(B11) a[n] >= t_n"
    )
    m.seg_same_model = pyo.Constraint(
        m.N,
        m.MODELS,
        rule=lambda m, n, i: (
            pyo.Constraint.Skip if n == 0 else m.seg_start[n] + m.b[n - 1, i] + m.b[n, i] <= 2
        ),
        doc="(B12) the same model at n-1 and n: n does not start a segment",
    )
    m.seg_last = pyo.Constraint(
        m.N,
        m.MODELS,
        rule=lambda m, n, i: m.seg_end[n] >= m.b[n, i] - (m.b[n + 1, i] if n + 1 < N else 0),
        doc="(B13) model i at n and not at n+1: a segment ends at n",
    )
    m.seg_round = pyo.Constraint(
        m.N,
        rule=lambda m, n: (
            slot * m.seg_slots[n]
            >= m.seg_time[n] - horizon * (1 - m.seg_end[n]) - (1 if optimistic else 0)
        ),
        doc="(B14) slot * sigma[n] >= a[n] at a segment's end: sigma = ceil(segment time / slot)",
    )
    m.slots = pyo.Constraint(
        expr=sum(m.seg_slots[n] for n in m.N) <= inst.T,
        doc="(B15) the segments' slots add up to at most T = floor(Tbar / slot)",
    )
    m.slot_total = pyo.Constraint(
        expr=sum(t_batch(n) for n in m.N) <= inst.T * slot,
        doc="(B17) valid: the batches' time fits in T whole slots",
    )


def batch_times_whole(inst: Instance, semantics: str, rule) -> bool:
    """Every time of the batch model (uploads, compute, block-group loads, Tbar, and the slot in
    slotted time) is a whole number of time units: then rounding to units is exact."""
    r = bw.batch_cap(rule)
    ex = inst.exact
    times = [ex.deadline, *(t * (r or 1) for t in ex.upload), *ex.mu, *ex.beta]
    times += group_loads(inst, list(inst.requested_models))
    if semantics == "slotted":
        times.append(ex.slot)
    return whole_units(times, rational(time_unit(inst)))


def batches_of(m: pyo.ConcreteModel) -> list[tuple[int, list[int]]]:
    out = []
    for n in m.N:
        i = next((i for i in m.MODELS if (m.b[n, i].value or 0) > 0.5), None)
        if i is None:
            break
        ks = [k for k in m.USERS if (m.x[n, k].value or 0) > 0.5]
        out.append((i, ks))
    return out


def warm_values(m: pyo.ConcreteModel, batches: list[tuple[int, list[int]]]) -> dict:
    """A full starting point from (model, users) batches: b and x, the least w and t_up that the
    rows allow, and in slotted time the segments' st, en, a and sigma (ceil(a / slot) in the model's
    units). HiGHS checks it and ignores it if it breaks a row (e.g. a schedule late for the rounded
    model)."""
    batches = batches[: len(m.N)]
    vals = ComponentMap((v, 0.0) for v in m.component_data_objects(pyo.Var))
    for n, (i, ks) in enumerate(batches):
        vals[m.b[n, i]] = 1.0
        for k in ks:
            vals[m.x[n, k]] = 1.0
    owners = m.group_owners
    for n in m.N:
        for g in m.G:
            now = any(vals[m.b[n, i]] for i in owners[g])
            before = n > 0 and any(vals[m.b[n - 1, i]] for i in owners[g])
            vals[m.w[n, g]] = 1.0 if now and not before else 0.0
    for v, val in vals.items():
        v.set_value(val, skip_validation=True)
    for n, (_, ks) in enumerate(batches):  # the least upload time (B8) / (B8') allow
        up = [m.upload_units[k] for k in ks]
        vals[m.t_up[n]] = float(max(up, default=0) if m.equal_split else sum(up))
        m.t_up[n].set_value(vals[m.t_up[n]], skip_validation=True)
    if hasattr(m, "seg_time"):
        seg = 0.0
        for n, (i, _) in enumerate(batches):
            start = n == 0 or batches[n - 1][0] != i
            end = n + 1 == len(batches) or batches[n + 1][0] != i
            seg = (0.0 if start else seg) + pyo.value(m.t_batch[n])
            vals[m.seg_start[n]] = 1.0 if start else 0.0
            vals[m.seg_end[n]] = 1.0 if end else 0.0
            vals[m.seg_time[n]] = seg
            if end:
                # a slot shorter than one unit: no start fits the conservative model; HiGHS
                # checks a start and ignores one that breaks a row
                whole = -(-round(seg) // m.slot_units) if m.slot_units > 0 else len(m.N)
                vals[m.seg_slots[n]] = float(whole)
        for n in range(len(batches), len(m.N)):  # unused positions: nothing accumulates
            vals[m.seg_start[n]] = 1.0
    return vals


def solve_milp_batch(inst: Instance, opts: RunOptions) -> Outcome:
    """P2 with batch positions and no theorem assumed (Pyomo + HiGHS); the theorems' referee."""
    semantics, bandwidth = opts.semantics, opts.bandwidth
    positions, symmetry, max_users = opts["positions"], opts["symmetry"], opts["max_users"]
    require_positions(inst, "milp-batch", max_users)
    if not inst.requested_models:
        return nobody_to_serve(inst, bandwidth)
    m0 = build_milp_batch(inst, semantics, bandwidth, positions, symmetry)
    warm = None
    start = opts.start
    if start is not None:
        idx = [
            (inst.model_index[b.model], [inst.user_index[u] for u in b.users])
            for b in start.batches
        ]
        warm = warm_values(m0, idx)
    exact = batch_times_whole(inst, semantics, m0.rule)

    def schedule_of(model) -> Schedule:
        batches = batches_of(model) if model is not None else []
        return Schedule.from_indices(inst, batches, m0.rule, {"solver": "milp-batch"})

    return highs_outcome(
        inst,
        opts,
        m0,
        lambda: build_milp_batch(inst, semantics, bandwidth, positions, symmetry, True),
        exact,
        schedule_of,
        {"positions": len(m0.N)},
        warm=warm,
    )
