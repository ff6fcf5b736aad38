"""Property testing for PartialLoading algorithms, the package's own and users': hypothesis
strategies for instances and schedules, assertions against the one evaluator and the exact ground
truth, and a pytest plugin (``partialload_opt.testing.pytest_plugin``, registered through
``pytest11``: fixtures ``exact_optimum`` and ``ground_truth``).

    from hypothesis import given
    from partialload_opt.testing import assert_optimal, instances

    @given(instances(case="bls", users=6, models=3))
    def test_my_solver_is_optimal_on_bls(inst):
        assert_optimal(inst, "my-solver", "slotted")

Needs the ``[test]`` extra (hypothesis)."""

from __future__ import annotations

import contextlib
import copy
import json

from hypothesis import strategies as st

from partialload_opt.instance import Block, Instance, LoadRates, Model, User
from partialload_opt.schedule import Batch, Schedule, evaluate

LOAD = LoadRates(1e6, 1e9)


def _span(value, low: int) -> tuple[int, int]:
    """An int n means low..n; a pair (a, b) means a..b."""
    return (low, int(value)) if isinstance(value, int) else (int(value[0]), int(value[1]))


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

    from partialload_opt.segments import SegmentCosts
    from partialload_opt.timebase import rational

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
    scaled = replace(
        inst,
        blocks=tuple(replace(b, size_bytes=b.size_bytes * factor) for b in inst.blocks),
        models=tuple(
            replace(m, mu_s=m.mu_s * factor, beta_s=m.beta_s * factor) for m in inst.models
        ),
        users=tuple(replace(u, data_bits=u.data_bits * factor) for u in inst.users),
    )
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


QPART_WIDE_BITS = ((2, 28), (1, 2, 3, 4, 16, 32), (2, 4, 8, 16, 32), (1,), (64,), (1, 64))
"""Sparse and wide bit sets (1-bit and 64-bit included) that strain a scaled budget row."""


@st.composite
def qpart_instances(
    draw, layers=4, bits=6, readings: bool = True, memory: bool = True, wide: bool = False
):
    """A small QPART instance: a random MLP of up to ``layers`` layers (widths 1..40), a bit set of up
    to ``bits`` widths in 1..16, sensitivities from a small set (zeros and ties included), every open
    reading drawn (unless ``readings`` is False), a server price that makes interior partitions
    optimal or not, an optional memory limit, and a budget from infeasible to loose. ``wide``: the
    bit set is one of QPART_WIDE_BITS, sensitivities reach the trained network's (hundreds), and
    the budget may be as small as 1e-12 (rows spanning more than 1e15)."""
    from partialload_opt.networks import mlp
    from partialload_opt.qpart.generate import table2
    from partialload_opt.qpart.instance import READINGS, Device, QInstance, Server

    n = draw(st.integers(*_span(layers, 1)))
    widths = tuple(draw(st.integers(1, 40)) for _ in range(n + 1))
    net = tuple(mlp(widths))
    if wide:
        bitset = draw(st.sampled_from(QPART_WIDE_BITS))
    else:
        bitset = tuple(sorted(draw(st.sets(st.integers(1, 16), min_size=1, max_size=bits))))
    ks = st.sampled_from([0.0, 0.5, 1.0, 2.0, 10.0] + ([333.0] if wide else []))
    k_w = tuple(draw(ks) for _ in range(n))
    k_a = tuple(draw(ks) for _ in range(n))
    k_in = draw(ks)
    ref = draw(st.sampled_from(bitset))
    total = (sum(k_w) + sum(k_a) + k_in) * 4.0**-ref
    budget = max(total, 1e-6) * draw(st.sampled_from([0.01, 0.5, 1.0, 3.0]))
    if wide and draw(st.booleans()):  # a fixed budget, 1e-12 (infeasible on most) to loose
        budget = draw(st.sampled_from([1e-12, 1e-9, 1e-6, 1e-3, 1.0, 1e3]))
    r = dict(READINGS)
    if readings:
        r.update(
            activation_bits=draw(st.sampled_from(["shared", "separate"])),
            input=draw(st.sampled_from(["quantized", "reference"])),
            noise=draw(st.sampled_from(["weights", "weights+cut", "weights+activations"])),
            s_i=draw(st.sampled_from(["payload", "all"])),
        )
    t2 = table2()
    dev, srv = t2["device"], t2["server"]
    mem = float(draw(st.sampled_from([2000, 20000]))) if memory and draw(st.booleans()) else None
    return QInstance(
        "qhyp",
        "random",
        widths[0],
        net,
        Device(dev["clock_hz"], dev["cycles_per_mac"], dev["kappa"], dev["tx_power_w"], mem),
        Server(
            srv["clock_hz"], srv["cycles_per_mac"], draw(st.sampled_from([0.0, 100.0, 1e4, 1e6]))
        ),
        t2["channel"]["rate_bps"],
        (1.0, 1.0, 1.0),
        bitset,
        budget,
        k_w,
        k_a,
        k_in,
        r,
    )


