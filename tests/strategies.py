"""Hypothesis strategies shared by every property test (instances, ties, b_max = 1, zero mu/beta,
deadlines on slot boundaries, tiny and large blocks)."""

from __future__ import annotations

import copy
import json

from hypothesis import strategies as st

from partialload_opt.instance import Block, Instance, LoadRates, Model, User

LOAD = LoadRates(1e6, 1e9)


@st.composite
def instances(
    draw, case: str = "any", max_users: int = 7, max_models: int = 3, max_layers: int = 4
) -> Instance:
    """A small instance. case: 'bls' (shared prefixes per cluster), 'general' (random subsets) or
    'any'. p_k, block sizes and l_i are drawn from small sets so ties occur often."""
    if case == "any":
        case = draw(st.sampled_from(["bls", "general"]))
    n_models = draw(st.integers(1, max_models))
    n_layers = draw(st.integers(1, max_layers))
    sizes = st.sampled_from([0.0, 1.0, 1000.0, 2000.0, 5000.0, 20000.0])
    n_clusters = draw(st.integers(1, n_models))
    trunk = [[draw(sizes) for _ in range(n_layers)] for _ in range(n_clusters)]
    blocks: dict[str, float] = {}
    models = []
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
        mu = 0.0 if zero else draw(st.sampled_from([0.0, 0.0005, 0.001]))
        beta = 0.0 if zero else draw(st.sampled_from([0.0, 0.001, 0.002]))
        per = 600.0 if bmax_one else draw(st.sampled_from([0.0, 100.0, 250.0]))
        models.append(Model(f"m{i}", tuple(ids), mu, beta, 400.0, per))
    n_users = draw(st.integers(0, max_users))
    users = [
        User(
            f"u{k}",
            f"m{draw(st.integers(0, n_models - 1))}",
            draw(st.sampled_from([0.0, 1000.0, 2000.0, 3000.0])),
            draw(st.sampled_from([1.0, 2.0])),
        )
        for k in range(n_users)
    ]
    slot = draw(st.sampled_from([0.001, 0.002, 0.005]))
    n_slots = draw(st.integers(1, 40))
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
        tuple(models),
        tuple(users),
        {"case": case},
    )


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
    """``doc`` with one node replaced by an arbitrary JSON value, deleted, or an id swapped."""
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
    """max(n, the active profile's max_examples): a test's own floor, raised by --hypothesis-profile=thorough."""
    from hypothesis import settings

    return max(n, settings.default.max_examples)
