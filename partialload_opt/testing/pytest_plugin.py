"""pytest plugin of partialload-opt (entry point ``pytest11``): fixtures for testing a scheduler."""

from __future__ import annotations

import pytest


@pytest.fixture
def exact_optimum():
    """``exact_optimum(instance, semantics="slotted") -> int``: the proved optimum (cached per test)."""
    from partialload_opt.testing import exact_optimum as optimum

    cache: dict = {}

    def get(instance, semantics: str = "slotted") -> int:
        key = (id(instance), semantics)
        if key not in cache:
            cache[key] = optimum(instance, semantics)
        return cache[key]

    return get


@pytest.fixture
def ground_truth():
    """``ground_truth(instance) -> Context``: the verification layer's ground truths of an instance
    (``optimum``, ``free``, ``form``, ``result(solver, semantics)``), cached per test."""
    from partialload_opt.verify.claims import Context

    contexts: dict = {}

    def get(instance):
        return contexts.setdefault(id(instance), Context(instance))

    return get
