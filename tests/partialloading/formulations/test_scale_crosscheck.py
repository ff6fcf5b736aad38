"""Proofs past K = 100 cross-checked where two independent routes exist (issue 28), on the scale
family of benchmarks/scale_proofs.py: on BLS instances the form route (cpsat's compact model,
Theorem 2's form, proved exact there) and the theorem-free route (cpsat-segment with
``theorem2=False``: the decomposition never relies on the form) prove the same optimum; on general
instances the segment decomposition proves the same optimum with CP-SAT and with HiGHS, the latter
with no theorem; in continuous time three implementations of the form agree."""

from __future__ import annotations

import pytest

from partialload_opt import solve
from partialload_opt.partialloading.generate import GeneratorConfig, generate
from partialload_opt.results import Status

FAMILIES = {  # benchmarks/scale_proofs.py's family
    "bls": dict(case="bls", deadline_ms=700.0),
    "general": dict(case="general", deadline_ms=500.0, bandwidth_mhz=50.0),
}


def scale_instance(family: str, K: int, seed: int):
    return generate(GeneratorConfig(users=K, seed=seed, **FAMILIES[family]))


def proved(inst, solver: str, semantics: str, **options) -> int:
    r = solve(inst, solver, semantics=semantics, time_limit=300, **options)
    assert r.status is Status.OPTIMAL, (solver, r.status, r.served, r.bound, r.message)
    return r.served


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 1])
def test_bls_at_scale_the_theorem_free_route_proves_the_forms_optimum(seed):
    inst = scale_instance("bls", 160, seed)
    assert inst.is_bls
    form = proved(inst, "cpsat", "slotted")
    free = proved(inst, "cpsat-segment", "slotted", theorem2=False)
    assert form == free


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 8])
def test_general_at_scale_two_backends_prove_the_same_optimum(seed):
    inst = scale_instance("general", 160, seed)
    assert not inst.is_bls
    assert proved(inst, "cpsat-segment", "slotted") == proved(
        inst, "milp-segment", "slotted", theorem2=False
    )


@pytest.mark.slow
@pytest.mark.parametrize("family", ["bls", "general"])
def test_continuous_at_scale_three_implementations_agree(family):
    inst = scale_instance(family, 320, 0)
    values = {
        name: proved(inst, name, "continuous") for name in ("dp-exact", "cpsat", "milp-compact")
    }
    assert len(set(values.values())) == 1, values
