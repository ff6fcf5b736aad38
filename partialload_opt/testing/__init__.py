"""Property testing for the toolkit's problems and their users' algorithms: hypothesis strategies for
instances, schedules and decisions, assertions against the one evaluator and the exact ground truth
(each problem's ``strategies`` module, re-exported here), and a pytest plugin
(``partialload_opt.testing.pytest_plugin``, registered through ``pytest11``: fixtures
``exact_optimum`` and ``ground_truth``).

    from hypothesis import given
    from partialload_opt.testing import assert_optimal, instances

    @given(instances(case="bls", users=6, models=3))
    def test_my_solver_is_optimal_on_bls(inst):
        assert_optimal(inst, "my-solver", "slotted")

Needs the ``[test]`` extra (hypothesis)."""

from __future__ import annotations

import contextlib
import copy
import importlib
import json
from typing import Any

from hypothesis import strategies as st


def span(value, low: int) -> tuple[int, int]:
    """A size argument of a strategy: an int n means low..n; a pair (a, b) means a..b."""
    return (low, int(value)) if isinstance(value, int) else (int(value[0]), int(value[1]))


def _exported() -> dict[str, str]:
    """name -> module of every problem's strategies (``Problem.strategies``)."""
    from partialload_opt import problem

    names: dict[str, str] = {}
    for p in problem.every():
        module = importlib.import_module(p.strategies)
        names.update((n, p.strategies) for n in module.__all__)
    return names


def __getattr__(name: str) -> Any:
    """A problem's strategy or assertion (``instances``, ``qpart_instances``, ``assert_optimal``...)."""
    module = _exported().get(name)
    if module is None:
        raise AttributeError(name)
    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted({*globals(), *_exported()})


@contextlib.contextmanager
def registry_restored():
    """Solvers, claims and plugins registered inside the block are forgotten after it (for tests
    that register throwaway solvers)."""
    from partialload_opt import plugins, registry, verify

    saved = registry.snapshot(), verify.snapshot(), plugins.snapshot()
    try:
        yield
    finally:
        registry.restore(saved[0])
        verify.restore(saved[1])
        plugins.restore(saved[2])


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
