"""pytest plugin of partialload-opt (entry point ``pytest11``): fixtures for testing a scheduler."""

from __future__ import annotations

import pytest


@pytest.fixture
def exact_optimum():
    """``exact_optimum(instance, semantics="slotted") -> int``: the proved optimum (cached per test,
    by the instance's content)."""
    from partialload_opt.testing import exact_optimum as optimum
    from partialload_opt.verify.runner import instance_hash

    cache: dict = {}

    def get(instance, semantics: str = "slotted") -> int:
        key = (instance_hash(instance), semantics)
        if key not in cache:
            cache[key] = optimum(instance, semantics)
        return cache[key]

    return get


@pytest.fixture
def ground_truth():
    """``ground_truth(instance) -> Context``: the verification layer's ground truths of an instance
    (``optimum``, ``free``, ``form``, ``result(solver, semantics)``), cached per test by content."""
    from partialload_opt import problem
    from partialload_opt.verify.runner import instance_hash

    contexts: dict = {}

    def get(instance):
        key = instance_hash(instance)
        if key not in contexts:
            contexts[key] = problem.of(instance).context(instance, 60.0, None, None)
        return contexts[key]

    return get