@contextlib.contextmanager
def registry_restored():
    """Solvers, claims and plugins registered inside the block are forgotten after it (for tests
    that register throwaway solvers)."""
    from partialload_opt import plugins, registry, verify

    table, claims, loaded = dict(registry._TABLE), dict(verify._USER_CLAIMS), list(plugins._loaded)
    try:
        yield
    finally:
        import sys

        gone = [
            getattr(i.target, "__module__", None)
            for n, i in registry._TABLE.items()
            if n not in table
        ]
        gone += [c.fn.__module__ for n, c in verify._USER_CLAIMS.items() if n not in claims]
        for module in gone:  # so that importing it again registers again
            if module and module != "__main__" and not module.startswith("partialload_opt"):
                sys.modules.pop(module, None)
        registry._TABLE.clear()
        registry._TABLE.update(table)
        verify._USER_CLAIMS.clear()
        verify._USER_CLAIMS.update(claims)
        plugins._loaded[:] = loaded


class GroundTruthUnavailable(Exception):
    """No proved optimum at this size (the theorem-free ground truth reaches K = 12 in slotted time)."""


def exact_optimum(instance: Instance, semantics: str = "slotted", time_limit: float = 60.0) -> int:
    """The proved optimum of the problem as stated (no theorem assumed where it is not proved)."""
    from partialload_opt.verify.claims import Context

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
    assert r.status.value != "error", f"{solver} ({r.semantics}) ended in error: {r.message}"
    best = exact_optimum(instance, r.semantics)
    assert r.served == best, (
        f"{solver} serves {r.served}, the optimum is {best} ({r.semantics}); "
        f"its schedule: {[(b.model, list(b.users)) for b in r.schedule.batches]}"
    )
    return r


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**30), 10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=6,
)


def _paths(doc, prefix=()):
    yield prefix
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(doc, list):
        for n, v in enumerate(doc):
            yield from _paths(v, prefix + (n,))


@st.composite
def mutated_documents(draw, doc: dict) -> dict:
    """``doc`` (an instance or schedule file) with one node replaced by an arbitrary JSON value,
    deleted, or duplicated: for testing that bad input gets one clear error."""
    doc = copy.deepcopy(doc)
    paths = [p for p in _paths(doc) if p]
    path = draw(st.sampled_from(paths))
    parent = doc
    for part in path[:-1]:
        parent = parent[part]
    action = draw(st.sampled_from(["replace", "delete", "duplicate"]))
    if action == "delete":
        if isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent.pop(path[-1])
    elif action == "duplicate" and isinstance(parent, list):
        parent.append(copy.deepcopy(parent[path[-1]]))
    else:
        parent[path[-1]] = draw(JSON_VALUES)
    return json.loads(json.dumps(doc, allow_nan=True))


def at_least(n: int) -> int:
    """max(n, the active profile's max_examples): a test's own floor of examples, raised by a profile."""
    from hypothesis import settings

    return max(n, settings.default.max_examples if settings.default is not None else 0)
